"""The central side for sync tests: a seeded PostgreSQL database, a real server, kiosks.

`CentralDatabase` is a fresh database copied from a seeded template (PostgreSQL's
CREATE DATABASE … TEMPLATE: milliseconds instead of seeding). `ServerProcess` runs the
real `server-sync serve` command; `ThreadServer` runs the same app under uvicorn in a
thread where a test does not need to kill it. `KioskNode` is a real kiosk database
enrolled with a real one-time code and syncing over real HTTP.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import requests
import urllib3
import uvicorn
from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.orm import Session

from kiosk.domain.slip_keys import SlipSigner
from kiosk.services.actor import Actor
from kiosk.services.container import KioskServices, build_services
from kiosk.services.site import site_code
from kiosk.services.slip_keys import SiteKeys
from kiosk.store import migrate as kiosk_migrate
from kiosk.store.database import open_database
from kiosk.store.models import OutboxEvent, User
from kiosk.store.secrets import SLIP_SIGNING_KEY_NAME, FileBadgeKeys, FileSecretStore
from kiosk.sync.badge_rehash import BadgeRehashQueue
from kiosk.sync.client import SyncClient
from kiosk.sync.engine import SyncEngine
from kiosk.sync.enrolment import enrol_kiosk, enrolment_client, stored_token
from kiosk.sync.identity import HttpIdentityServer
from kiosk.sync.local import SyncStore
from kiosk.sync.runtime import site_key_sink
from kiosk.sync.status import RoundReport
from kiosk.sync.trust import stored_trust
from server_sync import devices, migrate
from server_sync.app import create_app
from server_sync.models import AppliedEvent
from server_sync.settings import ServerSettings
from server_sync.site import seed_demo
from tests.helpers.logins import log_in_demo_user
from tests.helpers.postgres import sqlalchemy_url

ROOT = Path(__file__).resolve().parents[2]


class OffsetClock:
    """The real clock moved by a fixed offset (a kiosk whose clock is wrong)."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def monotonic(self) -> float:
        return time.monotonic()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# ====================================================================== the database
def build_central_template(server_url: str) -> str:
    """A database with the central schema and the demo site, to copy per test."""
    name = f"kiosk_central_template_{os.getpid()}"
    create_demo_central(server_url, name).dispose()
    return name


