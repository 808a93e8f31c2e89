"""The casebook for the people who write it: corporation staff (their own cases), council
staff (their municipality's, to read), center staff (their prefecture's: edit, consent on
paper, publish)."""

from __future__ import annotations

from functools import wraps
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.accounts.scope import scope_of
from sasaeai.core.access import authenticated
from sasaeai.members.filters import today_in_japan
from sasaeai.members.models import Corporation
from sasaeai.networks.models import MunicipalNetwork

from .. import actions, documents, queries
from ..forms import CaseForm, OnlineConsentForm, PaperConsentForm, PhotoForm, StaffFilterForm
from ..models import ConsentMethod

IMAGE_REFUSALS = ("too_large", "empty", "not_an_image", "too_many_pixels", "wrong_extension")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _not_allowed_is_404(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as denied:
            raise Http404 from denied

    return wrapped


def _filtered(request):
    prefecture = queries.home_prefecture(request.user)
    form = StaffFilterForm(request.GET or None, prefecture=prefecture)
    cases = queries.working_cases(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            cases = cases.filter(status=data["status"])
        if data["theme"]:
            cases = cases.filter(themes=data["theme"])
        if data["municipality"]:
            municipality = data["municipality"]
            cases = cases.filter(
                Q(municipality=municipality) | Q(municipality__parent=municipality)
            )
    return form, cases


@authenticated
def manage_list(request):
    form, cases = _filtered(request)
    scope = scope_of(request.user)
    return render(
        request,
        "casebook/manage_list.html",
        {
            "form": form,
            "cases": cases,
            "can_create": scope.is_center_staff or bool(scope.corporation_ids),
            "query": request.GET.urlencode(),
        },
    )


@authenticated
def manage_export(request):
    """The cases the list shows, as an Excel sheet."""
    _form, cases = _filtered(request)
    response = HttpResponse(documents.staff_workbook(cases), content_type=XLSX)
    filename = f"cases-{today_in_japan():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _owners(user, prefecture: str):
    scope = scope_of(user)
    if queries.manages(user, prefecture):
        corporations = Corporation.objects.filter(municipality__prefecture_id=prefecture)
        networks = MunicipalNetwork.objects.filter(prefecture_id=prefecture)
    else:
        corporations = Corporation.objects.filter(pk__in=scope.corporation_ids)
        networks = MunicipalNetwork.objects.none()
    return corporations.order_by("name"), networks.order_by("name")


def _form_page(request, form, *, title, back, multipart=False):
    return render(
        request,
        "casebook/form.html",
        {"form": form, "title": title, "back": back, "multipart": multipart},
    )


@authenticated
@_not_allowed_is_404
@require_http_methods(["GET", "POST"])
def case_create(request):
    prefecture = queries.home_prefecture(request.user)
    corporations, networks = _owners(request.user, prefecture)
    if not corporations.exists() and not networks.exists():
        raise Http404
    initial = {"fiscal_year": str(today_in_japan().year)}
    if corporations.count() == 1:
        only = corporations.first()
        initial.update(corporation=only.pk, municipality=only.municipality_id)
    form = CaseForm(
        request.POST or None,
        initial=initial,
        prefecture=prefecture,
        corporations=corporations,
        networks=networks,
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = actions.create_case(by=request.user, **form.action_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The draft case was saved."))
            return redirect("casebook:case-manage", case.pk)
    return _form_page(request, form, title=_("New case"), back="casebook:manage-list")


@authenticated
def case_manage(request, pk: int):
    case = queries.get_working_case_or_404(request.user, pk)
    center = actions.is_center_for(request.user, case)
    owner_staff = actions.is_owner_staff(request.user, case)
    return render(
        request,
        "casebook/case_manage.html",
        {
            "case": case,
            "consents": case.consents.select_related("recorded_by", "withdrawn_by"),
            "consent": case.current_consent(),
            "is_center": center,
            "is_owner_staff": owner_staff,
            "may_edit": center or (owner_staff and case.status == "draft"),
            "online_form": OnlineConsentForm() if owner_staff else None,
            "paper_form": PaperConsentForm(initial={"given_on": today_in_japan()})
            if center
            else None,
        },
    )


@authenticated
@_not_allowed_is_404
@require_http_methods(["GET", "POST"])
def case_edit(request, pk: int):
    case = queries.get_working_case_or_404(request.user, pk)
    form = CaseForm(
        request.POST or None,
        initial=CaseForm.initial_of(case),
        prefecture=case.prefecture_id,
        corporations=None,
        networks=None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_case(case=case, by=request.user, **form.action_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The case was saved."))
            return redirect("casebook:case-manage", case.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(case)s") % {"case": case.title},
        back="casebook:manage-list",
    )


def _step(request, pk: int, step, done: str):
    """Run one step of the workflow on a case the user works on; its refusal is shown."""
    case = queries.get_working_case_or_404(request.user, pk)
    try:
        step(case)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("casebook:case-manage", case.pk)


@authenticated
@_not_allowed_is_404
@require_POST
def case_submit(request, pk: int):
    return _step(
        request,
        pk,
        lambda case: actions.submit_case(case=case, by=request.user),
        _("The case was submitted to the center."),
    )


@authenticated
@_not_allowed_is_404
@require_POST
def case_publish(request, pk: int):
    return _step(
        request,
        pk,
        lambda case: actions.publish_case(case=case, by=request.user),
        _("The case is published."),
    )


@authenticated
@_not_allowed_is_404
@require_POST
def case_unpublish(request, pk: int):
    return _step(
        request,
        pk,
        lambda case: actions.unpublish_case(case=case, by=request.user),
        _("The case was withdrawn from the public."),
    )


@authenticated
@_not_allowed_is_404
@require_POST
def consent_record(request, pk: int):
    """An online consent (the corporation's staff) or a paper form (the center's staff)."""
    case = queries.get_working_case_or_404(request.user, pk)
    paper = request.POST.get("method") == ConsentMethod.PAPER
    form = (PaperConsentForm if paper else OnlineConsentForm)(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("casebook:case-manage", case.pk)
    data = form.cleaned_data
    return _step(
        request,
        pk,
        lambda case: actions.record_consent(
            case=case,
            by=request.user,
            method=ConsentMethod.PAPER if paper else ConsentMethod.ONLINE,
            consented_by=data["consented_by"],
            given_on=data["given_on"] if paper else today_in_japan(),
            includes_photos=data["includes_photos"],
            note=data.get("note", ""),
        ),
        _("The consent to publish was recorded."),
    )


@authenticated
@_not_allowed_is_404
@require_POST
def consent_withdraw(request, pk: int):
    return _step(
        request,
        pk,
        lambda case: actions.withdraw_consent(case=case, by=request.user),
        _("The consent was withdrawn; the case is no longer public."),
    )


@authenticated
@_not_allowed_is_404
@require_http_methods(["GET", "POST"])
def photo_add(request, pk: int):
    case = queries.get_working_case_or_404(request.user, pk)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_photo(
                case=case,
                by=request.user,
                upload=data["image"],
                alt_text=data["alt_text"],
                caption=data["caption"],
                order=data["order"] or 0,
            )
        except ValidationError as error:
            form.add_error(
                "image" if error.code in IMAGE_REFUSALS else None,
                error,
            )
        else:
            messages.success(request, _("The photo was added."))
            return redirect("casebook:case-manage", case.pk)
    return _form_page(
        request,
        form,
        title=_("Add a photo to %(case)s") % {"case": case.title},
        back="casebook:manage-list",
        multipart=True,
    )


@authenticated
@_not_allowed_is_404
@require_POST
def photo_remove(request, pk: int, photo_pk: int):
    case = queries.get_working_case_or_404(request.user, pk)
    photo = case.photos.filter(pk=photo_pk).first()
    if photo is None:
        raise Http404
    return _step(
        request,
        pk,
        lambda _case: actions.remove_photo(photo=photo, by=request.user),
        _("The photo was removed."),
    )
