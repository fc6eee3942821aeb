"""The camera pipeline: real threads, real decoder and real photos; only the camera is a replay."""

from __future__ import annotations

import csv
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import cv2
import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QImage

from kiosk.devices.barcode_decoder import DecodedCode, project_decoder
from kiosk.devices.camera import (
    CameraPipeline,
    CameraState,
    Frame,
    FrameSource,
    OpenCvFrameSource,
    ReplayFrameSource,
)
from kiosk.domain.scan import ScanEvent, ScanSource
from kiosk.ui.widgets.camera_preview import CameraPreview
from tests.helpers.labels import HEIGHT, WIDTH, code128, frame_with, qr_code
from tests.helpers.shared_data import barcode_dir

BARCODES = barcode_dir()
# Real photos that both zxing-cpp and zbar read when padded into a 1280x720 frame.
PHOTOS = (
    "code128/code128-1/1.png",
    "code39/code39-1/4.png",
    "ean13/ean13-1/12.png",
    "qrcode/qrcode-1/13.png",
)

Decode = Callable[[Frame], list[DecodedCode]]


# ------------------------------------------------------------------ frames


@pytest.fixture(scope="module")
def manifest() -> dict[str, str]:
    """path → expected text of the shared photos."""
    listing = BARCODES / "manifest.csv"
    if not listing.is_file():
        pytest.fail(f"the shared barcode photos are missing: expected {listing}")
    with listing.open(encoding="utf-8", newline="") as file:
        return {row["path"]: row["expected_text"] for row in csv.DictReader(file)}


def photo(path: str) -> Frame:
    image = cv2.imread(str(BARCODES / path), cv2.IMREAD_GRAYSCALE)
    if image is None:
        pytest.fail(f"cannot read the shared photo {BARCODES / path}")
    return cast(Frame, image)


BLANK = frame_with()


# ------------------------------------------------------------------ decoder and pipeline


@pytest.fixture(scope="module")
def decode() -> Decode:
    """The decoder the kiosk ships."""
    return project_decoder().decode


@dataclass
class Recorded:
    pipeline: CameraPipeline
    scans: list[ScanEvent] = field(default_factory=list)
    states: list[str] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [scan.text for scan in self.scans]


@pytest.fixture
def make_pipeline(qtbot: QtBot) -> Iterator[Callable[..., Recorded]]:
    """Builds started pipelines; every one is stopped at the end, so no thread outlives a test."""
    made: list[CameraPipeline] = []

    def make(
        source: FrameSource | Callable[[], FrameSource],
        decode: Decode,
        *,
        start: bool = True,
        **options: float,
    ) -> Recorded:
        factory = source if callable(source) else (lambda: source)
        pipeline = CameraPipeline(factory, decode, **options)  # type: ignore[arg-type]
        made.append(pipeline)
        recorded = Recorded(pipeline)
        pipeline.code_read.connect(recorded.scans.append)
        pipeline.state_changed.connect(lambda state, _detail: recorded.states.append(state))
        if start:
            pipeline.start()
        return recorded

    yield make
    for pipeline in made:
        pipeline.stop()
        assert not pipeline.is_running


def play_once(qtbot: QtBot, source: ReplayFrameSource, recorded: Recorded) -> None:
    """Wait until every frame was shown once (and the decoder had time for the last), then stop."""
    qtbot.waitUntil(lambda: source.frames_read >= len(source.frames), timeout=15_000)
    recorded.pipeline.stop()


# ------------------------------------------------------------------ scanning


def test_each_code_shown_is_one_scan(
    qtbot: QtBot, make_pipeline: Callable[..., Recorded], decode: Decode, manifest: dict[str, str]
) -> None:
    shown = [(photo(path), manifest[path]) for path in PHOTOS]
    shown += [(qr_code("WO-2026-004217"), "WO-2026-004217"), (code128("TS-0042AB"), "TS-0042AB")]
    frames: list[Frame] = []
    for image, _text in shown:
        frames += [frame_with(image, bgr=True)] * 12 + [BLANK] * 4  # held 0.4 s, then away
    source = ReplayFrameSource([*frames, *[BLANK] * 6], fps=30)
    recorded = make_pipeline(source, decode)

    play_once(qtbot, source, recorded)

    assert recorded.texts == [text for _image, text in shown]
    assert all(scan.source is ScanSource.CAMERA and scan.symbology for scan in recorded.scans)
    assert recorded.states == ["starting", "running", "off"]


