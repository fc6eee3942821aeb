"""The admin's Work orders and Integration keys screens on the real window, against the real
server (issue 15, item 1: a site without an ERP; the ERP's keys).

The admin taps Admin, Work orders (or Integration keys), types the PIN once for the list,
then creates, changes or cancels with the on-screen keys; each change is checked by the
server with the integration API's rules and reaches the line's kiosk with its next pull.
Refusals show next to the field and change nothing. A new key is shown once, works against
/v1/integration, and is refused once revoked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from kiosk.demo import demo_user
from kiosk.domain.work_order import WorkOrderStatus
from kiosk.store.models import AuditEntry, WorkOrder
from kiosk.ui.flows.confirm_pin import ConfirmPinScreen
from kiosk.ui.screens.admin_keys import KeysScreen
from kiosk.ui.screens.admin_work_orders import PAGE_SIZE, WorkOrdersScreen
from server_sync.models import IntegrationKey
from tests.helpers.central import CentralDatabase, KioskNode, ThreadServer
from tests.sync.test_kiosk_screens import RunningKiosk
from tests.ui.driver import KioskDriver

ADMIN = demo_user("E9001")
RUNNING = "WO-2026-004217"  # in progress on CUT-L02
WAITING = "WO-2026-004219"  # released on CUT-L02, nothing recorded


def _node(central: CentralDatabase, url: str, folder: Path, line: str) -> KioskNode:
    node = KioskNode(folder, url, central.enrolment_code(line=line))
    node.sync()
    return node


@pytest.fixture
def cutting(central: CentralDatabase, server: ThreadServer, tmp_path: Path) -> Iterator[KioskNode]:
    """CUT-L02's kiosk: where the work orders the admin makes are worked."""
    node = _node(central, server.url, tmp_path / "cut", "CUT-L02")
    yield node
    node.close()


@pytest.fixture
def admin_kiosk(
    qtbot: QtBot, qapp: object, central: CentralDatabase, server: ThreadServer, tmp_path: Path
) -> Iterator[RunningKiosk]:
    """The admin's kiosk (SEW-L03), its window running with its sync worker."""
    node = _node(central, server.url, tmp_path / "sew", "SEW-L03")
    kiosk = RunningKiosk(qtbot, qapp, node)
    yield kiosk
    kiosk.close(qtbot)
    node.close()


def _type_pin(driver: KioskDriver) -> None:
    pin_screen = driver.screen
    assert isinstance(pin_screen, ConfirmPinScreen)
    driver.type_digits(pin_screen.entry, ADMIN.pin)
    driver.tap(pin_screen.entry.confirm_button)


def _open_work_orders(driver: KioskDriver) -> WorkOrdersScreen:
    driver.log_in(ADMIN.employee_no, ADMIN.pin)
    driver.tap(driver.window.header.admin_button)
    driver.tap(driver.window.admin_screen.work_orders_button)
    _type_pin(driver)  # once, for the list
    screen = driver.window.work_orders_flow.screen
    assert driver.screen is screen
    return screen


def _type(driver: KioskDriver, screen: WorkOrdersScreen, field: str, text: str) -> None:
    """Tap the field, clear it, then tap each key as a finger would."""
    button = screen.search_field_button if field == "search" else screen.field_buttons[field]
    driver.tap(button)
    driver.tap(screen.keys.buttons["clear"])
    for character in text:
        driver.tap(screen.keys.buttons[" " if character == " " else character.upper()])


def _search(driver: KioskDriver, screen: WorkOrdersScreen, text: str) -> list[str]:
    _type(driver, screen, "search", text)
    driver.tap(screen.search_button)
    return list(screen.rows)


def _fill(driver: KioskDriver, screen: WorkOrdersScreen, **values: str) -> None:
    for field, text in values.items():
        _type(driver, screen, field, text)


def _save(driver: KioskDriver, screen: WorkOrdersScreen) -> None:
    driver.tap(screen.save_button)
    _type_pin(driver)


def _count_orders(central: CentralDatabase) -> int:
    with central.session() as session:
        return session.scalar(select(func.count()).select_from(WorkOrder)) or 0


NEW_ORDER = {
    "number": "WO-2027-000001",
    "mo_number": "MO-2027-1",
    "article": "Bunny plush 25 cm",
    "destination": "DE-Hamburg",
    "line": "CUT-L02",
    "target_qty": "240",
    "due": "2030-06-30",
}


