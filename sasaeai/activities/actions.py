"""Every write of the activity registry, one function per use case, each in its own transaction.

Corporation staff write their corporation's activities and submit them; center staff (their
prefecture) and council staff (their municipality) publish them or send them back with a
reason; a published activity can be withdrawn. Refusals name the field and the rule; nothing is
written then.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.core.text import search_key
from sasaeai.regions.models import Boundary, Prefecture

from . import schedule as schedules
from .models import Activity, ReviewState, TargetGroup, Visibility, pack

POSTAL_CODE = re.compile(r"^\d{3}-?\d{4}$")
# Japan from Okinotorishima to Etorofu, Yonaguni to Minamitorishima.
LATITUDES = (Decimal("20.0"), Decimal("46.0"))
LONGITUDES = (Decimal("122.0"), Decimal("154.0"))
BOX_MARGIN = 0.05  # degrees around a prefecture's boundaries (islands, rounding)


@dataclass
class ActivityFields:
    """What a person writes about an activity (the owner is given apart)."""

    title: str
    municipality: object
    schedule: schedules.Schedule
    description: str = ""
    themes: list = field(default_factory=list)
    venue: str = ""
    postal_code: str = ""
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    targets: list[str] = field(default_factory=list)
    cost: str = ""
    how_to_join: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    partners: str = ""
    started_on: datetime.date | None = None
    ended_on: datetime.date | None = None
    visibility: str = Visibility.PUBLIC


def _owner_prefecture(corporation, network) -> str:
    if (corporation is None) == (network is None):
        raise ValidationError(
            _("An activity is run by one corporation or one municipal network."), code="owner"
        )
    if corporation is not None:
        return corporation.municipality.prefecture_id
    return network.prefecture_id


def _other_prefecture_named(address: str, prefecture: str) -> str | None:
    """Another prefecture named in the address (「鳥取県鳥取市…」, 「〒680-0000 鳥取県…」)."""
    for name in Prefecture.objects.exclude(code=prefecture).values_list("name", flat=True):
        if name in address:
            return name
    return None


def _check_place(prefecture: str, data: ActivityFields, errors: dict) -> None:
    if data.municipality.prefecture_id != prefecture:
        errors["municipality"] = _(
            "%(municipality)s is outside the prefecture of the activity's owner."
        ) % {"municipality": data.municipality}
    named = _other_prefecture_named(data.address, prefecture) if data.address else None
    if named:
        errors["address"] = _(
            "The address is in %(named)s, outside the prefecture of the activity's owner."
        ) % {"named": named}
    if data.postal_code and not POSTAL_CODE.match(data.postal_code.strip()):
        errors["postal_code"] = _("A postal code has 7 digits, e.g. 708-0000.")
    _check_coordinates(prefecture, data, errors)


def _check_coordinates(prefecture: str, data: ActivityFields, errors: dict) -> None:
    lat, lon = data.latitude, data.longitude
    if (lat is None) != (lon is None):
        errors["latitude"] = _("Give both the latitude and the longitude, or neither.")
        return
    if lat is None:
        return
    if not (LATITUDES[0] <= lat <= LATITUDES[1] and LONGITUDES[0] <= lon <= LONGITUDES[1]):
        errors["latitude"] = _(
            "The coordinates are not in Japan (latitude 20–46, longitude 122–154)."
        )
        return
    box = prefecture_box(prefecture)
    if box and not (box[1] <= float(lat) <= box[3] and box[0] <= float(lon) <= box[2]):
        errors["latitude"] = _("The coordinates are outside the prefecture.")


def prefecture_box(prefecture: str) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the prefecture's imported boundaries, with a margin."""
    import shapely
    from shapely.geometry import shape

    geometries = [
        shape(geometry)
        for geometry in Boundary.objects.filter(municipality__prefecture_id=prefecture).values_list(
            "geometry", flat=True
        )
    ]
    if not geometries:
        return None
    west, south, east, north = shapely.total_bounds(geometries)
    return (west - BOX_MARGIN, south - BOX_MARGIN, east + BOX_MARGIN, north + BOX_MARGIN)


