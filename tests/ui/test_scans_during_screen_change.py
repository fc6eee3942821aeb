"""A scan that comes while the screen is about to change is kept for the screen that follows.

In the issue, two bursts right after a PIN login were judged on the PIN screen (the login
was still being checked on the worker thread), refused there, and the refusal dropped
because the session had changed by then: nothing happened until the screen was tapped.
Here the PIN check waits, on the real worker thread, until the test lets it go.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication

from kiosk.input_devices import InputDevices, start_input_devices
from kiosk.settings import load_settings
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.main_window import MainWindow
from kiosk.ui.scan_router import MAX_SETTLE_WAIT_SECONDS, ScanRouter
from kiosk.ui.sounds import Tone
from kiosk.ui.tasks import ThreadTaskRunner
from tests.helpers.fakes import FakeClock
from tests.helpers.keys import ENTER, key_press
from tests.helpers.site import Site
from tests.ui.conftest import close_window
from tests.ui.driver import KioskDriver

WAIT_MS = 10_000


@dataclass
class SlowPinCheck:
    """`auth.login_with_pin` that waits on the worker thread until the test lets it go."""

    entered: threading.Event
    release: threading.Event


@pytest.fixture
def kiosk_with_scanner(
    qtbot: QtBot, qapp: object, site: Site
) -> Iterator[tuple[KioskDriver, SlowPinCheck]]:
    services = site.services()
    slow = SlowPinCheck(threading.Event(), threading.Event())
    original = services.auth.login_with_pin

    def login_with_pin(*args: Any, **kwargs: Any) -> Any:
        slow.entered.set()
        if not slow.release.wait(WAIT_MS / 1000):
            raise TimeoutError("the test never let the PIN check go")
        return original(*args, **kwargs)

    object.__setattr__(services.auth, "login_with_pin", login_with_pin)
    window = MainWindow(services, ThreadTaskRunner(), TimeFormatter("UTC"))
    qtbot.addWidget(window, before_close_func=lambda widget: widget.shut_down())
    window.resize(1280, 800)
    window.start()
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: len(window.login_screen.tiles) == 3, timeout=WAIT_MS)
    devices: InputDevices = start_input_devices(load_settings(), window)
    yield KioskDriver(window, qtbot), slow
    slow.release.set()
    devices.stop()
    close_window(qtbot, window)


def _scan(window: MainWindow, code: str, stamp_ms: int) -> int:
    """A scanner's burst into the window, keys stamped 5 ms apart, sent back to back."""
    handle = window.windowHandle()
    for char in code + ENTER:
        stamp_ms += 5
        QApplication.sendEvent(handle, key_press(char, stamp_ms))
    return stamp_ms + 300


def test_bursts_during_a_pin_login_are_handled_on_the_screen_that_follows(
    kiosk_with_scanner: tuple[KioskDriver, SlowPinCheck], qtbot: QtBot
) -> None:
    driver, slow = kiosk_with_scanner
    window = driver.window
    opened: list[str] = []
    original_show = window.work_order_screen.show_work_order

    def show_work_order(view: Any) -> None:
        original_show(view)
        opened.append(view.number)

    window.work_order_screen.show_work_order = show_work_order  # type: ignore[method-assign]
    driver.log_in("E1001", "2468")
    assert slow.entered.wait(WAIT_MS / 1000)
    stamp = _scan(window, "WO-2026-004219", 1_000_000)
    _scan(window, "WO-2026-004218", stamp)
    qtbot.wait(50)
    assert window.actor is None  # still checking the PIN: the scans wait
    assert "Scanner: seen" in window.health.scanner.text()

    slow.release.set()
    qtbot.waitUntil(lambda: opened == ["WO-2026-004219", "WO-2026-004218"], timeout=WAIT_MS)
    assert window.actor is not None and window.actor.employee_no == "E1001"
    assert driver.screen is window.work_order_screen
    assert Tone.ERROR not in window.sounds.played


def test_a_burst_during_a_refused_pin_is_judged_on_the_pin_screen_and_said_so(
    kiosk_with_scanner: tuple[KioskDriver, SlowPinCheck], qtbot: QtBot
) -> None:
    driver, slow = kiosk_with_scanner
    window = driver.window
    driver.log_in("E1001", "1111")  # a wrong PIN
    assert slow.entered.wait(WAIT_MS / 1000)
    _scan(window, "WO-2026-004219", 1_000_000)

    slow.release.set()
    qtbot.waitUntil(lambda: Tone.ERROR in window.sounds.played, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.runner.is_busy, timeout=WAIT_MS)
    assert window.actor is None
    assert driver.screen is window.login_screen
    assert driver.banner_text().startswith("Log in first, then scan it.")


def test_a_scan_waits_no_longer_than_the_limit_for_a_screen_that_does_not_settle(
    qtbot: QtBot, qapp: object
) -> None:
    clock = FakeClock()
    handled: list[str] = []
    router = ScanRouter(
        lambda payload: handled.append(payload.value),
        monotonic=clock.monotonic,
        is_settling=lambda: True,  # a service call that never ends
    )
    router.submit_scanner_text("WO-2026-004219")
    router.submit_scanner_text("WO-2026-004218")
    qtbot.wait(30)
    assert handled == []

    clock.advance(MAX_SETTLE_WAIT_SECONDS)
    qtbot.waitUntil(lambda: handled == ["WO-2026-004219", "WO-2026-004218"], timeout=1000)
