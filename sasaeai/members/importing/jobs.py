"""The web's import: upload and preview, then commit as a background task (``run_import_job``,
in the package's ``__init__`` so that queued tasks keep their name)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.core.tabular import (
    RowError,
)

from ..models import ImportJob
from ..models.imports import MAX_STORED_ERRORS, ImportStatus
from .run import preview_import
from .specs import (
    ImportPreview,
    ProgressCallback,
)

# The web's import: upload and preview, then commit as a background task ------------------------


def errors_as_json(errors: list[RowError]) -> list[dict[str, object]]:
    """The first errors, as stored on a job and shown on its page."""
    return [
        {"row": e.row, "column": e.column, "value": e.value, "message": e.message}
        for e in errors[:MAX_STORED_ERRORS]
    ]


def store_preview(job: ImportJob, preview: ImportPreview) -> ImportJob:
    """Keep a preview's outcome on its job, for the preview page."""
    match = preview.match
    job.headers = [header for header in match.headers if header and header.strip()]
    job.missing_columns = list(match.missing)
    job.ignored_columns = list(match.unknown)
    job.total_rows, job.processed_rows = preview.total, 0
    job.created_count, job.updated_count = preview.created, preview.updated
    job.unchanged_count, job.error_count = preview.unchanged, len(preview.errors)
    job.errors = errors_as_json(preview.errors)
    job.status = ImportStatus.PREVIEWED
    job.save()
    return job


def upload_import(*, kind: str, upload: UploadedFile, prefecture: str, by) -> ImportJob:
    """Check an uploaded file and keep it with its preview; nothing is imported yet.

    Raise ``TableError`` for a file that cannot be read: then nothing is kept either.
    """
    preview = preview_import(kind, upload, prefecture=prefecture, filename=upload.name)
    job = ImportJob(kind=kind, prefecture_id=prefecture, original_name=upload.name, created_by=by)
    upload.seek(0)
    # A name of our own: the person's file name is kept in original_name, for display only.
    job.file.save(f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()[:8]}", upload, save=False)
    return store_preview(job, preview)


def remap_job(*, job: ImportJob, mapping: Mapping[str, str]) -> ImportJob:
    """Say which file columns hold the missing ones, and check the file again."""
    if job.status != ImportStatus.PREVIEWED:
        raise ValidationError(_("This import has already started."))
    job.mapping = {**job.mapping, **mapping}
    return preview_job(job=job)


def preview_job(*, job: ImportJob) -> ImportJob:
    """Check a job's uploaded file again (after a new mapping) and store the preview."""
    with job.file.open("rb") as file:
        preview = preview_import(
            job.kind,
            file,
            prefecture=job.prefecture_id,
            mapping=job.mapping,
            filename=job.original_name,
        )
    return store_preview(job, preview)


def start_job(*, job: ImportJob) -> ImportJob:
    """Queue the commit of a previewed job, once the request's transaction commits."""
    if job.status != ImportStatus.PREVIEWED or job.missing_columns or job.error_count:
        raise ValidationError(_("Only a checked file without errors can be imported."))
    job.status, job.processed_rows = ImportStatus.RUNNING, 0
    job.save(update_fields=["status", "processed_rows"])
    from . import run_import_job  # the task keeps the package's name for queued tasks

    transaction.on_commit(lambda: run_import_job.enqueue(job_id=job.pk))
    return job


def _job_progress(job: ImportJob) -> ProgressCallback:
    def report(processed: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=processed, total_rows=total)

    return report


def _fail(job: ImportJob, *, errors: list[RowError] = (), problem: str = "") -> None:
    job.status, job.finished_at = ImportStatus.FAILED, timezone.now()
    job.error_count, job.errors, job.problem = len(errors), errors_as_json(list(errors)), problem
    job.save(update_fields=["status", "finished_at", "error_count", "errors", "problem"])
