"""The admin's People screen on the real window, against the real server (issue 15, item 1).

The admin taps Admin, People, types the PIN once for the list, then adds, changes,
deactivates or resets a person with the on-screen keys; each change is checked by the
server and reaches another line's kiosk with its next pull. Refusals show next to the
field and change nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select, update

from kiosk.demo import demo_user
from kiosk.domain.errors import ErrorCode
from kiosk.services.first_pin import FirstPinProof
from kiosk.services.views import FirstPinRequired
from kiosk.store.models import Line, SyncState, User
from kiosk.ui.flows.confirm_pin import ConfirmPinScreen
from kiosk.ui.screens.admin_people import PAGE_SIZE, PeopleScreen
from tests.helpers.central import CentralDatabase, KioskNode, ThreadServer, free_port
from tests.helpers.refusals import refusal_of
from tests.helpers.sync_raw import user_id
from tests.sync.test_kiosk_screens import RunningKiosk
from tests.ui.driver import KioskDriver

ADMIN = demo_user("E9001")
RINA = demo_user("E1001")  # an operator of CUT-L02
NEW_BADGE = "04A1B2C3D5"
NEEDS_SERVER = "This needs the server: connect the kiosk and try again."


def _node(central: CentralDatabase, url: str, folder: Path, line: str) -> KioskNode:
    node = KioskNode(folder, url, central.enrolment_code(line=line))
    node.sync()
    return node


@pytest.fixture
def cutting(central: CentralDatabase, server: ThreadServer, tmp_path: Path) -> Iterator[KioskNode]:
    """CUT-L02's kiosk: where the people the admin changes log in."""
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


def _open_people(driver: KioskDriver) -> PeopleScreen:
    driver.log_in(ADMIN.employee_no, ADMIN.pin)
    driver.tap(driver.window.header.admin_button)
    driver.tap(driver.window.admin_screen.people_button)
    _type_pin(driver)  # once, for the list
    screen = driver.window.people.screen
    assert driver.screen is screen
    return screen


def _type(driver: KioskDriver, screen: PeopleScreen, field: str, text: str) -> None:
    """Tap the field, clear it, then tap each key as a finger would."""
    button = screen.search_field_button if field == "search" else screen.field_buttons[field]
    driver.tap(button)
    driver.tap(screen.keys.buttons["clear"])
    for character in text:
        driver.tap(screen.keys.buttons[character.upper()])


def _search(driver: KioskDriver, screen: PeopleScreen, text: str) -> list[str]:
    _type(driver, screen, "search", text)
    driver.tap(screen.search_button)
    return list(screen.rows)


def _count_people(central: CentralDatabase) -> int:
    with central.session() as session:
        return session.scalar(select(func.count()).select_from(User)) or 0


def _tap_in(node: KioskNode, uid: str) -> object:
    try:
        return node.services.auth.login_with_badge(uid)
    except Exception as refused:  # noqa: BLE001  (any refusal: the badge does not log in)
        return refused


def test_a_person_added_on_the_screen_is_listed_and_chooses_a_pin_at_her_first_tap(
    central: CentralDatabase, admin_kiosk: RunningKiosk, cutting: KioskNode
) -> None:
    driver, window = admin_kiosk.driver, admin_kiosk.window
    screen = _open_people(driver)
    assert len(screen.rows) == PAGE_SIZE and screen.next_button.isEnabled()
    first_page = list(screen.rows)
    driver.tap(screen.next_button)
    assert screen.page_text.text() == "Page 2" and set(screen.rows).isdisjoint(first_page)
    driver.tap(screen.previous_button)
    assert list(screen.rows) == first_page
    driver.tap(screen.add_button)
    _type(driver, screen, "employee_no", "E1777")
    _type(driver, screen, "name", "Sari Wulandari")
    driver.tap(screen.role_buttons["OPERATOR"])
    driver.tap(screen.department_buttons["CUT"])
    _type(driver, screen, "lines", "CUT-L02")
    driver.tap(screen.save_button)
    _type_pin(driver)
    assert driver.screen is screen and not screen.is_showing_form()
    assert "Sari Wulandari was added" in screen.banner.message()
    assert _search(driver, screen, "sari w") == ["E1777"]
    assert "no PIN yet" in screen.rows["E1777"].text()
    # A badge for her (the Badges screen's request), then her line's kiosk pulls.
    window.services.identity.bind_badge(
        window.require_actor(), ADMIN.pin, user_id(central, "E1777"), NEW_BADGE
    )
    cutting.sync()
    tapped = _tap_in(cutting, NEW_BADGE)
    assert isinstance(tapped, FirstPinRequired) and tapped.entry.name == "Sari Wulandari"
    proof = FirstPinProof(badge_uid=NEW_BADGE)
    cutting.services.first_pin.choose(tapped.entry, "4826", "4826", proof)
    logged_in = cutting.services.auth.login_with_pin(tapped.entry.user_id, "4826")
    assert logged_in.actor.employee_no == "E1777"