def test_a_code_held_is_one_scan_and_shown_again_after_the_blanking_is_another(
    qtbot: QtBot, make_pipeline: Callable[..., Recorded], decode: Decode
) -> None:
    label = frame_with(qr_code("KB-CUT-0042"))
    # Held 1 s (twice the blanking), away 0.8 s, back 0.5 s.
    source = ReplayFrameSource([label] * 30 + [BLANK] * 24 + [label] * 15 + [BLANK] * 6, fps=30)
    recorded = make_pipeline(source, decode, blanking_seconds=0.5)

    play_once(qtbot, source, recorded)

    assert recorded.texts == ["KB-CUT-0042", "KB-CUT-0042"]


def test_a_code_seen_on_one_frame_only_is_not_a_scan(
    qtbot: QtBot, make_pipeline: Callable[..., Recorded], decode: Decode
) -> None:
    seen: list[str] = []

    def watched(image: Frame) -> list[DecodedCode]:
        codes = decode(image)
        seen.extend(code.text for code in codes)
        return codes

    # 10 fps, so the decoder gets every frame: a label swept past the camera.
    source = ReplayFrameSource(
        [BLANK] * 5 + [frame_with(code128("WO-2026-000001"))] + [BLANK] * 8, 10
    )
    recorded = make_pipeline(source, watched)

    play_once(qtbot, source, recorded)

    assert seen == ["WO-2026-000001"]  # the decoder did read it, once
    assert recorded.scans == []


def test_two_codes_in_one_frame_are_two_scans(
    qtbot: QtBot, make_pipeline: Callable[..., Recorded], decode: Decode, manifest: dict[str, str]
) -> None:
    path = "qrcode/qrcode-1/13.png"
    both = frame_with(photo(path), code128("WO-2026-004217"), bgr=True)
    source = ReplayFrameSource([both] * 20 + [BLANK] * 6, fps=30)
    recorded = make_pipeline(source, decode)

    play_once(qtbot, source, recorded)

    assert sorted(recorded.texts) == sorted([manifest[path], "WO-2026-004217"])


def test_scans_pause_while_no_screen_accepts_them(
    qtbot: QtBot, make_pipeline: Callable[..., Recorded], decode: Decode
) -> None:
    source = ReplayFrameSource([frame_with(qr_code("KB-CUT-0042"))], fps=30)
    recorded = make_pipeline(source, decode)
    recorded.pipeline.set_active(False)
    previews: list[QImage] = []
    recorded.pipeline.preview_ready.connect(previews.append)
    qtbot.waitUntil(lambda: len(previews) >= 5, timeout=5000)  # the preview goes on
    decoded = recorded.pipeline.stats.frames_decoded
    qtbot.wait(300)
    assert recorded.pipeline.stats.frames_decoded - decoded <= 1  # at most the one in flight
    assert recorded.scans == []

    recorded.pipeline.set_active(True)
    qtbot.waitUntil(lambda: recorded.texts == ["KB-CUT-0042"], timeout=5000)


# ------------------------------------------------------------------ unplugged cameras


def test_an_unplugged_camera_is_retried_and_scans_again_once_replugged(
    qtbot: QtBot, make_pipeline: Callable[..., Recorded], decode: Decode
) -> None:
    source = ReplayFrameSource([frame_with(qr_code("KB-CUT-0042"))], fps=30, fail_after=15)
    recorded = make_pipeline(source, decode, retry_seconds=0.2)
    pipeline = recorded.pipeline

    qtbot.waitUntil(lambda: pipeline.state is CameraState.UNPLUGGED, timeout=5000)
    assert recorded.texts == ["KB-CUT-0042"]
    opened = source.open_count
    qtbot.waitUntil(lambda: source.open_count >= opened + 2, timeout=5000)  # retrying
    assert pipeline.state is CameraState.UNPLUGGED

    source.frames = [frame_with(code128("TS-0042AB"))]  # a new label, the cable back in
    source.available = True
    qtbot.waitUntil(lambda: pipeline.state is CameraState.RUNNING, timeout=5000)
    qtbot.waitUntil(lambda: len(recorded.scans) == 2, timeout=5000)

    assert recorded.texts == ["KB-CUT-0042", "TS-0042AB"]
    assert recorded.states == ["starting", "running", "unplugged", "running"]


