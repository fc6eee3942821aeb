"""Screens hold still: no control moves when a message or the idle countdown appears or goes.

Real windows at 1280×800 off-screen: every button's place in the window is compared before
and after each kind of message, on the screens a finger works fastest on.
"""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QWidget

from kiosk.ui.main_window import MainWindow
from kiosk.ui.screens.login import LOGGED_OUT_MESSAGE_MS
from kiosk.ui.widgets.banner import ERROR, INFO, MESSAGE_AREA_HEIGHT, SUCCESS, WARNING, Banner
from tests.helpers.site import Site
from tests.ui.driver import KioskDriver

WINDOW = QRect(0, 0, 1280, 800)
HEADLINE = "9999 good is more than this work order allows (306 more)."
HINT = "288 pieces are still open. Check the count; if the target is wrong, ask your supervisor."
MESSAGES = [
    (ERROR, HEADLINE, HINT),
    (WARNING, "Logging out in 9 s.", "Touch the screen to stay logged in."),
    (INFO, "You are logged in already, Rina Wulandari.", ""),
    (SUCCESS, "Recorded 120 good and 0 reject on WO-2026-004217.", ""),
    # Longer than any message the kiosk has: smaller type, never a taller area.
    (ERROR, HEADLINE + " " + HEADLINE, " ".join([HINT] * 3)),
]

Places = dict[QAbstractButton, QRect]


def _settle(qtbot: QtBot) -> None:
    qtbot.wait(30)  # posted layout requests run


def _in_window(widget: QWidget, window: MainWindow) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _controls(window: MainWindow) -> Places:
    """Every button a finger can reach now, with its place in the window."""
    return {
        button: _in_window(button, window)
        for button in window.findChildren(QAbstractButton)
        if button.isVisible() and not isinstance(button.parentWidget(), Banner)
    }


def _assert_whole_window_fits(window: MainWindow) -> None:
    assert window.geometry().size() == WINDOW.size()
    assert window.minimumSizeHint().height() <= WINDOW.height()
    assert WINDOW.contains(_in_window(window.health, window)), "the health strip was pushed off"


def _assert_held_still(qtbot: QtBot, window: MainWindow, show: Callable[[], None]) -> None:
    _settle(qtbot)
    before = _controls(window)
    assert before, "no control on screen to compare"
    show()
    _settle(qtbot)
    assert window.current_banner().message() or window.idle_banner.message()
    assert _controls(window) == before
    _assert_whole_window_fits(window)


def _assert_every_message_holds_still(qtbot: QtBot, window: MainWindow) -> None:
    banner = window.current_banner()
    assert banner is not window.idle_banner, "a screen without its own message area"
    for kind, text, hint in MESSAGES:
        _assert_held_still(
            qtbot, window, lambda k=kind, t=text, h=hint: banner.show_message(k, t, h)
        )
        assert banner.height() == MESSAGE_AREA_HEIGHT
        before = _controls(window)
        banner.clear()
        _settle(qtbot)
        assert _controls(window) == before


def test_login_and_pin_pad_hold_still_with_every_message(kiosk: KioskDriver, qtbot: QtBot) -> None:
    window = kiosk.window
    _assert_every_message_holds_still(qtbot, window)
    kiosk.tap(window.login_screen.tiles["E1001"])
    _assert_every_message_holds_still(qtbot, window)


def test_a_wrong_pin_does_not_move_the_keypad(kiosk: KioskDriver, qtbot: QtBot) -> None:
    window = kiosk.window
    pin_page = window.login_screen.pin_page
    kiosk.tap(window.login_screen.tiles["E1001"])

    def wrong_pin() -> None:
        kiosk.type_digits(pin_page, "1111")
        kiosk.tap(pin_page.confirm_button)

    _assert_held_still(qtbot, window, wrong_pin)
    assert kiosk.banner_text().startswith("Wrong PIN.")


def test_a_refused_quantity_does_not_move_the_record_pad(kiosk: KioskDriver, qtbot: QtBot) -> None:
    window = kiosk.window
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order("WO-2026-004217")
    screen = window.work_order_screen
    _assert_every_message_holds_still(qtbot, window)
    kiosk.tap(screen.command_buttons["RECORD"])
    _assert_every_message_holds_still(qtbot, window)

    def refused() -> None:
        kiosk.type_digits(screen.record_panel, "9999")
        kiosk.tap(screen.record_panel.confirm_button)

    _assert_held_still(qtbot, window, refused)
    assert "more than this work order allows" in kiosk.banner_text()


