"""The badge frame decoders on raw bytes: valid frames, every kind of damage, any chunking."""

from __future__ import annotations

import dataclasses
import functools
import operator
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.devices.badge_frames import (
    ASCII_MAX_LINE_BYTES,
    AsciiLineDecoder,
    FrameCounters,
    FrameDecoder,
    HeldBadgeFilter,
    Rdm6300Decoder,
    decoder_for,
)
from tests.helpers.serial_pty import rdm6300_frame

UID = "0100BA9B5F"
FRAME = rdm6300_frame(UID)  # b"\x020100BA9B5F7F\x03"
OTHER_UID = "1A2B3C4D5E"

# No example database: it would leave a .hypothesis folder in the working tree.
PROPERTY = settings(database=None, deadline=None, max_examples=300)


# ---------------------------------------------------------------- reference models
# Straight from the framing rules, on the whole stream at once: what any chunking
# of the same bytes must produce.

_RDM6300_FRAME = re.compile(rb"\x02([0-9A-Fa-f]{10})([0-9A-Fa-f]{2})\x03")


def rdm6300_reference(stream: bytes) -> list[str]:
    uids = []
    for match in _RDM6300_FRAME.finditer(stream):
        data = bytes.fromhex(match[1].decode())
        if functools.reduce(operator.xor, data, 0) == int(match[2], 16):
            uids.append(match[1].decode().upper())
    return uids


def ascii_reference(stream: bytes) -> list[str]:
    uids = []
    for line in re.split(rb"\r\n|\r|\n", stream)[:-1]:  # the last piece is not ended yet
        text = line.strip()
        if (
            len(line) <= ASCII_MAX_LINE_BYTES
            and 4 <= len(text) <= 32
            and all(0x21 <= byte <= 0x7E for byte in text)
        ):
            uids.append(text.decode().upper())
    return uids


REFERENCE = {"rdm6300": rdm6300_reference, "ascii": ascii_reference}


def feed_chunks(decoder: FrameDecoder, stream: bytes, cuts: list[int]) -> list[str]:
    uids: list[str] = []
    start = 0
    for cut in [*sorted(cuts), len(stream)]:
        uids += decoder.feed(stream[start:cut])
        start = cut
    return uids


# ---------------------------------------------------------------- RDM6300


def test_a_valid_frame_gives_its_uid() -> None:
    decoder = Rdm6300Decoder()
    assert decoder.feed(FRAME) == [UID]
    assert decoder.counters == FrameCounters(frames=1, bad_checksum=0, noise_bytes=0, malformed=0)


def test_lowercase_hex_is_accepted_and_the_uid_is_uppercase() -> None:
    frame = b"\x02" + FRAME[1:-1].lower() + b"\x03"
    assert frame == b"\x020100ba9b5f7f\x03"
    assert Rdm6300Decoder().feed(frame) == [UID]


def test_a_bad_checksum_is_dropped_and_counted() -> None:
    decoder = Rdm6300Decoder()
    assert decoder.feed(rdm6300_frame(UID, checksum=0x7E)) == []
    assert decoder.counters == FrameCounters(frames=0, bad_checksum=1, noise_bytes=0, malformed=0)
    assert decoder.feed(FRAME) == [UID]


@pytest.mark.parametrize("cut", range(len(FRAME) + 1))
def test_a_frame_split_at_any_point_is_reassembled(cut: int) -> None:
    decoder = Rdm6300Decoder()
    assert decoder.feed(FRAME[:cut]) + decoder.feed(FRAME[cut:]) == [UID]
    assert decoder.counters == FrameCounters(frames=1)


def test_a_frame_split_at_any_two_points_or_byte_by_byte_is_reassembled() -> None:
    for first in range(len(FRAME) + 1):
        for second in range(first, len(FRAME) + 1):
            decoder = Rdm6300Decoder()
            assert feed_chunks(decoder, FRAME, [first, second]) == [UID], (first, second)
    decoder = Rdm6300Decoder()
    assert [uid for byte in FRAME for uid in decoder.feed(bytes([byte]))] == [UID]


