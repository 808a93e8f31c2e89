from django.utils.functional import SimpleLazyObject

from sasaeai.regions.models import Center

from .scope import scope_of


def current_center(request) -> dict:
    """The center shown in the page header (the user's own, else the deployment's default),
    looked up only when a template uses it."""
    user = getattr(request, "user", None)
    return {
        "current_center": SimpleLazyObject(
            lambda: Center.objects.for_display(center_ids=scope_of(user).center_ids)
        ),
        "user_scope": SimpleLazyObject(lambda: scope_of(user)),
    }
