"""Role-gated entries, idle auto-logout with its countdown and the kept draft, logout."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QPushButton

from kiosk.store.models import Draft
from tests.helpers.pins import drop_badge
from tests.helpers.site import Site
from tests.ui.driver import KioskDriver


def test_an_operator_has_no_way_to_the_supervisor_or_admin_screen(
    kiosk: KioskDriver, site: Site
) -> None:
    kiosk.log_in("E1001", "2468")
    header = kiosk.window.header
    assert not header.supervisor_button.isVisible()
    assert not header.admin_button.isVisible()
    visible = [b.text() for b in kiosk.window.findChildren(QPushButton) if b.isVisible()]
    assert not any("Supervisor" in text or "Admin" in text for text in visible)
    # Even asked directly, the service refuses and the screen does not change.
    kiosk.window.open_supervisor_screen()
    assert kiosk.screen is kiosk.window.home_screen
    assert kiosk.banner_text() == (
        "Your role cannot do this. Ask someone with the right role, or your supervisor."
    )
    kiosk.window.open_admin_screen()
    assert kiosk.screen is kiosk.window.home_screen
    assert site.audit_outcomes()[-2:] == [
        ("screen.supervisor", "refused:perm.denied"),
        ("screen.admin", "refused:perm.denied"),
    ]


def test_without_a_server_an_unlock_needs_the_server(kiosk: KioskDriver, site: Site) -> None:
    """Unlocking is a request to the server (tests/sync has it online): here it is refused
    with that message, nothing is queued and Budi stays locked."""
    drop_badge(site.database, "E1002")  # only someone without a badge is locked by PINs
    kiosk.type_wrong_pins("E1002", 5, site.clock)
    site.clock.advance(60)  # the PIN pad's wait has run out
    kiosk.log_in("E5002", "606060")
    header = kiosk.window.header
    assert header.supervisor_button.isVisible()
    assert not header.admin_button.isVisible()
    kiosk.tap(header.supervisor_button)
    board = kiosk.window.supervisor_screen
    assert kiosk.screen is board
    assert len(board.alerts.buttons) == 1
    events = site.outbox_kinds()
    kiosk.tap(board.locked.buttons[0])
    assert kiosk.screen is board
    assert kiosk.banner_text().startswith("This needs the server: connect the kiosk and try again.")
    assert len(board.locked.buttons) == 1
    assert site.outbox_kinds() == events
    assert site.audit_outcomes()[-1] == ("user.unlock", "refused:sync.needs_server")
    kiosk.tap(header.logout_button)
    kiosk.log_in("E1002", "1357")
    assert "locked" in kiosk.banner_text()


def test_the_admin_sees_the_effective_settings(kiosk: KioskDriver) -> None:
    kiosk.log_in("E5002", "606060")
    assert not kiosk.window.header.admin_button.isVisible()
    kiosk.tap(kiosk.window.header.logout_button)
    kiosk.log_in("E9001", "999999")
    kiosk.tap(kiosk.window.header.admin_button)
    admin = kiosk.window.admin_screen
    assert kiosk.screen is admin
    table = admin.settings_table
    rows = {table.item(row, 0).text(): table.item(row, 2).text() for row in range(table.rowCount())}
    assert rows["idle_logout_seconds"] == "default"
    assert rows["pin_max_attempts"] == "default"


def test_only_an_admin_can_close_the_kiosk(kiosk: KioskDriver, site: Site) -> None:
    kiosk.log_in("E9001", "999999")
    kiosk.tap(kiosk.window.header.admin_button)
    kiosk.tap(kiosk.window.admin_screen.quit_button)
    kiosk.tap(kiosk.window.overlay.buttons["stay"])
    assert kiosk.window.isVisible()
    kiosk.tap(kiosk.window.admin_screen.quit_button)
    kiosk.tap(kiosk.window.overlay.buttons["quit"])
    assert not kiosk.window.isVisible()
    assert site.outbox_kinds()[-1] == "session.ended"


def test_idle_logout_counts_down_and_keeps_the_typed_entry(
    kiosk: KioskDriver, site: Site, qtbot: QtBot
) -> None:
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order("WO-2026-004217")
    screen = kiosk.window.work_order_screen
    kiosk.tap(screen.command_buttons["RECORD"])
    kiosk.type_digits(screen.record_panel, "120")
    site.clock.advance(111)
    qtbot.waitUntil(kiosk.window.idle_banner.isVisible)
    assert kiosk.window.idle_banner.message() == (
        "Logging out in 9 s. Touch the screen to stay logged in."
    )
    site.clock.advance(9)
    qtbot.waitUntil(lambda: kiosk.screen is kiosk.window.login_screen)
    assert kiosk.window.actor is None
    assert kiosk.banner_text() == (
        "Logged out after a time without activity. "
        "Your unfinished entry was kept; log in again to continue it."
    )
    assert site.count(Draft) == 1
    kiosk.log_in("E1001", "2468")
    overlay = kiosk.window.overlay
    assert overlay.isVisible()
    assert overlay.text.text() == ("You were recording 120 good and 0 reject for WO-2026-004217.")
    kiosk.tap(overlay.buttons["continue"])
    assert screen.is_recording()
    assert screen.record_panel.draft_fields() == {"good": "120", "reject": ""}
    kiosk.tap(screen.record_panel.confirm_button)
    assert kiosk.banner_text() == "Recorded 120 good and 0 reject on WO-2026-004217."
    assert site.count(Draft) == 0


def test_touching_the_screen_keeps_the_session(
    kiosk: KioskDriver, site: Site, qtbot: QtBot
) -> None:
    kiosk.log_in("E1001", "2468")
    site.clock.advance(115)
    qtbot.waitUntil(kiosk.window.idle_banner.isVisible)
    kiosk.tap(kiosk.window.home_screen.find_button)
    assert not kiosk.window.idle_banner.isVisible()
    site.clock.advance(100)
    qtbot.wait(300)
    assert kiosk.window.actor is not None


def test_another_user_is_not_offered_someone_elses_draft(
    kiosk: KioskDriver, site: Site, qtbot: QtBot
) -> None:
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order("WO-2026-004217")
    kiosk.tap(kiosk.window.work_order_screen.command_buttons["RECORD"])
    kiosk.type_digits(kiosk.window.work_order_screen.record_panel, "55")
    site.clock.advance(121)
    qtbot.waitUntil(lambda: kiosk.window.actor is None)
    kiosk.log_in("E1002", "1357")
    assert not kiosk.window.overlay.isVisible()
    assert kiosk.screen is kiosk.window.home_screen


def test_a_draft_can_be_discarded(kiosk: KioskDriver, site: Site, qtbot: QtBot) -> None:
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order("WO-2026-004217")
    kiosk.tap(kiosk.window.work_order_screen.command_buttons["RECORD"])
    kiosk.type_digits(kiosk.window.work_order_screen.record_panel, "7")
    kiosk.tap(kiosk.window.header.logout_button)
    assert site.count(Draft) == 1
    kiosk.log_in("E1001", "2468")
    kiosk.tap(kiosk.window.overlay.buttons["discard"])
    assert site.count(Draft) == 0
    assert kiosk.screen is kiosk.window.home_screen


def test_work_order_buttons_follow_the_role(kiosk: KioskDriver) -> None:
    screen = kiosk.window.work_order_screen
    kiosk.log_in("E5002", "606060")  # the Cutting supervisor may do everything an operator may
    kiosk.open_work_order("WO-2026-004217")
    assert all(button.isVisible() for button in screen.command_buttons.values())
    kiosk.tap(kiosk.window.header.logout_button)
    kiosk.log_in("E9001", "999999")
    kiosk.open_work_order("WO-2026-004217")  # an admin may look, not produce
    assert not any(button.isVisible() for button in screen.command_buttons.values())
    assert screen.back_button.isVisible()


def test_a_draft_for_a_work_order_completed_meanwhile_is_not_recorded(
    kiosk: KioskDriver, site: Site
) -> None:
    kiosk.log_in("E1001", "2468")
    kiosk.open_work_order("WO-2026-004217")
    kiosk.tap(kiosk.window.work_order_screen.command_buttons["RECORD"])
    kiosk.type_digits(kiosk.window.work_order_screen.record_panel, "55")
    kiosk.tap(kiosk.window.header.logout_button)
    services = kiosk.window.services  # the Cutting supervisor completes it in between
    supervisor = site.login(services, "E5002")
    services.work_orders.complete(supervisor, site.work_order("WO-2026-004217").id)
    good_before = site.work_order("WO-2026-004217").good_qty
    kiosk.log_in("E1001", "2468")
    kiosk.tap(kiosk.window.overlay.buttons["continue"])
    assert not kiosk.window.work_order_screen.is_recording()
    assert kiosk.banner_text() == (
        "WO-2026-004217 can no longer take quantities: it is ✔ Done. "
        "The quantity you had typed was not recorded."
    )
    assert site.work_order("WO-2026-004217").good_qty == good_before
    assert site.count(Draft) == 0
