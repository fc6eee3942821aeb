"""Correcting and voiding entries, and pausing with a reason, on the real window off-screen."""

from __future__ import annotations

from sqlalchemy import select

from PySide6.QtWidgets import QLabel, QWidget

from kiosk.domain.correction import CORRECTION_WINDOW
from kiosk.store.models import ProductionCorrectionRow, ProductionEntryRow
from kiosk.ui.widgets.keypad import KEY_CLEAR
from tests.helpers.site import Site
from tests.ui.driver import KioskDriver

RUNNING = "WO-2026-004217"


def _totals(site: Site) -> tuple[int, int]:
    row = site.work_order(RUNNING)
    return row.good_qty, row.reject_qty


def _newest_entry(site: Site) -> ProductionEntryRow:
    with site.database.reader() as session:
        row = session.scalars(
            select(ProductionEntryRow).order_by(ProductionEntryRow.recorded_at.desc())
        ).first()
        assert row is not None
        return row


def _open_entries(kiosk: KioskDriver) -> None:
    kiosk.tap(kiosk.window.work_order_screen.entries_button)
    assert kiosk.screen is kiosk.window.corrections.screen


def test_an_operator_corrects_her_own_entry_alone(kiosk: KioskDriver, site: Site) -> None:
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order(RUNNING)
    before = _totals(site)
    kiosk.record("40")
    entry = _newest_entry(site)
    _open_entries(kiosk)
    screen = kiosk.window.corrections.screen
    assert screen.correct_buttons[entry.id].text() == "Correct"  # hers, and recent

    kiosk.tap(screen.correct_buttons[entry.id])
    panel = screen.edit_panel
    kiosk.tap(panel.keypad.buttons[KEY_CLEAR])
    kiosk.type_digits(panel, "38")
    kiosk.tap(panel.confirm_button)
    kiosk.tap(screen.reason_picker.buttons["TYPING_ERROR"])

    assert kiosk.screen is screen
    assert "Entry corrected to 38 good, 0 reject." in kiosk.banner_text()
    assert "Approved by" not in kiosk.banner_text()
    assert _totals(site) == (before[0] + 38, before[1])
    assert "38 good · 0 reject · corrected (recorded as 40 good, 0 reject)" in _row_texts(screen)


def _row_texts(screen: QWidget) -> str:
    return " ".join(label.text() for label in screen.findChildren(QLabel))


def test_a_supervisor_voids_an_older_entry_with_badge_pin_and_reason(
    kiosk: KioskDriver, site: Site
) -> None:
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order(RUNNING)
    before = _totals(site)
    kiosk.record("40")
    entry = _newest_entry(site)
    site.clock.advance(CORRECTION_WINDOW.total_seconds() + 60)
    _open_entries(kiosk)
    screen = kiosk.window.corrections.screen
    assert "supervisor" in screen.void_buttons[entry.id].text()

    kiosk.tap(screen.void_buttons[entry.id])
    kiosk.tap(screen.reason_picker.buttons["WRONG_WORK_ORDER"])
    assert screen.is_waiting_for_approval()
    assert "tap your badge" in screen.approval_text.text()
    assert _totals(site) == (before[0] + 40, before[1])  # nothing yet

    kiosk.window.scan_router.submit_badge("0A000E5002")  # Ani, Cutting's supervisor
    pin_screen = kiosk.window.corrections.pin_screen
    assert kiosk.screen is pin_screen
    kiosk.type_digits(pin_screen.entry, "111111")
    kiosk.tap(pin_screen.entry.confirm_button)
    assert kiosk.screen is pin_screen  # a wrong PIN: try again on the same page
    assert "Wrong PIN" in pin_screen.banner.message()
    kiosk.type_digits(pin_screen.entry, "606060")
    kiosk.tap(pin_screen.entry.confirm_button)

    assert kiosk.screen is screen
    assert "Entry voided: its 40 good and 0 reject no longer count." in kiosk.banner_text()
    assert "Approved by Ani Setiawati." in kiosk.banner_text()
    assert kiosk.window.actor is not None and kiosk.window.actor.employee_no == "E1001"
    assert _totals(site) == before
    assert entry.id not in screen.void_buttons  # a voided entry offers nothing more
    assert "40 good · 0 reject · VOIDED: no longer counts" in _row_texts(screen)
    with site.database.reader() as session:
        correction = session.scalars(select(ProductionCorrectionRow)).one()
        assert correction.is_void and correction.approved_by == site.user_id("E5002")


