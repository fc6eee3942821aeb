"""PIN lockout: after too many wrong PINs an account is locked for a while (not everyone's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.domain.pins import PRIVILEGED_ROLES
from kiosk.domain.roles import Role


def wrong_pins_lock(role: Role, *, has_badge: bool) -> bool:
    """Whether wrong PINs typed for this person may lock their account.

    Someone who logs in by badge (a bound badge, and a role whose badge alone opens the
    session) is never locked by PIN guesses: anyone can type on their tile, so a lock
    would let anyone shut them out. Their guesses are only slowed down (PinThrottle).
    A privileged person's PIN is a second factor after the badge: too many wrong ones
    lock as before. Someone without a badge has only the PIN: it locks too.
    """
    return role in PRIVILEGED_ROLES or not has_badge


@dataclass(frozen=True)
class LockoutPolicy:
    """How many wrong PINs in a row lock an account, and for how long."""

    max_attempts: int = 5
    lock_duration: timedelta = timedelta(minutes=30)
    # Wrong PINs further apart than this do not add up (the count starts afresh).
    count_window: timedelta = timedelta(minutes=30)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.lock_duration <= timedelta(0):
            raise ValueError("lock_duration must be positive")
        if self.count_window <= timedelta(0):
            raise ValueError("count_window must be positive")

    @staticmethod
    def is_locked(locked_until: datetime | None, now: datetime) -> bool:
        return locked_until is not None and now < locked_until

    def after_wrong_pin(
        self,
        failed_count: int,
        locked_until: datetime | None,
        now: datetime,
        *,
        last_wrong_at: datetime | None,
        may_lock: bool = True,
    ) -> LockoutState:
        """The account state after one more wrong PIN: the one rule of every counting place.

        A lock that has run out starts a fresh count, so the user gets the full
        number of attempts again; so does a wrong PIN more than `count_window` after the
        previous one (or with no previous one on record). Without `may_lock` (a badge
        login person, see `wrong_pins_lock`) the count grows but never locks.
        """
        if locked_until is not None and now >= locked_until:
            failed_count = 0
        if last_wrong_at is None or now - last_wrong_at > self.count_window:
            failed_count = 0
        count = failed_count + 1
        if may_lock and count >= self.max_attempts:
            return LockoutState(count, self.lock_end(now), just_locked=True)
        return LockoutState(count, None, just_locked=False)

    def lock_end(self, now: datetime) -> datetime:
        """When a lock that starts now ends: the longest lockout this policy gives."""
        return now + self.lock_duration

    def recent_count(self, failed_count: int, last_wrong_at: datetime | None, now: datetime) -> int:
        """The wrong PINs that still count now (0 once the window has passed)."""
        if last_wrong_at is None or now - last_wrong_at > self.count_window:
            return 0
        return failed_count

    def attempts_left(self, failed_count: int) -> int:
        return max(self.max_attempts - failed_count, 0)


@dataclass(frozen=True)
class LockoutState:
    failed_count: int
    locked_until: datetime | None
    just_locked: bool
