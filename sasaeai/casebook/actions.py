"""Every write of the casebook, one function per use case, each in its own transaction.

Corporation staff draft and submit their own corporation's cases and consent online; center
staff of the prefecture edit any case, enter a paper consent, publish and unpublish.
Publishing needs a consent in force; withdrawing it unpublishes. Refusals name the rule and
write nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.accounts.scope import scope_of
from sasaeai.core.filecheck import check_image
from sasaeai.core.text import normalize_text

from .models import Case, CasePhoto, CaseStatus, Consent, ConsentMethod
from .search import search_text_of, spaced

MAX_PHOTO_BYTES = 5 * 1024 * 1024
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MULTILINE = ("summary", "background", "activities", "partners", "costs", "results", "lessons")


def is_center_for(user, case_or_prefecture) -> bool:
    prefecture = getattr(case_or_prefecture, "prefecture_id", case_or_prefecture)
    scope = scope_of(user)
    return scope.sees_everything() or prefecture in scope.prefecture_codes


def is_owner_staff(user, case: Case) -> bool:
    return case.corporation_id is not None and case.corporation_id in scope_of(user).corporation_ids


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _require_center(case: Case, by) -> None:
    if not is_center_for(by, case):
        raise PermissionDenied


def _check_may_edit(case: Case, by) -> None:
    if is_center_for(by, case):
        return
    if not is_owner_staff(by, case):
        raise PermissionDenied
    if case.status != CaseStatus.DRAFT:
        raise ValidationError(
            _("This case was submitted: the center's staff edit it now. Ask them for changes."),
            code="not_draft",
        )


def _tidy(value: str | None, *, multiline: bool) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    return value if multiline else " ".join(value.split())


def _clean_fields(*, municipality, fiscal_year: int, themes: list, fields: dict) -> dict:
    # Kept as typed (（）, ①, full-width digits are the writer's); only the search key folds.
    cleaned = {name: _tidy(value, multiline=name in MULTILINE) for name, value in fields.items()}
    if not cleaned.get("title"):
        raise ValidationError(_("Give the case a title."), code="title")
    if not cleaned.get("summary"):
        raise ValidationError(_("Write a short summary of the case."), code="summary")
    if not 2000 <= fiscal_year <= 2100:
        raise ValidationError(
            _("%(year)s is not a fiscal year the casebook can hold."),
            code="fiscal_year",
            params={"year": fiscal_year},
        )
    for theme in themes:
        if theme.prefecture_id != municipality.prefecture_id:
            raise ValidationError(
                _("The theme %(theme)s belongs to another prefecture."),
                code="outside_prefecture",
                params={"theme": theme},
            )
    return cleaned


def _owner_prefecture(corporation, network) -> str:
    if (corporation is None) == (network is None):
        raise ValidationError(
            _("A case belongs to one corporation or one municipal network."), code="owner"
        )
    if corporation is not None:
        return corporation.municipality.prefecture_id
    return network.prefecture_id


def refresh_search_text(case: Case) -> None:
    key = search_text_of(case)
    Case.objects.filter(pk=case.pk).update(search_text=key, search_chars=spaced(key))


@transaction.atomic
def create_case(
    *,
    by,
    municipality,
    fiscal_year: int,
    corporation=None,
    network=None,
    themes: Iterable = (),
    **fields: str,
) -> Case:
    """A draft case of a corporation (its staff or the center) or a network (the center)."""
    prefecture = _owner_prefecture(corporation, network)
    if not is_center_for(by, prefecture) and (
        corporation is None or corporation.pk not in scope_of(by).corporation_ids
    ):
        raise PermissionDenied
    if municipality.prefecture_id != prefecture:
        raise ValidationError(
            _("%(municipality)s is not in the owner's prefecture."),
            code="outside_prefecture",
            params={"municipality": municipality},
        )
    themes = list(themes)
    cleaned = _clean_fields(
        municipality=municipality, fiscal_year=fiscal_year, themes=themes, fields=fields
    )
    case = Case.objects.create(
        prefecture_id=prefecture,
        corporation=corporation,
        network=network,
        municipality=municipality,
        fiscal_year=fiscal_year,
        created_by=by,
        **cleaned,
    )
    case.themes.set(themes)
    refresh_search_text(case)
    return case


@transaction.atomic
def update_case(
    *, case: Case, by, municipality, fiscal_year: int, themes: Iterable = (), **fields: str
) -> Case:
    """Change what a case says: its corporation while it is a draft, the center always (a
    published case stays published with the new text)."""
    case = _locked(case)
    _check_may_edit(case, by)
    if municipality.prefecture_id != case.prefecture_id:
        raise ValidationError(
            _("%(municipality)s is not in the case's prefecture."),
            code="outside_prefecture",
            params={"municipality": municipality},
        )
    themes = list(themes)
    cleaned = _clean_fields(
        municipality=municipality, fiscal_year=fiscal_year, themes=themes, fields=fields
    )
    for name, value in cleaned.items():
        setattr(case, name, value)
    case.municipality, case.fiscal_year = municipality, fiscal_year
    case.save()
    case.themes.set(themes)
    refresh_search_text(case)
    return case


@transaction.atomic
def submit_case(*, case: Case, by) -> Case:
    """draft → submitted: the corporation hands the case to the center."""
    case = _locked(case)
    if not (is_owner_staff(by, case) or is_center_for(by, case)):
        raise PermissionDenied
    if case.status != CaseStatus.DRAFT:
        raise ValidationError(
            _("Only a draft can be submitted; this case is %(status)s."),
            code="not_draft",
            params={"status": case.get_status_display()},
        )
    case.status, case.submitted_at = CaseStatus.SUBMITTED, timezone.now()
    case.save(update_fields=["status", "submitted_at", "updated_at"])
    return case


@transaction.atomic
def record_consent(
    *,
    case: Case,
    by,
    method: str,
    consented_by: str,
    given_on: datetime.date,
    includes_photos: bool,
    note: str = "",
) -> Consent:
    """Record the owner's consent to publish: online by the corporation's own staff, or a
    paper form entered by the center's staff."""
    case = _locked(case)
    if method == ConsentMethod.ONLINE:
        if not is_owner_staff(by, case):
            raise ValidationError(
                _("Only the staff of %(owner)s can consent online on its behalf."),
                code="not_owner",
                params={"owner": case.owner},
            )
    elif method == ConsentMethod.PAPER:
        _require_center(case, by)
    else:
        raise ValidationError(_("Unknown way of consenting."), code="method")
    consented_by = normalize_text(consented_by)
    if not consented_by:
        raise ValidationError(_("Name who consented."), code="consented_by")
    if given_on > timezone.localdate():
        raise ValidationError(_("A consent cannot be dated in the future."), code="given_on")
    return Consent.objects.create(
        case=case,
        corporation=case.corporation,
        network=case.network,
        consented_by=consented_by,
        method=method,
        given_on=given_on,
        includes_photos=includes_photos,
        note=normalize_text(note),
        recorded_by=by,
    )


