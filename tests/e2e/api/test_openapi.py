"""The OpenAPI document describes exactly the routes the app serves, and real responses fit its schemas."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from tests.e2e.api.conftest import PDF_BYTES, Api
from tests.e2e.api.schema_check import problems, resolve

PREFIX = "/api/v1"
IGNORED_METHODS = {"HEAD", "OPTIONS"}


@pytest.fixture
def doc(api: Api) -> dict[str, Any]:
    document: dict[str, Any] = api.as_user(None).get("/openapi.json").get_json()
    return document


def _served(app) -> dict[str, set[str]]:
    """Routes under /api/v1 in OpenAPI notation ('/tasks/{task_id}') → methods."""
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PREFIX + "/"):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix(PREFIX))
            routes.setdefault(path, set()).update(m.lower() for m in rule.methods - IGNORED_METHODS)
    return routes


def _schema(doc: dict[str, Any], path: str, method: str, status: int) -> dict[str, Any]:
    response = resolve(doc, doc["paths"][path][method]["responses"][str(status)])
    return response["content"]["application/json"]["schema"]


def _assert_fits(doc: dict[str, Any], path: str, method: str, response) -> None:
    schema = _schema(doc, path, method, response.status_code)
    assert problems(doc, schema, response.get_json()) == [], (path, method, response.status_code)


def test_every_api_route_is_documented_with_its_methods_and_nothing_else(app, doc):
    documented = {path: set(ops) for path, ops in doc["paths"].items()}
    assert doc["servers"] == [{"url": PREFIX}]
    assert _served(app) == documented


def test_path_parameters_match_the_route_arguments(doc):
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            named = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert named == set(re.findall(r"{(\w+)}", path)), (method, path)


def test_completion_documents_200_401_404_409_and_422_with_field_messages(doc):
    responses = doc["paths"]["/tasks/{task_id}/complete"]["post"]["responses"]
    assert {"200", "401", "404", "409", "422"} <= set(responses)
    invalid = resolve(doc, resolve(doc, responses["422"])["content"]["application/json"]["schema"])
    assert {"error", "message", "fields"} <= set(invalid["required"])
    assert invalid["properties"]["fields"]["additionalProperties"] == {"type": "string"}


def test_every_operation_but_the_document_itself_needs_the_bearer_token(doc):
    assert doc["openapi"] == "3.1.0"
    scheme = doc["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert doc["security"] == [{"bearerAuth": []}]
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            if path == "/openapi.json":
                assert op["security"] == []
            else:
                assert "security" not in op and "401" in op["responses"], (method, path)


def test_every_reference_in_the_document_resolves(doc):
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                resolve(doc, node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)


def test_real_workflow_responses_fit_the_documented_schemas(api: Api, doc, started):
    _assert_fits(doc, "/processes", "get", api.get("/processes"))
    task_id = started["tasks"][0]["id"]
    assert problems(doc, _schema(doc, "/instances", "post", 201), started) == []
    _assert_fits(doc, "/instances/{instance_id}", "get", api.get(f"/instances/{started['id']}"))
    _assert_fits(doc, "/tasks", "get", api.get("/tasks", query_string={"limit": 1}))
    _assert_fits(doc, "/tasks/{task_id}", "get", api.get(f"/tasks/{task_id}"))
    _assert_fits(doc, "/tasks/{task_id}/claim", "post", api.post(f"/tasks/{task_id}/claim"))
    _assert_fits(doc, "/tasks/{task_id}/unclaim", "post", api.post(f"/tasks/{task_id}/unclaim"))
    invalid = api.post(f"/tasks/{task_id}/complete", json={"data": {"decision": "maybe"}})
    assert invalid.status_code == 422
    _assert_fits(doc, "/tasks/{task_id}/complete", "post", invalid)
    done = api.post(f"/tasks/{task_id}/complete", json={"data": {"decision": "approve"}})
    assert done.status_code == 200
    _assert_fits(doc, "/tasks/{task_id}/complete", "post", done)
    again = api.post(f"/tasks/{task_id}/complete", json={"data": {"decision": "approve"}})
    assert again.status_code == 409
    _assert_fits(doc, "/tasks/{task_id}/complete", "post", again)


def test_real_document_and_error_responses_fit_the_documented_schemas(api: Api, doc):
    upload = api.post("/documents", data={"file": (io.BytesIO(PDF_BYTES), "a.pdf")}, content_type="multipart/form-data")
    assert upload.status_code == 201
    _assert_fits(doc, "/documents", "post", upload)
    document_id = upload.get_json()["id"]
    _assert_fits(doc, "/documents/{document_id}", "get", api.get(f"/documents/{document_id}"))
    _assert_fits(doc, "/documents/{document_id}", "get", api.get("/documents/999"))
    _assert_fits(doc, "/documents/{document_id}", "get", api.as_user(None).get(f"/documents/{document_id}"))
    refused = api.post("/documents", data={"file": (io.BytesIO(b"MZ" + b"\0" * 64), "x.pdf")},
                       content_type="multipart/form-data")
    _assert_fits(doc, "/documents", "post", refused)


def test_the_checker_itself_catches_a_wrong_shape(doc):
    task = resolve(doc, {"$ref": "#/components/schemas/Task"})
    found = problems(doc, task, {"id": 5, "title": "x", "process_key": "p", "instance_id": True, "state": "done"})
    assert any("$.id" in p for p in found) and any("$.instance_id" in p for p in found)
    assert any("role_key" in p for p in found) and any("$.state" in p for p in found)
