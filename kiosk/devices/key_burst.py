"""Tells a keyboard-wedge scanner's key burst from a person typing, by the gaps between keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

# Keyboard times further apart than this (or running backwards: a clock that wrapped, a
# device that changed) say nothing about the gap; the keys' arrival times are used instead.
_MAX_PLAUSIBLE_SENT_GAP = 60.0


@dataclass(frozen=True)
class BurstConfig:
    """How a scan looks: keys at most `max_key_gap` seconds apart, ending in Enter or Tab.

    One gap up to `max_stall_gap` is forgiven in a run that has already been quick: on a
    loaded machine the X server may stamp one key of a burst late (seen: 40-110 ms), while a
    person's keys are slow every time. A lone key gets no such grace, so typing is given
    back after `max_key_gap` as before.

    `min_length` counts the characters before the terminator, prefix and suffix included, so
    a fast typist's two keys and Enter stay typing. `prefix` and `suffix` are what the scanner
    is configured to add around each code; they are stripped when present.
    """

    max_key_gap: float = 0.040
    min_length: int = 4
    prefix: str = ""
    suffix: str = ""
    max_stall_gap: float = 0.120

    def __post_init__(self) -> None:
        if self.max_key_gap <= 0:
            raise ValueError("max_key_gap must be positive")
        if self.max_stall_gap < self.max_key_gap:
            raise ValueError("max_stall_gap must be at least max_key_gap")
        if self.min_length < 1:
            raise ValueError("min_length must be at least 1")


@dataclass(frozen=True)
class BurstStep(Generic[T]):
    """What the caller must do after one input to the detector.

    `release`: deliver these keys now, in this order, as if typed. When it ends with the key
    just given, that key goes through at once (the caller can simply let it pass).
    `scan`: a complete scan (prefix and suffix stripped); its keys and terminator are gone.
    A key given to the detector that is in neither is held: the caller keeps it back until a
    later step releases it.
    """

    release: tuple[T, ...] = ()
    scan: str | None = None


class BurstDetector(Generic[T]):
    """A small state machine fed with keys, terminators and their times.

    Each key comes with `now`, when it was read (monotonic seconds), and where the platform
    gives it, `sent_at`, when the keyboard sent it (seconds on the keyboard's own clock, any
    origin). The gap between two keys is judged by `sent_at` when both have one, since a busy
    GUI thread reads a scanner's keys late and bunched; else by when they were read. The
    deadline (and `expire`) count from when the last key was read: only the reading side
    knows when it is idle.

    Every printable key is held at first, since nothing tells the first key of a scan from
    a typed one. Keys that follow each other within `max_key_gap` (and one stall within
    `max_stall_gap` once the run has been quick) stay held together; a terminator after
    enough of them makes a scan. Otherwise the held keys are released in their order: when
    a slow key comes (`key`), when the caller's timer says the gap has passed (`expire`), or
    on demand (`flush`). A person's lone key is therefore late by at most `max_key_gap`, a
    quick run's last key by at most `max_stall_gap`.

    `T` is whatever the caller needs to deliver a key later (the Qt adapter: a copy of the
    key event and its target); the detector only stores and returns it.
    """

    def __init__(self, config: BurstConfig) -> None:
        self._config = config
        self._held: list[T] = []
        self._text: list[str] = []
        self._last_at = 0.0
        self._last_sent_at: float | None = None
        self._has_quick_gap = False  # the held run has shown a scanner's pace
        self._has_stalled = False  # and has used its one forgiven stall

    @property
    def config(self) -> BurstConfig:
        return self._config

    @property
    def is_holding(self) -> bool:
        return bool(self._held)

    @property
    def deadline(self) -> float | None:
        """When the held keys must be released if no key comes (None: nothing is held)."""
        if not self._held:
            return None
        return self._last_at + self._allowed_gap()

    def key(self, text: str, now: float, token: T, sent_at: float | None = None) -> BurstStep[T]:
        """A printable key: held; a slow one first releases what was held before it."""
        released = self._take_all() if self._ends_the_run(now, sent_at) else ()
        self._held.append(token)
        self._text.append(text)
        self._last_at = now
        self._last_sent_at = sent_at
        return BurstStep(release=released)

    def terminator(self, now: float, token: T, sent_at: float | None = None) -> BurstStep[T]:
        """Enter, Return or Tab: a scan after a long enough quick run, else typing."""
        length = sum(len(text) for text in self._text)
        is_quick = self._held and not self._ends_the_run(now, sent_at)
        if is_quick and length >= self._config.min_length:
            raw = "".join(self._text)
            self._take_all()
            return BurstStep(scan=self._strip(raw))
        return BurstStep(release=(*self._take_all(), token))

    def expire(self, now: float) -> BurstStep[T]:
        """The caller's timer fired: release the held keys if the gap has really passed."""
        if self._held and self._is_too_late(now):
            return BurstStep(release=self._take_all())
        return BurstStep()

    def flush(self) -> BurstStep[T]:
        """Release everything held now (another key comes, or the detector is shut down)."""
        return BurstStep(release=self._take_all())

    def _is_too_late(self, now: float) -> bool:
        return bool(self._held) and now - self._last_at > self._allowed_gap()

    def _allowed_gap(self) -> float:
        """The longest gap the held run may have next: a stall, once it has been quick."""
        if self._has_quick_gap and not self._has_stalled:
            return self._config.max_stall_gap
        return self._config.max_key_gap

    def _ends_the_run(self, now: float, sent_at: float | None) -> bool:
        """Whether a key coming now is too far behind the last held one to join its run.

        Notes the gap in the run's state when it joins (a quick gap, or its one stall).
        """
        if not self._held:
            return False
        gap = now - self._last_at
        last_sent_at = self._last_sent_at
        if sent_at is not None and last_sent_at is not None:
            sent_gap = sent_at - last_sent_at
            if 0 <= sent_gap <= _MAX_PLAUSIBLE_SENT_GAP:
                gap = sent_gap
        if gap <= self._config.max_key_gap:
            self._has_quick_gap = True
            return False
        if gap <= self._allowed_gap():
            self._has_stalled = True
            return False
        return True

    def _take_all(self) -> tuple[T, ...]:
        held = tuple(self._held)
        self._held.clear()
        self._text.clear()
        self._has_quick_gap = False
        self._has_stalled = False
        return held

    def _strip(self, raw: str) -> str:
        return raw.removeprefix(self._config.prefix).removesuffix(self._config.suffix)
