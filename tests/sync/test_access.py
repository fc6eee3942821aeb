"""Devices and scope: a line's token reads and writes its line only, and can be taken back.

Every test runs the real server on 127.0.0.1 over a real PostgreSQL, with kiosks
enrolled by real one-time codes; the rows a kiosk must not see are looked for both on
the wire (what the server sends that token) and in the kiosk's own SQLite file.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import or_, select

from kiosk.domain.ids import new_id
from kiosk.store import migrate as kiosk_migrate
from kiosk.store.database import open_database
from kiosk.store.models import (
    Alert,
    KanbanCard,
    LineClearance,
    LineOccupancy,
    ProductionEntryRow,
    Transfer,
    User,
    WorkOrder,
)
from kiosk.store.secrets import FileSecretStore
from kiosk.sync.client import SyncClient, SyncError, SyncErrorKind
from kiosk.sync.enrolment import DEVICE_TOKEN_NAME, EnrolmentRefusedError, enrol_kiosk
from kiosk.sync.local import SyncStore
from server_sync import devices
from server_sync.models import AppliedEvent, ChangeRow, Device, EnrolmentCode
from tests.helpers.central import CentralDatabase, KioskNode, OffsetClock, ThreadServer
from tests.helpers.central_pins import drop_badge_centrally, wrong_pin_on
from tests.helpers.sync_checks import assert_healed, device_feed
from tests.helpers.sync_raw import (
    RawDevice,
    domain_snapshot,
    line_id,
    now_text,
    outbox_answer,
    queue_event,
    user_id,
    work_order,
    work_orders_of,
    write_counts,
)
from tests.sync.conftest import KioskFactory

# CUT-L01 (line 1 of Cutting) and what a kiosk of another line must never hold of it.
OTHER_LINE = "CUT-L01"
CUT_L01_RUNNING = "WO-2026-004224"  # in progress, route R1: hands over to Embroidery
CUT_L01_RELEASED = "WO-2026-004225"


def _line_rows(central: CentralDatabase, code: str) -> dict[str, set[str]]:
    """The keys of every row that belongs to line `code` centrally (it must be non-empty)."""
    line = line_id(central, code)
    with central.session() as session:
        orders = set(session.scalars(select(WorkOrder.id).where(WorkOrder.line_id == line)))
        return {
            "line_id": {str(line)},
            "work_order": {str(value) for value in orders},
            "production_entry": {
                str(value)
                for value in session.scalars(
                    select(ProductionEntryRow.id).where(
                        ProductionEntryRow.work_order_id.in_(orders)
                    )
                )
            },
            "kanban_card": {
                str(value)
                for value in session.scalars(
                    select(KanbanCard.id).where(KanbanCard.line_id == line)
                )
            },
            "transfer": set(
                session.scalars(
                    select(Transfer.slip_id).where(
                        or_(Transfer.from_line == code, Transfer.to_line == code)
                    )
                )
            ),
            "alert": {
                str(value)
                for value in session.scalars(
                    select(Alert.id).where(
                        or_(
                            Alert.line_id == line,
                            Alert.department == code.split("-", maxsplit=1)[0],
                        )
                    )
                )
            },
        }


def _mentions_line(change: dict[str, Any], code: str, rows: dict[str, set[str]]) -> bool:
    """Whether a pulled row belongs to line `code` (or, for alerts, to its department)."""
    entity, data = change["entity"], change["data"]
    line = next(iter(rows["line_id"]))
    if entity in ("work_order", "kanban_card", "line_occupancy", "line_clearance"):
        return str(data.get("line_id")) == line or data.get("line_code") == code
    if entity == "production_entry":
        return str(data.get("work_order_id")) in rows["work_order"]
    if entity == "transfer":
        return code in (data.get("from_line"), data.get("to_line"))
    if entity == "alert":
        return str(data.get("line_id")) == line or str(change["key"]) in rows["alert"]
    return False


def _assert_nothing_of_line_on_kiosk(node: KioskNode, code: str, central: CentralDatabase) -> None:
    rows = _line_rows(central, code)
    line = uuid.UUID(next(iter(rows["line_id"])))
    orders = [uuid.UUID(value) for value in rows["work_order"]]
    with node.database.reader() as session:
        assert session.scalars(select(WorkOrder).where(WorkOrder.line_id == line)).all() == []
        assert (
            session.scalars(
                select(ProductionEntryRow).where(ProductionEntryRow.work_order_id.in_(orders))
            ).all()
            == []
        )
        assert session.scalars(select(KanbanCard).where(KanbanCard.line_id == line)).all() == []
        assert (
            session.scalars(
                select(Transfer).where(or_(Transfer.from_line == code, Transfer.to_line == code))
            ).all()
            == []
        )
        assert (
            session.scalars(select(LineOccupancy).where(LineOccupancy.line_id == line)).all() == []
        )
        assert (
            session.scalars(select(LineClearance).where(LineClearance.line_id == line)).all() == []
        )
        assert session.scalars(select(Alert).where(Alert.line_id == line)).all() == []


def _busy_cutting_line_one(kiosk: KioskFactory, central: CentralDatabase) -> KioskNode:
    """CUT-L01's kiosk records, asks for thread, hands over and has an event refused."""
    cut1 = kiosk(OTHER_LINE)
    agus = cut1.login("E1003")
    running = work_order(central, CUT_L01_RUNNING)
    cut1.services.work_orders.record(agus, running.id, good="10", reject="0", reason=None)
    cut1.services.kanban.request(agus, "THR-WHT-5000", "4")
    cut1.services.transfers.prepare(agus, running.id, "10", "EMB-L01")
    queue_event(cut1, "frobnicate.done", {"line": OTHER_LINE})  # refused: an alert for Cutting
    report = cut1.sync()
    assert report.pending == 0
    assert report.answers["rejected"] == 1
    return cut1


