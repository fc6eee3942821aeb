"""The camera: frames captured on one thread, decoded on another, confirmed scans out as signals.

Two worker threads, and the GUI thread only ever receives small results:

- capture (`_CaptureWorker` on its own QThread) opens the `FrameSource`, reads
  frames as fast as the camera gives them and drops each one into a single slot
  (`_LatestFrame`), overwriting the previous one if the decoder has not taken it:
  nothing queues. At most ~12 times a second, and only once the GUI has taken
  the previous one, it also sends a scaled-down preview `QImage`. A failed open
  or a lost camera makes it report UNPLUGGED and retry every `retry_seconds`.
- decoding (`_DecodeWorker` on a second QThread) waits for a fresh frame in the
  slot, converts it to gray, runs the decode function and feeds the results to
  `CodeConfirmer`; only confirmed codes leave the thread, as `ScanEvent`s. A decode
  function that returns a `FrameReading` also reports code-like regions it could not
  read; `HintTracker` turns them into advice for the preview (`hint_changed`).

The pipeline itself lives on the GUI thread: its slots keep the state, log it and
re-emit. `stop()` drops any result still queued from the stopped workers, so
nothing arrives after it returns.

Measured on the project's machine (see bench/camera_stall.py): zxing-cpp, pyzbar
(ctypes) and OpenCV release the GIL while they work, so decoding a frame does not
hold up the GUI thread; the Python glue around them is short.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, cast

import cv2
import numpy as np

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThread, Signal, Slot
from PySide6.QtGui import QImage

from kiosk.devices.code_confirmer import CodeConfirmer
from kiosk.devices.scan_hints import Hint, HintTracker
from kiosk.domain.scan import ScanEvent, ScanSource

if TYPE_CHECKING:
    from kiosk.devices.barcode_decoder import DecodedCode, FrameReading

log = logging.getLogger(__name__)

Frame = np.ndarray[Any, np.dtype[np.uint8]]
# A list of codes, or a FrameReading (codes, and the region seen but not read, for hints).
DecodeFunction = Callable[[Frame], "list[DecodedCode] | FrameReading"]

PREVIEW_MAX_WIDTH = 640
PREVIEW_MAX_HEIGHT = 360
PREVIEW_MAX_FPS = 12.0
CONFIRM_WINDOW_SECONDS = 1.0
STOP_TIMEOUT_SECONDS = 1.0
# A decoder that fails on every frame must not write 30 tracebacks a second.
_DECODE_ERRORS_LOGGED_EVERY = 300


class CameraState(StrEnum):
    OFF = "off"  # no camera configured, or stopped
    STARTING = "starting"
    RUNNING = "running"
    UNPLUGGED = "unplugged"  # lost or cannot be opened; being retried


class FrameSource(Protocol):
    """A camera, or anything that gives frames like one. Used only from the capture thread."""

    def open(self) -> bool: ...

    def read(self) -> Frame | None:
        """The next frame (BGR or gray uint8); None when the camera is lost or unplugged."""
        ...

    def release(self) -> None: ...

    def describe(self) -> str: ...


class OpenCvFrameSource:
    """A real camera through `cv2.VideoCapture`: "0", "1"… is a device index, else a path or URL."""

    def __init__(self, device: str, width: int, height: int) -> None:
        self.device = device
        self.width = width
        self.height = height
        self._capture: cv2.VideoCapture | None = None

    def open(self) -> bool:
        self.release()
        target: int | str = int(self.device) if self.device.strip().isdigit() else self.device
        capture = cv2.VideoCapture(target)
        if not capture.isOpened():
            capture.release()
            return False
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        # Keep the driver from queueing old frames; backends that cannot simply ignore it.
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        # Bounded reads (FFmpeg/network backends), so stop() is not held up by a dead stream.
        capture.set(cv2.CAP_PROP_READ_TIMEOUT_MSEC, 1000)
        self._capture = capture
        return True

    def read(self) -> Frame | None:
        if self._capture is None:
            return None
        is_read, frame = self._capture.read()
        if not is_read or frame is None:
            return None
        return cast(Frame, frame)

    def release(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None

    def describe(self) -> str:
        return f"camera {self.device!r} ({self.width}x{self.height})"


class ReplayFrameSource:
    """A fake camera replaying frames at `fps`: for tests and benches.

    `available` is the cable: set it to False and `read()` returns None (unplugged)
    and `open()` fails; set it back to True and the next open works (replugged).
    `fail_after=N` pulls the cable by itself once, after N frames in total.
    With `loop=False` the end of the frames is a lost camera.
    Every frame is a fresh copy, as a real camera hands out a new buffer each time.
    """

    def __init__(
        self,
        frames: Sequence[Frame],
        fps: float,
        loop: bool = True,
        fail_after: int | None = None,
    ) -> None:
        if not frames:
            raise ValueError("a replay needs at least one frame")
        if fps <= 0:
            raise ValueError("fps must be positive")
        self.frames = list(frames)
        self.fps = fps
        self.loop = loop
        self.fail_after = fail_after
        self.available = True
        self.open_count = 0
        self.frames_read = 0
        self._is_open = False
        self._index = 0
        self._next_due = 0.0

    def open(self) -> bool:
        self.open_count += 1
        if not self.available:
            return False
        self._is_open = True
        self._next_due = time.monotonic()
        return True

    def read(self) -> Frame | None:
        if self.fail_after is not None and self.frames_read >= self.fail_after:
            self.fail_after = None
            self.available = False
        if not (self._is_open and self.available):
            return None
        if self._index >= len(self.frames):
            if not self.loop:
                return None
            self._index = 0
        delay = self._next_due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self._next_due = max(self._next_due + 1.0 / self.fps, time.monotonic())
        frame = self.frames[self._index].copy()
        self._index += 1
        self.frames_read += 1
        return frame

    def release(self) -> None:
        self._is_open = False

    def describe(self) -> str:
        return f"replay of {len(self.frames)} frames at {self.fps:g} fps"


@dataclass(frozen=True)
class CameraStats:
    """Counters of one pipeline since it was created."""

    frames_captured: int
    frames_decoded: int
    frames_dropped: int  # overwritten in the slot before the decoder took them
    codes_confirmed: int
    previews_sent: int
    decode_seconds_total: float


class _LatestFrame:
    """The single slot between capture and decoding, plus the flags the decoder waits on."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._frame: Frame | None = None
        self._is_active = True
        self._is_closed = False
        self.dropped = 0

    def put(self, frame: Frame) -> None:
        with self._condition:
            if self._is_closed:
                return
            if self._frame is not None:
                self.dropped += 1
            self._frame = frame
            self._condition.notify()

    def take(self) -> Frame | None:
        """Wait for a fresh frame while decoding is active; None once closed."""
        with self._condition:
            while not self._is_closed and (self._frame is None or not self._is_active):
                self._condition.wait()
            if self._is_closed:
                return None
            frame, self._frame = self._frame, None
            return frame

    def set_active(self, is_active: bool) -> None:
        with self._condition:
            self._is_active = is_active
            self._condition.notify_all()

    def close(self) -> None:
        with self._condition:
            self._is_closed = True
            self._frame = None
            self._condition.notify_all()

    @property
    def is_holding_frame(self) -> bool:
        with self._condition:
            return self._frame is not None


