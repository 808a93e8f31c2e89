"""The scheduled purge anonymises what is past its period, at the day's boundary, per center."""

import datetime
import io

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone

from sasaeai.core.privacy import ANONYMOUS
from sasaeai.events.models import Registration
from sasaeai.privacy.actions import purge_personal_data
from sasaeai.privacy.models import DataRequest, RequestKind
from sasaeai.surveys.models import Answer

pytestmark = pytest.mark.django_db


def _name(registration) -> str:
    return Registration.objects.get(pk=registration.pk).name


def _counts(lines, model):
    return {line.prefecture: line.count for line in lines if line.model == model}


def _year_end(event) -> datetime.date:
    return datetime.date(event.fiscal_year + 1, 3, 31)


def test_participants_are_kept_five_years_after_the_fiscal_year_by_default(hanako):
    on_the_day = _year_end(hanako.event) + relativedelta(years=5)  # the last day kept

    lines = purge_personal_data(today=on_the_day)
    assert _name(hanako.registration) == "岡山 花子"
    assert _counts(lines, "events.Registration")["33"] == 0

    lines = purge_personal_data(today=on_the_day + datetime.timedelta(days=1))
    assert _name(hanako.registration) == ANONYMOUS
    assert _name(hanako.other) == ANONYMOUS
    assert _counts(lines, "events.Registration")["33"] == 2
    # Other prefectures keep the default period too.
    assert _name(hanako.far) == ANONYMOUS


def test_a_center_sets_its_own_period(hanako, personas):
    center = personas.okayama_center
    center.settings = {
        **(center.settings or {}),
        "privacy_retention_years": {"event_participants": 1},
    }
    center.save()
    end = _year_end(hanako.event)
    purge_personal_data(today=end + relativedelta(years=1))
    assert _name(hanako.registration) == "岡山 花子"
    purge_personal_data(today=end + relativedelta(years=1, days=1))
    assert _name(hanako.registration) == ANONYMOUS
    assert _name(hanako.far) == "岡山 花子"  # Tottori: the default five years


def test_the_purge_is_idempotent_and_the_dry_run_changes_nothing(hanako):
    later = timezone.localdate() + relativedelta(years=7)
    dry = purge_personal_data(today=later, dry_run=True)
    assert _counts(dry, "events.Registration")["33"] == 2
    assert _name(hanako.registration) == "岡山 花子"
    assert not DataRequest.objects.exists()

    purge_personal_data(today=later)
    again = purge_personal_data(today=later)
    assert sum(line.count for line in again) == 0
    assert DataRequest.objects.filter(kind=RequestKind.PURGE).count() == 1


def test_survey_free_text_goes_after_its_period_the_choices_stay(hanako):
    answers = Answer.objects.filter(response__invitation=hanako.invitation)
    before = answers.count()
    end = _year_end(hanako.round)
    purge_personal_data(today=end + relativedelta(years=5))
    assert answers.exclude(text="").exists()
    purge_personal_data(today=end + relativedelta(years=5, days=1))
    assert not answers.exclude(text="").exists()
    assert answers.count() == before


def test_the_command_prints_what_it_did(hanako):
    out = io.StringIO()
    later = (timezone.localdate() + relativedelta(years=7)).isoformat()
    call_command("purge_personal_data", "--dry-run", f"--today={later}", stdout=out)
    assert "events.Registration: 2" in out.getvalue()
    assert _name(hanako.registration) == "岡山 花子"
    out = io.StringIO()
    call_command("purge_personal_data", f"--today={later}", stdout=out)
    assert _name(hanako.registration) == ANONYMOUS