def test_a_work_order_made_on_the_screen_is_listed_and_reaches_its_line(
    central: CentralDatabase, admin_kiosk: RunningKiosk, cutting: KioskNode
) -> None:
    driver = admin_kiosk.driver
    screen = _open_work_orders(driver)
    # The list pages through the site's work orders, five at a time.
    assert len(screen.rows) == PAGE_SIZE and screen.next_button.isEnabled()
    first_page = list(screen.rows)
    driver.tap(screen.next_button)
    assert screen.page_text.text() == "Page 2" and set(screen.rows).isdisjoint(first_page)
    driver.tap(screen.previous_button)
    assert list(screen.rows) == first_page
    # Searched by a line's code, by an item and by part of a number.
    on_line = _search(driver, screen, "FIN-L01")
    assert on_line and all("FIN-L01" in screen.rows[n].text() for n in on_line)
    assert _search(driver, screen, "4219") == [WAITING]
    driver.tap(screen.add_button)
    assert screen.is_showing_form()
    _fill(driver, screen, **NEW_ORDER)
    driver.tap(screen.route_buttons["R2"])
    assert screen.values["article"] == "BUNNY PLUSH 25 CM"  # as the keys show it
    _save(driver, screen)
    assert driver.screen is screen and not screen.is_showing_form()
    assert "Work order WO-2027-000001 was created" in screen.banner.message()
    assert list(screen.rows) == ["WO-2027-000001"]
    row_text = screen.rows["WO-2027-000001"].text()
    assert "CUT-L02" in row_text and "0 of 240 pieces" in row_text and "due 2030-06-30" in row_text
    cutting.sync()
    with cutting.database.reader() as session:
        made = session.scalar(select(WorkOrder).where(WorkOrder.number == "WO-2027-000001"))
        assert made is not None
        assert (made.status, made.target_qty, made.route) == (WorkOrderStatus.RELEASED, 240, "R2")
        assert made.department.value == "CUT"  # the line's department
        assert made.due_at is not None and made.due_at.date().isoformat() == "2030-06-30"
    # Its target and due date changed; then cancelled: it leaves the line's list.
    driver.tap(screen.rows["WO-2027-000001"])
    assert not screen.field_buttons["number"].isEnabled()  # only target and due change
    _fill(driver, screen, target_qty="300", due="2030-07-15")
    _save(driver, screen)
    assert "Work order WO-2027-000001 was changed." in screen.banner.message()
    assert "0 of 300 pieces" in screen.rows["WO-2027-000001"].text()
    driver.tap(screen.rows["WO-2027-000001"])
    driver.tap(screen.cancel_order_button)
    driver.tap(driver.window.overlay.buttons["cancel"])
    _type_pin(driver)
    assert "was cancelled" in screen.banner.message()
    assert "Cancelled" in screen.rows["WO-2027-000001"].text() or "CANCELLED" in (
        screen.rows["WO-2027-000001"].text().upper()
    )
    cutting.sync()
    with cutting.database.reader() as session:
        changed = session.scalar(select(WorkOrder).where(WorkOrder.number == "WO-2027-000001"))
        assert changed is not None
        assert (changed.status, changed.target_qty) == (WorkOrderStatus.CANCELLED, 300)
        assert changed.due_at is not None and changed.due_at.date().isoformat() == "2030-07-15"
    # A cancelled work order's form saves nothing more.
    driver.tap(screen.rows["WO-2027-000001"])
    assert not screen.save_button.isEnabled() and not screen.cancel_order_button.isVisible()