def test_several_frames_in_one_chunk_come_out_in_order() -> None:
    chunk = FRAME + rdm6300_frame(OTHER_UID) + FRAME
    decoder = Rdm6300Decoder()
    assert decoder.feed(chunk) == [UID, OTHER_UID, UID]
    assert decoder.counters.frames == 3


def test_noise_before_and_between_frames_is_dropped_and_counted() -> None:
    decoder = Rdm6300Decoder()
    assert decoder.feed(b"\x00\xffhello" + FRAME + b"\r\n" + rdm6300_frame(OTHER_UID)) == [
        UID,
        OTHER_UID,
    ]
    assert decoder.counters == FrameCounters(frames=2, noise_bytes=9)


def test_a_stray_etx_is_noise() -> None:
    decoder = Rdm6300Decoder()
    assert decoder.feed(b"\x03\x03" + FRAME) == [UID]
    assert decoder.counters.noise_bytes == 2


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(b"\x02" + b"0" * 13 + b"\x03", id="13 chars"),
        pytest.param(b"\x02" + b"0" * 40 + b"\x03", id="40 chars"),
        pytest.param(b"\x02" + b"0" * 11 + b"\x03", id="11 chars"),
        pytest.param(b"\x02\x03", id="empty"),
        pytest.param(b"\x020100BA9B5G7F\x03", id="not hex"),
        pytest.param(b"\x020100BA 9B5F7F\x03", id="a space"),
        pytest.param(b"\x02" + b"0" * 5000, id="never ends"),
    ],
)
def test_malformed_and_overlong_frames_are_dropped_and_the_next_frame_is_read(bad: bytes) -> None:
    decoder = Rdm6300Decoder()
    assert decoder.feed(bad) == []
    assert decoder.feed(FRAME) == [UID]
    counters = decoder.counters
    assert counters.malformed == 1
    assert counters.frames == 1
    assert counters.bad_checksum == 0


def test_an_stx_inside_a_frame_starts_over_there() -> None:
    decoder = Rdm6300Decoder()
    assert decoder.feed(b"\x020100B" + FRAME) == [UID]
    assert decoder.counters == FrameCounters(frames=1, malformed=1)


def test_the_buffer_stays_bounded_on_an_endless_frame() -> None:
    decoder = Rdm6300Decoder()
    decoder.feed(b"\x02" + b"A" * 1_000_000)
    assert len(decoder._payload) <= 12  # the only peek inside: the bound is the point
    assert decoder.counters.malformed == 1
    assert decoder.counters.noise_bytes == 1_000_000 - 12 - 1


def test_reset_forgets_half_a_frame() -> None:
    decoder = Rdm6300Decoder()
    assert decoder.feed(FRAME[:7]) == []
    decoder.reset()
    assert decoder.feed(FRAME[7:]) == []
    assert decoder.feed(FRAME) == [UID]
    assert decoder.counters.malformed == 1


# ---------------------------------------------------------------- ASCII lines


@pytest.mark.parametrize("terminator", [b"\r", b"\n", b"\r\n"], ids=["CR", "LF", "CRLF"])
def test_an_ascii_line_gives_its_uid_with_any_terminator(terminator: bytes) -> None:
    decoder = AsciiLineDecoder()
    stream = b"ab12cd34" + terminator + b"0004567890" + terminator
    assert decoder.feed(stream) == ["AB12CD34", "0004567890"]
    assert decoder.counters == FrameCounters(frames=2)  # a CRLF is not an empty line


def test_a_crlf_split_between_reads_is_still_one_terminator() -> None:
    decoder = AsciiLineDecoder()
    assert decoder.feed(b"ABCD1234\r") == ["ABCD1234"]
    assert decoder.feed(b"\nEFGH5678\r") == ["EFGH5678"]
    assert decoder.feed(b"\n") == []
    assert decoder.counters == FrameCounters(frames=2)


def test_empty_lines_are_stray_bytes() -> None:
    decoder = AsciiLineDecoder()
    assert decoder.feed(b"\n\n\r\rABCD\r\n\n") == ["ABCD"]
    assert decoder.counters == FrameCounters(frames=1, noise_bytes=5)


def test_blanks_around_the_line_are_stripped() -> None:
    assert AsciiLineDecoder().feed(b"  \tabcd-1234 \r\n") == ["ABCD-1234"]


