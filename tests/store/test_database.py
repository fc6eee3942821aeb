"""The SQLite engine: pragmas on every connection, and writers that lock from the start."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from tests.helpers.site import Site


def test_every_connection_has_wal_foreign_keys_and_full_sync(site: Site) -> None:
    for session_factory in (site.database.reader, site.database.writer):
        with session_factory() as session:
            pragmas = {
                name: session.execute(text(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "foreign_keys", "synchronous")
            }
        assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "synchronous": 2}


def test_a_writer_holds_the_write_lock_from_its_first_statement(site: Site) -> None:
    with site.database.writer() as session:
        session.execute(text("SELECT 1")).scalar()  # a read, yet the lock is taken
        with site.raw() as other:
            other.execute("PRAGMA busy_timeout=0")
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        session.rollback()


def test_a_reader_does_not_block_writers(site: Site) -> None:
    with site.database.reader() as session:
        session.execute(text("SELECT count(*) FROM work_order")).scalar()
        with site.raw() as other:
            other.execute("PRAGMA busy_timeout=0")
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")


def test_foreign_keys_are_enforced(site: Site) -> None:
    with site.database.writer() as session:
        with pytest.raises(Exception, match="FOREIGN KEY"):
            session.execute(
                text(
                    "INSERT INTO user_line (user_id, line_id) VALUES "
                    "('00000000000000000000000000000001', '00000000000000000000000000000002')"
                )
            )
        session.rollback()
