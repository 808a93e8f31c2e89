"""Excel and CSV in and out of the registry.

Imports (center staff): upload → preview (every row error, and a mapping step when required
columns are missing) → commit as a background task → progress, polled with htmx. Exports (anyone
signed in, of what they can see): the filtered list, with the list pages' parameters, as .xlsx
or CSV in UTF-8 with BOM or CP932, with the import's Japanese headers so that it imports back.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.accounts.access import center_staff
from sasaeai.accounts.scope import scope_of
from sasaeai.core.access import authenticated
from sasaeai.core.tabular import DEFAULT_MAX_BYTES, TableError, TableSpec, stream_csv, write_xlsx
from sasaeai.core.uploads import CheckedFileField
from sasaeai.regions.models import Prefecture

from . import importing, queries
from .filters import filter_corporations, filter_facilities, today_in_japan
from .models import ImportJob, ImportKind
from .models.imports import MAX_STORED_ERRORS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# format parameter → (CSV encoding or None for .xlsx, content type, file extension)
FORMATS = {
    "xlsx": (None, XLSX, "xlsx"),
    "csv": ("utf-8-sig", "text/csv; charset=utf-8", "csv"),
    "csv-cp932": ("cp932", "text/csv; charset=Shift_JIS", "csv"),
}
EXPORT_CHUNK = 2000


# Imports ---------------------------------------------------------------------------------------


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file lists"),
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
        initial=ImportKind.CORPORATIONS,
    )
    file = CheckedFileField(
        kind="table",
        max_bytes=DEFAULT_MAX_BYTES,
        label=gettext_lazy("Excel or CSV file"),
        allow_empty_file=True,
    )
    prefecture = forms.ChoiceField(label=gettext_lazy("prefecture"))

    def __init__(self, *args, prefectures: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An Excel workbook (.xlsx) or a CSV file (UTF-8 or Shift_JIS), up to %(limit)d MB. "
            "Import the corporations before their facilities."
        ) % {"limit": DEFAULT_MAX_BYTES // (1024 * 1024)}
        self.fields["prefecture"].choices = prefectures
        if len(prefectures) == 1:
            self.fields["prefecture"].initial = prefectures[0][0]
            self.fields["prefecture"].widget = forms.HiddenInput()


class MappingForm(forms.Form):
    """For each missing required column, the file column that holds it."""

    def __init__(self, *args, job: ImportJob, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        spec = importing.SPECS[job.kind]
        choices = [("", "—"), *((header, header) for header in job.headers)]
        for key in job.missing_columns:
            self.fields[key] = forms.ChoiceField(label=spec.column(key).header, choices=choices)

    def mapping(self) -> dict[str, str]:
        return {header: key for key, header in self.cleaned_data.items()}


def _prefecture_choices(user) -> list[tuple[str, str]]:
    scope = scope_of(user)
    prefectures = Prefecture.objects.filter(center__is_active=True)
    if not scope.sees_everything():
        prefectures = prefectures.filter(code__in=scope.prefecture_codes)
    return [(p.code, p.name) for p in prefectures.order_by("code")]


def _job_or_404(user, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.visible_to(user), pk=pk)


@center_staff
@require_http_methods(["GET", "POST"])
def import_upload(request):
    """Upload a file; it is checked at once and shown as a preview."""
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, prefectures=_prefecture_choices(request.user)
    )
    if form.is_valid():
        try:
            job = importing.upload_import(
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                prefecture=form.cleaned_data["prefecture"],
                by=request.user,
            )
        except TableError as error:
            form.add_error("file", str(error))
        else:
            return redirect("members_io:import-preview", job.pk)
    return render(request, "members/import_upload.html", {"form": form, "columns": _spec_columns()})


def _spec_columns() -> list[tuple[str, list[str]]]:
    """Each import's headers, the required ones marked *."""
    return [
        (ImportKind(kind).label, [c.header + ("*" if c.required else "") for c in spec.columns])
        for kind, spec in importing.SPECS.items()
    ]