def test_the_work_order_forms_refusals_show_next_to_the_field_and_change_nothing(
    central: CentralDatabase, admin_kiosk: RunningKiosk
) -> None:
    driver = admin_kiosk.driver
    screen = _open_work_orders(driver)
    before = _count_orders(central)
    driver.tap(screen.add_button)
    _fill(driver, screen, **{**NEW_ORDER, "number": RUNNING})  # a number taken already
    _save(driver, screen)
    assert screen.is_showing_form()
    assert screen.problem_text("number") == "This work order number is taken already."
    assert "Correct the fields marked in red" in screen.banner.message()
    _fill(driver, screen, number="WO-2027-000002", line="CUT-L77")  # no such line
    _save(driver, screen)
    assert screen.problem_text("number") == ""
    assert screen.problem_text("line") == "There is no such line."
    # A target of 0 and a date that is none: both named at once.
    _fill(driver, screen, line="CUT-L02", target_qty="0", due="2026-13-45")
    _save(driver, screen)
    assert screen.problem_text("line") == ""
    assert screen.problem_text("target_qty") == "From 1 to 10,000,000 pieces."
    assert screen.problem_text("due") == "Not a date: type it as 2026-12-31."
    # An absurd target and a due date long past.
    _fill(driver, screen, target_qty="99999999", due="2020-01-31")
    _save(driver, screen)
    assert screen.problem_text("target_qty") == "From 1 to 10,000,000 pieces."
    assert screen.problem_text("due") == "This date is past: choose today or later."
    # Nothing typed at all: each required field says so.
    _fill(driver, screen, number="", mo_number="", article="", target_qty="", due="")
    _save(driver, screen)
    assert screen.problem_text("number") == "Required."
    # Letters never reach the target: its keys type digits only.
    _type(driver, screen, "target_qty", "12AB3")
    assert screen.values["target_qty"] == "123"
    driver.tap(screen.back_button)
    assert not screen.is_showing_form()
    # A target below what the line has recorded, on a running order; and a running order
    # cannot be cancelled.
    _search(driver, screen, RUNNING)
    driver.tap(screen.rows[RUNNING])
    _fill(driver, screen, target_qty="1")
    _save(driver, screen)
    assert screen.problem_text("target_qty") == "Lower than the good pieces recorded already."
    driver.tap(screen.cancel_order_button)
    driver.tap(driver.window.overlay.buttons["cancel"])
    _type_pin(driver)
    assert "running on its line" in screen.problem_text("number")
    assert driver.window.size().height() == 800  # the reasons fit: the window never grows
    assert _count_orders(central) == before
    with central.session() as session:
        running = session.scalar(select(WorkOrder).where(WorkOrder.number == RUNNING))
        assert running is not None and running.status is WorkOrderStatus.IN_PROGRESS
        assert running.target_qty > 1


def test_out_of_reach_the_work_orders_say_they_need_the_server(
    qtbot: QtBot, qapp: object, central: CentralDatabase, cutting: KioskNode
) -> None:
    from sqlalchemy import update

    from kiosk.store.models import SyncState
    from tests.helpers.central import free_port

    with cutting.database.writer() as session:  # the server moved away: nothing answers
        session.execute(update(SyncState).values(server_url=f"http://127.0.0.1:{free_port()}"))
        session.commit()
    kiosk = RunningKiosk(qtbot, qapp, cutting)
    try:
        driver, window = kiosk.driver, kiosk.window
        driver.log_in(ADMIN.employee_no, ADMIN.pin)
        driver.tap(window.header.admin_button)
        driver.tap(window.admin_screen.work_orders_button)
        _type_pin(driver)
        assert driver.screen is window.admin_screen
        assert driver.banner_text().startswith("This needs the server")
        driver.tap(window.admin_screen.keys_button)
        _type_pin(driver)
        assert driver.screen is window.admin_screen
        assert driver.banner_text().startswith("This needs the server")
    finally:
        kiosk.close(qtbot)


def test_an_operator_cannot_open_the_work_orders_or_the_keys(admin_kiosk: RunningKiosk) -> None:
    driver, window = admin_kiosk.driver, admin_kiosk.window
    driver.log_in("E2001", "8642")  # Dewi, an operator of SEW-L03
    window.work_orders_flow.open()  # as if the button were reached anyway
    assert driver.screen is window.home_screen  # no PIN asked, no list
    assert driver.banner_text().startswith("Your role cannot do this.")
    window.keys_flow.open()
    assert driver.screen is window.home_screen
    assert window.work_orders_flow.screen.rows == {}
    assert window.keys_flow.screen.row_texts == {}


# ====================================================================== integration keys
def _open_keys(driver: KioskDriver) -> KeysScreen:
    driver.log_in(ADMIN.employee_no, ADMIN.pin)
    driver.tap(driver.window.header.admin_button)
    driver.tap(driver.window.admin_screen.keys_button)
    _type_pin(driver)
    screen = driver.window.keys_flow.screen
    assert driver.screen is screen
    return screen


