"""Pages of Pillar III: where each municipality stands (map and table, as of any date), the
networks, their members, documents and meetings, outreach visits, import and exports."""

from __future__ import annotations

import datetime
import io
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.accounts.access import center_staff
from sasaeai.accounts.scope import scope_of
from sasaeai.core import uploads
from sasaeai.core.access import authenticated, public
from sasaeai.core.dates import format_wareki
from sasaeai.core.tabular import TableError, stream_csv, write_xlsx
from sasaeai.members.filters import today_in_japan
from sasaeai.regions.maps import colour, prefecture_map
from sasaeai.regions.models import Center, Prefecture

from . import actions, exports, importing, kpis, queries
from .forms import (
    AsOfForm,
    DocumentForm,
    ImportForm,
    LeaveForm,
    MeetingForm,
    MemberForm,
    NetworkForm,
    StatusForm,
    VisitForm,
)
from .models import STATUS_COLOURS, STATUS_ORDER, NetworkDocument, NetworkMeeting, NetworkMember

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {
    "xlsx": (None, XLSX, "xlsx"),
    "csv": ("utf-8-sig", "text/csv; charset=utf-8", "csv"),
    "csv-cp932": ("cp932", "text/csv; charset=Shift_JIS", "csv"),
}
IMPORT_SALT = "sasaeai.networks.import"


def _as_of(request, prefecture: str) -> tuple[datetime.date, list[datetime.date], int, AsOfForm]:
    """The date asked for (typed, or a position on the slider), else today."""
    today = today_in_japan()
    dates = queries.slider_dates(prefecture, today)
    dates[-1] = min(dates[-1], today)
    form = AsOfForm(request.GET or None)
    as_of = today
    if form.is_valid():
        if form.cleaned_data.get("as_of"):
            as_of = form.cleaned_data["as_of"]
        elif form.cleaned_data.get("m") is not None:
            as_of = dates[min(form.cleaned_data["m"], len(dates) - 1)]
    position = next((i for i, d in enumerate(dates) if d >= as_of), len(dates) - 1)
    return as_of, dates, position, form


def _center(prefecture: str) -> Center | None:
    return Center.objects.filter(prefecture_id=prefecture).first()


def status_context(prefecture: str, as_of: datetime.date) -> dict:
    """What the overview, its export and its PDF show for one date."""
    statuses = kpis.municipality_statuses(prefecture=prefecture, as_of=as_of)
    figures = kpis.network_figures(prefecture=prefecture, as_of=as_of, statuses=statuses)
    drawn = prefecture_map(prefecture)
    shapes = colour(
        drawn,
        {s.municipality.code: f"status-{s.status}" for s in statuses},
        colours={s.municipality.code: STATUS_COLOURS[s.status] for s in statuses},
        titles={
            s.municipality.code: s.label
            + (f"（{s.network}）" if s.network else "")
            + (f" {format_wareki(s.since, style='short')}〜" if s.since else "")
            for s in statuses
        },
    )
    return {
        "as_of": as_of,
        "statuses": statuses,
        "figures": figures,
        "target": kpis.network_target(_center(prefecture)),
        "map": drawn,
        "shapes": shapes,
        "legend": [
            (s.value, s.label, figures.by_status.get(s, 0), STATUS_COLOURS[s]) for s in STATUS_ORDER
        ],
        "prefecture": Prefecture.objects.get(code=prefecture),
    }


@public
def overview(request):
    """Where each municipality stands on a date: map with a date slider, counts, table."""
    prefecture = queries.home_prefecture(request.user)
    as_of, dates, position, form = _as_of(request, prefecture)
    context = {
        **status_context(prefecture, as_of),
        "form": form,
        "dates": dates,
        "position": position,
        "can_import": scope_of(request.user).is_center_staff,
    }
    template = "networks/overview.html"
    if request.htmx:
        template += "#status-view"
    return render(request, template, context)


