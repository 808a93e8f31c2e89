"""Pages of Pillar IV: the programme, registration (staff and the public), the organiser's
page (registrations, capacity, attendance, certificates, documents), reports and history."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.accounts.access import center_staff
from sasaeai.accounts.scope import scope_of
from sasaeai.accounts.scope import shown_prefecture as _home_prefecture
from sasaeai.core import uploads
from sasaeai.core.access import authenticated, public
from sasaeai.core.audit import record_access
from sasaeai.core.dates import fiscal_year as fiscal_year_of
from sasaeai.core.ratelimit import rate_limited
from sasaeai.core.tabular import TableError
from sasaeai.members.models import Corporation, Council
from sasaeai.members.queries import is_member_today
from sasaeai.regions.models import Center

from . import actions, documents
from .forms import (
    CancelEventForm,
    CapacityForm,
    EvaluationForm,
    EventEditForm,
    EventForm,
    PublicRegistrationForm,
    StaffRegistrationForm,
    UploadForm,
)
from .models import (
    Audience,
    Certificate,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Session,
)

IMPORT_SALT = "sasaeai.events.attendance"


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response


def _visible_event_or_404(user, pk: int) -> Event:
    return get_object_or_404(
        Event.objects.visible_to(user)
        .with_counts()
        .prefetch_related(Prefetch("sessions", queryset=Session.objects.order_by("starts_at"))),
        pk=pk,
    )


def _managed_event_or_404(user, pk: int) -> Event:
    return get_object_or_404(
        Event.objects.managed_by(user)
        .with_counts()
        .prefetch_related(Prefetch("sessions", queryset=Session.objects.order_by("starts_at"))),
        pk=pk,
    )


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


# The organiser --------------------------------------------------------------------------------


@center_staff
@require_http_methods(["GET", "POST"])
def event_create(request):
    prefecture = _home_prefecture(request.user)
    center = Center.objects.filter(prefecture_id=prefecture).first()
    form = EventForm(
        request.POST or None,
        initial={"organiser": str(center or ""), "pillar": "people"},
        prefecture=prefecture,
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = actions.create_event(
                prefecture=prefecture,
                sessions=form.cleaned_data["sessions"],
                by=request.user,
                **form.event_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event was created."))
            return redirect("events:event-manage", event.pk)
    return render(request, "events/form.html", {"form": form, "title": _("New event")})


@center_staff
@require_http_methods(["GET", "POST"])
def event_edit(request, pk: int):
    event = _managed_event_or_404(request.user, pk)
    form = EventEditForm(
        request.POST or None,
        initial=EventEditForm.initial_of(event),
        prefecture=event.prefecture_id,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                actions.update_event(event=event, by=request.user, **form.event_fields())
                for data in form.cleaned_data["sessions"]:
                    actions.add_session(event=event, data=data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event was saved."))
            return redirect("events:event-manage", event.pk)
    title = _("Edit %(title)s") % {"title": event.title}
    return render(request, "events/form.html", {"form": form, "title": title})


@center_staff
def event_manage(request, pk: int):
    event = _managed_event_or_404(request.user, pk)
    record_access(event, actor=request.user, what="registrations")
    registrations = (
        event.registrations.select_related("corporation", "council", "certificate")
        .annotate(attended=Count("attendances"))
        .order_by("status", "created_at", "id")
    )
    evaluations = event.registrations.filter(evaluation__isnull=False).aggregate(
        count=Count("evaluation"),
        overall=Avg("evaluation__overall"),
        usefulness=Avg("evaluation__usefulness"),
    )
    comments = list(
        event.registrations.exclude(evaluation__comment="")
        .filter(evaluation__isnull=False)
        .values_list("evaluation__comment", flat=True)
    )
    sessions = event.sessions.all()
    return render(
        request,
        "events/event_manage.html",
        {
            "event": event,
            "sessions": sessions,
            "registrations": registrations,
            "needed": event.sessions_needed(len(sessions)),
            "completed": {r.pk for r, _n in actions.completed(event)},
            "capacity_form": CapacityForm(initial={"capacity": event.capacity}),
            "cancel_form": CancelEventForm(),
            "evaluations": evaluations,
            "comments": comments,
        },
    )


@center_staff
@require_POST
def event_capacity(request, pk: int):
    event = _managed_event_or_404(request.user, pk)
    form = CapacityForm(request.POST)
    if form.is_valid():
        try:
            actions.change_capacity(
                event=event, capacity=form.cleaned_data["capacity"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The capacity was changed."))
    return redirect("events:event-manage", event.pk)


@center_staff
@require_POST
def event_cancel(request, pk: int):
    event = _managed_event_or_404(request.user, pk)
    form = CancelEventForm(request.POST)
    if form.is_valid():
        actions.cancel_event(event=event, reason=form.cleaned_data["reason"], by=request.user)
        messages.success(request, _("The event is cancelled; the registrants are told by mail."))
    else:
        messages.error(request, _("Give the reason for cancelling."))
    return redirect("events:event-manage", event.pk)


@center_staff
@require_http_methods(["GET", "POST"])
def attendance_list(request, pk: int, session_pk: int):
    """The tablet list: tick who is here."""
    event = _managed_event_or_404(request.user, pk)
    session = get_object_or_404(event.sessions, pk=session_pk)
    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("present") if value.isdigit()]
        try:
            count = actions.set_attendance(session=session, present=ids, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Attendance saved: %(count)s present.") % {"count": count})
        return redirect("events:attendance", event.pk, session.pk)
    present = set(session.attendances.values_list("registration_id", flat=True))
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).select_related(
        "corporation", "council"
    )
    return render(
        request,
        "events/attendance.html",
        {"event": event, "session": session, "confirmed": confirmed, "present": present},
    )


@center_staff
@require_http_methods(["GET", "POST"])
def attendance_import(request, pk: int):
    """Upload an attendance sheet → preview with its errors → confirm."""
    from . import attendance_import as sheet

    event = _managed_event_or_404(request.user, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"event": event, "form": form, "plan": None}
    if request.method == "POST" and "token" in request.POST:
        try:
            name, data = uploads.open_upload(
                request.POST["token"], salt=IMPORT_SALT, user=request.user.pk, event=event.pk
            )
        except uploads.PreviewExpired:
            messages.error(request, _("The preview expired. Upload the file again."))
            return redirect("events:attendance-import", event.pk)
        except uploads.UploadMismatch:
            raise Http404 from None
        try:
            plan = sheet.plan_attendance(data, event=event, filename=name)
            count = sheet.apply_attendance(plan, by=request.user)
        except TableError as error:
            messages.error(request, str(error))
            return redirect("events:attendance-import", event.pk)
        except sheet.AttendanceImportRefused as error:
            for row_error in error.errors:
                messages.error(request, str(row_error))
            return redirect("events:attendance-import", event.pk)
        messages.success(request, _("Attendance imported: %(count)s present.") % {"count": count})
        return redirect("events:event-manage", event.pk)
    if request.method == "POST" and form.is_valid():
        try:
            context["plan"], context["token"] = uploads.preview(
                form.cleaned_data["file"],
                lambda data, name: sheet.plan_attendance(data, event=event, filename=name),
                salt=IMPORT_SALT,
                user=request.user.pk,
                event=event.pk,
            )
        except (ValidationError, TableError) as error:
            form.add_error("file", uploads.message_of(error))
    return render(request, "events/attendance_import.html", context)


@center_staff
@require_http_methods(["GET", "POST"])
def certificates(request, pk: int):
    """POST issues the certificates of those who completed; GET downloads them all as one
    PDF."""
    event = _managed_event_or_404(request.user, pk)
    if request.method == "POST":
        issued = actions.issue_certificates(event=event, by=request.user)
        messages.success(request, _("%(count)s certificates issued.") % {"count": len(issued)})
        return redirect("events:event-manage", event.pk)
    issued = list(
        Certificate.objects.filter(registration__event=event).select_related("registration__event")
    )
    if not issued:
        messages.error(request, _("No certificate has been issued for this event yet."))
        return redirect("events:event-manage", event.pk)
    return _pdf(documents.certificates_pdf(issued), f"certificates-{event.pk}.pdf")


@center_staff
def participants_pdf(request, pk: int):
    event = _managed_event_or_404(request.user, pk)
    record_access(event, actor=request.user, what="participants.pdf")
    return _pdf(documents.participants_pdf(event), f"participants-{event.pk}.pdf")


@center_staff
def name_cards_pdf(request, pk: int):
    event = _managed_event_or_404(request.user, pk)
    record_access(event, actor=request.user, what="name-cards.pdf")
    return _pdf(documents.name_cards_pdf(event), f"name-cards-{event.pk}.pdf")


@center_staff
@require_http_methods(["GET", "POST"])
def checkin(request, token: str):
    """Reached by scanning a registrant's QR code: check them in for a session (today's by
    default)."""
    registration = get_object_or_404(
        Registration.objects.filter(
            event__in=Event.objects.managed_by(request.user)
        ).select_related("event", "corporation", "council"),
        token=token,
    )
    sessions = list(registration.event.sessions.order_by("starts_at"))
    today = timezone.localdate()
    default = next((s for s in sessions if timezone.localdate(s.starts_at) == today), None)
    if request.method == "POST":
        session = get_object_or_404(registration.event.sessions, pk=request.POST.get("session"))
        try:
            _attendance, created = actions.check_in(
                registration=registration, session=session, method="qr", by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if created:
                messages.success(
                    request, _("%(name)s is checked in.") % {"name": registration.name}
                )
            else:
                messages.info(
                    request, _("%(name)s was already checked in.") % {"name": registration.name}
                )
        return redirect("events:checkin", token)
    attended = set(registration.attendances.values_list("session_id", flat=True))
    return render(
        request,
        "events/checkin.html",
        {
            "registration": registration,
            "sessions": sessions,
            "default": default,
            "attended": attended,
        },
    )


# Reports and history -------------------------------------------------------------------------


@center_staff
def reports(request):
    from . import reports as figures

    prefecture = _home_prefecture(request.user)
    fy = request.GET.get("fy")
    fiscal_year = int(fy) if fy and fy.isdigit() else None
    report = figures.training_report(prefecture=prefecture, fiscal_year=fiscal_year)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            figures.report_workbook(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f"attachment; filename=training-report-{prefecture}.xlsx"
        return response
    return render(request, "events/reports.html", {"report": report, "fy": fy or ""})


@authenticated
def history(request):
    """Training history: of the user's organisations (corporation or council staff), or of
    anyone in the prefecture searched by name or organisation (center staff)."""
    registrations = (
        Registration.objects.visible_to(request.user)
        .active()
        .select_related("event", "corporation", "council", "certificate")
        .annotate(attended=Count("attendances"))
        .order_by("-created_at")
    )
    q = request.GET.get("q", "").strip()
    if q:
        registrations = registrations.filter(
            Q(name__icontains=q)
            | Q(affiliation__icontains=q)
            | Q(corporation__name__icontains=q)
            | Q(council__name__icontains=q)
        )
    return render(
        request,
        "events/history.html",
        {"registrations": registrations[:500], "q": q, "reverse": reverse},
    )
