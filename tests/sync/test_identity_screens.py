"""The badge screen and the unlock, on the real window, against the real server (item 2).

The admin's PIN is asked again and checked by the server; a wrong one stays on the PIN
page and is counted centrally; with the server out of reach the badge screen says the
action needs the server and nothing is queued.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from kiosk.demo import demo_user
from kiosk.domain.scan import ScanEvent, ScanSource
from kiosk.store.models import OutboxEvent, SyncState, User
from kiosk.sync.identity import HttpIdentityServer
from kiosk.ui.tasks import ImmediateTaskRunner, ThreadTaskRunner
from tests.helpers.central import CentralDatabase, KioskNode, ThreadServer, free_port
from tests.helpers.central_pins import drop_badge_centrally, wrong_pin_on
from tests.sync.test_kiosk_screens import RunningKiosk
from tests.ui.driver import KioskDriver

SPARE_BADGE = "0BADC0FFEE"
ADMIN = demo_user("E9001")
NEEDS_SERVER = "This needs the server: connect the kiosk and try again."


def _node(central: CentralDatabase, url: str, folder: Path, line: str) -> KioskNode:
    node = KioskNode(folder, url, central.enrolment_code(line=line))
    node.sync()
    return node


@pytest.fixture
def cutting(central: CentralDatabase, server: ThreadServer, tmp_path: Path) -> Iterator[KioskNode]:
    node = _node(central, server.url, tmp_path / "cut", "CUT-L02")
    yield node
    node.close()


def _badge_kinds(node: KioskNode) -> list[str]:
    with node.database.reader() as session:
        kinds = session.scalars(select(OutboxEvent.kind))
        return [kind for kind in kinds if kind.startswith(("badge.", "user.unlocked"))]


def _central(central: CentralDatabase, employee_no: str) -> User:
    with central.session() as session:
        user = session.scalar(select(User).where(User.employee_no == employee_no))
    assert user is not None
    return user


def _to_badge_screen_waiting_for(driver: KioskDriver, employee_no: str) -> None:
    driver.log_in(ADMIN.employee_no, ADMIN.pin)  # badge and PIN on a line kiosk
    driver.tap(driver.window.header.admin_button)
    driver.tap(driver.window.admin_screen.badges_button)
    driver.tap(driver.window.badge_screen.bind_buttons[employee_no])


def _tap_badge(driver: KioskDriver, uid: str) -> None:
    driver.window.scan_router.submit(ScanEvent(ScanSource.READER, uid))


def test_the_admin_binds_a_badge_with_a_pin_the_server_checks(  # noqa: PLR0917
    qtbot: QtBot,
    qapp: object,
    central: CentralDatabase,
    server: ThreadServer,
    cutting: KioskNode,
    tmp_path: Path,
) -> None:
    kiosk = RunningKiosk(qtbot, qapp, cutting)
    sewing = _node(central, server.url, tmp_path / "sew", "SEW-L03")
    try:
        driver, window = kiosk.driver, kiosk.window
        _to_badge_screen_waiting_for(driver, "E2001")
        _tap_badge(driver, SPARE_BADGE)
        pin_screen = window.admin.confirm.screen
        assert driver.screen is pin_screen
        assert "Dewi Lestari" in pin_screen.entry.title.text()
        # A wrong PIN: refused on the PIN page, counted on the server, nothing bound.
        driver.type_digits(pin_screen.entry, "0000")
        driver.tap(pin_screen.entry.confirm_button)
        assert driver.screen is pin_screen
        assert "Wrong PIN." in driver.banner_text()
        assert _central(central, ADMIN.employee_no).failed_pin_count == 1
        driver.type_digits(pin_screen.entry, ADMIN.pin)
        driver.tap(pin_screen.entry.confirm_button)
        assert driver.screen is window.badge_screen
        assert "Badge bound to Dewi Lestari." in driver.banner_text()
        assert _central(central, ADMIN.employee_no).failed_pin_count == 0
        assert _badge_kinds(cutting) == []
        # Her line's kiosk takes the new badge after its next sync; the old one is refused.
        sewing.sync()
        result = sewing.services.auth.login_with_badge(SPARE_BADGE)
        assert result.actor.employee_no == "E2001"  # type: ignore[union-attr]
    finally:
        kiosk.close(qtbot)
        sewing.close()


def test_out_of_reach_the_badge_screen_says_it_needs_the_server_and_queues_nothing(
    qtbot: QtBot, qapp: object, central: CentralDatabase, cutting: KioskNode
) -> None:
    with cutting.database.writer() as session:  # the server moved away: nothing answers
        session.execute(update(SyncState).values(server_url=f"http://127.0.0.1:{free_port()}"))
        session.commit()
    kiosk = RunningKiosk(qtbot, qapp, cutting)
    try:
        driver, window = kiosk.driver, kiosk.window
        _to_badge_screen_waiting_for(driver, "E1001")
        _tap_badge(driver, SPARE_BADGE)
        pin_screen = window.admin.confirm.screen
        driver.type_digits(pin_screen.entry, ADMIN.pin)
        driver.tap(pin_screen.entry.confirm_button)
        assert driver.screen is window.badge_screen
        assert NEEDS_SERVER in driver.banner_text()
        assert _badge_kinds(cutting) == []
        assert _central(central, "E1001").badge_hash is not None  # her badge is untouched
        with cutting.database.reader() as session:
            outcomes = [
                row
                for row in session.execute(
                    select(OutboxEvent.kind).where(OutboxEvent.kind.like("badge.%"))
                )
            ]
        assert outcomes == []
    finally:
        kiosk.close(qtbot)


def test_a_supervisor_unlocks_an_operator_through_the_server(
    qtbot: QtBot, qapp: object, central: CentralDatabase, cutting: KioskNode
) -> None:
    budi = demo_user("E1002")
    budi_id = _central(central, budi.employee_no).id
    drop_badge_centrally(central, budi.employee_no)  # his PIN alone: wrong ones lock
    cutting.sync()
    for _ in range(5):  # five wrong PINs lock him here, and (synced) everywhere
        wrong_pin_on(cutting, budi_id)
    cutting.sync()
    assert _central(central, budi.employee_no).locked_until is not None
    kiosk = RunningKiosk(qtbot, qapp, cutting)
    try:
        driver, window = kiosk.driver, kiosk.window
        driver.log_in("E5002", demo_user("E5002").pin)
        driver.tap(window.header.supervisor_button)
        board = window.supervisor_screen
        assert len(board.locked.buttons) == 1
        driver.tap(board.locked.buttons[0])
        pin_screen = window.supervisor.confirm.screen
        assert driver.screen is pin_screen
        driver.type_digits(pin_screen.entry, demo_user("E5002").pin)
        driver.tap(pin_screen.entry.confirm_button)
        assert driver.screen is board
        assert driver.banner_text() == "Account unlocked."
        assert board.locked.buttons == []
        assert _central(central, budi.employee_no).locked_until is None
        assert _badge_kinds(cutting) == []
        driver.tap(window.header.logout_button)
        driver.log_in(budi.employee_no, budi.pin)
        assert window.header.user_name.text() == "Budi Santoso · Operator"
    finally:
        kiosk.close(qtbot)


def test_the_request_runs_off_the_gui_thread(
    qtbot: QtBot,
    qapp: object,
    central: CentralDatabase,
    cutting: KioskNode,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The kiosk's own task runner sends it: the window keeps drawing while the server thinks."""
    threads: list[threading.Thread] = []
    submit = HttpIdentityServer.submit

    def watched(self: HttpIdentityServer, *args: Any) -> Any:
        threads.append(threading.current_thread())
        return submit(self, *args)

    monkeypatch.setattr(HttpIdentityServer, "submit", watched)
    kiosk = RunningKiosk(qtbot, qapp, cutting)
    runner = ThreadTaskRunner()
    try:
        driver, window = kiosk.driver, kiosk.window
        _to_badge_screen_waiting_for(driver, "E1001")
        window.runner = runner
        _tap_badge(driver, SPARE_BADGE)
        pin_screen = window.admin.confirm.screen
        driver.type_digits(pin_screen.entry, ADMIN.pin)
        driver.tap(pin_screen.entry.confirm_button)
        qtbot.waitUntil(lambda: "Badge bound to Rina" in driver.banner_text(), timeout=20_000)
        assert threads and threads[0] is not threading.main_thread()
    finally:
        # Back to running in place before the window goes: no answer may land on it after.
        kiosk.window.runner = ImmediateTaskRunner()
        runner.shutdown()
        qtbot.waitUntil(lambda: not runner.is_busy, timeout=10_000)
        kiosk.close(qtbot)
