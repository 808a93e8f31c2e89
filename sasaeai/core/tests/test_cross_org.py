"""Every parameterised URL, opened by each persona with another organisation's ids, is a 404.

The world (``sasaeai.testing.world``) holds two of everything: the personas' own records in
Okayama, another corporation's and municipality's in Okayama, and Tottori's. For each persona
the walk fills every parameterised route (``cross_org_routes.ROUTES``) with the ids of the
records that persona must not see and asks for it, by GET and by POST: the answer is the same
404 as for a missing record (anonymous visitors may be sent to the login page instead), and
nothing is written. The owner opening the same route gets something else than a 404, so a
broken table cannot pass for a protected page.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Max
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sasaeai.core.access import CENTER_STAFF, PUBLIC, access_of

from .cross_org_routes import NOT_AN_ID, PREFECTURE_KINDS, PUBLIC_BY_DESIGN, ROUTES, Walk

THIRD_PARTY_PREFIXES = ("admin/", "accounts/", "i18n/", "static/", "^static/")
SIDES = ("own", "other", "tottori")
CENTERS = {"center", "tottori"}

# The sides of the world each persona must not see, for records of a corporation or a
# municipality (ORGANISATION) and for records of a center (PREFECTURE).
ORGANISATION = {
    "center": ("tottori",),
    "council": ("other", "tottori"),
    "corp_staff": ("other", "tottori"),
    "outsider": ("own", "tottori"),
    "tottori": ("own", "other"),
    "anonymous": SIDES,
}
PREFECTURE = {
    "center": ("tottori",),
    "council": ("tottori",),
    "corp_staff": ("tottori",),
    "outsider": ("tottori",),
    "tottori": ("own",),
    "anonymous": ("own", "tottori"),
}


def named_patterns(patterns=None, prefix: str = "", namespace: tuple = ()):
    """(route, namespaced name, pattern) of every URL pattern of the project."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + ((entry.namespace,) if entry.namespace else ())
            yield from named_patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), ":".join((*namespace, entry.name or "")), entry


def parameterised_routes() -> dict[str, object]:
    """Namespaced name -> view of every route that takes an argument besides ``format``."""
    routes = {}
    for route, name, entry in named_patterns():
        if route.lstrip("^").startswith(THIRD_PARTY_PREFIXES):
            continue
        arguments = set(entry.pattern.regex.groupindex) - {"format"}
        if arguments:
            routes[name] = entry.callback
    return routes


def foreign_sides(persona: str, walk: Walk, view) -> tuple[str, ...]:
    if access_of(view) == CENTER_STAFF and persona not in CENTERS:
        return ("own", "tottori") if walk.kind in PREFECTURE_KINDS else SIDES
    shared = walk.kind in PREFECTURE_KINDS or persona in walk.shared_with
    return (PREFECTURE if shared else ORGANISATION)[persona]


def urls_of(name: str, kwargs: dict) -> list[str]:
    """The route's URL, and its ``.json`` variant for the API."""
    urls = [reverse(name, kwargs=kwargs)]
    if name.startswith("api:"):
        urls.append(reverse(name, kwargs={**kwargs, "format": "json"}))
    return urls


def refused(persona: str, response) -> bool:
    """A 404, or for an anonymous visitor the way to the login page."""
    if response.status_code == 404:
        return True
    if persona != "anonymous":
        return False
    login = reverse("account_login")
    redirected = response.status_code == 302 and response["Location"].startswith(login)
    return redirected or response.status_code in {401, 403}


def walk_url(client, persona: str, url: str, *, post: bool) -> list[str]:
    """What a foreign persona got that is not a refusal. A 405 says only which methods the
    route takes, the same for every id, so it passes where the other method is refused."""
    responses = {"GET": client.get(url)}
    if post or responses["GET"].status_code == 405:
        responses["POST"] = client.post(url)
    if all(r.status_code == 405 for r in responses.values()):
        responses["DELETE"] = client.delete(url)  # the API's cancellations
    answered = {m: r for m, r in responses.items() if r.status_code != 405}
    leaks = [
        f"{method} {url}: {response.status_code}"
        for method, response in answered.items()
        if not refused(persona, response)
    ]
    return leaks if answered else [f"{url}: 405 to every method"]


