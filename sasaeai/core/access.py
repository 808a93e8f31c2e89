"""Every view says who may open it.

A view is either explicitly public or protected; the permission-matrix test walks every URL
pattern and fails on a view that says neither. Protected views fetch records only through the
owning app's ``visible_to(user)`` / ``get_X_for_user_or_404``, so "not allowed" and "not found"
are the same 404.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required

PUBLIC = "public"
AUTHENTICATED = "authenticated"
CENTER_STAFF = "center_staff"


def public(view: Callable) -> Callable:
    """Mark a view as open to anyone, including anonymous residents."""
    view.sasaeai_access = PUBLIC
    return view


def authenticated(view: Callable) -> Callable:
    """Require a logged-in user; what the user sees is then scoped by the view's queries."""
    wrapped = login_required(view)
    wrapped.sasaeai_access = AUTHENTICATED
    return wrapped


def access_of(callback: Callable) -> str | None:
    """The access level a view declared, looking through DRF's and Django's wrappers."""
    for candidate in (
        callback,
        getattr(callback, "cls", None),
        getattr(callback, "view_class", None),
    ):
        level = getattr(candidate, "sasaeai_access", None)
        if level:
            return level
    return None
