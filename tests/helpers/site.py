"""A demo site on a real SQLite file, copied from a template built once per test session."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from kiosk.demo import DEMO_SITE_CODE, DEMO_SLIP_KEY, demo_user_id, ensure_demo_site
from kiosk.domain.slip_keys import SlipSigner
from kiosk.services.actor import Actor
from kiosk.services.container import KioskServices, Policies, build_services
from kiosk.services.slip_keys import SiteKeys
from kiosk.settings import Settings
from kiosk.store.database import Database, open_database
from kiosk.store.models import AuditEntry, OutboxEvent, WorkOrder
from kiosk.store.secrets import FileSecretStore
from tests.helpers.fakes import FakeClock
from tests.helpers.logins import log_in_demo_user


def build_template(folder: Path) -> Path:
    """Migrate and seed a demo site; leave a single self-contained file to copy."""
    path = ensure_demo_site(folder, FakeClock())
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@dataclass
class Site:
    path: Path
    database: Database
    clock: FakeClock = field(default_factory=FakeClock)

    def services(self, line: str = "CUT-L02", policies: Policies | None = None) -> KioskServices:
        return build_services(
            self.database,
            self.clock,
            line,
            policies,
            badge_key=self.badge_key,
            site_keys=self.site_keys,
            # The kiosk's own settings file goes beside this copy, never to the user's folder.
            settings=Settings(data_dir=self.path.parent),
        )

    @property
    def site_keys(self) -> SiteKeys:
        """The demo kiosk's slip key, as the kiosk reads it from its secret store."""
        return SiteKeys(DEMO_SITE_CODE, SlipSigner(DEMO_SLIP_KEY))

    @property
    def badge_key(self) -> bytes:
        return FileSecretStore.beside(self.path).badge_key()

    def user_id(self, employee_no: str) -> uuid.UUID:
        return demo_user_id(self.database, employee_no)

    def login(self, services: KioskServices, employee_no: str) -> Actor:
        """A real PIN login with the demo PIN (argon2 and all)."""
        return log_in_demo_user(services.auth, self.user_id(employee_no), employee_no).actor

    def work_order(self, number: str) -> WorkOrder:
        with self.database.reader() as session:
            row = session.scalar(select(WorkOrder).where(WorkOrder.number == number))
            assert row is not None, number
            session.expunge(row)
            return row

    def count(self, model: Any) -> int:
        with self.database.reader() as session:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)

    def audit_outcomes(self) -> list[tuple[str, str]]:
        with self.database.reader() as session:
            rows = session.execute(
                select(AuditEntry.action, AuditEntry.outcome).order_by(AuditEntry.seq)
            ).all()
            return [(action, outcome) for action, outcome in rows]

    def outbox_kinds(self) -> list[str]:
        with self.database.reader() as session:
            return list(session.scalars(select(OutboxEvent.kind).order_by(OutboxEvent.seq)))

    @contextmanager
    def raw(self) -> Iterator[sqlite3.Connection]:
        """A plain sqlite3 connection, for tampering and for checking behind the ORM."""
        connection = sqlite3.connect(self.path, isolation_level=None)
        try:
            yield connection
        finally:
            connection.close()


def copy_site(template: Path, folder: Path) -> Site:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kiosk.sqlite3"
    shutil.copyfile(template, path)
    shutil.copytree(FileSecretStore.beside(template).folder, FileSecretStore.beside(path).folder)
    return Site(path=path, database=open_database(path))
