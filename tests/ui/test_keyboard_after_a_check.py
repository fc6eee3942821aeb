"""A hardware keyboard (a department desktop's, a USB keypad) types where the person was
typing, before and after the kiosk checked something off the GUI thread: a check disables the
screen's part while it runs, and the keys must not go nowhere afterwards.

Keys go to the widget with the keyboard focus, as a real keyboard's do.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.demo import demo_user
from tests.ui.driver import KioskDriver

RINA = demo_user("E1001")


def _type_on_the_keyboard(kiosk: KioskDriver, text: str) -> None:
    for character in text:
        focused = QApplication.focusWidget()
        assert focused is not None, "the keys go nowhere: no widget has the keyboard focus"
        kiosk.qtbot.keyClicks(focused, character)
    focused = QApplication.focusWidget()
    assert focused is not None, "Enter goes nowhere: no widget has the keyboard focus"
    kiosk.qtbot.keyClick(focused, Qt.Key.Key_Return)


def test_after_a_wrong_pin_the_keyboard_types_the_pin_again(kiosk: KioskDriver) -> None:
    login = kiosk.window.login_screen
    kiosk.tap(login.tiles[RINA.employee_no])
    _type_on_the_keyboard(kiosk, "1234")
    kiosk.qtbot.waitUntil(lambda: kiosk.banner_text().startswith("Wrong PIN."), timeout=5000)
    kiosk.qtbot.waitUntil(login.pin_page.isEnabled, timeout=5000)
    assert login.pin_page.value() == ""

    _type_on_the_keyboard(kiosk, RINA.pin)

    kiosk.qtbot.waitUntil(
        lambda: kiosk.window.header.user_name.text() == "Rina Wulandari · Operator", timeout=5000
    )
    # The PIN pad is gone from the screen: the focus is not given back to it.
    assert QApplication.focusWidget() is not login.pin_page
