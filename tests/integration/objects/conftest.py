"""Fixtures for the object stores: a real S3-protocol server (moto) on loopback and a temp directory."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import minio
import pytest
from moto.server import ThreadedMotoServer

from storage.objects import LocalObjectStore, MinioObjectStore, ObjectStore


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """host:port of a moto S3 server; it does not check signatures, so no auth tests against it."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def minio_client(s3_endpoint: str) -> minio.Minio:
    """A plain MinIO client talking HTTP to the moto server."""
    return minio.Minio(s3_endpoint, access_key="test", secret_key="test", secure=False)


@pytest.fixture
def bucket_name() -> str:
    """A fresh bucket per test, so no test sees another's objects."""
    return f"anpei-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def minio_store(minio_client: minio.Minio, bucket_name: str) -> MinioObjectStore:
    """The MinIO adapter on its own new bucket."""
    return MinioObjectStore(minio_client, bucket_name)


@pytest.fixture
def local_store(tmp_path: Path) -> LocalObjectStore:
    """The local-directory adapter rooted in a temp directory."""
    return LocalObjectStore(tmp_path / "objects")


@pytest.fixture(params=["local", "minio"])
def store(request: pytest.FixtureRequest) -> ObjectStore:
    """Each adapter in turn, for the behaviour every ObjectStore must share."""
    adapter: ObjectStore = request.getfixturevalue(f"{request.param}_store")
    return adapter
