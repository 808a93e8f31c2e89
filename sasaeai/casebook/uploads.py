"""Photos of cases must really be images: checked by their content, not by their name.

(The lead folds this into ``core.filecheck.check_image`` when it lands.)
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_PHOTO_BYTES = 5 * 1024 * 1024
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def check_image(upload, *, max_bytes: int = MAX_PHOTO_BYTES) -> str:
    """The content type of ``upload`` when it is a JPEG, PNG or WebP image of at most
    ``max_bytes``; ``ValidationError`` naming the file and the reason otherwise."""
    name = getattr(upload, "name", "") or ""
    if upload.size > max_bytes:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s."),
            code="too_large",
            params={"name": name, "limit": filesizeformat(max_bytes)},
        )
    from PIL import Image, UnidentifiedImageError

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("%(name)s is not an image that can be read (JPEG, PNG or WebP)."),
            code="not_an_image",
            params={"name": name},
        ) from error
    finally:
        upload.seek(0)
    if kind not in FORMATS:
        raise ValidationError(
            _("%(name)s is a %(kind)s image: use JPEG, PNG or WebP."),
            code="image_format",
            params={"name": name, "kind": kind},
        )
    return FORMATS[kind]
