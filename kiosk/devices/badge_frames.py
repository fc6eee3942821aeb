"""Badge reader framing: raw serial bytes in, badge UIDs out (standard library only).

The decoders are fed whatever one `read()` returned, so a frame may arrive in any
number of pieces and a chunk may hold several frames, noise, or half a frame. They
never block, never raise on bad input, keep a bounded buffer and count what they
drop, so the health strip can tell a flaky reader from a quiet one. Keeping them
free of Qt and pyserial lets them be tested on plain bytes, fast and exhaustively.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

STX = 0x02
ETX = 0x03
CR = 0x0D
LF = 0x0A

RDM6300_PAYLOAD_CHARS = 12  # 10 hex data chars (2 version + 8 tag) + 2 hex checksum
RDM6300_DATA_CHARS = 10

ASCII_MIN_CHARS = 4
ASCII_MAX_CHARS = 32
# Leading and trailing blanks are stripped, so a raw line may be longer than its
# content; past this many bytes it is dropped without waiting for its end.
ASCII_MAX_LINE_BYTES = 2 * ASCII_MAX_CHARS

_HEX_DIGITS = frozenset(b"0123456789ABCDEFabcdef")
_ASCII_BLANKS = b" \t\x0b\x0c"  # what bytes.strip() removes, minus CR and LF (terminators)


@dataclass(frozen=True)
class FrameCounters:
    """What a decoder accepted and dropped since it was made (immutable: safe to hand across
    threads)."""

    frames: int = 0
    bad_checksum: int = 0
    noise_bytes: int = 0
    malformed: int = 0


class FrameDecoder(Protocol):
    """Turns a byte stream, chunk by chunk, into badge UIDs."""

    @property
    def counters(self) -> FrameCounters: ...

    def feed(self, data: bytes) -> list[str]:
        """The UIDs whose frames were completed by `data`, in order."""
        ...

    def reset(self) -> None:
        """Forget a partial frame (the port was reopened); the counters stay."""
        ...


class Rdm6300Decoder:
    """EM4100 cards in RDM6300 framing: STX, 10 hex data chars, 2 hex XOR checksum, ETX.

    An STX always starts a new frame (dropping any unfinished one), so a lost byte
    costs at most the frame it was in. Hex may be lower case; the UID is upper case.
    """

    def __init__(self) -> None:
        self._payload = bytearray()
        self._in_frame = False
        self._frames = 0
        self._bad_checksum = 0
        self._noise_bytes = 0
        self._malformed = 0

    @property
    def counters(self) -> FrameCounters:
        return FrameCounters(self._frames, self._bad_checksum, self._noise_bytes, self._malformed)

    def reset(self) -> None:
        if self._in_frame:
            self._malformed += 1
        self._payload.clear()
        self._in_frame = False

    def feed(self, data: bytes) -> list[str]:
        uids: list[str] = []
        for byte in data:
            if byte == STX:
                if self._in_frame:  # the previous frame never ended: resynchronise here
                    self._malformed += 1
                self._payload.clear()
                self._in_frame = True
            elif not self._in_frame:
                self._noise_bytes += 1
            elif byte == ETX:
                self._in_frame = False
                uid = self._finish_frame()
                if uid is not None:
                    uids.append(uid)
            elif byte in _HEX_DIGITS and len(self._payload) < RDM6300_PAYLOAD_CHARS:
                self._payload.append(byte)
            else:  # not hex, or a 13th char: the frame is bad; skip to the next STX
                self._malformed += 1
                self._in_frame = False
        return uids

    def _finish_frame(self) -> str | None:
        payload = bytes(self._payload)
        self._payload.clear()
        if len(payload) != RDM6300_PAYLOAD_CHARS:
            self._malformed += 1
            return None
        data = bytes.fromhex(payload[:RDM6300_DATA_CHARS].decode("ascii"))
        checksum = int(payload[RDM6300_DATA_CHARS:], 16)
        computed = 0
        for value in data:
            computed ^= value
        if computed != checksum:
            self._bad_checksum += 1
            return None
        self._frames += 1
        return payload[:RDM6300_DATA_CHARS].decode("ascii").upper()


class AsciiLineDecoder:
    """Readers that type the UID as a text line ending in CR, LF or CRLF.

    A line is a UID if, stripped of blanks, it is 4..32 printable ASCII characters
    without spaces; anything else is a malformed frame. A CRLF is one terminator;
    any other empty line is a stray byte (counted as noise).
    """

    def __init__(self) -> None:
        self._line = bytearray()
        self._is_skipping = False  # the current line overflowed: drop it up to its end
        self._after_cr = False  # an LF right after a CR ends nothing (CRLF is one terminator)
        self._frames = 0
        self._noise_bytes = 0
        self._malformed = 0

    @property
    def counters(self) -> FrameCounters:
        return FrameCounters(self._frames, 0, self._noise_bytes, self._malformed)

    def reset(self) -> None:
        if self._line:
            self._malformed += 1
        self._line.clear()
        self._is_skipping = False
        self._after_cr = False

    def feed(self, data: bytes) -> list[str]:
        uids: list[str] = []
        for byte in data:
            after_cr = self._after_cr
            self._after_cr = byte == CR
            if byte in (CR, LF):
                if byte == LF and after_cr:
                    continue
                uid = self._finish_line()
                if uid is not None:
                    uids.append(uid)
            elif self._is_skipping:
                self._noise_bytes += 1
            elif len(self._line) < ASCII_MAX_LINE_BYTES:
                self._line.append(byte)
            else:
                self._malformed += 1
                self._line.clear()
                self._is_skipping = True
        return uids

    def _finish_line(self) -> str | None:
        line = bytes(self._line)
        self._line.clear()
        if self._is_skipping:  # already counted when it overflowed
            self._is_skipping = False
            return None
        if not line:
            self._noise_bytes += 1
            return None
        text = line.strip(_ASCII_BLANKS)
        if not (ASCII_MIN_CHARS <= len(text) <= ASCII_MAX_CHARS) or not all(
            0x21 <= value <= 0x7E for value in text
        ):
            self._malformed += 1
            return None
        self._frames += 1
        return text.decode("ascii").upper()


def decoder_for(protocol: str) -> FrameDecoder:
    """The decoder named by the `rfid_protocol` setting."""
    if protocol == "rdm6300":
        return Rdm6300Decoder()
    if protocol == "ascii":
        return AsciiLineDecoder()
    raise ValueError(f"unknown badge reader protocol {protocol!r} (expected rdm6300 or ascii)")


class HeldBadgeFilter:
    """One tap per badge presentation, however often the reader repeats the frame.

    An RDM6300 sends the frame again every ~100 ms while a badge lies on it. A read
    of a UID within `hold_seconds` of that same UID's previous read is the same tap
    (and extends it); a different UID is a new tap at once; a badge unseen for
    `hold_seconds` is a new tap again.
    """

    def __init__(self, hold_seconds: float) -> None:
        if hold_seconds < 0:
            raise ValueError("hold_seconds must not be negative")
        self._hold_seconds = hold_seconds
        self._last_read: dict[str, float] = {}

    def is_new_tap(self, uid: str, now: float) -> bool:
        """Record a read of `uid` at monotonic time `now`; True if it starts a tap."""
        # Forget badges whose hold has ended, so the map stays as small as the
        # number of badges seen in the last hold_seconds.
        expired = [seen for seen, at in self._last_read.items() if now - at >= self._hold_seconds]
        for seen in expired:
            del self._last_read[seen]
        is_new = uid not in self._last_read
        self._last_read[uid] = now
        return is_new
