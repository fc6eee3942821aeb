"""Privileged identity actions, decided here only: badges, unlocks, PINs, people, devices.

A kiosk's disk and token are on the floor, so a pushed event naming an admin proves
nothing. These actions come as direct requests instead: the person asking proves who
they are with their PIN (and badge where the policy wants both), checked against the
server's own hash; their role must allow the action (the one permission table) and they
must be someone who may log in on the asking device. Wrong PINs count here, across all
kiosks, and lock the account. The change, its audit entry and its feed rows commit in
one transaction, so kiosks see it on their next pull; the asking kiosk gets its rows back
at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain.errors import RefusalError
from kiosk.domain.events import BadgeEnrolled, BadgeUnbound
from kiosk.domain.ids import new_id
from kiosk.domain.lockout import LockoutPolicy
from kiosk.domain.roles import PIN_AFTER_BADGE_ROLES, Action, Department, Role, is_allowed
from kiosk.domain.sync_events import USER
from kiosk.services.alerts import P2, AlertKind
from kiosk.services.badge_hasher import BadgeHasher
from kiosk.services.effects.people import change_badge, count_wrong_pin, forget_wrong_pins
from kiosk.services.pin_hasher import PinHasher
from kiosk.store.models import Alert, Base, Line, User, UserLine
from kiosk.store.replica import USER_LINE_IDS
from kiosk.store.secrets import BADGE_KEY_NAME
from kiosk.store.unit_of_work import AuditActor, append_audit
from server_sync import devices
from server_sync.device_alerts import device_line_id
from server_sync.feed import FeedRow, feed_row, publish
from server_sync.models import DEVICE_LINE, Device, SiteSecret
from server_sync.scope import may_log_in_on, project_user
from server_sync.site_people import PERSON_LANGUAGES

# The server's own audit entries share one hash chain: appended one at a time.
AUDIT_LOCK = 0x1D_E7_17_01
VERIFIED_BY_SERVER = "server"


class IdentityRefusedError(Exception):
    """The request changes nothing (a wrong PIN is still counted): HTTP status, code, fields."""

    def __init__(self, status: int, code: str, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.keep_changes = False  # a counted wrong PIN (and a lock) commits before refusing


def _forbidden(code: str, message: str, **fields: Any) -> IdentityRefusedError:
    return IdentityRefusedError(403, code, message, **fields)


def _unknown(code: str, message: str, **fields: Any) -> IdentityRefusedError:
    return IdentityRefusedError(404, code, message, **fields)


def _conflict(code: str, message: str, **fields: Any) -> IdentityRefusedError:
    return IdentityRefusedError(409, code, message, **fields)


def _invalid(code: str, message: str, **fields: Any) -> IdentityRefusedError:
    return IdentityRefusedError(422, code, message, **fields)


@dataclass(frozen=True)
class Proof:
    """Who asks, proved again for this one request."""

    user_id: uuid.UUID
    pin: str
    badge_uid: str | None = None


@dataclass(frozen=True)
class IdentityPolicy:
    """Lockout as on the kiosks; whether privileged roles must show their badge on a line
    kiosk as well as their PIN (item 7 of issue 12 turns this on)."""

    lockout: LockoutPolicy = field(default_factory=LockoutPolicy)
    badge_on_line_kiosks: bool = False


@dataclass(frozen=True)
class PersonChange:
    """What an admin may change of a person; None leaves a field as it is."""

    name: str | None = None
    role: Role | None = None
    department: Department | None = None
    department_given: bool = False  # department None with this set: no department
    line_codes: tuple[str, ...] | None = None
    is_active: bool | None = None
    language: str | None = None  # the screens' language while logged in (en, id)
    language_given: bool = False  # language None with this set: the kiosk's language


@dataclass
class Decision:
    """What an applied request changed, as the asking device reads it, plus extra answers."""

    changes: list[dict[str, Any]]
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Applied:
    rows: list[Base]
    entity: str
    entity_id: str
    details: dict[str, Any]
    fields: dict[str, Any] = field(default_factory=dict)


Apply = Callable[[Session, User], _Applied]


class IdentityDesk:
    """The privileged requests of one server process (no state beyond PostgreSQL)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Callable[[], datetime],
        *,
        pins: PinHasher | None = None,
        policy: IdentityPolicy | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._pins = pins or PinHasher()
        self._policy = policy or IdentityPolicy()

    # ------------------------------------------------------------------ the actions
    def bind_badge(
        self, device: Device, proof: Proof, user_id: uuid.UUID, badge_uid: str
    ) -> Decision:
        def apply(session: Session, actor: User) -> _Applied:
            subject = _subject(session, user_id, active=True)
            digest = site_badge_hasher(session).digest(badge_uid)
            holder = session.scalar(select(User).where(User.badge_hash == digest).with_for_update())
            if holder is not None and holder.id != subject.id:
                raise _conflict(
                    "badge_in_use",
                    "this badge belongs to someone else",
                    employee_no=holder.employee_no,
                    name=holder.name,
                )
            replaced = subject.badge_hash is not None and subject.badge_hash != digest
            change_badge(subject, BadgeEnrolled(user_id=subject.id, badge_hash=digest))
            details = {"operation": "bind", "badge_ref": digest[:12], "replaced": replaced}
            return _Applied([subject], "user", str(subject.id), _about(subject, details))

        return self._perform(device, proof, Action.BADGE_MANAGE, apply)

    def unbind_badge(self, device: Device, proof: Proof, user_id: uuid.UUID) -> Decision:
        def apply(session: Session, actor: User) -> _Applied:
            subject = _subject(session, user_id)
            if subject.badge_hash is None:
                raise _conflict(
                    "badge_not_bound", "this person has no badge", employee_no=subject.employee_no
                )
            change_badge(subject, BadgeUnbound(user_id=subject.id))
            details = _about(subject, {"operation": "unbind"})
            return _Applied([subject], "user", str(subject.id), details)

        return self._perform(device, proof, Action.BADGE_MANAGE, apply)

    def unlock(self, device: Device, proof: Proof, user_id: uuid.UUID) -> Decision:
        def apply(session: Session, actor: User) -> _Applied:
            subject = _subject(session, user_id)
            if actor.role is not Role.ADMIN and subject.department != actor.department:
                raise _forbidden(
                    "out_of_scope",
                    "a supervisor unlocks only people of their own department",
                    department=None if subject.department is None else subject.department.value,
                )
            if not self._policy.lockout.is_locked(subject.locked_until, self._clock()):
                raise _conflict(
                    "not_locked", "this account is not locked", employee_no=subject.employee_no
                )
            forget_wrong_pins(subject)
            subject.locked_until = None
            details = _about(subject, {"operation": "unlock"})
            return _Applied([subject], "user", str(subject.id), details)

        return self._perform(device, proof, Action.USER_UNLOCK, apply)

    def reset_pin(
        self, device: Device, proof: Proof, user_id: uuid.UUID, new_pin: str | None
    ) -> Decision:
        """A new PIN checked against the person's role, or none (`new_pin` None): then
        they choose their own at their next badge tap, as a new person does."""

        def apply(session: Session, actor: User) -> _Applied:
            subject = _subject(session, user_id)
            try:
                subject.pin_hash = "" if new_pin is None else self._pins.hash(new_pin, subject.role)
            except RefusalError as refusal:
                raise _invalid(
                    "pin_format", "the new PIN has the wrong form", **refusal.fields
                ) from None
            forget_wrong_pins(subject)
            subject.locked_until = None
            details = _about(
                subject, {"operation": "reset_pin", "chosen_at_next_tap": new_pin is None}
            )
            return _Applied([subject], "user", str(subject.id), details)

        return self._perform(device, proof, Action.USER_MANAGE, apply)

    def change_person(
        self, device: Device, proof: Proof, user_id: uuid.UUID, change: PersonChange
    ) -> Decision:
        def apply(session: Session, actor: User) -> _Applied:
            subject = _subject(session, user_id)
            if subject.id == actor.id and (
                (change.role is not None and change.role is not actor.role)
                or change.is_active is False
            ):
                raise _conflict(
                    "own_account", "nobody changes their own role or switches themselves off"
                )
            changed = _change_person(session, subject, change)
            details = _about(subject, {"operation": "change", "changed": changed})
            return _Applied([subject], "user", str(subject.id), details)

        return self._perform(device, proof, Action.USER_MANAGE, apply)

    def create_device_code(
        self,
        device: Device,
        proof: Proof,
        *,
        line_code: str | None,
        department: str | None,
    ) -> Decision:
        def apply(session: Session, actor: User) -> _Applied:
            try:
                code = devices.create_code(
                    session,
                    self._clock(),
                    line_code=line_code,
                    department=department,
                    created_by=f"{actor.employee_no} {actor.name}"[:100],
                )
            except devices.EnrolmentError as error:
                raise _invalid("unknown_line", str(error)) from None
            details = {"operation": "create", "line": line_code, "department": department}
            expires = self._clock() + devices.CODE_LIFETIME
            fields = {"code": code, "expires_at": expires.isoformat()}
            return _Applied([], "device", line_code or department or "", details, fields)

        return self._perform(device, proof, Action.DEVICE_MANAGE, apply)

    def revoke_device(self, device: Device, proof: Proof, device_id: uuid.UUID) -> Decision:
        def apply(session: Session, actor: User) -> _Applied:
            if device_id == device.id:
                raise _conflict(
                    "own_device", "a kiosk does not revoke itself: use another kiosk or the server"
                )
            target = session.get(Device, device_id, with_for_update=True)
            if target is None:
                raise _unknown("unknown_device", "no such device", device_id=str(device_id))
            if not devices.revoke(session, device_id, self._clock()):
                raise _conflict("already_revoked", "this device is revoked already")
            details = {"operation": "revoke", "device": target.name, "line": target.line_code}
            return _Applied([], "device", str(device_id), details)

        return self._perform(device, proof, Action.DEVICE_MANAGE, apply)

    # ------------------------------------------------------------------ the common path
    def _perform(self, device: Device, proof: Proof, action: Action, apply: Apply) -> Decision:
        """Verify the person, apply, audit and publish: one transaction, or only the refusal."""
        now = self._clock()
        with self._sessions() as session:
            try:
                actor = self._verify(session, device, proof, action, now)
                applied = _changed_meanwhile_as_conflict(lambda: _flushed(session, apply, actor))
            except IdentityRefusedError as refusal:
                if not refusal.keep_changes:
                    session.rollback()
                _audit(
                    session,
                    now,
                    actor=AuditActor(proof.user_id, _label_of(session, proof.user_id)),
                    action=action,
                    outcome=f"refused:{refusal.code}",
                    entity="device" if action is Action.DEVICE_MANAGE else "user",
                    entity_id=None,
                    details={**device_where(device), "fields": _plain(refusal.fields)},
                )
                session.commit()
                raise
            _audit(
                session,
                now,
                actor=AuditActor(actor.id, f"{actor.employee_no} {actor.name}"),
                action=action,
                outcome="ok",
                entity=applied.entity,
                entity_id=applied.entity_id,
                details={
                    **device_where(device),
                    **applied.details,
                    "verified_by": VERIFIED_BY_SERVER,
                },
            )
            rows = feed_rows(session, applied.rows)
            publish(session, rows)
            changes = as_device_reads(session, device, rows)
            session.commit()
        return Decision(changes, applied.fields)

    def _verify(
        self, session: Session, device: Device, proof: Proof, action: Action, now: datetime
    ) -> User:
        """The asking person, row-locked, once their role, place and PIN (and badge) check out."""
        actor = session.get(User, proof.user_id, with_for_update=True)
        if actor is None or not actor.is_active:
            raise _forbidden("unknown_actor", "this person is unknown here or switched off")
        lockout = self._policy.lockout
        if lockout.is_locked(actor.locked_until, now):
            assert actor.locked_until is not None
            raise _forbidden(
                "account_locked",
                "this account is locked",
                until=actor.locked_until.isoformat(),
                just_locked=False,
            )
        if not may_log_in_on(device, login_view(actor), device_line_id(session, device)):
            raise _forbidden(
                "not_on_this_device",
                "this person may not act on this device",
                employee_no=actor.employee_no,
                line=device.line_code or device.department,
            )
        if not is_allowed(actor.role, action):
            raise _forbidden(
                "permission_denied",
                "this role may not do this",
                role=actor.role.value,
                action=action.value,
            )
        wants_badge = (
            self._policy.badge_on_line_kiosks
            and device.kind == DEVICE_LINE
            and actor.role in PIN_AFTER_BADGE_ROLES
        )
        if wants_badge and not proof.badge_uid:
            raise _forbidden("badge_required", "tap the badge as well as typing the PIN")
        badge_ok = proof.badge_uid is None or (
            actor.badge_hash is not None
            and site_badge_hasher(session).digest(proof.badge_uid) == actor.badge_hash
        )
        if not badge_ok or not self._pins.verify(actor.pin_hash, proof.pin):
            raise self._count_wrong(session, device, actor, now)
        forget_wrong_pins(actor)
        return actor

    def _count_wrong(
        self, session: Session, device: Device, actor: User, now: datetime
    ) -> IdentityRefusedError:
        """A wrong PIN or badge: counted centrally; the last allowed one locks everywhere."""
        lockout = self._policy.lockout
        # The one counting rule, shared with pushed `pin.refused` events (dated, windowed).
        state = count_wrong_pin(actor, now, lockout)
        changed: list[Base] = [actor]
        if state.just_locked:
            assert state.locked_until is not None
            changed.append(lockout_alert(session, device, actor, state.locked_until, now))
            refusal = _forbidden(
                "account_locked",
                "too many wrong PINs: the account is locked",
                until=state.locked_until.isoformat(),
                just_locked=True,
            )
        else:
            refusal = _forbidden(
                "wrong_pin",
                "wrong PIN",
                attempts_left=lockout.attempts_left(state.failed_count),
            )
        session.flush()
        publish(session, feed_rows(session, changed))
        refusal.keep_changes = True
        return refusal