@transaction.atomic
def withdraw_consent(*, case: Case, by) -> Case:
    """The owner takes its consent back: every consent in force ends and the case leaves
    the public at once."""
    case = _locked(case)
    if not (is_owner_staff(by, case) or is_center_for(by, case)):
        raise PermissionDenied
    ended = case.consents.filter(withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_by=by
    )
    if not ended:
        raise ValidationError(_("This case has no consent in force."), code="no_consent")
    if case.status == CaseStatus.PUBLISHED:
        case.status = CaseStatus.SUBMITTED
        case.save(update_fields=["status", "updated_at"])
    return case


@transaction.atomic
def publish_case(*, case: Case, by) -> Case:
    """submitted → published, by the center's staff, only with a consent in force."""
    case = _locked(case)
    _require_center(case, by)
    if case.status == CaseStatus.PUBLISHED:
        raise ValidationError(_("This case is already published."), code="published")
    if case.status == CaseStatus.DRAFT:
        raise ValidationError(
            _("A draft cannot be published: the case must be submitted first."), code="draft"
        )
    if case.current_consent() is None:
        raise ValidationError(
            _(
                "This case cannot be published: no consent to publish from %(owner)s is "
                "recorded. Record their consent (online or the paper form) first."
            ),
            code="no_consent",
            params={"owner": case.owner},
        )
    case.status, case.published_at = CaseStatus.PUBLISHED, timezone.now()
    case.save(update_fields=["status", "published_at", "updated_at"])
    return case


@transaction.atomic
def unpublish_case(*, case: Case, by) -> Case:
    case = _locked(case)
    _require_center(case, by)
    if case.status != CaseStatus.PUBLISHED:
        raise ValidationError(_("This case is not published."), code="not_published")
    case.status = CaseStatus.SUBMITTED
    case.save(update_fields=["status", "updated_at"])
    return case


def _touch(case: Case) -> None:
    """A photo changes what the case's public page shows."""
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())


@transaction.atomic
def add_photo(
    *, case: Case, by, upload, alt_text: str, caption: str = "", order: int = 0
) -> CasePhoto:
    """Add a photo: a real JPEG, PNG or WebP image of at most 5 MB, with its alternative text."""
    case = _locked(case)
    _check_may_edit(case, by)
    alt_text = normalize_text(alt_text)
    if not alt_text:
        raise ValidationError(
            _("Describe the photo in its alternative text, for readers who cannot see it."),
            code="alt_text",
        )
    content_type = CONTENT_TYPES[check_image(upload, max_bytes=MAX_PHOTO_BYTES)]
    photo = CasePhoto(
        case=case,
        content_type=content_type,
        alt_text=alt_text,
        caption=normalize_text(caption),
        order=order,
    )
    photo.image.save(upload.name, upload, save=False)
    photo.save()
    _touch(case)
    return photo


@transaction.atomic
def remove_photo(*, photo: CasePhoto, by) -> None:
    case = _locked(photo.case)
    _check_may_edit(case, by)
    storage, name = photo.image.storage, photo.image.name
    photo.delete()
    _touch(case)
    transaction.on_commit(lambda: storage.delete(name))
