"""The kiosk's start-up on the real SQLite site and real widgets, off-screen.

Its slow steps run on the start-up's worker thread and every screen change comes from
the main loop: a new kiosk shows the first-download screen until sync reports online,
then the login screen. The sync itself is a stand-in here (the real worker against a
real server is in tests/sync/test_kiosk_screens.py); what it reports goes through the
real relay, as the worker's thread reports it.
"""

from __future__ import annotations

import ast
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QCoreApplication, QEventLoop, QThread
from shiboken6 import isValid

import kiosk.app
from kiosk.app import KioskStartup, StartPlan, StartupError
from kiosk.domain.roles import Department
from kiosk.settings import load_settings
from kiosk.sync.status import ONLINE, SYNCING, SyncProgress, SyncStatus
from kiosk.ui.screens import bootstrap
from kiosk.ui.screens.bootstrap import BootstrapScreen
from tests.helpers.site import Site

WAIT_MS = 10_000  # generous: the machine is shared


@dataclass
class FakeSyncState:
    line_code: str | None
    bootstrapped_at: datetime | None = None
    device_kind: str = "kiosk"
    department: Department | None = None
    device_id: uuid.UUID | None = None


@dataclass
class FakeTrust:
    fingerprint: bytes | None = None  # a site CA signs the server


@dataclass
class FakeClient:
    """The server the kiosk syncs with, as the Devices screen's enrolment QR names it."""

    base_url: str = "https://sync.factory.test:8400"
    trust: FakeTrust = field(default_factory=FakeTrust)


class FakeSyncWorker:
    """Records being started; the test reports the sync's status itself."""

    def __init__(self) -> None:
        self.is_running = False
        self.started_on: QThread | None = None

    def start(self) -> None:
        self.is_running = True
        self.started_on = QThread.currentThread()

    def stop(self) -> None:
        self.is_running = False

    def sync_now(self) -> None:
        return None

    def events_queued(self) -> None:
        return None


class FakeSync:
    """An enrolled kiosk's sync whose first download has not come yet."""

    def __init__(self, line_code: str | None) -> None:
        self.state = FakeSyncState(line_code)
        self.client = FakeClient()
        self.worker = FakeSyncWorker()
        self.is_stopped = False
        self.built_on: QThread | None = None
        self.identity = None  # identity requests are not part of starting up

    def stop(self) -> None:
        self.is_stopped = True

    def rehash_badge(self, uid: str) -> None:
        return None


@pytest.fixture
def nested_loops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every QEventLoop.exec or processEvents call made from kiosk code, recorded.

    The calls still run: pytest-qt's own waiting uses a QEventLoop, and is not recorded.
    """
    calls: list[str] = []

    def spy(label: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            caller = sys._getframe(1).f_globals.get("__name__", "")
            if caller.split(".")[0] == "kiosk":
                calls.append(f"{label} from {caller}")
            if label == "processEvents":  # a static method: no instance to pass on
                args = tuple(arg for arg in args if not isinstance(arg, QCoreApplication))
            return original(*args, **kwargs)

        return call

    monkeypatch.setattr(QEventLoop, "exec", spy("QEventLoop.exec", QEventLoop.exec))
    monkeypatch.setattr(
        QCoreApplication,
        "processEvents",
        spy("processEvents", QCoreApplication.processEvents),
    )
    return calls


@pytest.fixture(autouse=True)
def _keep_excepthook(monkeypatch: pytest.MonkeyPatch) -> None:
    """The start-up installs the window's error handler; it must not outlive the test."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


def _finish(qtbot: QtBot, startup: KioskStartup, exit_code: int) -> int:
    """Stop what the start-up started, as after `app.exec()`; no window is left alive."""
    try:
        return startup.finish(exit_code)
    finally:
        if startup.window is not None:
            startup.window.deleteLater()
        qtbot.wait(1)


def _start(qapp: Any, site: Site, tmp_path: Path, **settings: Any) -> KioskStartup:
    startup = KioskStartup(
        qapp,
        load_settings(
            command_line={
                "data_dir": site.path.parent,
                "secret_store": "file",
                "windowed": True,
                "sounds": False,
                **settings,
            }
        ),
        site.clock,
        StartPlan(demo=False, reset=False, smoke=False, desktop=False, scratch=tmp_path),
        started=time.perf_counter(),
    )
    startup.begin()
    return startup


@pytest.fixture
def fake_sync(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSync]:
    sync = FakeSync("CUT-L02")

    def build(*args: Any, **kwargs: Any) -> FakeSync:
        sync.built_on = QThread.currentThread()
        return sync

    monkeypatch.setattr(kiosk.app, "sync_for", build)
    yield sync


def _status(state: str, **fields: Any) -> SyncStatus:
    return SyncStatus(state=state, pending=0, last_success_at=None, last_error=None, **fields)


