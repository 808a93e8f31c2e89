"""The entry points: check a file (the preview) or import it in one transaction (the commit)."""

from __future__ import annotations

import contextlib
import gc
import os
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from django.db import DatabaseError, IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.core.tabular import (
    DEFAULT_MAX_BYTES,
    HeaderMatch,
    RowError,
    Table,
    match_headers,
    open_table,
    parse_rows,
)
from sasaeai.regions.models import Prefecture

from ..kpis import bump_registry_version
from ..models import Facility, ImportJob
from ..models.imports import ImportStatus
from .rows import IMPORTS, _Import
from .specs import (
    SPECS,
    ImportPreview,
    ImportRefused,
    ImportResult,
    ProgressCallback,
    Source,
)

# Entry points ---------------------------------------------------------------------------------


def _prefecture(code: str) -> Prefecture:
    try:
        return Prefecture.objects.get(code=code)
    except Prefecture.DoesNotExist:
        raise ValueError(f"No prefecture has the code {code!r}.") from None


def _filename(file: Source, filename: str) -> str:
    """The name to show for the file: the one given, else the path's or the stream's own."""
    if filename:
        return filename
    name = file if isinstance(file, str | os.PathLike) else getattr(file, "name", "")
    return Path(name).name if name else ""


def _no_progress(processed: int, total: int) -> None:
    """Progress is not reported."""


def _count_rows(table: Table, file: Source) -> int:
    """The number of data rows, for progress: from the workbook, or the CSV's line breaks (a
    cell with line breaks makes it a little high)."""
    known = table.total_rows()
    if known is not None:
        return known
    if isinstance(file, str | os.PathLike):
        with open(file, "rb") as stream:
            return _count_lines(stream)
    return _count_lines(file)


def _count_lines(stream: BinaryIO) -> int:
    position, lines, last = stream.tell(), 0, b"\n"
    stream.seek(0)
    while chunk := stream.read(1 << 20):
        lines, last = lines + chunk.count(b"\n"), chunk[-1:]
    stream.seek(position)
    return max(0, lines + (last != b"\n") - 1)


def _check(
    kind: str,
    table: Table,
    match: HeaderMatch,
    *,
    prefecture: Prefecture,
    write: bool,
    total: int,
    on_progress: ProgressCallback = _no_progress,
) -> _Import:
    """Read every row of ``table`` through the import of ``kind``, writing when ``write``."""
    importer = IMPORTS[kind](prefecture=prefecture, columns=match.indexes, write=write)
    with _older_objects_frozen(), _lookups_by_index():
        importer.run(parse_rows(table, SPECS[kind], match), total=total, on_progress=on_progress)
    return importer


@contextlib.contextmanager
def _lookups_by_index() -> Iterator[None]:
    """On PostgreSQL, have the chunks' lookups use their indexes, whatever the statistics say.

    A registry table that has just been filled (a new database, or an import that doubles
    it) has no statistics yet: the planner then takes a chunk's hundreds of ids for most of
    the table and reads all of it, for every chunk (18 ms a chunk at 80,000 facilities
    against 0.7 ms by the index; 1.7 s of a national import). Every lookup here has its
    index, so sequential scans are switched off while the rows are read, and JIT with them
    (the switched-off plans' costs would start it). Inside a transaction ``SET LOCAL`` ends
    with it; outside, the settings are reset after the rows.
    """
    connection = connections[router.db_for_read(Facility)]
    if connection.vendor != "postgresql":
        yield
        return
    scope = "LOCAL " if connection.in_atomic_block else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SET {scope}enable_seqscan = off; SET {scope}jit = off")
    try:
        yield
    finally:
        if not scope:
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("RESET enable_seqscan; RESET jit")


