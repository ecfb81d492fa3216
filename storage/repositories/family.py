"""What every process family's repository does the same way: write in the caller's transaction, undo a block."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from storage.models import Organisation


class FamilyRepository:
    """The base of a family's repository; the family adds its own queries."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Run a block whose writes are undone if it raises, without ending the step's transaction."""
        with self.session.begin_nested():
            yield

    def add(self, row: object) -> None:
        self.session.add(row)
        self.session.flush()

    def add_all(self, rows: Iterable[object]) -> None:
        self.session.add_all(list(rows))
        self.session.flush()

    def delete(self, row: object) -> None:
        self.session.delete(row)
        self.session.flush()

    def organisation(self, organisation_id: int | None) -> Organisation | None:
        return self.session.get(Organisation, organisation_id) if organisation_id else None
