"""Uploads through the task form and the /files routes: sniffed types, size limit, safe names, access, audit."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from PIL import Image
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from adapters.services.bootstrap import Wiring
from storage.models import Document
from tests.e2e.web.test_tasks_page import filled, start_every, text, wiring_with_every_field
from tests.support.platform import Directory

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def png_bytes(size: tuple[int, int] = (400, 300)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def wiring(tmp_path: Path, people_template: Path) -> Iterator[Wiring]:
    wiring = wiring_with_every_field(tmp_path, people_template, upload_max_mb=1)
    yield wiring
    wiring.dispose()


@pytest.fixture
def every(wiring: Wiring, people: Directory, open_task: Callable[[int], str]) -> tuple[int, str]:
    instance_id = start_every(wiring, people)
    return instance_id, open_task(instance_id)


def documents_of(wiring: Wiring, instance_id: int) -> list[Document]:
    with wiring.platform.uow() as uow:
        return list(uow.documents.for_instance(instance_id))


def upload(post: Callable[..., Any], client: FlaskClient, task_id: str, action: str = "draft",
           **files: Any) -> Any:
    return post(client, f"/tasks/{task_id}", {**filled(_action=action), **files})


def test_real_pdf_and_png_are_stored_and_the_png_gets_a_thumbnail(
        login: Callable[..., FlaskClient], post: Callable[..., Any], wiring: Wiring, every: tuple[int, str]) -> None:
    client = login("inst_a")
    response = upload(post, client, every[1], scan=(io.BytesIO(PDF), "培训计划.pdf"),
                      photos=[(io.BytesIO(png_bytes()), "合影.png")])
    assert response.status_code == 302
    docs = {d.filename: d for d in documents_of(wiring, every[0])}
    assert set(docs) == {"培训计划.pdf", "合影.png"}
    assert docs["培训计划.pdf"].content_type == "application/pdf" and docs["合影.png"].thumbnail
    page = text(client.get(f"/tasks/{every[1]}"))
    assert f'src="/files/{docs["合影.png"].id}/thumb"' in page and "培训计划.pdf" in page
    assert f'name="_keep_scan" value="{docs["培训计划.pdf"].id}"' in page
    thumb = client.get(f"/files/{docs['合影.png'].id}/thumb")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg" and thumb.data[:3] == b"\xff\xd8\xff"


def test_kept_uploads_go_into_the_submitted_data(login: Callable[..., FlaskClient], post: Callable[..., Any],
                                                 wiring: Wiring, every: tuple[int, str]) -> None:
    client = login("inst_a")
    upload(post, client, every[1], scan=(io.BytesIO(PDF), "a.pdf"))
    [doc] = documents_of(wiring, every[0])
    response = post(client, f"/tasks/{every[1]}", filled(_keep_scan=str(doc.id)))
    assert response.status_code == 302
    with wiring.platform.uow() as uow:
        assert uow.tasks.get(every[1]).submitted["scan"] == doc.id  # type: ignore[union-attr]


def test_disguised_executable_is_refused_next_to_the_field(login: Callable[..., FlaskClient],
                                                           post: Callable[..., Any], wiring: Wiring,
                                                           every: tuple[int, str]) -> None:
    response = upload(post, login("inst_a"), every[1], action="submit",
                      scan=(io.BytesIO(EXECUTABLE), "报名表.pdf"))
    page = text(response)
    assert response.status_code == 422
    field = page.split('id="field-scan"')[1].split('id="field-photos"')[0]
    assert "可执行文件" in field and "报名表.pdf" in field
    assert 'value="张三"' in page  # what was typed stays
    assert documents_of(wiring, every[0]) == []


def test_oversize_file_is_refused_with_a_message(login: Callable[..., FlaskClient],
                                                 csrf_token: Callable[[FlaskClient], str], wiring: Wiring,
                                                 every: tuple[int, str]) -> None:
    client = login("inst_a")
    big = FileStorage(io.BytesIO(PDF + b"0" * (1024 * 1024 + 10)), filename="big.pdf", content_type="application/pdf")
    # Encoded in memory: the test client would spool a body this large to a temporary file it never closes.
    boundary, body = encode_multipart(MultiDict({**filled(), "csrf_token": csrf_token(client), "scan": big}))
    page = text(client.post(f"/tasks/{every[1]}", data=body, content_type=f"multipart/form-data; boundary={boundary}"))
    assert "超过大小上限" in page.split('id="field-scan"')[1].split('id="field-photos"')[0]
    assert documents_of(wiring, every[0]) == []


def test_path_traversal_file_name_is_neutralised(login: Callable[..., FlaskClient], post: Callable[..., Any],
                                                 wiring: Wiring, every: tuple[int, str]) -> None:
    client = login("inst_a")
    upload(post, client, every[1], scan=(io.BytesIO(PDF), "../../etc/passwd.pdf"))
    [doc] = documents_of(wiring, every[0])
    assert doc.filename == "passwd.pdf" and ".." not in doc.object_key
    with client.get(f"/files/{doc.id}") as response:
        assert response.headers["Content-Disposition"] == "attachment; filename=passwd.pdf"


def test_download_streams_with_safe_headers_and_a_chinese_name(login: Callable[..., FlaskClient],
                                                              post: Callable[..., Any], wiring: Wiring,
                                                              every: tuple[int, str]) -> None:
    client = login("inst_a")
    upload(post, client, every[1], scan=(io.BytesIO(PDF), "培训计划.pdf"))
    [doc] = documents_of(wiring, every[0])
    with client.get(f"/files/{doc.id}") as response:
        assert response.status_code == 200 and response.data == PDF
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''%E5%9F%B9%E8%AE%AD" in disposition
    with client.get(f"/files/{doc.id}/preview") as preview:
        assert preview.headers["Content-Disposition"].startswith("inline;")
        assert "script-src 'none'" in preview.headers["Content-Security-Policy"]
    assert client.get(f"/files/{doc.id}/thumb").status_code == 404  # a PDF has no stored thumbnail


def test_image_preview_forbids_scripts(login: Callable[..., FlaskClient], post: Callable[..., Any],
                                       wiring: Wiring, every: tuple[int, str]) -> None:
    client = login("inst_a")
    upload(post, client, every[1], photos=[(io.BytesIO(png_bytes()), "p.png")])
    [doc] = documents_of(wiring, every[0])
    with client.get(f"/files/{doc.id}/preview") as preview:
        csp = preview.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp


def test_download_by_a_user_of_another_institution_is_404_and_audited_as_denied(
        login: Callable[..., FlaskClient], post: Callable[..., Any], app: Any, wiring: Wiring,
        every: tuple[int, str]) -> None:
    upload(post, login("inst_a"), every[1], scan=(io.BytesIO(PDF), "a.pdf"))
    [doc] = documents_of(wiring, every[0])
    other = login("inst_b", client=app.test_client())
    for url in (f"/files/{doc.id}", f"/files/{doc.id}/preview", f"/files/{doc.id}/thumb"):
        assert other.get(url).status_code == 404, url
    with wiring.platform.uow() as uow:
        denied = [e for e in uow.audit.latest(20) if e.result == "denied"]
    assert {e.action for e in denied} == {"document.download", "document.preview", "document.thumb"}
    assert all(e.username == "inst_b" and e.entity_id == str(doc.id) for e in denied)


def test_foreign_document_id_cannot_be_smuggled_into_a_task(login: Callable[..., FlaskClient],
                                                            post: Callable[..., Any], app: Any, wiring: Wiring,
                                                            people: Directory, open_task: Callable[[int], str],
                                                            every: tuple[int, str]) -> None:
    other_instance = start_every(wiring, people, "inst_b", "B-1")
    upload(post, login("inst_b", client=app.test_client()), open_task(other_instance),
           scan=(io.BytesIO(PDF), "b.pdf"))
    [foreign] = documents_of(wiring, other_instance)
    response = post(login("inst_a"), f"/tasks/{every[1]}", filled(_keep_scan=str(foreign.id)))
    assert response.status_code == 302
    with wiring.platform.uow() as uow:
        assert uow.tasks.get(every[1]).submitted["scan"] is None  # type: ignore[union-attr]