# ====================================================================== reading
def test_a_sewing_kiosk_gets_no_row_of_cutting_line_one(
    kiosk: KioskFactory, central: CentralDatabase, server: ThreadServer
) -> None:
    sewing = kiosk("SEW-L03")  # bootstrapped before Cutting's work: it gets it incrementally
    cutting = _busy_cutting_line_one(kiosk, central)
    rows = _line_rows(central, OTHER_LINE)
    # The check sees those rows where they belong: on CUT-L01's own kiosk.
    own = {
        c["entity"] for c in device_feed(central, cutting) if _mentions_line(c, OTHER_LINE, rows)
    }
    assert own >= {
        "work_order",
        "production_entry",
        "kanban_card",
        "transfer",
        "alert",
        "line_occupancy",
    }
    # The rows exist centrally: the test would prove nothing otherwise.
    for name in ("work_order", "production_entry", "kanban_card", "transfer", "alert"):
        assert rows[name], name
    with central.session() as session:
        assert session.get(LineOccupancy, line_id(central, OTHER_LINE)) is not None

    report = sewing.sync()
    assert report.cursor == report.high_water  # it read past every one of those rows
    late = kiosk("SEW-L03", "sewing-bootstrapped-later")  # gets it all by a snapshot
    sewing.sync()  # the late kiosk's enrolment published its slip key

    for node in (sewing, late):
        leaked = [
            change
            for change in device_feed(central, node)
            if _mentions_line(change, OTHER_LINE, rows)
        ]
        assert leaked == []
        _assert_nothing_of_line_on_kiosk(node, OTHER_LINE, central)
        with node.database.reader() as session:
            own = set(session.scalars(select(WorkOrder.number)))
            departments = set(session.scalars(select(Alert.department)))
        assert own == {order.number for order in work_orders_of(central, "SEW-L03")}
        assert departments <= {None, "SEW"}
        with node.database.reader() as session:
            occupied = set(session.scalars(select(LineOccupancy.line_id)))
        # Its own department's lines and Finishing's (it hands over there), nobody upstream.
        assert occupied == {line_id(central, code) for code in ("SEW-L01", "SEW-L03", "FIN-L01")}
    # What travels on the wire to the token, page by page, is the same.
    with RawDevice.of(sewing) as raw:
        on_wire = raw.pull_all()
    assert [c for c in on_wire if _mentions_line(c, OTHER_LINE, rows)] == []
    assert_healed(central, [sewing, late])


