"""What every page needs: the pillars of the plan for the navigation."""

from django.http import HttpRequest

from sasaeai.core.pillars import PILLARS


def site(request: HttpRequest) -> dict:
    return {"pillars": PILLARS}
