"""The SQLite engine: WAL, foreign keys on, durable commits, and eager write locks.

Pragmas are set on every new connection (`synchronous` is per connection).
Write transactions start with BEGIN IMMEDIATE so that two writers never both
read the audit chain's head and then both append to it.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

DATABASE_FILE_NAME = "kiosk.sqlite3"
DATA_DIR_MODE = 0o700
DATABASE_FILE_MODE = 0o600
SIDE_FILE_SUFFIXES = ("-wal", "-shm", "-journal")
_WRITE_OPTION = "kiosk_write"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def secure_database_files(path: Path) -> None:
    """The data folder 0700 and the database files 0600: PIN and badge hashes stay private.

    A new file is created empty with mode 0600 before SQLite opens it; SQLite gives the
    `-wal` and `-shm` files the mode of the database file. An existing install (made
    world-readable by an earlier version) is put right at every start.
    """
    folder = path.parent
    folder.mkdir(mode=DATA_DIR_MODE, parents=True, exist_ok=True)
    if folder.stat().st_mode & stat.S_ISVTX:
        # A shared folder such as /tmp: never closed to its other users.
        log.warning("the database %s is in the shared folder %s", path, folder)
    else:
        os.chmod(folder, DATA_DIR_MODE)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, DATABASE_FILE_MODE))
    for suffix in ("", *SIDE_FILE_SUFFIXES):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.chmod(companion, DATABASE_FILE_MODE)


def create_sqlite_engine(path: Path, *, busy_timeout_ms: int = 5000) -> Engine:
    """An engine on a local SQLite file with the pragmas the kiosk relies on."""
    secure_database_files(path)
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
