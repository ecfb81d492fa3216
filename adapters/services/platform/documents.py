"""Documents: upload untrusted files to the object store (sniffed, bounded, hashed) and read them back with
access checks and an audit entry. The metadata row and the object are both written, or neither."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import BinaryIO

from adapters.services.platform import Platform
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import InvalidData, NotFound
from storage.models import Document, HumanTask
from storage.objects import (
    JPEG,
    PDF,
    PNG,
    ImageTooLarge,
    ObjectStore,
    StorageError,
    UploadTooLarge,
    check_upload,
    make_thumbnail,
    safe_filename,
    safe_key,
)
from storage.uow import UnitOfWork

DEFAULT_TYPES = frozenset({PDF, JPEG, PNG})
STORE_UNAVAILABLE = "文件存储服务暂时无法使用，文件未保存，请稍后重试"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upload:
    stream: BinaryIO
    filename: str
    kind: str = ""


def attach(platform: Platform, store: ObjectStore, actor: Actor, upload: Upload, *, max_bytes: int,
           allowed: Collection[str] = DEFAULT_TYPES, organisation_id: int | None = None,
           instance_id: int | None = None, task_id: str | None = None, field: str = "file") -> int:
    """Store one uploaded file for the actor's organisation; returns the document id."""
    try:
        content_type = check_upload(upload.stream, set(allowed))
        thumbnail = make_thumbnail(upload.stream) if content_type in (JPEG, PNG) else None
        upload.stream.seek(0)
    except (StorageError, ImageTooLarge) as err:
        raise InvalidData({field: str(err)}, "文件被拒绝") from err
    now = platform.now()
    key = safe_key("docs", f"{now:%Y}", f"{now:%m}", uuid.uuid4().hex)
    try:
        stored = store.put(key, upload.stream, content_type=content_type, max_bytes=max_bytes)
    except UploadTooLarge as err:
        raise InvalidData({field: str(err)}, "文件被拒绝") from err
    except StorageError as err:  # the store is down or refused: say so plainly, keep the detail for operators
        log.warning("upload of %s to the object store failed: %s", key, err)
        raise InvalidData({field: STORE_UNAVAILABLE}, "文件上传失败") from err
    try:
        with platform.uow() as uow:
            document = uow.documents.add(Document(
                organisation_id=organisation_id or actor.organisation_id, instance_id=instance_id, task_id=task_id,
                kind=upload.kind[:60], filename=safe_filename(upload.filename), content_type=content_type,
                size=stored.size, sha256=stored.sha256, object_key=stored.key, thumbnail=thumbnail,
                uploaded_by_id=actor.user_id, uploaded_at=now))
            uow.audit.record("document.upload", user_id=actor.user_id, username=actor.username,
                             instance_id=instance_id, task_id=task_id, entity="document", entity_id=document.id,
                             detail={"filename": document.filename, "sha256": stored.sha256, "size": stored.size})
            uow.commit()
            return document.id
    except BaseException:
        store.delete(key)  # no metadata row was written, so the object must not stay behind
        raise


def visible_document(uow: UnitOfWork, actor: Actor, document_id: int) -> Document:
    document = uow.documents.get(document_id)
    if document is None or not (actor.is_admin or actor.sees_organisation(document.organisation_id)
                                or _shared_through_task(uow, actor, document)):
        raise NotFound(f"文件 {document_id} 不存在")
    return document


def usable_in_task(uow: UnitOfWork, actor: Actor, document: Document | None, task: HumanTask) -> bool:
    """Whether a document id posted for a task may go into its data: one rule for the web form and the API.

    The document must be visible to the actor and belong to the task's instance, or be the actor's own upload
    not linked to any instance yet (an API client uploads first, then completes).
    """
    if document is None:
        return False
    try:
        visible_document(uow, actor, document.id)
    except NotFound:
        return False
    return document.instance_id == task.instance_id or (
        document.instance_id is None and document.uploaded_by_id == actor.user_id)


def _shared_through_task(uow: UnitOfWork, actor: Actor, document: Document) -> bool:
    """A reviewer sees the documents of instances they have a task in (e.g. the bureau reviewing an archive)."""
    if document.instance_id is None:
        return False
    return any(t.organisation_id == actor.organisation_id or t.completed_by_id == actor.user_id
               for t in uow.tasks.for_instance(document.instance_id))


def document_info(platform: Platform, actor: Actor, document_id: int) -> Document:
    with platform.reader() as uow:
        return visible_document(uow, actor, document_id)


def open_document(platform: Platform, store: ObjectStore, actor: Actor, document_id: int,
                  *, purpose: str = "download") -> tuple[Document, BinaryIO]:
    """Check access, log the read, and return the metadata with an open stream (the caller closes it)."""
    with platform.uow() as uow:
        try:
            document = visible_document(uow, actor, document_id)
        except NotFound:
            uow.audit.record(f"document.{purpose}", user_id=actor.user_id or None, username=actor.username,
                             result="denied", entity="document", entity_id=document_id)
            uow.commit()
            raise
        uow.audit.record(f"document.{purpose}", user_id=actor.user_id or None, username=actor.username,
                         instance_id=document.instance_id, entity="document", entity_id=document.id)
        uow.commit()
    try:
        return document, store.open(document.object_key)
    except StorageError as err:
        raise NotFound(f"文件 {document_id} 的内容不可用：{err}") from err


def documents_of_instance(platform: Platform, actor: Actor, instance_id: int) -> list[Document]:
    from adapters.services.platform.instances import visible_instance

    with platform.reader() as uow:
        visible_instance(uow, actor, instance_id)
        return list(uow.documents.for_instance(instance_id))
