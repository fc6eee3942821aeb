"""What the screens say about sync is true, and they follow what a round brings (real server)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from PySide6.QtWidgets import QLabel

from kiosk.app import load_site_keys, services_for
from kiosk.domain.site_time import zone_named
from kiosk.domain.transfer import TransferStatus
from kiosk.settings import load_settings
from kiosk.store.models import Transfer, User, WorkOrder
from kiosk.sync.runtime import build_sync
from kiosk.sync.status import OFFLINE, ONLINE, RoundReport, SyncStatus
from kiosk.ui.application import apply_style
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.main_window import MainWindow
from kiosk.ui.sync_relay import SyncRelay
from kiosk.ui.tasks import TaskRunner, ThreadTaskRunner
from server_sync.feed import feed_row, publish
from server_sync.settings import ServerSettingsError, load_server_settings
from server_sync.site import apply_time_zone
from tests.helpers.central import (
    CentralDatabase,
    KioskNode,
    ServerProcess,
    ThreadServer,
    free_port,
)
from tests.sync.test_kiosk_screens import FAST_SYNC, RunningKiosk, _node
from tests.ui.conftest import close_window
from tests.ui.driver import KioskDriver
from tests.ui.test_kanban_screens import DEWI, Kiosk, _request_through_the_screens

RINA = ("E1001", "2468")


@pytest.fixture
def servers(central: CentralDatabase) -> Iterator[list[ThreadServer]]:
    """A server on a port that stays the same when it is stopped and started again."""
    running = [ThreadServer(central.url, port=free_port())]
    running[0].start()
    yield running
    running[-1].stop()


def _restart(servers: list[ThreadServer], central: CentralDatabase) -> None:
    servers.append(ThreadServer(central.url, port=servers[0].port))
    servers[-1].start()


class ThreadedKiosk:
    """A kiosk window whose service calls run on the task thread, as in the real program."""

    def __init__(self, qtbot: QtBot, qapp: object, node: KioskNode, runner: TaskRunner) -> None:
        settings = load_settings(command_line=FAST_SYNC)
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
        self.runtime = runtime
        services = services_for(
            settings,
            node.database,
            node.clock,
            node.line_code,
            node.secrets.badge_key(),
            site_keys=load_site_keys(node.secrets, node.database),
            sync=runtime,
        )
        apply_style(qapp)
        self.window = MainWindow(services, runner, TimeFormatter("UTC"))
        self.window.attach_sync(self.relay)
        self.window.resize(1280, 800)
        self.window.start()
        self.window.show()
        qtbot.waitExposed(self.window)
        runtime.worker.start()
        self.driver = KioskDriver(self.window, qtbot)

    def close(self, qtbot: QtBot) -> None:
        self.runtime.stop()
        close_window(qtbot, self.window)


def _work_order_id(node: KioskNode, number: str) -> uuid.UUID:
    with node.database.reader() as session:
        found = session.scalar(select(WorkOrder.id).where(WorkOrder.number == number))
    assert found is not None
    return found


def _history_texts(window: MainWindow) -> list[str]:
    rows = window.handshake.handoff_screen.history_rows
    return [
        label.text()
        for row in rows
        for label in [row, *row.findChildren(QLabel)]
        if isinstance(label, QLabel)
    ]


def _transfer_status(node: KioskNode, slip_id: str) -> TransferStatus | None:
    with node.database.reader() as session:
        return session.scalar(select(Transfer.status).where(Transfer.slip_id == slip_id))


def test_the_open_hand_over_screen_follows_a_round_that_brings_the_receivers_count(
    qtbot: QtBot,
    qapp: object,
    central: CentralDatabase,
    servers: list[ThreadServer],
    tmp_path: Path,
) -> None:
    """Rina looks at her handoff while Dewi counts it at SEW-L03: within a second of the round
    that brings the count, "not received yet" and the Reprint button are gone."""
    url = servers[0].url
    cutting = _node(central, url, tmp_path / "cut", "CUT-L02")
    sewing = _node(central, url, tmp_path / "sew", "SEW-L03")
    kiosk = ThreadedKiosk(qtbot, qapp, cutting, ThreadTaskRunner())
    window = kiosk.window
    accepted_round: list[float] = []

    def on_round(_report: RoundReport) -> None:  # on the GUI thread, before the window's slot
        if not accepted_round and _transfer_status(cutting, slip) is TransferStatus.ACCEPTED:
            accepted_round.append(time.monotonic())

    try:
        qtbot.waitUntil(lambda: RINA[0] in window.login_screen.tiles, timeout=10_000)
        kiosk.driver.log_in(*RINA)
        qtbot.waitUntil(lambda: window.current_screen() is window.home_screen, timeout=10_000)
        work_order_id = _work_order_id(cutting, "WO-2026-004217")
        rina = cutting.login("E1001")
        prepared = cutting.services.transfers.prepare(rina, work_order_id, "40", "SEW-L03")
        slip = prepared.transfer.slip_id
        screen = window.handshake.handoff_screen
        window.handshake.open_handoff(work_order_id)
        qtbot.waitUntil(lambda: prepared.transfer.id in screen.reprint_buttons, timeout=10_000)
        assert any("not received yet" in text for text in _history_texts(window))
        qtbot.waitUntil(lambda: cutting.pending() == 0, timeout=15_000)  # the worker sent it
        kiosk.relay.round_finished.connect(on_round)
        sewing.sync()
        dewi = sewing.login("E2001")
        checked = sewing.services.transfers.check_slip(dewi, prepared.document.qr_payload or "")
        assert sewing.services.transfers.receive(dewi, checked.payload, "40").accepted
        sewing.sync()
        qtbot.waitUntil(lambda: bool(accepted_round), timeout=15_000)
        qtbot.waitUntil(lambda: not screen.reprint_buttons, timeout=5_000)
        refreshed_after = time.monotonic() - accepted_round[0]
        texts = _history_texts(window)
        assert not any("not received yet" in text for text in texts), texts
        assert any(slip in text for text in texts)
        assert refreshed_after < 1.0, f"refreshed {refreshed_after:.2f} s after the round"
    finally:
        kiosk.close(qtbot)
        cutting.close()
        sewing.close()


def test_a_server_back_after_a_while_away_is_seen_within_ten_seconds(
    central: CentralDatabase, servers: list[ThreadServer], tmp_path: Path
) -> None:
    """With the shipped back-off (up to 60 s): offline, the worker probes every 2.5 s."""
    node = _node(central, servers[0].url, tmp_path / "sew", "SEW-L03")
    statuses: list[tuple[float, SyncStatus]] = []
    runtime = build_sync(
        load_settings(),  # the real intervals: 2 s between rounds, back-off up to 60 s
        node.database,
        node.path,
        node.secrets,
        node.clock,
        on_status=lambda status: statuses.append((time.monotonic(), status)),
        on_round=lambda report: None,
    )
    assert runtime is not None

    def online_since(moment: float) -> bool:
        return any(at >= moment and status.state == ONLINE for at, status in statuses)

    try:
        runtime.worker.start()
        deadline = time.monotonic() + 15
        while not online_since(0) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert online_since(0)
        servers[0].stop()
        away_since = time.monotonic()
        time.sleep(12)  # long enough for the old back-off to wait 8-16 s before its next try
        offline = [status for at, status in statuses if at >= away_since]
        assert offline and all(status.state == OFFLINE for status in offline)
        # No wait longer than a probe's is planned while the server is away.
        assert max(status.retry_in_seconds or 0 for status in offline) <= 3.0
        _restart(servers, central)
        back_at = time.monotonic()
        while not online_since(back_at) and time.monotonic() < back_at + 15:
            time.sleep(0.05)
        seen_after = next(at for at, status in statuses if at >= back_at and status.state == ONLINE)
        assert seen_after - back_at < 10.0
    finally:
        runtime.stop()
        node.close()


def test_a_kanban_request_made_offline_says_it_waits_for_the_next_sync_and_then_that_it_went(
    qtbot: QtBot,
    qapp: object,
    central: CentralDatabase,
    servers: list[ThreadServer],
    tmp_path: Path,
) -> None:
    node = _node(central, servers[0].url, tmp_path / "sew", "SEW-L03")
    running = RunningKiosk(qtbot, qapp, node)
    line = Kiosk(running.driver, [])
    try:
        qtbot.waitUntil(lambda: "Sync: online" in running.sync_text, timeout=10_000)
        servers[0].stop()
        qtbot.waitUntil(lambda: "Sync: offline" in running.sync_text, timeout=15_000)
        line.log_in(DEWI)
        line.open_board()
        card_no = _request_through_the_screens(line, "thread white", "Thread, white, 5000 m", "10")
        waiting = node.pending()
        assert waiting >= 2  # Dewi's login and her request, at least
        banner = line.banner()
        assert f"Request {card_no} sent: 10 cone Thread, white, 5000 m." in banner
        assert f"The warehouse will see it at the next sync ({waiting} waiting; last sync" in banner
        assert "sees it now" not in banner
        _restart(servers, central)
        qtbot.waitUntil(lambda: "The warehouse has it (synced" in line.banner(), timeout=15_000)
        assert line.banner().startswith(f"Request {card_no} sent")
        assert node.pending() == 0
    finally:
        running.close(qtbot)
        node.close()


def test_the_site_zone_set_on_the_server_reaches_the_kiosks_screens_and_paper(
    qtbot: QtBot,
    qapp: object,
    central: CentralDatabase,
    servers: list[ThreadServer],
    tmp_path: Path,
) -> None:
    node = _node(central, servers[0].url, tmp_path / "cut", "CUT-L02")
    running = RunningKiosk(qtbot, qapp, node)
    window = running.window
    try:
        assert str(window.services.site_zone.zone) == "Asia/Jakarta"  # the demo site's
        assert apply_time_zone(central.engine, "Asia/Makassar")
        assert not apply_time_zone(central.engine, "Asia/Makassar")  # unchanged: not re-sent
        qtbot.waitUntil(lambda: str(window.times.zone) == "Asia/Makassar", timeout=15_000)
        before = node.clock.now().astimezone(zone_named("Asia/Makassar")).strftime("%H:%M")
        qtbot.wait(300)  # the header's next tick
        after = node.clock.now().astimezone(zone_named("Asia/Makassar")).strftime("%H:%M")
        assert window.header.clock.text() in {before, after}
        assert str(window.services.site_zone.zone) == "Asia/Makassar"  # slips and cards too
    finally:
        running.close(qtbot)
        node.close()


def test_the_server_started_with_a_site_zone_gives_it_to_every_kiosk(
    central: CentralDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SERVER_SYNC_SITE_TIME_ZONE", "Asia/Jayapura")
    process = ServerProcess(central.url)
    process.start()
    try:
        node = _node(central, process.url, tmp_path / "cut", "CUT-L02")
        try:
            assert str(node.services.site_zone.zone) == "Asia/Jayapura"
            rina = node.login("E1001")
            prepared = node.services.transfers.prepare(
                rina,
                _work_order_id(node, "WO-2026-004217"),
                "5",
                "SEW-L03",
            )
            printed = dict(prepared.document.rows)["Prepared"]
            assert printed.endswith(" WIT")  # Waktu Indonesia Timur, UTC+9
        finally:
            node.close()
    finally:
        process.stop()


def test_a_mistyped_site_zone_stops_the_server_with_what_to_do() -> None:
    with pytest.raises(ServerSettingsError, match=r"Asia/Jakata.*IANA name"):
        load_server_settings(
            {"database_url": "postgresql://x/y", "site_time_zone": "Asia/Jakata"}, environ={}
        )


def test_the_login_roster_follows_a_round_that_renames_someone(
    qtbot: QtBot,
    qapp: object,
    central: CentralDatabase,
    servers: list[ThreadServer],
    tmp_path: Path,
) -> None:
    node = _node(central, servers[0].url, tmp_path / "sew", "SEW-L03")
    running = RunningKiosk(qtbot, qapp, node)
    login = running.window.login_screen
    try:
        qtbot.waitUntil(lambda: "E2001" in login.tiles, timeout=10_000)
        assert login.tiles["E2001"].text().startswith("Dewi Lestari\n")
        with central.session() as session:
            dewi = session.scalar(select(User).where(User.employee_no == "E2001"))
            assert dewi is not None
            dewi.name = "Dewi Lestari Putri"  # married: the ERP sends the new name
            session.flush()
            row = feed_row(session, dewi)
            assert row is not None
            publish(session, [row])
            session.commit()
        qtbot.waitUntil(
            lambda: login.tiles["E2001"].text().startswith("Dewi Lestari Putri\n"), timeout=10_000
        )
    finally:
        running.close(qtbot)
        node.close()


def test_a_hold_on_screen_that_another_kiosk_decided_goes_with_a_word_why(
    qtbot: QtBot,
    qapp: object,
    central: CentralDatabase,
    servers: list[ThreadServer],
    tmp_path: Path,
) -> None:
    url = servers[0].url
    cutting = _node(central, url, tmp_path / "cut", "CUT-L02")
    sewing = _node(central, url, tmp_path / "sew", "SEW-L03")
    other = _node(central, url, tmp_path / "sew-spare", "SEW-L03")  # a second kiosk there
    rina = cutting.login("E1001")
    prepared = cutting.services.transfers.prepare(
        rina, _work_order_id(cutting, "WO-2026-004217"), "40", "SEW-L03"
    )
    cutting.sync()
    sewing.sync()
    dewi = sewing.login("E2001")
    checked = sewing.services.transfers.check_slip(dewi, prepared.document.qr_payload or "")
    first = sewing.services.transfers.receive(dewi, checked.payload, "39")
    assert first.needs_recount  # a first count that does not match is counted again
    assert not sewing.services.transfers.receive(dewi, checked.payload, "37").accepted
    running = RunningKiosk(qtbot, qapp, sewing)
    window = running.window
    try:
        qtbot.waitUntil(lambda: sewing.pending() == 0, timeout=15_000)
        running.driver.log_in("E5001", "505050")
        actor = window.actor
        assert actor is not None
        window.handshake.open_hold(window.services.transfers.holds(actor)[0])
        assert window.current_screen() is window.handshake.hold_screen
        other.sync()
        budi = other.login("E5001")
        other.services.transfers.release(budi, prepared.transfer.id, "Recounted: 37 is right")
        other.sync()
        qtbot.waitUntil(
            lambda: window.current_screen() is not window.handshake.hold_screen, timeout=15_000
        )
        assert running.driver.banner_text().startswith(
            "WO-2026-004217 was decided on another kiosk meanwhile."
        )
    finally:
        running.close(qtbot)
        for node in (cutting, sewing, other):
            node.close()
