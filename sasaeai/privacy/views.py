"""Center staff's pages on personal data: the register, disclosure (開示) and erasure."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sasaeai.accounts.access import center_staff
from sasaeai.accounts.scope import shown_prefecture
from sasaeai.core import privacy as register_
from sasaeai.regions.models import Center

from . import actions
from .finding import as_json, as_xlsx, find, where
from .forms import CarriedPersonForm, ErasureForm, PersonForm
from .models import DataRequest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _settings(prefecture: str) -> dict:
    center = Center.objects.filter(prefecture_id=prefecture).first()
    return (center.settings or {}) if center else {}


@center_staff
def register(request):
    prefecture = shown_prefecture(request.user)
    settings = _settings(prefecture)
    rows = [(where(h), h, h.retention_text(settings)) for h in register_.holdings()]
    return render(
        request,
        "privacy/register.html",
        {
            "rows": rows,
            "not_personal": sorted(register_.declared_not_personal().items()),
            "requests": DataRequest.objects.filter(prefecture_id=prefecture).select_related(
                "handled_by"
            )[:20],
        },
    )


def _search(request):
    """The person of the posted form and what the user's prefecture holds about them."""
    form = PersonForm(request.POST or None)
    if not request.POST or not form.is_valid():
        return form, None, None
    prefecture = shown_prefecture(request.user)
    return form, prefecture, find(form.person(), prefecture)


@center_staff
def request_search(request):
    """Which records hold data about a person: where and how many, not the values (those are
    in the export, which is recorded)."""
    form, _prefecture, found = _search(request)
    carried = CarriedPersonForm(request.POST, auto_id=False) if found else None
    return render(
        request, "privacy/request_search.html", {"form": form, "found": found, "carried": carried}
    )


@center_staff
@require_POST
def request_export(request, fmt: str):
    form, prefecture, found = _search(request)
    if found is None:
        return render(request, "privacy/request_search.html", {"form": form, "found": None})
    actions.record_disclosure(
        person=form.person(),
        prefecture=prefecture,
        by=request.user,
        channel=form.cleaned_data["channel"],
        found=found,
    )
    settings = _settings(prefecture)
    if fmt == "xlsx":
        response = HttpResponse(as_xlsx(found, settings), content_type=XLSX)
    else:
        body = as_json(found, prefecture=prefecture, settings=settings)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="disclosure-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@center_staff
@require_POST
def request_erase(request):
    """First the list of what will be erased and the confirmation; then, ticked, the erasure."""
    form, prefecture, found = _search(request)
    if found is None:
        return render(request, "privacy/request_search.html", {"form": form, "found": None})
    confirming = request.POST.get("step") == "confirm"
    erasure = ErasureForm(request.POST if confirming else None, initial=form.cleaned_data)
    if confirming and erasure.is_valid():
        done = actions.erase_person(
            person=form.person(),
            prefecture=prefecture,
            by=request.user,
            channel=erasure.cleaned_data["channel"],
            received_on=erasure.cleaned_data["received_on"],
        )
        messages.success(
            request,
            _("%(count)s records were anonymised (request no. %(number)s).")
            % {"count": done.records, "number": done.pk},
        )
        return redirect("privacy:register")
    return render(request, "privacy/request_erase.html", {"found": found, "erasure": erasure})
