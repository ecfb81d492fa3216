"""Uploading and reading documents through the API: sniffed, hashed, linked only to what you can see, audited."""

from __future__ import annotations

import hashlib
import io

from tests.e2e.api.conftest import PDF_BYTES, Api


def _upload(api: Api, data: bytes = PDF_BYTES, filename: str = "毕业证.pdf", **fields: object):
    form = {"file": (io.BytesIO(data), filename), **{k: str(v) for k, v in fields.items()}}
    return api.post("/documents", data=form, content_type="multipart/form-data")


def test_uploading_a_pdf_answers_201_with_its_hash_size_and_type(api: Api, people):
    response = _upload(api, kind="diploma")
    assert response.status_code == 201
    body = response.get_json()
    assert body["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest() and body["size"] == len(PDF_BYTES)
    assert (body["content_type"], body["filename"], body["kind"]) == ("application/pdf", "毕业证.pdf", "diploma")
    assert body["organisation_id"] == people.orgs["INST-A"]
    assert response.headers["Location"].endswith(f"/api/v1/documents/{body['id']}")


def test_an_upload_can_be_linked_to_a_task_and_its_instance(api: Api, started):
    task_id = started["tasks"][0]["id"]
    body = _upload(api, task_id=task_id).get_json()
    assert (body["task_id"], body["instance_id"]) == (task_id, started["id"])
    both = _upload(api, task_id=task_id, instance_id=started["id"])
    assert both.status_code == 201


def test_a_task_of_another_instance_is_refused_naming_task_id(api: Api, started, deployed):
    other = api.post("/instances", json={"process_key": deployed}).get_json()
    response = _upload(api, task_id=started["tasks"][0]["id"], instance_id=other["id"])
    assert response.status_code == 422 and set(response.get_json()["fields"]) == {"task_id"}


def test_a_disguised_executable_is_refused_naming_the_file_field(api: Api, wiring):
    response = _upload(api, data=b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, filename="diploma.pdf")
    assert response.status_code == 422
    fields = response.get_json()["fields"]
    assert set(fields) == {"file"} and "可执行" in fields["file"]
    with wiring.platform.uow() as uow:
        assert uow.documents.get(1) is None


def test_missing_file_and_bad_ids_are_422_naming_each_field(api: Api):
    response = api.post("/documents", data={"instance_id": "abc"}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"file", "instance_id"}


def test_metadata_and_content_can_be_read_back_and_the_download_is_audited(api: Api, wiring):
    document_id = _upload(api).get_json()["id"]
    meta = api.get(f"/documents/{document_id}")
    assert meta.status_code == 200 and meta.get_json()["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    content = api.get(f"/documents/{document_id}/content")
    assert content.status_code == 200 and content.data == PDF_BYTES
    assert content.mimetype == "application/pdf" and content.headers["X-Content-Type-Options"] == "nosniff"
    assert content.headers["Content-Disposition"].startswith("attachment")
    with wiring.platform.uow() as uow:
        actions = [(e.action, e.username, e.entity_id) for e in uow.audit.latest()]
    assert ("document.download", "inst_a", str(document_id)) in actions
    assert ("document.upload", "inst_a", str(document_id)) in actions


def test_the_bureau_reads_documents_of_institutions_in_its_jurisdiction(api: Api):
    document_id = _upload(api).get_json()["id"]
    assert api.as_user("bureau").get(f"/documents/{document_id}/content").data == PDF_BYTES