def test_a_camera_that_cannot_be_opened_at_start_is_unplugged_and_retried(
    qtbot: QtBot, make_pipeline: Callable[..., Recorded], decode: Decode
) -> None:
    source = ReplayFrameSource([frame_with(qr_code("KB-CUT-0042"))], fps=30)
    source.available = False
    recorded = make_pipeline(source, decode, retry_seconds=0.1)

    qtbot.waitUntil(lambda: source.open_count >= 3, timeout=5000)
    assert recorded.pipeline.state is CameraState.UNPLUGGED
    assert recorded.states == ["starting", "unplugged"]  # one state change, not one per retry

    source.available = True
    qtbot.waitUntil(lambda: recorded.texts == ["KB-CUT-0042"], timeout=5000)
    assert recorded.pipeline.state is CameraState.RUNNING


def test_a_missing_opencv_camera_is_unplugged(
    qtbot: QtBot, make_pipeline: Callable[..., Recorded], decode: Decode, tmp_path: Path
) -> None:
    camera = OpenCvFrameSource(str(tmp_path / "no-such-video0"), 1280, 720)
    recorded = make_pipeline(camera, decode, retry_seconds=0.1)

    qtbot.waitUntil(lambda: recorded.pipeline.state is CameraState.UNPLUGGED, timeout=5000)
    assert recorded.scans == []


def test_the_opencv_source_reads_a_recorded_video(
    qtbot: QtBot, make_pipeline: Callable[..., Recorded], decode: Decode, tmp_path: Path
) -> None:
    video = tmp_path / "label.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter.fourcc(*"MJPG"), 30, (WIDTH, HEIGHT))
    assert writer.isOpened()
    label = frame_with(qr_code("WO-2026-004217"), bgr=True)
    for _ in range(30):
        writer.write(label)
    writer.release()
    # Each time the video ends the camera is "lost" and opened again: the label stays in view.
    recorded = make_pipeline(lambda: OpenCvFrameSource(str(video), WIDTH, HEIGHT), decode)

    qtbot.waitUntil(lambda: recorded.texts == ["WO-2026-004217"], timeout=10_000)
    assert "running" in recorded.states


# ------------------------------------------------------------------ threads


def test_stop_returns_quickly_even_during_a_slow_decode_and_nothing_arrives_after_it(
    qtbot: QtBot, make_pipeline: Callable[..., Recorded], decode: Decode
) -> None:
    decoding = threading.Event()

    def slow(image: Frame) -> list[DecodedCode]:
        decoding.set()
        time.sleep(0.3)
        return decode(image)

    source = ReplayFrameSource([frame_with(qr_code("KB-CUT-0042"))], fps=30)
    recorded = make_pipeline(source, slow)
    qtbot.waitUntil(decoding.is_set, timeout=5000)

    started = time.perf_counter()
    recorded.pipeline.stop()
    assert time.perf_counter() - started < 1.0
    recorded.pipeline.stop()  # twice is fine
    scans = list(recorded.scans)
    qtbot.wait(400)  # anything the workers queued before stopping is dropped

    assert recorded.scans == scans
    assert recorded.pipeline.state is CameraState.OFF
    assert recorded.states[-1] == "off"
    assert recorded.states.count("off") == 1