def test_the_forms_refusals_show_next_to_the_field_and_change_nothing(
    central: CentralDatabase, admin_kiosk: RunningKiosk
) -> None:
    driver = admin_kiosk.driver
    screen = _open_people(driver)
    before = _count_people(central)
    driver.tap(screen.add_button)
    _type(driver, screen, "employee_no", RINA.employee_no)  # hers already
    _type(driver, screen, "name", "Rina Again")
    driver.tap(screen.department_buttons["CUT"])
    driver.tap(screen.save_button)
    _type_pin(driver)
    assert screen.is_showing_form()
    assert screen.problem_text("employee_no") == "This employee number is taken already."
    assert "Correct the fields marked in red" in screen.banner.message()
    # A role the department cannot hold; then lines for someone who is not an operator.
    _type(driver, screen, "employee_no", "E1778")
    driver.tap(screen.role_buttons["WAREHOUSE_STAFF"])
    driver.tap(screen.save_button)
    _type_pin(driver)
    assert screen.problem_text("employee_no") == ""
    assert screen.problem_text("role") == "This role cannot belong to this department."
    driver.tap(screen.role_buttons["SUPERVISOR"])
    _type(driver, screen, "lines", "CUT-L02")
    driver.tap(screen.save_button)
    _type_pin(driver)
    assert screen.problem_text("lines") == "Only operators are given lines."
    driver.tap(screen.back_button)
    assert not screen.is_showing_form()
    assert driver.window.size().height() == 800  # the reasons fit: the window never grows
    assert _count_people(central) == before


def test_an_operator_given_another_line_logs_in_there_only(
    central: CentralDatabase, admin_kiosk: RunningKiosk, cutting: KioskNode
) -> None:
    driver = admin_kiosk.driver
    screen = _open_people(driver)
    _search(driver, screen, "agus")  # Agus works on CUT-L01
    driver.tap(screen.rows["E1003"])
    _type(driver, screen, "lines", "CUT-L02")
    driver.tap(screen.save_button)
    _type_pin(driver)
    assert "Agus Pratama was changed." in screen.banner.message()
    assert "CUT-L02" in screen.rows["E1003"].text()
    cutting.sync()
    assert cutting.login("E1003").line_codes == {"CUT-L02"}


def test_out_of_reach_the_people_screen_says_it_needs_the_server(
    qtbot: QtBot, qapp: object, central: CentralDatabase, cutting: KioskNode
) -> None:
    with cutting.database.writer() as session:  # the server moved away: nothing answers
        session.execute(update(SyncState).values(server_url=f"http://127.0.0.1:{free_port()}"))
        session.commit()
    kiosk = RunningKiosk(qtbot, qapp, cutting)
    try:
        driver, window = kiosk.driver, kiosk.window
        driver.log_in(ADMIN.employee_no, ADMIN.pin)
        driver.tap(window.header.admin_button)
        driver.tap(window.admin_screen.people_button)
        _type_pin(driver)
        assert driver.screen is window.admin_screen
        assert driver.banner_text().startswith(NEEDS_SERVER)
    finally:
        kiosk.close(qtbot)


def test_a_deactivated_person_cannot_log_in_after_the_next_pull(
    central: CentralDatabase, admin_kiosk: RunningKiosk, cutting: KioskNode
) -> None:
    driver = admin_kiosk.driver
    screen = _open_people(driver)
    assert _search(driver, screen, "rina") == [RINA.employee_no]
    driver.tap(screen.rows[RINA.employee_no])
    assert screen.is_showing_form()
    driver.tap(screen.deactivate_button)
    driver.tap(driver.window.overlay.buttons["deactivate"])
    _type_pin(driver)
    assert "can no longer log in" in screen.banner.message()
    assert "deactivated" in screen.rows[RINA.employee_no].text()
    cutting.sync()
    assert not isinstance(_tap_in(cutting, RINA.badge), FirstPinRequired)
    refusal = refusal_of(
        lambda: cutting.services.auth.login_with_pin(user_id(central, RINA.employee_no), RINA.pin)
    )
    assert refusal.code is not ErrorCode.WRONG_PIN