def test_a_cutting_line_two_kiosk_gets_no_work_order_or_card_of_other_lines(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cut2 = kiosk("CUT-L02")
    _busy_cutting_line_one(kiosk, central)
    sewing = kiosk("SEW-L03")
    dewi = sewing.login("E2001")
    sewing.services.kanban.request(dewi, "BTN-15-WHT", "2")
    sewing.sync()
    cut2.sync()

    own_line = line_id(central, "CUT-L02")
    with cut2.database.reader() as session:
        lines = set(session.scalars(select(WorkOrder.line_id)))
        card_lines = set(session.scalars(select(KanbanCard.line_id)))
        transfers = session.scalars(select(Transfer)).all()
        alert_kinds = {(alert.kind, alert.department) for alert in session.scalars(select(Alert))}
        occupancy_lines = set(session.scalars(select(LineOccupancy.line_id)))
    assert lines == {own_line}
    assert card_lines <= {own_line}
    assert transfers == []
    # Its department's alerts and lines' occupancy are its business (CUT-L01's refusal) …
    assert ("sync_refused", "CUT") in alert_kinds
    assert line_id(central, OTHER_LINE) in occupancy_lines
    # … and so is what the lines it hands over to hold (R1-R3: Embroidery, Sewing, Finishing).
    assert line_id(central, "SEW-L03") in occupancy_lines
    assert line_id(central, "FIN-L01") in occupancy_lines
    assert_healed(central, [cut2, sewing])


# ====================================================================== writing
def _foreign_events(
    central: CentralDatabase, alert_of_cutting: uuid.UUID
) -> dict[str, dict[str, Any]]:
    """Events naming CUT-L01 (or Cutting), each well-formed and signed by a Cutting person."""
    agus = str(user_id(central, "E1003"))
    ani = str(user_id(central, "E5002"))
    running = work_order(central, CUT_L01_RUNNING)
    released = work_order(central, CUT_L01_RELEASED)
    with central.session() as session:
        card = session.scalar(
            select(KanbanCard).where(KanbanCard.line_id == line_id(central, OTHER_LINE))
        )
        assert card is not None
    slip = {
        "transfer_id": str(new_id()),
        "slip_id": "TS-FOREIGN-0001",
        "site": "DEMO",
        "work_order_number": running.number,
        "mo_number": running.mo_number,
        "article": running.article,
        "destination": running.destination,
        "quantity": 5,
        "from_line": OTHER_LINE,
        "to_line": OTHER_LINE,
        "from_department": "CUT",
        "to_department": "CUT",
        "prepared_by": "E1003",
        "prepared_at": now_text(),
        "counted_qty": 5,
        "counted_by": "E1003",
        "counted_at": now_text(),
        "actor_id": agus,
    }
    return {
        "production.recorded": {
            "entry_id": str(new_id()),
            "work_order_id": str(running.id),
            "line": OTHER_LINE,
            "good": 7,
            "reject": 0,
            "reject_reason": None,
            "recorded_at": now_text(),
            "actor_id": agus,
        },
        "work_order.started": {
            "work_order_id": str(released.id),
            "line": OTHER_LINE,
            "at": now_text(),
            "actor_id": agus,
        },
        "kanban.requested": {
            "card_id": str(new_id()),
            "card_no": "KB-FOREIGN-1",
            "line": OTHER_LINE,
            "item": "THR-BLK-5000",
            "quantity": 3,
            "at": now_text(),
            "actor_id": agus,
        },
        "kanban.received": {
            "card_id": str(card.id),
            "version": card.version + 1,
            "at": now_text(),
            "actor_id": agus,
        },
        "transfer.prepared": slip,
        "transfer.accepted": {**slip, "slip_id": "TS-FOREIGN-0002", "slip": "TS-FOREIGN-0002"},
        "line.cleared": {
            "clearance_id": str(new_id()),
            "line": OTHER_LINE,
            "reason": "not my line",
            "at": now_text(),
            "actor_id": ani,
        },
        "alert.acknowledged": {
            "alert_id": str(alert_of_cutting),
            "at": now_text(),
            "actor_id": ani,
        },
    }


def test_events_naming_another_line_are_refused_and_change_nothing_but_their_record(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    _busy_cutting_line_one(kiosk, central)
    with central.session() as session:
        cutting_alert = session.scalar(
            select(Alert.id).where(Alert.kind == "sync_refused").where(Alert.department == "CUT")
        )
    assert cutting_alert is not None
    sewing = kiosk("SEW-L03")
    device_id = sewing.store.state().device_id
    sewing.login("E2001")  # applied: the batch goes on around the refused events
    queued = {
        kind: queue_event(sewing, kind, payload)
        for kind, payload in _foreign_events(central, cutting_alert).items()
    }
    sewing.login("E4001")
    before = domain_snapshot(central)
    high_water = write_counts(central)["high_water"]

    report = sewing.sync()

    assert report.answers == {"applied": 2, "rejected": len(queued)}
    for kind, event_id in queued.items():
        result, reason = outbox_answer(sewing, event_id)
        assert result == "rejected", kind
        assert reason is not None and reason.startswith("out_of_device_scope"), (kind, reason)
    assert domain_snapshot(central) == before
    with central.session() as session:
        recorded = dict(
            session.execute(
                select(AppliedEvent.id, AppliedEvent.result).where(
                    AppliedEvent.id.in_(list(queued.values()))
                )
            ).all()
        )
        assert set(recorded.values()) == {"rejected"} and len(recorded) == len(queued)
        refusals = session.scalars(
            select(Alert).where(Alert.kind == "sync_refused").where(Alert.id != cutting_alert)
        ).all()
        published = (
            session.execute(select(ChangeRow.entity).where(ChangeRow.seq > high_water))
            .scalars()
            .all()
        )
    # One alert per kind of refused event, for Sewing (the device's own department).
    assert {alert.fields["event_kind"] for alert in refusals} == set(queued)
    assert {alert.department for alert in refusals} == {"SEW"}
    assert all(alert.fields["device_id"] == str(device_id) for alert in refusals)
    assert all(alert.fields["reason"].startswith("out_of_device_scope") for alert in refusals)
    assert set(published) == {"alert"}


def test_the_line_comes_from_the_token_never_from_the_body(
    kiosk: KioskFactory, central: CentralDatabase, server: ThreadServer, tmp_path: Path
) -> None:
    sewing = kiosk("SEW-L03")
    before = write_counts(central)
    with RawDevice.of(sewing) as raw:
        for extra in ({"line": OTHER_LINE}, {"department": "CUT"}, {"device_id": str(new_id())}):
            answer = raw.post(raw.body([], **extra))
            assert answer.status_code == 422, extra
            assert answer.json()["detail"]["code"] == "malformed"
        assert write_counts(central) == before
        # An enrolment that names a line is malformed too, and the code is not spent.
        code = central.enrolment_code(line="SEW-L01")
        refused = raw.post({"code": code, "name": OTHER_LINE, "line": OTHER_LINE}, "/v1/enrol", {})
        assert refused.status_code == 422
        enrolled = raw.post({"code": code, "name": OTHER_LINE}, "/v1/enrol", {})
        assert enrolled.status_code == 200
        assert (enrolled.json()["line"], enrolled.json()["department"]) == ("SEW-L01", "SEW")
        # The feed follows the token: the SEW-L01 token gets SEW-L01's work orders.
        other = RawDevice(server.url, enrolled.json()["token"])
        with other:
            numbers = {
                change["data"]["number"]
                for change in other.pull_all()
                if change["entity"] == "work_order"
            }
    assert numbers == {order.number for order in work_orders_of(central, "SEW-L01")}


def test_a_desktop_serves_its_department_lines_only(
    kiosk: KioskFactory, central: CentralDatabase, server: ThreadServer, tmp_path: Path
) -> None:
    desk = KioskNode(
        tmp_path / "sewing-office", server.url, central.enrolment_code(department="SEW")
    )
    try:
        desk.sync()
        assert desk.store.state().device_kind == "desktop"
        with desk.database.reader() as session:
            lines = set(session.scalars(select(WorkOrder.line_id)))
        assert lines == {line_id(central, "SEW-L01"), line_id(central, "SEW-L03")}
        hadi = user_id(central, "E5001")
        ours = queue_event(
            desk,
            "line.cleared",
            {
                "clearance_id": str(new_id()),
                "line": "SEW-L01",
                "reason": "end of shift",
                "at": now_text(),
                "actor_id": str(hadi),
            },
        )
        theirs = queue_event(
            desk,
            "line.cleared",
            {
                "clearance_id": str(new_id()),
                "line": OTHER_LINE,
                "reason": "not ours",
                "at": now_text(),
                "actor_id": str(hadi),
            },
        )
        desk.sync()
        assert outbox_answer(desk, ours) == ("applied", None)
        result, reason = outbox_answer(desk, theirs)
        assert result == "rejected" and reason == "out_of_device_scope: department=CUT"
        with central.session() as session:
            cleared = set(session.scalars(select(LineClearance.line_id)))
        assert cleared == {line_id(central, "SEW-L01")}
    finally:
        desk.close()


# ====================================================================== revocation
def _server_sync(central: CentralDatabase, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server_sync", "--database-url", central.url, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_revoked_token_is_refused_and_the_kiosk_keeps_its_events(
    kiosk: KioskFactory, central: CentralDatabase, server: ThreadServer
) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    device_id = cutting.store.state().device_id
    cutting.login("E1001")
    assert cutting.pending() == 1
    applied = central.count(AppliedEvent)

    revoked = _server_sync(central, "revoke", str(device_id))
    assert revoked.returncode == 0, revoked.stderr
    assert "revoked" in revoked.stdout
    listed = _server_sync(central, "devices")
    assert f"{device_id}\tCUT-L02" in listed.stdout and "\trevoked\t" in listed.stdout
    assert _server_sync(central, "revoke", str(device_id)).returncode == 1  # once

    with pytest.raises(SyncError) as refused:
        cutting.sync()
    assert refused.value.kind is SyncErrorKind.REFUSED
    assert cutting.pending() == 1
    assert (cutting.store.state().last_error or "").startswith("refused")
    assert central.count(AppliedEvent) == applied
    with RawDevice.of(cutting) as raw:
        answer = raw.post(raw.body([raw.event("session.started", {"line": "CUT-L02"})]))
        assert answer.status_code == 401
        assert answer.json()["detail"]["code"] == "token_refused"
        for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Basic abc"}):
            assert raw.post(raw.body([]), headers=headers).status_code == 401
        assert raw.post(raw.body([]), headers={"Authorization": "Bearer nope"}).status_code == 401
    assert central.count(AppliedEvent) == applied
    # Another device's token is untouched.
    sewing.login("E2001")
    assert sewing.sync().answers["applied"] == 1

    # The kiosk is enrolled again with a new code; its waiting event arrives, once.
    client = SyncClient(server.url)
    try:
        enrol_kiosk(
            cutting.database,
            cutting.path,
            secrets=cutting.secrets,
            client=client,
            code=central.enrolment_code(line="CUT-L02"),
            clock=cutting.clock,
            name="cutting-again",
        )
    finally:
        client.close()
    report = cutting.sync()
    assert report.answers["applied"] == 1 and report.pending == 0
    sewing.sync()  # hears of the revoked key and of the new one
    assert_healed(central, [cutting, sewing])


def test_revoking_in_the_library_refuses_the_next_request(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    node = kiosk("FIN-L01")
    with central.session() as session:
        assert devices.revoke(session, node.store.state().device_id, datetime.now(UTC))
        session.commit()
    with pytest.raises(SyncError) as refused:
        node.sync()
    assert refused.value.kind is SyncErrorKind.REFUSED


# ====================================================================== enrolment codes
@pytest.fixture
def enrol_into(server: ThreadServer, tmp_path: Path) -> Iterator[Any]:
    """Try a code on a fresh kiosk database; returns (outcome or error, the secret store)."""
    opened = []

    def attempt(code: str, name: str) -> tuple[Any, FileSecretStore, SyncStore]:
        path = tmp_path / name / "kiosk.sqlite3"
        path.parent.mkdir(parents=True)
        database = open_database(path)
        opened.append(database)
        kiosk_migrate.upgrade(database.engine)
        secrets = FileSecretStore.beside(path)
        client = SyncClient(server.url)
        try:
            outcome: Any = enrol_kiosk(
                database,
                path,
                secrets=secrets,
                client=client,
                code=code,
                clock=OffsetClock(),
                name=name,
            )
        except EnrolmentRefusedError as error:
            outcome = error
        finally:
            client.close()
        return outcome, secrets, SyncStore(database)

    yield attempt
    for database in opened:
        database.dispose()


def test_an_enrolment_code_works_once(central: CentralDatabase, enrol_into: Any) -> None:
    code = central.enrolment_code(line="SEW-L03")
    first, secrets, store = enrol_into(code, "first")
    assert first.line_code == "SEW-L03" and first.department == "SEW"
    assert secrets.get(DEVICE_TOKEN_NAME) is not None
    assert store.state().is_enrolled
    again, secrets, store = enrol_into(f"{code[:4]}-{code[4:8]}-{code[8:]}", "second")
    assert isinstance(again, EnrolmentRefusedError)
    assert "unknown, used or expired" in str(again)
    assert secrets.get(DEVICE_TOKEN_NAME) is None
    assert not store.state().is_enrolled
    assert central.count(Device) == 1
    with central.session() as session:
        row = session.scalars(select(EnrolmentCode)).one()
        assert row.used_at is not None and row.device_id == first_device(central)


def first_device(central: CentralDatabase) -> uuid.UUID:
    with central.session() as session:
        return session.scalars(select(Device.id)).one()


def test_expired_unknown_and_garbled_codes_are_refused(
    central: CentralDatabase, enrol_into: Any
) -> None:
    with central.session() as session:
        expired = devices.create_code(
            session, datetime.now(UTC) - timedelta(hours=25), line_code="SEW-L03"
        )
        session.commit()
    for name, code in {
        "expired": expired,
        "unknown": "123412341234",
        "garbled": "not-a-code",
        "empty-digits": "----",
    }.items():
        outcome, secrets, store = enrol_into(code, name)
        assert isinstance(outcome, EnrolmentRefusedError), name
        assert secrets.get(DEVICE_TOKEN_NAME) is None
        assert not store.state().is_enrolled
    assert central.count(Device) == 0


def test_one_code_raced_by_many_kiosks_enrols_exactly_one(
    central: CentralDatabase, server: ThreadServer
) -> None:
    code = central.enrolment_code(line="CUT-L02")
    statuses: list[int] = []
    start = threading.Barrier(8)

    def race(number: int) -> None:
        with requests.Session() as http:
            start.wait()
            answer = http.post(
                f"{server.url}/v1/enrol", json={"code": code, "name": f"racer {number}"}, timeout=30
            )
            statuses.append(answer.status_code)

    racers = [threading.Thread(target=race, args=(number,)) for number in range(8)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(60)
    assert sorted(statuses) == [200] + [403] * 7
    assert central.count(Device) == 1


def test_the_command_line_makes_a_working_code_and_refuses_an_unknown_line(
    central: CentralDatabase, enrol_into: Any
) -> None:
    made = _server_sync(central, "enrol-code", "--line", "wh-l01")
    assert made.returncode == 0, made.stderr
    outcome, _, _ = enrol_into(made.stdout.strip(), "warehouse")
    assert outcome.line_code == "WH-L01"
    unknown = _server_sync(central, "enrol-code", "--line", "XX-L99")
    assert unknown.returncode == 2 and "no line XX-L99" in unknown.stderr


# ====================================================================== PIN and badge hashes
# Who may log in where (README's demo users): only they get their hashes on that device.
LOGS_IN_ON = {
    "CUT-L01": {"E1002", "E1003", "E5002", "E9001"},
    "SEW-L03": {"E2001", "E4001", "E5001", "E9001"},
    "WH-L01": {"E6001", "E6002", "E9001"},
    # A desktop serves supervisors and admins only (as its login screen does): no QC.
    "SEW desktop": {"E5001", "E9001"},
}


def _hashes_on_wire(changes: list[dict[str, Any]]) -> dict[str, tuple[bool, bool]]:
    latest = {change["key"]: change["data"] for change in changes if change["entity"] == "user"}
    return {
        data["employee_no"]: (bool(data["pin_hash"]), bool(data["badge_hash"]))
        for data in latest.values()
    }


def test_pin_and_badge_hashes_go_only_where_that_person_logs_in(
    kiosk: KioskFactory, central: CentralDatabase, server: ThreadServer, tmp_path: Path
) -> None:
    nodes = {code: kiosk(code) for code in ("CUT-L01", "SEW-L03", "WH-L01")}
    nodes["SEW desktop"] = desk = KioskNode(
        tmp_path / "desk", server.url, central.enrolment_code(department="SEW")
    )
    try:
        desk.sync()
        # Agus (without a badge: PIN guesses never lock a badge user) types wrong PINs on
        # CUT-L01 until he is locked: his row changes everywhere.
        drop_badge_centrally(central, "E1003")
        agus = user_id(central, "E1003")
        cutting = nodes["CUT-L01"]
        cutting.sync()
        for _ in range(5):
            wrong_pin_on(cutting, agus)
        cutting.sync()
        with central.session() as session:
            locked = session.get(User, agus)
            assert locked is not None and locked.locked_until is not None
        for where, node in nodes.items():
            node.sync()
            with RawDevice.of(node) as raw:
                on_wire = _hashes_on_wire(raw.pull_all())
            assert len(on_wire) == 13
            reads_badges = where != "SEW desktop"
            for employee_no, (pin, badge) in on_wire.items():
                expected = employee_no in LOGS_IN_ON[where]
                has_badge = expected and reads_badges and employee_no != "E1003"
                assert (pin, badge) == (expected, has_badge), (where, employee_no)
            with node.database.reader() as session:
                people = {user.employee_no: user for user in session.scalars(select(User))}
            for employee_no, user in people.items():
                expected = employee_no in LOGS_IN_ON[where]
                assert bool(user.pin_hash) is expected, (where, employee_no)
                has_badge = expected and reads_badges and employee_no != "E1003"
                assert (user.badge_hash is not None) is has_badge, where
            assert people["E1003"].locked_until is not None  # the update arrived, hashless
    finally:
        desk.close()
