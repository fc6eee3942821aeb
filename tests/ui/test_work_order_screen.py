"""Start, record and complete a work order on the real screens; refusals shown in two parts."""

from __future__ import annotations

from kiosk.domain.work_order import WorkOrderStatus
from kiosk.store.models import ProductionEntryRow
from tests.helpers.site import Site
from tests.ui.driver import KioskDriver

READY = "WO-2026-004219"


def test_start_record_and_complete_a_work_order(kiosk: KioskDriver, site: Site) -> None:
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order(READY)
    screen = kiosk.window.work_order_screen
    assert kiosk.screen is screen
    assert screen.number_label.text() == READY
    assert not screen.command_buttons["RECORD"].isEnabled()
    kiosk.tap(screen.command_buttons["START"])
    kiosk.tap(kiosk.window.overlay.buttons["yes"])  # WO-2026-004217 runs here too
    assert kiosk.banner_text() == f"{READY} started."
    assert screen.status_label.text() == "▶ Running"
    target = site.work_order(READY).target_qty
    kiosk.record(str(target - 20), "6", "FABRIC_FLAW")
    assert kiosk.banner_text() == f"Recorded {target - 20} good and 6 reject on {READY}."
    assert screen.good_value.text() == str(target - 20)
    assert screen.open_value.text() == "20"
    kiosk.record("20")
    kiosk.tap(screen.command_buttons["COMPLETE"])
    assert kiosk.banner_text() == f"{READY} completed."
    stored = site.work_order(READY)
    assert (stored.status, stored.good_qty, stored.reject_qty) == (
        WorkOrderStatus.COMPLETED,
        target,
        6,
    )
    assert not any(button.isEnabled() for button in screen.command_buttons.values())


def test_completing_short_asks_first(kiosk: KioskDriver, site: Site) -> None:
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order("WO-2026-004217")
    kiosk.tap(kiosk.window.work_order_screen.command_buttons["COMPLETE"])
    overlay = kiosk.window.overlay
    assert overlay.isVisible()
    assert overlay.title.text() == "Complete WO-2026-004217?"
    kiosk.tap(overlay.buttons["no"])
    assert site.work_order("WO-2026-004217").status is WorkOrderStatus.IN_PROGRESS
    kiosk.tap(kiosk.window.work_order_screen.command_buttons["COMPLETE"])
    kiosk.tap(overlay.buttons["yes"])
    assert site.work_order("WO-2026-004217").status is WorkOrderStatus.COMPLETED


def test_an_absurd_quantity_is_refused_and_the_typed_value_kept(
    kiosk: KioskDriver, site: Site
) -> None:
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order("WO-2026-004217")
    entries = site.count(ProductionEntryRow)
    kiosk.record("9999999")
    assert kiosk.banner_text() == (
        "9999999 pieces is not a plausible quantity (at most 100000 at once). "
        "Check the count and type it again."
    )
    panel = kiosk.window.work_order_screen.record_panel
    assert kiosk.window.work_order_screen.is_recording()
    assert panel.draft_fields()["good"] == "9999999"
    assert site.count(ProductionEntryRow) == entries


def test_rejects_without_a_reason_ask_for_one(kiosk: KioskDriver) -> None:
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order("WO-2026-004217")
    kiosk.record("10", "2")
    assert kiosk.banner_text() == (
        "Rejected pieces need a reason. Tap the reason that fits best, then Confirm."
    )
    panel = kiosk.window.work_order_screen.record_panel
    kiosk.tap(panel.reason_buttons["STAIN"])
    kiosk.tap(panel.confirm_button)
    assert kiosk.banner_text() == "Recorded 10 good and 2 reject on WO-2026-004217."


def test_a_work_order_of_another_line_gets_a_two_part_message(kiosk: KioskDriver) -> None:
    kiosk.log_in("E1001", "2468")
    home = kiosk.window.home_screen
    kiosk.tap(home.find_button)
    kiosk.type_digits(home.find_page, "4229")
    kiosk.tap(home.find_page.confirm_button)
    assert kiosk.screen is home
    assert kiosk.banner_text() == (
        "WO-2026-004229 belongs to line SEW-L03, not to CUT-L02. "
        "Only this line's work orders can be opened here. Take the SPK to line SEW-L03."
    )


def test_finding_a_work_order_by_its_last_digits_opens_it(kiosk: KioskDriver) -> None:
    kiosk.log_in("E1001", "2468")
    home = kiosk.window.home_screen
    kiosk.tap(home.find_button)
    kiosk.type_digits(home.find_page, "4218")
    kiosk.tap(home.find_page.confirm_button)
    assert kiosk.window.work_order_screen.number_label.text() == "WO-2026-004218"
    assert kiosk.window.work_order_screen.command_buttons["RESUME"].isEnabled()


def test_buttons_are_big_enough_for_gloves(kiosk: KioskDriver) -> None:
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order("WO-2026-004217")
    screen = kiosk.window.work_order_screen
    buttons = [*screen.command_buttons.values(), screen.back_button]
    kiosk.tap(screen.command_buttons["RECORD"])
    panel = screen.record_panel
    buttons += [*panel.keypad.buttons.values(), *panel.reason_buttons.values()]
    buttons += [panel.confirm_button, panel.cancel_button]
    too_small = [b.text() for b in buttons if b.isVisible() and b.height() < 64]
    assert too_small == []


def test_the_header_shows_the_line_status(kiosk: KioskDriver) -> None:
    assert kiosk.window.header.line_status.text() == (
        "Cutting line 2 · ▶ Running WO-2026-004217 · line clear"
    )
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order("WO-2026-004217")
    kiosk.tap(kiosk.window.work_order_screen.command_buttons["PAUSE"])
    kiosk.tap(kiosk.window.work_orders.pause_screen.picker.buttons["CHANGEOVER"])
    assert kiosk.window.header.line_status.text() == (
        "Cutting line 2 · ❚❚ Paused WO-2026-004217, WO-2026-004218 · line clear"
    )


def test_starting_a_second_work_order_on_the_line_asks_first(
    kiosk: KioskDriver, site: Site
) -> None:
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order(READY)
    screen = kiosk.window.work_order_screen
    overlay = kiosk.window.overlay
    kiosk.tap(screen.command_buttons["START"])
    assert overlay.isVisible()
    assert overlay.title.text() == (
        f"WO-2026-004217 is running on this line. Start {READY} as well?"
    )
    kiosk.tap(overlay.buttons["no"])
    assert site.work_order(READY).status is WorkOrderStatus.RELEASED
    assert screen.status_label.text() != "▶ Running"
    kiosk.tap(screen.command_buttons["START"])
    kiosk.tap(overlay.buttons["yes"])
    assert site.work_order(READY).status is WorkOrderStatus.IN_PROGRESS
    assert site.work_order("WO-2026-004217").status is WorkOrderStatus.IN_PROGRESS
    assert kiosk.banner_text() == f"{READY} started."
