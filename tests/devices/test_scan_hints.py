"""Advice on the camera preview when a code is seen but not read: closer, or out of the glare.

The tracker is driven by frame lists and a fake clock; the regions come from the real
decoder on generated frames (tests/helpers/degraded_frames.py), and the texts from a real
pipeline and preview fed by a replayed camera.
"""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import pytest
from pytestqt.qtbot import QtBot

from kiosk.devices.barcode_decoder import project_decoder
from kiosk.devices.camera import CameraPipeline, ReplayFrameSource
from kiosk.devices.code_regions import CodeRegion
from kiosk.devices.scan_hints import Hint, HintTracker
from kiosk.ui.widgets.camera_preview import CameraPreview
from tests.helpers.degraded_frames import glare_frame, small_code_frame
from tests.helpers.labels import frame_with, qr_code

SMALL = CodeRegion((500, 300, 200, 100), 0.0, True, 0.9, 180.0, 0.0)
GLARE = CodeRegion((300, 200, 600, 300), 0.0, True, 0.9, 520.0, 0.2)
BIG_CLEAN = CodeRegion((300, 200, 600, 300), 0.0, True, 0.9, 520.0, 0.0)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def play(
    tracker: HintTracker, clock: FakeClock, frames: list[tuple[bool, CodeRegion | None]]
) -> list[Hint]:
    """Feeds frames 0.1 s apart; the hints that changed, in order."""
    changes = []
    for has_read, region in frames:
        clock.now += 0.1
        hint = tracker.observe(has_read, region)
        if hint is not None:
            changes.append(hint)
    return changes


def test_a_small_code_unread_for_a_second_asks_to_hold_the_paper_closer() -> None:
    clock = FakeClock()
    tracker = HintTracker(clock=clock)
    assert play(tracker, clock, [(False, SMALL)] * 9) == []  # 0.8 s: not yet
    assert play(tracker, clock, [(False, SMALL)] * 3) == [Hint.CLOSER]
    assert tracker.hint is Hint.CLOSER


def test_glare_on_the_code_asks_to_tilt_away_from_the_light_even_when_it_is_small() -> None:
    clock = FakeClock()
    tracker = HintTracker(clock=clock)
    small_glare = CodeRegion((500, 300, 200, 100), 0.0, True, 0.9, 180.0, 0.05)
    assert play(tracker, clock, [(False, GLARE)] * 6 + [(False, small_glare)] * 6) == [Hint.LIGHT]


def test_a_read_or_the_code_gone_takes_the_advice_away() -> None:
    clock = FakeClock()
    tracker = HintTracker(clock=clock)
    assert play(tracker, clock, [(False, SMALL)] * 12 + [(True, None)]) == [Hint.CLOSER, Hint.NONE]
    changes = play(tracker, clock, [(False, GLARE)] * 12 + [(False, None)] * 7)
    assert changes == [Hint.LIGHT, Hint.NONE]  # gone for more than 0.5 s


def test_a_big_clean_code_that_does_not_read_gets_no_advice_and_a_brief_one_none() -> None:
    clock = FakeClock()
    tracker = HintTracker(clock=clock)
    assert play(tracker, clock, [(False, BIG_CLEAN)] * 20) == []
    # a small code glimpsed for 0.5 s, between empty frames
    assert play(tracker, clock, [(False, None)] * 8 + [(False, SMALL)] * 5 + [(False, None)]) == []
    assert tracker.hint is Hint.NONE


def test_the_decoder_reports_a_small_code_and_a_glared_code_it_cannot_read() -> None:
    decoder = project_decoder()
    small = decoder.read(small_code_frame())
    assert small.codes == [] and small.unread is not None
    assert small.unread.is_small and not small.unread.has_glare
    glared = decoder.read(glare_frame())
    assert glared.codes == [] and glared.unread is not None and glared.unread.has_glare
    empty = decoder.read(cv2.GaussianBlur(frame_with(), (0, 0), 2))  # white paper, nothing on it
    assert empty == ([], None)


@pytest.fixture
def preview(qtbot: QtBot) -> Iterator[CameraPreview]:
    widget = CameraPreview()
    qtbot.addWidget(widget)
    widget.resize(640, 480)
    widget.show()
    yield widget


@pytest.mark.parametrize(
    ("frame", "advice"),
    [(small_code_frame(), "Hold the paper closer"), (glare_frame(), "Tilt away from the light")],
    ids=["small code", "glare"],
)
def test_the_preview_says_what_helps_while_a_code_is_seen_but_not_read(
    qtbot: QtBot, preview: CameraPreview, frame: object, advice: str
) -> None:
    readable = frame_with(qr_code("WO-2026-004219", scale=6))
    source = ReplayFrameSource([frame] * 60 + [readable] * 600, fps=30)  # type: ignore[list-item]
    pipeline = CameraPipeline(lambda: source, project_decoder().read, retry_seconds=60)
    preview.follow(pipeline)
    codes: list[object] = []
    pipeline.code_read.connect(codes.append)
    pipeline.start()
    try:
        qtbot.waitUntil(lambda: preview.caption.text() == advice, timeout=6000)
        assert not codes
        # then the paper is held right: the advice goes as the code reads
        qtbot.waitUntil(lambda: bool(codes), timeout=6000)
        qtbot.waitUntil(
            lambda: preview.caption.text() == "Hold the code inside the box", timeout=3000
        )
    finally:
        pipeline.stop()
    assert preview.caption.text() == "Camera off"