def fingerprint() -> dict[str, tuple]:
    """Row count and latest change of every table the walk could write to."""
    skipped = {"sessions", "auditlog", "axes", "django_tasks_database", "core"}
    prints = {}
    for model in apps.get_models():
        if model._meta.app_label in skipped or model._meta.proxy:
            continue
        changed = [f.name for f in model._meta.fields if f.name == "updated_at"]
        row = model.objects.aggregate(**({"changed": Max(changed[0])} if changed else {}))
        prints[model._meta.label] = (model.objects.count(), row.get("changed"))
    return prints


def _ensure_starting_lists() -> None:
    """The regions and the data migrations' lists, as the ``regions`` fixture puts them back
    after a transactional test flushed them."""
    import importlib

    from sasaeai.members.models import MemberType
    from sasaeai.regions.loading import load_regions
    from sasaeai.regions.models import Municipality

    if not Municipality.objects.exists():
        load_regions()
    if not MemberType.objects.exists():
        migration = importlib.import_module("sasaeai.members.migrations.0003_starting_lists")
        migration.add_lists(apps, None)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, inside a transaction rolled back after its last test."""
    from sasaeai.testing.world import build_world

    with django_db_blocker.unblock(), transaction.atomic():
        _ensure_starting_lists()
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def plain_404():
    """The walk asks for a thousand 404s: a plain one instead of the full page (its layout
    is tested elsewhere); the status and the views' decisions are the same."""
    from django.http import HttpResponseNotFound

    import sasaeai.urls

    def not_found(request, exception):
        return HttpResponseNotFound()

    with mock.patch.object(sasaeai.urls, "handler404", not_found, create=True):
        yield


def client_for(world, persona: str) -> Client:
    client = Client(raise_request_exception=False)
    if persona != "anonymous":
        client.force_login(world.users[persona])
    return client


def test_every_parameterised_route_is_walked_or_public_by_design():
    routes = set(parameterised_routes())
    unexplained = routes - set(ROUTES) - PUBLIC_BY_DESIGN - NOT_AN_ID
    assert unexplained == set(), f"routes the cross-organisation walk does not know: {unexplained}"
    assert set(ROUTES) - routes == set(), "the table names routes that no longer exist"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", list(ORGANISATION))
def test_persona_gets_404_for_every_other_organisations_record(world, persona, plain_404):
    client = client_for(world, persona)
    views = parameterised_routes()
    before = fingerprint()
    leaks = []
    for name, walk in ROUTES.items():
        for number, side in enumerate(foreign_sides(persona, walk, views[name])):
            url, *variants = urls_of(name, walk.kwargs(world.get(walk.kind, side)))
            variants += [url + query for query in walk.exports]
            # Every route by POST too, once per persona: actions must refuse before they act.
            leaks += [
                f"{side}: {leak}" for leak in walk_url(client, persona, url, post=number == 0)
            ]
            for variant in variants:
                leaks += [
                    f"{side}: {leak}" for leak in walk_url(client, persona, variant, post=False)
                ]
    if leaks:
        pytest.fail("\n".join([f"{persona} reaches other organisations' records:", *leaks]))
    changed = {k: (before[k], v) for k, v in fingerprint().items() if before.get(k) != v}
    assert changed == {}, f"refused requests wrote: {changed}"


@pytest.mark.django_db
def test_the_owners_open_every_walked_route(world):
    """The positive control: with the owner's ids, no route answers 404 (a POST is rolled
    back), so the walk's 404s come from the scope, not from a wrong table."""
    clients = {}
    missing = []
    # Each route once, on alternate sides, so both sides' records of every kind are tried.
    for number, (name, walk) in enumerate(ROUTES.items()):
        if walk.owners is None or not walk.control:
            continue
        side, persona = (("own", walk.owners[0]), ("tottori", walk.owners[1]))[number % 2]
        if persona not in clients:
            clients[persona] = client_for(world, persona)
        url = urls_of(name, walk.kwargs(world.get(walk.kind, side)))[0]
        with transaction.atomic():
            response = clients[persona].get(url)
            if response.status_code == 405:
                response = clients[persona].post(url)
            transaction.set_rollback(True)
        if response.status_code == 404 or response.status_code >= 500:
            missing.append(f"{persona} {url}: {response.status_code}")
    if missing:
        pytest.fail("\n".join(["owners cannot open their own records:", *missing]))


