"""The unit of work of the step being run, for service-task adapters that write domain records.

Service tasks run inside the engine, called by name with plain parameters. When one must write (assign
certificate numbers, record a deadline), it does so in the *same* transaction as the step that called it, so
the instance state and the domain records commit or roll back together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from storage.uow import UnitOfWork

_active: ContextVar[UnitOfWork | None] = ContextVar("anpei_active_uow", default=None)


@contextmanager
def engine_scope(uow: UnitOfWork) -> Iterator[None]:
    token = _active.set(uow)
    try:
        yield
    finally:
        _active.reset(token)


def in_savepoint(call: Callable[[], Any]) -> Any:
    """Run a service adapter inside a savepoint of the running step: if it raises, its writes are undone."""
    uow = _active.get()
    if uow is None:
        return call()
    with uow.savepoint():
        return call()


def active_uow() -> UnitOfWork:
    """The unit of work of the running step; service adapters call this instead of opening their own."""
    uow = _active.get()
    if uow is None:
        raise RuntimeError("no step is running: service adapters can only be called by the engine")
    return uow
