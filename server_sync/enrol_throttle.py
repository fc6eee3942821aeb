"""Enrolment codes cannot be guessed at speed: wrong codes are counted per client address.

A code is twelve digits; without a limit an attacker tried about 500 a second. After
`max_failures` wrong codes within the window, the address is locked out: every attempt
from it, a right code too, is answered 429 with Retry-After until the lockout ends. The
count lives in PostgreSQL (every server process sees the same one) and the lockout is
decided under its row's lock, so it raises one log line and one alert for admins. The
code itself is never logged or kept.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from kiosk.domain.ids import new_id
from kiosk.services.alerts import P2
from kiosk.store.models import Alert
from server_sync.feed import feed_row, publish
from server_sync.models import EnrolThrottle

log = logging.getLogger(__name__)

ALERT_ENROL_LOCKED_OUT = "enrolment_locked_out"


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int
    window: timedelta
    lockout: timedelta


class EnrolLockedOutError(Exception):
    """This address guessed too many codes: refused until `retry_after_seconds` have passed."""

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__("too many wrong codes from this address; try again later")
        self.retry_after_seconds = retry_after_seconds


def check_not_locked_out(session: Session, address: str, now: datetime) -> None:
    """Raise `EnrolLockedOutError` while the address is locked out (before any code is read)."""
    locked_until = session.scalar(
        select(EnrolThrottle.locked_until).where(EnrolThrottle.address == address)
    )
    if locked_until is not None and locked_until > now:
        raise EnrolLockedOutError(_seconds_until(locked_until, now))


def note_failure(
    session: Session, address: str, now: datetime, policy: ThrottlePolicy
) -> EnrolLockedOutError | None:
    """Count one wrong code from `address`; at the limit, lock it out and alert the admins.

    Returns the lockout when this failure started one. The caller commits.
    """
    window_start = now - policy.window
    fresh = pg_insert(EnrolThrottle).values(
        address=address, window_started_at=now, failures=1, locked_until=None
    )
    # One statement under the row's lock: a failure in a window gone by starts a new one.
    counted = session.execute(
        fresh.on_conflict_do_update(
            index_elements=[EnrolThrottle.address],
            set_={
                "failures": _in_window(window_start, EnrolThrottle.failures + 1, 1),
                "window_started_at": _in_window(window_start, EnrolThrottle.window_started_at, now),
            },
        ).returning(EnrolThrottle.failures)
    ).scalar_one()
    if counted < policy.max_failures:
        return None
    locked_until = now + policy.lockout
    row = session.get(EnrolThrottle, address)
    assert row is not None
    row.failures = 0
    row.window_started_at = now
    row.locked_until = locked_until
    log.warning(
        "enrolment locked out for %s until %s: %d wrong codes within %d s",
        address,
        locked_until.isoformat(timespec="seconds"),
        counted,
        int(policy.window.total_seconds()),
    )
    _alert_admins(session, address, counted, locked_until, now)
    return EnrolLockedOutError(_seconds_until(locked_until, now))


def forget(session: Session, address: str, now: datetime) -> None:
    """A right code: the address's earlier typing mistakes no longer count (a lockout
    another request has just started stays)."""
    session.execute(
        delete(EnrolThrottle)
        .where(EnrolThrottle.address == address)
        .where(or_(EnrolThrottle.locked_until.is_(None), EnrolThrottle.locked_until <= now))
    )


def _in_window(window_start: datetime, inside: Any, outside: Any) -> Any:
    """`inside` when the stored window began after `window_start`, else `outside`."""
    return case((EnrolThrottle.window_started_at > window_start, inside), else_=outside)


def _seconds_until(then: datetime, now: datetime) -> int:
    return max(1, math.ceil((then - now).total_seconds()))


def _alert_admins(
    session: Session, address: str, failures: int, locked_until: datetime, now: datetime
) -> None:
    """A P2 alert without a department: only admins see it (a supervisor sees their own
    department's alerts), and it travels with the site's rows, as admins log in anywhere."""
    alert = Alert(
        id=new_id(),
        priority=P2,
        kind=ALERT_ENROL_LOCKED_OUT,
        department=None,
        line_id=None,
        subject_user_id=None,
        fields={
            "address": address,
            "failures": failures,
            "locked_until": locked_until.isoformat(timespec="seconds"),
        },
        raised_at=now,
        acknowledged_by=None,
        acknowledged_at=None,
    )
    session.add(alert)
    session.flush()
    row = feed_row(session, alert)
    assert row is not None
    publish(session, [row])
