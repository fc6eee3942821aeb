"""The results feed: what two real kiosks recorded comes out once each, in commit order."""

from __future__ import annotations

import csv
import json
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
import uvicorn
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.store.models import OutboxEvent, WorkOrder
from server_sync import cli
from server_sync.app import create_app
from server_sync.models import Device
from server_sync.results import (
    CursorAheadError,
    read_results,
    record_events,
    results_high_water,
)
from server_sync.results_shape import COLUMNS, FACT_EVENT_KINDS, UnknownKindError
from server_sync.settings import ServerSettings
from tests.helpers.central import CentralDatabase, KioskNode, free_port, wait_until_healthy
from tests.helpers.integration import make_key
from tests.helpers.sync_raw import queue_event
from tests.sync.conftest import KioskFactory

CUTTING_RUNNING = "WO-2026-004217"


def _work_order_id(node: KioskNode, number: str) -> uuid.UUID:
    with node.database.reader() as session:
        found = session.scalar(select(WorkOrder.id).where(WorkOrder.number == number))
    assert found is not None
    return found


def _outbox(node: KioskNode) -> list[tuple[uuid.UUID, str, str | None]]:
    """(id, kind, server's answer) of every event the kiosk sent, in its own order."""
    with node.database.reader() as session:
        rows = session.scalars(select(OutboxEvent).order_by(OutboxEvent.seq)).all()
        return [(row.id, row.kind, row.result) for row in rows]


def _read_all(central: CentralDatabase, after: int = 0, limit: int = 3, **options: Any) -> list:
    """Every fact after `after`, read in small pages as an ERP would, cursor to cursor."""
    facts: list[dict[str, Any]] = []
    cursor = after
    with central.session() as session:
        while True:
            page, cursor = read_results(session, cursor, limit, **options)
            session.rollback()
            facts += page
            if not page:
                return facts


class _Floor:
    """A morning on two lines, synced round by round: which round sent each event."""

    def __init__(self, kiosk: KioskFactory) -> None:
        self.cutting, self.sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
        self.round_of: dict[uuid.UUID, int] = {}
        self.rounds = 0

    def sync(self, node: KioskNode) -> None:
        waiting = {event_id for event_id, _kind, result in _outbox(node) if result is None}
        node.sync()
        self.rounds += 1
        for event_id in waiting:
            self.round_of[event_id] = self.rounds

    def run(self) -> None:
        cutting, sewing = self.cutting, self.sewing
        rina = cutting.login("E1001")
        running = _work_order_id(cutting, CUTTING_RUNNING)
        cutting.services.work_orders.record(
            rina, running, good="12", reject="1", reason="FABRIC_FLAW"
        )
        cutting.services.work_orders.pause(rina, running, reason="WAITING_MATERIAL")
        cutting.services.work_orders.resume(rina, running)
        cutting.services.kanban.request(rina, "THR-WHT-5000", "4")
        self.prepared = cutting.services.transfers.prepare(rina, running, "40", "SEW-L03")
        queue_event(cutting, "frobnicate.done", {"line": "CUT-L02"})  # refused by the server
        self.sync(cutting)
        self.sync(sewing)
        dewi = sewing.login("E2001")
        slip = sewing.services.transfers.check_slip(dewi, self.prepared.document.qr_payload or "")
        assert sewing.services.transfers.receive(dewi, slip.payload, "37").needs_recount
        assert not sewing.services.transfers.receive(dewi, slip.payload, "37").accepted  # held
        cutting.services.work_orders.record(rina, running, good="5", reject="", reason=None)
        self.sync(sewing)
        self.sync(cutting)
        hadi = sewing.login("E5001")
        sewing.services.transfers.release(hadi, self.prepared.transfer.id, "Recounted: 37 is right")
        self.sync(sewing)

    def expected_facts(self) -> set[uuid.UUID]:
        """Each kiosk's events that are facts: the floor's kinds, and every refusal."""
        return {
            event_id
            for node in (self.cutting, self.sewing)
            for event_id, kind, result in _outbox(node)
            if kind in FACT_EVENT_KINDS or result == "rejected"
        }


@pytest.fixture
def floor(kiosk: KioskFactory) -> _Floor:
    made = _Floor(kiosk)
    made.run()
    return made


def test_the_feed_from_zero_holds_every_fact_of_both_kiosks_once_in_commit_order(
    floor: _Floor, central: CentralDatabase
) -> None:
    facts = _read_all(central)
    ids = [uuid.UUID(fact["id"]) for fact in facts]
    assert len(ids) == len(set(ids))
    assert set(ids) == floor.expected_facts()
    cursors = [fact["cursor"] for fact in facts]
    assert cursors == sorted(cursors) and len(set(cursors)) == len(cursors)
    # Commit order: whatever a sync round sent comes after every earlier round's facts.
    rounds = [floor.round_of[event_id] for event_id in ids]
    assert rounds == sorted(rounds)
    assert set(COLUMNS) == set(facts[0])


