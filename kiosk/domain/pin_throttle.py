"""PIN guesses slowed down per tile (person) and per kiosk: a growing wait, not a lock."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class WrongPinStreak:
    """Wrong PINs in a row and when the last one was typed (none: count 0, at None)."""

    count: int
    last_at: datetime | None


NO_STREAK = WrongPinStreak(0, None)


@dataclass(frozen=True)
class PinThrottle:
    """How long a PIN pad waits after wrong PINs, on one tile and on the whole kiosk.

    After `free_per_person` wrong PINs in a row for one person, the next try on their
    tile waits `first_wait`, then twice as long after each further wrong one, up to
    `longest_wait`. The kiosk keeps a budget across its tiles too (cycling through the
    tiles gives no more guesses): after `free_per_kiosk` wrong PINs on it, every tile
    waits in the same growing way. Wrong PINs older than the lockout policy's count
    window no longer count (the streaks are read through `LockoutPolicy.recent_count`).
    A wait never locks anybody: a badge still logs its owner in.
    """

    free_per_person: int = 3
    free_per_kiosk: int = 10
    first_wait: timedelta = timedelta(seconds=5)
    longest_wait: timedelta = timedelta(minutes=5)

    def __post_init__(self) -> None:
        if self.free_per_person < 1 or self.free_per_kiosk < 1:
            raise ValueError("free attempts must be at least 1")
        if not timedelta(0) < self.first_wait <= self.longest_wait:
            raise ValueError("first_wait must be positive and at most longest_wait")

    def wait_after(self, wrong_count: int, free: int) -> timedelta:
        """The wait after `wrong_count` wrong PINs in a row, `free` of them without one."""
        beyond = wrong_count - free
        if beyond < 0:
            return timedelta(0)
        # 5, 10, 20, ... seconds; the exponent is capped before it can overflow.
        doublings = min(beyond, 30)
        grown: timedelta = self.first_wait * (1 << doublings)
        return min(grown, self.longest_wait)

    def kiosk_streak(self, person_streaks: Iterable[WrongPinStreak]) -> WrongPinStreak:
        """The kiosk's streak: every person's recent wrong PINs together, the latest time."""
        streaks = [streak for streak in person_streaks if streak.count > 0]
        if not streaks:
            return NO_STREAK
        last = max(streak.last_at for streak in streaks if streak.last_at is not None)
        return WrongPinStreak(sum(streak.count for streak in streaks), last)

    def wait_left(self, person: WrongPinStreak, kiosk: WrongPinStreak, now: datetime) -> timedelta:
        """How long a PIN for this person must wait here from now (zero: it may be tried)."""
        ends = [
            _end(person, self.wait_after(person.count, self.free_per_person)),
            _end(kiosk, self.wait_after(kiosk.count, self.free_per_kiosk)),
        ]
        latest = max((end for end in ends if end is not None), default=None)
        if latest is None or latest <= now:
            return timedelta(0)
        return latest - now

    def alerts_now(self, person_count: int, kiosk_count: int, *, person_may_lock: bool) -> bool:
        """Whether this wrong PIN should alert the supervisor: it first makes the kiosk wait,
        or a tile whose owner is never locked (someone whose PINs lock gets the lock's
        alert two guesses later: one alert, not two)."""
        if kiosk_count == self.free_per_kiosk:
            return True
        return person_count == self.free_per_person and not person_may_lock


def whole_seconds(wait: timedelta) -> int:
    """A wait as people read it: whole seconds, rounded up (0.2 s left is still 1 s)."""
    return max(math.ceil(wait.total_seconds()), 0)


def _end(streak: WrongPinStreak, wait: timedelta) -> datetime | None:
    if streak.last_at is None or wait <= timedelta(0):
        return None
    return streak.last_at + wait
