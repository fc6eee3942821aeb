"""Lockouts, badges and sessions on the server."""

from __future__ import annotations

import uuid

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
from kiosk.domain.roles import Action
from kiosk.services.effects.people import change_badge
from kiosk.store.models import User
from server_sync.handlers.context import EventContext, conflict, handles, rejected


def _subject_user(ctx: EventContext, user_id: uuid.UUID) -> User:
    """The person the event is about (locked out, unlocked, given a badge)."""
    user = ctx.session.get(User, user_id)
    if user is None:
        raise rejected("unknown_user", user_id=str(user_id))
    return user


@handles(EventKind.USER_LOCKED)
def user_locked(ctx: EventContext, event: UserLocked) -> None:
    """Too many wrong PINs on one kiosk lock the person on every kiosk."""
    user = _subject_user(ctx, event.user_id)
    if user.locked_until is None or user.locked_until < event.until:
        user.locked_until = event.until


@handles(EventKind.USER_UNLOCKED)
def user_unlocked(ctx: EventContext, event: UserUnlocked) -> None:
    user = _subject_user(ctx, event.user_id)
    actor = ctx.actor()
    ctx.authorize(actor, Action.USER_UNLOCK)
    user.locked_until = None
    user.failed_pin_count = 0  # the site-wide count of wrong PINs (handlers.pins) starts afresh


@handles(EventKind.BADGE_ENROLLED, EventKind.BADGE_UNBOUND)
def badge_changed(ctx: EventContext, event: BadgeEnrolled | BadgeUnbound) -> None:
    user = _subject_user(ctx, event.user_id)
    actor = ctx.actor()
    ctx.authorize(actor, Action.BADGE_MANAGE)
    if isinstance(event, BadgeEnrolled):
        holder = ctx.session.scalar(select(User).where(User.badge_hash == event.badge_hash))
        if holder is not None and holder.id != user.id:
            raise conflict("badge.in_use", holder=holder.employee_no)
    change_badge(user, event)


@handles(EventKind.SESSION_STARTED, EventKind.SESSION_ENDED)
def session_fact(ctx: EventContext, event: SessionStarted | SessionEnded) -> None:
    """Logins and logouts are kept as facts (the applied event itself)."""
    ctx.line(event.line)
