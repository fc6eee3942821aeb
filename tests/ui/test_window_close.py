"""The kiosk window on the floor ignores close requests; only an admin closes the program.

Real widgets off-screen. `windowHandle().close()` goes through the platform window as a
window manager's close (the X button, Alt+F4) does; `close()` is the program's own call.
"""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kiosk.ui.main_window import MainWindow
from tests.helpers.site import Site
from tests.ui.conftest import open_window
from tests.ui.driver import KioskDriver


def _close_requests(window: MainWindow) -> None:
    """Both ways a close can be asked for: the window manager's and a plain close()."""
    handle = window.windowHandle()
    assert handle is not None
    handle.close()
    window.close()


def test_a_close_request_on_the_login_screen_leaves_the_kiosk_up(
    kiosk: KioskDriver, qtbot: QtBot
) -> None:
    _close_requests(kiosk.window)
    qtbot.wait(20)
    assert kiosk.window.isVisible()
    assert kiosk.screen is kiosk.window.login_screen
    assert "Only an admin can close it" in kiosk.window.current_banner().message()
    kiosk.log_in("E1001", "2468")  # the next operator logs in as usual
    assert kiosk.window.actor is not None


def test_a_close_request_in_an_operators_session_changes_nothing(
    kiosk: KioskDriver, site: Site, qtbot: QtBot
) -> None:
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order("WO-2026-004217")
    outbox = site.outbox_kinds()
    _close_requests(kiosk.window)
    qtbot.wait(20)
    assert kiosk.window.isVisible()
    assert kiosk.screen is kiosk.window.work_order_screen
    assert kiosk.window.actor is not None and kiosk.window.actor.employee_no == "E1001"
    assert site.outbox_kinds() == outbox  # no logout, no session ended
    kiosk.record("5")  # and she goes on working
    assert site.outbox_kinds()[-1] == "production.recorded"


def test_a_supervisor_cannot_close_it_either_but_the_admin_can(
    kiosk: KioskDriver, site: Site, qtbot: QtBot
) -> None:
    kiosk.log_in("E5002", "606060")
    _close_requests(kiosk.window)
    qtbot.wait(20)
    assert kiosk.window.isVisible()
    kiosk.tap(kiosk.window.header.logout_button)
    kiosk.log_in("E9001", "999999")  # badge and PIN, as an admin on a line kiosk
    kiosk.tap(kiosk.window.header.admin_button)
    kiosk.tap(kiosk.window.admin_screen.quit_button)
    kiosk.tap(kiosk.window.overlay.buttons["quit"])
    assert not kiosk.window.isVisible()
    assert site.outbox_kinds()[-1] == "session.ended"


def test_a_windowed_desktop_closes_like_any_program(qtbot: QtBot, qapp: object, site: Site) -> None:
    window = open_window(qtbot, qapp, site, closable=True)
    handle = window.windowHandle()
    assert handle is not None
    handle.close()
    qtbot.waitUntil(lambda: not window.isVisible())