class _CaptureWorker(QObject):
    """Opens the camera, keeps the slot filled with the newest frame, retries when it is lost."""

    state_reported = Signal(str, str)
    preview_made = Signal(QImage)

    def __init__(
        self,
        source_factory: Callable[[], FrameSource],
        slot: _LatestFrame,
        stopping: threading.Event,
        preview_taken: threading.Event,
        retry_seconds: float,
    ) -> None:
        super().__init__()
        self._source_factory = source_factory
        self._slot = slot
        self._stopping = stopping
        self._preview_taken = preview_taken
        self._retry_seconds = retry_seconds
        self._reported: tuple[str, str] | None = None
        self._last_preview_at = float("-inf")
        self.frames_captured = 0
        self.previews_sent = 0

    @Slot()
    def run(self) -> None:
        threading.current_thread().name = "camera-capture"
        while not self._stopping.is_set():
            source = self._open_source()
            if source is not None:
                try:
                    self._capture_from(source)
                finally:
                    self._release(source)
            if not self._stopping.is_set():
                self._stopping.wait(self._retry_seconds)

    def _open_source(self) -> FrameSource | None:
        name = "camera"
        try:
            source = self._source_factory()
            name = source.describe()
            if source.open():
                log.debug("%s opened", name)
                return source
        except Exception:  # a driver failure is an unplugged camera, never a crash
            log.exception("opening %s failed", name)
        self._report(CameraState.UNPLUGGED, f"cannot open {name}")
        return None

    def _capture_from(self, source: FrameSource) -> None:
        name = source.describe()
        while not self._stopping.is_set():
            try:
                frame = source.read()
            except Exception:  # same: a failing driver means a lost camera
                log.exception("reading from %s failed", name)
                frame = None
            if frame is None:
                if not self._stopping.is_set():
                    self._report(CameraState.UNPLUGGED, f"no picture from {name}")
                return
            self.frames_captured += 1
            self._slot.put(frame)
            self._report(CameraState.RUNNING, name)
            self._maybe_send_preview(frame)

    def _maybe_send_preview(self, frame: Frame) -> None:
        """At most PREVIEW_MAX_FPS, and never before the GUI has taken the previous one."""
        now = time.monotonic()
        if now - self._last_preview_at < 1.0 / PREVIEW_MAX_FPS or not self._preview_taken.is_set():
            return
        self._preview_taken.clear()
        self._last_preview_at = now
        self.previews_sent += 1
        self.preview_made.emit(preview_image(frame))

    def _release(self, source: FrameSource) -> None:
        try:
            source.release()
        except Exception:  # releasing a vanished device may fail; keep retrying
            log.exception("releasing %s failed", source.describe())

    def _report(self, state: CameraState, detail: str) -> None:
        if self._reported != (state, detail):
            self._reported = (state, detail)
            self.state_reported.emit(state.value, detail)


