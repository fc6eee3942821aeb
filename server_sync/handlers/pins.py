"""Wrong PINs counted per person across every device: N kiosks do not give N times the guesses.

Each kiosk keeps its own count and lock (it works offline), and reports every wrong PIN as
a `pin.refused` event. Here they add up on the person's central row: wrong PINs that follow
each other within the lockout window, from any device, count together; when the site-wide
count reaches the limit the person is locked centrally, and the lock reaches every kiosk
through the feed (the user row is published with the batch). A device reports only for
people who may log in on it, on its own line; an unlock starts the count afresh.
"""

from __future__ import annotations

from sqlalchemy import func, inspect, select

from kiosk.domain.events import EventKind, PinRefused
from kiosk.domain.ids import new_id
from kiosk.domain.lockout import LockoutPolicy
from kiosk.domain.sync_events import SyncResult
from kiosk.services.alerts import P2, AlertKind
from kiosk.store.models import Alert, User
from kiosk.store.replica import USER_LINE_IDS
from server_sync.handlers.context import EventContext, handles, rejected
from server_sync.models import AppliedEvent
from server_sync.scope import may_log_in_on

# The site's lockout: the kiosks' defaults (5 wrong PINs, 30 minutes).
CENTRAL_LOCKOUT = LockoutPolicy()


@handles(EventKind.PIN_REFUSED)
def pin_refused(ctx: EventContext, event: PinRefused) -> None:
    user = ctx.session.get(User, event.user_id)
    if user is None:
        raise rejected("unknown_user", user_id=str(event.user_id))
    line = ctx.line(event.line)
    ctx.check_device_serves(line)
    person = {
        "role": user.role.value,
        "department": None if user.department is None else user.department.value,
        USER_LINE_IDS: [str(link.line_id) for link in user.lines],
    }
    if not may_log_in_on(ctx.device, person, line.id):
        raise rejected("not_on_this_device", user_id=str(user.id))
    policy = CENTRAL_LOCKOUT
    if CENTRAL_LOCKOUT.is_locked(user.locked_until, ctx.now):
        return  # already locked everywhere: the kiosk had not heard yet
    state = policy.after_wrong_pin(_recent_count(ctx, user, policy), user.locked_until, ctx.now)
    user.failed_pin_count = state.failed_count
    if not state.just_locked:
        return
    assert state.locked_until is not None
    user.locked_until = state.locked_until
    user.failed_pin_count = 0  # the lock ends with a fresh count
    ctx.session.add(
        Alert(
            id=new_id(),
            priority=P2,
            kind=AlertKind.PIN_LOCKOUT.value,
            department=user.department or line.department,
            line_id=line.id,
            subject_user_id=user.id,
            fields={
                "employee_no": user.employee_no,
                "name": user.name,
                "line": line.code,
                "until": state.locked_until.isoformat(),
                "site_wide": True,
            },
            raised_at=ctx.now,
            acknowledged_by=None,
            acknowledged_at=None,
        )
    )


def _recent_count(ctx: EventContext, user: User, policy: LockoutPolicy) -> int:
    """The person's site-wide count, or 0 when their last wrong PIN is older than the window.

    A wrong PIN counted earlier in this batch is recent by definition; otherwise the last
    applied `pin.refused` for them (the server's receive time, never a device's clock) says.
    """
    if not user.failed_pin_count:
        return 0
    if inspect(user).attrs.failed_pin_count.history.has_changes():
        return user.failed_pin_count
    last = ctx.session.scalar(
        select(func.max(AppliedEvent.received_at))
        .where(AppliedEvent.received_at > ctx.now - policy.lock_duration)
        .where(AppliedEvent.kind == EventKind.PIN_REFUSED.value)
        .where(AppliedEvent.result == SyncResult.APPLIED.value)
        .where(AppliedEvent.payload["user_id"].astext == str(user.id))
    )
    return user.failed_pin_count if last is not None else 0
