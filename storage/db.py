"""Database engine and session factory; SQLite by default, PostgreSQL through DATABASE_URL."""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import sessionmaker


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create the engine; SQLite gets foreign keys, WAL and a busy timeout so workers can share the file."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy own BEGIN so we can take the write lock at the start of every transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


READ_ONLY = "anpei_read_only"


def _sqlite_begin_immediate(connection: Any) -> None:
    # SQLite has no row locks; BEGIN IMMEDIATE serialises writers so two completions cannot interleave.
    # Read-only units of work begin DEFERRED: in WAL mode they read a snapshot and never wait for a writer,
    # so page views do not queue behind completions and a read inside a step cannot deadlock on its own lock.
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Any]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


class StatementCounter:
    """Counts the SQL statements and their time per thread (one request runs on one thread): Server-Timing."""

    def __init__(self, engine: Engine) -> None:
        self._local = threading.local()
        self._clock = time.perf_counter
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def reset(self) -> None:
        self._local.count, self._local.seconds = 0, 0.0

    def read(self) -> tuple[int, float]:
        return getattr(self._local, "count", 0), getattr(self._local, "seconds", 0.0)

    def _before(self, *_args: Any) -> None:
        self._local.started = self._clock()

    def _after(self, *_args: Any) -> None:
        self._local.count = getattr(self._local, "count", 0) + 1
        self._local.seconds = getattr(self._local, "seconds", 0.0) + self._clock() - getattr(
            self._local, "started", self._clock())
