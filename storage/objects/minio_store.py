"""Object store on MinIO (or any S3 server): spooled, size-bounded uploads and closeable download streams."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, BinaryIO, cast

import minio
import urllib3
from minio.error import MinioException, S3Error

from storage.objects.base import (
    CHUNK_SIZE,
    ObjectNotFound,
    StorageError,
    StoredObject,
    check_key,
    copy_bounded,
)

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

# Up to this much of an upload stays in memory while it is hashed and measured; the rest spills to disk.
SPOOL_MEMORY = 8 * 1024 * 1024
# Objects above one part go up as multipart; S3 needs parts of at least 5 MiB and at most 10,000 of them.
PART_SIZE = 8 * 1024 * 1024
MAX_PARTS = 10_000
# Each parallel part is held in memory by the client, so this bounds upload memory to (n + 1) parts.
PARALLEL_PARTS = 2
SHA256_METADATA = "sha256"
_MISSING_CODES = frozenset({"NoSuchKey", "NoSuchObject", "NotFound"})


class MinioObjectStore:
    """Objects in one bucket; the SHA-256 is also stored as object metadata (x-amz-meta-sha256)."""

    def __init__(self, client: minio.Minio, bucket: str, *, create_bucket: bool = True) -> None:
        self._client = client
        self.bucket = bucket
        with self._errors("检查存储桶", ""):
            if not client.bucket_exists(bucket):
                if not create_bucket:
                    raise StorageError(f"存储桶不存在：{bucket}（bucket does not exist）")
                self._make_bucket()

    @classmethod
    def from_settings(
        cls,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        *,
        secure: bool,
        region: str | None = None,
    ) -> MinioObjectStore:
        """Build the client with short connect timeouts so a dead MinIO fails a request, not hangs it."""
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=5, read=120),
            maxsize=10,
            # System trust store unless SSL_CERT_FILE says otherwise: an intranet CA lives there.
            ca_certs=os.environ.get("SSL_CERT_FILE") or None,
            retries=urllib3.Retry(total=3, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504]),
        )
        client = minio.Minio(
            endpoint,
            access_key=access_key,
            secret_key=secret_key,
            secure=secure,
            region=region,
            http_client=http,
        )
        return cls(client, bucket)

    def put(self, key: str, stream: BinaryIO, *, content_type: str, max_bytes: int) -> StoredObject:
        """Spool and hash first, so an oversize stream is refused before anything reaches the bucket."""
        check_key(key)
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY) as spool:
            try:
                size, sha256 = copy_bounded(stream, spool, max_bytes)
            except OSError as exc:
                raise StorageError(f"暂存上传文件 {key} 失败（spooling failed）：{exc}") from exc
            spool.seek(0)
            with self._errors("上传", key):
                self._client.put_object(
                    self.bucket,
                    key,
                    cast(BinaryIO, spool),
                    length=size,
                    content_type=content_type,
                    metadata={SHA256_METADATA: sha256},
                    part_size=_part_size(size),
                    num_parallel_uploads=PARALLEL_PARTS,
                )
        return StoredObject(key=key, size=size, sha256=sha256, content_type=content_type)

    def open(self, key: str) -> BinaryIO:
        """Stream the object; closing the stream (or leaving its with-block) releases the connection."""
        check_key(key)
        with self._errors("读取", key):
            response = self._client.get_object(self.bucket, key)
        where = f"bucket={self.bucket} key={key}"
        return io.BufferedReader(_ResponseReader(response, where), buffer_size=CHUNK_SIZE)

    def delete(self, key: str) -> None:
        """Remove the object; S3 treats a missing key as already deleted."""
        check_key(key)
        with self._errors("删除", key):
            self._client.remove_object(self.bucket, key)

    def exists(self, key: str) -> bool:
        """Whether the bucket holds key."""
        try:
            self.size(key)
        except ObjectNotFound:
            return False
        return True

    def size(self, key: str) -> int:
        """Size in bytes from a HEAD request."""
        check_key(key)
        with self._errors("查询", key):
            stat = self._client.stat_object(self.bucket, key)
        if stat.size is None:
            raise StorageError(f"对象存储未返回大小：bucket={self.bucket} key={key}（no size in HEAD）")
        return stat.size

    def _make_bucket(self) -> None:
        """Create the bucket, tolerating a concurrent worker that created it first."""
        try:
            self._client.make_bucket(self.bucket)
        except S3Error as exc:
            if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise

    @contextmanager
    def _errors(self, action: str, key: str) -> Iterator[None]:
        """Turn client and transport errors into StorageError naming the bucket and key."""
        where = f"bucket={self.bucket} key={key}" if key else f"bucket={self.bucket}"
        try:
            yield
        except S3Error as exc:
            if key and exc.code in _MISSING_CODES:
                raise ObjectNotFound(f"对象不存在：{where}（{exc.code}: {exc.message}）") from exc
            raise StorageError(f"对象存储{action}失败：{where}（{exc.code}: {exc.message}）") from exc
        except (MinioException, urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
            raise StorageError(f"对象存储{action}失败：{where}（{type(exc).__name__}: {exc}）") from exc


class _ResponseReader(io.RawIOBase):
    """A raw stream over an HTTP response that closes it and hands the connection back to the pool."""

    def __init__(self, response: urllib3.BaseHTTPResponse, where: str) -> None:
        super().__init__()
        self._response = response
        self._where = where

    def readable(self) -> bool:
        """Always readable until closed."""
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        """Fill buffer from the response; a dropped connection becomes a StorageError."""
        view = memoryview(buffer).cast("B")
        try:
            data = self._response.read(len(view))
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise StorageError(f"读取对象中断：{self._where}（{type(exc).__name__}: {exc}）") from exc
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        """Close the response and release its pooled connection, once."""
        if not self.closed:
            try:
                self._response.close()
                self._response.release_conn()
            finally:
                super().close()


def _part_size(size: int) -> int:
    """Part size for a known length: PART_SIZE, grown in whole MiB only when 10,000 parts would not do."""
    needed = -(-size // MAX_PARTS)
    mib = 1024 * 1024
    return max(PART_SIZE, -(-needed // mib) * mib)
