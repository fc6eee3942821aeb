"""Builds the badge reader, the scanner and the camera from the settings and connects them.

Every device delivers into the main window's one scan router and reports its
state to the health strip. Devices the settings leave empty are shown as not set
up; pyserial and the camera's libraries are imported only when their device is
configured (they cost a cold start 0.1 to 0.5 s).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject

from kiosk.devices.key_burst import BurstConfig
from kiosk.settings import Settings
from kiosk.ui.main_window import MainWindow
from kiosk.ui.scanner_input import ScannerInput
from kiosk.ui.screens.setup import SetupScreen

log = logging.getLogger(__name__)

CAMERA_BLANKING_SECONDS = 2.0
# One late key inside a quick burst may take this many key gaps (see BurstConfig).
STALL_GAPS = 3


@dataclass
class InputDevices:
    scanner: ScannerInput
    reader: Any | None  # BadgeReader and CameraPipeline are typed loosely: imported only when used
    camera: Any | None

    def stop(self) -> None:
        """Stop in reverse order of start; each stop joins its thread."""
        camera = self.camera
        if camera is not None:
            camera.stop()
        if self.reader is not None:
            self.reader.stop()
        self.scanner.uninstall()


def start_input_devices(
    settings: Settings,
    window: MainWindow,
    *,
    camera_source: Callable[[], Any] | None = None,
) -> InputDevices:
    """Start what the settings name; `camera_source` replaces the OpenCV camera (tests)."""
    scanner = _start_scanner(settings, window, window.scan_router.submit_scanner_text)
    reader = _start_reader(settings, window) if settings.rfid_port else None
    camera = _start_camera(settings, window, camera_source) if settings.camera else None
    return InputDevices(scanner=scanner, reader=reader, camera=camera)


def _start_camera(
    settings: Settings, window: MainWindow, camera_source: Callable[[], Any] | None
) -> Any:
    camera, preview = _camera(settings, window, camera_source)
    preview.setMinimumHeight(240)
    window.attach_camera_preview(preview)
    camera.state_changed.connect(window.show_camera_state)
    camera.code_read.connect(window.scan_router.submit)
    camera.start()
    return camera


class RunningDevices:
    """The main window's devices and printer, each restarted when the Settings screen changes
    its setting (the reader, the camera, the printer); `stop()` stops them all at the end."""

    def __init__(
        self,
        settings: Settings,
        window: MainWindow,
        *,
        make_printer: Callable[[Settings], Any] | None = None,
        camera_source: Callable[[], Any] | None = None,
    ) -> None:
        """`make_printer` builds a DocumentPrinter from the settings (None: no printer)."""
        self._window = window
        self._make_printer = make_printer
        self._camera_source = camera_source
        self.devices = start_input_devices(settings, window, camera_source=camera_source)
        self.printer: Any | None = None
        if make_printer is not None:
            self.printer = make_printer(settings)
            window.attach_printer(self.printer)
        window.attach_device_control(self)

    def apply(self, settings: Settings, name: str) -> bool:
        """Restart what `name` concerns with `settings`; False if it waits for the next start."""
        window, devices = self._window, self.devices
        if name in {"rfid_port", "rfid_protocol"}:
            if devices.reader is not None:
                devices.reader.stop()
            devices.reader = _start_reader(settings, window) if settings.rfid_port else None
            if devices.reader is None:
                window.show_reader_state("off", "no badge reader configured")
            log.info("badge reader set to %r (%s)", settings.rfid_port, settings.rfid_protocol)
            return True
        if name == "camera":
            if devices.camera is not None:
                devices.camera.stop()
                devices.camera = None
            window.attach_camera_preview(None)
            if settings.camera:
                devices.camera = _start_camera(settings, window, self._camera_source)
            else:
                window.show_camera_state("off", "no camera configured")
            return True
        if name in {"printer", "printer_name"} and self._make_printer is not None:
            if self.printer is not None:
                self.printer.stop()
            self.printer = self._make_printer(settings)
            window.attach_printer(self.printer)
            return True
        return False

    def stop(self) -> None:
        self.devices.stop()
        if self.printer is not None:
            self.printer.stop()


def start_setup_devices(
    settings: Settings,
    screen: SetupScreen,
    *,
    camera_source: Callable[[], Any] | None = None,
) -> InputDevices:
    """The scanner and the camera for the setup screen (the admin's QR); no badge reader."""
    scanner = _start_scanner(settings, screen, screen.scan_router.submit_scanner_text)
    camera = None
    if settings.camera:
        camera, preview = _camera(settings, screen, camera_source)
        screen.attach_camera_preview(preview)
        camera.state_changed.connect(screen.show_camera_state)
        camera.code_read.connect(screen.scan_router.submit)
        camera.start()
    return InputDevices(scanner=scanner, reader=None, camera=camera)


def _start_scanner(
    settings: Settings, parent: QObject, submit: Callable[[str], None]
) -> ScannerInput:
    key_gap = settings.scanner_key_gap_ms / 1000
    scanner = ScannerInput(
        BurstConfig(
            max_key_gap=key_gap,
            max_stall_gap=STALL_GAPS * key_gap,
            min_length=settings.scanner_min_length,
            prefix=settings.scanner_prefix,
            suffix=settings.scanner_suffix,
        ),
        parent,
    )
    scanner.scanned.connect(submit)
    scanner.install()
    return scanner


def _start_reader(settings: Settings, window: MainWindow) -> Any:
    from kiosk.devices.badge_reader import BadgeReader, ReaderConfig

    reader = BadgeReader(
        ReaderConfig(
            port=settings.rfid_port,
            baud=settings.rfid_baud,
            protocol=settings.rfid_protocol,
            retry_seconds=settings.rfid_retry_seconds,
            hold_seconds=settings.badge_hold_seconds,
        ),
        window,
    )
    reader.badge_tapped.connect(window.scan_router.submit_badge)
    reader.state_changed.connect(window.show_reader_state)
    reader.counters_changed.connect(window.show_reader_counters)
    reader.start()
    return reader


def _camera(
    settings: Settings, parent: QObject, source: Callable[[], Any] | None
) -> tuple[Any, Any]:
    """The camera's pipeline (not started) and its preview, to be wired by the caller."""
    from kiosk.devices.barcode_decoder import project_decoder
    from kiosk.devices.camera import CameraPipeline, OpenCvFrameSource
    from kiosk.ui.widgets.camera_preview import CameraPreview

    decoder = project_decoder()
    if source is None:

        def source() -> OpenCvFrameSource:
            return OpenCvFrameSource(settings.camera, settings.camera_width, settings.camera_height)

    pipeline = CameraPipeline(
        source,
        decoder.read,  # codes, and a region seen but not read: the preview's hints
        blanking_seconds=CAMERA_BLANKING_SECONDS,
        retry_seconds=settings.camera_retry_seconds,
        parent=parent,
    )
    preview = CameraPreview()
    preview.follow(pipeline)
    log.info(
        "camera %s started at %dx%d", settings.camera, settings.camera_width, settings.camera_height
    )
    return pipeline, preview
