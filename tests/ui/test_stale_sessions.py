"""A result that arrives after its session ended is dropped, never shown to the next person.

The service call is made slow by waiting on an event inside the real service method,
on the real worker thread (`ThreadTaskRunner`); what the service committed stays
committed, only its display is dropped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kiosk.services.container import KioskServices
from kiosk.store.models import ProductionEntryRow
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.main_window import MainWindow
from kiosk.ui.tasks import ImmediateTaskRunner, Job, OnDone, OnError, ThreadTaskRunner
from tests.helpers.site import Site
from tests.ui.conftest import close_window
from tests.ui.driver import KioskDriver

WAIT_MS = 10_000
WORK_ORDER = "WO-2026-004217"


@dataclass
class SlowRecord:
    """`work_orders.record` that waits, on the worker thread, until the test lets it go."""

    entered: threading.Event
    release: threading.Event

    @classmethod
    def install(cls, services: KioskServices) -> SlowRecord:
        slow = cls(threading.Event(), threading.Event())
        original = services.work_orders.record

        def record(*args: Any, **kwargs: Any) -> Any:
            slow.entered.set()
            if not slow.release.wait(WAIT_MS / 1000):
                raise TimeoutError("the test never released the slow record")
            return original(*args, **kwargs)

        object.__setattr__(services.work_orders, "record", record)
        return slow


@pytest.fixture
def threaded(qtbot: QtBot, qapp: object, site: Site) -> Iterator[tuple[KioskDriver, SlowRecord]]:
    """The real window on the real worker thread, with a slow `record`."""
    services = site.services()
    slow = SlowRecord.install(services)
    window = MainWindow(services, ThreadTaskRunner(), TimeFormatter("UTC"))
    qtbot.addWidget(window, before_close_func=lambda widget: widget.shut_down())
    window.resize(1280, 800)
    window.start()
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: len(window.login_screen.tiles) == 3, timeout=WAIT_MS)
    yield KioskDriver(window, qtbot), slow
    slow.release.set()
    close_window(qtbot, window)


def _log_in(driver: KioskDriver, employee_no: str, pin: str) -> None:
    window = driver.window
    driver.log_in(employee_no, pin)
    driver.qtbot.waitUntil(
        lambda: window.actor is not None and window.actor.employee_no == employee_no,
        timeout=WAIT_MS,
    )
    driver.qtbot.waitUntil(lambda: not window.runner.is_busy, timeout=WAIT_MS)


def _start_slow_record(driver: KioskDriver, slow: SlowRecord) -> None:
    """Open the work order and confirm 10 good: the record waits on the worker thread."""
    window = driver.window
    driver.qtbot.waitUntil(lambda: WORK_ORDER in window.home_screen.rows, timeout=WAIT_MS)
    driver.open_work_order(WORK_ORDER)
    driver.qtbot.waitUntil(lambda: driver.screen is window.work_order_screen, timeout=WAIT_MS)
    driver.record("10")
    driver.qtbot.waitUntil(slow.entered.is_set, timeout=WAIT_MS)


def _shown_texts(window: MainWindow) -> list[str]:
    banners = [window.current_banner(), window.work_order_screen.banner, window.idle_banner]
    return [banner.message() for banner in banners]


def test_a_result_arriving_after_logout_is_dropped(
    threaded: tuple[KioskDriver, SlowRecord],
    site: Site,
    qtbot: QtBot,
    caplog: pytest.LogCaptureFixture,
) -> None:
    driver, slow = threaded
    window = driver.window
    _log_in(driver, "E1001", "2468")
    entries = site.count(ProductionEntryRow)
    _start_slow_record(driver, slow)
    driver.tap(window.header.logout_button)
    assert driver.screen is window.login_screen
    with caplog.at_level(logging.INFO, logger="kiosk.ui.main_window"):
        slow.release.set()
        qtbot.waitUntil(lambda: not window.runner.is_busy, timeout=WAIT_MS)
    assert site.count(ProductionEntryRow) == entries + 1  # committed all the same
    assert driver.screen is window.login_screen
    assert window.actor is None
    assert not any("Recorded" in text for text in _shown_texts(window))
    assert not window.overlay.isVisible()
    assert any(r.message.startswith("dropped for an ended session") for r in caplog.records)


def test_a_new_person_who_logs_in_before_the_old_result_arrives_never_sees_it(
    threaded: tuple[KioskDriver, SlowRecord], site: Site, qtbot: QtBot
) -> None:
    driver, slow = threaded
    window = driver.window
    _log_in(driver, "E1001", "2468")
    entries = site.count(ProductionEntryRow)
    _start_slow_record(driver, slow)
    site.clock.advance(121)  # the idle timeout ends Rina's session
    qtbot.waitUntil(lambda: window.actor is None, timeout=WAIT_MS)
    assert driver.screen is window.login_screen
    # The next person taps the tile and types the PIN while the old record still waits;
    # the worker takes one job at a time, so the login runs once the record is done.
    driver.log_in("E1002", "1357")
    slow.release.set()
    qtbot.waitUntil(lambda: window.actor is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.runner.is_busy, timeout=WAIT_MS)
    assert site.count(ProductionEntryRow) == entries + 1
    assert window.actor is not None and window.actor.employee_no == "E1002"
    assert driver.screen is window.home_screen
    assert not any("Recorded" in text for text in _shown_texts(window))


class HoldingRunner:
    """Runs jobs at once, except those started while `holding`: the test releases them later.

    With one worker, a result cannot overtake the next login's; this runner lets the old
    result arrive while the next person is already logged in.
    """

    def __init__(self) -> None:
        self.holding = False
        self.held: list[tuple[Job, OnDone, OnError]] = []
        self._now = ImmediateTaskRunner()

    is_busy = False

    def run(self, job: Job, on_done: OnDone, on_error: OnError) -> None:
        if self.holding:
            self.held.append((job, on_done, on_error))
        else:
            self._now.run(job, on_done, on_error)

    def release_all(self) -> None:
        held, self.held = self.held, []
        for job, on_done, on_error in held:
            self._now.run(job, on_done, on_error)

    def shutdown(self) -> None:
        return None


def test_an_old_result_arriving_in_the_next_persons_session_is_dropped(
    qtbot: QtBot, qapp: object, site: Site
) -> None:
    runner = HoldingRunner()
    window = MainWindow(site.services(), runner, TimeFormatter("UTC"))
    qtbot.addWidget(window, before_close_func=lambda widget: widget.shut_down())
    window.start()
    window.show()
    driver = KioskDriver(window, qtbot)
    driver.log_in("E1001", "2468")
    driver.open_work_order(WORK_ORDER)
    entries = site.count(ProductionEntryRow)
    runner.holding = True
    driver.record("10")
    runner.holding = False
    assert len(runner.held) == 1
    driver.tap(window.header.logout_button)
    driver.log_in("E1002", "1357")
    assert window.actor is not None and window.actor.employee_no == "E1002"
    assert window.current_screen() is window.home_screen
    runner.release_all()
    assert site.count(ProductionEntryRow) == entries + 1
    assert window.current_screen() is window.home_screen
    assert not any("Recorded" in text for text in _shown_texts(window))
    window.shut_down()
