"""The receipt (受領書) of a donation and the delivery note (お渡し票) of a referral: PDFs
for those who keep the location or handle the case, a 404 for everyone else."""

from __future__ import annotations

import datetime
import io

import pypdf
import pytest

from sasaeai.stockyard import actions
from sasaeai.stockyard.models import Donation, DonorKind

from .conftest import TODAY, household, receive

pytestmark = pytest.mark.django_db

d = datetime.date


def text_of(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    # Without the spaces and line breaks of the layout (the titles are letter-spaced).
    return "".join("".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def gift(world):
    return receive(
        world,
        world.yard,
        [(world.rice, "10", d(2026, 12, 31)), (world.cans, 24, d(2026, 7, 1))],
        on=d(2025, 5, 10),
        donor_kind=DonorKind.COMPANY,
        donor_name="岡山食品株式会社",
        donor_address="岡山県津山市山下1-1",
    )


def receipt_url(donation) -> str:
    return f"/stockyard/donations/{donation.pk}/receipt.pdf"


def note_url(referral) -> str:
    return f"/stockyard/referrals/{referral.pk}/note.pdf"


def test_the_keeper_gets_a_numbered_receipt_with_the_goods(client, personas, gift):
    client.force_login(personas.council)
    response = client.get(receipt_url(gift))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    gift.refresh_from_db()
    assert gift.receipt_number == "2025-0001"  # FY2025, the first of the prefecture
    for expected in (
        "受領書",
        "2025-0001",
        "岡山食品株式会社",
        "米",
        "缶詰",
        "津山市社会福祉協議会",
    ):
        assert expected in text, expected
    assert "令和8年7月1日" in text  # the cans' best-before date
    assert "円" not in text  # a gift shows no prices
    again = client.get(receipt_url(gift))
    assert "2025-0001" in text_of(again.content)
    assert Donation.objects.exclude(receipt_number="").count() == 1


def test_a_purchase_shows_its_prices(client, personas, world):
    bought = receive(
        world, world.yard, [(world.soap, 12, None)], on=d(2025, 6, 1),
        donor_kind=DonorKind.PURCHASE, donor_name="ドラッグストア津山",
    )  # fmt: skip
    client.force_login(personas.center)
    text = text_of(client.get(receipt_url(bought)).content)
    assert "石けん" in text and "1,200円" in text


@pytest.mark.parametrize("persona", ["corp_staff", "outsider"])
def test_those_who_do_not_keep_the_location_get_a_404(client, personas, gift, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(receipt_url(gift)).status_code == 404
    gift.refresh_from_db()
    assert gift.receipt_number == ""


def test_anonymous_visitors_are_sent_to_log_in(client, gift):
    assert client.get(receipt_url(gift)).status_code == 302


@pytest.fixture
def referral(world, personas, gift):
    return actions.refer(
        location=world.yard,
        household=household("法-042", size=3, ages="40, 10, 7"),
        lines=[(world.cans, 6), (world.rice, "2.5")],
        urgency="today",
        needs="子どもの食事に困っている",
        corporation=personas.own_corporation,
        on=d(2025, 7, 1),
        today=TODAY,
    )


def test_a_referral_only_requested_has_no_delivery_note(client, personas, referral):
    client.force_login(personas.council)
    assert client.get(note_url(referral)).status_code == 404


def test_the_delivery_note_lists_the_lots_picked(client, personas, referral):
    actions.approve(referral=referral, on=d(2025, 7, 2), today=TODAY)
    for persona in ("council", "corp_staff", "center"):  # keeper, referrer, center
        client.force_login(getattr(personas, persona))
        response = client.get(note_url(referral))
        assert response.status_code == 200, persona
    text = text_of(response.content)
    for expected in ("お渡し票", "法-042", "3人", "缶詰", "米", "2.5", "令和8年7月1日"):
        assert expected in text, expected
    assert "40,10,7" not in text and "子ども" not in text  # ages and needs stay off the paper
    actions.hand_over(referral=referral, on=d(2025, 7, 3), today=TODAY)
    assert "令和7年7月3日" in text_of(client.get(note_url(referral)).content)


def test_outsiders_get_a_404_for_the_delivery_note(client, personas, referral):
    actions.approve(referral=referral, on=d(2025, 7, 2), today=TODAY)
    client.force_login(personas.outsider)
    assert client.get(note_url(referral)).status_code == 404


def test_a_declined_referral_has_no_delivery_note(client, personas, referral):
    actions.decline(referral=referral, reason="在庫なし", today=TODAY)
    client.force_login(personas.council)
    assert client.get(note_url(referral)).status_code == 404
