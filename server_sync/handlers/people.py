"""Lockouts, badges and sessions on the server."""

from __future__ import annotations

from sqlalchemy import select

from kiosk.domain.events import (
    BadgeEnrolled,
    BadgeUnbound,
    EventKind,
    SessionEnded,
    SessionStarted,
    UserLocked,
    UserUnlocked,
)
from kiosk.domain.roles import Action, Role
from kiosk.services.effects.people import change_badge
from kiosk.store.models import User
from server_sync.handlers.context import EventContext, conflict, handles, rejected


@handles(EventKind.USER_LOCKED)
def user_locked(ctx: EventContext, event: UserLocked) -> None:
    """Too many wrong PINs on one kiosk lock the person on every kiosk.

    Only someone who may log in on that kiosk can have typed wrong PINs there, and no
    lock lasts longer than the lockout policy gives: a kiosk cannot lock the admin of
    another department's people, nor anyone until 9999.
    """
    if event.line is not None:
        ctx.check_device_serves(ctx.line(event.line))
    user = ctx.person_here(event.user_id)
    latest = ctx.rules.latest_lock_end(ctx.now)
    if event.until > latest:
        raise rejected("lock_beyond_policy", until=event.until.isoformat())
    if user.locked_until is None or user.locked_until < event.until:
        user.locked_until = event.until


@handles(EventKind.USER_UNLOCKED)
def user_unlocked(ctx: EventContext, event: UserUnlocked) -> None:
    """A supervisor unlocks their department's people, an admin anyone (as on the kiosk)."""
    actor = ctx.actor()
    ctx.authorize(actor, Action.USER_UNLOCK)
    user = ctx.person_here(event.user_id, department_wide=True)
    if actor.role is not Role.ADMIN and user.department != actor.department:
        raise rejected(
            "perm.out_of_scope",
            action=Action.USER_UNLOCK.value,
            department=None if user.department is None else user.department.value,
        )
    user.locked_until = None


@handles(EventKind.BADGE_ENROLLED, EventKind.BADGE_UNBOUND)
def badge_changed(ctx: EventContext, event: BadgeEnrolled | BadgeUnbound) -> None:
    actor = ctx.actor()
    ctx.authorize(actor, Action.BADGE_MANAGE)
    user = ctx.person_here(event.user_id)
    if isinstance(event, BadgeEnrolled):
        holder = ctx.session.scalar(select(User).where(User.badge_hash == event.badge_hash))
        if holder is not None and holder.id != user.id:
            raise conflict("badge.in_use", holder=holder.employee_no)
    change_badge(user, event)


@handles(EventKind.SESSION_STARTED, EventKind.SESSION_ENDED)
def session_fact(ctx: EventContext, event: SessionStarted | SessionEnded) -> None:
    """Logins and logouts are kept as facts (the applied event itself), of this device only."""
    ctx.check_device_serves(ctx.line(event.line))
