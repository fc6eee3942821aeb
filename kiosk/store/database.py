"""The SQLite engine: WAL, foreign keys on, durable commits, and eager write locks.

Pragmas are set on every new connection (`synchronous` is per connection).
Write transactions start with BEGIN IMMEDIATE so that two writers never both
read the audit chain's head and then both append to it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

DATABASE_FILE_NAME = "kiosk.sqlite3"
_WRITE_OPTION = "kiosk_write"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def create_sqlite_engine(path: Path, *, busy_timeout_ms: int = 5000) -> Engine:
    """An engine on a local SQLite file with the pragmas the kiosk relies on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        sqlite_url(path),
        connect_args={"check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from the sqlite3 module (it would BEGIN lazily).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        is_write = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if is_write else "BEGIN")

    return engine


class Database:
    """Hands out one session per operation: read sessions and write sessions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(
            engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False
        )

    def reader(self) -> Session:
        """A session for reading; it never takes the write lock."""
        return self._read()

    def writer(self) -> Session:
        """A session whose transaction holds the write lock from its first statement."""
        return self._write()

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(path: Path) -> Database:
    return Database(create_sqlite_engine(path))
