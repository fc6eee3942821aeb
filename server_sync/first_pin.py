"""A person's first PIN, chosen at a kiosk and decided here; one-time setup codes for it.

PINs never travel in files: a person made by an import (or whose PIN was cleared) has
none, and chooses one at their first badge tap, or with a setup code an admin printed
(`server-sync pin-code`). The kiosk sends it as a direct request; the server takes it
only for a person who has no PIN yet (so a replayed request does nothing), only from a
device where that person may log in, and only with proof that the person is there: their
badge's UID (the kiosk holds only its keyed hash) or their unexpired, unused code. Wrong
codes count like wrong PINs and lock the account (a badge-only operator too: a code is
guessable, a badge is not); the lock voids the code. Everything else refused changes
nothing but the audit.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain.errors import RefusalError
from kiosk.domain.lockout import LockoutPolicy
from kiosk.services.effects.people import forget_wrong_pins
from kiosk.services.pin_hasher import PinHasher
from kiosk.store.models import User
from kiosk.store.unit_of_work import AuditActor, append_audit
from server_sync.device_alerts import device_line_id
from server_sync.feed import publish
from server_sync.identity import (
    AUDIT_LOCK,
    VERIFIED_BY_SERVER,
    Decision,
    IdentityRefusedError,
    as_device_reads,
    device_where,
    feed_rows,
    lockout_alert,
    login_view,
    site_badge_hasher,
)
from server_sync.models import Device, PinSetupCode
from server_sync.scope import may_log_in_on

FIRST_PIN_ACTION = "user.first_pin"
SETUP_CODE_ACTION = "user.pin_code"
SETUP_CODE_DIGITS = 8
SETUP_CODE_LIFETIME = timedelta(hours=24)


class SetupCodeError(Exception):
    """`pin-code` refused: no such active person, or one who has a PIN already."""


@dataclass(frozen=True)
class FirstPinProof:
    """Who is at the kiosk: the badge they tapped, or the setup code they typed."""

    badge_uid: str | None = None
    setup_code: str | None = None


def _code_digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def normalize_setup_code(code: str) -> str:
    return "".join(character for character in code if character.isdigit())


def create_setup_code(
    session: Session,
    now: datetime,
    employee_no: str,
    *,
    created_by: str = "admin",
    lifetime: timedelta = SETUP_CODE_LIFETIME,
) -> tuple[str, datetime]:
    """A new one-time code for this person's first PIN (it replaces an older one).

    Returns the code (shown once, never stored) and when it expires.
    """
    person = session.scalar(
        select(User).where(User.employee_no == employee_no.strip().upper()).with_for_update()
    )
    if person is None or not person.is_active:
        raise SetupCodeError(f"no active person {employee_no.strip().upper()}")
    if person.pin_hash:
        raise SetupCodeError(
            f"{person.employee_no} has a PIN already: a setup code is only for a first PIN"
        )
    code = "".join(secrets.choice("0123456789") for _ in range(SETUP_CODE_DIGITS))
    row = session.get(PinSetupCode, person.id, with_for_update=True)
    if row is None:
        row = PinSetupCode(user_id=person.id)
        session.add(row)
    row.code_hash = _code_digest(code)
    row.created_by = created_by[:100]
    row.created_at = now
    row.expires_at = now + lifetime
    row.used_at = None
    _append(
        session,
        now,
        AuditActor(None, created_by[:100]),
        action=SETUP_CODE_ACTION,
        outcome="ok",
        user_id=person.id,
        details={"employee_no": person.employee_no, "expires_at": row.expires_at.isoformat()},
    )
    return code, row.expires_at


class FirstPinDesk:
    """First-PIN requests of one server process (no state beyond PostgreSQL)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Callable[[], datetime],
        *,
        lockout: LockoutPolicy | None = None,
        pins: PinHasher | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._lockout = lockout or LockoutPolicy()
        self._pins = pins or PinHasher()

    def set_first_pin(
        self, device: Device, user_id: uuid.UUID, new_pin: str, proof: FirstPinProof
    ) -> Decision:
        """Store the person's first PIN's hash and publish it; or refuse (audited)."""
        now = self._clock()
        method = "setup_code" if proof.setup_code is not None else "badge"
        with self._sessions() as session:
            subject = session.get(User, user_id, with_for_update=True)
            try:
                person = self._check(
                    session, device=device, subject=subject, new_pin=new_pin, proof=proof, now=now
                )
            except IdentityRefusedError as refusal:
                if not refusal.keep_changes:
                    session.rollback()
                    subject = session.get(User, user_id)
                _append(
                    session,
                    now,
                    _actor_of(subject),
                    action=FIRST_PIN_ACTION,
                    outcome=f"refused:{refusal.code}",
                    user_id=user_id,
                    details={
                        **device_where(device),
                        "method": method,
                        "fields": _plain(refusal.fields),
                    },
                )
                session.commit()
                raise
            rows = feed_rows(session, [person])
            publish(session, rows)
            _append(
                session,
                now,
                _actor_of(person),
                action=FIRST_PIN_ACTION,
                outcome="ok",
                user_id=person.id,
                details={
                    **device_where(device),
                    "employee_no": person.employee_no,
                    "method": method,
                    "verified_by": VERIFIED_BY_SERVER,
                },
            )
            changes = as_device_reads(session, device, rows)
            session.commit()
        return Decision(changes)

    def _check(
        self,
        session: Session,
        *,
        device: Device,
        subject: User | None,
        new_pin: str,
        proof: FirstPinProof,
        now: datetime,
    ) -> User:
        """The person, their PIN hashed and stored, once every rule says yes."""
        if subject is None or not subject.is_active:
            raise IdentityRefusedError(404, "unknown_user", "no such person")
        if not may_log_in_on(device, login_view(subject), device_line_id(session, device)):
            raise IdentityRefusedError(
                403,
                "not_on_this_device",
                "this person may not log in on this device",
                employee_no=subject.employee_no,
                line=device.line_code or device.department,
            )
        if subject.pin_hash:
            raise IdentityRefusedError(
                409,
                "pin_already_set",
                "this person has a PIN already",
                employee_no=subject.employee_no,
            )
        code_row = self._proved(session, device, subject, proof, now)
        try:
            subject.pin_hash = self._pins.hash(new_pin, subject.role)
        except RefusalError as refusal:
            raise IdentityRefusedError(
                422, "pin_format", "the new PIN has the wrong form", **refusal.fields
            ) from None
        if code_row is not None:
            code_row.used_at = now
        forget_wrong_pins(subject)
        subject.locked_until = None
        session.flush()
        return subject

    def _proved(
        self,
        session: Session,
        device: Device,
        subject: User,
        proof: FirstPinProof,
        now: datetime,
    ) -> PinSetupCode | None:
        """Check the badge or the code; a wrong code is counted. The code row, if used."""
        if proof.setup_code is None:
            uid = proof.badge_uid or ""
            if subject.badge_hash is None or not hmac.compare_digest(
                site_badge_hasher(session).digest(uid), subject.badge_hash
            ):
                raise IdentityRefusedError(403, "badge_mismatch", "this badge is not this person's")
            return None
        if self._lockout.is_locked(subject.locked_until, now):
            assert subject.locked_until is not None
            raise IdentityRefusedError(
                403,
                "account_locked",
                "this account is locked",
                until=subject.locked_until.isoformat(),
                just_locked=False,
            )
        row = session.get(PinSetupCode, subject.id, with_for_update=True)
        typed = _code_digest(normalize_setup_code(proof.setup_code))
        if row is None or not hmac.compare_digest(row.code_hash, typed):
            raise self._count_wrong_code(session, device, subject, row, now)
        if row.used_at is not None or row.expires_at <= now:
            raise IdentityRefusedError(
                403, "setup_code_expired", "this setup code is used or expired"
            )
        return row

    def _count_wrong_code(
        self,
        session: Session,
        device: Device,
        subject: User,
        row: PinSetupCode | None,
        now: datetime,
    ) -> IdentityRefusedError:
        """Counted like a wrong PIN; the last allowed one locks the account and voids the code."""
        state = self._lockout.after_wrong_pin(
            subject.failed_pin_count,
            subject.locked_until,
            now,
            last_wrong_at=subject.last_wrong_pin_at,
            may_lock=True,  # a code can be guessed, unlike a badge
        )
        subject.failed_pin_count = state.failed_count
        subject.last_wrong_pin_at = now
        subject.locked_until = state.locked_until
        changed: list[Any] = [subject]
        if state.just_locked:
            assert state.locked_until is not None
            if row is not None:
                row.used_at = now
            changed.append(lockout_alert(session, device, subject, state.locked_until, now))
            refusal = IdentityRefusedError(
                403,
                "account_locked",
                "too many wrong setup codes: the account is locked",
                until=state.locked_until.isoformat(),
                just_locked=True,
            )
        else:
            refusal = IdentityRefusedError(
                403,
                "wrong_setup_code",
                "wrong setup code",
                attempts_left=self._lockout.attempts_left(state.failed_count),
            )
        session.flush()
        publish(session, feed_rows(session, changed))
        refusal.keep_changes = True
        return refusal


def _actor_of(user: User | None) -> AuditActor:
    if user is None:
        return AuditActor(None, "unknown")
    return AuditActor(user.id, f"{user.employee_no} {user.name}"[:100])


def _plain(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value if isinstance(value, int | str | bool | None) else str(value)
        for key, value in fields.items()
    }


def _append(
    session: Session,
    now: datetime,
    actor: AuditActor,
    *,
    action: str,
    outcome: str,
    user_id: uuid.UUID | None,
    details: dict[str, Any],
) -> None:
    """One entry of the server's own audit chain (entries are appended one at a time)."""
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK})
    append_audit(
        session,
        at=now,
        actor=actor,
        action=action,
        outcome=outcome,
        entity="user",
        entity_id=None if user_id is None else str(user_id),
        details=details,
    )