def test_a_new_kiosk_shows_the_first_download_then_the_login_screen_when_sync_is_online(  # noqa: PLR0917  (fixtures)
    qtbot: QtBot,
    qapp: Any,
    site: Site,
    tmp_path: Path,
    fake_sync: FakeSync,
    nested_loops: list[str],
) -> None:
    startup = _start(qapp, site, tmp_path)
    try:
        qtbot.waitUntil(lambda: startup.bootstrap_screen is not None, timeout=WAIT_MS)
        screen = startup.bootstrap_screen
        assert isinstance(screen, BootstrapScreen)
        assert screen.isVisible()
        assert startup.window is None  # no services before the line's data is here
        assert fake_sync.worker.is_running
        assert fake_sync.built_on is not QThread.currentThread()  # keyring read off the GUI

        startup.relay.report_status(_status(SYNCING, bootstrap=SyncProgress(40, 100)))
        qtbot.waitUntil(lambda: screen.progress.value() == 40, timeout=WAIT_MS)
        assert "40%" in screen.detail.text()
        assert startup.window is None

        fake_sync.state.bootstrapped_at = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
        startup.relay.report_status(_status(ONLINE))
        qtbot.waitUntil(lambda: startup.window is not None, timeout=WAIT_MS)
        window = startup.window
        assert window is not None
        qtbot.waitUntil(window.isVisible, timeout=WAIT_MS)
        assert window.current_screen() is window.login_screen
        # The roster is read on the worker thread after the login screen is up.
        qtbot.waitUntil(lambda: len(window.login_screen.tiles) == 3, timeout=WAIT_MS)
        assert startup.bootstrap_screen is None
        assert not isValid(screen) or not screen.isVisible()  # closed, then deleted
        assert window.services.line.code == "CUT-L02"
        assert startup.error is None
        assert nested_loops == []
    finally:
        assert _finish(qtbot, startup, 0) == 0
    assert fake_sync.is_stopped


def test_an_online_status_before_the_screen_is_done_starts_the_kiosk_once(
    qtbot: QtBot, qapp: Any, site: Site, tmp_path: Path, fake_sync: FakeSync
) -> None:
    startup = _start(qapp, site, tmp_path)
    try:
        qtbot.waitUntil(lambda: startup.bootstrap_screen is not None, timeout=WAIT_MS)
        fake_sync.state.bootstrapped_at = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
        startup.relay.report_status(_status(ONLINE))
        startup.relay.report_status(_status(ONLINE))
        qtbot.waitUntil(lambda: startup.window is not None, timeout=WAIT_MS)
        first = startup.window
        qtbot.wait(50)
        assert startup.window is first
    finally:
        _finish(qtbot, startup, 0)


def test_a_kiosk_already_set_up_goes_straight_to_the_login_screen(  # noqa: PLR0917  (fixtures)
    qtbot: QtBot,
    qapp: Any,
    site: Site,
    tmp_path: Path,
    fake_sync: FakeSync,
    nested_loops: list[str],
) -> None:
    fake_sync.state.bootstrapped_at = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
    startup = _start(qapp, site, tmp_path)
    try:
        qtbot.waitUntil(lambda: startup.window is not None, timeout=WAIT_MS)
        window = startup.window
        assert window is not None
        assert window.current_screen() is window.login_screen
        assert startup.bootstrap_screen is None
        assert fake_sync.worker.is_running
        assert fake_sync.worker.started_on is QThread.currentThread()
        assert nested_loops == []
    finally:
        _finish(qtbot, startup, 0)


def test_a_start_up_refusal_found_on_the_worker_reaches_the_caller_after_the_loop(
    qtbot: QtBot, qapp: Any, site: Site, tmp_path: Path, fake_sync: FakeSync
) -> None:
    startup = _start(qapp, site, tmp_path, line="SEW-L03")
    with qtbot.waitSignal(startup.ended, timeout=WAIT_MS) as ended:
        pass
    assert ended.args == [2]
    assert startup.error is not None
    assert startup.window is None and startup.bootstrap_screen is None
    with pytest.raises(StartupError, match="enrolled for line CUT-L02, not SEW-L03"):
        _finish(qtbot, startup, 2)
    assert fake_sync.is_stopped  # the half-built start-up is taken down


def test_an_unknown_line_is_refused_with_the_known_lines(
    qtbot: QtBot, qapp: Any, site: Site, tmp_path: Path
) -> None:
    startup = _start(qapp, site, tmp_path, line="NOPE-L9")
    qtbot.waitUntil(lambda: startup.error is not None, timeout=WAIT_MS)
    with pytest.raises(StartupError, match=r"Line NOPE-L9 is not set up .*known lines: CUT-L01"):
        _finish(qtbot, startup, 2)


def test_the_start_up_code_runs_no_nested_event_loop() -> None:
    """By structure: only `app.exec()` runs a loop; nothing waits by spinning events."""
    sources = [Path(kiosk.app.__file__), Path(bootstrap.__file__)]
    calls: list[str] = []
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name | ast.Attribute):
                name = node.id if isinstance(node, ast.Name) else node.attr
                if name in {"QEventLoop", "processEvents", "exec", "exec_", "waitForDone"}:
                    calls.append(f"{path.name}:{node.lineno}:{ast.unparse(node)}")
    assert [call.split(":", 2)[::2] for call in calls] == [["app.py", "app.exec"]], calls
