"""One record of every kind on each side of the world."""

from __future__ import annotations

from .base import SIDES, World, side_context


def records_of(world: World) -> dict:
    """kind -> {side: one record of that kind on that side}."""
    records: dict = {}
    for side in SIDES:
        for kind, record in _side_records(world, side).items():
            if record is None:
                raise LookupError(f"the world has no {kind} on the {side} side")
            records.setdefault(kind, {})[side] = record
    return records


def _side_records(world: World, side: str) -> dict:
    from sasaeai.activities.models import Activity
    from sasaeai.casebook.models import Case, CasePhoto
    from sasaeai.events.models import Event, Registration
    from sasaeai.grants.models import (
        Amendment,
        Application,
        ApplicationAttachment,
        Decision,
        GrantCall,
        GrantProgram,
        GrantReport,
        Refund,
    )
    from sasaeai.members.models import (
        Council,
        Facility,
        ImportJob,
        MembershipApplication,
        MembershipEvent,
    )
    from sasaeai.networks.models import (
        MunicipalNetwork,
        NetworkDocument,
        NetworkMeeting,
        NetworkMember,
        OutreachVisit,
    )
    from sasaeai.plan.models import Target
    from sasaeai.projects.models import (
        Committee,
        LeadingProject,
        ModelProject,
        ModelSite,
        ProjectDocument,
        Theme,
    )
    from sasaeai.proposals.models import Evidence, Proposal
    from sasaeai.publishing.models import Newsletter, NewsPost
    from sasaeai.stockyard.models import (
        Campaign,
        Donation,
        Item,
        Location,
        Referral,
        SupportRule,
    )
    from sasaeai.surveys.models import Round, Survey

    ctx = side_context(world, side)
    corporation, muni, pref = ctx["corporation"], ctx["municipality"], ctx["prefecture"]
    network = MunicipalNetwork.objects.filter(area=muni).order_by("pk").first()
    decision = Decision.objects.filter(application__corporation=corporation).order_by("pk").first()
    visit = OutreachVisit.objects.filter(municipality=muni).first()
    project = ModelProject.objects.filter(prefecture=pref).order_by("pk").first()
    leading = LeadingProject.objects.filter(prefecture=pref).order_by("pk").first()
    proposal = Proposal.objects.filter(prefecture=pref).order_by("pk").first()
    location = Location.objects.filter(keeper_corporation=corporation).first()
    event = Event.objects.filter(prefecture=pref).order_by("pk").first()
    draft = Application.objects.filter(corporation=corporation, status="draft").first()
    case = Case.objects.filter(corporation=corporation, status="draft").first()
    return {
        "corporation": corporation,
        "facility": Facility.objects.filter(corporation=corporation).first(),
        "council": Council.objects.filter(municipality=muni).first(),
        "membership": MembershipEvent.objects.filter(corporation=corporation).first(),
        "membership_application": MembershipApplication.objects.filter(
            corporation__municipality=muni
        ).first(),
        "import_job": ImportJob.objects.filter(prefecture=pref).first(),
        "network": network,
        "network_member": NetworkMember.objects.filter(network=network).first(),
        "network_document": NetworkDocument.objects.filter(network=network).first(),
        "network_meeting": NetworkMeeting.objects.filter(network=network).first(),
        "visit": visit,
        "follow_up": visit.follow_ups.first() if visit else None,
        "municipality_code": muni,
        "event": event,
        "session": event.sessions.first() if event else None,
        "registration": Registration.objects.filter(corporation=corporation).first(),
        "survey": Survey.objects.filter(prefecture=pref).order_by("pk").first(),
        "round": Round.objects.filter(survey__prefecture=pref).order_by("pk").first(),
        "theme": Theme.objects.filter(prefecture=pref).order_by("pk").first(),
        "model_project": project,
        "site": ModelSite.objects.filter(project__prefecture=pref).order_by("pk").first(),
        "project_document": ProjectDocument.objects.filter(
            project__prefecture=pref, published=False
        ).first(),
        "leading_project": leading,
        "leading_year": leading.years.first() if leading else None,
        "committee": Committee.objects.filter(prefecture=pref).order_by("pk").first(),
        "grant_program": GrantProgram.objects.filter(prefecture=pref).order_by("pk").first(),
        "grant_call": GrantCall.objects.filter(program__prefecture=pref).order_by("pk").first(),
        "grant_application": draft,
        "grant_attachment": ApplicationAttachment.objects.filter(application=draft).first(),
        "awarded_application": decision.application if decision else None,
        "grant_report": GrantReport.objects.filter(decision=decision).order_by("pk").first(),
        "refund": Refund.objects.filter(decision__application__call__program__prefecture=pref)
        .filter(decision__application__corporation=corporation)
        .first(),
        "amendment": Amendment.objects.filter(decision=decision).first(),
        "proposal": proposal,
        "draft_proposal": Proposal.objects.filter(prefecture=pref, status="draft").first(),
        "evidence": Evidence.objects.filter(proposal__prefecture=pref).first(),
        "activity": Activity.objects.filter(corporation=corporation, state="submitted").first(),
        "case": case,
        "photo": CasePhoto.objects.filter(case=case).first(),
        "location": location,
        "donation": Donation.objects.filter(location=location).first(),
        "item": Item.objects.filter(prefecture=pref).first(),
        "campaign": Campaign.objects.filter(prefecture=pref).order_by("-pk").first(),
        "referral": Referral.objects.filter(
            referring_corporation=corporation, status="requested"
        ).first(),
        "approved_referral": Referral.objects.filter(
            referring_corporation=corporation, status="approved"
        ).first(),
        "support_rule": SupportRule.objects.filter(prefecture=pref).first(),
        "target": Target.objects.filter(plan__prefecture=pref).first(),
        "news": NewsPost.objects.filter(prefecture=pref, published_at=None).first(),
        "newsletter": Newsletter.objects.filter(prefecture=pref, number=99).first(),
    }