@pytest.mark.parametrize(
    ("line", "is_uid"),
    [
        (b"ABC", False),
        (b"ABCD", True),
        (b"A" * 32, True),
        (b"A" * 33, False),
        (b"AB CD", False),
        (b"AB\x01CD", False),
        (b"AB\xffCD", False),
        (b"~!#$%&", True),
    ],
)
def test_a_line_is_a_uid_only_if_4_to_32_printable_chars_without_spaces(
    line: bytes, is_uid: bool
) -> None:
    decoder = AsciiLineDecoder()
    assert decoder.feed(line + b"\n") == ([line.decode().upper()] if is_uid else [])
    assert decoder.counters.malformed == (0 if is_uid else 1)


@pytest.mark.parametrize("cut", range(len(b"ABCD1234\r\n") + 1))
def test_an_ascii_line_split_at_any_point_is_reassembled(cut: int) -> None:
    stream = b"ABCD1234\r\n"
    decoder = AsciiLineDecoder()
    assert decoder.feed(stream[:cut]) + decoder.feed(stream[cut:]) == ["ABCD1234"]
    assert decoder.counters == FrameCounters(frames=1)


def test_an_overlong_line_is_dropped_without_buffering_it() -> None:
    decoder = AsciiLineDecoder()
    assert decoder.feed(b"X" * 100_000) == []
    assert len(decoder._line) <= ASCII_MAX_LINE_BYTES  # the bound is the point
    assert decoder.feed(b"\nWXYZ\n") == ["WXYZ"]
    counters = decoder.counters
    assert counters.malformed == 1
    assert counters.noise_bytes == 100_000 - ASCII_MAX_LINE_BYTES - 1
    assert counters.frames == 1


def test_an_rdm6300_frame_is_not_an_ascii_line() -> None:
    decoder = AsciiLineDecoder()
    assert decoder.feed(FRAME + b"\r\n") == []
    assert decoder.counters.malformed == 1


# ---------------------------------------------------------------- both decoders


def test_decoder_for_names_the_two_protocols() -> None:
    assert isinstance(decoder_for("rdm6300"), Rdm6300Decoder)
    assert isinstance(decoder_for("ascii"), AsciiLineDecoder)
    with pytest.raises(ValueError, match="wiegand"):
        decoder_for("wiegand")


def test_counters_are_immutable_snapshots() -> None:
    decoder = Rdm6300Decoder()
    before = decoder.counters
    decoder.feed(b"noise")
    assert before == FrameCounters()
    with pytest.raises(dataclasses.FrozenInstanceError):
        before.frames = 3  # type: ignore[misc]


@pytest.mark.parametrize("protocol", ["rdm6300", "ascii"])
@pytest.mark.parametrize("seed", [1, 2026])
def test_100k_random_bytes_give_no_uid_and_raise_the_counters(protocol: str, seed: int) -> None:
    rng = random.Random(seed)
    stream = rng.randbytes(100_000)
    # Random bytes can form a valid ASCII line by chance (about one in five runs of
    # 100 kB): these seeds do not, as the reference model confirms.
    assert REFERENCE[protocol](stream) == []
    decoder = decoder_for(protocol)
    uids: list[str] = []
    position = 0
    while position < len(stream):
        size = rng.randint(1, 300)
        uids += decoder.feed(stream[position : position + size])
        position += size
    assert uids == []
    counters = decoder.counters
    assert counters.frames == 0
    assert counters.noise_bytes + counters.malformed + counters.bad_checksum > 1000


# ---------------------------------------------------------------- properties

_interesting_bytes = st.sampled_from(
    [b"\x02", b"\x03", b"\r", b"\n", b"0", b"7", b"A", b"f", b"G", b" ", b"\x00", b"\xff"]
)
noise = st.lists(_interesting_bytes | st.binary(max_size=8), max_size=40).map(b"".join)
hex_uids = st.text(alphabet="0123456789ABCDEFabcdef", min_size=10, max_size=10)
ascii_uids = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=4, max_size=32
)


