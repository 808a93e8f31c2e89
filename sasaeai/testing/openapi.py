"""The API's OpenAPI schema as the tests read it (``/api/schema/`` serves the same)."""

from __future__ import annotations

from functools import cache

from drf_spectacular.generators import SchemaGenerator


@cache
def api_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def component(name: str) -> dict:
    return api_schema()["components"]["schemas"][name]


def responses(method: str, path: str) -> dict:
    return api_schema()["paths"][path][method.lower()]["responses"]
