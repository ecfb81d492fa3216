"""Behaviour every ObjectStore shares, run against the local directory and a real S3-protocol server."""

from __future__ import annotations

import hashlib
import io

import pytest

from storage.objects import (
    InvalidKey,
    ObjectNotFound,
    ObjectStore,
    StorageError,
    UploadTooLarge,
    safe_key,
)

MIB = 1024 * 1024
PATTERN = bytes(range(251)) * 4200
KEY = "docs/2026/11/0b6f3c2e-7d4a-4c39-9a51-2f1e8d7c6b5a"


class MeteredStream(io.RawIOBase):
    """A non-seekable source of n pseudo-random bytes (None = endless) that records every read size."""

    def __init__(self, n: int | None) -> None:
        super().__init__()
        self.remaining = n
        self.requests: list[int] = []
        self.served = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self.requests.append(size)
        want = size if size >= 0 else (self.remaining if self.remaining is not None else 10**12)
        if self.remaining is not None:
            want = min(want, self.remaining)
            self.remaining -= want
        self.served += want
        return (PATTERN * (want // len(PATTERN) + 1))[:want]


def _put(store: ObjectStore, data: bytes, key: str = KEY, max_bytes: int = 10 * MIB):
    return store.put(key, io.BytesIO(data), content_type="application/pdf", max_bytes=max_bytes)


def test_put_reports_the_size_sha256_and_content_type_of_what_was_written(store: ObjectStore) -> None:
    data = b"%PDF-1.4 scanned diploma"
    stored = _put(store, data)
    assert stored.key == KEY
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.content_type == "application/pdf"


def test_stored_bytes_read_back_identically_through_a_context_manager(store: ObjectStore) -> None:
    data = bytes(range(256)) * 1000
    _put(store, data)
    with store.open(KEY) as stream:
        assert stream.read() == data
    assert stream.closed


def test_open_stream_can_be_read_in_chunks(store: ObjectStore) -> None:
    data = b"0123456789" * 10_000
    _put(store, data)
    with store.open(KEY) as stream:
        chunks = iter(lambda: stream.read(4096), b"")
        assert b"".join(chunks) == data


def test_exists_and_size_follow_put_and_delete(store: ObjectStore) -> None:
    assert not store.exists(KEY)
    _put(store, b"x" * 1234)
    assert store.exists(KEY)
    assert store.size(KEY) == 1234
    store.delete(KEY)
    assert not store.exists(KEY)


def test_put_to_an_existing_key_replaces_the_object(store: ObjectStore) -> None:
    _put(store, b"first version")
    _put(store, b"second")
    with store.open(KEY) as stream:
        assert stream.read() == b"second"
    assert store.size(KEY) == 6


def test_empty_upload_is_stored_as_zero_bytes(store: ObjectStore) -> None:
    stored = _put(store, b"")
    assert stored.size == 0
    assert stored.sha256 == hashlib.sha256(b"").hexdigest()
    assert store.size(KEY) == 0


def test_upload_of_exactly_max_bytes_is_accepted(store: ObjectStore) -> None:
    assert _put(store, b"a" * 1000, max_bytes=1000).size == 1000


def test_oversize_upload_is_refused_and_nothing_is_stored(store: ObjectStore) -> None:
    with pytest.raises(UploadTooLarge) as caught:
        _put(store, b"a" * 1001, max_bytes=1000)
    assert caught.value.limit == 1000
    assert isinstance(caught.value, StorageError)
    assert "大小上限" in str(caught.value)
    assert not store.exists(KEY)


def test_oversize_upload_leaves_the_previous_version_intact(store: ObjectStore) -> None:
    _put(store, b"good scan")
    with pytest.raises(UploadTooLarge):
        _put(store, b"b" * 2000, max_bytes=1000)
    with store.open(KEY) as stream:
        assert stream.read() == b"good scan"


def test_upload_is_read_in_bounded_chunks_never_all_at_once(store: ObjectStore) -> None:
    source = MeteredStream(3 * MIB + 17)
    stored = store.put(KEY, source, content_type="image/png", max_bytes=10 * MIB)  # type: ignore[arg-type]
    assert stored.size == 3 * MIB + 17
    assert all(0 < size <= MIB for size in source.requests)


def test_endless_upload_stops_soon_after_the_limit(store: ObjectStore) -> None:
    source = MeteredStream(None)
    with pytest.raises(UploadTooLarge):
        store.put(KEY, source, content_type="image/png", max_bytes=2 * MIB)  # type: ignore[arg-type]
    assert source.served <= 2 * MIB + 1
    assert not store.exists(KEY)


def test_opening_a_missing_key_raises_object_not_found(store: ObjectStore) -> None:
    with pytest.raises(ObjectNotFound) as caught:
        store.open(KEY)
    assert KEY in str(caught.value)
    assert isinstance(caught.value, StorageError)


def test_size_of_a_missing_key_raises_object_not_found(store: ObjectStore) -> None:
    with pytest.raises(ObjectNotFound):
        store.size(KEY)


def test_deleting_a_missing_key_is_not_an_error_so_deletes_can_be_retried(store: ObjectStore) -> None:
    store.delete(KEY)
    store.delete(KEY)
    assert not store.exists(KEY)


def test_keys_built_by_safe_key_work_in_every_operation(store: ObjectStore) -> None:
    key = safe_key("photos", "2026", "11", "survey_01.jpg")
    store.put(key, io.BytesIO(b"jpeg"), content_type="image/jpeg", max_bytes=100)
    assert store.exists(key)
    assert store.size(key) == 4
    store.delete(key)
    assert not store.exists(key)


@pytest.mark.parametrize("key", ["../escape", "/etc/passwd", "a\\b", "a\x00b", "a//b", ".hidden", ""])
@pytest.mark.parametrize("operation", ["put", "open", "delete", "exists", "size"])
def test_unsafe_keys_are_refused_by_every_operation(store: ObjectStore, key: str, operation: str) -> None:
    calls = {
        "put": lambda: store.put(key, io.BytesIO(b"x"), content_type="text/plain", max_bytes=10),
        "open": lambda: store.open(key),
        "delete": lambda: store.delete(key),
        "exists": lambda: store.exists(key),
        "size": lambda: store.size(key),
    }
    with pytest.raises(InvalidKey):
        calls[operation]()
