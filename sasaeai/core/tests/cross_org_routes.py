"""Which record of the world each parameterised route opens: route name -> ``Walk``.

``Walk(kind, kwargs)``: ``kind`` names a record of ``sasaeai.testing.world`` and ``kwargs``
turns that record into the route's URL arguments. Kinds in ``PREFECTURE_KINDS`` belong to a
center (one record per prefecture); the others to a corporation or a municipality (one per
side: 津山市 / the own corporation, 倉敷市 / the outsider's, Tottori).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Walk:
    kind: str
    kwargs: Callable = lambda record: {"pk": record.pk}
    # Who must be able to open the owner's record (the positive control): persona keys for
    # the Okayama side and for the Tottori side.
    # None where no persona opens it (the API's proposals are the published ones only).
    owners: tuple[str, str] | None = ("center", "tottori")
    # Personas who see such records everywhere in their own prefecture, by design.
    shared_with: frozenset[str] = frozenset()
    # Query strings of the route's exports, walked as well.
    exports: tuple[str, ...] = ()
    # False where the owner's answer takes seconds (a PDF of every invitation or participant):
    # the same kind and arguments are controlled on the route's sibling pages.
    control: bool = True


def pk(kind: str, **options) -> Walk:
    return Walk(kind, **options)


def child(kind: str, name: str, parent: str, **options) -> Walk:
    """A nested route: the parent's pk and the record's own pk as ``name``."""
    return Walk(kind, lambda r: {"pk": getattr(r, parent), name: r.pk}, **options)


def api(kind: str, **options) -> Walk:
    return Walk(kind, lambda r: {"pk": r.pk}, **options)


PREFECTURE_KINDS = frozenset(
    {
        "import_job",
        "event",
        "session",
        "survey",
        "round",
        "theme",
        "model_project",
        "site",
        "project_document",
        "leading_project",
        "leading_year",
        "committee",
        "grant_program",
        "grant_call",
        "proposal",
        "draft_proposal",
        "evidence",
        "item",
        "campaign",
        "support_rule",
        "target",
        "news",
        "newsletter",
    }
)

CORP = ("corp_staff", "tottori_corp")  # routes only the corporation's own staff may open
# Staff of a prefecture see its stockyards and drop-off points, to refer a household to the
# right place (stockyard.queries); writes to a location are its keepers'.
PREFECTURE_STAFF = frozenset({"center", "council", "corp_staff", "outsider", "tottori"})
# Network documents and minutes: center staff of the prefecture and council staff in it
# (networks.queries.sees_evidence).
COUNCILS = frozenset({"council"})

ROUTES: dict[str, Walk] = {
    # members
    "members:corporation-detail": pk("corporation"),
    "members:corporation-edit": pk("corporation"),
    "members:corporation-close": pk("corporation"),
    "members:corporation-membership": pk("corporation"),
    "members:corporation-apply": pk("corporation", owners=CORP),
    "members:facility-create": pk("corporation"),
    "members:facility-detail": pk("facility"),
    "members:facility-edit": pk("facility"),
    "members:facility-close": pk("facility"),
    "members:membership-void": pk("membership"),
    "members:council-edit": pk("council"),
    "members:council-membership": pk("council"),
    "members:application-decide": pk("membership_application"),
    "members_io:import-preview": pk("import_job"),
    "members_io:import-commit": pk("import_job"),
    "members_io:import-progress": pk("import_job"),
    "api:corporation-detail": api("corporation"),
    "api:facility-detail": api("facility"),
    "api:council-detail": api("council"),
    "api:membership-detail": api("membership"),
    # networks
    "networks:network-edit": pk("network"),
    "networks:member-add": pk("network"),
    "networks:member-leave": child("network_member", "member_pk", "network_id"),
    "networks:document-add": pk("network"),
    "networks:meeting-add": pk("network"),
    "networks:document-download": pk("network_document", shared_with=COUNCILS),
    "networks:meeting-minutes": pk("network_meeting", shared_with=COUNCILS),
    "networks:visit-detail": pk("visit"),
    "networks:follow-up-done": child("follow_up", "follow_up_pk", "visit_id"),
    # events
    "events:event-manage": pk("event"),
    "events:event-edit": pk("event"),
    "events:event-capacity": pk("event"),
    "events:event-cancel": pk("event"),
    "events:attendance": child("session", "session_pk", "event_id"),
    "events:attendance-import": pk("event"),
    "events:certificates": pk("event", control=False),
    "events:participants-pdf": pk("event"),
    "events:name-cards-pdf": pk("event", control=False),
    "events:registration-cancel": pk("registration"),
    "events:checkin": Walk(
        "registration", lambda r: {"token": r.token}, owners=("center", "tottori")
    ),
    "api:registration-detail": api("registration"),
    # surveys
    "surveys:survey-detail": pk("survey"),
    "surveys:survey-json": pk("survey"),
    "surveys:survey-edit": pk("survey"),
    "surveys:survey-copy": pk("survey"),
    "surveys:round-create": pk("survey"),
    "surveys:round-detail": pk("round"),
    "surveys:round-close": pk("round"),
    "surveys:round-remind": pk("round"),
    "surveys:round-letters": pk("round", control=False),
    "surveys:round-results": pk("round", exports=("?format=xlsx", "?format=pdf")),
    "surveys:round-answers": pk("round", exports=("?format=xlsx", "?format=csv")),
    "api:survey-definition": api("survey"),
    # projects
    "projects:theme-edit": pk("theme"),
    "projects:project-edit": pk("model_project"),
    "projects:project-status": pk("model_project"),
    "projects:site-designate": pk("model_project"),
    "projects:site-end": child("site", "site_pk", "project_id"),
    "projects:report-add": pk("model_project"),
    "projects:document-add": pk("model_project"),
    "projects:document-download": pk("project_document"),  # public once published
    "projects:leading-edit": pk("leading_project"),
    "projects:partner-add": pk("leading_project"),
    "projects:leading-year-add": pk("leading_project"),
    "projects:leading-year-edit": child("leading_year", "year_pk", "project_id"),
    "projects:committee-edit": pk("committee"),
    "projects:committee-member-add": pk("committee"),
    "projects:meeting-add": pk("committee"),
    "projects:finding-add": pk("committee"),
    # grants
    "grants:apply": pk("grant_call", owners=CORP),
    "grants:application-detail": pk("grant_application"),
    "grants:application-edit": pk("grant_application", owners=CORP),
    "grants:application-submit": pk("grant_application", owners=CORP),
    "grants:application-withdraw": pk("grant_application", owners=CORP),
    "grants:attachment-add": pk("grant_application", owners=CORP),
    "grants:attachment-download": pk("grant_attachment"),
    "grants:decision-letter": pk("awarded_application"),
    "grants:report-submit": Walk(
        "grant_report", lambda r: {"pk": r.decision.application_id, "report_pk": r.pk}
    ),
    "grants:amendment-request": pk("awarded_application", owners=CORP),
    "grants:review": pk("awarded_application"),
    "grants:program-edit": pk("grant_program"),
    "grants:program-budget": pk("grant_program"),
    "grants:call-manage": pk("grant_call"),
    "grants:reviewer-add": pk("grant_call"),
    "grants:decide": pk("grant_application"),
    "grants:payment-add": pk("awarded_application"),
    "grants:report-add": pk("awarded_application"),
    "grants:grant-close": pk("awarded_application"),
    "grants:refund-returned": pk("refund"),
    "grants:amendment-approve": pk("amendment"),
    "grants:amendment-refuse": pk("amendment"),
    "api:grant-application-detail": api("grant_application"),
    "api:grant-application-decide": api("grant_application"),
    # proposals
    "proposals:detail": pk("draft_proposal"),  # public once published
    "proposals:edit": pk("draft_proposal"),
    "proposals:evidence-add": pk("proposal"),
    "proposals:evidence-remove": child("evidence", "evidence_pk", "proposal_id"),
    "proposals:submit": pk("draft_proposal"),
    "proposals:answer": pk("proposal"),
    "proposals:publish": pk("proposal"),
    "proposals:unpublish": pk("proposal"),
    "api:proposal-detail": api("draft_proposal", owners=None),  # published ones only
    # activities (the record is submitted, not yet published)
    "activities:detail": pk("activity"),
    "activities:edit": pk("activity"),
    "activities:submit": pk("activity"),
    "activities:publish": pk("activity"),
    "activities:send-back": pk("activity"),
    "activities:withdraw": pk("activity"),
    # casebook (the record is a draft)
    "casebook:case-detail": pk("case"),
    "casebook:photo": child("photo", "photo_pk", "case_id"),
    "casebook:case-manage": pk("case"),
    "casebook:case-edit": pk("case"),
    "casebook:case-submit": pk("case"),
    "casebook:consent-record": pk("case"),
    "casebook:consent-withdraw": pk("case"),
    "casebook:case-publish": pk("case"),
    "casebook:case-unpublish": pk("case"),
    "casebook:photo-add": pk("case"),
    "casebook:photo-remove": child("photo", "photo_pk", "case_id"),
    # stockyard
    "stockyard:location": pk("location", shared_with=PREFECTURE_STAFF),
    "stockyard:location-edit": pk("location"),
    "stockyard:location-minimums": pk("location"),
    "stockyard:donation-new": pk("location"),
    "stockyard:transfer": pk("location"),
    "stockyard:write-off": pk("location"),
    "stockyard:write-off-expired": pk("location"),
    "stockyard:stocktake": pk("location"),
    "stockyard:donation": pk("donation"),
    "stockyard:donation-receipt": pk("donation"),
    "stockyard:item-edit": pk("item"),
    "stockyard:campaign": pk("campaign"),
    "stockyard:referral": pk("referral"),
    "stockyard:referral-note": pk("approved_referral"),
    "stockyard:referral-approve": pk("referral"),
    "stockyard:referral-hand-over": pk("referral"),
    "stockyard:referral-decline": pk("referral"),
    "stockyard:referral-cancel": pk("referral"),
    "stockyard:rule-edit": pk("support_rule"),
    "api:stockyard-location-detail": api("location", shared_with=PREFECTURE_STAFF),
    "api:stockyard-item-detail": api("item"),
    "api:stockyard-referral-detail": api("referral"),
    "api:stockyard-referral-approve": api("referral"),
    "api:stockyard-referral-cancel": api("referral"),
    "api:stockyard-referral-decline": api("referral"),
    "api:stockyard-referral-hand-over": api("referral"),
    # plan
    "plan:target": pk("target"),
    "plan:target-edit": pk("target"),
    # publishing (the records are drafts)
    "publishing:news-detail": pk("news"),
    "publishing:news-attachment": pk("news"),
    "publishing:news-edit": pk("news"),
    "publishing:news-publish": pk("news"),
    "publishing:news-unpublish": pk("news"),
    "publishing:newsletter-detail": pk("newsletter"),
    "publishing:newsletter-pdf": pk("newsletter"),
    "publishing:newsletter-edit": pk("newsletter"),
    "publishing:newsletter-send": pk("newsletter"),
}

# Parameterised routes that anyone may open with any value, by design.
PUBLIC_BY_DESIGN = {
    # Published pages: a network, an event, a model or leading project, a committee, a grant
    # call or program, a theme, a municipality's page are public information of any center.
    "networks:network-detail",
    "networks:municipality-detail",
    "activities:municipality",
    "events:event-detail",
    "events:event-ics",
    "projects:project-detail",
    "projects:leading-detail",
    "projects:committee-detail",
    "grants:call-detail",
    "core:pillar-detail",
    "casebook:casebook-pdf",  # the published cases of one year
    "api:prefecture-detail",
    "api:municipality-detail",
    "api:network-detail",
    "api:event-detail",
    "api:event-registrations",  # counts only, of a public event
    "api:theme-detail",
    "api:model-project-detail",
    "api:grant-program-detail",
    "api:grant-call-detail",
    "api:stockyard-drop-off-detail",
    # Secret links: the token in the URL is the permission (a registrant's, an invitee's,
    # a subscriber's), sent to that person only.
    "events:registration-manage",
    "events:own-certificate",
    "surveys:answer",
    "publishing:subscription-confirm",
    "publishing:unsubscribe",
}

# Parameterised routes whose parameter names no record: the page is the user's own
# prefecture's, for any year.
NOT_AN_ID = {
    "plan:business-report",
    "plan:business-report-pdf",
    "plan:business-report-xlsx",
}
