"""What sync reports: a round's outcome and the state the health strip shows.

Plain data with no HTTP or database behind it, so the screens import it without
loading the sync machinery (a kiosk that does not sync never loads requests).
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

ONLINE = "online"
OFFLINE = "offline"
SYNCING = "syncing"
REFUSED = "refused"  # the server refuses this kiosk's token
REFUSED_SHOWN_FOR = timedelta(hours=24)
FAILING = "failing"  # the server answers, with errors
# Sync stopped before anything was sent: the server is not the one this kiosk trusts.
INSECURE = "insecure"  # server_url is plain http:// to another computer
CERTIFICATE_CHANGED = "certificate_changed"  # not the certificate pinned at enrolment
CERTIFICATE_UNTRUSTED = "certificate_untrusted"  # not signed by the CA file, expired…


@dataclass(frozen=True)
class SyncStatus:
    """What the health strip says about sync."""

    state: str
    pending: int
    last_success_at: datetime | None
    last_error: str | None
    retry_in_seconds: float | None = None
    bootstrap: SyncProgress | None = None  # set while the first full pull runs
    refused: int = 0  # events the server answered rejected or in conflict, the last day
    held: str | None = None  # the server holds this kiosk's events for an admin (audit chain)


@dataclass(frozen=True)
class SyncProgress:
    """How far a pull from the start (a bootstrap) has come."""

    cursor: int
    high_water: int

    @property
    def fraction(self) -> float:
        return 1.0 if self.high_water <= 0 else min(self.cursor / self.high_water, 1.0)


@dataclass
class RoundReport:
    """What one round did, for the health strip, the logs and the tests."""

    requests: int = 0
    pushed: int = 0
    answers: Counter[str] = field(default_factory=Counter)
    pulled: int = 0
    changed: set[str] = field(default_factory=set)  # kinds of rows pulled: "transfer", …
    kept_local: int = 0
    resets: list[str] = field(default_factory=list)
    new_incarnation: uuid.UUID | None = None
    resent_from: int | None = None
    pending: int = 0
    cursor: int = 0
    high_water: int = 0
    server_time: datetime | None = None
    audit_held: str | None = None  # why the server holds this kiosk's events, if it does
