"""The fictitious data generator: valid, marked, deterministic, idempotent, rising membership."""

import datetime
import re

import pytest
from django.core.management import CommandError, call_command

from sasaeai.core.hojin import is_valid_corporate_number
from sasaeai.members import generator, kpis
from sasaeai.members.models import Corporation, Council, Facility, MembershipEvent
from sasaeai.testing.factories import CorporationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
FULL_WIDTH_KATAKANA = re.compile(r"[ァ-ヶー]+")


@pytest.fixture
def tiny(regions):
    return generator.generate(scale="tiny", seed=1)


def snapshot() -> dict[str, list]:
    """What a generation produced, in a comparable form (ids left out)."""
    return {
        "corporations": list(
            Corporation.objects.order_by("corporate_number").values_list(
                "corporate_number", "name", "name_kana", "municipality", "founded", "closed"
            )
        ),
        "facilities": list(
            Facility.objects.order_by("corporation__corporate_number", "name").values_list(
                "name", "name_kana", "kind__code", "municipality", "capacity", "opened", "closed"
            )
        ),
        "events": list(
            MembershipEvent.objects.order_by(
                "corporation__corporate_number", "council__name", "effective_date"
            ).values_list(
                "corporation__corporate_number", "council__name", "kind", "effective_date"
            )
        ),
    }


def test_tiny_scale_makes_the_planned_numbers_of_records(tiny):
    assert (tiny.corporations, tiny.facilities) == (30, 120)
    assert Corporation.objects.count() == 30
    assert Facility.objects.count() == 120
    # The prefectural council and one for each of Okayama's 27 municipalities, none for wards.
    assert Council.objects.filter(prefecture_id="33").count() == 28
    assert not Council.objects.filter(municipality__kind="ward").exists()


def test_generated_records_are_valid(tiny):
    for corporation in Corporation.objects.all()[:10]:
        corporation.full_clean()
    for facility in Facility.objects.all()[:20]:
        facility.full_clean()
    for event in MembershipEvent.objects.all()[:20]:
        event.full_clean(exclude=["facilities"])


def test_generated_records_are_marked_fictitious(tiny):
    assert not Corporation.objects.filter(is_fictitious=False).exists()
    # Stored names are NFKC-normalised like every name: （架空） is kept as (架空).
    assert all(
        name.endswith("(架空)") for name in Corporation.objects.values_list("name", flat=True)
    )
    assert all(name.endswith("(架空)") for name in Facility.objects.values_list("name", flat=True))
    assert all(event.note == generator.GENERATED_NOTE for event in MembershipEvent.objects.all())


def test_corporate_numbers_are_valid_and_obviously_made_up(tiny):
    for number in Corporation.objects.values_list("corporate_number", flat=True):
        assert is_valid_corporate_number(number)
        assert number[1:5] == "9533"


def test_kana_is_full_width_katakana(tiny):
    for model in (Corporation, Facility):
        for kana in model.objects.values_list("name_kana", flat=True):
            assert FULL_WIDTH_KATAKANA.fullmatch(kana), kana


def test_records_sit_in_the_prefecture_and_search_keys_are_computed(tiny):
    for facility in Facility.objects.select_related("municipality"):
        assert facility.municipality.prefecture_id == "33"
        assert facility.address.startswith("岡山県")
        assert facility.postal_code[:1] == "7"
    corporation = Corporation.objects.first()
    assert corporation.search_key
    assert Corporation.objects.search(corporation.name_kana).filter(pk=corporation.pk).exists()


def test_the_same_seed_gives_the_same_data(tiny):
    first = snapshot()
    generator.generate(scale="tiny", seed=1, reset=True)
    assert snapshot() == first
    generator.generate(scale="tiny", seed=2, reset=True)
    assert snapshot()["corporations"] != first["corporations"]


def test_running_twice_adds_nothing(tiny):
    before = snapshot()
    again = generator.generate(scale="tiny", seed=1)
    assert again.skipped == ["33"]
    assert again.corporations == again.events == 0
    assert snapshot() == before


def test_reset_deletes_only_generated_data(tiny):
    real = CorporationFactory(municipality_id="332038")
    demo = CorporationFactory(municipality_id="332038", is_fictitious=True)
    counts = generator.reset_fictitious()
    assert counts["corporations"] == 30
    assert set(Corporation.objects.all()) == {real, demo}
    assert not Facility.objects.exists()
    assert not MembershipEvent.objects.exists()
    # Councils are real bodies: they stay, only their made-up history went.
    assert Council.objects.filter(prefecture_id="33").count() == 28


def test_the_command_reports_what_it_did(regions, english, capsys):
    call_command("generate_data", "--scale", "tiny", "--seed", "3")
    call_command("generate_data", "--scale", "tiny", "--seed", "3")
    output = capsys.readouterr().out
    assert "30 corporations, 120 facilities" in output
    assert "1 prefectures skipped" in output
    assert Corporation.objects.count() == 30


def test_okayama_membership_rises_to_the_target_and_beyond(regions):
    generator.generate(scale="okayama", seed=1)
    assert Facility.objects.count() == 2500

    def rate(date: datetime.date) -> float:
        return kpis.membership_rate(prefecture="33", as_of=date).rate

    assert 0.3 < rate(D(2018, 4, 1)) < 0.5
    assert rate(D(2019, 3, 31)) < rate(D(2020, 3, 31)) < rate(D(2022, 3, 31))
    assert rate(D(2020, 3, 31)) >= 0.7
    assert 0.7 < rate(D(2022, 3, 31)) < 0.85
    # A few withdraw, some of them come back.
    kinds = list(MembershipEvent.objects.values_list("kind", flat=True))
    assert kinds.count("withdraw") > 0


def test_an_unknown_prefecture_is_refused(regions):
    with pytest.raises(CommandError):
        call_command("generate_data", "--scale", "tiny", "--prefecture", "99")
    assert not Corporation.objects.exists()


def test_the_national_plan_shares_the_totals_among_the_47_prefectures():
    plan = generator._plan(generator.SCALES["national"], None)
    assert len(plan) == 47
    assert sum(row[1] for row in plan) == 21000
    assert sum(row[2] for row in plan) == 80000
    assert generator.apportion(10, [1, 1, 1], minimum=2) in ([4, 3, 3], [3, 4, 3], [3, 3, 4])
