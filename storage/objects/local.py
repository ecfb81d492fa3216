"""Object store on a local directory: temp file + fsync + atomic rename, keys confined to the root."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from storage.objects.base import ObjectNotFound, StorageError, StoredObject, check_key, copy_bounded


class LocalObjectStore:
    """Files under root/<key>; a reader never sees a half-written object."""

    def __init__(self, root: Path) -> None:
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"无法创建存储目录 {root}（cannot create store root）：{exc}") from exc
        self.root = root.resolve()

    def put(self, key: str, stream: BinaryIO, *, content_type: str, max_bytes: int) -> StoredObject:
        """Stream into a temp file beside the target, then rename over it only if it fits."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        except OSError as exc:
            raise StorageError(f"无法写入对象 {key}（cannot write object）：{exc}") from exc
        try:
            with os.fdopen(fd, "wb") as tmp:
                size, sha256 = copy_bounded(stream, tmp, max_bytes)
                tmp.flush()
                os.fsync(tmp.fileno())
            os.replace(tmp_name, path)
        except BaseException as exc:
            # Whatever failed (too large, disk full, client gone), the temp file must not survive.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
            if isinstance(exc, OSError):
                raise StorageError(f"写入对象 {key} 失败（write failed）：{exc}") from exc
            raise
        _fsync_dir(path.parent)
        return StoredObject(key=key, size=size, sha256=sha256, content_type=content_type)

    def open(self, key: str) -> BinaryIO:
        """Open the object for binary reading."""
        path = self._path(key)
        try:
            return path.open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise ObjectNotFound(f"对象不存在：{key}（no such object）") from exc
        except OSError as exc:
            raise StorageError(f"无法读取对象 {key}（cannot open object）：{exc}") from exc

    def delete(self, key: str) -> None:
        """Remove the object; a missing key is fine so that deletes can be retried."""
        path = self._path(key)
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError(f"删除对象 {key} 失败（delete failed）：{exc}") from exc

    def exists(self, key: str) -> bool:
        """Whether a regular file is stored under key."""
        return self._path(key).is_file()

    def size(self, key: str) -> int:
        """Size of the stored file in bytes."""
        path = self._path(key)
        if not path.is_file():
            raise ObjectNotFound(f"对象不存在：{key}（no such object）")
        try:
            return path.stat().st_size
        except OSError as exc:
            raise StorageError(f"无法读取对象 {key} 的大小（stat failed）：{exc}") from exc

    def _path(self, key: str) -> Path:
        """Map a validated key to a path, re-checking containment after symlinks are resolved."""
        path = (self.root / check_key(key)).resolve()
        if not path.is_relative_to(self.root):
            raise StorageError(f"对象键 {key} 指向存储目录之外（key escapes the store root）")
        return path


def _fsync_dir(directory: Path) -> None:
    """Persist the rename itself; without this a crash can lose a file that put() reported as stored."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # Platforms without directory fds (Windows) persist renames differently.
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
