"""A first PIN on the real window against the real server (issue 14, item 4).

Someone made without a PIN taps their badge; the kiosk asks them to choose one twice (a
mismatch asks again), the server takes it, and they are in; the next pull brings it to
another kiosk where they work. A setup code typed on their tile does the same. Out of
reach of the server, a badge-only operator still gets in by badge, a supervisor does not,
and both are told the first PIN needs the server.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from kiosk.demo import demo_user
from kiosk.services.pin_hasher import PinHasher
from kiosk.store.models import AuditEntry, OutboxEvent, SyncState, User
from kiosk.ui.screens.first_pin import ChoosePinScreen
from server_sync.first_pin import create_setup_code
from tests.helpers.central import CentralDatabase, KioskNode, ThreadServer, free_port
from tests.helpers.central_pins import clear_pin_centrally
from tests.sync.test_kiosk_screens import RunningKiosk
from tests.ui.driver import KioskDriver

BUDI, RINA, ANI = demo_user("E1002"), demo_user("E1001"), demo_user("E5002")
NEEDS_SERVER = "Choosing a first PIN needs the server, and it cannot be reached now."


def _node(central: CentralDatabase, url: str, folder: Path, line: str) -> KioskNode:
    node = KioskNode(folder, url, central.enrolment_code(line=line))
    node.sync()
    return node


@pytest.fixture
def cutting(central: CentralDatabase, server: ThreadServer, tmp_path: Path) -> Iterator[KioskNode]:
    node = _node(central, server.url, tmp_path / "cut", "CUT-L02")
    yield node
    node.close()


def _central_pin_hash(central: CentralDatabase, employee_no: str) -> str:
    with central.session() as session:
        found = session.scalar(select(User.pin_hash).where(User.employee_no == employee_no))
    assert found is not None
    return found


def _choose_screen(driver: KioskDriver) -> ChoosePinScreen:
    screen = driver.window.session.first_pin.screen
    assert driver.screen is screen
    return screen


def _type_and_confirm(driver: KioskDriver, screen: ChoosePinScreen, pin: str) -> None:
    driver.type_digits(screen.entry, pin)
    driver.tap(screen.entry.confirm_button)


def test_a_new_person_chooses_a_pin_at_the_first_tap_and_uses_it_on_another_kiosk(  # noqa: PLR0917
    qtbot: QtBot,
    qapp: object,
    central: CentralDatabase,
    server: ThreadServer,
    cutting: KioskNode,
    tmp_path: Path,
) -> None:
    budi_id = clear_pin_centrally(central, BUDI.employee_no)
    cutting.sync()
    other_line = _node(central, server.url, tmp_path / "cut1", "CUT-L01")
    kiosk = RunningKiosk(qtbot, qapp, cutting)
    try:
        driver, window = kiosk.driver, kiosk.window
        assert "No PIN yet" in window.login_screen.tiles[BUDI.employee_no].text()
        window.scan_router.submit_badge(BUDI.badge)
        screen = _choose_screen(driver)
        assert screen.entry.title.text() == "Budi Santoso, choose your PIN"
        assert screen.skip_button.isVisible()  # an operator logs in by badge alone
        _type_and_confirm(driver, screen, "2580")
        assert screen.entry.title.text() == "Budi Santoso, type the same PIN again"
        _type_and_confirm(driver, screen, "2588")  # a slip of the finger: asked again
        assert driver.screen is screen and not screen.is_repeat
        assert driver.banner_text() == (
            "The two PINs are not the same. Nothing was saved. Choose your PIN again and type it"
            " twice."
        )
        assert _central_pin_hash(central, BUDI.employee_no) == ""
        _type_and_confirm(driver, screen, "2580")
        _type_and_confirm(driver, screen, "2580")
        assert window.header.user_name.text() == "Budi Santoso · Operator"
        assert PinHasher().verify(_central_pin_hash(central, BUDI.employee_no), "2580")
        with cutting.database.reader() as session:
            # Nothing about the PIN is queued: the server took it, the feed brings it.
            kinds = set(session.scalars(select(OutboxEvent.kind)))
            audit = [
                (row.outcome, "2580" in str(row.details))
                for row in session.scalars(
                    select(AuditEntry).where(AuditEntry.action == "user.first_pin")
                )
            ]
        assert audit == [("refused:auth.pin_mismatch", False), ("ok", False)]
        assert not {kind for kind in kinds if "pin" in kind and kind != "pin.refused"}
        # The next pull brings his PIN to the other line he works on.
        other_line.sync()
        result = other_line.services.auth.login_with_pin(budi_id, "2580")
        assert result.actor.employee_no == BUDI.employee_no
    finally:
        kiosk.close(qtbot)
        other_line.close()


def test_a_setup_code_on_the_tile_lets_her_choose_her_pin(
    qtbot: QtBot, qapp: object, central: CentralDatabase, cutting: KioskNode
) -> None:
    clear_pin_centrally(central, RINA.employee_no)
    with central.session() as session:
        code, _ = create_setup_code(session, datetime.now(UTC), RINA.employee_no)
        session.commit()
    cutting.sync()
    kiosk = RunningKiosk(qtbot, qapp, cutting)
    try:
        driver, window = kiosk.driver, kiosk.window
        login = window.login_screen
        # A wrong code: after the PIN is chosen, the server refuses and counts it.
        driver.tap(login.tiles[RINA.employee_no])
        assert login.pages.currentWidget() is login.code_page
        wrong = "11111111" if code != "11111111" else "22222222"
        driver.type_digits(login.code_page, wrong)
        driver.tap(login.code_page.confirm_button)
        screen = _choose_screen(driver)
        assert not screen.skip_button.isVisible()
        _type_and_confirm(driver, screen, "1470")
        _type_and_confirm(driver, screen, "1470")
        assert driver.screen is login
        assert driver.banner_text().startswith("Wrong setup code: 4 tries left")
        assert _central_pin_hash(central, RINA.employee_no) == ""
        # The right code.
        driver.tap(login.tiles[RINA.employee_no])
        driver.type_digits(login.code_page, code)
        driver.tap(login.code_page.confirm_button)
        screen = _choose_screen(driver)
        _type_and_confirm(driver, screen, "1470")
        _type_and_confirm(driver, screen, "1470")
        assert window.header.user_name.text() == "Rina Wulandari · Operator"
        assert PinHasher().verify(_central_pin_hash(central, RINA.employee_no), "1470")
    finally:
        kiosk.close(qtbot)


def test_out_of_reach_the_first_pin_needs_the_server_and_only_a_badge_only_operator_gets_in(
    qtbot: QtBot, qapp: object, central: CentralDatabase, cutting: KioskNode
) -> None:
    clear_pin_centrally(central, BUDI.employee_no)
    clear_pin_centrally(central, ANI.employee_no)
    cutting.sync()
    with cutting.database.writer() as session:  # the server moved away: nothing answers
        session.execute(update(SyncState).values(server_url=f"http://127.0.0.1:{free_port()}"))
        session.commit()
    kiosk = RunningKiosk(qtbot, qapp, cutting)
    try:
        driver, window = kiosk.driver, kiosk.window
        # The supervisor needs badge and PIN: without a PIN she stays out.
        window.scan_router.submit_badge(ANI.badge)
        screen = _choose_screen(driver)
        assert not screen.skip_button.isVisible()
        _type_and_confirm(driver, screen, "135790")
        _type_and_confirm(driver, screen, "135790")
        assert driver.screen is window.login_screen
        assert window.header.user_name.text() == ""
        assert NEEDS_SERVER in driver.banner_text()
        # The operator: the same message, and in by badge.
        window.scan_router.submit_badge(BUDI.badge)
        screen = _choose_screen(driver)
        _type_and_confirm(driver, screen, "2580")
        _type_and_confirm(driver, screen, "2580")
        assert window.header.user_name.text() == "Budi Santoso · Operator"
        assert NEEDS_SERVER in driver.banner_text()
        assert _central_pin_hash(central, BUDI.employee_no) == ""
        with cutting.database.reader() as session:
            local = session.scalar(select(User.pin_hash).where(User.employee_no == "E1002"))
        assert local == ""
    finally:
        kiosk.close(qtbot)


def test_a_choice_left_half_way_goes_back_to_the_login_screen(
    qtbot: QtBot, qapp: object, central: CentralDatabase, cutting: KioskNode
) -> None:
    """Budi taps and walks away: the next person at the kiosk cannot finish it for him."""
    clear_pin_centrally(central, BUDI.employee_no)
    cutting.sync()
    kiosk = RunningKiosk(qtbot, qapp, cutting)
    try:
        driver, window = kiosk.driver, kiosk.window
        window.session.first_pin.expiry_timer.setInterval(200)  # two minutes on the floor
        window.scan_router.submit_badge(BUDI.badge)
        screen = _choose_screen(driver)
        _type_and_confirm(driver, screen, "2580")
        assert screen.is_repeat
        qtbot.waitUntil(lambda: driver.screen is window.login_screen, timeout=5_000)
        assert driver.banner_text().startswith("No PIN was chosen in time; nothing was saved.")
        assert _central_pin_hash(central, BUDI.employee_no) == ""
    finally:
        kiosk.close(qtbot)


def test_a_supervisor_with_a_setup_code_saves_her_pin_then_logs_in_with_badge_and_pin(
    qtbot: QtBot, qapp: object, central: CentralDatabase, cutting: KioskNode
) -> None:
    clear_pin_centrally(central, ANI.employee_no)
    with central.session() as session:
        code, _ = create_setup_code(session, datetime.now(UTC), ANI.employee_no)
        session.commit()
    cutting.sync()
    kiosk = RunningKiosk(qtbot, qapp, cutting)
    try:
        driver, window = kiosk.driver, kiosk.window
        login = window.login_screen
        driver.tap(login.tiles[ANI.employee_no])
        driver.type_digits(login.code_page, code)
        driver.tap(login.code_page.confirm_button)
        screen = _choose_screen(driver)
        _type_and_confirm(driver, screen, "1357")  # too short for a supervisor: asked again
        assert not screen.is_repeat
        assert driver.banner_text().startswith("A PIN has 6 to 8 digits.")
        _type_and_confirm(driver, screen, "135790")
        _type_and_confirm(driver, screen, "135790")
        assert driver.screen is login
        assert driver.banner_text().startswith("Your PIN is saved.")
        driver.log_in(ANI.employee_no, "135790")  # her badge, then the PIN she chose
        assert window.header.user_name.text() == "Ani Setiawati · Supervisor"
    finally:
        kiosk.close(qtbot)
