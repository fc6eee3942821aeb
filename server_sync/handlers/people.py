"""Lockouts, badges and sessions on the server."""

from __future__ import annotations

from kiosk.domain.events import (
    BadgeEnrolled,
    BadgeUnbound,
    EventKind,
    SessionEnded,
    SessionStarted,
    UserLocked,
    UserUnlocked,
)
from kiosk.services.effects.people import pins_may_lock
from server_sync.handlers.context import EventContext, handles, rejected

NEEDS_SERVER = "needs_server"


@handles(EventKind.USER_LOCKED)
def user_locked(ctx: EventContext, event: UserLocked) -> None:
    """Too many wrong PINs on one kiosk lock the person on every kiosk.

    Only someone who may log in on that kiosk can have typed wrong PINs there, and no
    lock lasts longer than the lockout policy gives: a kiosk cannot lock the admin of
    another department's people, nor anyone until 9999, nor anyone who logs in by badge.
    """
    if event.line is not None:
        ctx.check_device_serves(ctx.line(event.line))
    user = ctx.person_here(event.user_id)
    latest = ctx.rules.latest_lock_end(ctx.now)
    if event.until > latest:
        raise rejected("lock_beyond_policy", until=event.until.isoformat())
    if not pins_may_lock(user):
        # Someone who logs in by badge is never locked by PIN guesses (the server's own
        # view of their badge decides; a kiosk's copy may be stale): read, not applied.
        ctx.note("badge_login_not_locked")
        return
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
    """Logins and logouts are kept as facts (the applied event itself), of this device only
    and of someone who may log in on it: a forged one would put a person on a line."""
    ctx.check_device_serves(ctx.line(event.line))
    if event.actor_id is None and event.user_id is None:
        raise rejected("malformed", field="user_id")
    if event.actor_id is not None:
        ctx.actor()
    if event.user_id is not None:
        ctx.person_here(event.user_id)