# Lists --------------------------------------------------------------------------------------

# API lists of records that are not public: route name -> the kind of their rows.
API_LISTS = {
    "api:corporation-list": "corporation",
    "api:facility-list": "facility",
    "api:council-list": "council",
    "api:membership-list": "membership",
    "api:survey-list": "survey",
    "api:grant-application-list": "grant_application",
    "api:stockyard-location-list": "location",
    "api:stockyard-item-list": "item",
    "api:stockyard-referral-list": "referral",
}


def foreign_filters(world, side: str) -> list[dict]:
    """No filter, and each filter naming the foreign side's prefecture, municipality or
    corporation: asking for another organisation's rows must not return them."""
    from sasaeai.testing.world import side_context

    context = side_context(world, side)
    return [
        {},
        {"prefecture": context["prefecture"]},
        {"municipality": context["municipality"]},
        {"corporation": context["corporation"].pk},
    ]


def row_ids(response) -> set:
    body = response.json() if response.status_code == 200 else {}
    rows = body.get("results", body) if isinstance(body, dict) else body
    return {row.get("id") for row in rows if isinstance(row, dict)}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [p for p in ORGANISATION if p != "anonymous"])
def test_api_lists_filtered_by_other_organisations_show_none_of_their_rows(world, persona):
    client = client_for(world, persona)
    leaks = []
    for name, kind in API_LISTS.items():
        walk = ROUTES.get(name.replace("-list", "-detail")) or Walk(kind)
        for side in foreign_sides(persona, Walk(kind, shared_with=walk.shared_with), None):
            foreign = world.get(kind, side).pk
            for query in foreign_filters(world, side):
                response = client.get(reverse(name), query)
                if foreign in row_ids(response):
                    leaks.append(f"{name} {query}: {kind} {foreign} of {side}")
    if leaks:
        pytest.fail("\n".join([f"{persona} lists other organisations' rows:", *leaks]))


# Every page, list and export without parameters, with the formats its links offer.
EXPORT_QUERIES = {
    "networks:export-networks": ("?format=xlsx", "?format=csv"),
    "events:reports": ("?format=xlsx",),
    "members_io:corporation-export": ("?format=xlsx", "?format=csv"),
    "members_io:facility-export": ("?format=xlsx", "?format=csv"),
}


def text_of(response) -> str:
    """A page's text, an export's cells (xlsx: the XML in its zip) or a CSV in either encoding."""
    import io
    import zipfile

    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"".join(archive.read(name) for name in archive.namelist())
    for encoding in ("utf-8", "cp932"):
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    return ""


def plain_routes() -> list[str]:
    """The URL of every project route without arguments, but the public API's lists (open
    data of every prefecture, filtered by ``?prefecture=``) and PDFs (compressed: not read)."""
    found = []
    for route, name, entry in named_patterns():
        if route.lstrip("^").startswith(THIRD_PARTY_PREFIXES) or entry.pattern.regex.groupindex:
            continue
        if name.startswith("api:") and access_of(entry.callback) == PUBLIC:
            continue
        if route.endswith(".pdf"):
            continue
        plain = "/" + route.replace("^", "").replace("$", "")
        url = reverse(name) if name.rsplit(":", 1)[-1] else plain
        found += [url] + [url + query for query in EXPORT_QUERIES.get(name, ())]
    return found