class TrackedReplay(ReplayFrameSource):
    """Tags each frame with its number and keeps a weak reference to it."""

    def __init__(self, frames: list[Frame], fps: float) -> None:
        super().__init__(frames, fps)
        self.handed_out: list[weakref.ref[Frame]] = []

    def read(self) -> Frame | None:
        frame = super().read()
        if frame is not None:
            frame[0, :4] = np.frombuffer(self.frames_read.to_bytes(4, "little"), np.uint8)
            self.handed_out.append(weakref.ref(frame))
        return frame

    def alive(self) -> int:
        return sum(ref() is not None for ref in self.handed_out)


def test_a_slow_decoder_always_gets_the_newest_frame_and_nothing_piles_up(
    qtbot: QtBot, make_pipeline: Callable[..., Recorded], decode: Decode
) -> None:
    source = TrackedReplay([frame_with(qr_code("KB-CUT-0042"))], fps=30)
    lags: list[int] = []
    alive: list[int] = []

    def slow(image: Frame) -> list[DecodedCode]:
        number = int.from_bytes(image[0, :4].tobytes(), "little")
        lags.append(source.frames_read - number)  # frames captured since this one
        time.sleep(0.25)  # the decoder is eight frames behind the camera
        alive.append(source.alive())
        return decode(image)

    recorded = make_pipeline(source, slow)
    qtbot.waitUntil(lambda: len(lags) >= 6, timeout=10_000)
    stats = recorded.pipeline.stats

    assert max(lags) <= 2, lags  # each frame decoded was one of the newest, not a queued old one
    assert max(alive) <= 4, alive  # of the ~50 frames captured so far
    assert stats.frames_captured >= 25
    assert stats.frames_dropped >= stats.frames_captured - stats.frames_decoded - 2
    assert recorded.texts == ["KB-CUT-0042"]


# ------------------------------------------------------------------ preview


def test_the_preview_shows_the_picture_the_box_and_the_state(
    qtbot: QtBot, make_pipeline: Callable[..., Recorded], decode: Decode
) -> None:
    preview = CameraPreview()
    qtbot.addWidget(preview)
    preview.resize(640, 480)
    preview.show()
    qtbot.waitExposed(preview)
    assert preview.caption.text() == "Camera off"

    source = ReplayFrameSource([frame_with(qr_code("KB-CUT-0042"))], fps=30, fail_after=60)
    pipeline = make_pipeline(source, decode, start=False, retry_seconds=60).pipeline
    preview.follow(pipeline)

    pipeline.start()
    assert preview.caption.text() == "Starting camera…"
    qtbot.waitUntil(lambda: preview.has_frame, timeout=5000)
    assert preview.caption.text() == "Hold the code inside the box"
    shot = preview.grab().toImage()
    paper = shot.pixelColor(shot.width() // 2, 60)  # top of the letterboxed picture
    box = preview.target_rect()
    assert paper.lightness() > 200  # the white label stock, not the dark background
    assert shot.pixelColor(box.left() + 1, box.center().y()) == QColor(80, 220, 120)

    qtbot.waitUntil(lambda: pipeline.state is CameraState.UNPLUGGED, timeout=5000)
    assert preview.caption.text() == "Camera unplugged - retrying"
    assert not preview.has_frame  # no stale picture of a lost camera
    pipeline.stop()
    assert preview.caption.text() == "Camera off"


def test_previews_are_throttled_and_never_pile_up_behind_a_busy_gui(
    qtbot: QtBot, make_pipeline: Callable[..., Recorded], decode: Decode
) -> None:
    source = ReplayFrameSource([frame_with(qr_code("KB-CUT-0042"))], fps=30)
    recorded = make_pipeline(source, decode)
    previews: list[QImage] = []
    recorded.pipeline.preview_ready.connect(previews.append)
    qtbot.waitUntil(lambda: len(previews) >= 1, timeout=5000)

    qtbot.wait(1000)
    assert len(previews) <= 1 + 13  # at most ~12 a second
    assert previews[-1].width() <= 640 and previews[-1].height() <= 360

    time.sleep(0.5)  # the GUI thread is busy for half a second
    delivered = len(previews)
    QCoreApplication.processEvents()
    assert len(previews) - delivered == 1  # one preview waited, not fifteen