def test_the_idle_countdown_floats_over_the_message_area(
    kiosk: KioskDriver, site: Site, qtbot: QtBot
) -> None:
    window = kiosk.window
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order("WO-2026-004217")
    screen = window.work_order_screen
    kiosk.tap(screen.command_buttons["RECORD"])
    kiosk.type_digits(screen.record_panel, "99")
    screen.banner.show_message(ERROR, HEADLINE, HINT)  # the countdown covers it, then gives back

    def countdown() -> None:
        site.clock.advance(111)
        qtbot.waitUntil(window.idle_banner.isVisible)

    _assert_held_still(qtbot, window, countdown)
    idle = _in_window(window.idle_banner, window)
    assert idle == _in_window(screen.banner, window)
    assert not any(idle.intersects(place) for place in _controls(window).values())
    before = _controls(window)
    qtbot.mouseClick(window.idle_banner, Qt.MouseButton.LeftButton)  # a touch keeps the session
    _settle(qtbot)
    assert window.idle_banner.isHidden()
    assert window.actor is not None
    assert screen.banner.message().startswith(HEADLINE)
    assert _controls(window) == before


def test_handoff_kanban_supervisor_and_admin_screens_hold_still(
    kiosk: KioskDriver, qtbot: QtBot
) -> None:
    window = kiosk.window
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order("WO-2026-004217")
    kiosk.tap(window.work_order_screen.handoff_button)
    assert kiosk.screen is window.handshake.handoff_screen
    _assert_every_message_holds_still(qtbot, window)
    kiosk.tap(window.header.home_button)
    kiosk.tap(window.home_screen.kanban_button)
    assert kiosk.screen is window.kanban.board_screen
    _assert_every_message_holds_still(qtbot, window)
    kiosk.tap(window.header.logout_button)
    kiosk.log_in("E5002", "606060")
    kiosk.tap(window.header.supervisor_button)
    assert kiosk.screen is window.supervisor_screen
    _assert_every_message_holds_still(qtbot, window)
    kiosk.tap(window.header.logout_button)
    kiosk.log_in("E9001", "999999")
    kiosk.tap(window.header.admin_button)
    assert kiosk.screen is window.admin_screen
    _assert_every_message_holds_still(qtbot, window)


def test_a_message_is_gone_at_logout_and_never_shown_to_the_next_person(
    kiosk: KioskDriver, qtbot: QtBot
) -> None:
    window = kiosk.window
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order("WO-2026-004217")
    screen = window.work_order_screen
    kiosk.tap(screen.command_buttons["RECORD"])
    kiosk.type_digits(screen.record_panel, "9999")
    kiosk.tap(screen.record_panel.confirm_button)
    assert "more than this work order allows" in kiosk.banner_text()
    window.home_screen.banner.show_message(WARNING, "Rina's warning.", "Rina's hint.")
    kiosk.tap(window.header.logout_button)
    assert kiosk.banner_text() == ""
    # Someone typed a wrong PIN on the login screen and walked away; Budi logs in.
    kiosk.tap(window.login_screen.tiles["E1001"])
    kiosk.type_digits(window.login_screen.pin_page, "1111")
    kiosk.tap(window.login_screen.pin_page.confirm_button)
    assert kiosk.banner_text().startswith("Wrong PIN.")
    kiosk.tap(window.login_screen.pin_page.back_button)
    kiosk.log_in("E1002", "1357")
    assert kiosk.screen is window.home_screen
    kiosk.open_work_order("WO-2026-004217")
    shown = [
        window.stack.widget(index).banner.message()  # type: ignore[attr-defined]
        for index in range(window.stack.count())
    ]
    assert shown == [""] * window.stack.count()
    assert window.idle_banner.message() == ""


def test_every_screen_of_the_kiosk_keeps_its_room_for_messages(
    kiosk: KioskDriver, qtbot: QtBot
) -> None:
    """Each screen in the stack, as built: a message takes the kept area and moves nothing."""
    window = kiosk.window
    kiosk.log_in("E9001", "999999")
    for index in range(window.stack.count()):
        screen = window.stack.widget(index)
        window.stack.setCurrentWidget(screen)
        _settle(qtbot)
        banner = window.current_banner()
        assert banner is not window.idle_banner, f"{type(screen).__name__} has no message area"
        for kind, text, hint in MESSAGES:
            before = _controls(window)
            banner.show_message(kind, text, hint)
            _settle(qtbot)
            assert _controls(window) == before, type(screen).__name__
            assert banner.height() == MESSAGE_AREA_HEIGHT
            _assert_whole_window_fits(window)
            banner.clear()


def test_a_message_on_the_login_screen_goes_by_itself(kiosk: KioskDriver, qtbot: QtBot) -> None:
    """Someone typed a wrong PIN and walked away: the next person does not find it a while later."""
    login = kiosk.window.login_screen
    assert login.banner.longest_visible_ms == LOGGED_OUT_MESSAGE_MS
    login.banner.longest_visible_ms = 200  # the same rule, on a test's time scale
    kiosk.tap(login.tiles["E1001"])
    kiosk.type_digits(login.pin_page, "1111")
    kiosk.tap(login.pin_page.confirm_button)
    assert kiosk.banner_text().startswith("Wrong PIN.")
    qtbot.waitUntil(lambda: kiosk.banner_text() == "", timeout=3000)
    assert login.banner.height() == MESSAGE_AREA_HEIGHT  # its room stays