def links(world, persona: str, *, foreign: bool) -> set[str]:
    """The URLs of the walked routes filled with the records ``persona`` must not see (or, with
    ``foreign=False``, the records of the persona's own side)."""
    views = parameterised_routes()
    found = set()
    for name, walk in ROUTES.items():
        sides = foreign_sides(persona, walk, views[name])
        if not foreign:
            sides = set(SIDES) - set(sides)
        found |= {reverse(name, kwargs=walk.kwargs(world.get(walk.kind, s))) for s in sides}
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["center", "council", "corp_staff", "outsider", "tottori"])
def test_no_page_or_export_shows_another_organisations_records(world, persona, plain_404):
    """No page, list, dashboard or export links to a record the persona must not see (its
    URL in the walk's table); and pages are shown for the user's prefecture: the other
    prefecture's corporations are never named."""
    foreign = ("own", "other") if persona == "tottori" else ("tottori",)
    markers = {world.corporations[side].name for side in foreign}
    markers |= links(world, persona, foreign=True)
    own = links(world, persona, foreign=False)
    client = client_for(world, persona)
    leaks, own_seen = [], 0
    for url in plain_routes():
        response = client.get(url)
        text = text_of(response) if response.status_code == 200 else ""
        leaks += [f"{url} shows {marker}" for marker in sorted(markers) if marker in text]
        own_seen += sum(link in text for link in own)
    # The control: the same pages do link to the persona's own records.
    assert own_seen > 0, f"no page links to any record of {persona}'s own: the scan reads nothing"
    if leaks:
        pytest.fail("\n".join([f"{persona} sees other organisations' records:", *leaks]))


# Forms -------------------------------------------------------------------------------------

# The records no form may offer a persona to choose: those of the other prefecture, and for a
# corporation's staff the other corporation and its facilities.
OTHER_PREFECTURE = {
    "center": ("tottori",),
    "council": ("tottori",),
    "corp_staff": ("tottori",),
    "outsider": ("tottori",),
    "tottori": ("own", "other"),
}
OTHER_CORPORATION = {"corp_staff": "other", "outsider": "own"}


def forbidden_choices(world, persona: str) -> list:
    from django.db.models import Model

    from sasaeai.regions.models import Municipality

    found = []
    for kind, by_side in world.records.items():
        sides = set(OTHER_PREFECTURE[persona])
        if kind in {"corporation", "facility"} and persona in OTHER_CORPORATION:
            sides.add(OTHER_CORPORATION[persona])
        for side, record in by_side.items():
            if side not in sides or not record:
                continue
            if kind == "municipality_code":  # the world names a municipality by its code
                record = Municipality.objects.get(code=record)
            if isinstance(record, Model):
                found.append(record)
    return found


def forms_of(response) -> list:
    """Every form in a page's context, the forms of its formsets included."""
    from django.forms import BaseForm, BaseFormSet

    found, seen = [], set()
    contexts = response.context or []
    for context in contexts if isinstance(contexts, list) else [contexts]:
        for value in context.flatten().values():
            forms = value.forms if isinstance(value, BaseFormSet) else [value]
            for form in forms:
                if isinstance(form, BaseForm) and id(form) not in seen:
                    seen.add(id(form))
                    found.append(form)
    return found


def offered(form, records: list) -> list[str]:
    """The records among ``records`` that one of the form's choice fields offers."""
    from django.forms import ModelChoiceField

    shown = []
    for name, field in form.fields.items():
        if not isinstance(field, ModelChoiceField):
            continue
        model = field.queryset.model
        candidates = {r.pk: r for r in records if isinstance(r, model)}
        if candidates:
            hits = field.queryset.filter(pk__in=list(candidates)).values_list("pk", flat=True)
            shown += [f"{type(form).__name__}.{name}: {candidates[pk]!r}" for pk in hits]
    return shown


@pytest.mark.django_db
@pytest.mark.parametrize("persona", list(OTHER_PREFECTURE))
def test_no_form_offers_another_organisations_records(world, persona, plain_404):
    """A form's choices are the persona's to choose: the pages (plain ones, and those of the
    persona's own records) offer no record of the other prefecture, nor a corporation's staff
    another corporation or its facilities. A choice that is not offered is refused by the
    field, so the forms' bodies cannot carry a foreign id either."""
    client = client_for(world, persona)
    records = forbidden_choices(world, persona)
    assert records, "the world has no records to look for"
    leaks, forms_seen = [], 0
    for url in sorted(set(plain_routes()) | links(world, persona, foreign=False)):
        with transaction.atomic():
            response = client.get(url)
            transaction.set_rollback(True)
        for form in forms_of(response):
            forms_seen += 1
            leaks += [f"{url} {shown}" for shown in offered(form, records)]
    assert forms_seen > 20, f"only {forms_seen} forms seen: the scan reads nothing"
    if leaks:
        pytest.fail("\n".join([f"{persona} is offered other organisations' records:", *leaks]))
