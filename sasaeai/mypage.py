"""マイページ: a signed-in user's start page, reading several apps (hence above them)."""

from django.shortcuts import render
from django.utils import timezone

from sasaeai.accounts.scope import scope_of
from sasaeai.core.access import authenticated
from sasaeai.members.queries import visible_corporations
from sasaeai.stockyard.queries import locations_for


@authenticated
def mypage(request):
    """Who the user is, their roles, and what their scope lets them reach."""
    roles = request.user.roles.select_related("center", "municipality__parent", "corporation")
    context = {
        "roles": roles,
        "scope": scope_of(request.user),
        "corporation_count": visible_corporations(request.user).count(),
        "stockyard_locations": locations_for(request.user).count(),
        "today": timezone.localdate(),
    }
    return render(request, "mypage.html", context)