def test_each_kind_of_fact_says_what_happened_who_did_it_and_where(
    floor: _Floor, central: CentralDatabase
) -> None:
    facts = _read_all(central, limit=100)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for fact in facts:
        by_kind.setdefault(fact["kind"], []).append(fact)
    first_count = by_kind["production.recorded"][0]
    assert (first_count["good"], first_count["reject"], first_count["reject_reason"]) == (
        12,
        1,
        "FABRIC_FLAW",
    )
    assert (first_count["by_employee_no"], first_count["by_name"]) == ("E1001", "Rina Wulandari")
    assert (first_count["work_order"], first_count["line"], first_count["device"]) == (
        CUTTING_RUNNING,
        "CUT-L02",
        "CUT-L02",
    )
    assert first_count["mo_number"] and first_count["article"]
    assert first_count["result"] == "applied"
    datetime.fromisoformat(first_count["at"])
    assert datetime.fromisoformat(first_count["received_at"]) <= datetime.now(UTC)
    [paused] = by_kind["work_order.paused"]
    assert (paused["work_order"], paused["reason"], paused["by_employee_no"]) == (
        CUTTING_RUNNING,
        "WAITING_MATERIAL",
        "E1001",
    )
    assert len(by_kind["work_order.resumed"]) == 1
    [sent] = by_kind["transfer.prepared"]
    assert (sent["sent_qty"], sent["from_line"], sent["to_line"], sent["line"]) == (
        40,
        "CUT-L02",
        "SEW-L03",
        "CUT-L02",
    )
    [held] = by_kind["transfer.held"]
    assert (held["sent_qty"], held["counted_qty"], held["variance"]) == (40, 37, -3)
    assert (held["first_counted_qty"], held["first_counted_by_employee_no"]) == (37, "E2001")
    assert (held["by_employee_no"], held["by_name"], held["line"]) == (
        "E2001",
        "Dewi Lestari",
        "SEW-L03",
    )
    [released] = by_kind["transfer.released"]
    assert (released["reason"], released["by_employee_no"], released["by_name"]) == (
        "Recounted: 37 is right",
        "E5001",
        "Hadi Gunawan",
    )
    assert (released["accepted_qty"], released["variance"]) == (37, -3)
    [requested] = by_kind["kanban.requested"]
    assert (requested["item"], requested["quantity"], requested["by_employee_no"]) == (
        "THR-WHT-5000",
        4,
        "E1001",
    )
    assert requested["card_no"]
    raised = {fact["alert_id"]: fact for fact in by_kind["alert.raised"]}
    [acknowledged] = by_kind["alert.acknowledged"]
    assert acknowledged["alert_id"] in raised  # the mismatch's alert, closed by the release
    assert acknowledged["alert_kind"] == raised[acknowledged["alert_id"]]["alert_kind"]
    assert acknowledged["by_employee_no"] == "E5001"
    [refused] = by_kind["sync.refused"]
    assert (refused["event_kind"], refused["result"], refused["line"]) == (
        "frobnicate.done",
        "rejected",
        "CUT-L02",
    )
    assert refused["sync_reason"]
    assert "session.started" not in by_kind  # logins are no result of the floor


def test_reading_on_from_any_cursor_gives_exactly_the_facts_after_it(
    floor: _Floor, central: CentralDatabase
) -> None:
    everything = _read_all(central, limit=100)
    for cut in (1, 5, len(everything) - 1, len(everything)):
        after = everything[cut - 1]["cursor"]
        assert _read_all(central, after=after, limit=4) == everything[cut:]
    with central.session() as session:
        page, cursor = read_results(session, everything[-1]["cursor"], 10)
        assert page == [] and cursor == results_high_water(session)
        # A cursor past the last fact comes from another database: said, not answered empty.
        with pytest.raises(CursorAheadError):
            read_results(session, cursor + 1, 10)


def test_a_kind_filter_keeps_those_facts_in_the_same_order(
    floor: _Floor, central: CentralDatabase
) -> None:
    everything = _read_all(central, limit=100)
    handoffs = _read_all(central, limit=2, kinds=["transfer"])
    assert handoffs == [fact for fact in everything if fact["kind"].startswith("transfer.")]
    assert {fact["kind"] for fact in handoffs} == {
        "transfer.prepared",
        "transfer.held",
        "transfer.released",
    }
    counts_and_refusals = _read_all(central, kinds=["production.recorded", "sync.refused"])
    assert [fact["kind"] for fact in counts_and_refusals] == [
        fact["kind"]
        for fact in everything
        if fact["kind"] in ("production.recorded", "sync.refused")
    ]
    with central.session() as session, pytest.raises(UnknownKindError):
        read_results(session, 0, 10, kinds=["production.teleported"])


