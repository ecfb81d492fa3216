"""The object-store interface: one protocol, one error family, key validation and a bounded copy."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import IO, BinaryIO, Protocol

# Reads are bounded so an upload never sits in memory whole, whatever the source stream is.
CHUNK_SIZE = 1024 * 1024
MAX_KEY_LENGTH = 512
# A conservative alphabet: S3 and every local filesystem agree on it, and since a segment can never
# start with a dot, the adapters' hidden temp files (".upload-…") can never collide with a key.
_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")


class StorageError(Exception):
    """Anything that went wrong in an object store; the message names the bucket/key involved."""


class UploadTooLarge(StorageError):
    """The upload stream was longer than the caller's limit; nothing was stored."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"文件超过大小上限 {_human(limit)}（upload exceeds {limit} bytes）")


class ObjectNotFound(StorageError):
    """The key does not name a stored object."""


class InvalidKey(StorageError, ValueError):
    """The key could escape the store or is not in the allowed alphabet."""


@dataclass(frozen=True)
class StoredObject:
    """What a successful put wrote."""

    key: str
    size: int
    sha256: str
    content_type: str


class ObjectStore(Protocol):
    """Where uploaded and generated files live; keys come from safe_key()."""

    def put(self, key: str, stream: BinaryIO, *, content_type: str, max_bytes: int) -> StoredObject:
        """Stream into key (replacing it); raise UploadTooLarge and store nothing past max_bytes."""
        ...

    def open(self, key: str) -> BinaryIO:
        """Return a readable stream of the object; the caller closes it (it is a context manager)."""
        ...

    def delete(self, key: str) -> None:
        """Remove the object; deleting a missing key is not an error (S3 semantics)."""
        ...

    def exists(self, key: str) -> bool:
        """Whether an object is stored under key."""
        ...

    def size(self, key: str) -> int:
        """Size in bytes; ObjectNotFound when missing."""
        ...


def safe_key(*parts: str) -> str:
    """Join parts ("docs", "2026", "11", uuid) into a key, refusing anything that could escape the store."""
    if not parts:
        raise InvalidKey("对象键为空（empty object key）")
    for part in parts:
        if not isinstance(part, str):
            raise InvalidKey(f"对象键的组成部分必须是字符串：{part!r}（key part must be str）")
        if part.startswith("/"):
            raise InvalidKey(f"对象键不能是绝对路径：{part!r}（absolute key part）")
    return check_key("/".join(parts))


def check_key(key: str) -> str:
    """Return key unchanged if every "/"-separated segment is safe, else raise InvalidKey."""
    if not key:
        raise InvalidKey("对象键为空（empty object key）")
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidKey(f"对象键超过 {MAX_KEY_LENGTH} 个字符（key too long）")
    for bad, why in (("\x00", "NUL"), ("\\", "反斜杠 backslash")):
        if bad in key:
            raise InvalidKey(f"对象键含有非法字符 {why}：{key!r}（invalid object key）")
    if key.startswith("/"):
        raise InvalidKey(f"对象键不能是绝对路径：{key!r}（absolute key）")
    for segment in key.split("/"):
        if not segment:
            raise InvalidKey(f"对象键含有空段：{key!r}（empty key segment）")
        if segment in (".", ".."):
            raise InvalidKey(f"对象键含有 {segment!r} 段：{key!r}（path traversal）")
        if not _SEGMENT.fullmatch(segment):
            raise InvalidKey(
                f"对象键段 {segment!r} 只能包含字母、数字、._-，且不能以点开头（invalid key segment）"
            )
    return key


def copy_bounded(source: IO[bytes], target: IO[bytes], max_bytes: int) -> tuple[int, str]:
    """Copy source to target chunk by chunk; return (size, sha256 hex) or raise UploadTooLarge."""
    if max_bytes < 0:
        raise ValueError(f"max_bytes must be >= 0, got {max_bytes}")
    digest = hashlib.sha256()
    size = 0
    while True:
        # One byte past the limit is enough to know the stream is too long.
        chunk = source.read(min(CHUNK_SIZE, max_bytes - size + 1))
        if not chunk:
            return size, digest.hexdigest()
        size += len(chunk)
        if size > max_bytes:
            raise UploadTooLarge(max_bytes)
        digest.update(chunk)
        target.write(chunk)


def _human(n: int) -> str:
    """Render a byte count the way a user reads it (10 MiB, 512 KiB, 300 B)."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            value = n / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} B"
