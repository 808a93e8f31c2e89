"""Access levels that need a user's roles (the markers themselves live in ``core.access``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest

from sasaeai.core.access import CENTER_STAFF

from .scope import scope_of


def center_staff(view: Callable) -> Callable:
    """Require a logged-in member of a center's staff (or a superuser); others get a 404."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs):
        if not scope_of(request.user).is_center_staff:
            raise Http404
        return view(request, *args, **kwargs)

    wrapped = login_required(guarded)
    wrapped.sasaeai_access = CENTER_STAFF
    return wrapped
