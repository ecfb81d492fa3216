"""Object stores for uploaded and generated files, plus upload sniffing and thumbnails."""

from storage.objects.base import (
    InvalidKey,
    ObjectNotFound,
    ObjectStore,
    StorageError,
    StoredObject,
    UploadTooLarge,
    check_key,
    safe_key,
)
from storage.objects.local import LocalObjectStore
from storage.objects.minio_store import MinioObjectStore
from storage.objects.sniff import (
    ALLOWED,
    JPEG,
    PDF,
    PNG,
    XLSX,
    UnsupportedFileType,
    check_upload,
    safe_filename,
    sniff,
    sniff_stream,
)
from storage.objects.thumbnails import ImageTooLarge, make_thumbnail

__all__ = [
    "ALLOWED",
    "JPEG",
    "PDF",
    "PNG",
    "XLSX",
    "ImageTooLarge",
    "InvalidKey",
    "LocalObjectStore",
    "MinioObjectStore",
    "ObjectNotFound",
    "ObjectStore",
    "StorageError",
    "StoredObject",
    "UnsupportedFileType",
    "UploadTooLarge",
    "check_key",
    "check_upload",
    "make_thumbnail",
    "safe_filename",
    "safe_key",
    "sniff",
    "sniff_stream",
]
