"""Badge events and wrong PINs applied to the person's row."""

from __future__ import annotations

from datetime import datetime

from kiosk.domain.events import BadgeEnrolled, BadgeUnbound
from kiosk.domain.lockout import LockoutPolicy, LockoutState, wrong_pins_lock
from kiosk.store.models import User


def change_badge(user: User, event: BadgeEnrolled | BadgeUnbound) -> None:
    """Bind the badge's hash to the person, or unbind it."""
    user.badge_hash = event.badge_hash if isinstance(event, BadgeEnrolled) else None


def pins_may_lock(user: User) -> bool:
    """Whether wrong PINs may lock this person (not someone who logs in by badge)."""
    return wrong_pins_lock(user.role, has_badge=user.badge_hash is not None)


def count_wrong_pin(user: User, now: datetime, policy: LockoutPolicy) -> LockoutState:
    """One more wrong PIN on the person's row: the one counting rule of kiosk and server.

    Used by a kiosk's PIN pad, by the server for a pushed `pin.refused` and by the
    server's identity requests, so a guess counts the same whichever way it came.
    The count is dated (`last_wrong_pin_at`): wrong PINs further apart than the policy's
    window start afresh. Someone who logs in by badge is counted, never locked.
    """
    state = policy.after_wrong_pin(
        user.failed_pin_count,
        user.locked_until,
        now,
        last_wrong_at=user.last_wrong_pin_at,
        may_lock=pins_may_lock(user),
    )
    user.failed_pin_count = state.failed_count
    user.last_wrong_pin_at = now
    user.locked_until = state.locked_until
    return state


def forget_wrong_pins(user: User) -> None:
    """The right PIN (or an unlock): the count starts afresh."""
    user.failed_pin_count = 0
    user.last_wrong_pin_at = None
