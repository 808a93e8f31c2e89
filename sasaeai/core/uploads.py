"""A checked upload carried from its preview to its confirmation.

Imports show a preview first; the file the person confirms must be the one they checked. The
file travels back with the confirmation form, signed (Django's ``signing``) and bound to who
uploaded it and for what, so nothing is stored between the two steps and nothing can be
swapped. Files are small here (a network table, an attendance or answer sheet): at most
``MAX_BYTES``.
"""

from __future__ import annotations

import base64
import io

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 2 * 1024 * 1024
MAX_AGE = 3600
TOO_LARGE = _("The file is larger than 2 MB.")


class PreviewExpired(Exception):
    """The confirmation came too late, or its token was tampered with."""


class UploadMismatch(Exception):
    """The token was made for another person, place or record."""


def read_upload(upload) -> bytes:
    """The uploaded file's bytes, or ``ValidationError`` when it is too large to carry."""
    if upload.size > MAX_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    return upload.read()


def sign_upload(*, salt: str, name: str, content: bytes, **bound: object) -> str:
    """A token holding the file and what it is bound to (e.g. ``user=..., event=...``)."""
    payload = {"name": name, "data": base64.b64encode(content).decode(), "bound": bound}
    return signing.dumps(payload, salt=salt, compress=True)


def open_upload(token: str, *, salt: str, **bound: object) -> tuple[str, io.BytesIO]:
    """The file's name and content from a token made by ``sign_upload`` with the same
    ``bound`` values; ``PreviewExpired`` or ``UploadMismatch`` otherwise."""
    try:
        payload = signing.loads(token, salt=salt, max_age=MAX_AGE)
    except signing.BadSignature as error:
        raise PreviewExpired from error
    if payload.get("bound") != bound:
        raise UploadMismatch
    return payload["name"], io.BytesIO(base64.b64decode(payload["data"]))


def preview(upload, plan, *, salt: str, **bound: object):
    """Read ``upload`` and check it with ``plan(stream, filename)``; return the plan and, when
    it has no error, the token that carries the file to its confirmation. The plan's own
    refusals (``ValidationError``, ``TableError``) are the caller's to show."""
    content = read_upload(upload)
    checked = plan(io.BytesIO(content), upload.name)
    token = (
        sign_upload(salt=salt, name=upload.name, content=content, **bound) if checked.ok else None
    )
    return checked, token


def message_of(error: Exception) -> str:
    """What to tell the person: a ``ValidationError``'s messages, else the error's text."""
    return " ".join(getattr(error, "messages", None) or [str(error)])


# Every file field of every form is a ``CheckedFileField`` (a test walks the forms): the
# upload is checked by its content and size when the form is cleaned, before any view or
# action sees it, and the person gets the reason in their language.

IMAGE_MAX_BYTES = 5 * 1024 * 1024
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def _check_table(upload, *, max_bytes: int) -> str:
    from sasaeai.core.tabular import TableError, check_table

    try:
        return check_table(upload, filename=upload.name, max_bytes=max_bytes)
    except TableError as error:
        raise ValidationError(error.message, code=error.code, params=error.params) from None


def _checks() -> dict:
    from sasaeai.core import filecheck

    return {
        "image": filecheck.check_image,
        "pdf": filecheck.check_pdf,
        "document": filecheck.check_document,
        "table": _check_table,
        "text": filecheck.check_text,
    }


class CheckedFileField(forms.FileField):
    """A file field whose upload must be of ``kind`` (image, pdf, document, table or text,
    see ``core.filecheck`` and ``core.tabular.check_table``) and at most ``max_bytes``."""

    def __init__(self, *, kind: str, max_bytes: int, **kwargs) -> None:
        if kind not in _checks():
            raise ValueError(f"unknown kind of upload: {kind}")
        self.kind, self.max_bytes = kind, max_bytes
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if isinstance(upload, UploadedFile):
            _checks()[self.kind](upload, max_bytes=self.max_bytes)
            upload.seek(0)
        return upload