@center_staff
@require_http_methods(["GET", "POST"])
def import_preview(request, pk: int):
    """The rows' errors and counts; the mapping step when required columns are missing."""
    job = _job_or_404(request.user, pk)
    if job.status != "previewed":
        return redirect("members_io:import-progress", job.pk)
    form = MappingForm(request.POST or None, job=job)
    if job.missing_columns and form.is_valid():
        try:
            importing.remap_job(job=job, mapping=form.mapping())
        except TableError as error:
            messages.error(request, str(error))
        return redirect("members_io:import-preview", job.pk)
    return render(request, "members/import_preview.html", _job_context(job, form=form))


@center_staff
@require_POST
def import_commit(request, pk: int):
    """Start writing every row (a background task); then show its progress."""
    job = _job_or_404(request.user, pk)
    try:
        importing.start_job(job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("members_io:import-preview", job.pk)
    return redirect("members_io:import-progress", job.pk)


@center_staff
def import_progress(request, pk: int):
    """The import's progress; htmx asks again every second until it is done."""
    job = _job_or_404(request.user, pk)
    template = "members/import_progress.html"
    if request.htmx:
        template += "#progress"
    return render(request, template, _job_context(job))


def _job_context(job: ImportJob, **extra) -> dict:
    return {
        "job": job,
        "spec": importing.SPECS[job.kind],
        "errors_cut": job.error_count > len(job.errors),
        "max_errors": MAX_STORED_ERRORS,
        **extra,
    }


# Exports ---------------------------------------------------------------------------------------


def _corporation_rows(corporations: QuerySet) -> Iterator[list[object]]:
    for c in corporations.iterator(chunk_size=EXPORT_CHUNK):
        yield [
            c.corporate_number, c.name, c.name_kana, c.representative, c.postal_code, c.address,
            c.phone, str(c.municipality), c.sector_group.name if c.sector_group else None,
            c.founded, c.closed,
        ]  # fmt: skip


def _facility_rows(facilities: QuerySet) -> Iterator[list[object]]:
    for f in facilities.iterator(chunk_size=EXPORT_CHUNK):
        yield [
            f.corporation.corporate_number, f.name, f.name_kana, f.kind.name if f.kind else None,
            str(f.municipality), f.postal_code, f.address, f.capacity, f.opened, f.closed,
            f.office_number,
        ]  # fmt: skip


def content_disposition(ascii_name: str, japanese_name: str) -> str:
    """An attachment with an ASCII name for old clients and a Japanese one (RFC 5987/6266)."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(japanese_name)}"


ExportRows = Callable[[QuerySet], Iterator[list[object]]]


def _export(request, *, queryset, filter_function, spec: TableSpec, rows: ExportRows, names: tuple):
    """The filtered list as .xlsx or CSV; bad parameters are a 400 naming them."""
    chosen = FORMATS.get(request.GET.get("format") or "xlsx")
    if chosen is None:
        return HttpResponseBadRequest(_("format must be xlsx, csv or csv-cp932."))
    try:
        filtered = filter_function(queryset, request.GET)
    except ValidationError as error:
        lines = (f"{name}: {' '.join(m)}" for name, m in error.message_dict.items())
        return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")
    encoding, content_type, extension = chosen
    today = today_in_japan().isoformat()
    disposition = content_disposition(
        f"{names[0]}-{today}.{extension}", f"{names[1]}-{today}.{extension}"
    )
    if encoding is None:
        response = _xlsx_response(spec, rows(filtered), content_type)
    else:
        body = stream_csv(spec, rows(filtered), encoding=encoding)
        response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = disposition
    return response


def _xlsx_response(spec: TableSpec, rows: Iterator, content_type: str) -> FileResponse:
    """Written to a temporary file (removed when the response closes it), then sent."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_xlsx(spec, rows, target)
    target.seek(0)
    return FileResponse(target, content_type=content_type)


@authenticated
def corporation_export(request):
    """The corporations the user can see, filtered like the list page."""
    return _export(
        request,
        queryset=queries.visible_corporations(request.user),
        filter_function=filter_corporations,
        spec=importing.CORPORATION_SPEC,
        rows=_corporation_rows,
        names=("corporations", _("corporation list")),
    )


@authenticated
def facility_export(request):
    """The facilities the user can see, filtered like the list page."""
    return _export(
        request,
        queryset=queries.visible_facilities(request.user),
        filter_function=filter_facilities,
        spec=importing.FACILITY_SPEC,
        rows=_facility_rows,
        names=("facilities", _("facility list")),
    )
