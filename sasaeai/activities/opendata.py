"""Open data: the published public activities as an HSDS 3.0 data package (Open Referral's
Human Services Data Specification: organization, service, location, address,
service_at_location, schedule, with datapackage.json) and as one flat CSV with Japanese headers.

HSDS identifiers are UUIDs: each is derived from the record it names (uuid5), so the same
activity keeps the same identifiers in every download. Times carry Japan's offset (+09:00).
The licence is CC BY 4.0 unless the center's settings name another (``open_data_licence``).
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile

from django.http import HttpResponse
from django.utils import timezone

from sasaeai.core.tabular import stream_csv
from sasaeai.members.filters import today_in_japan
from sasaeai.members.io_views import content_disposition
from sasaeai.regions.models import Center

from . import schedule as schedules
from .exports import HEADERS, flat_rows, with_owners
from .models import Activity

NAMESPACE = uuid.UUID("6f1b1f7e-3a51-4d0c-9a0e-5a5ae0a10000")  # Sasae-ai's HSDS identifiers
OFFSET = "+09:00"
DEFAULT_LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}

# Table name → (file, [(field, Frictionless type)]), in HSDS 3.0's field names.
TABLES = {
    "organization": ("organizations.csv", [
        ("id", "string"), ("name", "string"), ("alternate_name", "string"),
        ("description", "string"), ("email", "string"), ("website", "string"),
        ("tax_id", "string"), ("legal_status", "string"),
    ]),
    "service": ("services.csv", [
        ("id", "string"), ("organization_id", "string"), ("name", "string"),
        ("description", "string"), ("email", "string"), ("status", "string"),
        ("application_process", "string"), ("fees_description", "string"),
        ("eligibility_description", "string"), ("last_modified", "datetime"),
    ]),
    "location": ("locations.csv", [
        ("id", "string"), ("location_type", "string"), ("organization_id", "string"),
        ("name", "string"), ("description", "string"), ("latitude", "number"),
        ("longitude", "number"), ("external_identifier", "string"),
        ("external_identifier_type", "string"),
    ]),
    "address": ("addresses.csv", [
        ("id", "string"), ("location_id", "string"), ("address_1", "string"),
        ("city", "string"), ("region", "string"), ("state_province", "string"),
        ("postal_code", "string"), ("country", "string"), ("address_type", "string"),
    ]),
    "service_at_location": ("service_at_locations.csv", [
        ("id", "string"), ("service_id", "string"), ("location_id", "string"),
        ("description", "string"),
    ]),
    "schedule": ("schedules.csv", [
        ("id", "string"), ("service_id", "string"), ("location_id", "string"),
        ("service_at_location_id", "string"), ("valid_from", "date"), ("valid_to", "date"),
        ("dtstart", "date"), ("timezone", "number"), ("until", "date"), ("wkst", "string"),
        ("freq", "string"), ("interval", "number"), ("byday", "string"),
        ("bymonthday", "string"), ("description", "string"), ("opens_at", "string"),
        ("closes_at", "string"), ("notes", "string"),
    ]),
}  # fmt: skip
FOREIGN_KEYS = {
    "service": [("organization_id", "organization")],
    "location": [("organization_id", "organization")],
    "address": [("location_id", "location")],
    "service_at_location": [("service_id", "service"), ("location_id", "location")],
    "schedule": [
        ("service_id", "service"),
        ("location_id", "location"),
        ("service_at_location_id", "service_at_location"),
    ],
}


def hsds_id(kind: str, pk: object) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{pk}"))


def licence_of(prefecture: str) -> dict:
    center = Center.objects.filter(prefecture_id=prefecture).first()
    chosen = (center.settings or {}).get("open_data_licence") if center else None
    if isinstance(chosen, str):
        return {"name": chosen, "title": chosen}
    return chosen or dict(DEFAULT_LICENCE)


def published(prefecture: str):
    return with_owners(Activity.objects.public().in_prefecture(prefecture)).order_by("pk")


def _time(value) -> str:
    return f"{value:%H:%M}{OFFSET}" if value else ""


def _organization(activity) -> dict:
    if activity.corporation_id:
        corporation = activity.corporation
        return {
            "id": hsds_id("corporation", corporation.pk),
            "name": corporation.name,
            "description": f"{activity.municipality.prefecture.name}の社会福祉法人",
            "tax_id": corporation.corporate_number,  # 法人番号
            "legal_status": "社会福祉法人",
        }
    network = activity.network
    return {
        "id": hsds_id("network", network.pk),
        "name": network.name,
        "alternate_name": network.nickname,
        "description": "市町村域の社会福祉法人ネットワーク",
        "legal_status": "任意団体",
    }


def _schedules(activity, service_id, location_id, sal_id) -> list[dict]:
    plan = activity.schedule
    common = {
        "service_id": service_id,
        "location_id": location_id,
        "service_at_location_id": sal_id,
        "timezone": 9,
        "opens_at": _time(plan.start_time),
        "closes_at": _time(plan.end_time),
        "description": activity.schedule_text,
        "notes": activity.schedule_note,
    }
    if plan.kind == schedules.DATES:
        return [
            {
                **common,
                "id": hsds_id("schedule", f"{activity.pk}:{day.isoformat()}"),
                "valid_from": day.isoformat(),
                "valid_to": day.isoformat(),
                "dtstart": day.isoformat(),
            }
            for day in sorted(set(plan.dates))
        ]
    row = {
        **common,
        "id": hsds_id("schedule", activity.pk),
        "dtstart": plan.starts_on.isoformat(),
        "valid_from": (activity.started_on or plan.starts_on).isoformat(),
        "valid_to": activity.ended_on.isoformat() if activity.ended_on else "",
        "until": plan.until.isoformat() if plan.until else "",
        "wkst": "MO",
        "freq": "WEEKLY" if plan.kind == schedules.WEEKLY else "MONTHLY",
        "interval": plan.interval,
    }
    if plan.kind == schedules.WEEKLY:
        row["byday"] = ",".join(schedules.ICAL_DAYS[day] for day in plan.weekdays)
    elif plan.kind == schedules.MONTHLY_NTH:
        row["byday"] = f"{plan.nth}{schedules.ICAL_DAYS[plan.weekdays[0]]}"
    else:
        row["bymonthday"] = str(plan.day)
    return [row]


def hsds_tables(prefecture: str) -> dict[str, list[dict]]:
    """Every HSDS table as rows (dicts by field name) of the prefecture's published activities."""
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    organizations: dict[str, dict] = {}
    for activity in published(prefecture).select_related("municipality__prefecture"):
        organization = _organization(activity)
        organizations.setdefault(organization["id"], organization)
        service_id = hsds_id("activity", activity.pk)
        location_id = hsds_id("location", activity.pk)
        sal_id = hsds_id("service_at_location", activity.pk)
        tables["service"].append({
            "id": service_id,
            "organization_id": organization["id"],
            "name": activity.title,
            "description": activity.description,
            "email": activity.contact_email,
            "status": "active",
            "application_process": activity.how_to_join,
            "fees_description": activity.cost,
            "eligibility_description": "・".join(activity.target_labels),
            "last_modified": timezone.localtime(activity.updated_at).isoformat(timespec="seconds"),
        })  # fmt: skip
        tables["location"].append({
            "id": location_id,
            "location_type": "physical",
            "organization_id": organization["id"],
            "name": activity.venue or activity.title,
            "latitude": activity.latitude,
            "longitude": activity.longitude,
            "external_identifier": activity.municipality_id,
            "external_identifier_type": "全国地方公共団体コード",
        })  # fmt: skip
        if activity.address:
            tables["address"].append({
                "id": hsds_id("address", activity.pk),
                "location_id": location_id,
                "address_1": activity.address,
                "city": activity.municipality.name,
                "state_province": activity.municipality.prefecture.name,
                "postal_code": activity.postal_code,
                "country": "JP",
                "address_type": "physical",
            })  # fmt: skip
        tables["service_at_location"].append(
            {"id": sal_id, "service_id": service_id, "location_id": location_id}
        )
        tables["schedule"].extend(_schedules(activity, service_id, location_id, sal_id))
    tables["organization"] = list(organizations.values())
    return tables


