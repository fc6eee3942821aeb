"""Camera reads become scans only when confirmed on two frames, then blanked while held."""

from __future__ import annotations

import pytest

from kiosk.devices.code_confirmer import CodeConfirmer, CodeKey
from tests.helpers.fakes import FakeClock

QR = ("QRCode", "WO-2026-004217")
BAR = ("Code128", "TS-0042AB")
MISREAD = ("EAN13", "4006381333931")
FRAME = 1 / 30  # a decoder keeping up with a 30 fps camera


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def confirmer(clock: FakeClock) -> CodeConfirmer:
    return CodeConfirmer(blanking_seconds=2.0, confirm_window_seconds=1.0, clock=clock.monotonic)


def frames(
    confirmer: CodeConfirmer, clock: FakeClock, shown: list[tuple[str, str]], count: int
) -> list[CodeKey]:
    """`count` frames, FRAME apart, each showing `shown`; all the scans they made."""
    scans: list[CodeKey] = []
    for _ in range(count):
        clock.advance(FRAME)
        scans += confirmer.observe(shown)
    return scans


def test_a_code_read_on_two_consecutive_frames_is_one_scan(
    confirmer: CodeConfirmer, clock: FakeClock
) -> None:
    assert confirmer.observe([QR]) == []
    clock.advance(FRAME)
    assert confirmer.observe([QR]) == [CodeKey(*QR)]


def test_a_slow_decoder_still_confirms_on_consecutive_frames(
    confirmer: CodeConfirmer, clock: FakeClock
) -> None:
    confirmer.observe([QR])
    clock.advance(1.5)  # longer than the window, but it is the very next decoded frame
    assert confirmer.observe([QR]) == [CodeKey(*QR)]


def test_two_sightings_within_the_window_confirm_across_a_frame_without_it(
    confirmer: CodeConfirmer, clock: FakeClock
) -> None:
    confirmer.observe([QR])
    clock.advance(0.2)
    confirmer.observe([])  # motion blur: nothing read on this frame
    clock.advance(0.2)
    assert confirmer.observe([QR]) == [CodeKey(*QR)]


def test_sightings_further_apart_than_the_window_and_not_consecutive_do_not_confirm(
    confirmer: CodeConfirmer, clock: FakeClock
) -> None:
    confirmer.observe([QR])
    clock.advance(0.6)
    confirmer.observe([])
    clock.advance(0.6)
    assert confirmer.observe([QR]) == []  # 1.2 s apart: this is a new first sighting
    clock.advance(FRAME)
    assert confirmer.observe([QR]) == [CodeKey(*QR)]


def test_a_misread_on_a_single_frame_never_becomes_a_scan(
    confirmer: CodeConfirmer, clock: FakeClock
) -> None:
    scans = frames(confirmer, clock, [], 10)
    clock.advance(FRAME)
    scans += confirmer.observe([MISREAD])
    scans += frames(confirmer, clock, [], 60)
    assert scans == []
    assert confirmer.tracked == 0  # forgotten, not kept around


def test_a_misread_next_to_a_real_code_is_dropped_and_the_code_scans(
    confirmer: CodeConfirmer, clock: FakeClock
) -> None:
    scans = confirmer.observe([QR, MISREAD])
    clock.advance(FRAME)
    scans += confirmer.observe([QR])
    scans += frames(confirmer, clock, [QR], 10)
    assert scans == [CodeKey(*QR)]


def test_a_code_held_in_front_of_the_camera_is_one_scan(
    confirmer: CodeConfirmer, clock: FakeClock
) -> None:
    scans = frames(confirmer, clock, [QR], 30 * 10)  # held ten seconds, blanking is two
    assert scans == [CodeKey(*QR)]


def test_held_with_short_gaps_is_still_one_scan(confirmer: CodeConfirmer, clock: FakeClock) -> None:
    scans: list[CodeKey] = []
    for _ in range(8):
        scans += frames(confirmer, clock, [QR], 20)
        scans += frames(confirmer, clock, [], 30)  # a second out of sight: less than blanking
    assert scans == [CodeKey(*QR)]


def test_shown_again_after_the_blanking_is_a_new_scan(
    confirmer: CodeConfirmer, clock: FakeClock
) -> None:
    assert frames(confirmer, clock, [QR], 20) == [CodeKey(*QR)]
    # The blanking counts from the last sighting, not from the scan.
    assert frames(confirmer, clock, [], round(1.9 / FRAME)) == []
    assert frames(confirmer, clock, [QR], 5) == []  # back too early: still the same scan
    assert frames(confirmer, clock, [], round(2.1 / FRAME)) == []
    assert frames(confirmer, clock, [QR], 5) == [CodeKey(*QR)]


def test_two_codes_in_one_shot_are_confirmed_independently(
    confirmer: CodeConfirmer, clock: FakeClock
) -> None:
    assert confirmer.observe([QR, BAR]) == []
    clock.advance(FRAME)
    assert confirmer.observe([BAR, QR]) == [CodeKey(*BAR), CodeKey(*QR)]
    assert frames(confirmer, clock, [QR, BAR], 30) == []
    # The bar code leaves, the QR stays: only the bar code can scan again later.
    scans = frames(confirmer, clock, [QR], round(2.5 / FRAME))
    scans += frames(confirmer, clock, [QR, BAR], 3)
    assert scans == [CodeKey(*BAR)]


def test_one_code_is_confirmed_while_the_other_is_seen_only_once(
    confirmer: CodeConfirmer, clock: FakeClock
) -> None:
    confirmer.observe([QR, BAR])
    clock.advance(FRAME)
    assert confirmer.observe([QR]) == [CodeKey(*QR)]


def test_the_same_code_twice_on_one_frame_is_not_a_confirmation(
    confirmer: CodeConfirmer, clock: FakeClock
) -> None:
    assert confirmer.observe([QR, QR]) == []
    clock.advance(FRAME)
    assert confirmer.observe([QR, QR]) == [CodeKey(*QR)]


def test_the_same_text_in_another_symbology_is_another_code(
    confirmer: CodeConfirmer, clock: FakeClock
) -> None:
    confirmer.observe([("QRCode", "KB-0042")])
    clock.advance(FRAME)
    assert confirmer.observe([("Code128", "KB-0042")]) == []


def test_memory_stays_bounded_under_a_stream_of_misreads(
    confirmer: CodeConfirmer, clock: FakeClock
) -> None:
    for number in range(3000):  # a new misread on every frame for 100 s
        clock.advance(FRAME)
        assert confirmer.observe([("EAN13", f"{number:013d}")]) == []
    assert confirmer.tracked <= 1 / FRAME + 2


def test_negative_durations_are_refused() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        CodeConfirmer(blanking_seconds=-1)
