"""The nightly backup (installer/server/backup-database) and the README's restore: a dump in
pg_dump's custom format, the old ones deleted only after a new one is made, and a dump that
restores into a new database which `server-sync feed reset` then serves to the kiosks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine

from server_sync import migrate
from tests.helpers.installed_server import INSTALLER
from tests.helpers.postgres import fresh_database

pytestmark = pytest.mark.postgres

SCRIPT = INSTALLER / "backup-database"
DAY = 24 * 3600


@pytest.fixture(autouse=True)
def _needs_pg_dump() -> None:
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump and pg_restore are needed to back up and restore the database")


def _aged(folder: Path, name: str, days: float) -> Path:
    path = folder / name
    path.write_bytes(b"an older night's dump")
    then = time.time() - days * DAY
    os.utime(path, (then, then))
    return path


def _backup(url: str, folder: Path, days: str = "7") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT)],
        env={
            "PATH": os.environ["PATH"],
            "SERVER_SYNC_DATABASE_URL": url,
            "BACKUP_DIR": str(folder),
            "BACKUP_RETENTION_DAYS": days,
        },
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_night_makes_a_restorable_dump_and_deletes_only_dumps_past_the_retention(
    postgres_url: str, postgres_server: str, tmp_path: Path
) -> None:
    engine = create_engine(postgres_url)
    migrate.upgrade(engine)
    engine.dispose()
    url = postgres_url.replace("postgresql+psycopg://", "postgresql://", 1)
    folder = tmp_path / "backups"
    folder.mkdir()
    expired = _aged(folder, "linekiosk-20260101T023000Z.dump", 7.5)
    kept = _aged(folder, "linekiosk-20260105T023000Z.dump", 6.5)
    other = _aged(folder, "notes.txt", 30)

    done = _backup(url, folder)

    assert done.returncode == 0, done.stderr
    made = sorted(set(folder.glob("linekiosk-*.dump")) - {kept})
    assert len(made) == 1
    assert not expired.exists() and kept.exists() and other.exists()
    assert f"deleted {expired}" in done.stdout
    assert made[0].stat().st_mode & 0o077 == 0  # token and PIN hashes: the owner's only
    assert list(folder.glob("*.partial")) == []

    # The README's restore: a new database, pg_restore, then `server-sync feed reset`.
    with fresh_database(postgres_server) as restored:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", restored, str(made[0])],
            check=True,
            capture_output=True,
        )
        reset = subprocess.run(
            [sys.executable, "-m", "server_sync", "--database-url", restored, "feed", "reset"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert "new feed epoch" in reset.stdout
        with psycopg.connect(restored) as connection:
            version = connection.execute(f"SELECT version_num FROM {migrate.VERSION_TABLE}")
            assert version.fetchall() == [(migrate.central_head(),)]


def test_a_failed_night_deletes_nothing_and_leaves_no_partial_dump(
    postgres_server: str, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    last_good = _aged(folder, "linekiosk-20260101T023000Z.dump", 30)
    unreachable = postgres_server.rsplit("/", 1)[0] + "/no_such_database_here"

    done = _backup(unreachable, folder)

    assert done.returncode != 0
    assert sorted(folder.iterdir()) == [last_good]


@pytest.mark.parametrize("days", ["0", "-3", "seven", "7; rm -rf /"])
def test_a_retention_that_is_not_a_number_of_days_is_refused_before_anything_runs(
    tmp_path: Path, days: str
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    last_good = _aged(folder, "linekiosk-20260101T023000Z.dump", 30)
    done = _backup("postgresql://nobody@127.0.0.1:1/none", folder, days)
    assert done.returncode == 2
    assert "BACKUP_RETENTION_DAYS" in done.stderr
    assert sorted(folder.iterdir()) == [last_good]
