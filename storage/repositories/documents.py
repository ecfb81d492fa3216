"""Document metadata rows; the bytes live in the object store."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Document


class DocumentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, document_id: int) -> Document | None:
        return self.session.get(Document, document_id)

    def add(self, document: Document) -> Document:
        self.session.add(document)
        self.session.flush()
        return document

    def for_instance(self, instance_id: int) -> Sequence[Document]:
        query = select(Document).where(Document.instance_id == instance_id).order_by(Document.id)
        return self.session.scalars(query).all()

    def many(self, ids: Sequence[int]) -> Sequence[Document]:
        return self.session.scalars(select(Document).where(Document.id.in_(ids))).all()
