"""The programme and registration: the event list and page, a registrant's own page and
certificate, the calendar feeds."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.accounts.scope import scope_of
from sasaeai.accounts.scope import shown_prefecture as _home_prefecture
from sasaeai.core.access import authenticated, public
from sasaeai.core.dates import fiscal_year as fiscal_year_of
from sasaeai.core.ratelimit import rate_limited
from sasaeai.members.models import Corporation, Council
from sasaeai.members.queries import is_member_today
from sasaeai.regions.models import Center

from .. import actions, documents
from ..forms import (
    EvaluationForm,
    PublicRegistrationForm,
    StaffRegistrationForm,
)
from ..models import (
    Audience,
    Certificate,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Session,
)
from .common import _pdf, _visible_event_or_404

# The programme --------------------------------------------------------------------------------


@public
def event_list(request):
    now = timezone.now()
    events = (
        Event.objects.visible_to(request.user)
        .with_counts()
        .prefetch_related(Prefetch("sessions", queryset=Session.objects.order_by("starts_at")))
        .order_by("id")
    )
    fy = request.GET.get("fy")
    if fy and fy.isdigit():
        events = events.filter(fiscal_year=int(fy))
    events = list(events)
    events.sort(key=lambda e: e.starts_at or now)
    upcoming = [e for e in events if e.sessions.all() and e.sessions.all()[0].starts_at >= now]
    past = [e for e in events if e not in upcoming]
    return render(
        request,
        "events/event_list.html",
        {
            "upcoming": upcoming,
            "past": list(reversed(past)),
            "can_create": scope_of(request.user).is_center_staff,
            "fiscal_year": fiscal_year_of(timezone.localdate()),
        },
    )


def _organisations(user, prefecture: str) -> list[tuple[str, str]]:
    """Whom a signed-in person registers for: their corporations and councils; the center's
    staff, any of the prefecture's."""
    scope = scope_of(user)
    corporations = Corporation.objects.filter(closed=None)
    councils = Council.objects.filter(closed=None)
    if scope.is_center_staff:
        corporations = corporations.filter(municipality__prefecture_id=prefecture)
        councils = councils.filter(prefecture_id=prefecture)
    else:
        corporations = corporations.filter(pk__in=scope.corporation_ids)
        councils = councils.filter(municipality_id__in=scope.municipality_codes)
    choices = [(f"council:{c.pk}", c.name) for c in councils.order_by("municipality_id")]
    choices += [(f"corporation:{c.pk}", c.name) for c in corporations.order_by("name_kana")]
    return choices


def _organisation(value: str):
    kind, _sep, pk = value.partition(":")
    if kind == "corporation":
        return {"corporation": Corporation.objects.get(pk=pk)}
    if kind == "council":
        return {"council": Council.objects.get(pk=pk)}
    return {}


@public
@rate_limited("event-registration")
@require_http_methods(["GET", "POST"])
def event_detail(request, pk: int):
    """The event; registration for staff (themselves or colleagues) and, for public events,
    for anyone without an account."""
    event = _visible_event_or_404(request.user, pk)
    scope = scope_of(request.user)
    staff_form = public_form = None
    if scope.is_authenticated and (
        scope.is_center_staff or scope.corporation_ids or scope.municipality_codes
    ):
        staff_form = StaffRegistrationForm(
            request.POST if request.POST.get("form") == "staff" else None,
            organisations=_organisations(request.user, event.prefecture_id),
            initial={"name": request.user.display_name, "email": request.user.email},
        )
    if event.audience == Audience.PUBLIC:
        public_form = PublicRegistrationForm(
            request.POST if request.POST.get("form") == "public" else None,
            # Below the staff form, the same fields need ids of their own for their labels.
            auto_id="public_%s" if staff_form else "id_%s",
        )
    if request.method == "POST":
        form = staff_form if request.POST.get("form") == "staff" else public_form
        if form is None:
            raise Http404
        if form.is_valid():
            registration = _register(request, event, form)
            if registration is not None:
                return redirect("events:registration-manage", registration.token)
    own = []
    if scope.is_authenticated:
        own = Registration.objects.visible_to(request.user).filter(event=event).active()
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "sessions": event.sessions.all(),
            "open": event.registration_open(),
            "staff_form": staff_form,
            "public_form": public_form,
            "own": own,
            "can_manage": Event.objects.managed_by(request.user).filter(pk=event.pk).exists(),
        },
    )