# ---------------------------------------------------------------------- helpers
def _flushed(session: Session, apply: Apply, actor: User) -> _Applied:
    applied = apply(session, actor)
    session.flush()
    return applied


def _changed_meanwhile_as_conflict(run: Callable[[], _Applied]) -> _Applied:
    """Two requests raced for one badge (its hash is unique): the later one is told so."""
    try:
        return run()
    except IntegrityError:
        raise _conflict(
            "changed_meanwhile", "someone changed this at the same moment: try again"
        ) from None


def _subject(session: Session, user_id: uuid.UUID, *, active: bool = False) -> User:
    """The person the request is about, row-locked."""
    subject = session.get(User, user_id, with_for_update=True)
    if subject is None or (active and not subject.is_active):
        raise _unknown("unknown_user", "no such person", user_id=str(user_id))
    return subject


def _change_person(session: Session, subject: User, change: PersonChange) -> list[str]:
    changed: list[str] = []
    if change.name is not None and change.name.strip() != subject.name:
        if not change.name.strip():
            raise _invalid("name_required", "a person needs a name")
        subject.name = change.name.strip()[:100]
        changed.append("name")
    if change.role is not None and change.role is not subject.role:
        subject.role = change.role
        changed.append("role")
    if change.department_given and change.department != subject.department:
        subject.department = change.department
        changed.append("department")
    if change.line_codes is not None:
        wanted = sorted({code.strip().upper() for code in change.line_codes})
        lines = session.scalars(select(Line).where(Line.code.in_(wanted))).all()
        missing = sorted(set(wanted) - {line.code for line in lines})
        if missing:
            raise _invalid("unknown_line", "no such line", lines=", ".join(missing))
        if {link.line_id for link in subject.lines} != {line.id for line in lines}:
            subject.lines = [UserLine(line_id=line.id) for line in lines]
            changed.append("lines")
    if change.is_active is not None and change.is_active != subject.is_active:
        subject.is_active = change.is_active
        changed.append("is_active")
    if change.language_given and change.language != subject.language:
        if change.language is not None and change.language not in PERSON_LANGUAGES:
            raise _invalid("unknown_language", "no such screen language")
        subject.language = change.language
        changed.append("language")
    if subject.role is Role.OPERATOR and subject.department is None:
        raise _invalid("department_required", "an operator belongs to a department")
    return changed


