"""Turns what the decoder saw on each camera frame into scans: confirmed twice, then blanked.

A camera decodes the same label many times a second, and now and then it reads
something that is not there. `CodeConfirmer` is fed one call per decoded frame
(also for frames where nothing was read) and answers which codes became scans on
that frame:

- a code becomes a scan only when the same (symbology, text) was read on two
  frames: two consecutive decoded frames, or two frames at most
  `confirm_window_seconds` apart. A misread seen on a single frame never scans.
- once scanned, the same value is blanked until it has been out of sight for
  `blanking_seconds` (counted from its last sighting): a label held in front of
  the camera is one scan; taken away and shown again after the blanking, it is
  a new scan.
- several codes on one frame are confirmed independently of each other.

Plain Python with an injected monotonic clock, so tests drive time by hand.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple


class CodeKey(NamedTuple):
    """What makes two reads "the same code"."""

    symbology: str
    text: str


@dataclass
class _Sighting:
    last_seen: float  # clock time of the latest frame that showed the code
    last_frame: int  # number of that frame
    is_confirmed: bool = False


class CodeConfirmer:
    """Two sightings make a scan; a scanned value is blanked while it stays in view."""

    def __init__(
        self,
        blanking_seconds: float = 2.0,
        confirm_window_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if blanking_seconds < 0 or confirm_window_seconds < 0:
            raise ValueError("blanking_seconds and confirm_window_seconds must not be negative")
        self.blanking_seconds = blanking_seconds
        self.confirm_window_seconds = confirm_window_seconds
        self._clock = clock
        self._frame = 0
        self._sightings: dict[CodeKey, _Sighting] = {}

    def observe(self, codes: Iterable[tuple[str, str]]) -> list[CodeKey]:
        """Feed the (symbology, text) pairs read on one frame; returns the new scans, in order."""
        now = self._clock()
        self._frame += 1
        self._forget_old(now)
        scans: list[CodeKey] = []
        for symbology, text in dict.fromkeys(codes):  # one label twice on a frame is one read
            key = CodeKey(symbology, text)
            sighting = self._sightings.get(key)
            if sighting is None:
                self._sightings[key] = _Sighting(now, self._frame)
                continue
            if not sighting.is_confirmed and self._is_second_sighting(sighting, now):
                sighting.is_confirmed = True
                scans.append(key)
            sighting.last_seen = now
            sighting.last_frame = self._frame
        return scans

    def _is_second_sighting(self, sighting: _Sighting, now: float) -> bool:
        return (
            sighting.last_frame == self._frame - 1
            or now - sighting.last_seen <= self.confirm_window_seconds
        )

    def _forget_old(self, now: float) -> None:
        """Drop unconfirmed reads too old to pair with, and scans whose blanking has ended."""
        expired = [
            key
            for key, sighting in self._sightings.items()
            if now - sighting.last_seen
            > (self.blanking_seconds if sighting.is_confirmed else self.confirm_window_seconds)
            and (sighting.is_confirmed or sighting.last_frame != self._frame - 1)
        ]
        for key in expired:
            del self._sightings[key]

    @property
    def tracked(self) -> int:
        """How many values are remembered now (pending or blanked); bounded by time."""
        return len(self._sightings)
