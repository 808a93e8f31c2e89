"""Public pages: the programs of the prefecture and their calls."""

from __future__ import annotations

from sasaeai.accounts.scope import scope_of
from sasaeai.core.access import public

from .. import queries
from .common import _page, _today


@public
def home(request):
    """The programs of the prefecture with their rules, and the calls open or coming."""
    prefecture = queries.home_prefecture(request.user)
    today = _today()
    calls = list(queries.open_and_coming_calls(prefecture))
    past = queries.public_calls(prefecture).filter(closes_on__lt=today).order_by("-closes_on")[:10]
    return _page(
        request,
        "grants/home.html",
        {
            "programs": queries.labelled(queries.programs_of(prefecture)),
            "open_calls": [c for c in calls if c.opens_on <= today],
            "coming_calls": [c for c in calls if c.opens_on > today],
            "past_calls": past,
            "is_staff": scope_of(request.user).is_center_staff,
        },
    )


@public
def call_detail(request, pk: int):
    call = queries.get_call_or_404(request.user, pk)
    applicants = queries.applicants_for(request.user, call) if request.user.is_authenticated else []
    own = []
    if applicants and not scope_of(request.user).is_center_staff:
        own = list(queries.applications_visible_to(request.user).filter(call=call))
    return _page(
        request,
        "grants/call_detail.html",
        {
            "call": call,
            "program": queries.labelled([call.program])[0],
            "themes": call.themes.all(),
            "is_open": call.is_open_on(_today()),
            "can_apply": bool(applicants),
            "own": own,
            "can_manage": queries.manages_call(request.user, call),
        },
    )