class _DecodeWorker(QObject):
    """Decodes the newest frame, confirms what it read, and sends out only confirmed scans."""

    code_confirmed = Signal(object)
    hint_changed = Signal(str)  # a Hint value; "" when there is no advice

    def __init__(self, decode: DecodeFunction, slot: _LatestFrame, blanking_seconds: float) -> None:
        super().__init__()
        self._decode = decode
        self._slot = slot
        self._confirmer = CodeConfirmer(blanking_seconds, CONFIRM_WINDOW_SECONDS)
        self._hints = HintTracker()
        self._errors = 0
        self.frames_decoded = 0
        self.codes_confirmed = 0
        self.decode_seconds_total = 0.0

    @Slot()
    def run(self) -> None:
        threading.current_thread().name = "camera-decode"
        while (frame := self._slot.take()) is not None:
            gray = to_gray(frame)
            del frame
            started = time.perf_counter()
            try:
                result = self._decode(gray)
            except Exception:  # a decoder bug must not end the camera; logged
                self._errors += 1
                if self._errors % _DECODE_ERRORS_LOGGED_EVERY == 1:
                    log.exception("the barcode decoder failed (%d times so far)", self._errors)
                continue
            finally:
                self.decode_seconds_total += time.perf_counter() - started
            self.frames_decoded += 1
            codes, unread = (result, None) if isinstance(result, list) else result
            hint = self._hints.observe(bool(codes), unread)
            if hint is not None:
                self.hint_changed.emit(hint.value)
            for key in self._confirmer.observe((code.symbology, code.text) for code in codes):
                self.codes_confirmed += 1
                event = ScanEvent(ScanSource.CAMERA, key.text, key.symbology)
                self.code_confirmed.emit(event)


def to_gray(frame: Frame) -> Frame:
    """8-bit gray from a gray, BGR or BGRA frame (gray frames are returned as they are)."""
    if frame.ndim == 2:
        return frame
    channels = frame.shape[2]
    if channels == 1:
        return frame[:, :, 0]
    code = cv2.COLOR_BGRA2GRAY if channels == 4 else cv2.COLOR_BGR2GRAY
    return cast(Frame, cv2.cvtColor(frame, code))


def preview_image(frame: Frame) -> QImage:
    """A scaled-down copy of the frame as a QImage that owns its pixels (safe across threads)."""
    height, width = frame.shape[:2]
    scale = min(PREVIEW_MAX_WIDTH / width, PREVIEW_MAX_HEIGHT / height, 1.0)
    if scale < 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        frame = cast(Frame, cv2.resize(frame, size, interpolation=cv2.INTER_AREA))
    if frame.ndim == 3 and frame.shape[2] == 4:
        frame = cast(Frame, cv2.cvtColor(frame, cv2.COLOR_BGRA2BGR))
    elif frame.ndim == 3 and frame.shape[2] == 1:
        frame = frame[:, :, 0]
    frame = np.ascontiguousarray(frame)
    height, width = frame.shape[:2]
    image_format = (
        QImage.Format.Format_Grayscale8 if frame.ndim == 2 else QImage.Format.Format_BGR888
    )
    return QImage(frame.data, width, height, frame.strides[0], image_format).copy()


# Threads that did not stop in time: kept referenced so Qt never destroys a running QThread.
_STRAGGLERS: list[tuple[QThread, QObject]] = []


