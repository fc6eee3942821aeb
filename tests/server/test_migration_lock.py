"""Several hosts starting together on a fresh database migrate it once, under a lock.

Each process runs the real `server-sync migrate` command; they wait at a barrier so that
their upgrades start at the same moment (start-up imports take longer than the race).
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier

import psycopg
import pytest

from server_sync import migrate

pytestmark = pytest.mark.postgres

PROCESSES = 4


def _migrate_after(barrier: Barrier, database_url: str) -> None:
    import sys

    from server_sync import cli

    barrier.wait(60)
    sys.exit(cli.main(["--database-url", database_url, "migrate"]))


def test_migrations_started_together_on_a_fresh_database_all_succeed_with_one_schema(
    postgres_url: str,
) -> None:
    url = postgres_url.replace("postgresql+psycopg://", "postgresql://", 1)
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(PROCESSES)
    hosts = [spawn.Process(target=_migrate_after, args=(barrier, url)) for _ in range(PROCESSES)]
    for host in hosts:
        host.start()
    for host in hosts:
        host.join(120)

    assert [host.exitcode for host in hosts] == [0] * PROCESSES
    with psycopg.connect(url) as connection:
        kiosk_versions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        central_versions = connection.execute(
            f"SELECT version_num FROM {migrate.VERSION_TABLE}"
        ).fetchall()
        # The lock is let go: a later start takes it at once.
        taken = connection.execute(
            "SELECT pg_try_advisory_lock(%s)", (migrate.MIGRATION_LOCK_KEY,)
        ).fetchone()
    assert len(kiosk_versions) == 1
    assert central_versions == [(migrate.central_head(),)]
    assert taken == (True,)
