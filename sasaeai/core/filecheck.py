"""Uploaded files are what they claim to be, by their content, and not too large.

A photo must open as a JPEG, PNG or WebP image (Pillow reads and verifies it; a file whose name
says ``.jpg`` but holds text or a PDF is refused, and so is an image of more pixels than
``MAX_PIXELS``, a decompression bomb); a PDF must start with ``%PDF-`` and open with pypdf with
at least one page. The name's extension must agree with what the content is. Each check reads
the upload and rewinds it, so the caller can save it afterwards.
"""

from __future__ import annotations

import io
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

__all__ = ["IMAGE_FORMATS", "MAX_PIXELS", "check_image", "check_pdf"]

MAX_PIXELS = 40_000_000
# Pillow's format name → the extensions a file of that format may carry.
IMAGE_FORMATS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "WEBP": {".webp"}}

TOO_LARGE = _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
EMPTY = _("“%(name)s” is empty.")
NOT_AN_IMAGE = _("“%(name)s” is not a JPEG, PNG or WebP image.")
TOO_MANY_PIXELS = _("“%(name)s” has too many pixels (at most %(limit)s million).")
WRONG_EXTENSION = _("“%(name)s” holds a %(format)s file; its name must end in %(extensions)s.")
NOT_A_PDF = _("“%(name)s” is not a PDF file.")


def _content(upload, max_bytes: int) -> bytes:
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            TOO_LARGE, code="too_large", params=_size_params(name, size, max_bytes)
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(data) > max_bytes:
        raise ValidationError(
            TOO_LARGE, code="too_large", params=_size_params(name, len(data), max_bytes)
        )
    if not data:
        raise ValidationError(EMPTY, code="empty", params={"name": name})
    return data


def _size_params(name: str, size: int, limit: int) -> dict:
    return {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}


def check_image(upload, *, max_bytes: int) -> str:
    """The image's format (``JPEG``, ``PNG`` or ``WEBP``), or ``ValidationError``."""
    from PIL import Image, UnidentifiedImageError

    data = _content(upload, max_bytes)
    name = getattr(upload, "name", "") or ""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    TOO_MANY_PIXELS,
                    code="too_many_pixels",
                    params={"name": name, "limit": MAX_PIXELS // 1_000_000},
                )
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image", params={"name": name}) from None
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image", params={"name": name})
    _check_extension(name, image_format, IMAGE_FORMATS[image_format])
    return image_format


def check_pdf(upload, *, max_bytes: int) -> int:
    """The PDF's number of pages, or ``ValidationError``."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    data = _content(upload, max_bytes)
    name = getattr(upload, "name", "") or ""
    if not data.startswith(b"%PDF-"):
        raise ValidationError(NOT_A_PDF, code="not_a_pdf", params={"name": name})
    try:
        pages = len(PdfReader(io.BytesIO(data)).pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise ValidationError(NOT_A_PDF, code="not_a_pdf", params={"name": name}) from None
    if pages < 1:
        raise ValidationError(NOT_A_PDF, code="not_a_pdf", params={"name": name})
    _check_extension(name, "PDF", {".pdf"})
    return pages


def _check_extension(name: str, file_format: str, extensions: set[str]) -> None:
    if name and PurePath(name).suffix.lower() not in extensions:
        raise ValidationError(
            WRONG_EXTENSION,
            code="wrong_extension",
            params={
                "name": name,
                "format": file_format,
                "extensions": " / ".join(sorted(extensions)),
            },
        )
