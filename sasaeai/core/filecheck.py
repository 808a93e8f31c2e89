"""Uploaded files are what they claim to be, by their content, and not too large.

A photo must open as a JPEG, PNG or WebP image (Pillow reads and verifies it; a file whose name
says ``.jpg`` but holds text or a PDF is refused, and so is an image of more pixels than
``MAX_PIXELS``, a decompression bomb); a PDF must start with ``%PDF-`` and open with pypdf with
at least one page; a document (``check_document``) is a PDF, such an image or a Word, Excel or
PowerPoint file (.docx, .xlsx, .pptx: a zip archive with the parts of its kind, held to the
zip-bomb bounds of ``core.tabular.archive``). The name's extension must agree with what the
content is. Each check reads the upload and rewinds it, so the caller can save it afterwards.
"""

from __future__ import annotations

import io
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

__all__ = [
    "IMAGE_FORMATS",
    "MAX_PIXELS",
    "check_document",
    "check_image",
    "check_pdf",
    "check_text",
]

MAX_PIXELS = 40_000_000
# Pillow's format name → the extensions a file of that format may carry.
IMAGE_FORMATS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "WEBP": {".webp"}}

TOO_LARGE = _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
EMPTY = _("“%(name)s” is empty.")
NOT_AN_IMAGE = _("“%(name)s” is not a JPEG, PNG or WebP image.")
TOO_MANY_PIXELS = _("“%(name)s” has too many pixels (at most %(limit)s million).")
WRONG_EXTENSION = _("“%(name)s” holds a %(format)s file; its name must end in %(extensions)s.")
NOT_A_PDF = _("“%(name)s” is not a PDF file.")
NOT_TEXT = _("“%(name)s” is not a text file in UTF-8.")
NOT_A_DOCUMENT = _(
    "“%(name)s” is not a PDF, a JPEG, PNG or WebP image, or a Word, Excel or PowerPoint file "
    "(.docx, .xlsx, .pptx)."
)
# The part that tells each Office Open XML format, and the extensions it may carry.
OFFICE_FORMATS = {
    "word/document.xml": ("Word", {".docx"}),
    "xl/workbook.xml": ("Excel", {".xlsx"}),
    "ppt/presentation.xml": ("PowerPoint", {".pptx"}),
}


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


def check_document(upload, *, max_bytes: int) -> str:
    """The document's format (``PDF``, an image format, ``Word``, ``Excel`` or ``PowerPoint``),
    or ``ValidationError``."""
    data = _content(upload, max_bytes)
    name = getattr(upload, "name", "") or ""
    if data.startswith(b"%PDF-"):
        check_pdf(upload, max_bytes=max_bytes)
        return "PDF"
    if data.startswith(b"PK\x03\x04"):
        return _check_office(data, name)
    if data.startswith((b"\xff\xd8\xff", b"\x89PNG", b"RIFF")):
        return check_image(upload, max_bytes=max_bytes)
    raise ValidationError(NOT_A_DOCUMENT, code="not_a_document", params={"name": name})


def _check_office(data: bytes, name: str) -> str:
    from sasaeai.core.tabular import TableError
    from sasaeai.core.tabular.archive import check_archive

    try:
        parts = check_archive(io.BytesIO(data), name)
    except TableError as error:
        raise ValidationError(error.message, code=error.code, params=error.params) from None
    for part, (office_format, extensions) in OFFICE_FORMATS.items():
        if part in parts and "[Content_Types].xml" in parts:
            _check_extension(name, office_format, extensions)
            return office_format
    raise ValidationError(NOT_A_DOCUMENT, code="not_a_document", params={"name": name})


def check_text(upload, *, max_bytes: int) -> str:
    """``text`` for a UTF-8 text file (a JSON definition), or ``ValidationError``."""
    data = _content(upload, max_bytes)
    name = getattr(upload, "name", "") or ""
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(NOT_TEXT, code="not_text", params={"name": name}) from None
    if b"\x00" in data:
        raise ValidationError(NOT_TEXT, code="not_text", params={"name": name})
    return "text"
