"""Open data: the HSDS 3.0 package validates against the specification's schemas, the flat CSV
has Japanese headers in UTF-8 with a BOM, and the licence is the center's choice.

No PyPI package ships the HSDS 3 JSON schemas for this Python (hsds-validator needs 3.13,
hsds-data-tool carries HSDS 2 as pandera frames), so the schemas below are written from the
specification's facts (docs.openreferral.org, schema/*.json of HSDS 3.0): required fields,
types, UUID identifiers, enumerations and date/time formats.
"""

import csv
import io
import json
import re
import zipfile

import jsonschema
import pytest

from sasaeai.activities import actions
from sasaeai.activities import schedule as schedules
from sasaeai.regions.models import Center

from .conftest import D, T, fields

pytestmark = pytest.mark.django_db

UUID = {"type": "string", "format": "uuid"}
TEXT = {"type": "string"}
DATE = {"type": "string", "format": "date"}
NUMBER = {"type": "number"}
BYDAY = r"-?\d?(MO|TU|WE|TH|FR|SA|SU)"
TIME = {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$"}


def _schema(required, properties):
    return {
        "type": "object",
        "required": required,
        "properties": properties,
        "additionalProperties": False,
    }


HSDS_3 = {
    "organization": _schema(["id", "name", "description"], {
        "id": UUID, "name": TEXT, "alternate_name": TEXT, "description": TEXT,
        "email": {"type": "string", "format": "email"},
        "website": {"type": "string", "format": "uri"},
        "tax_id": TEXT, "legal_status": TEXT,
    }),
    "service": _schema(["id", "name", "status", "organization_id"], {
        "id": UUID, "organization_id": UUID, "name": TEXT, "description": TEXT,
        "email": {"type": "string", "format": "email"},
        "status": {"enum": ["active", "inactive", "defunct", "temporarily closed"]},
        "application_process": TEXT, "fees_description": TEXT, "eligibility_description": TEXT,
        "last_modified": {"type": "string", "format": "date-time"},
    }),
    "location": _schema(["id", "location_type"], {
        "id": UUID, "location_type": {"enum": ["physical", "postal", "virtual"]},
        "organization_id": UUID, "name": TEXT, "description": TEXT,
        "latitude": {"type": "number", "minimum": -90, "maximum": 90},
        "longitude": {"type": "number", "minimum": -180, "maximum": 180},
        "external_identifier": TEXT, "external_identifier_type": TEXT,
    }),
    "address": _schema(
        ["id", "address_1", "city", "state_province", "postal_code", "country", "address_type"],
        {
            "id": UUID, "location_id": UUID, "address_1": TEXT, "city": TEXT, "region": TEXT,
            "state_province": TEXT, "postal_code": TEXT,
            "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
            "address_type": {"enum": ["physical", "postal", "virtual"]},
        },
    ),
    "service_at_location": _schema(["id", "service_id", "location_id"], {
        "id": UUID, "service_id": UUID, "location_id": UUID, "description": TEXT,
    }),
    "schedule": _schema(["id"], {
        "id": UUID, "service_id": UUID, "location_id": UUID, "service_at_location_id": UUID,
        "valid_from": DATE, "valid_to": DATE, "dtstart": DATE, "timezone": NUMBER,
        "until": DATE, "wkst": {"enum": ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]},
        "freq": {"enum": ["WEEKLY", "MONTHLY"]}, "interval": NUMBER,
        "byday": {"type": "string", "pattern": rf"^{BYDAY}(,{BYDAY})*$"},
        "bymonthday": {"type": "string", "pattern": r"^-?\d{1,2}(,-?\d{1,2})*$"},
        "description": TEXT, "opens_at": TIME, "closes_at": TIME, "notes": TEXT,
    }),
}  # fmt: skip


def _typed(row: dict, resource: dict) -> dict:
    """A CSV row as the JSON object HSDS describes: empty cells absent, numbers as numbers."""
    kinds = {field["name"]: field["type"] for field in resource["schema"]["fields"]}
    typed = {}
    for name, value in row.items():
        if value == "":
            continue
        typed[name] = float(value) if kinds[name] in ("number", "integer") else value
    return typed


@pytest.fixture
def package(client, published, kurashiki_draft):
    dates = actions.create_activity(
        data=fields(
            title="フードドライブ",
            schedule=schedules.Schedule(
                schedules.DATES, D(2019, 6, 1), dates=(D(2019, 6, 1), D(2019, 12, 7)),
                start_time=T(9), end_time=T(12),
            ),
            address="",
        ),
        corporation=published.corporation,
    )  # fmt: skip
    actions.submit_activity(activity=dates)
    actions.publish_activity(activity=dates)
    response = client.get("/activities/open-data/hsds.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_hsds_package_validates_against_the_hsds_3_schemas(package):
    descriptor = json.loads(package.read("datapackage.json"))
    assert descriptor["profile"] == "tabular-data-package"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    rows_by_table = {}
    for resource in descriptor["resources"]:
        reader = csv.DictReader(io.StringIO(package.read(resource["path"]).decode("utf-8")))
        assert reader.fieldnames == [f["name"] for f in resource["schema"]["fields"]]
        schema = HSDS_3[resource["name"]]
        validator = jsonschema.Draft202012Validator(schema, format_checker=checker)
        rows = [_typed(row, resource) for row in reader]
        for row in rows:
            validator.validate(row)
        rows_by_table[resource["name"]] = rows
    assert [s["name"] for s in rows_by_table["service"]] == ["つやま子ども食堂", "フードドライブ"]
    assert len(rows_by_table["organization"]) == 1  # one corporation runs both
    weekly = next(s for s in rows_by_table["schedule"] if s.get("freq"))
    assert weekly["byday"] == "WE" and weekly["opens_at"] == "15:00+09:00"
    assert len([s for s in rows_by_table["schedule"] if not s.get("freq")]) == 2  # the dates
    ids = {row["id"] for row in rows_by_table["service_at_location"]}
    assert all(s["service_at_location_id"] in ids for s in rows_by_table["schedule"])


def test_the_uuid_check_is_real():
    validator = jsonschema.Draft202012Validator(
        HSDS_3["service_at_location"], format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"id": "1", "service_id": "2", "location_id": "3"})


def test_the_flat_csv_has_japanese_headers_and_a_bom(client, published):
    response = client.get("/activities/open-data/activities.csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["活動ID", "活動名", "概要", "実施主体"]
    assert "曜日" in rows[0] and "テーマ" in rows[0]
    assert rows[1][1] == "つやま子ども食堂" and "水" in rows[1][rows[0].index("曜日")]
    assert len(rows) == 2


def test_the_center_chooses_another_licence(client, published, personas):
    Center.objects.filter(prefecture_id="33").update(
        settings={"open_data_licence": {"name": "CC0-1.0", "title": "CC0 1.0"}}
    )
    response = client.get("/activities/open-data/hsds.zip")
    descriptor = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("datapackage.json"))
    assert descriptor["licenses"] == [{"name": "CC0-1.0", "title": "CC0 1.0"}]
    assert re.search("CC0 1.0", client.get("/activities/open-data/").content.decode())
