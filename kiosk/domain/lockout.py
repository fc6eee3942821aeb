"""PIN lockout: after too many wrong PINs an account is locked for a while."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockoutPolicy:
    """How many wrong PINs in a row lock an account, and for how long."""

    max_attempts: int = 5
    lock_duration: timedelta = timedelta(minutes=30)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.lock_duration <= timedelta(0):
            raise ValueError("lock_duration must be positive")

    @staticmethod
    def is_locked(locked_until: datetime | None, now: datetime) -> bool:
        return locked_until is not None and now < locked_until

    def after_wrong_pin(
        self, failed_count: int, locked_until: datetime | None, now: datetime
    ) -> LockoutState:
        """The account state after one more wrong PIN.

        A lock that has run out starts a fresh count, so the user gets the full
        number of attempts again.
        """
        if locked_until is not None and now >= locked_until:
            failed_count = 0
        count = failed_count + 1
        if count >= self.max_attempts:
            return LockoutState(count, self.lock_end(now), just_locked=True)
        return LockoutState(count, None, just_locked=False)

    def lock_end(self, now: datetime) -> datetime:
        """When a lock that starts now ends: the longest lockout this policy gives."""
        return now + self.lock_duration

    def attempts_left(self, failed_count: int) -> int:
        return max(self.max_attempts - failed_count, 0)


@dataclass(frozen=True)
class LockoutState:
    failed_count: int
    locked_until: datetime | None
    just_locked: bool
