"""The API's OpenAPI schema: drf-spectacular's, with the errors every operation can answer.

Apart from ``core.api`` because drf-spectacular's schema module imports DRF's generic views,
which import ``core.api.Pagination``."""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers


@extend_schema_field(
    {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
)
class DetailField(serializers.Field):
    """One message, or several."""


class ErrorSerializer(serializers.Serializer):
    """An error in the user's language: ``detail``, and/or the messages of each field by name
    (``{"household": {"size": ["..."]}}``)."""

    detail = DetailField(required=False)


def error(description: str) -> OpenApiResponse:
    """An error answer for ``@extend_schema(responses=...)``."""
    return OpenApiResponse(ErrorSerializer, description=description)


class AutoSchema(openapi.AutoSchema):
    """Every operation documents its errors, so that clients (and the fuzz test) read the
    truth: 403 when credentials are missing or refused or the role may not act (a refused
    token is refused on public operations too); 400 for an invalid query or body; 404 for
    what does not exist or is not the user's (the same answer), a page past the last or an
    unknown prefecture. What an operation declares itself (409 for a broken rule) is kept."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        codes = {"403": "Credentials missing or refused, or not allowed for this role."}
        if "requestBody" in operation or any(p["in"] != "path" for p in parameters):
            codes["400"] = "Invalid parameters or body; the messages name each field."
        if parameters:
            codes["404"] = "Not found, or not yours (the same answer)."
        for code, description in codes.items():
            if code not in operation["responses"]:
                operation["responses"][code] = self._get_response_for_code(error(description), code)
        return operation
