"""Idle auto-logout: a kiosk left alone logs its user out, with a countdown first."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.clock import Clock


@dataclass(frozen=True)
class IdlePolicy:
    """`timeout_seconds` of 0 never logs out (a supervisor's office desktop)."""

    timeout_seconds: float = 120.0
    warning_seconds: float = 10.0

    def __post_init__(self) -> None:
        if self.timeout_seconds < 0 or self.warning_seconds < 0:
            raise ValueError("idle times cannot be negative")


class IdleTimer:
    """Counts down from the last touch on a monotonic clock (a clock change never logs out)."""

    def __init__(self, clock: Clock, policy: IdlePolicy) -> None:
        self._clock = clock
        self._policy = policy
        self._last_activity = clock.monotonic()

    def touch(self) -> None:
        """The user did something: start counting again."""
        self._last_activity = self._clock.monotonic()

    def seconds_left(self) -> float:
        if self._policy.timeout_seconds == 0:
            return float("inf")
        elapsed = self._clock.monotonic() - self._last_activity
        return max(self._policy.timeout_seconds - elapsed, 0.0)

    def is_expired(self) -> bool:
        return self.seconds_left() <= 0

    def is_warning(self) -> bool:
        """True in the last seconds before logout, when the countdown is shown."""
        left = self.seconds_left()
        return 0 < left <= self._policy.warning_seconds
