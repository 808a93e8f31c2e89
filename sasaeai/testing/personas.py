from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from . import factories


@dataclass
class Personas:
    center: object
    council: object
    corp_staff: object
    outsider: object
    anonymous: AnonymousUser
    okayama_center: object
    own_corporation: object  # 津山市, the corporation of corp_staff
    other_corporation: object  # 倉敷市, the outsider's
    tottori_corporation: object  # another prefecture: even Okayama's center must not see it

    def all(self) -> dict[str, object]:
        return {
            "center": self.center,
            "council": self.council,
            "corp_staff": self.corp_staff,
            "outsider": self.outsider,
            "anonymous": self.anonymous,
        }


def personas() -> Personas:
    center = factories.CenterFactory()
    own = factories.CorporationFactory(municipality_id="332038")  # 津山市
    other = factories.CorporationFactory(municipality_id="332020")  # 倉敷市
    tottori = factories.CorporationFactory(municipality_id="312011")  # 鳥取市
    return Personas(
        center=factories.center_staff(center, username="center-okayama"),
        council=factories.council_staff("332038", username="council-tsuyama"),
        corp_staff=factories.corporation_staff(own, username="corp-staff"),
        outsider=factories.corporation_staff(other, username="corp-outsider"),
        anonymous=AnonymousUser(),
        okayama_center=center,
        own_corporation=own,
        other_corporation=other,
        tottori_corporation=tottori,
    )
