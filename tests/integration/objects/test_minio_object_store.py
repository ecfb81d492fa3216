"""The MinIO adapter against a real S3-protocol server (moto) on loopback; no auth tests, moto ignores them."""

from __future__ import annotations

import hashlib
import io
import random
import socket

import minio
import pytest
import urllib3

from storage.objects import MinioObjectStore, ObjectNotFound, StorageError, UploadTooLarge

MIB = 1024 * 1024
KEY = "docs/2026/11/diploma-7f3a"


def _objects(client: minio.Minio, bucket: str) -> list[str]:
    return [o.object_name or "" for o in client.list_objects(bucket, recursive=True)]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_store_creates_its_bucket(minio_client: minio.Minio, bucket_name: str) -> None:
    MinioObjectStore(minio_client, bucket_name)
    assert minio_client.bucket_exists(bucket_name)


def test_a_second_store_on_an_existing_bucket_is_fine(minio_client: minio.Minio, bucket_name: str) -> None:
    MinioObjectStore(minio_client, bucket_name).put(
        KEY, io.BytesIO(b"x"), content_type="text/plain", max_bytes=10
    )
    assert MinioObjectStore(minio_client, bucket_name).exists(KEY)


def test_a_missing_bucket_is_an_error_naming_it_when_creation_is_off(
    minio_client: minio.Minio, bucket_name: str
) -> None:
    with pytest.raises(StorageError, match=bucket_name):
        MinioObjectStore(minio_client, bucket_name, create_bucket=False)
    assert not minio_client.bucket_exists(bucket_name)


def test_an_invalid_bucket_name_is_a_storage_error(minio_client: minio.Minio) -> None:
    with pytest.raises(StorageError, match="bucket=x"):
        MinioObjectStore(minio_client, "x")


def test_sha256_and_content_type_are_recorded_on_the_object(
    minio_store: MinioObjectStore, minio_client: minio.Minio
) -> None:
    data = b"\x89PNG\r\n\x1a\n survey photo"
    stored = minio_store.put(KEY, io.BytesIO(data), content_type="image/png", max_bytes=MIB)
    stat = minio_client.stat_object(minio_store.bucket, KEY)
    assert stat.metadata is not None
    assert stat.metadata["x-amz-meta-sha256"] == hashlib.sha256(data).hexdigest() == stored.sha256
    assert stat.content_type == "image/png"


def test_a_20_mib_file_goes_up_in_parts_and_reads_back_intact(
    minio_store: MinioObjectStore, minio_client: minio.Minio
) -> None:
    data = random.Random(20).randbytes(20 * MIB)
    stored = minio_store.put(KEY, io.BytesIO(data), content_type="application/pdf", max_bytes=64 * MIB)
    assert stored.size == 20 * MIB
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    # A multipart upload's ETag ends in "-<parts>": 8 MiB parts make three.
    assert (minio_client.stat_object(minio_store.bucket, KEY).etag or "").endswith("-3")
    digest = hashlib.sha256()
    with minio_store.open(KEY) as stream:
        for chunk in iter(lambda: stream.read(MIB), b""):
            digest.update(chunk)
    assert digest.hexdigest() == stored.sha256


def test_a_big_oversize_upload_leaves_the_bucket_empty(
    minio_store: MinioObjectStore, minio_client: minio.Minio
) -> None:
    data = io.BytesIO(bytes(12 * MIB))
    with pytest.raises(UploadTooLarge):
        minio_store.put(KEY, data, content_type="application/pdf", max_bytes=10 * MIB)
    assert _objects(minio_client, minio_store.bucket) == []


def test_a_missing_key_error_names_the_bucket_and_key(minio_store: MinioObjectStore) -> None:
    with pytest.raises(ObjectNotFound) as caught:
        minio_store.open(KEY)
    message = str(caught.value)
    assert minio_store.bucket in message
    assert KEY in message
    assert "NoSuchKey" in message


def test_a_server_error_becomes_storage_error_with_the_server_message(
    minio_store: MinioObjectStore, minio_client: minio.Minio
) -> None:
    minio_client.remove_bucket(minio_store.bucket)
    with pytest.raises(StorageError) as caught:
        minio_store.put(KEY, io.BytesIO(b"x"), content_type="text/plain", max_bytes=10)
    assert not isinstance(caught.value, ObjectNotFound)
    assert "NoSuchBucket" in str(caught.value)
    assert f"bucket={minio_store.bucket} key={KEY}" in str(caught.value)


def test_an_unreachable_server_becomes_storage_error() -> None:
    client = minio.Minio(
        f"127.0.0.1:{_closed_port()}",
        access_key="test",
        secret_key="test",
        secure=False,
        region="us-east-1",
        http_client=urllib3.PoolManager(retries=False),
    )
    with pytest.raises(StorageError, match="bucket=anpei-unreachable"):
        MinioObjectStore(client, "anpei-unreachable")


def test_from_settings_builds_a_working_store(s3_endpoint: str, bucket_name: str) -> None:
    store = MinioObjectStore.from_settings(s3_endpoint, "test", "test", bucket_name, secure=False)
    store.put(KEY, io.BytesIO(b"settings"), content_type="text/plain", max_bytes=100)
    with store.open(KEY) as stream:
        assert stream.read() == b"settings"


def test_closing_a_half_read_download_returns_its_connection_to_the_pool(
    s3_endpoint: str, bucket_name: str
) -> None:
    http = urllib3.PoolManager(maxsize=1)
    client = minio.Minio(s3_endpoint, access_key="test", secret_key="test", secure=False, http_client=http)
    store = MinioObjectStore(client, bucket_name)
    store.put(KEY, io.BytesIO(bytes(3 * MIB)), content_type="application/pdf", max_bytes=4 * MIB)
    host, port = s3_endpoint.split(":")
    pool = http.connection_from_host(host, int(port), scheme="http")
    assert pool.pool is not None
    for _ in range(3):
        with store.open(KEY) as stream:
            assert stream.read(10) == bytes(10)
            assert pool.pool.qsize() == 0
        assert stream.closed
        assert pool.pool.qsize() == 1