def _register(request, event: Event, form):
    data = form.cleaned_data
    organisation = _organisation(data.get("organisation", ""))
    corporation = organisation.get("corporation")
    try:
        if (
            event.audience == Audience.MEMBERS
            and corporation is not None
            and not is_member_today(corporation)
        ):
            raise ValidationError(
                _("This event is for member corporations; %(name)s is not a member."),
                params={"name": corporation},
            )
        registration = actions.register(
            event=event,
            name=data["name"],
            email=data.get("email") or "",
            affiliation=data.get("affiliation", ""),
            by=request.user,
            **organisation,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None
    if registration.status == RegistrationStatus.CONFIRMED:
        messages.success(request, _("Registered: your seat is confirmed."))
    else:
        messages.warning(
            request, _("The event is full: you are on the waitlist and will be told by mail.")
        )
    return registration


@public
@rate_limited("token-link-miss", methods=("GET", "POST"), misses_only=True)
@require_http_methods(["GET", "POST"])
def registration_manage(request, token: str):
    """The registrant's page, reached by the link in the mail: status, cancellation, the
    check-in QR code, the evaluation after the event and the certificate."""
    registration = get_object_or_404(
        Registration.objects.select_related("event", "corporation", "council"), token=token
    )
    event = registration.event
    sessions = list(event.sessions.order_by("starts_at"))
    started = bool(sessions) and sessions[0].starts_at <= timezone.now()
    evaluation_form = EvaluationForm(
        request.POST if request.POST.get("action") == "evaluate" else None,
        initial=_evaluation_initial(registration),
    )
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            try:
                actions.cancel_registration(registration=registration)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Your registration is cancelled."))
            return redirect("events:registration-manage", token)
        if request.POST.get("action") == "evaluate" and started and evaluation_form.is_valid():
            try:
                actions.submit_evaluation(registration=registration, **evaluation_form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Thank you for your evaluation."))
            return redirect("events:registration-manage", token)
    return render(
        request,
        "events/registration_manage.html",
        {
            "registration": registration,
            "event": event,
            "sessions": sessions,
            "started": started,
            "qr": documents.qr_svg(documents.checkin_url(registration))
            if registration.status == RegistrationStatus.CONFIRMED
            else "",
            "evaluation_form": evaluation_form,
            "certificate": getattr(registration, "certificate", None),
        },
    )


def _evaluation_initial(registration):
    evaluation = getattr(registration, "evaluation", None)
    if evaluation is None:
        return {}
    return {
        "overall": evaluation.overall,
        "usefulness": evaluation.usefulness,
        "comment": evaluation.comment,
    }


@public
@rate_limited("token-link-miss", methods=("GET",), misses_only=True)
def own_certificate(request, token: str):
    certificate = get_object_or_404(
        Certificate.objects.select_related("registration__event"), registration__token=token
    )
    return _pdf(documents.certificates_pdf([certificate]), f"certificate-{certificate.number}.pdf")


@authenticated
@require_POST
def registration_cancel(request, pk: int):
    """Cancel by the organiser (any time) or by the staff of the registrant's organisation."""
    registration = get_object_or_404(
        Registration.objects.visible_to(request.user).select_related("event"), pk=pk
    )
    staff = Event.objects.managed_by(request.user).filter(pk=registration.event_id).exists()
    try:
        actions.cancel_registration(registration=registration, by=request.user, staff=staff)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The registration of %(name)s is cancelled.") % {"name": registration.name}
        )
    target = "events:event-manage" if staff else "events:event-detail"
    return redirect(target, registration.event_id)


@public
def event_ics(request, pk: int):
    event = _visible_event_or_404(request.user, pk)
    response = HttpResponse(documents.event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename=event-{event.pk}.ics"
    return response


@public
def public_feed(request):
    prefecture = _home_prefecture(request.user)
    events = (
        Event.objects.in_prefecture(prefecture)
        .filter(audience=Audience.PUBLIC)
        .exclude(status=EventStatus.DRAFT)
        .prefetch_related("sessions")
    )
    center = Center.objects.filter(prefecture_id=prefecture).first()
    name = f"{center} イベント" if center else "Sasae-ai"
    return HttpResponse(
        documents.public_feed(events, name=name), content_type="text/calendar; charset=utf-8"
    )