def test_cancel_while_waiting_for_a_supervisor_changes_nothing(
    kiosk: KioskDriver, site: Site
) -> None:
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order(RUNNING)
    kiosk.record("40")
    entry = _newest_entry(site)
    site.clock.advance(CORRECTION_WINDOW.total_seconds() + 60)
    before = _totals(site)
    _open_entries(kiosk)
    screen = kiosk.window.corrections.screen
    kiosk.tap(screen.void_buttons[entry.id])
    kiosk.tap(screen.reason_picker.buttons["TYPING_ERROR"])
    assert screen.is_waiting_for_approval()
    kiosk.tap(screen.approval_cancel_button)
    assert screen.pages.currentWidget() is screen.list_page
    assert not screen.is_waiting_for_approval()  # a badge now switches user, approves nothing
    assert _totals(site) == before


def test_pausing_asks_why_and_keeps_the_minutes(kiosk: KioskDriver, site: Site) -> None:
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order(RUNNING)
    work_order_screen = kiosk.window.work_order_screen
    kiosk.tap(work_order_screen.command_buttons["PAUSE"])
    pause_screen = kiosk.window.work_orders.pause_screen
    assert kiosk.screen is pause_screen
    kiosk.tap(pause_screen.cancel_button)  # changed her mind: still running
    assert kiosk.screen is work_order_screen
    assert "Running" in work_order_screen.status_label.text()

    kiosk.tap(work_order_screen.command_buttons["PAUSE"])
    kiosk.tap(pause_screen.picker.buttons["WAITING_MATERIAL"])
    assert kiosk.screen is work_order_screen
    assert "Paused · Waiting for material" in work_order_screen.status_label.text()
    site.clock.advance(10 * 60)
    kiosk.tap(work_order_screen.command_buttons["RESUME"])
    assert work_order_screen.paused_label.text() == "Paused: Waiting for material 10 min"


def test_the_supervisor_board_shows_minutes_paused_per_reason(
    kiosk: KioskDriver, site: Site
) -> None:
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order(RUNNING)
    kiosk.tap(kiosk.window.work_order_screen.command_buttons["PAUSE"])
    kiosk.tap(kiosk.window.work_orders.pause_screen.picker.buttons["MACHINE_BREAKDOWN"])
    site.clock.advance(25 * 60)
    kiosk.tap(kiosk.window.header.logout_button)
    kiosk.log_in("E5002", "606060")  # Ani: badge, then PIN
    kiosk.tap(kiosk.window.header.supervisor_button)
    rows = kiosk.window.supervisor_screen.output.texts()
    mine = [row for row in rows if RUNNING in row]
    assert len(mine) == 1
    assert mine[0].endswith("· paused: Machine breakdown 25 min")  # still paused: counted to now


def test_a_supervisor_of_another_department_is_refused_and_nothing_changes(
    kiosk: KioskDriver, site: Site
) -> None:
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order(RUNNING)
    kiosk.record("40")
    entry = _newest_entry(site)
    site.clock.advance(CORRECTION_WINDOW.total_seconds() + 60)
    before = _totals(site)
    _open_entries(kiosk)
    screen = kiosk.window.corrections.screen
    kiosk.tap(screen.void_buttons[entry.id])
    kiosk.tap(screen.reason_picker.buttons["TYPING_ERROR"])
    kiosk.window.scan_router.submit_badge("0A000E5001")  # Hadi, Sewing's supervisor
    pin_screen = kiosk.window.corrections.pin_screen
    assert kiosk.screen is pin_screen
    kiosk.type_digits(pin_screen.entry, "505050")
    kiosk.tap(pin_screen.entry.confirm_button)

    assert kiosk.screen is screen
    assert screen.pages.currentWidget() is screen.list_page
    assert "outside your line or department" in kiosk.banner_text()
    assert _totals(site) == before
    assert site.count(ProductionCorrectionRow) == 0
    assert kiosk.window.actor is not None and kiosk.window.actor.employee_no == "E1001"
