import factory
from factory.django import DjangoModelFactory

from sasaeai.accounts.actions import grant_role
from sasaeai.accounts.models import Role, RoleAssignment, User
from sasaeai.core.hojin import make_corporate_number
from sasaeai.members.models import Corporation, Facility
from sasaeai.regions.models import Center

PASSWORD = "correct horse battery staple"  # noqa: S105


class CenterFactory(DjangoModelFactory):
    class Meta:
        model = Center
        django_get_or_create = ["prefecture_id"]

    prefecture_id = "33"
    name = "岡山県地域公益活動推進センター"
    short_name = "岡山ささえ愛センター"


class CorporationFactory(DjangoModelFactory):
    class Meta:
        model = Corporation

    corporate_number = factory.Sequence(lambda n: make_corporate_number(f"{800000000000 + n}"))
    name = factory.Sequence(lambda n: f"社会福祉法人テスト福祉会{n}")
    name_kana = factory.Sequence(lambda n: f"テストフクシカイ{n}")
    municipality_id = "332038"  # 津山市


class FacilityFactory(DjangoModelFactory):
    class Meta:
        model = Facility

    corporation = factory.SubFactory(CorporationFactory)
    name = factory.Sequence(lambda n: f"テスト施設{n}")
    name_kana = factory.Sequence(lambda n: f"テストシセツ{n}")
    municipality_id = factory.SelfAttribute("corporation.municipality_id")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def grant(user: User, role: str, **scope) -> RoleAssignment:
    return grant_role(user=user, role=role, **scope)


def center_staff(center: Center, **kwargs) -> User:
    user = UserFactory(**kwargs)
    grant(user, Role.CENTER_STAFF, center=center)
    return user


def council_staff(municipality_code: str, **kwargs) -> User:
    user = UserFactory(**kwargs)
    grant(user, Role.COUNCIL_STAFF, municipality_code=municipality_code)
    return user


def corporation_staff(corporation: Corporation, **kwargs) -> User:
    user = UserFactory(**kwargs)
    grant(user, Role.CORPORATION_STAFF, corporation=corporation)
    return user


def pdf_bytes() -> bytes:
    """A real one-page PDF, for uploads that are checked by their content."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    """A real small PNG image."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "PNG")
    return out.getvalue()
