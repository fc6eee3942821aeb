"""The real kiosk window with its sync worker running against a real server: what people see."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk.app import load_site_keys, services_for
from kiosk.app_binding import desktop_home_line
from kiosk.demo import demo_user
from kiosk.domain.errors import ErrorCode, PermissionDeniedError, RefusalError
from kiosk.settings import Settings, load_settings
from kiosk.store.models import AuditEntry, User
from kiosk.sync.runtime import SyncRuntime, build_sync
from kiosk.ui.application import apply_style
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.main_window import MainWindow
from kiosk.ui.sync_relay import SyncRelay
from kiosk.ui.tasks import ImmediateTaskRunner
from server_sync.models import AppliedEvent
from tests.helpers.central import CentralDatabase, KioskNode, ThreadServer, free_port
from tests.ui.conftest import close_window
from tests.ui.driver import KioskDriver

FAST_SYNC = {"sync_interval_seconds": "0.2", "sync_max_backoff_seconds": "1"}


def _settings() -> Settings:
    return load_settings(command_line=FAST_SYNC)


class RunningKiosk:
    """A kiosk window whose sync worker runs on its own thread, as in the real program."""

    def __init__(
        self, qtbot: QtBot, qapp: object, node: KioskNode, *, desktop: bool = False
    ) -> None:
        settings = _settings()
        self.relay = SyncRelay()
        runtime = build_sync(
            settings,
            node.database,
            node.path,
            node.secrets,
            node.clock,
            on_status=self.relay.report_status,
            on_round=self.relay.report_round,
        )
        assert runtime is not None
        self.runtime: SyncRuntime = runtime
        line = node.line_code
        if not line:  # a desktop stands at its department's first line, as the program does
            line = desktop_home_line(node.database, runtime) if desktop else "SEW-L01"
        services = services_for(
            settings,
            node.database,
            node.clock,
            line,
            node.secrets.badge_key(),
            site_keys=load_site_keys(node.secrets, node.database),
            sync=runtime,
            desktop=desktop,
        )
        apply_style(qapp)  # type: ignore[arg-type]
        self.window = MainWindow(
            services, ImmediateTaskRunner(), TimeFormatter("UTC"), desktop=desktop
        )
        self.window.attach_sync(self.relay)
        self.window.resize(1280, 800)
        self.window.start()
        self.window.show()
        qtbot.waitExposed(self.window)
        runtime.worker.start()
        self.driver = KioskDriver(self.window, qtbot)

    @property
    def sync_text(self) -> str:
        return self.window.health.sync.text()

    def close(self, qtbot: QtBot) -> None:
        self.runtime.stop()
        close_window(qtbot, self.window)


@pytest.fixture
def fixed_server(central: CentralDatabase) -> Iterator[list[ThreadServer]]:
    """A server on a port that stays the same when it is stopped and started again."""
    servers = [ThreadServer(central.url, port=free_port())]
    servers[0].start()
    yield servers
    servers[-1].stop()


def _node(central: CentralDatabase, url: str, folder: Path, line: str | None) -> KioskNode:
    code = central.enrolment_code(line=line) if line else central.enrolment_code(department="SEW")
    node = KioskNode(folder, url, code)
    node.sync()
    return node


def test_the_strip_goes_amber_with_events_waiting_offline_and_green_when_they_are_sent(
    qtbot: QtBot,
    qapp: object,
    central: CentralDatabase,
    fixed_server: list[ThreadServer],
    tmp_path: Path,
) -> None:
    port = fixed_server[0].port
    node = _node(central, fixed_server[0].url, tmp_path / "sew", "SEW-L03")
    kiosk = RunningKiosk(qtbot, qapp, node)
    try:
        qtbot.waitUntil(lambda: "Sync: online · 0 waiting" in kiosk.sync_text, timeout=10_000)
        fixed_server[0].stop()
        kiosk.driver.log_in("E2001", "8642")  # a session.started event, made offline
        qtbot.waitUntil(lambda: "Sync: offline - 1 waiting" in kiosk.sync_text, timeout=15_000)
        assert kiosk.window.current_screen() is kiosk.window.home_screen  # work goes on
        fixed_server.append(ThreadServer(central.url, port=port))
        fixed_server[-1].start()
        qtbot.waitUntil(lambda: "Sync: online · 0 waiting" in kiosk.sync_text, timeout=15_000)
        assert central.count(AppliedEvent, AppliedEvent.kind == "session.started") == 1
    finally:
        kiosk.close(qtbot)
        node.close()


def test_a_supervisor_syncs_now_from_his_screen_and_an_operator_may_not(
    qtbot: QtBot,
    qapp: object,
    central: CentralDatabase,
    fixed_server: list[ThreadServer],
    tmp_path: Path,
) -> None:
    node = _node(central, fixed_server[0].url, tmp_path / "sew", "SEW-L03")
    kiosk = RunningKiosk(qtbot, qapp, node)
    try:
        kiosk.driver.log_in("E5001", "505050")
        kiosk.driver.tap(kiosk.window.header.supervisor_button)
        screen = kiosk.window.supervisor_screen
        kiosk.driver.tap(screen.sync_button)
        assert "Syncing now" in screen.banner.message()
        with node.database.reader() as session:
            actions = list(session.scalars(select(AuditEntry.action)))
        assert "sync.now" in actions
        operator = kiosk.window.services.auth.login_with_pin(_user_id(node, "E2001"), "8642")
        with pytest.raises(PermissionDeniedError):
            kiosk.window.services.sync.sync_now(operator.actor)
    finally:
        kiosk.close(qtbot)
        node.close()


def test_the_desktop_shows_the_department_board_and_refuses_operators(
    qtbot: QtBot,
    qapp: object,
    central: CentralDatabase,
    fixed_server: list[ThreadServer],
    tmp_path: Path,
) -> None:
    node = _node(central, fixed_server[0].url, tmp_path / "desk", None)
    kiosk = RunningKiosk(qtbot, qapp, node, desktop=True)
    try:
        tiles = set(kiosk.window.login_screen.tiles)
        assert tiles == {"E5001"}  # Sewing's supervisor, no operators
        with pytest.raises(RefusalError) as refused:
            kiosk.window.services.auth.login_with_pin(_user_id(node, "E2001"), "8642")
        assert refused.value.code is ErrorCode.DESKTOP_SUPERVISORS_ONLY
        kiosk.driver.log_in("E5001", "505050")
        window = kiosk.window
        assert window.current_screen() is window.supervisor_screen
        output = window.supervisor_screen.output.texts()
        assert any(text.startswith("SEW-L01 ·") for text in output)
        assert any(text.startswith("SEW-L03 ·") for text in output)
        assert window.header.line_code.text() == "Sewing"
    finally:
        kiosk.close(qtbot)
        node.close()


def test_an_admin_at_the_desktop_lands_on_the_admin_screen_without_a_refusal_in_the_audit(
    qtbot: QtBot,
    qapp: object,
    central: CentralDatabase,
    fixed_server: list[ThreadServer],
    tmp_path: Path,
) -> None:
    node = _node(central, fixed_server[0].url, tmp_path / "desk", None)
    kiosk = RunningKiosk(qtbot, qapp, node, desktop=True)
    try:
        kiosk.driver.log_in_by_number("9001", demo_user("E9001").pin)
        window = kiosk.window
        assert window.current_screen() is window.admin_screen
        # One way there: the Admin button; no "Department" button leading to a board
        # an admin may not see.
        assert window.header.admin_button.isVisibleTo(window)
        assert not window.header.home_button.isVisibleTo(window)
        with node.database.reader() as session:
            refused = session.scalars(
                select(AuditEntry.action).where(AuditEntry.outcome != "ok")
            ).all()
        assert refused == []
    finally:
        kiosk.close(qtbot)
        node.close()


def _user_id(node: KioskNode, employee_no: str) -> uuid.UUID:
    with node.database.reader() as session:
        user_id = session.scalar(select(User.id).where(User.employee_no == employee_no))
    assert user_id is not None
    return user_id


def test_someone_whose_pin_the_server_keeps_from_this_kiosk_is_refused_before_any_pin_check(
    central: CentralDatabase, fixed_server: list[ThreadServer], tmp_path: Path
) -> None:
    """Agus works on CUT-L01: a CUT-L02 kiosk knows his name only; guesses lock nobody."""
    node = _node(central, fixed_server[0].url, tmp_path / "cut", "CUT-L02")
    try:
        for _ in range(6):
            with pytest.raises(RefusalError) as refused:
                node.services.auth.login_with_pin(_user_id(node, "E1003"), "4321")
            assert refused.value.code is ErrorCode.NOT_ASSIGNED_TO_LINE
        with node.database.reader() as session:
            agus = session.get(User, _user_id(node, "E1003"))
            assert agus is not None and agus.locked_until is None and agus.failed_pin_count == 0
    finally:
        node.close()