def test_the_export_files_read_back_as_the_same_facts(
    floor: _Floor, central: CentralDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    everything = _read_all(central, limit=100)
    jsonl, table = tmp_path / "facts.jsonl", tmp_path / "facts.csv"
    base = ["--database-url", central.url, "export"]
    assert cli.main([*base, "--after", "0", "--format", "jsonl", str(jsonl)]) == 0
    printed = capsys.readouterr().out.splitlines()
    with jsonl.open(encoding="utf-8") as stream:
        assert [json.loads(line) for line in stream] == everything
    with central.session() as session:
        assert printed[-1] == f"next cursor: {results_high_water(session)}"
    assert cli.main([*base, "--format", "csv", str(table)]) == 0
    raw = table.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads it as UTF-8
    with table.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == list(COLUMNS)
    as_text = [
        {key: "" if value is None else str(value) for key, value in fact.items()}
        for fact in everything
    ]
    assert rows == as_text
    after = everything[3]["cursor"]
    kind_file = tmp_path / "handoffs.jsonl"
    options = ["--after", str(after), "--kind", "transfer", "--format", "jsonl"]
    assert cli.main([*base, *options, str(kind_file)]) == 0
    with kind_file.open(encoding="utf-8") as stream:
        assert [json.loads(line) for line in stream] == [
            fact for fact in everything[4:] if fact["kind"].startswith("transfer.")
        ]


def test_the_export_refuses_an_unknown_kind_and_writes_nothing(
    floor: _Floor, central: CentralDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "facts.csv"
    options = ["--kind", "teleport", "--format", "csv", str(target)]
    assert cli.main(["--database-url", central.url, "export", *options]) == 2
    error = capsys.readouterr().err
    assert "no fact is of kind 'teleport'" in error and "production" in error
    assert not target.exists()


def test_a_reader_never_sees_a_later_number_before_an_earlier_one_commits(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    """Two pushes numbering at once: the second waits for the first's commit."""
    node = kiosk("CUT-L02")
    with central.session() as session:
        device_id = session.scalar(select(Device.id).where(Device.line_code == "CUT-L02"))
        start = results_high_water(session)
    first, second = _rows(device_id, 1), _rows(device_id, 2)
    slow = Session(central.engine)
    record_events(slow, first)  # numbered, not yet committed
    done = threading.Event()

    def other_push() -> None:
        with Session(central.engine) as session:
            record_events(session, second)
            session.commit()
        done.set()

    pushing = threading.Thread(target=other_push)
    pushing.start()
    try:
        assert not done.wait(0.5)  # waits for the first push's commit
        with central.session() as reader:
            assert read_results(reader, start, 10) == ([], start)
        slow.commit()
        assert done.wait(10)
    finally:
        slow.close()
        pushing.join(10)
    with central.session() as reader:
        facts, cursor = read_results(reader, start, 10)
    assert [fact["id"] for fact in facts] == [str(row["id"]) for row in (*first, *second)]
    assert [fact["cursor"] for fact in facts] == [start + 1, start + 2] and cursor == start + 2
    node.close()


def _rows(device_id: uuid.UUID | None, seq: int) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    return [
        {
            "id": uuid.uuid4(),
            "device_id": device_id,
            "incarnation": uuid.UUID(int=7),
            "seq": seq,
            "kind": "frobnicate.done",
            "schema_version": 1,
            "payload": {"line": "CUT-L02"},
            "created_at": now,
            "received_at": now,
            "result": "rejected",
            "reason": "unknown_kind",
        }
    ]


# ====================================================================== over HTTP
class _IntegrationServer:
    """The server's app (its results route behind the integration key) on a real socket."""

    def __init__(self, database_url: str) -> None:
        self.port = free_port()
        app = create_app(ServerSettings(database_url=database_url, port=self.port))
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1/integration/events"

    def __enter__(self) -> _IntegrationServer:
        self._thread.start()
        wait_until_healthy(f"http://127.0.0.1:{self.port}", 30.0)
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(10)


def test_the_erp_reads_the_same_facts_over_http_across_a_server_restart(
    floor: _Floor, central: CentralDatabase
) -> None:
    key = {"Authorization": f"Bearer {make_key(central)}"}
    everything = _read_all(central, limit=100)
    facts: list[dict[str, Any]] = []
    cursor = 0
    with _IntegrationServer(central.url) as first:
        assert requests.get(first.url, timeout=10).status_code == 401
        for _page in range(2):
            answer = requests.get(
                first.url, params={"after": cursor, "limit": 3}, headers=key, timeout=10
            )
            assert answer.status_code == 200, answer.text
            body = answer.json()
            assert body["has_more"] is True
            facts += body["facts"]
            cursor = body["next"]
    with _IntegrationServer(central.url) as second:  # another process's worth: a restart
        while True:
            answer = requests.get(
                second.url, params={"after": cursor, "limit": 3}, headers=key, timeout=10
            )
            body = answer.json()
            facts += body["facts"]
            cursor = body["next"]
            if not body["has_more"]:
                break
        assert facts == everything
        handoffs = requests.get(
            second.url, params={"kind": "transfer", "limit": 100}, headers=key, timeout=10
        ).json()
        assert handoffs["facts"] == [f for f in everything if f["kind"].startswith("transfer.")]
        unknown = requests.get(second.url, params={"kind": "teleport"}, headers=key, timeout=10)
        assert unknown.status_code == 400
        assert "No fact is of kind 'teleport'" in unknown.json()["detail"]["message"]
        ahead = requests.get(second.url, params={"after": cursor + 1}, headers=key, timeout=10)
        assert ahead.status_code == 409 and ahead.json()["detail"]["code"] == "cursor_ahead"