@PROPERTY
@given(stream=st.binary(max_size=3000) | noise, data=st.data())
@pytest.mark.parametrize("protocol", ["rdm6300", "ascii"])
def test_any_bytes_at_any_chunking_give_exactly_the_valid_frames_in_them(
    protocol: str, stream: bytes, data: st.DataObject
) -> None:
    """No crash, and no UID unless a fully valid frame is in the bytes."""
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=20), label="cuts")
    decoder = decoder_for(protocol)
    assert feed_chunks(decoder, stream, cuts) == REFERENCE[protocol](stream)


@PROPERTY
@given(
    parts=st.lists(st.tuples(noise, hex_uids), min_size=1, max_size=8),
    tail=noise,
    data=st.data(),
)
def test_rdm6300_frames_hidden_in_noise_are_all_found(
    parts: list[tuple[bytes, str]], tail: bytes, data: st.DataObject
) -> None:
    frames = [rdm6300_frame(uid) for _, uid in parts]
    stream = b"".join(before + frame for (before, _), frame in zip(parts, frames, strict=True))
    stream += tail
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=30), label="cuts")
    found = feed_chunks(Rdm6300Decoder(), stream, cuts)
    assert found == rdm6300_reference(stream)
    # Every planted frame is there, in order (noise may add a valid frame of its own).
    remaining = iter(found)
    assert all(uid.upper() in remaining for _, uid in parts)


@PROPERTY
@given(
    parts=st.lists(st.tuples(noise, ascii_uids), min_size=1, max_size=8),
    terminator=st.sampled_from([b"\r", b"\n", b"\r\n"]),
    data=st.data(),
)
def test_ascii_lines_after_noise_are_all_found(
    parts: list[tuple[bytes, str]], terminator: bytes, data: st.DataObject
) -> None:
    # A line starts after a terminator: the noise before each one is ended by one.
    stream = b"".join(before + terminator + uid.encode() + terminator for before, uid in parts)
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=30), label="cuts")
    found = feed_chunks(AsciiLineDecoder(), stream, cuts)
    assert found == ascii_reference(stream)
    remaining = iter(found)
    assert all(uid.upper() in remaining for _, uid in parts)


# ---------------------------------------------------------------- held badge


def test_a_badge_held_on_the_reader_is_one_tap() -> None:
    held = HeldBadgeFilter(hold_seconds=1.0)
    reads = [100.0 + 0.1 * step for step in range(16)]  # every 100 ms for 1.5 s
    assert [held.is_new_tap(UID, now) for now in reads] == [True] + [False] * 15


def test_the_same_badge_after_the_hold_is_a_new_tap() -> None:
    held = HeldBadgeFilter(hold_seconds=1.0)
    assert held.is_new_tap(UID, 10.0)
    assert not held.is_new_tap(UID, 10.999)
    assert held.is_new_tap(UID, 11.999)  # exactly hold_seconds after the previous read
    assert not held.is_new_tap(UID, 12.5)


def test_each_read_extends_the_hold() -> None:
    held = HeldBadgeFilter(hold_seconds=1.0)
    assert [held.is_new_tap(UID, now) for now in (0.0, 0.9, 1.8, 2.7, 3.6)] == [
        True,
        False,
        False,
        False,
        False,
    ]


def test_a_different_badge_is_a_new_tap_at_once() -> None:
    held = HeldBadgeFilter(hold_seconds=1.0)
    assert held.is_new_tap(UID, 5.0)
    assert held.is_new_tap(OTHER_UID, 5.05)
    assert not held.is_new_tap(OTHER_UID, 5.15)


def test_the_hold_is_per_badge() -> None:
    # Two badges on the reader at once make some readers alternate between them:
    # each is one tap, not a tap per switch.
    held = HeldBadgeFilter(hold_seconds=1.0)
    assert [
        held.is_new_tap(uid, now)
        for uid, now in [(UID, 0.0), (OTHER_UID, 0.1), (UID, 0.2), (OTHER_UID, 0.3), (UID, 1.5)]
    ] == [True, True, False, False, True]


def test_a_zero_hold_makes_every_read_a_tap() -> None:
    held = HeldBadgeFilter(hold_seconds=0.0)
    assert all(held.is_new_tap(UID, 1.0) for _ in range(3))
    with pytest.raises(ValueError, match="negative"):
        HeldBadgeFilter(hold_seconds=-1.0)
