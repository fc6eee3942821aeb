"""The data folder and the database files are the kiosk account's alone (0700 / 0600).

A copied `kiosk.sqlite3` holds PIN and badge hashes: another account on the kiosk
must not be able to read it, from the first write on, and on installs made before.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import argon2
from sqlalchemy import text

from kiosk.demo import ensure_demo_site
from kiosk.domain.clock import SystemClock
from kiosk.services.pin_hasher import PinHasher
from kiosk.store import migrate
from kiosk.store.database import DATABASE_FILE_NAME, open_database

_FAST_ARGON = argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_fresh_data_folder_is_0700_and_the_database_files_0600(tmp_path: Path) -> None:
    previous = os.umask(0o022)  # the usual umask: files would be world-readable by default
    try:
        data_dir = tmp_path / "kiosk-data"
        database_path = data_dir / DATABASE_FILE_NAME
        database = open_database(database_path)
        migrate.upgrade(database.engine)
        with database.writer() as session:  # a write: the WAL and its index exist now
            session.execute(text("CREATE TABLE mode_probe (id INTEGER)"))
            session.commit()
        files = [database_path, *(data_dir / f"{DATABASE_FILE_NAME}{s}" for s in ("-wal", "-shm"))]
        assert all(path.exists() for path in files)
        assert _mode(data_dir) == 0o700
        assert {path.name: _mode(path) for path in files} == {path.name: 0o600 for path in files}
        database.dispose()
    finally:
        os.umask(previous)


def test_an_existing_world_readable_install_is_closed_at_start(tmp_path: Path) -> None:
    data_dir = tmp_path / "old-install"
    database_path = data_dir / DATABASE_FILE_NAME
    database = open_database(database_path)
    migrate.upgrade(database.engine)
    database.dispose()
    os.chmod(data_dir, 0o755)
    os.chmod(database_path, 0o644)
    assert _mode(database_path) == 0o644
    reopened = open_database(database_path)
    try:
        assert _mode(data_dir) == 0o700
        assert _mode(database_path) == 0o600
    finally:
        reopened.dispose()


def test_the_demo_site_is_private_too(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        path = ensure_demo_site(tmp_path / "demo-data", SystemClock(), PinHasher(_FAST_ARGON))
    finally:
        os.umask(previous)
    assert _mode(path.parent) == 0o700
    assert _mode(path) == 0o600
