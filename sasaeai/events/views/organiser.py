"""The organiser's pages: create and edit, registrations and capacity, attendance, certificates,
the participant list and name cards, check-in."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.accounts.access import center_staff
from sasaeai.accounts.scope import shown_prefecture as _home_prefecture
from sasaeai.core import uploads
from sasaeai.core.audit import record_access
from sasaeai.core.tabular import TableError
from sasaeai.regions.models import Center

from .. import actions, documents
from ..forms import (
    CancelEventForm,
    CapacityForm,
    EventEditForm,
    EventForm,
    UploadForm,
)
from ..models import (
    Certificate,
    Event,
    Registration,
    RegistrationStatus,
)
from .common import IMPORT_SALT, _managed_event_or_404, _pdf

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
    from .. import attendance_import as sheet

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