@public
def network_list(request):
    prefecture = queries.home_prefecture(request.user)
    networks = queries.networks_of(prefecture)
    if request.GET.get("q"):
        networks = networks.search(request.GET["q"])
    form = AsOfForm(request.GET or None)
    as_of = form.cleaned_data.get("as_of") if form.is_valid() else None
    if as_of:
        networks = networks.established_on(as_of)
    return render(
        request,
        "networks/network_list.html",
        {
            "networks": networks,
            "form": form,
            "as_of": as_of,
            "q": request.GET.get("q", ""),
            "can_create": scope_of(request.user).is_center_staff,
        },
    )


@public
def network_detail(request, pk: int):
    network = queries.get_network_or_404(pk)
    today = today_in_japan()
    staff = queries.sees_evidence(request.user, network.prefecture_id)
    return render(
        request,
        "networks/network_detail.html",
        {
            "network": network,
            "area": network.area.all(),
            "members": network.members.select_related("corporation").order_by(
                "left_on", "joined_on"
            ),
            "members_today": queries.members_on(network, today).count(),
            "documents": network.documents.all() if staff else [],
            "meetings": network.meetings.all() if staff else [],
            "steps": network.status_entries.select_related("municipality").order_by(
                "effective_on", "municipality_id"
            ),
            "sees_evidence": staff,
            "can_edit": queries.can_edit_network(request.user, network),
            # Three forms on one page: ids of their own, so that each label names its field.
            "member_form": MemberForm(network=network),
            "document_form": DocumentForm(auto_id="document_%s"),
            "meeting_form": MeetingForm(auto_id="meeting_%s"),
        },
    )


def _network_form_page(request, form, *, title, back):
    return render(
        request,
        "networks/form.html",
        {"form": form, "title": title, "back": back, "multipart": False},
    )