def test_a_pin_reset_makes_her_choose_a_new_pin_at_her_next_tap(
    central: CentralDatabase, admin_kiosk: RunningKiosk, cutting: KioskNode
) -> None:
    driver = admin_kiosk.driver
    screen = _open_people(driver)
    _search(driver, screen, "E1001")
    driver.tap(screen.rows[RINA.employee_no])
    driver.tap(screen.reset_pin_button)
    driver.tap(driver.window.overlay.buttons["reset"])
    _type_pin(driver)
    assert "The PIN of Rina" in screen.banner.message()
    cutting.sync()
    tapped = _tap_in(cutting, RINA.badge)
    assert isinstance(tapped, FirstPinRequired)
    assert tapped.entry.employee_no == RINA.employee_no


def test_an_operator_cannot_open_the_people_screen(admin_kiosk: RunningKiosk) -> None:
    driver, window = admin_kiosk.driver, admin_kiosk.window
    driver.log_in("E2001", "8642")  # Dewi, an operator of SEW-L03
    assert not window.header.admin_button.isVisible()
    window.people.open()  # as if the button were reached anyway: the service refuses
    assert driver.screen is window.home_screen  # no PIN asked, no list
    assert driver.banner_text().startswith("Your role cannot do this.")
    assert window.people.screen.rows == {}


# ====================================================================== lines
def test_lines_are_added_and_deactivated_on_the_lines_screen(
    qtbot: QtBot, central: CentralDatabase, admin_kiosk: RunningKiosk, cutting: KioskNode
) -> None:
    driver, window = admin_kiosk.driver, admin_kiosk.window
    driver.log_in(ADMIN.employee_no, ADMIN.pin)
    driver.tap(window.header.admin_button)
    driver.tap(window.admin_screen.lines_button)
    screen = window.lines_flow.screen
    assert driver.screen is screen and "CUT-L02" in screen.rows
    driver.tap(screen.add_button)
    for field, text in (("code", "BAD CODE!"), ("name", "Cutting nine")):
        driver.tap(screen.field_buttons[field])
        for character in text:
            key = " " if character == " " else character.upper()
            if key in screen.keys.buttons:
                driver.tap(screen.keys.buttons[key])
    assert screen.values["code"] == "BADCODE"  # no space in a code
    # No department chosen: refused next to that field; nothing is added.
    driver.tap(screen.save_button)
    _type_pin(driver)
    assert screen.is_showing_form() and screen.problem_text("department")
    driver.tap(screen.department_buttons["CUT"])
    driver.tap(screen.field_buttons["code"])
    driver.tap(screen.keys.buttons["clear"])
    for character in "CUT-L09":
        driver.tap(screen.keys.buttons[character])
    driver.tap(screen.save_button)
    _type_pin(driver)
    assert not screen.is_showing_form()
    assert "Line CUT-L09 was added." in screen.banner.message()
    qtbot.waitUntil(lambda: "CUT-L09" in screen.rows, timeout=10_000)  # with the next pull
    assert "Cutting Nine" in screen.rows["CUT-L09"].text()  # words start with a capital
    # Renamed: the name key by key, the code stays.
    driver.tap(screen.rows["CUT-L09"])
    driver.tap(screen.field_buttons["name"])
    driver.tap(screen.keys.buttons["clear"])
    for character in "CUTTING 9":
        driver.tap(screen.keys.buttons[character])
    driver.tap(screen.save_button)
    _type_pin(driver)
    assert "Line CUT-L09 was renamed." in screen.banner.message()
    qtbot.waitUntil(lambda: "Cutting 9" in screen.rows["CUT-L09"].text(), timeout=10_000)
    # A line holding work cannot be retired: the reason shows on its form.
    driver.tap(screen.rows["CUT-L02"])
    driver.tap(screen.deactivate_button)
    driver.tap(window.overlay.buttons["deactivate"])
    _type_pin(driver)
    assert screen.problem_text("name") == "This line still holds work: finish or move it first."
    driver.tap(screen.back_button)
    while "CUT-L09" not in screen.rows:
        driver.tap(screen.next_button)
    driver.tap(screen.rows["CUT-L09"])
    driver.tap(screen.deactivate_button)
    driver.tap(window.overlay.buttons["deactivate"])
    _type_pin(driver)
    qtbot.waitUntil(lambda: "deactivated" in screen.rows["CUT-L09"].text(), timeout=10_000)
    cutting.sync()
    with cutting.database.reader() as session:
        found = session.execute(select(Line.code, Line.is_active).where(Line.code.like("CUT-L0%")))
        assert dict(found.all()) == {"CUT-L01": True, "CUT-L02": True, "CUT-L09": False}
