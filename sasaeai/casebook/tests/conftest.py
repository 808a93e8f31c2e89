import datetime
import io

import pytest

from sasaeai.projects.tests import helpers


@pytest.fixture(autouse=True)
def okayama_by_default(settings, tmp_path):
    settings.SASAEAI_DEFAULT_PREFECTURE = "33"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def themes(personas):
    return helpers.okayama_themes()


def png_bytes(size=(40, 30), colour=(200, 120, 40)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def draft_case(personas, themes, *, by=None, **fields):
    from sasaeai.casebook import actions
    from sasaeai.regions.models import Municipality

    values = {
        "title": "子ども食堂をネットワークで始めた",
        "summary": "法人の食堂を使い、月2回の子ども食堂を開いた。",
        "background": "民生委員から、夕食をひとりで食べる子がいると聞いた。",
        "activities": "ボランティアの学生と調理し、学習支援も行う。",
        "partners": "津山市社会福祉協議会、地元の農家",
        "costs": "食材費は寄付と法人の負担",
        "results": "毎回30人ほどが集まる。",
        "lessons": "送迎が課題。",
    }
    values.update(fields)
    return actions.create_case(
        by=by or personas.corp_staff,
        corporation=personas.own_corporation,
        municipality=Municipality.objects.get(code="332038"),
        fiscal_year=2019,
        themes=[themes["T05"]],
        **values,
    )


def publish(case, personas, *, includes_photos=True):
    from sasaeai.casebook import actions

    actions.submit_case(case=case, by=personas.corp_staff)
    actions.record_consent(
        case=case,
        by=personas.corp_staff,
        method="online",
        consented_by="理事長 山田太郎",
        given_on=datetime.date(2020, 1, 10),
        includes_photos=includes_photos,
    )
    return actions.publish_case(case=case, by=personas.center)


@pytest.fixture
def draft(personas, themes):
    return draft_case(personas, themes)


@pytest.fixture
def published(personas, themes):
    return publish(draft_case(personas, themes), personas)
