"""Kiosks that disagree: two warehouse kiosks deciding one kanban card offline, clocks a day off.

Conflicts are decided by central state and the server's commit order, never by the
kiosks' clocks; the loser is told "conflict", gets the central state back on its next
pull, and the refusal becomes an alert. Everything else still applies exactly once.
"""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from kiosk.domain.kanban import KanbanStatus
from kiosk.domain.roles import Department
from kiosk.store.models import Alert, KanbanCard, OutboxEvent
from kiosk.sync.status import RoundReport
from server_sync.models import AppliedEvent, Device
from tests.helpers.central import CentralDatabase, KioskNode, OffsetClock
from tests.helpers.faults import card, record_counts
from tests.helpers.sync_checks import (
    assert_applied_exactly,
    assert_counts_once,
    assert_healed,
)
from tests.sync.conftest import KioskFactory

DECISIONS = ("kanban.approved", "kanban.rejected")


def _answer(node: KioskNode, kinds: tuple[str, ...]) -> tuple[str, str | None]:
    """The server's answer, as stored on the kiosk, to its one event of these kinds."""
    with node.database.reader() as session:
        rows = session.execute(
            select(OutboxEvent.result, OutboxEvent.result_reason).where(OutboxEvent.kind.in_(kinds))
        ).all()
    assert len(rows) == 1, rows
    return rows[0][0], rows[0][1]


def _central_card(central: CentralDatabase, card_id: uuid.UUID) -> KanbanCard:
    with central.session() as session:
        found = session.get(KanbanCard, card_id)
        assert found is not None
        return found


def _same_card(local: KanbanCard, central: KanbanCard) -> None:
    for column in ("status", "version", "decided_by", "decided_at", "shipped_by", "received_by"):
        assert getattr(local, column) == getattr(central, column), column


def _request_card(sewing: KioskNode) -> uuid.UUID:
    dewi = sewing.login("E2001")
    requested = sewing.services.kanban.request(dewi, "THR-WHT-5000", "12")
    sewing.sync()
    return requested.id


def _healed(central: CentralDatabase, nodes: list[KioskNode]) -> None:
    for node in nodes:
        node.sync()  # the last rows each other kiosk's round published
    events = assert_healed(central, nodes)
    assert_applied_exactly(central, events)
    assert_counts_once(central, nodes)


