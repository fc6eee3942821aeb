"""The setup screen's two calls, run off the GUI thread: look at a server, then enrol with it.

Looking first lets the screen say "unreachable" while the address is still being edited, and
show the certificate the server presents (trust on first use) next to the code being typed.
The enrolment then insists on that very certificate, or on the one a scanned QR names, so a
server swapped between the two steps gets nothing. Failures are `EnrolmentRefusedError`s
whose `kind` the screen words; nothing is stored unless the server said yes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from kiosk.domain.clock import Clock
from kiosk.domain.enrolment_link import address_problem, normalized_address
from kiosk.settings import Settings
from kiosk.store.database import Database
from kiosk.store.models import Line
from kiosk.store.secrets import SecretStore
from kiosk.sync.enrolment import (
    Enrolled,
    EnrolmentFailure,
    EnrolmentRefusedError,
    enrol_kiosk,
    enrolment_client,
)
from kiosk.sync.local import SyncStore
from kiosk.sync.trust import fetch_certificate_fingerprint, is_https


def needs_setup(database: Database) -> bool:
    """Not enrolled and no site of its own (not a demo, not a hand-made site): the kiosk
    shows its setup screen instead of refusing to start."""
    if SyncStore(database).state().is_enrolled:
        return False
    with database.reader() as session:
        return session.scalar(select(Line.id).limit(1)) is None


@dataclass(frozen=True)
class ServerSeen:
    """A server that answered at `url`; `fingerprint` is its certificate's SHA-256 when it is
    pinned (https without a site CA), None when a CA file decides or it is this computer."""

    url: str
    fingerprint: bytes | None


@dataclass(frozen=True)
class KioskSetup:
    """What the setup screen needs to enrol this kiosk (its database, secrets and settings)."""

    database: Database
    database_path: Path
    secrets: SecretStore
    clock: Clock
    ca_file: Path | None = None
    timeout_seconds: float = 15.0

    @classmethod
    def for_settings(
        cls,
        settings: Settings,
        database: Database,
        database_path: Path,
        secrets: SecretStore,
        clock: Clock,
    ) -> KioskSetup:
        """As the settings say: their CA file (else the certificate is pinned) and timeout."""
        return cls(
            database,
            database_path,
            secrets,
            clock,
            ca_file=settings.server_ca_path,
            timeout_seconds=settings.sync_timeout_seconds,
        )

    def look_at(self, url: str) -> ServerSeen:
        """Whether a server answers at `url`, and the certificate it presents (worker thread)."""
        if address_problem(url) is not None:
            raise EnrolmentRefusedError(f"{url} is not a server address", EnrolmentFailure.OTHER)
        url = normalized_address(url)
        if is_https(url) and self.ca_file is None:
            try:
                seen = fetch_certificate_fingerprint(url, self.timeout_seconds)
            except (OSError, ValueError) as error:
                raise EnrolmentRefusedError(
                    f"The server could not be reached: {url}: {error}",
                    EnrolmentFailure.UNREACHABLE,
                ) from error
            return ServerSeen(url, seen)
        client = enrolment_client(url, ca_file=self.ca_file, timeout_seconds=self.timeout_seconds)
        try:
            if not client.is_reachable(self.timeout_seconds):
                raise EnrolmentRefusedError(
                    f"The server could not be reached: {url}", EnrolmentFailure.UNREACHABLE
                )
        finally:
            client.close()
        return ServerSeen(url, None)

    def enrol(self, url: str, code: str, fingerprint: bytes | None) -> Enrolled:
        """Exchange the code; with `fingerprint` the server must present that certificate."""
        client = enrolment_client(
            normalized_address(url),
            ca_file=self.ca_file,
            expected_fingerprint=fingerprint,
            timeout_seconds=self.timeout_seconds,
        )
        try:
            return enrol_kiosk(
                self.database,
                self.database_path,
                secrets=self.secrets,
                client=client,
                code=code,
                clock=self.clock,
            )
        finally:
            client.close()
