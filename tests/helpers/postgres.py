"""A PostgreSQL server for the tests: KIOSK_TEST_PG_URL, the local one, or a throwaway one.

In CI a missing server fails the run; elsewhere the tests that need it skip loudly.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

LOCAL_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def _reachable(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def throwaway_server() -> Iterator[str | None]:
    """initdb + pg_ctl as the `postgres` account (PostgreSQL refuses to run as root)."""
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not binaries or shutil.which("chown") is None:
        yield None
        return
    bin_dir = Path(binaries[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
    data = folder / "data"
    port = _free_port()
    run_as = {"user": "postgres"} if os.geteuid() == 0 else {}
    try:
        if os.geteuid() == 0:
            subprocess.run(["chown", "postgres", str(folder)], check=True)
        subprocess.run(
            [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"],
            check=True,
            capture_output=True,
            **run_as,
        )
        subprocess.run(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(folder / "log"),
                "-o",
                f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off",
                "-w",
                "start",
            ],
            check=True,
            capture_output=True,
            **run_as,
        )
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                capture_output=True,
                check=False,
                **run_as,
            )
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def admin_url() -> Iterator[str | None]:
    configured = os.environ.get("KIOSK_TEST_PG_URL")
    if configured:
        yield configured
        return
    if _reachable(LOCAL_URL):
        yield LOCAL_URL
        return
    with throwaway_server() as url:
        deadline = time.monotonic() + 10
        while url is not None and not _reachable(url) and time.monotonic() < deadline:
            time.sleep(0.1)
        yield url


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """Create a database of our own on the server and drop it afterwards."""
    name = f"kiosk_test_{os.getpid()}_{int(time.time() * 1000) % 10**8}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = server_url.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)
