"""What a scan is and what its text means: one grammar for the reader, the scanner and the camera.

Every input device turns what it read into a `ScanEvent`; `classify` decides what the
text is. Only text that fits one of our grammars can ever become an action, so a
misread, another factory's label or a hostile payload is refused before any screen
sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from kiosk.domain.enrolment_link import LINK_SCHEME

MAX_PAYLOAD_LENGTH = 1024
_PREVIEW_LENGTH = 40


class ScanSource(StrEnum):
    READER = "reader"  # RFID badge reader on a serial port
    SCANNER = "scanner"  # keyboard-wedge barcode scanner
    CAMERA = "camera"


class PayloadKind(StrEnum):
    BADGE = "badge"
    WORK_ORDER = "work_order"
    SLIP = "slip"  # QT-09 transfer slip
    KANBAN_CARD = "kanban_card"
    PRODUCT = "product"  # a retail product code (EAN/UPC): never ours
    UNKNOWN = "unknown"


class UnknownReason(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    CONTROL_CHARACTERS = "control_characters"
    NO_GRAMMAR = "no_grammar"


@dataclass(frozen=True)
class ScanEvent:
    """One read from one device, as the device delivered it (prefix and suffix already cut)."""

    source: ScanSource
    text: str
    symbology: str = ""


@dataclass(frozen=True)
class ScanPayload:
    """A classified scan: `value` is the normalized text; `reason` says why it is UNKNOWN."""

    kind: PayloadKind
    value: str
    source: ScanSource
    reason: UnknownReason | None = None

    @property
    def preview(self) -> str:
        """The value as it may appear in a log or the audit: short, printable, never a badge UID."""
        if self.kind is PayloadKind.BADGE:
            return "badge"
        if self.value.strip().lower().startswith(f"{LINK_SCHEME}:"):
            return "enrolment link"  # its code enrols a kiosk: never in a log
        return safe_preview(self.value)


# EM4100 badges carry 40 bits: 10 hex digits. Wedge readers type the same 10 characters.
_BADGE = re.compile(r"[0-9A-F]{10}")
# Work orders: WO-<year>-<six digits>, as printed on the SPK paper.
_WORK_ORDER = re.compile(r"WO-\d{4}-\d{6}")
# Transfer slips: the Code128 carries the slip id, the QR a signed payload (issue QT-09).
_SLIP_ID = re.compile(r"TS-[0-9A-Z]{4,40}")
# The signed payload is base32 after its prefix; the old site-key slips (`QT09|1|…`) are
# still recognised as slips, so that the receiver is told why they are refused.
_SLIP_SIGNED = re.compile(r"QT09:2:[A-Z2-7]{100,1000}")
_SLIP_LEGACY = re.compile(r"QT09\|[\x20-\x7e]{10,1000}")
# Kanban cards: KB-<card code>.
_KANBAN_CARD = re.compile(r"KB-[0-9A-Z][0-9A-Z-]{2,31}")
_RETAIL = re.compile(r"\d{8}|\d{12,14}")


def classify(event: ScanEvent) -> ScanPayload:
    """The payload kind of a scan; anything that fits no grammar is UNKNOWN with a reason."""
    text = event.text.strip()
    problem = _problem_of(text)
    if problem is not None:
        return ScanPayload(PayloadKind.UNKNOWN, text[:MAX_PAYLOAD_LENGTH], event.source, problem)
    if event.source is ScanSource.READER:  # the reader's framing already said it is a badge
        return ScanPayload(PayloadKind.BADGE, text.upper(), event.source)
    if _SLIP_LEGACY.fullmatch(text):
        return ScanPayload(PayloadKind.SLIP, text, event.source)
    upper = text.upper()
    for kind, grammar in _GRAMMARS:
        if grammar.fullmatch(upper):
            return ScanPayload(kind, upper, event.source)
    if _RETAIL.fullmatch(text) and has_valid_gtin_check_digit(text):
        return ScanPayload(PayloadKind.PRODUCT, text, event.source)
    return ScanPayload(PayloadKind.UNKNOWN, text, event.source, UnknownReason.NO_GRAMMAR)


_GRAMMARS = (
    (PayloadKind.SLIP, _SLIP_SIGNED),
    (PayloadKind.WORK_ORDER, _WORK_ORDER),
    (PayloadKind.SLIP, _SLIP_ID),
    (PayloadKind.KANBAN_CARD, _KANBAN_CARD),
    (PayloadKind.BADGE, _BADGE),
)


def _problem_of(text: str) -> UnknownReason | None:
    if not text:
        return UnknownReason.EMPTY
    if len(text) > MAX_PAYLOAD_LENGTH:
        return UnknownReason.TOO_LONG
    if not text.isprintable():  # control characters, escapes, unassigned code points
        return UnknownReason.CONTROL_CHARACTERS
    return None


def has_valid_gtin_check_digit(digits: str) -> bool:
    """EAN-8, UPC-A, EAN-13 and GTIN-14 share one mod-10 check digit."""
    if not digits.isdigit() or len(digits) < 8:
        return False
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def safe_preview(text: str) -> str:
    """Printable and short: anything unprintable escaped, long text cut with an ellipsis."""
    printable = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)
    if len(printable) > _PREVIEW_LENGTH:
        return printable[: _PREVIEW_LENGTH - 1] + "…"
    return printable


class RepeatFilter:
    """Drops a scan that repeats the previous one within a short window.

    A scanner that fires twice on one label, or a badge tapped twice in a second,
    is one scan. The window counts from the first read, so a label held under a
    scanner in continuous mode still repeats once per window, not never.
    """

    def __init__(self, window_seconds: float) -> None:
        self._window = window_seconds
        self._last: tuple[str, str] | None = None
        self._last_at = float("-inf")

    def is_repeat(self, payload: ScanPayload, now: float) -> bool:
        key = (payload.kind.value, payload.value)
        if key == self._last and now - self._last_at < self._window:
            return True
        self._last = key
        self._last_at = now
        return False