def _csv_bytes(fields: list[tuple[str, str]], rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _type in fields])
    for row in rows:
        writer.writerow(["" if row.get(name) is None else row.get(name) for name, _t in fields])
    return buffer.getvalue().encode("utf-8")


def datapackage(prefecture: str) -> dict:
    resources = []
    for name, (path, fields) in TABLES.items():
        schema = {
            "fields": [{"name": field, "type": kind} for field, kind in fields],
            "primaryKey": ["id"],
        }
        keys = FOREIGN_KEYS.get(name)
        if keys:
            schema["foreignKeys"] = [
                {"fields": [field], "reference": {"resource": target, "fields": ["id"]}}
                for field, target in keys
            ]
        resources.append({
            "name": name, "path": path, "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "schema": schema,
        })  # fmt: skip
    center = Center.objects.filter(prefecture_id=prefecture).first()
    return {
        "profile": "tabular-data-package",
        "name": f"sasaeai-activities-{prefecture}",
        "title": f"{center or prefecture} 地域公益活動（HSDS 3.0）",
        "description": "社会福祉法人・市町村域ネットワークの地域公益活動（公開分）",
        "version": "3.0",
        "created": timezone.now().isoformat(timespec="seconds"),
        "licenses": [licence_of(prefecture)],
        "resources": resources,
    }


def hsds_zip(prefecture: str) -> bytes:
    tables = hsds_tables(prefecture)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        package = datapackage(prefecture)
        archive.writestr("datapackage.json", json.dumps(package, ensure_ascii=False, indent=2))
        for name, (path, fields) in TABLES.items():
            archive.writestr(path, _csv_bytes(fields, tables[name]))
    return buffer.getvalue()


def hsds_response(prefecture: str) -> HttpResponse:
    response = HttpResponse(hsds_zip(prefecture), content_type="application/zip")
    today = today_in_japan().isoformat()
    response["Content-Disposition"] = content_disposition(
        f"activities-hsds-{today}.zip", f"地域公益活動-HSDS-{today}.zip"
    )
    return response


def csv_response(prefecture: str) -> HttpResponse:
    """The flat CSV (UTF-8 with BOM, Excel's way), whole in one response so it can be cached."""
    body = b"".join(stream_csv(HEADERS, flat_rows(published(prefecture))))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    today = today_in_japan().isoformat()
    response["Content-Disposition"] = content_disposition(
        f"activities-{today}.csv", f"地域公益活動-{today}.csv"
    )
    return response


__all__ = ["csv_response", "hsds_response", "hsds_tables", "licence_of"]