def _type_name(driver: KioskDriver, screen: KeysScreen, name: str) -> None:
    driver.tap(screen.keys.buttons["clear"])
    for character in name:
        driver.tap(screen.keys.buttons[character.upper()])


def _integration_call(server: ThreadServer, key: str) -> int:
    answer = requests.post(
        server.url + "/v1/integration/lines",
        json={"rows": []},
        headers={"Authorization": f"Bearer {key}"},
        timeout=30,
    )
    return answer.status_code


def test_a_key_is_shown_once_works_and_is_refused_once_revoked(
    central: CentralDatabase,
    server: ThreadServer,
    admin_kiosk: RunningKiosk,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    driver, window = admin_kiosk.driver, admin_kiosk.window
    screen = _open_keys(driver)
    assert screen.row_texts == {}  # none yet
    driver.tap(screen.new_button)
    _type_name(driver, screen, "ERP-PROD")
    assert screen.name_value == "erp-prod"
    driver.tap(screen.create_button)
    _type_pin(driver)
    overlay = window.overlay
    assert overlay.isVisible() and "shown this once" in overlay.text.text()
    shown = overlay.text.text()
    key = shown[shown.index("lk_") :].split("<", 1)[0]
    assert key.startswith("lk_") and len(key) > 40
    driver.tap(overlay.buttons["done"])  # the admin must dismiss it
    assert not overlay.isVisible() and key not in overlay.text.text()
    assert "erp-prod" in screen.row_texts and "never used" in screen.row_texts["erp-prod"]
    assert all(key not in text for text in screen.row_texts.values())
    # The key works against the integration API; the list then says when it was used.
    assert _integration_call(server, key) == 200
    driver.tap(screen.back_button)
    driver.tap(window.admin_screen.keys_button)  # the session is open: no second PIN
    assert driver.screen is screen and "last used" in screen.row_texts["erp-prod"]
    # The same name again is refused next to the name; no second key is made.
    driver.tap(screen.new_button)
    _type_name(driver, screen, "ERP-PROD")
    driver.tap(screen.create_button)
    _type_pin(driver)
    assert not overlay.isVisible()
    assert "has this name already" in screen.name_problem.text()
    driver.tap(screen.back_button)
    # Revoked, after a confirmation: the integration API refuses it from its next call.
    driver.tap(screen.revoke_buttons["erp-prod"])
    driver.tap(overlay.buttons["keep"])  # changed their mind: nothing happens
    assert _integration_call(server, key) == 200
    driver.tap(screen.revoke_buttons["erp-prod"])
    driver.tap(overlay.buttons["revoke"])
    _type_pin(driver)
    assert "is revoked" in screen.banner.message()
    assert "REVOKED" in screen.row_texts["erp-prod"] and "erp-prod" not in screen.revoke_buttons
    assert _integration_call(server, key) == 403
    # The key was never logged nor kept on the kiosk, and only its hash centrally.
    assert key not in caplog.text
    secret = key.split(".", 1)[1]
    with admin_kiosk.window.services.uow.database.reader() as session:
        details = " ".join(str(row.details) for row in session.scalars(select(AuditEntry)))
    assert secret not in details and "erp-prod" in details
    with central.session() as session:
        stored = session.scalars(select(IntegrationKey.secret_hash)).all()
    assert stored and secret not in stored


def test_a_bad_key_name_is_refused_and_the_key_leaves_the_screen_at_logout(
    admin_kiosk: RunningKiosk,
) -> None:
    driver, window = admin_kiosk.driver, admin_kiosk.window
    screen = _open_keys(driver)
    driver.tap(screen.new_button)
    _type_name(driver, screen, "-ERP")  # must start with a letter or digit
    driver.tap(screen.create_button)
    _type_pin(driver)
    assert "starting with a letter or digit" in screen.name_problem.text()
    _type_name(driver, screen, "ERP2")
    driver.tap(screen.create_button)
    _type_pin(driver)
    assert window.overlay.isVisible() and "lk_" in window.overlay.text.text()
    window.logout("manual")  # the session ends with the key still up: it goes with it
    assert not window.overlay.isVisible() and "lk_" not in window.overlay.text.text()
