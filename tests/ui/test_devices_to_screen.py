"""Real bytes and real keys into the real window: the devices, wired as the program wires them.

A frame written on a pty reaches the badge reader thread, the router and the login;
keys typed at scanner speed through the window open a work order with no field
focused; garbage on the serial line changes nothing but the health strip's counter.
"""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kiosk.demo import demo_user
from kiosk.devices.camera import ReplayFrameSource
from kiosk.input_devices import InputDevices, start_input_devices
from kiosk.settings import load_settings
from kiosk.ui.sounds import Tone
from tests.helpers.degraded_frames import degraded_frame
from tests.helpers.labels import frame_with, qr_code
from tests.helpers.serial_pty import PtyPair, rdm6300_frame
from tests.ui.driver import KioskDriver

WAIT_MS = 5000


@pytest.fixture
def pty() -> Iterator[PtyPair]:
    pair = PtyPair()
    yield pair
    pair.close()


@pytest.fixture
def devices(kiosk: KioskDriver, pty: PtyPair, qtbot: QtBot) -> Iterator[InputDevices]:
    settings = load_settings(command_line={"rfid_port": pty.slave_path, "rfid_retry_seconds": 0.05})
    started = start_input_devices(settings, kiosk.window)
    qtbot.waitUntil(lambda: "connected" in kiosk.window.health.reader.text(), timeout=WAIT_MS)
    yield started
    started.stop()


def test_a_badge_frame_on_the_serial_port_logs_the_operator_in(
    kiosk: KioskDriver, devices: InputDevices, pty: PtyPair, qtbot: QtBot
) -> None:
    pty.write(rdm6300_frame(demo_user("E1001").badge))
    qtbot.waitUntil(lambda: kiosk.window.actor is not None, timeout=WAIT_MS)
    assert kiosk.window.actor is not None and kiosk.window.actor.employee_no == "E1001"
    assert kiosk.screen is kiosk.window.home_screen
    assert kiosk.window.header.user_name.text() == "Rina Wulandari · Operator"


def test_another_badge_switches_user(
    kiosk: KioskDriver, devices: InputDevices, pty: PtyPair, qtbot: QtBot
) -> None:
    pty.write(rdm6300_frame(demo_user("E1001").badge))
    qtbot.waitUntil(lambda: kiosk.window.actor is not None, timeout=WAIT_MS)
    pty.write(rdm6300_frame(demo_user("E1002").badge))
    qtbot.waitUntil(
        lambda: kiosk.window.actor is not None and kiosk.window.actor.employee_no == "E1002",
        timeout=WAIT_MS,
    )


def test_garbage_on_the_serial_port_logs_nobody_in_and_is_counted(
    kiosk: KioskDriver, devices: InputDevices, pty: PtyPair, qtbot: QtBot
) -> None:
    frame = rdm6300_frame(demo_user("E1001").badge)
    pty.write(b"\x02\xff\xfe garbage \x03" + frame[:-3] + b"00\x03" + bytes(range(256)))
    qtbot.waitUntil(lambda: "bad reads" in kiosk.window.health.reader.text(), timeout=WAIT_MS)
    assert kiosk.window.actor is None
    assert kiosk.screen is kiosk.window.login_screen
    # A good frame afterwards still works.
    pty.write(frame)
    qtbot.waitUntil(lambda: kiosk.window.actor is not None, timeout=WAIT_MS)


def test_an_unplugged_reader_shows_on_the_health_strip(
    kiosk: KioskDriver, devices: InputDevices, pty: PtyPair, qtbot: QtBot
) -> None:
    pty.close()
    qtbot.waitUntil(lambda: "reconnecting" in kiosk.window.health.reader.text(), timeout=WAIT_MS)


def test_a_scanner_burst_opens_the_work_order_with_no_field_touched(
    kiosk: KioskDriver, devices: InputDevices, qtbot: QtBot
) -> None:
    kiosk.log_in("E1001", "2468")
    assert kiosk.screen is kiosk.window.home_screen
    handle = kiosk.window.windowHandle()
    # Back to back, as a scanner sends them: a wait between keys could stretch past the
    # burst's 40 ms gap on a loaded machine and make it a person typing.
    for char in "WO-2026-004219":
        QTest.keyClick(handle, char)
    QTest.keyClick(handle, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.screen is kiosk.window.work_order_screen, timeout=WAIT_MS)
    view = kiosk.window.work_order_screen.work_order
    assert view is not None and view.number == "WO-2026-004219"
    assert kiosk.window.sounds.played[-1] is Tone.SUCCESS
    assert "Scanner: seen" in kiosk.window.health.scanner.text()


def test_a_product_barcode_on_the_login_screen_beeps_and_changes_nothing(
    kiosk: KioskDriver, devices: InputDevices, qtbot: QtBot
) -> None:
    handle = kiosk.window.windowHandle()
    for char in "4006381333931":  # back to back, as a scanner sends them
        QTest.keyClick(handle, char)
    QTest.keyClick(handle, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "product barcode" in kiosk.banner_text(), timeout=WAIT_MS)
    assert kiosk.window.actor is None
    assert kiosk.window.sounds.played[-1] is Tone.ERROR


def test_a_work_order_shown_to_the_camera_opens_once(kiosk: KioskDriver, qtbot: QtBot) -> None:
    kiosk.log_in("E1001", "2468")
    label = frame_with(qr_code("WO-2026-004219", scale=6), bgr=True)
    replay = ReplayFrameSource([label], fps=30)  # held in front of the camera
    settings = load_settings(command_line={"camera": "replay"})
    devices = start_input_devices(settings, kiosk.window, camera_source=lambda: replay)
    try:
        qtbot.waitUntil(lambda: kiosk.screen is kiosk.window.work_order_screen, timeout=WAIT_MS)
        view = kiosk.window.work_order_screen.work_order
        assert view is not None and view.number == "WO-2026-004219"
        assert "Camera: on" in kiosk.window.health.camera.text()
        kiosk.window.show_home()
        qtbot.wait(600)  # still held: blanked, not opened again
        assert kiosk.screen is kiosk.window.home_screen
        kiosk.tap(kiosk.window.health.camera)
        assert kiosk.window.camera_panel.isVisible()
        replay.available = False  # unplugged
        qtbot.waitUntil(lambda: "unplugged" in kiosk.window.health.camera.text(), timeout=WAIT_MS)
    finally:
        devices.stop()


def test_a_hard_camera_frame_of_a_work_order_opens_it(kiosk: KioskDriver, qtbot: QtBot) -> None:
    """A work order as a line camera sees it (seed 0 of the hard grade: 2 px per module,
    turned 24 degrees, shadow, blur, noise, JPEG): neither zxing-cpp nor zbar reads the frame,
    the decoder's region attempts do, and the real pipeline and window open the work order.
    """
    kiosk.log_in("E1001", "2468")
    hard = degraded_frame("code128", "hard", np.random.default_rng(0), text="WO-2026-004219")
    frame = cv2.cvtColor(hard.image, cv2.COLOR_GRAY2BGR)
    replay = ReplayFrameSource([frame], fps=30)
    settings = load_settings(command_line={"camera": "replay"})
    devices = start_input_devices(settings, kiosk.window, camera_source=lambda: replay)
    try:
        qtbot.waitUntil(lambda: kiosk.screen is kiosk.window.work_order_screen, timeout=WAIT_MS)
        view = kiosk.window.work_order_screen.work_order
        assert view is not None and view.number == "WO-2026-004219"
    finally:
        devices.stop()
