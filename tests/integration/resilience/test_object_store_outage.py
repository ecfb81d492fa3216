"""Issue 11.4: the object store unreachable during an upload — a clear error, no dangling row; once it is back,
uploads work again without restarting the app."""

from __future__ import annotations

import io

import pytest
from moto.server import ThreadedMotoServer
from PIL import Image

from adapters.services.platform import documents
from adapters.services.platform.errors import InvalidData
from storage.models import AuditEntry, Document
from storage.objects import MinioObjectStore
from tests.support.live_server import free_port


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 90, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(people, store) -> int:
    return documents.attach(people.wiring.platform, store, people.actor("inst_a"),
                            documents.Upload(io.BytesIO(_png()), "身份证.png"), max_bytes=1 << 20,
                            field="id_copy")


def _rows(people) -> tuple[int, int]:
    with people.wiring.platform.reader() as uow:
        audits = uow.session.query(AuditEntry).filter(AuditEntry.action == "document.upload").count()
        return uow.session.query(Document).count(), audits


def test_an_upload_while_minio_is_down_is_refused_plainly_and_works_again_once_it_is_back(people):
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        store = MinioObjectStore.from_settings(f"127.0.0.1:{port}", "test", "test", "anpei-outage", secure=False)
        _upload(people, store)
    finally:
        server.stop()
    before = _rows(people)

    with pytest.raises(InvalidData) as refused:
        _upload(people, store)
    assert refused.value.errors == {"id_copy": documents.STORE_UNAVAILABLE}
    assert _rows(people) == before  # no document row, no audit entry for the failed upload

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()  # back online (the same process keeps the bucket, as a restarted MinIO does)
    try:
        document_id = _upload(people, store)  # the same store object: no restart
    finally:
        server.stop()
    assert document_id and _rows(people) == (before[0] + 1, before[1] + 1)
