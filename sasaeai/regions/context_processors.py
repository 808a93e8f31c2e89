from django.utils.functional import SimpleLazyObject


def current_center(request) -> dict:
    """The center shown in the page header, looked up only when a template uses it."""
    from .models import Center

    user = getattr(request, "user", None)
    return {"current_center": SimpleLazyObject(lambda: Center.objects.for_user(user))}
