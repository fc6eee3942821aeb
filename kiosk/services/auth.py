"""Login with a badge or a PIN; a growing wait, and lockout, after wrong PINs; who is locked out.

Wrong PINs slow the PIN pad down per tile and per kiosk (kiosk.domain.pin_throttle) and
alert the line's supervisor once; they lock only people whose PIN is all they have or a
second factor (kiosk.domain.lockout.wrong_pins_lock), never someone who logs in by badge.
Unlocking is a request to the server (kiosk.services.identity), never a queued event.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session

from kiosk.domain.device_scope import DESKTOP_ROLES, DeviceScope, may_act_on
from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.events import PinRefused, SessionEnded, SessionStarted, UserLocked
from kiosk.domain.lockout import LockoutPolicy, wrong_pins_lock
from kiosk.domain.pin_throttle import PinThrottle, whole_seconds
from kiosk.domain.pins import needs_badge_before_pin
from kiosk.domain.roles import LINE_BOUND_ROLES, PIN_AFTER_BADGE_ROLES, Action, Role
from kiosk.services.actor import Actor, actor_of
from kiosk.services.alerts import P2, AlertKind, raise_alert
from kiosk.services.authz import authorize
from kiosk.services.badge_hasher import BadgeHasher
from kiosk.services.drafts import draft_view, store_draft
from kiosk.services.effects.people import count_wrong_pin, forget_wrong_pins, pins_may_lock
from kiosk.services.pin_hasher import PinHasher
from kiosk.services.pin_pad_wait import PinPadWait
from kiosk.services.views import (
    DraftView,
    FirstPinRequired,
    LineView,
    LockedUserView,
    LoginResult,
    PinRequired,
    RosterEntry,
)
from kiosk.store.models import Draft, Line, User, UserLine
from kiosk.store.unit_of_work import SYSTEM_ACTOR, ActionTx, AuditActor, UnitOfWork

log = logging.getLogger(__name__)

LOGIN_ACTION = "session.login"
APPROVAL_ACTION = "session.approval"
# Besides the line's operators, the login screen shows these roles of the line's department
# (a warehouse line shows its staff and admins).
_DEPARTMENT_TILE_ROLES = (Role.SUPERVISOR, Role.WAREHOUSE_STAFF, Role.WAREHOUSE_ADMIN)
LOGOUT_ACTION = "session.logout"
# How long a badge tap opens the PIN pad for its owner's badge + PIN.
BADGE_TAP_VALID_FOR = timedelta(minutes=2)


@dataclass(frozen=True)
class _UserSnapshot:
    id: uuid.UUID
    employee_no: str
    name: str
    role: Role
    pin_hash: str
    locked_until: datetime | None
    is_active: bool
    has_badge: bool


class AuthService:
    """Sessions of one kiosk, bound to one line."""

    def __init__(
        self,
        uow: UnitOfWork,
        hasher: PinHasher,
        lockout: LockoutPolicy,
        line: LineView,
        badges: BadgeHasher,
        *,
        desktop: bool = False,
        stale_badge: Callable[[str], None] | None = None,
        throttle: PinThrottle | None = None,
    ) -> None:
        self._pin_pad = PinPadWait(lockout, throttle or PinThrottle(), line)
        self._desktop = desktop  # a supervisor's office PC: supervisors and admins only
        # Told of a badge that matched only under the previous badge key (kept in memory).
        self._stale_badge = stale_badge
        self._uow = uow
        self._hasher = hasher
        self._badges = badges
        self._lockout = lockout
        self._line = line
        # Whose badge was just tapped here (and when): a privileged PIN counts only after it.
        self._badge_taps: dict[uuid.UUID, datetime] = {}

    # ------------------------------------------------------------------ roster
    def roster(self) -> list[RosterEntry]:
        """The tiles of the login screen: this line's operators and its department's supervisors."""
        now = self._uow.clock.now()
        with self._uow.database.reader() as session:
            line_user_ids = select(UserLine.user_id).join(Line).where(Line.code == self._line.code)
            if self._desktop:
                line_user_ids = line_user_ids.where(false())  # no operators at a desktop
            users = session.scalars(
                select(User)
                .where(User.is_active.is_(True))
                .where(
                    or_(
                        User.id.in_(line_user_ids),
                        User.role.in_(_DEPARTMENT_TILE_ROLES)
                        & (User.department == self._line.department),
                    )
                )
            ).all()
            # Operators first (they log in most), then supervisors; by name within each.
            ordered = sorted(users, key=lambda u: (u.role is not Role.OPERATOR, u.name))
            return [self._roster_entry(user, now, session=session) for user in ordered]

    def find_employee(self, employee_no: str) -> RosterEntry:
        """Someone not on the roster, by employee number (an unknown one is audited).

        The keypad has digits only, so "9001" finds E9001 when no other number has
        the same digits.
        """
        normalized = employee_no.strip().upper()
        with self._uow.database.reader() as session:
            user = session.scalar(select(User).where(User.employee_no == normalized))
            if user is None and normalized.isdigit():
                same_digits = [
                    candidate
                    for candidate in session.scalars(select(User).where(User.is_active.is_(True)))
                    if re.sub(r"\D", "", candidate.employee_no) == normalized
                ]
                user = same_digits[0] if len(same_digits) == 1 else None
            if user is not None and user.is_active:
                return self._roster_entry(user, self._uow.clock.now(), session=session)
        refusal = RefusalError(ErrorCode.UNKNOWN_EMPLOYEE, employee_no=normalized)
        self._uow.record_refusal(
            SYSTEM_ACTOR,
            LOGIN_ACTION,
            refusal,
            entity="user",
            entity_id=None,
            attempted={"employee_no": normalized, "line": self._line.code},
        )
        raise refusal

    # ------------------------------------------------------------------ badge login
    def badge_owner(self, uid: str) -> RosterEntry:
        """Whose badge this is, without logging in (a tap while someone is logged in)."""
        user_id = self._badge_user_id(uid)
        now = self._uow.clock.now()
        with self._uow.database.reader() as session:
            user = session.get(User, user_id)
            assert user is not None
            if user.role in PIN_AFTER_BADGE_ROLES:
                self._badge_taps[user_id] = now  # a supervisor's approval: badge, then PIN
            return self._roster_entry(user, now, session=session)

    def login_with_badge(
        self, uid: str, *, skip_first_pin: bool = False
    ) -> LoginResult | PinRequired | FirstPinRequired:
        """A badge tap: operators are in at once; supervisors and admins type their PIN next.

        Someone with no PIN yet is asked to choose one (`FirstPinRequired`): a privileged
        person must, before anything else; someone who logs in by badge alone may say
        "not now" (`skip_first_pin`) and is in by badge.
        """
        user_id = self._badge_user_id(uid)
        pin_required: PinRequired | FirstPinRequired | None = None
        with self._uow.action(SYSTEM_ACTOR, LOGIN_ACTION) as tx:
            tx.about("user", user_id, line=self._line.code, method="badge")
            user = tx.session.get(User, user_id, with_for_update=True)
            assert user is not None
            tx.actor = AuditActor(user.id, f"{user.employee_no} {user.name}")
            self._refuse_unusable(tx, user, by_badge=True)
            may_skip = user.role not in PIN_AFTER_BADGE_ROLES
            if not user.pin_hash and not (skip_first_pin and may_skip):
                entry = self._roster_entry(user, tx.now, session=tx.session)
                pin_required = FirstPinRequired(entry, uid, may_skip=may_skip)
                self._badge_taps[user.id] = tx.now  # the PIN they choose logs them in next
                tx.audit(outcome="first_pin_required")
            elif user.role in PIN_AFTER_BADGE_ROLES:
                pin_required = PinRequired(self._roster_entry(user, tx.now, session=tx.session))
                self._badge_taps[user.id] = tx.now
                tx.audit(outcome="pin_required")
            else:
                actor = self._accept_login(tx, user, method="badge")
        if pin_required is not None:
            return pin_required
        return LoginResult(actor=actor, draft=self._pending_draft(actor))

    def _badge_user_id(self, uid: str) -> uuid.UUID:
        """The badge's owner; an unknown badge is refused and audited by a short reference
        of its keyed hash, never by its UID."""
        digest = self._badges.digest(uid)
        with self._uow.database.reader() as session:
            user_id = session.scalar(
                select(User.id).where(User.badge_hash == digest, User.is_active.is_(True))
            )
            previous = None if user_id is not None else self._badges.previous_digest(uid)
            if previous is not None:  # a badge-key rotation's grace period
                user_id = session.scalar(
                    select(User.id).where(User.badge_hash == previous, User.is_active.is_(True))
                )
                if user_id is not None and self._stale_badge is not None:
                    self._stale_badge(uid)  # the server re-hashes it under the new key
        if user_id is None:
            refusal = RefusalError(ErrorCode.BADGE_UNKNOWN)
            self._uow.record_refusal(
                SYSTEM_ACTOR,
                LOGIN_ACTION,
                refusal,
                entity="user",
                entity_id=None,
                attempted={"method": "badge", "badge_ref": digest[:12], "line": self._line.code},
            )
            raise refusal
        return user_id

    def _refuse_unusable(self, tx: ActionTx, user: User, *, by_badge: bool = False) -> None:
        if not user.is_active:
            raise RefusalError(ErrorCode.ACCOUNT_INACTIVE, employee_no=user.employee_no)
        if self._desktop and user.role not in DESKTOP_ROLES:
            raise RefusalError(ErrorCode.DESKTOP_SUPERVISORS_ONLY, employee_no=user.employee_no)
        if not user.pin_hash and self._may_log_in_here(tx.session, user):
            # No PIN yet (new, or reset): a badge tap chooses one; a PIN pad cannot.
            if not by_badge:
                raise RefusalError(
                    ErrorCode.FIRST_PIN_NEEDED, employee_no=user.employee_no, name=user.name
                )
        elif not user.pin_hash:
            # The server sends a PIN only where its owner may log in: refused before any
            # PIN is checked, so a wrong guess here never locks the account everywhere.
            raise RefusalError(
                ErrorCode.NOT_ASSIGNED_TO_LINE, employee_no=user.employee_no, line=self._line.code
            )
        if self._lockout.is_locked(user.locked_until, tx.now) and pins_may_lock(user):
            raise RefusalError(
                ErrorCode.ACCOUNT_LOCKED,
                employee_no=user.employee_no,
                until=user.locked_until,
                just_locked=False,
            )

    # ------------------------------------------------------------------ PIN login
    def login_with_pin(
        self, user_id: uuid.UUID, pin: str, *, after_badge: bool = False
    ) -> LoginResult:
        """Check the PIN (off the write lock: argon2 takes ~0.1 s), then record the outcome.

        A privileged person's PIN counts on a line kiosk only right after their badge tap
        here; without it the PIN is not even checked (so it is no oracle and no lockout).
        """
        self._refuse_pin_without_badge(user_id, after_badge=after_badge)
        self._refuse_while_waiting(user_id, LOGIN_ACTION)
        is_correct, actor_ref = self._check_pin(user_id, pin)
        refusal: RefusalError | None = None
        method = "badge+pin" if after_badge else "pin"
        with self._uow.action(actor_ref, LOGIN_ACTION) as tx:
            tx.about("user", user_id, line=self._line.code, method=method)
            user = self._usable_user(tx, user_id)
            if not is_correct:
                refusal = self._count_wrong_pin(tx, user)
            else:
                actor = self._accept_login(tx, user, method=method)
        if refusal is not None:
            raise refusal
        return LoginResult(actor=actor, draft=self._pending_draft(actor))

    def authenticate_approver(self, user_id: uuid.UUID, pin: str) -> Actor:
        """A supervisor proves who they are on someone else's session (badge, then PIN).

        Wrong PINs count towards the lockout as at login; the session on the kiosk
        does not change. The returned actor is used for one approval only.
        """
        self._refuse_pin_without_badge(user_id, after_badge=True)
        self._refuse_while_waiting(user_id, APPROVAL_ACTION)
        is_correct, actor_ref = self._check_pin(user_id, pin)
        refusal: RefusalError | None = None
        with self._uow.action(actor_ref, APPROVAL_ACTION) as tx:
            tx.about("user", user_id, line=self._line.code)
            user = self._usable_user(tx, user_id)
            if not is_correct:
                refusal = self._count_wrong_pin(tx, user)
            else:
                forget_wrong_pins(user)
                self._badge_taps.pop(user.id, None)  # one tap, one approval
                approver = actor_of(user)
                tx.audit()
        if refusal is not None:
            raise refusal
        return approver

    def needs_badge_first(self, entry: RosterEntry) -> bool:
        """Whether this person's PIN alone cannot log them in here (the UI asks for the badge)."""
        return needs_badge_before_pin(entry.role, desktop=self._desktop)

    def _refuse_pin_without_badge(self, user_id: uuid.UUID, *, after_badge: bool) -> None:
        """A privileged PIN on a line kiosk counts only within a while of its owner's badge tap."""
        snapshot = self._snapshot(user_id)
        if snapshot is None or not needs_badge_before_pin(snapshot.role, desktop=self._desktop):
            return
        now = self._uow.clock.now()
        tapped_at = self._badge_taps.get(user_id)
        if after_badge and tapped_at is not None and now - tapped_at <= BADGE_TAP_VALID_FOR:
            return
        refusal = RefusalError(ErrorCode.BADGE_BEFORE_PIN, employee_no=snapshot.employee_no)
        self._uow.record_refusal(
            AuditActor(snapshot.id, f"{snapshot.employee_no} {snapshot.name}"),
            LOGIN_ACTION,
            refusal,
            entity="user",
            entity_id=str(snapshot.id),
            attempted={"method": "pin", "line": self._line.code},
        )
        raise refusal

    def _check_pin(self, user_id: uuid.UUID, pin: str) -> tuple[bool, AuditActor]:
        """Check the PIN off the write lock (argon2 takes ~0.1 s); who the audit will name."""
        snapshot = self._snapshot(user_id)
        if snapshot is None:
            return False, SYSTEM_ACTOR
        usable = snapshot.is_active and not self._snapshot_locked(snapshot, self._uow.clock.now())
        is_correct = usable and self._hasher.verify(snapshot.pin_hash, pin)
        return is_correct, AuditActor(snapshot.id, f"{snapshot.employee_no} {snapshot.name}")

    def _usable_user(self, tx: ActionTx, user_id: uuid.UUID) -> User:
        """The user, locked for this transaction; refused if unknown, inactive or locked out."""
        user = tx.session.get(User, user_id, with_for_update=True)
        if user is None:
            raise RefusalError(ErrorCode.UNKNOWN_EMPLOYEE, user_id=str(user_id))
        self._refuse_unusable(tx, user)
        return user

    def _count_wrong_pin(self, tx: ActionTx, user: User) -> RefusalError:
        """Wrong PIN: the counter (and maybe a wait, a lock and an alert) is committed, then
        refused."""
        state = count_wrong_pin(user, tx.now, self._lockout)
        may_lock = pins_may_lock(user)
        wait = self._pin_pad.note_wrong_pin(tx, user, state.failed_count)
        # Counted on the server too, across every kiosk: N kiosks do not give N times the
        # guesses. Sent after this kiosk's own lock and alert: the server, already told of
        # the lock, does not raise a second alert for it.
        refused = PinRefused(user_id=user.id, line=self._line.code, at=tx.now)
        if state.just_locked:
            assert state.locked_until is not None
            tx.audit(outcome=f"refused:{ErrorCode.ACCOUNT_LOCKED.value}", failed=state.failed_count)
            tx.emit(UserLocked(user_id=user.id, until=state.locked_until, line=self._line.code))
            raise_alert(
                tx,
                priority=P2,
                kind=AlertKind.PIN_LOCKOUT,
                department=user.department or self._line.department,
                subject_user_id=user.id,
                fields={
                    "employee_no": user.employee_no,
                    "name": user.name,
                    "line": self._line.code,
                    "until": state.locked_until.isoformat(),
                },
            )
            log.warning(
                "account %s locked after %d wrong PINs", user.employee_no, state.failed_count
            )
            tx.emit(refused)
            return RefusalError(
                ErrorCode.ACCOUNT_LOCKED,
                employee_no=user.employee_no,
                until=state.locked_until,
                just_locked=True,
            )
        tx.audit(outcome=f"refused:{ErrorCode.WRONG_PIN.value}", failed=state.failed_count)
        tx.emit(refused)
        fields: dict[str, int] = {}
        if may_lock:
            fields["attempts_left"] = self._lockout.attempts_left(state.failed_count)
        if wait:
            fields["wait_seconds"] = wait
        return RefusalError(ErrorCode.WRONG_PIN, **fields)

    # ------------------------------------------------------------------ the PIN pad's wait
    def pin_wait_seconds(self, user_id: uuid.UUID) -> int:
        """How many seconds a PIN for this person must wait on this kiosk (0: type away).

        Someone locked has no wait: the lock's refusal (and its end) says more.
        """
        now = self._uow.clock.now()
        with self._uow.database.reader() as session:
            seconds = whole_seconds(self._pin_pad.wait_left(session, user_id, now))
        if not seconds:
            return 0
        snapshot = self._snapshot(user_id)
        if snapshot is not None and self._snapshot_locked(snapshot, now):
            return 0
        return seconds

    def _refuse_while_waiting(self, user_id: uuid.UUID, action: str) -> None:
        """A PIN typed during the wait is refused unchecked (no oracle) and only audited."""
        seconds = self.pin_wait_seconds(user_id)
        if not seconds:
            return
        snapshot = self._snapshot(user_id)
        refusal = RefusalError(ErrorCode.PIN_WAIT, wait_seconds=seconds)
        actor = (
            SYSTEM_ACTOR
            if snapshot is None
            else AuditActor(snapshot.id, f"{snapshot.employee_no} {snapshot.name}")
        )
        self._uow.record_refusal(
            actor,
            action,
            refusal,
            entity="user",
            entity_id=str(user_id),
            attempted={"method": "pin", "line": self._line.code},
        )
        raise refusal

    def _accept_login(self, tx: ActionTx, user: User, *, method: str) -> Actor:
        self._badge_taps.pop(user.id, None)
        actor = actor_of(user)
        if actor.role in LINE_BOUND_ROLES and self._line.code not in actor.line_codes:
            raise RefusalError(
                ErrorCode.NOT_ASSIGNED_TO_LINE,
                employee_no=user.employee_no,
                line=self._line.code,
            )
        forget_wrong_pins(user)
        user.locked_until = None
        tx.audit()
        tx.emit(SessionStarted(user_id=user.id, line=self._line.code, at=tx.now, method=method))
        return actor

    # ------------------------------------------------------------------ logout
    def logout(
        self,
        actor: Actor,
        *,
        reason: str,
        draft_kind: str | None = None,
        draft_work_order_id: uuid.UUID | None = None,
        draft_fields: dict[str, str] | None = None,
    ) -> None:
        """End the session; typed-but-unconfirmed input is kept as the user's draft."""
        with self._uow.action(actor.audit, LOGOUT_ACTION) as tx:
            tx.about("user", actor.user_id, line=self._line.code, reason=reason)
            kept = draft_kind is not None and bool(draft_fields)
            if kept:
                assert draft_kind is not None and draft_fields is not None
                store_draft(tx, actor.user_id, draft_kind, draft_work_order_id, draft_fields)
            tx.audit(draft_kept=kept)
            tx.emit(
                SessionEnded(user_id=actor.user_id, line=self._line.code, at=tx.now, reason=reason)
            )

    # ------------------------------------------------------------------ unlock
    def locked_users(self, actor: Actor) -> list[LockedUserView]:
        authorize(actor, Action.USER_UNLOCK)
        now = self._uow.clock.now()
        with self._uow.database.reader() as session:
            query = select(User).where(User.locked_until.is_not(None))
            if actor.role is not Role.ADMIN:
                query = query.where(User.department == actor.department)
            users = session.scalars(query.order_by(User.locked_until)).all()
            return [
                LockedUserView(
                    user_id=user.id,
                    employee_no=user.employee_no,
                    name=user.name,
                    role=user.role,
                    department=user.department,
                    locked_until=user.locked_until,
                    failed_pin_count=user.failed_pin_count,
                )
                for user in users
                if user.locked_until is not None
                and self._lockout.is_locked(user.locked_until, now)
                and pins_may_lock(user)
            ]

    # ------------------------------------------------------------------ helpers
    def _snapshot(self, user_id: uuid.UUID) -> _UserSnapshot | None:
        with self._uow.database.reader() as session:
            user = session.get(User, user_id)
            if user is None:
                return None
            return _UserSnapshot(
                user.id,
                user.employee_no,
                user.name,
                user.role,
                user.pin_hash,
                user.locked_until,
                user.is_active,
                user.badge_hash is not None,
            )

    def _snapshot_locked(self, snapshot: _UserSnapshot, now: datetime) -> bool:
        return self._lockout.is_locked(snapshot.locked_until, now) and wrong_pins_lock(
            snapshot.role, has_badge=snapshot.has_badge
        )

    def _roster_entry(
        self, user: User, now: datetime, *, session: Session | None = None
    ) -> RosterEntry:
        has_pin = bool(user.pin_hash) or session is None
        if not has_pin and session is not None:
            has_pin = not self._may_log_in_here(session, user)
        return RosterEntry(
            user_id=user.id,
            employee_no=user.employee_no,
            name=user.name,
            role=user.role,
            is_locked=self._lockout.is_locked(user.locked_until, now) and pins_may_lock(user),
            has_pin=has_pin,
        )

    def _may_log_in_here(self, session: Session, user: User) -> bool:
        """The one device-scope rule, as the server applies it: an empty PIN hash of someone
        who may log in here means they have no PIN (elsewhere it is just not sent here)."""
        line_id = session.scalar(select(Line.id).where(Line.code == self._line.code))
        scope = DeviceScope(
            is_desktop=self._desktop,
            department=self._line.department.value,
            line_id=None if self._desktop else line_id,
        )
        return may_act_on(scope, user.role, user.department, [link.line_id for link in user.lines])

    def _pending_draft(self, actor: Actor) -> DraftView | None:
        with self._uow.database.reader() as session:
            return _draft_for(session, actor.user_id)


def _draft_for(session: Session, user_id: uuid.UUID) -> DraftView | None:
    draft = session.get(Draft, user_id)
    return None if draft is None else draft_view(session, draft)
