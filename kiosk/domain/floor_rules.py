"""The value rules of the floor in one object: what a kiosk enforces as people type, and
what the server enforces again on every event a kiosk pushes (a tampered kiosk skips
its own checks; the server's copy of the rules does not).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kiosk.domain.lockout import LockoutPolicy
from kiosk.domain.transfer import CountPolicy
from kiosk.domain.work_order import QuantityPolicy


@dataclass(frozen=True)
class FloorRules:
    """Entry limits, overrun tolerance, handshake counts and the PIN lockout's length.

    `clock_slack` is how far a device's clock may run ahead before a time it stamps (the
    end of a lockout) is beyond what the rules could have given.
    """

    quantities: QuantityPolicy = field(default_factory=QuantityPolicy)
    counts: CountPolicy = field(default_factory=CountPolicy)
    lockout: LockoutPolicy = field(default_factory=LockoutPolicy)
    clock_slack: timedelta = timedelta(minutes=5)

    def latest_lock_end(self, now: datetime) -> datetime:
        """The latest end a lockout started up to now can have (plus the clock slack)."""
        return self.lockout.lock_end(now) + self.clock_slack
