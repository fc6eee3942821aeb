"""The PIN pad's wait on the real login screen: a countdown in words, a pad that takes nothing.

Rina (E1001) logs in by badge on CUT-L02: wrong PINs on her tile never lock her, they make
the pad wait 5 s, then 10, 20, ... The fake clock runs the wait; the screen's own timer
reads it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.demo import demo_user
from tests.helpers.site import Site
from tests.ui.driver import KioskDriver

RINA = demo_user("E1001")


def _wait_for_words(kiosk: KioskDriver, text: str) -> None:
    kiosk.qtbot.waitUntil(lambda: kiosk.banner_text() == text, timeout=3000)


def test_the_wait_is_counted_down_in_words_and_the_pad_takes_nothing_until_it_passes(
    kiosk: KioskDriver, site: Site
) -> None:
    login = kiosk.window.login_screen
    pad = login.pin_page
    kiosk.type_wrong_pins(RINA.employee_no, 3, site.clock)
    assert kiosk.banner_text() == "Wrong PIN. Wait 5 s before trying again."
    assert not pad.keypad.isEnabled() and not pad.confirm_button.isEnabled()
    assert pad.back_button.isEnabled()  # another tile, or the badge, is still open to her
    audit_before = site.audit_outcomes()
    # Taps on the keys, typed digits and Enter: nothing is taken, nothing is tried.
    kiosk.qtbot.mouseClick(pad.keypad.buttons["2"], Qt.MouseButton.LeftButton)
    kiosk.qtbot.keyClicks(pad, "2468")
    kiosk.qtbot.keyClick(pad, Qt.Key.Key_Return)
    assert pad.value() == ""
    assert site.audit_outcomes() == audit_before
    site.clock.advance(3)
    _wait_for_words(kiosk, "Wrong PIN. Wait 2 s before trying again.")
    assert not pad.keypad.isEnabled()
    site.clock.advance(2)
    kiosk.qtbot.waitUntil(pad.keypad.isEnabled, timeout=3000)
    assert pad.confirm_button.isEnabled()
    assert kiosk.banner_text() == ""
    kiosk.type_digits(pad, RINA.pin)
    kiosk.tap(pad.confirm_button)
    assert kiosk.window.header.user_name.text() == "Rina Wulandari · Operator"


def test_her_tile_opened_again_shows_the_wait_at_once_and_her_badge_still_logs_her_in(
    kiosk: KioskDriver, site: Site
) -> None:
    login = kiosk.window.login_screen
    kiosk.type_wrong_pins(RINA.employee_no, 4, site.clock)
    kiosk.tap(login.pin_page.back_button)
    assert kiosk.banner_text() == ""
    kiosk.tap(login.tiles[RINA.employee_no])
    assert kiosk.banner_text() == "Too many wrong PINs here. Wait 10 s before trying again."
    assert not login.pin_page.keypad.isEnabled()
    kiosk.window.scan_router.submit_badge(RINA.badge)
    kiosk.qtbot.waitUntil(lambda: kiosk.screen is kiosk.window.home_screen, timeout=3000)
    assert kiosk.window.header.user_name.text() == "Rina Wulandari · Operator"