def login_view(user: User) -> dict[str, Any]:
    """The person as the login rule (`may_log_in_on`) reads a feed row."""
    return {
        "role": user.role.value,
        "department": None if user.department is None else user.department.value,
        USER_LINE_IDS: [str(link.line_id) for link in user.lines],
    }


def site_badge_hasher(session: Session) -> BadgeHasher:
    secret = session.get(SiteSecret, BADGE_KEY_NAME)
    if secret is None:
        raise IdentityRefusedError(503, "no_badge_key", "the site has no badge key yet")
    return BadgeHasher(secret.value)


def lockout_alert(
    session: Session, device: Device, actor: User, until: datetime, now: datetime
) -> Alert:
    """The same P2 alert a kiosk raises when its PIN pad locks someone."""
    alert = Alert(
        id=new_id(),
        priority=P2,
        kind=AlertKind.PIN_LOCKOUT.value,
        department=actor.department or Department(device.department),
        line_id=device_line_id(session, device),
        subject_user_id=actor.id,
        fields={
            "employee_no": actor.employee_no,
            "name": actor.name,
            "line": device.line_code or device.department,
            "until": until.isoformat(),
            "device": device.name,
        },
        raised_at=now,
        acknowledged_by=None,
        acknowledged_at=None,
    )
    session.add(alert)
    return alert


