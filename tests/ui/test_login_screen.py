"""Logging in on the real login screen: tiles, PIN pad, employee number, lockout."""

from __future__ import annotations

from kiosk.store.models import Alert
from tests.helpers.pins import drop_badge
from tests.helpers.site import Site
from tests.ui.driver import KioskDriver


def test_the_roster_shows_this_lines_people_as_tiles(kiosk: KioskDriver) -> None:
    tiles = kiosk.window.login_screen.tiles
    assert list(tiles) == ["E1002", "E1001", "E5002"]
    assert tiles["E1001"].text() == "Rina Wulandari\nE1001 · Operator"
    assert all(tile.height() >= 64 and tile.width() >= 64 for tile in tiles.values())


def test_log_in_with_the_pin_pad(kiosk: KioskDriver) -> None:
    login = kiosk.window.login_screen
    kiosk.tap(login.tiles["E1001"])
    assert login.pin_page.title.text() == "Rina Wulandari, type your PIN"
    kiosk.type_digits(login.pin_page, "2468")
    assert login.pin_page.display.text() == "●●●●"
    kiosk.tap(login.pin_page.confirm_button)
    assert kiosk.screen is kiosk.window.home_screen
    assert kiosk.window.header.user_name.text() == "Rina Wulandari · Operator"
    assert kiosk.window.home_screen.order[0] == "WO-2026-004217"


def test_backspace_and_clear_edit_the_pin(kiosk: KioskDriver) -> None:
    page = kiosk.window.login_screen.pin_page
    kiosk.tap(kiosk.window.login_screen.tiles["E1001"])
    kiosk.type_digits(page, "2469")
    kiosk.tap(page.keypad.buttons["back"])
    kiosk.type_digits(page, "8")
    assert page.value() == "2468"
    kiosk.tap(page.keypad.buttons["clear"])
    assert page.value() == ""


def test_a_wrong_pin_says_so_and_what_to_do(kiosk: KioskDriver, site: Site) -> None:
    kiosk.log_in("E1001", "1111")
    assert kiosk.screen is kiosk.window.login_screen
    # Rina logs in by badge: wrong PINs never lock her, so no count of tries is shown.
    assert kiosk.banner_text() == "Wrong PIN. Type your PIN again, or tap your badge on the reader."
    assert kiosk.window.login_screen.pin_page.value() == ""
    drop_badge(site.database, "E1002")  # Budi has only his PIN: it locks
    kiosk.tap(kiosk.window.login_screen.pin_page.back_button)
    kiosk.log_in("E1002", "1111")
    assert kiosk.banner_text() == "Wrong PIN. 4 tries left before the account is locked."


def test_five_wrong_pins_give_the_locked_message(kiosk: KioskDriver, site: Site) -> None:
    drop_badge(site.database, "E1002")  # someone without a badge is still locked
    login = kiosk.window.login_screen
    kiosk.type_wrong_pins("E1002", 5, site.clock)
    assert kiosk.banner_text().startswith("Too many wrong PINs: account locked until 06:30.")
    assert "Ask a supervisor or admin to unlock it." in kiosk.banner_text()
    assert login.pages.currentWidget() is login.roster_page
    assert "LOCKED" in login.tiles["E1002"].text()
    assert site.count(Alert) == 1  # the lock's alert (the PIN pad's wait adds none for him)
    # The right PIN does not get in while locked.
    kiosk.log_in("E1002", "1357")
    assert kiosk.banner_text().startswith("This account is locked until 06:30.")
    assert kiosk.screen is login


def test_someone_not_on_the_roster_types_their_employee_number(kiosk: KioskDriver) -> None:
    login = kiosk.window.login_screen
    kiosk.tap(login.other_employee_button)
    kiosk.type_digits(login.number_page, "4001")
    assert login.number_page.display.text() == "4001"
    kiosk.tap(login.number_page.confirm_button)
    assert login.pin_page.title.text() == "Maya Kusuma, type your PIN"
    kiosk.type_digits(login.pin_page, "2718")
    kiosk.tap(login.pin_page.confirm_button)
    assert kiosk.window.header.user_name.text() == "Maya Kusuma · QC inspector"


def test_an_admins_pin_alone_does_not_log_in_on_a_line_kiosk(
    kiosk: KioskDriver, site: Site
) -> None:
    login = kiosk.window.login_screen
    kiosk.tap(login.other_employee_button)
    kiosk.type_digits(login.number_page, "9001")
    kiosk.tap(login.number_page.confirm_button)
    # No PIN pad: the kiosk asks for the badge first, in words.
    assert login.pages.currentWidget() is login.roster_page
    assert kiosk.banner_text().startswith("Andi Firmansyah logs in here with badge and PIN.")
    assert "Tap your badge on the reader first" in kiosk.banner_text()
    # Nor does a supervisor's tile open a PIN pad.
    kiosk.tap(login.tiles["E5002"])
    assert login.pages.currentWidget() is login.roster_page
    assert kiosk.window.actor is None
    # The badge, then the six-digit PIN: in.
    kiosk.log_in("E9001", "999999")
    assert kiosk.window.header.user_name.text() == "Andi Firmansyah · Admin"


def test_an_unknown_employee_number_is_told_plainly(kiosk: KioskDriver, site: Site) -> None:
    login = kiosk.window.login_screen
    kiosk.tap(login.other_employee_button)
    kiosk.type_digits(login.number_page, "4242")
    kiosk.tap(login.number_page.confirm_button)
    assert kiosk.banner_text() == (
        "This employee number is not known. Check the number on your badge, or ask your supervisor."
    )
    assert login.pages.currentWidget() is login.number_page
    assert site.audit_outcomes()[-1] == ("session.login", "refused:auth.unknown_employee")


def test_an_operator_of_another_line_is_sent_to_their_own_kiosk(kiosk: KioskDriver) -> None:
    login = kiosk.window.login_screen
    kiosk.tap(login.other_employee_button)
    kiosk.type_digits(login.number_page, "2001")
    kiosk.tap(login.number_page.confirm_button)
    kiosk.type_digits(login.pin_page, "8642")
    kiosk.tap(login.pin_page.confirm_button)
    assert kiosk.banner_text() == (
        "E2001 is not assigned to line CUT-L02. Log in at your own line's kiosk, "
        "or ask your supervisor to assign you here."
    )
    assert kiosk.screen is login
