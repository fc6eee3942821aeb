"""Lockouts, badges and sessions on the server."""

from __future__ import annotations

import uuid

from kiosk.domain.events import (
    BadgeEnrolled,
    BadgeUnbound,
    EventKind,
    SessionEnded,
    SessionStarted,
    UserLocked,
    UserUnlocked,
)
from kiosk.store.models import User
from server_sync.handlers.context import EventContext, handles, rejected

NEEDS_SERVER = "needs_server"


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


@handles(EventKind.USER_UNLOCKED, EventKind.BADGE_ENROLLED, EventKind.BADGE_UNBOUND)
def needs_server(ctx: EventContext, event: UserUnlocked | BadgeEnrolled | BadgeUnbound) -> None:
    """Identity changes are direct requests verified by the server (server_sync.identity).

    A pushed one proves nothing (a kiosk's token can name any actor): still read, so an
    old outbox drains, but never applied, whoever it names.
    """
    raise rejected(NEEDS_SERVER, kind=event.kind.value)


@handles(EventKind.SESSION_STARTED, EventKind.SESSION_ENDED)
def session_fact(ctx: EventContext, event: SessionStarted | SessionEnded) -> None:
    """Logins and logouts are kept as facts (the applied event itself)."""
    ctx.line(event.line)