@contextlib.contextmanager
def _older_objects_frozen() -> Iterator[None]:
    """Keep the garbage collector to the objects made while rows are read.

    A file's rows make many short-lived objects, and with them full collections that walk
    every object of the process (Django's included; about 0.1 s each). Frozen (``gc.freeze``),
    the objects that existed before are left out of those walks until the rows are done;
    nothing is collected less in the end. Left alone when something else froze objects.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def preview_import(
    kind: str,
    file: Source,
    *,
    prefecture: str,
    mapping: Mapping[str, str] | None = None,
    filename: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: ProgressCallback = _no_progress,
) -> ImportPreview:
    """Check every row of ``file`` and tell what an import would do; write nothing.

    Raise ``TableError`` for a file that cannot be read at all. Missing required columns are
    not an error here: the preview says which ones, for the person to map.
    """
    filename = _filename(file, filename)
    with open_table(file, filename=filename, max_bytes=max_bytes) as table:
        match = match_headers(table.headers, SPECS[kind], mapping=mapping)
        preview = ImportPreview(kind=kind, match=match)
        if preview.needs_mapping:
            return preview
        match.require()
        place, total = _prefecture(prefecture), _count_rows(table, file)
        importer = _check(
            kind, table, match, prefecture=place, write=False, total=total, on_progress=on_progress
        )
    counts = importer.counts
    preview.total, preview.created = counts["total"], counts["created"]
    preview.updated, preview.unchanged = counts["updated"], counts["unchanged"]
    preview.errors = importer.errors
    return preview


def commit_import(
    kind: str,
    file: Source,
    *,
    prefecture: str,
    mapping: Mapping[str, str] | None = None,
    filename: str = "",
    by=None,
    job: ImportJob | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: ProgressCallback = _no_progress,
    check_first: bool = False,
) -> ImportResult:
    """Import every row of ``file`` in one transaction, or none (``ImportRefused``).

    Upserts corporations by 法人番号 and facilities by 法人番号 + 施設名 (or 事業所番号); rows
    equal to the registry are not written. Progress is reported while the rows are checked;
    the writing follows in one transaction. The import is recorded as ``job`` (or a new
    ``ImportJob``), the one audit record of its bulk writes.

    With ``check_first`` every row is checked outside the transaction before the writing
    pass, so that another connection (the web's progress page) sees the progress; without it
    (the command line) rows are checked and written in one pass, rolled back on any error.
    """
    place, filename = _prefecture(prefecture), _filename(file, filename)
    with open_table(file, filename=filename, max_bytes=max_bytes) as table:
        match = match_headers(table.headers, SPECS[kind], mapping=mapping).require()
        total = _count_rows(table, file)
        if check_first:
            checked = _check(
                kind,
                table,
                match,
                prefecture=place,
                write=False,
                total=total,
                on_progress=on_progress,
            )
            if checked.errors:
                raise ImportRefused(checked.errors, total=checked.counts["total"])
            total = checked.counts["total"]
        job = job or ImportJob(
            kind=kind, prefecture=place, original_name=filename or table.name, created_by=by
        )
        counts = _write(
            kind,
            table,
            match,
            job=job,
            total=total,
            on_progress=_no_progress if check_first else on_progress,
        )
    return ImportResult(
        counts["total"], counts["created"], counts["updated"], counts["unchanged"], job
    )


def _write(
    kind: str,
    table: Table,
    match: HeaderMatch,
    *,
    job: ImportJob,
    total: int,
    on_progress: ProgressCallback = _no_progress,
) -> Counter:
    """Check the rows and write them with the job's summary, in one transaction, or refuse
    them all."""
    try:
        with transaction.atomic():
            written = _check(
                kind,
                table,
                match,
                prefecture=job.prefecture,
                write=True,
                total=total,
                on_progress=on_progress,
            )
            if written.errors:
                raise ImportRefused(written.errors, total=written.counts["total"])
            _record(job, counts=written.counts)
    except IntegrityError as error:
        # Rows that collide only once written, e.g. one renamed onto another's name.
        message = _("The rows conflict with the registry: %(error)s") % {"error": error}
        raise ImportRefused([RowError(0, "", "", message)], total=total) from error
    return written.counts


def _record(job: ImportJob, *, counts: Counter) -> None:
    """The one audit record of an import's bulk writes."""
    job.status, job.finished_at = ImportStatus.DONE, timezone.now()
    job.total_rows = job.processed_rows = counts["total"]
    job.created_count, job.updated_count = counts["created"], counts["updated"]
    job.unchanged_count, job.error_count, job.errors = counts["unchanged"], 0, []
    job.save()
    if counts["created"] or counts["updated"]:
        transaction.on_commit(bump_registry_version)  # bulk writes send no signals
