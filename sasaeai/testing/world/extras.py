"""What the demo has on one side only (or only published), made on every side."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from .base import SIDES, World, side_context


def build_extras(world: World) -> None:
    """Records the demo has on one side only (or only published), created on every side."""
    from sasaeai.members.actions import record_membership_event
    from sasaeai.members.models import MemberType

    # The outsider's corporation joins too, so that it can hold a grant of its own.
    record_membership_event(
        member=world.corporations["other"],
        kind="join",
        effective_date=datetime.date(2018, 4, 1),
        by=world.users["center"],
        member_type=MemberType.objects.get(code="basic-corporation"),
    )
    for side in SIDES:
        _side_extras(world, side)


def _pdf(name: str) -> ContentFile:
    """A real one-page PDF (uploads are checked by content)."""
    import io

    from pypdf import PdfWriter

    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=72, height=72)
    writer.write(buffer)
    return ContentFile(buffer.getvalue(), name=name)


def _side_extras(world: World, side: str) -> None:
    from sasaeai.networks import actions as network_actions
    from sasaeai.networks.models import MunicipalNetwork
    from sasaeai.regions.models import Municipality

    ctx = side_context(world, side)
    municipality = Municipality.objects.get(pk=ctx["municipality"])
    network = MunicipalNetwork.objects.filter(area=municipality).first()
    if network is None:
        network = network_actions.save_network(
            prefecture=ctx["prefecture"],
            name=f"{municipality.name}社会福祉法人連絡会（テスト）",
            area=[municipality],
            established_on=datetime.date(2019, 3, 1),
        )
    if not network.members.filter(corporation=ctx["corporation"]).exists():
        network_actions.add_member(
            network=network, corporation=ctx["corporation"], joined_on=datetime.date(2019, 3, 1)
        )
    network_actions.add_document(
        network=network, kind="bylaws", title="会則（テスト）", file=_pdf("bylaws.pdf")
    )
    network_actions.record_meeting(
        network=network,
        held_on=datetime.date(2019, 5, 1),
        kind="general",
        minutes=_pdf("minutes.pdf"),
    )
    network_actions.record_visit(
        prefecture=ctx["prefecture"],
        visited_on=datetime.date(2019, 6, 1),
        staff=[ctx["center"]],
        municipality=municipality,
        follow_ups=[("資料を送る（テスト）", datetime.date(2019, 6, 30))],
        by=ctx["center"],
    )
    _members_extras(world, side, ctx, municipality)
    _grants_extras(world, side, ctx)
    _activity_and_case(world, side, ctx, municipality, network)
    _stockyard_extras(world, side, ctx, municipality)
    _center_extras(world, side, ctx)


def _members_extras(world: World, side: str, ctx: dict, municipality) -> None:
    from sasaeai.members.actions import apply_for_membership
    from sasaeai.members.models import ImportJob, MemberType
    from sasaeai.testing.factories import CorporationFactory, FacilityFactory

    FacilityFactory(corporation=ctx["corporation"])
    applicant = CorporationFactory(municipality_id=municipality.pk)
    apply_for_membership(
        corporation=applicant,
        by=ctx["center"],
        member_type=MemberType.objects.get(code="basic-corporation"),
        desired_date=datetime.date(2019, 4, 1),
    )
    if side != "other":
        ImportJob.objects.create(
            kind="corporations",
            prefecture_id=ctx["prefecture"],
            original_name="registry.csv",
            created_by=ctx["center"],
        )


def _grants_extras(world: World, side: str, ctx: dict) -> None:
    from sasaeai.grants import actions
    from sasaeai.grants.demo import _apply_and_award, _pay_and_report
    from sasaeai.grants.models import Decision, GrantCall, GrantReport

    corporation = ctx["corporation"]
    call = (
        GrantCall.objects.filter(program__prefecture_id=ctx["prefecture"])
        .order_by("-closes_on")
        .first()
    )
    decision = Decision.objects.filter(application__corporation=corporation).first()
    if decision is None:
        from sasaeai.grants.models import GrantProgram
        from sasaeai.projects.models import Theme

        theme = Theme.objects.get(prefecture_id=ctx["prefecture"], code="T01")
        model_call = actions.open_call(
            program=GrantProgram.objects.get(prefecture_id=ctx["prefecture"], code="model-rd"),
            fiscal_year=2020,
            title="テスト募集",
            opens_on=datetime.date(2020, 5, 1),
            closes_on=datetime.date(2020, 6, 15),
            themes=[theme],
        )
        _application, decision = _apply_and_award(
            model_call,
            on=model_call.opens_on,
            decided_on=model_call.closes_on + datetime.timedelta(days=20),
            amounts={model_call.fiscal_year: 100_000},
            title="テスト助成事業",
            plan="テスト",
            by=ctx["center"],
            corporation=corporation,
            theme=theme,
        )
        _pay_and_report(decision, spent_share=0.9)  # a refund falls due
    if not decision.amendments.exists():
        year = decision.years.order_by("fiscal_year").last()
        actions.request_amendment(
            decision=decision,
            amounts={year.fiscal_year: year.amount - 1000},
            reason="テスト",
            on=datetime.date(year.fiscal_year, 8, 1),
        )
    draft = actions.create_application(
        call=call,
        corporation=corporation,
        title="テスト申請（下書き）",
        lines=[{"fiscal_year": call.fiscal_year, "category": "謝金", "amount": 10_000}],
        on=call.opens_on,
        by=ctx["staff"],
        theme=call.themes.first(),
    )
    actions.add_attachment(application=draft, title="添付（テスト）", file=_pdf("a.pdf"))
    reviewer_user = ctx["center"]
    actions.add_reviewer(call=decision.application.call, user=reviewer_user)
    assert GrantReport.objects.filter(decision=decision).exists()


def _activity_and_case(world: World, side: str, ctx: dict, municipality, network) -> None:
    from sasaeai.activities import actions as activity_actions
    from sasaeai.activities import schedule as schedules
    from sasaeai.casebook import actions as case_actions

    activity = activity_actions.create_activity(
        data=activity_actions.ActivityFields(
            title="テスト活動（下書き）",
            municipality=municipality,
            schedule=schedules.Schedule(schedules.WEEKLY, datetime.date(2019, 4, 1), weekdays=(2,)),
        ),
        corporation=ctx["corporation"],
        by=ctx["staff"],
    )
    activity_actions.submit_activity(activity=activity, by=ctx["staff"])
    case = case_actions.create_case(
        by=ctx["staff"],
        municipality=municipality,
        fiscal_year=2019,
        corporation=ctx["corporation"],
        title="テスト事例（下書き）",
        summary="テスト",
    )
    case_actions.add_photo(case=case, by=ctx["staff"], upload=_png(), alt_text="写真（テスト）")


def _png() -> ContentFile:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="photo.png")


def _stockyard_extras(world: World, side: str, ctx: dict, municipality) -> None:
    from sasaeai.stockyard import actions
    from sasaeai.stockyard.models import Item, KeeperKind, Location, LocationKind, SupportRule

    prefecture = ctx["prefecture"]
    if not Item.objects.in_prefecture(prefecture).exists():
        from sasaeai.stockyard.demo import _items

        _items(prefecture)
    if not SupportRule.objects.in_prefecture(prefecture).exists():
        actions.save_support_rule(
            prefecture_id=prefecture, name="上限（テスト）", period_days=30, max_value=Decimal(5000)
        )
    location = Location.objects.filter(keeper_corporation=ctx["corporation"]).first()
    if location is None:
        location = actions.save_location(
            municipality=municipality,
            keeper_corporation=ctx["corporation"],
            name=f"{ctx['corporation'].name} 回収拠点（テスト）",
            kind=LocationKind.DROP_OFF,
            keeper_kind=KeeperKind.CORPORATION,
            keeper_name=ctx["corporation"].name,
            address=f"{municipality.prefecture.name}{municipality.name}テスト町1-1（架空）",
            opening_hours="平日",
            public=False,
        )
    today = timezone.localdate()
    item = Item.objects.in_prefecture(prefecture).get(name="缶詰")
    donation = actions.receive(
        location=location,
        lines=[
            actions.LotData(item=item, quantity=20, expires_on=today + datetime.timedelta(days=90))
        ],
        received_on=today,
        donor_kind="individual",
        donor_name="寄付者（テスト）",
        by=ctx["center"],
        today=today,
    )
    actions.issue_receipt(donation)
    actions.create_campaign(
        prefecture=prefecture,
        title=f"フードドライブ（テスト {side}）",
        organiser="テスト",
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=3),
        drop_offs=[location],
        description="テスト",
    )
    actions.refer(
        location=location,
        household=actions.HouseholdData(municipality.pk, f"T-{side}", 2, "40, 10"),
        lines=[(item, 2)],
        urgency="normal",
        needs="テスト",
        on=today,
        by=ctx["staff"],
        today=today,
        corporation=ctx["corporation"],
    )
    approved = actions.refer(
        location=location,
        household=actions.HouseholdData(municipality.pk, f"A-{side}", 1, "70"),
        lines=[(item, 1)],
        urgency="normal",
        on=today,
        by=ctx["staff"],
        today=today,
        corporation=ctx["corporation"],
    )
    actions.approve(referral=approved, by=ctx["center"], on=today, today=today)
    lot = donation.lots.get()
    actions.stocktake(location=location, counts={lot.pk: 20}, by=ctx["center"], today=today)


def _center_extras(world: World, side: str, ctx: dict) -> None:
    """Drafts of the center's publications (drafts are nobody's outside the center)."""
    if side == "other":
        return
    from sasaeai.events.models import Event, Registration
    from sasaeai.projects import actions as project_actions
    from sasaeai.projects.models import ModelProject
    from sasaeai.proposals import actions as proposal_actions
    from sasaeai.publishing import actions as publishing_actions

    prefecture, center = ctx["prefecture"], ctx["center"]
    project_actions.add_document(
        project=ModelProject.objects.in_prefecture(prefecture).first(),
        kind="handbook",
        title="手引き（テスト・非公開）",
        file=_pdf("manual.pdf"),
        by=center,
    )
    publishing_actions.create_news_post(
        prefecture=prefecture,
        data=publishing_actions.NewsData(
            title="下書きのお知らせ（テスト）",
            body="テスト",
            category="notice",
            attachment=_pdf("news.pdf"),
        ),
        by=center,
    )
    publishing_actions.create_newsletter(
        prefecture=prefecture,
        data=publishing_actions.NewsletterData(
            number=99,
            title="下書きの号（テスト）",
            fiscal_year=2019,
            body="テスト",
            pdf=_pdf("issue.pdf"),
        ),
        by=center,
    )
    proposal_actions.create_proposal(
        prefecture=prefecture,
        title="下書きの提言（テスト）",
        addressee_kind="prefecture",
        addressee="県",
        text="テスト",
        by=center,
    )
    event = Event.objects.in_prefecture(ctx["prefecture"]).order_by("pk").first()
    for corporation in _corporations_of_prefecture(world, ctx["prefecture"]):
        Registration.objects.create(
            event=event,
            status="confirmed",
            name="参加者（テスト）",
            person_key=f"test-{corporation.pk}",
            corporation=corporation,
        )


def _corporations_of_prefecture(world: World, prefecture: str) -> list:
    return [c for c in world.corporations.values() if c.municipality_id[:2] == prefecture]