def create_demo_central(server_url: str, name: str) -> Engine:
    """A new database `name` (dropped first if there) with the central schema and the demo
    site; returns an engine on it."""
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    engine = create_engine(sqlalchemy_url(f"{server_url.rsplit('/', 1)[0]}/{name}"))
    try:
        migrate.upgrade(engine)
        seed_demo(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


def drop_database(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class CentralDatabase:
    url: str  # libpq form, for server-sync
    engine: Engine

    @classmethod
    @contextmanager
    def copy_of(cls, server_url: str, template: str) -> Iterator[CentralDatabase]:
        name = f"kiosk_central_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        url = f"{server_url.rsplit('/', 1)[0]}/{name}"
        engine = create_engine(sqlalchemy_url(url))
        try:
            yield cls(url, engine)
        finally:
            engine.dispose()
            drop_database(server_url, name)

    def session(self) -> Session:
        return Session(self.engine)

    def enrolment_code(self, line: str | None = None, department: str | None = None) -> str:
        with self.session() as session:
            code = devices.create_code(
                session, datetime.now(UTC), line_code=line, department=department
            )
            session.commit()
            return code

    def count(self, model: Any, *where: Any) -> int:
        with self.session() as session:
            return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


# ====================================================================== the server
class ServerProcess:
    """The real `server-sync serve` in its own process (it can be killed with SIGKILL).

    With `tls` (a certificate and its key) it serves HTTPS only, as a site runs it.
    """

    def __init__(
        self,
        database_url: str,
        port: int | None = None,
        workers: int = 1,
        *,
        tls: tuple[Path, Path] | None = None,
    ) -> None:
        self.database_url = database_url
        self.port = port or free_port()
        self.workers = workers
        self.tls = tls
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        scheme = "http" if self.tls is None else "https"
        return f"{scheme}://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        env = {**os.environ, "SERVER_SYNC_DATABASE_URL": self.database_url}
        tls_options: list[str] = []
        if self.tls is not None:
            tls_options = ["--certfile", str(self.tls[0]), "--keyfile", str(self.tls[1])]
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "server_sync",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
                *tls_options,
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        # The health check only waits for the server: what it trusts is the kiosk's business.
        wait_until_healthy(self.url, timeout, self.process, verify=self.tls is None)

    def kill(self) -> None:
        """SIGKILL, mid-whatever: no clean shutdown of the server (its workers too)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None


def wait_until_healthy(
    url: str,
    timeout: float,
    process: subprocess.Popen[bytes] | None = None,
    *,
    verify: bool = True,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with warnings.catch_warnings():  # an https server's health, not its identity
                warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
                answer = requests.get(f"{url}/health", timeout=1, verify=verify)
            if answer.status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not become healthy")


class ThreadServer:
    """The same app under uvicorn on a thread of the test process (start-up in milliseconds)."""

    def __init__(
        self, database_url: str, clock: Any = None, port: int | None = None, **settings_given: Any
    ) -> None:
        self.port = port or free_port()
        settings = ServerSettings(database_url=database_url, port=self.port, **settings_given)
        options = {} if clock is None else {"clock": clock}
        app = create_app(settings, **options)
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._thread.start()
        wait_until_healthy(self.url, 30.0)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)


# ====================================================================== a kiosk
class KioskNode:
    """A kiosk's database enrolled with the server; sync rounds run on the test's thread.

    Over https it trusts the server as a kiosk does: `ca_file`, or the certificate pinned
    at enrolment.
    """

    def __init__(
        self,
        folder: Path,
        server_url: str,
        code: str,
        clock: Any = None,
        *,
        ca_file: Path | None = None,
    ) -> None:
        self._open(folder, server_url, clock)
        self.ca_file = ca_file
        client = enrolment_client(server_url, ca_file=ca_file)
        try:
            enrolled = enrol_kiosk(
                self.database,
                self.path,
                secrets=self.secrets,
                client=client,
                code=code,
                clock=self.clock,
                name=folder.name,
            )
        finally:
            client.close()
        self.line_code = enrolled.line_code or ""
        self.server_fingerprint = enrolled.server_fingerprint

    def _open(self, folder: Path, server_url: str, clock: Any) -> None:
        self.ca_file: Path | None = None
        self.folder = folder
        self.path = folder / "kiosk.sqlite3"
        self.clock = clock or OffsetClock()
        self.database = open_database(self.path)
        kiosk_migrate.upgrade(self.database.engine)
        self.secrets = FileSecretStore.beside(self.path)
        self.store = SyncStore(self.database)
        self.server_url = server_url
        self._services: KioskServices | None = None
        self.badge_rehash = BadgeRehashQueue()  # badges to re-hash after a key rotation

    @classmethod
    def reopen(cls, folder: Path, server_url: str, clock: Any = None) -> KioskNode:
        """An enrolled kiosk's database opened again (after a restart, or a restore)."""
        node = cls.__new__(cls)
        node._open(folder, server_url, clock)
        node.line_code = node.store.state().line_code or ""
        return node

    def client(self, server_url: str | None = None) -> SyncClient:
        return SyncClient(
            server_url or self.server_url,
            stored_token(self.secrets),
            trust=stored_trust(self.secrets, self.ca_file),
        )

    def engine(
        self, server_url: str | None = None, batch_size: int = 500, client: SyncClient | None = None
    ) -> SyncEngine:
        return SyncEngine(
            self.store,
            client or self.client(server_url),
            self.clock,
            site_keys=site_key_sink(self.secrets, self.path),
            batch_size=batch_size,
            badge_rehash=self.badge_rehash,
        )

    def sync(self, server_url: str | None = None, batch_size: int = 500) -> RoundReport:
        client = self.client(server_url)
        try:
            return self.engine(batch_size=batch_size, client=client).run_round()
        finally:
            client.close()

    @property
    def services(self) -> KioskServices:
        if self._services is None:
            code = site_code(self.database)
            key = self.secrets.get(SLIP_SIGNING_KEY_NAME)
            server = HttpIdentityServer(self.client(), self.store, self.line_code)
            self._services = build_services(
                self.database,
                self.clock,
                self.line_code,
                badge_key=FileBadgeKeys(self.secrets),
                site_keys=SiteKeys(code, None if key is None else SlipSigner(key)),
                stale_badge=self.badge_rehash.add,
                identity_server=server,
                admin_server=server,
            )
        return self._services

    def login(self, employee_no: str) -> Actor:
        with self.database.reader() as session:
            user_id = session.scalar(select(User.id).where(User.employee_no == employee_no))
        assert user_id is not None, employee_no
        return log_in_demo_user(self.services.auth, user_id, employee_no).actor

    def pending(self) -> int:
        return self.store.pending_count()

    def outbox_ids(self) -> set[uuid.UUID]:
        with self.database.reader() as session:
            return set(session.scalars(select(OutboxEvent.id)))

    def copy_files_to(self, folder: Path) -> None:
        """A backup: the database with its WAL and the secrets folder, as an admin copies them."""
        folder.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.path}{suffix}")
            if source.exists():
                shutil.copyfile(source, folder / source.name)
        shutil.copytree(self.secrets.folder, folder / self.secrets.folder.name, dirs_exist_ok=True)

    def close(self) -> None:
        self.database.dispose()


def applied_counts(central: CentralDatabase) -> dict[str, int]:
    with central.session() as session:
        rows = session.execute(
            select(AppliedEvent.result, func.count()).group_by(AppliedEvent.result)
        ).all()
    return {result: count for result, count in rows}
