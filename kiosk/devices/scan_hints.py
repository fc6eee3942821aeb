"""What the operator could do when the camera sees a code it cannot read: closer, or out of glare.

`HintTracker` is fed one call per decoded frame: whether anything was read, and the code-like
region the decoder saw but could not read (`FrameReading.unread`). When such a region has been
in sight for `after_seconds` with nothing read, it answers with advice the image supports:

- clipped highlights on the region: "tilt away from the light" (`Hint.LIGHT`);
- a small region: "hold the paper closer" (`Hint.CLOSER`);
- anything else: no advice (a big, clean region that does not read is not helped by either).

A read, or no code-like region for `clear_after_seconds`, takes the advice away.
Plain Python with an injected monotonic clock, so tests drive time by hand.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum

from kiosk.devices.code_regions import CodeRegion


class Hint(StrEnum):
    NONE = ""
    CLOSER = "closer"
    LIGHT = "light"


def hint_for(region: CodeRegion) -> Hint:
    """The advice one unread region supports; glare first, as it spoils a code at any size."""
    if region.has_glare:
        return Hint.LIGHT
    if region.is_small:
        return Hint.CLOSER
    return Hint.NONE


class HintTracker:
    """Turns per-frame sightings of unread regions into advice that holds still on screen."""

    def __init__(
        self,
        after_seconds: float = 1.0,
        clear_after_seconds: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.after_seconds = after_seconds
        self.clear_after_seconds = clear_after_seconds
        self._clock = clock
        self._unread_since: float | None = None
        self._last_unread: float | None = None
        self._votes: dict[Hint, int] = {}
        self.hint = Hint.NONE

    def observe(self, has_read: bool, unread: CodeRegion | None) -> Hint | None:
        """Feed one decoded frame; returns the new hint when it changes, else None."""
        now = self._clock()
        if has_read:
            self._reset()
        elif unread is not None:
            if self._unread_since is None:
                self._unread_since = now
            self._last_unread = now
            kind = hint_for(unread)
            self._votes[kind] = self._votes.get(kind, 0) + 1
            if now - self._unread_since >= self.after_seconds:
                return self._set(max(self._votes, key=lambda k: self._votes[k]))
            return None
        elif self._last_unread is not None and now - self._last_unread > self.clear_after_seconds:
            self._reset()
        return self._set(Hint.NONE) if self._unread_since is None else None

    def _reset(self) -> None:
        self._unread_since = self._last_unread = None
        self._votes.clear()

    def _set(self, hint: Hint) -> Hint | None:
        if hint == self.hint:
            return None
        self.hint = hint
        return hint