class CameraPipeline(QObject):
    """Capture, decoding and confirmation of one camera; lives on the GUI thread."""

    code_read = Signal(object)  # ScanEvent(ScanSource.CAMERA, text, symbology)
    state_changed = Signal(str, str)  # CameraState value, detail (for the log and the admin)
    preview_ready = Signal(QImage)  # at most ~12 fps, scaled down; the next only once taken
    hint_changed = Signal(str)  # a Hint value: advice when a code is seen but not read

    def __init__(
        self,
        source_factory: Callable[[], FrameSource],
        decode: DecodeFunction,
        *,
        blanking_seconds: float = 2.0,
        retry_seconds: float = 3.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._source_factory = source_factory
        self._decode = decode
        self._blanking_seconds = blanking_seconds
        self._retry_seconds = retry_seconds
        self._state = CameraState.OFF
        self._is_active = True
        self._slot: _LatestFrame | None = None
        self._stopping = threading.Event()
        self._preview_taken = threading.Event()
        self._capture: _CaptureWorker | None = None
        self._decoder: _DecodeWorker | None = None
        self._threads: list[QThread] = []
        self._finished: CameraStats | None = None

    @property
    def state(self) -> CameraState:
        return self._state

    @property
    def is_running(self) -> bool:
        return bool(self._threads)

    @property
    def stats(self) -> CameraStats:
        capture, decoder, slot = self._capture, self._decoder, self._slot
        if capture is None or decoder is None or slot is None:
            return self._finished or CameraStats(0, 0, 0, 0, 0, 0.0)
        return CameraStats(
            frames_captured=capture.frames_captured,
            frames_decoded=decoder.frames_decoded,
            frames_dropped=slot.dropped,
            codes_confirmed=decoder.codes_confirmed,
            previews_sent=capture.previews_sent,
            decode_seconds_total=decoder.decode_seconds_total,
        )

    @Slot()
    def start(self) -> None:
        if self.is_running:
            return
        self._stopping = threading.Event()
        self._preview_taken = threading.Event()
        self._preview_taken.set()
        self._slot = _LatestFrame()
        self._slot.set_active(self._is_active)
        self._capture = _CaptureWorker(
            self._source_factory,
            self._slot,
            self._stopping,
            self._preview_taken,
            self._retry_seconds,
        )
        self._decoder = _DecodeWorker(self._decode, self._slot, self._blanking_seconds)
        self._capture.state_reported.connect(self._on_capture_state_reported)
        self._capture.preview_made.connect(self._on_capture_preview_made)
        self._decoder.code_confirmed.connect(self._on_decoder_code_confirmed)
        self._decoder.hint_changed.connect(self._on_decoder_hint_changed)
        self._set_state(CameraState.STARTING, "")
        for name, worker in (("camera-capture", self._capture), ("camera-decode", self._decoder)):
            thread = QThread()
            thread.setObjectName(name)
            worker.moveToThread(thread)
            thread.started.connect(worker.run)
            self._threads.append(thread)
            thread.start()

    @Slot()
    def stop(self) -> None:
        """Stop both threads (within about a second) and drop anything they still had queued."""
        if not self.is_running:
            return
        self._stopping.set()
        assert self._slot is not None
        self._slot.close()
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        workers: list[QObject] = [w for w in (self._capture, self._decoder) if w is not None]
        for thread, worker in zip(self._threads, workers, strict=True):
            thread.quit()
            remaining_ms = max(0, round((deadline - time.monotonic()) * 1000))
            if not thread.wait(remaining_ms):
                log.error("camera thread %s did not stop in time", thread.objectName())
                _STRAGGLERS.append((thread, worker))
        self._finished = self.stats
        # Results the workers queued for this object before they stopped are dropped.
        QCoreApplication.removePostedEvents(self, QEvent.Type.MetaCall)
        self._threads.clear()
        self._capture = self._decoder = None
        self._slot = None
        self.hint_changed.emit(Hint.NONE.value)
        self._set_state(CameraState.OFF, "stopped")

    @Slot(bool)
    def set_active(self, is_active: bool) -> None:
        """Decode only while some screen accepts scans; capture and preview go on regardless."""
        self._is_active = is_active
        if self._slot is not None:
            self._slot.set_active(is_active)

    @Slot(str, str)
    def _on_capture_state_reported(self, state: str, detail: str) -> None:
        if self.is_running:
            self._set_state(CameraState(state), detail)

    @Slot(QImage)
    def _on_capture_preview_made(self, image: QImage) -> None:
        self._preview_taken.set()
        if self.is_running:
            self.preview_ready.emit(image)

    @Slot(object)
    def _on_decoder_code_confirmed(self, event: ScanEvent) -> None:
        if not (self.is_running and self._is_active):
            return  # stopped, or paused while that frame was being decoded
        # Never the text itself: a code may carry a badge number or a signed payload.
        log.info("camera read a %s code (%d characters)", event.symbology or "?", len(event.text))
        self.code_read.emit(event)

    @Slot(str)
    def _on_decoder_hint_changed(self, hint: str) -> None:
        if self.is_running:
            self.hint_changed.emit(hint)

    def _set_state(self, state: CameraState, detail: str) -> None:
        if state == self._state:
            return
        self._state = state
        level = logging.WARNING if state is CameraState.UNPLUGGED else logging.INFO
        log.log(level, "camera %s%s", state.value, f": {detail}" if detail else "")
        self.state_changed.emit(state.value, detail)
