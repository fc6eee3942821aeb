"""An unexpected error is shown as "not recorded" and logged; the real worker thread works."""

from __future__ import annotations

import logging

import pytest
from pytestqt.qtbot import QtBot

from kiosk.store.models import ProductionEntryRow
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.main_window import MainWindow
from kiosk.ui.tasks import ThreadTaskRunner
from tests.helpers.site import Site
from tests.ui.driver import KioskDriver


def test_an_unexpected_failure_says_not_recorded_and_logs_the_traceback(
    kiosk: KioskDriver, site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order("WO-2026-004217")
    entries = site.count(ProductionEntryRow)
    with site.raw() as raw:  # the disk refuses the write, as a full disk would
        raw.execute(
            "CREATE TRIGGER broken BEFORE INSERT ON outbox_event "
            "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
        )
    with caplog.at_level(logging.ERROR, logger="kiosk.ui.main_window"):
        kiosk.record("10")
    overlay = kiosk.window.overlay
    assert overlay.isVisible()
    assert overlay.title.text() == "Something went wrong. The action was not recorded."
    assert "tell your supervisor (reference " in overlay.text.text()
    [record] = [r for r in caplog.records if r.message.startswith("unexpected error")]
    assert record.exc_info is not None
    assert "disk I/O error" in str(record.exc_info[1])
    assert site.count(ProductionEntryRow) == entries
    kiosk.tap(overlay.buttons["ok"])
    assert not overlay.isVisible()
    # The typed value is still there to try again.
    assert kiosk.window.work_order_screen.record_panel.draft_fields()["good"] == "10"


def test_service_calls_run_off_the_gui_thread(qtbot: QtBot, qapp: object, site: Site) -> None:
    import threading

    threads: list[str] = []
    services = site.services()
    original = services.auth.login_with_pin

    def spy(*args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread().name)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    object.__setattr__(services.auth, "login_with_pin", spy)
    runner = ThreadTaskRunner()
    window = MainWindow(services, runner, TimeFormatter("UTC"))
    qtbot.addWidget(window, before_close_func=lambda widget: widget.shut_down())
    window.start()
    window.show()
    qtbot.waitUntil(lambda: len(window.login_screen.tiles) == 3)
    driver = KioskDriver(window, qtbot)
    driver.log_in("E1001", "2468")
    qtbot.waitUntil(lambda: window.current_screen() is window.home_screen, timeout=5000)
    qtbot.waitUntil(lambda: bool(window.home_screen.order))
    assert threads and threads[0] != threading.main_thread().name
    window.shut_down()
