"""Import of the registry (corporations, then facilities) from the Excel and CSV files staff use.

``preview_import`` checks every row and writes nothing. ``commit_import`` checks every row
again, then writes all of them in one transaction, or none: it refuses the file with its row
errors. Rows are read lazily and handled in chunks of ``CHUNK`` rows (one query for the
existing records of a chunk, bulk writes in batches), so a 100,000-row file neither loads into
memory at once nor costs a query per row. Checking runs outside the transaction, so that the
database is locked only for the writing (SQLite locks the whole file for a write).

New records are written with ``sasaeai.core.db.bulk.insert_rows`` (one prepared INSERT over
plain tuples; building a model instance and compiling SQL per row cost more than everything
else together); changed ones with ``bulk_update``. Audit: bulk writes bypass ``save()`` and
django-auditlog. Names are normalised and search keys
computed here with the same ``sasaeai.core.text`` functions that ``save()`` uses, and each
import is recorded once, as an ``ImportJob`` (who, which file, which prefecture, when, how many
rows created, updated and unchanged), instead of one audit entry per row.

The package: ``specs`` (the columns and what an import tells), ``lookups`` (municipalities and
the editable lists, read once), ``rows`` (the import of one kind, chunk by chunk), ``run`` (the
preview and the commit), ``jobs`` (the web's upload, mapping and start); the background task
``run_import_job`` is here, under the name queued tasks were given.
"""

from __future__ import annotations

from django_tasks import task

from sasaeai.core.tabular import TableError

from ..models import ImportJob
from ..models.imports import ImportStatus
from .jobs import (
    _fail,
    _job_progress,
    errors_as_json,
    preview_job,
    remap_job,
    start_job,
    store_preview,
    upload_import,
)
from .run import commit_import, preview_import
from .specs import (
    CORPORATION_SPEC,
    FACILITY_SPEC,
    SPECS,
    ImportPreview,
    ImportRefused,
    ImportResult,
)

__all__ = [
    "CORPORATION_SPEC",
    "FACILITY_SPEC",
    "SPECS",
    "ImportPreview",
    "ImportRefused",
    "ImportResult",
    "commit_import",
    "errors_as_json",
    "preview_import",
    "preview_job",
    "remap_job",
    "run_import_job",
    "start_job",
    "store_preview",
    "upload_import",
]


@task()
def run_import_job(job_id: int) -> None:
    """Commit an uploaded import (run by ``sasaeai worker``; at once in tests and the demo)."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportStatus.RUNNING:
        return  # run again after its worker was killed, but it had committed (or failed) already
    try:
        with job.file.open("rb") as file:
            commit_import(
                job.kind,
                file,
                prefecture=job.prefecture_id,
                mapping=job.mapping,
                filename=job.original_name,
                by=job.created_by,
                job=job,
                on_progress=_job_progress(job),
                check_first=True,
            )
    except ImportRefused as refusal:
        _fail(job, errors=refusal.errors)
    except TableError as error:
        _fail(job, problem=str(error))
    except (OSError, ValueError) as error:
        _fail(job, problem=str(error))
        raise