def _save_network(request, form, prefecture, network=None):
    data = form.cleaned_data
    try:
        return actions.save_network(
            prefecture=prefecture,
            network=network,
            name=data["name"],
            nickname=data["nickname"],
            area=list(data["area"]),
            secretariat=data["secretariat"],
            established_on=data["established_on"],
            established_note=data["established_note"],
            dissolved_on=data["dissolved_on"],
            contact=data["contact"],
            note=data["note"],
            by=request.user,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None


@center_staff
@require_http_methods(["GET", "POST"])
def network_create(request):
    prefecture = queries.home_prefecture(request.user)
    form = NetworkForm(request.POST or None, prefecture=prefecture)
    if request.method == "POST" and form.is_valid():
        network = _save_network(request, form, prefecture)
        if network:
            messages.success(request, _("The network was registered."))
            return redirect("networks:network-detail", network.pk)
    return _network_form_page(
        request, form, title=_("New municipal network"), back=reverse("networks:network-list")
    )


@authenticated
@require_http_methods(["GET", "POST"])
def network_edit(request, pk: int):
    network = queries.get_editable_network_or_404(request.user, pk)
    form = NetworkForm(request.POST or None, instance=network, prefecture=network.prefecture_id)
    if request.method == "POST" and form.is_valid():
        # The form is only read; the action writes (the instance was changed by validation).
        network.refresh_from_db()
        saved = _save_network(request, form, network.prefecture_id, network)
        if saved:
            messages.success(request, _("The network was saved."))
            return redirect("networks:network-detail", saved.pk)
    return _network_form_page(
        request,
        form,
        title=_("Edit %(network)s") % {"network": network.name},
        back=reverse("networks:network-detail", args=[network.pk]),
    )


def _post_to_network(request, pk, form_class, write, success):
    network = queries.get_editable_network_or_404(request.user, pk)
    kwargs = {"network": network} if form_class is MemberForm else {}
    form = form_class(request.POST, request.FILES, **kwargs)
    if form.is_valid():
        try:
            write(network, form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, success)
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect("networks:network-detail", network.pk)


@authenticated
@require_POST
def member_add(request, pk: int):
    return _post_to_network(
        request,
        pk,
        MemberForm,
        lambda network, data: actions.add_member(
            network=network,
            corporation=data["corporation"],
            joined_on=data["joined_on"],
            by=request.user,
        ),
        _("The corporation was added to the network."),
    )


@authenticated
@require_POST
def member_leave(request, pk: int, member_pk: int):
    network = queries.get_editable_network_or_404(request.user, pk)
    member = get_object_or_404(NetworkMember, pk=member_pk, network=network, left_on=None)
    form = LeaveForm(request.POST)
    if form.is_valid():
        try:
            actions.end_member(member=member, left_on=form.cleaned_data["left_on"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The date of leaving was recorded."))
    else:
        messages.error(request, " ".join(form.errors.get("left_on", [])))
    return redirect("networks:network-detail", network.pk)


@authenticated
@require_POST
def document_add(request, pk: int):
    return _post_to_network(
        request,
        pk,
        DocumentForm,
        lambda network, data: actions.add_document(network=network, by=request.user, **data),
        _("The document was uploaded."),
    )


@authenticated
@require_POST
def meeting_add(request, pk: int):
    return _post_to_network(
        request,
        pk,
        MeetingForm,
        lambda network, data: actions.record_meeting(network=network, by=request.user, **data),
        _("The meeting was recorded."),
    )


def _attachment(field_file, *, user, prefecture: str):
    if not field_file or not queries.sees_evidence(user, prefecture):
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = field_file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


@authenticated
def document_download(request, pk: int):
    document = get_object_or_404(NetworkDocument.objects.select_related("network"), pk=pk)
    return _attachment(document.file, user=request.user, prefecture=document.network.prefecture_id)


@authenticated
def meeting_minutes(request, pk: int):
    meeting = get_object_or_404(NetworkMeeting.objects.select_related("network"), pk=pk)
    return _attachment(meeting.minutes, user=request.user, prefecture=meeting.network.prefecture_id)


# A municipality's history ------------------------------------------------------------------


@public
@require_http_methods(["GET", "POST"])
def municipality_detail(request, code: str):
    prefecture = queries.home_prefecture(request.user)
    municipality = queries.get_local_government_or_404(prefecture, code)
    can_record = queries.can_record_status(request.user, municipality)
    form = StatusForm(request.POST or None, municipality=municipality)
    if request.method == "POST":
        if not can_record:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.record_status(
                    prefecture=prefecture,
                    municipality=municipality,
                    status=data["status"],
                    effective_on=data["effective_on"],
                    source=data["source"],
                    evidence=data["evidence"],
                    network=data["network"],
                    is_correction=data["is_correction"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The status was recorded."))
                return redirect("networks:municipality-detail", municipality.pk)
    return render(
        request,
        "networks/municipality_detail.html",
        {
            "municipality": municipality,
            "history": queries.history_of(municipality),
            "networks": municipality.networks.all(),
            "sees_evidence": queries.sees_evidence(request.user, prefecture),
            "can_record": can_record,
            "form": form,
        },
    )


# Outreach visits -----------------------------------------------------------------------------


@authenticated
def visit_list(request):
    today = today_in_japan()
    return render(
        request,
        "networks/visit_list.html",
        {
            "visits": queries.visible_visits(request.user)[:200],
            "due": queries.follow_ups_due(request.user, until=today + datetime.timedelta(days=30)),
            "today": today,
            "can_create": scope_of(request.user).is_center_staff,
        },
    )


@center_staff
@require_http_methods(["GET", "POST"])
def visit_create(request):
    prefecture = queries.home_prefecture(request.user)
    initial = {"municipality": request.GET.get("municipality"), "staff": [request.user.pk]}
    form = VisitForm(request.POST or None, prefecture=prefecture, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = actions.record_visit(
                prefecture=prefecture,
                visited_on=data["visited_on"],
                staff=data["staff"],
                municipality=data["municipality"],
                network=data["network"],
                people_met=data["people_met"],
                topics=data["topics"],
                advice=data["advice"],
                follow_ups=data["follow_ups"],
                new_status=data["new_status"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The visit was recorded."))
            return redirect("networks:visit-detail", visit.pk)
    return _network_form_page(
        request, form, title=_("Record an outreach visit"), back=reverse("networks:visit-list")
    )


@authenticated
def visit_detail(request, pk: int):
    visit = queries.get_visit_for_user_or_404(request.user, pk)
    return render(
        request,
        "networks/visit_detail.html",
        {"visit": visit, "can_edit": scope_of(request.user).is_center_staff},
    )


@center_staff
@require_POST
def follow_up_done(request, pk: int, follow_up_pk: int):
    visit = queries.get_visit_for_user_or_404(request.user, pk)
    follow_up = get_object_or_404(visit.follow_ups, pk=follow_up_pk)
    actions.complete_follow_up(follow_up=follow_up, done_on=today_in_japan(), by=request.user)
    messages.success(request, _("The step was marked as done."))
    return redirect(request.POST.get("next") or reverse("networks:visit-detail", args=[visit.pk]))


# Import ------------------------------------------------------------------------------------


@center_staff
@require_http_methods(["GET", "POST"])
def import_table(request):
    """Upload → preview with every row error → confirm (the checked file travels signed)."""
    prefecture = queries.home_prefecture(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "plan": None}
    if request.method == "POST" and "token" in request.POST:
        try:
            name, data = uploads.open_upload(
                request.POST["token"], salt=IMPORT_SALT, user=request.user.pk, prefecture=prefecture
            )
        except uploads.PreviewExpired:
            messages.error(request, _("The preview expired. Upload the file again."))
            return redirect("networks:import")
        except uploads.UploadMismatch:
            raise Http404 from None
        try:
            plan = importing.plan_import(data, prefecture=prefecture, filename=name)
            result = importing.apply_import(plan, by=request.user)
        except (TableError, importing.ImportRefused) as error:
            messages.error(request, str(error))
            return redirect("networks:import")
        messages.success(
            request,
            _(
                "Imported: %(created)s new networks, %(updated)s updated, %(statuses)s status "
                "entries; %(unchanged)s rows already recorded."
            )
            % {
                "created": result.networks_created,
                "updated": result.networks_updated,
                "statuses": result.statuses_created,
                "unchanged": result.unchanged,
            },
        )
        return redirect("networks:overview")
    if request.method == "POST" and form.is_valid():
        try:
            context["plan"], context["token"] = uploads.preview(
                form.cleaned_data["file"],
                lambda data, name: importing.plan_import(
                    data, prefecture=prefecture, filename=name
                ),
                salt=IMPORT_SALT,
                user=request.user.pk,
                prefecture=prefecture,
            )
        except (ValidationError, TableError) as error:
            form.add_error("file", uploads.message_of(error))
    return render(request, "networks/import.html", context)


# Exports -----------------------------------------------------------------------------------


def _download(request, headers, rows, *, title: str, stem: str):
    encoding, content_type, extension = FORMATS.get(
        request.GET.get("format", "xlsx"), FORMATS["xlsx"]
    )
    filename = f"{stem}.{extension}"
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    if encoding is None:
        buffer = io.BytesIO()
        write_xlsx(headers, rows, buffer, sheet_title=title)
        response = HttpResponse(buffer.getvalue(), content_type=content_type)
    else:
        response = StreamingHttpResponse(
            stream_csv(headers, rows, encoding=encoding), content_type=content_type
        )
    response["Content-Disposition"] = disposition
    return response


@public
def export_networks(request):
    prefecture = queries.home_prefecture(request.user)
    return _download(
        request,
        importing.NETWORK_HEADERS,
        exports.network_rows(queries.networks_of(prefecture)),
        title="市町村域ネットワーク",
        stem=f"networks-{prefecture}-{today_in_japan():%Y%m%d}",
    )


@public
def export_status(request):
    prefecture = queries.home_prefecture(request.user)
    as_of, *_rest = _as_of(request, prefecture)
    statuses = kpis.municipality_statuses(prefecture=prefecture, as_of=as_of)
    return _download(
        request,
        importing.STATUS_HEADERS,
        exports.status_rows(statuses),
        title="市町村の状況",
        stem=f"network-status-{prefecture}-{as_of:%Y%m%d}",
    )


@public
def report_pdf(request):
    """One page for the board and the prefecture: the map, the counts and the table."""
    from sasaeai.core.pdf import render_pdf

    prefecture = queries.home_prefecture(request.user)
    as_of, *_rest = _as_of(request, prefecture)
    pdf = render_pdf(
        "networks/report_pdf.html",
        {**status_context(prefecture, as_of), "today": today_in_japan()},
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"network-status-{prefecture}-{as_of:%Y%m%d}.pdf"
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response
