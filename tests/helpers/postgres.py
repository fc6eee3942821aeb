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


class ThrowawayCluster:
    """A PostgreSQL server of the test's own (initdb + pg_ctl), which it may restart or stop."""

    def __init__(self, bin_dir: Path, folder: Path, port: int) -> None:
        self.bin_dir = bin_dir
        self.folder = folder
        self.data = folder / "data"
        self.port = port
        self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        self._run_as: dict[str, str] = {"user": "postgres"} if os.geteuid() == 0 else {}

    def pg_ctl(self, *arguments: str, check: bool = True) -> None:
        subprocess.run(
            [str(self.bin_dir / "pg_ctl"), "-D", str(self.data), *arguments],
            check=check,
            capture_output=True,
            **self._run_as,
        )

    def init_and_start(self) -> None:
        if os.geteuid() == 0:
            subprocess.run(["chown", "postgres", str(self.folder)], check=True)
        subprocess.run(
            [
                str(self.bin_dir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            **self._run_as,
        )
        self.start()

    @property
    def _options(self) -> str:
        return f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"

    def start(self) -> None:
        self.pg_ctl("-l", str(self.folder / "log"), "-o", self._options, "-w", "start")

    def restart(self, mode: str = "fast") -> None:
        """pg_ctl restart: every connection is cut; the server comes back on the same port."""
        self.pg_ctl("-l", str(self.folder / "log"), "-m", mode, "-w", "restart")

    def stop(self, mode: str = "immediate") -> None:
        if (self.data / "postmaster.pid").exists():
            self.pg_ctl("-m", mode, "-w", "stop", check=False)


@contextmanager
def throwaway_cluster() -> Iterator[ThrowawayCluster | None]:
    """initdb + pg_ctl as the `postgres` account (PostgreSQL refuses to run as root)."""
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not binaries or shutil.which("chown") is None:
        yield None
        return
    cluster = ThrowawayCluster(
        Path(binaries[-1]).parent, Path(tempfile.mkdtemp(prefix="kiosk-pg-")), _free_port()
    )
    try:
        cluster.init_and_start()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(cluster.folder, ignore_errors=True)


@contextmanager
def throwaway_server() -> Iterator[str | None]:
    """The URL of a throwaway server, or None where PostgreSQL is not installed."""
    with throwaway_cluster() as cluster:
        yield None if cluster is None else cluster.url


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
