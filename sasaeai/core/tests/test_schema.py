"""The OpenAPI schema documents the errors each operation can answer."""

from drf_spectacular.generators import SchemaGenerator


def operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_documents_403_and_a_json_error():
    for label, operation in operations():
        refused = operation["responses"].get("403")
        assert refused, label
        if "content" in refused:
            assert "application/json" in refused["content"], label


def test_operations_with_input_document_400_and_with_parameters_404():
    for label, operation in operations():
        parameters = operation.get("parameters", [])
        if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
            assert "400" in operation["responses"], label
        if parameters:
            assert "404" in operation["responses"], label


def test_declared_answers_are_kept():
    declared = dict(operations())["POST /api/v1/stockyard/referrals/{id}/approve/"]
    assert declared["responses"]["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/StockyardRefused"
    }