def feed_rows(session: Session, rows: Iterable[Base]) -> list[FeedRow]:
    found = (feed_row(session, row) for row in rows)
    return [row for row in found if row is not None]


def as_device_reads(session: Session, device: Device, rows: list[FeedRow]) -> list[dict[str, Any]]:
    """The published rows as the asking device's feed would give them (hashes projected)."""
    line_id = device_line_id(session, device)
    return [
        {
            "entity": row.entity,
            "key": row.key,
            "data": project_user(device, row.data, line_id) if row.entity == USER else row.data,
        }
        for row in rows
    ]


def _label_of(session: Session, user_id: uuid.UUID) -> str:
    user = session.get(User, user_id)
    return "unknown" if user is None else f"{user.employee_no} {user.name}"


def _about(subject: User, details: dict[str, Any]) -> dict[str, Any]:
    return {"employee_no": subject.employee_no, **details}


def device_where(device: Device) -> dict[str, Any]:
    return {"device_id": str(device.id), "device": device.name, "line": device.line_code}


def _plain(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value if isinstance(value, int | str | bool | None) else str(value)
        for key, value in fields.items()
    }


def _audit(
    session: Session,
    now: datetime,
    *,
    actor: AuditActor,
    action: Action,
    outcome: str,
    entity: str,
    entity_id: str | None,
    details: dict[str, Any],
) -> None:
    """One entry of the server's own audit chain (entries are appended one at a time)."""
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK})
    append_audit(
        session,
        at=now,
        actor=actor,
        action=action.value,
        outcome=outcome,
        entity=entity,
        entity_id=entity_id,
        details=details,
    )
