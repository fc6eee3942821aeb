"""The PIN pad's wait on one kiosk: wrong PINs per tile and in all, read from the person rows.

Each person's row on the kiosk keeps its own count of wrong PINs typed here and when the
last one was (`failed_pin_count`, `last_wrong_pin_at`, never overwritten by the feed), so
the wait survives a restart of the program. The first wait of a streak alerts the line's
supervisor once (kiosk.domain.pin_throttle says when).
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.lockout import LockoutPolicy
from kiosk.domain.pin_throttle import NO_STREAK, PinThrottle, WrongPinStreak, whole_seconds
from kiosk.services.alerts import P2, AlertKind, raise_alert
from kiosk.services.effects.people import pins_may_lock
from kiosk.services.views import LineView
from kiosk.store.models import Alert, Line, User
from kiosk.store.unit_of_work import ActionTx

log = logging.getLogger(__name__)


class PinPadWait:
    """How long this kiosk's PIN pad waits for someone, and the alert when waiting starts."""

    def __init__(self, lockout: LockoutPolicy, throttle: PinThrottle, line: LineView) -> None:
        self._lockout = lockout
        self._throttle = throttle
        self._line = line

    def _streaks(self, session: Session, now: datetime) -> dict[uuid.UUID, WrongPinStreak]:
        """Every person's recent wrong PINs on this kiosk (its own counts, never the feed's)."""
        rows = session.execute(
            select(User.id, User.failed_pin_count, User.last_wrong_pin_at).where(
                User.failed_pin_count > 0, User.last_wrong_pin_at.is_not(None)
            )
        ).all()
        streaks: dict[uuid.UUID, WrongPinStreak] = {}
        for user_id, count, last_at in rows:
            recent = self._lockout.recent_count(count, last_at, now)
            if recent:
                streaks[user_id] = WrongPinStreak(recent, last_at)
        return streaks

    def wait_left(self, session: Session, user_id: uuid.UUID, now: datetime) -> timedelta:
        """How long a PIN for this person must wait here from now."""
        streaks = self._streaks(session, now)
        kiosk = self._throttle.kiosk_streak(streaks.values())
        return self._throttle.wait_left(streaks.get(user_id, NO_STREAK), kiosk, now)

    def note_wrong_pin(self, tx: ActionTx, user: User, person_count: int) -> int:
        """The wait this wrong PIN starts (seconds); the first wait of a streak alerts the
        line's supervisor, once while that alert is open."""
        tx.session.flush()
        streaks = self._streaks(tx.session, tx.now)
        kiosk = self._throttle.kiosk_streak(streaks.values())
        if self._throttle.alerts_now(
            person_count, kiosk.count, person_may_lock=pins_may_lock(user)
        ):
            self._alert_guessing_once(tx, user, kiosk.count)
        person = streaks.get(user.id, NO_STREAK)
        return whole_seconds(self._throttle.wait_left(person, kiosk, tx.now))

    def _alert_guessing_once(self, tx: ActionTx, user: User, kiosk_count: int) -> None:
        line_id = tx.session.scalar(select(Line.id).where(Line.code == self._line.code))
        open_alert = tx.session.scalar(
            select(Alert.id)
            .where(Alert.kind == AlertKind.PIN_GUESSING.value)
            .where(Alert.line_id == line_id)
            .where(Alert.acknowledged_at.is_(None))
            .where(Alert.raised_at > tx.now - self._lockout.count_window)
            .limit(1)
        )
        if open_alert is not None:
            return
        raise_alert(
            tx,
            priority=P2,
            kind=AlertKind.PIN_GUESSING,
            department=self._line.department,
            line_id=line_id,
            subject_user_id=user.id,
            fields={
                "employee_no": user.employee_no,
                "name": user.name,
                "line": self._line.code,
                "wrong_pins": kiosk_count,
            },
        )
        log.warning(
            "wrong PINs on %s: the PIN pad waits (last for %s)", self._line.code, user.employee_no
        )
