"""A user of institution B can neither see nor touch institution A's instances, tasks and documents."""

from __future__ import annotations

import io

import pytest

from tests.e2e.api.conftest import PDF_BYTES, Api


@pytest.fixture
def records_of_a(api: Api, started) -> dict[str, object]:
    """An instance, its open task and a document, all of INST-A."""
    upload = api.post("/documents", data={"file": (io.BytesIO(PDF_BYTES), "a.pdf")}, content_type="multipart/form-data")
    return {"instance": started["id"], "task": started["tasks"][0]["id"], "document": upload.get_json()["id"]}


REQUESTS = [
    ("get", "/instances/{instance}"),
    ("get", "/tasks/{task}"),
    ("post", "/tasks/{task}/claim"),
    ("post", "/tasks/{task}/unclaim"),
    ("post", "/tasks/{task}/complete"),
    ("get", "/documents/{document}"),
    ("get", "/documents/{document}/content"),
]


@pytest.mark.parametrize(("method", "template"), REQUESTS)
def test_another_institution_gets_404_for_every_record_of_institution_a(api: Api, records_of_a, method, template):
    path = template.format(**records_of_a)
    kwargs = {"json": {"data": {"decision": "approve"}}} if method == "post" else {}
    response = getattr(api.as_user("inst_b"), method)(path, **kwargs)
    assert response.status_code == 404, response.get_json()
    assert str(records_of_a["instance"]) not in response.get_json().get("fields", {})
    assert getattr(api, method)(path, **kwargs).status_code in (200, 409), "the owner may use the same request"


@pytest.mark.parametrize("link", ["instance_id", "task_id"])
def test_another_institution_cannot_attach_files_to_institution_a_s_records(api: Api, records_of_a, link, wiring):
    value = records_of_a["instance" if link == "instance_id" else "task"]
    response = api.as_user("inst_b").post("/documents", data={"file": (io.BytesIO(PDF_BYTES), "b.pdf"), link: str(value)},
                                          content_type="multipart/form-data")
    assert response.status_code == 404
    with wiring.platform.uow() as uow:
        assert [d.id for d in uow.documents.for_instance(int(records_of_a["instance"]))] == []


def test_a_denied_download_is_audited(api: Api, records_of_a, wiring):
    api.as_user("inst_b").get(f"/documents/{records_of_a['document']}/content")
    with wiring.platform.uow() as uow:
        denied = [e for e in uow.audit.latest() if e.action == "document.download" and e.result == "denied"]
    assert [e.username for e in denied] == ["inst_b"]


def test_records_that_do_not_exist_are_404(api: Api, deployed):
    for path in ("/instances/999", "/tasks/00000000-0000-0000-0000-000000000000", "/documents/999",
                 "/documents/999/content"):
        assert api.get(path).status_code == 404, path