def _check(prefecture: str, data: ActivityFields) -> None:
    errors: dict = {}
    if not data.title.strip():
        errors["title"] = _("Give the activity a title.")
    _check_place(prefecture, data, errors)
    for theme in data.themes:
        if theme.prefecture_id != prefecture:
            errors["themes"] = _("The theme %(theme)s belongs to another prefecture.") % {
                "theme": theme
            }
    unknown = [code for code in data.targets if code not in TargetGroup.values]
    if unknown:
        errors["targets"] = _("Unknown target group: %(codes)s.") % {"codes": ", ".join(unknown)}
    if data.started_on and data.ended_on and data.ended_on < data.started_on:
        errors["ended_on"] = _("The activity cannot end before it started.")
    if data.visibility not in Visibility.values:
        errors["visibility"] = _("Choose public or internal.")
    try:
        schedules.check(data.schedule)
    except ValidationError as error:
        errors.update({name: messages[0] for name, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)


def searchable_text(activity: Activity, themes) -> str:
    parts = [
        activity.title,
        activity.description,
        activity.venue,
        activity.address,
        activity.partners,
        " ".join(activity.target_labels),
        " ".join(theme.name for theme in themes),
    ]
    return search_key(" ".join(part for part in parts if part))


def _apply(activity: Activity, data: ActivityFields) -> None:
    for name in (
        "title", "description", "municipality", "venue", "address", "latitude", "longitude",
        "cost", "how_to_join", "contact_phone", "contact_email", "partners", "started_on",
        "ended_on", "visibility",
    ):  # fmt: skip
        setattr(activity, name, getattr(data, name))
    activity.postal_code = data.postal_code.strip()
    activity.targets = pack(code for code in TargetGroup.values if code in data.targets)
    activity.schedule_rule = schedules.to_rule(data.schedule)
    activity.start_time, activity.end_time = data.schedule.start_time, data.schedule.end_time
    activity.schedule_note = data.schedule.note
    activity.schedule_text = schedules.japanese(data.schedule)
    activity.weekdays = "".join(str(day) for day in schedules.weekdays_of(data.schedule))
    activity.search_text = searchable_text(activity, data.themes)


@transaction.atomic
def create_activity(*, data: ActivityFields, corporation=None, network=None, by=None) -> Activity:
    """A new draft of a corporation's or a network's activity."""
    prefecture = _owner_prefecture(corporation, network)
    _check(prefecture, data)
    activity = Activity(
        prefecture_id=prefecture, corporation=corporation, network=network, created_by=by
    )
    _apply(activity, data)
    activity.save()
    activity.themes.set(data.themes)
    return activity


def _locked(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


@transaction.atomic
def update_activity(*, activity: Activity, data: ActivityFields, by=None) -> Activity:
    """Save what the activity says; a withdrawn activity edited becomes a draft again."""
    activity = _locked(activity)
    _check(activity.prefecture_id, data)
    _apply(activity, data)
    if activity.state == ReviewState.WITHDRAWN:
        activity.state = ReviewState.DRAFT
    activity.save()
    activity.themes.set(data.themes)
    return activity


def _refuse_unless(activity: Activity, *states: str, message: str) -> None:
    if activity.state not in states:
        raise ValidationError(message % {"state": activity.get_state_display()}, code="state")


@transaction.atomic
def submit_activity(*, activity: Activity, by=None) -> Activity:
    """draft → submitted, for review by the center or the council."""
    activity = _locked(activity)
    _refuse_unless(
        activity,
        ReviewState.DRAFT,
        message=_("Only a draft can be submitted; this activity is %(state)s."),
    )
    activity.state, activity.submitted_at, activity.submitted_by = (
        ReviewState.SUBMITTED, timezone.now(), by,
    )  # fmt: skip
    activity.returned_reason = ""
    activity.save()
    return activity


@transaction.atomic
def publish_activity(*, activity: Activity, by=None) -> Activity:
    """submitted (or withdrawn) → published: residents see it at once."""
    activity = _locked(activity)
    _refuse_unless(
        activity,
        ReviewState.SUBMITTED,
        ReviewState.WITHDRAWN,
        message=_("Only a submitted activity can be published; this activity is %(state)s."),
    )
    activity.state, activity.published_at, activity.published_by = (
        ReviewState.PUBLISHED, timezone.now(), by,
    )  # fmt: skip
    activity.save()
    return activity


@transaction.atomic
def send_back_activity(*, activity: Activity, reason: str, by=None) -> Activity:
    """submitted → draft, with the reason the corporation reads."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the activity is sent back.")})
    activity = _locked(activity)
    _refuse_unless(
        activity,
        ReviewState.SUBMITTED,
        message=_("Only a submitted activity can be sent back; this activity is %(state)s."),
    )
    activity.state, activity.returned_reason = ReviewState.DRAFT, reason.strip()
    activity.save()
    return activity


@transaction.atomic
def withdraw_activity(*, activity: Activity, by=None) -> Activity:
    """published → withdrawn: off the public directory, kept in the registry."""
    activity = _locked(activity)
    _refuse_unless(
        activity,
        ReviewState.PUBLISHED,
        message=_("Only a published activity can be withdrawn; this activity is %(state)s."),
    )
    activity.state, activity.withdrawn_at, activity.withdrawn_by = (
        ReviewState.WITHDRAWN, timezone.now(), by,
    )  # fmt: skip
    activity.save()
    return activity
