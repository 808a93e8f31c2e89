"""Uploaded PDFs are checked by their content and size, never by their name, with the
project's one check (``core.filecheck``)."""

from __future__ import annotations

from sasaeai.core.filecheck import check_pdf as _check_pdf

MAX_PDF_BYTES = 20 * 1024 * 1024


def check_pdf(upload, *, max_bytes: int = MAX_PDF_BYTES) -> int:
    """The PDF's pages, or ``ValidationError`` unless ``upload`` is a PDF of at most
    ``max_bytes`` (news attachments and newsletter issues)."""
    return _check_pdf(upload, max_bytes=max_bytes)