# ====================================================================== 6. one card, two kiosks
def test_two_warehouse_kiosks_deciding_one_card_offline_one_wins_by_commit_order(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    sewing = kiosk("SEW-L03")
    card_id = _request_card(sewing)
    approving, rejecting = kiosk("WH-L01", "WH-L01-a"), kiosk("WH-L01", "WH-L01-b")
    assert card(approving, card_id).status is KanbanStatus.REQUESTED
    # Both offline: each decides on the version it saw.
    sri_a, sri_b = approving.login("E6002"), rejecting.login("E6002")
    approving.services.kanban.approve(sri_a, card_id)
    rejecting.services.kanban.reject(sri_b, card_id, "Out of stock")

    # Back online at the same instant: the server's commit order decides.
    start = threading.Barrier(2)
    reports: list[RoundReport] = []

    def sync(node: KioskNode) -> None:
        start.wait()
        reports.append(node.sync())  # an error would fail the test (unhandled in a thread)

    racers = [threading.Thread(target=sync, args=(node,)) for node in (approving, rejecting)]
    for thread in racers:
        thread.start()
    for thread in racers:
        thread.join(30)
    assert len(reports) == 2
    answers = {node.folder.name: _answer(node, DECISIONS)[0] for node in (approving, rejecting)}
    assert sorted(answers.values()) == ["applied", "conflict"], answers
    winner, loser = (
        (approving, rejecting) if answers["WH-L01-a"] == "applied" else (rejecting, approving)
    )
    result, reason = _answer(loser, DECISIONS)
    assert (result, (reason or "").split(":")[0]) == ("conflict", "kanban_version")

    central_card = _central_card(central, card_id)
    expected = KanbanStatus.APPROVED if winner is approving else KanbanStatus.REJECTED
    assert (central_card.status, central_card.version) == (expected, 2)
    # The loser gets the central state back with the answer; its own version is gone.
    _same_card(card(loser, card_id), central_card)
    _same_card(card(winner, card_id), central_card)
    # The refusal is an alert for the warehouse's side, on the kiosk and centrally.
    with central.session() as session:
        refused = session.scalars(select(Alert).where(Alert.kind == "sync_refused")).all()
        loser_device = loser.store.state().device_id
        assert [(alert.department, alert.fields["event_kind"]) for alert in refused] == [
            (Department.WAREHOUSE, "kanban.approved" if loser is approving else "kanban.rejected")
        ]
        assert refused[0].fields["device_id"] == str(loser_device)
    andi = loser.login("E9001")  # the admin sees every department's alerts
    assert "sync_refused" in {alert.kind for alert in loser.services.alerts.open_alerts(andi)}

    if central_card.status is KanbanStatus.REJECTED:
        card_id = _request_card(sewing)  # the line asks again; nobody races this time
        for node in (approving, rejecting):
            node.sync()
        approving.services.kanban.approve(approving.login("E6002"), card_id)
        approving.sync()
    # The goods go out from the kiosk that lost the race (it is up to date again) …
    loser.sync()
    wati = loser.login("E6001")
    loser.services.kanban.ship(wati, card_id)
    loser.sync()
    # … and the sewing supervisor receives them on the line's kiosk.
    sewing.sync()
    assert card(sewing, card_id).status is KanbanStatus.IN_TRANSIT
    hadi = sewing.login("E5001")
    sewing.services.kanban.receive(hadi, card_id)
    report = sewing.sync()
    assert report.answers["applied"] >= 1 and not report.answers["conflict"]
    received = _central_card(central, card_id)
    assert (received.status, received.version) == (KanbanStatus.RECEIVED, 4)
    _healed(central, [sewing, approving, rejecting])
    for node in (sewing, approving, rejecting):
        _same_card(card(node, card_id), received)


# ====================================================================== 8. clocks a day off
def test_kiosk_clocks_a_day_off_apply_once_lose_no_race_by_their_clock_and_raise_alerts(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    ahead, behind = OffsetClock(timedelta(hours=24)), OffsetClock(timedelta(hours=-24))
    cutting_ahead = kiosk("CUT-L02", clock=ahead)
    cutting_behind = kiosk("CUT-L01", clock=behind)
    sewing = kiosk("SEW-L03")
    card_id = _request_card(sewing)
    wh_ahead = kiosk("WH-L01", "WH-L01-ahead", clock=ahead)
    wh_behind = kiosk("WH-L01", "WH-L01-behind", clock=behind)

    record_counts(cutting_ahead, 30)
    record_counts(cutting_behind, 30, employee="E1003", number="WO-2026-004224")
    # The card: approved first by the kiosk that thinks it is tomorrow, then rejected by
    # the one that thinks it is yesterday. By device time the rejection came first; the
    # server goes by what it committed first.
    wh_ahead.services.kanban.approve(wh_ahead.login("E6002"), card_id)
    wh_behind.services.kanban.reject(wh_behind.login("E6002"), card_id, "Out of stock")
    wh_ahead.sync()
    wh_behind.sync()
    assert _answer(wh_ahead, DECISIONS)[0] == "applied"
    assert _answer(wh_behind, DECISIONS)[0] == "conflict"
    decided = _central_card(central, card_id)
    assert decided.status is KanbanStatus.APPROVED
    assert decided.decided_at is not None and decided.decided_at > datetime.now(UTC)  # as told
    for node in (cutting_ahead, cutting_behind):
        node.sync()

    nodes = [sewing, cutting_ahead, cutting_behind, wh_ahead, wh_behind]
    _healed(central, nodes)
    now = datetime.now(UTC)
    signs = {node.store.state().device_id: 0 for node in nodes}
    for node, sign in ((cutting_ahead, 1), (cutting_behind, -1), (wh_ahead, 1), (wh_behind, -1)):
        signs[node.store.state().device_id] = sign
    with central.session() as session:
        # The server stamps its own receive time beside the device's.
        for device_id, created, received in session.execute(
            select(AppliedEvent.device_id, AppliedEvent.created_at, AppliedEvent.received_at)
        ):
            assert abs((received - now).total_seconds()) < 120, (device_id, received)
            told = (created - received).total_seconds()
            assert abs(told - signs[device_id] * 86_400) < 120, (device_id, told)
        offsets = {
            alert.fields["device_id"]: alert.fields["offset_seconds"]
            for alert in session.scalars(select(Alert).where(Alert.kind == "device_clock_off"))
        }
        devices = {device.id: device for device in session.scalars(select(Device))}
    for node, sign in ((cutting_ahead, 1), (cutting_behind, -1), (wh_ahead, 1), (wh_behind, -1)):
        device_id = node.store.state().device_id
        assert device_id is not None
        assert abs(offsets[str(device_id)] - sign * 86_400) < 120, node.folder.name
        offset = devices[device_id].clock_offset_seconds
        assert offset is not None and abs(offset - sign * 86_400) < 120
    assert str(sewing.store.state().device_id) not in offsets  # a right clock raises nothing
