"""Uploaded PDFs are checked by their content and size, never by their name.

Uses the lead's ``sasaeai.core.filecheck.check_pdf`` when it is there; until then the same
check here: the ``%PDF-`` header, then a full parse by pypdf (a file that only starts like a
PDF is refused too).
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_PDF_BYTES = 20 * 1024 * 1024


def _check_pdf(upload, *, max_bytes: int) -> None:
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(5)
    if head != b"%PDF-":
        upload.seek(0)
        raise ValidationError(_("The file is not a PDF."), code="not_pdf")
    upload.seek(0)
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        pages = len(PdfReader(io.BytesIO(upload.read())).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise ValidationError(_("The file is not a readable PDF."), code="not_pdf") from error
    finally:
        upload.seek(0)
    if pages == 0:
        raise ValidationError(_("The PDF has no pages."), code="not_pdf")


try:  # the lead's shared check, once it is on main
    from sasaeai.core.filecheck import check_pdf as _shared_check_pdf
except ImportError:  # pragma: no cover - depends on the branch
    _shared_check_pdf = None


def check_pdf(upload, *, max_bytes: int = MAX_PDF_BYTES) -> None:
    """Raise ``ValidationError`` unless ``upload`` is a PDF of at most ``max_bytes``."""
    (_shared_check_pdf or _check_pdf)(upload, max_bytes=max_bytes)
