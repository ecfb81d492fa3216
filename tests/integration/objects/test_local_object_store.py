"""The local-directory adapter: atomic writes, nothing left behind, keys confined to the root."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from storage.objects import LocalObjectStore, StorageError, UploadTooLarge

KEY = "docs/2026/11/scan-001"


class FailingStream(io.RawIOBase):
    """Serves some bytes, then fails the way a dropped client connection or a buggy reader would."""

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error
        self.calls = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self.calls += 1
        if self.calls > 2:
            raise self.error
        return b"x" * 1000


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_root_directory_is_created_when_missing(tmp_path: Path) -> None:
    LocalObjectStore(tmp_path / "a" / "b")
    assert (tmp_path / "a" / "b").is_dir()


def test_object_is_a_file_at_the_key_path_under_the_root(local_store: LocalObjectStore) -> None:
    local_store.put(KEY, io.BytesIO(b"pdf bytes"), content_type="application/pdf", max_bytes=100)
    assert (local_store.root / KEY).read_bytes() == b"pdf bytes"
    assert _files(local_store.root) == [local_store.root / KEY]


def test_oversize_upload_leaves_no_file_or_temp_file(local_store: LocalObjectStore) -> None:
    with pytest.raises(UploadTooLarge):
        local_store.put(KEY, io.BytesIO(b"x" * 101), content_type="application/pdf", max_bytes=100)
    assert _files(local_store.root) == []


def test_a_source_read_error_becomes_storage_error_and_leaves_nothing(local_store: LocalObjectStore) -> None:
    source = FailingStream(ConnectionResetError("client went away"))
    with pytest.raises(StorageError, match="client went away"):
        local_store.put(KEY, source, content_type="image/png", max_bytes=10_000)  # type: ignore[arg-type]
    assert _files(local_store.root) == []


def test_a_non_io_failure_propagates_unchanged_and_leaves_nothing(local_store: LocalObjectStore) -> None:
    source = FailingStream(KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        local_store.put(KEY, source, content_type="image/png", max_bytes=10_000)  # type: ignore[arg-type]
    assert _files(local_store.root) == []


def test_a_symlink_inside_the_root_cannot_lead_outside_it(
    local_store: LocalObjectStore, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_bytes(b"not yours")
    os.symlink(outside, local_store.root / "docs")
    with pytest.raises(StorageError, match="escapes the store root"):
        local_store.open("docs/secret")
    with pytest.raises(StorageError, match="escapes the store root"):
        local_store.put("docs/new", io.BytesIO(b"x"), content_type="text/plain", max_bytes=10)
    assert sorted(p.name for p in outside.iterdir()) == ["secret"]


def test_a_directory_is_not_an_object(local_store: LocalObjectStore) -> None:
    local_store.put(KEY, io.BytesIO(b"x"), content_type="text/plain", max_bytes=10)
    assert not local_store.exists("docs/2026")
    with pytest.raises(StorageError):
        local_store.open("docs/2026")
    with pytest.raises(StorageError):
        local_store.size("docs/2026")
