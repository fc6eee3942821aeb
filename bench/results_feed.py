"""100,000 facts read from the results feed in pages, as an ERP reads them: facts per second.

A central database of its own (demo site, migrated) gets two enrolled kiosks (CUT-L02
and SEW-L03) and 100,000 `applied_event` rows written straight with COPY, shaped exactly
as real pushes store them: payloads made by the kiosk's own event classes
(`Event.to_payload`), the device's and the server's times, the server's answer, and the
results feed's numbers with the feed's high-water mark. The mix is a day on the floor:
mostly counts, with work-order steps, handoffs (sent, held on a recount, released),
kanban requests, alerts raised and acknowledged, and refusals.

The real `server-sync serve` process serves them (bench/sync_harness.py's
`LoggedServer`), and the clock runs over reading every fact after cursor 0 as an ERP
does: `GET /v1/integration/events?after=CURSOR&limit=N` with an integration key made as
`server-sync api-key create` makes one, over one keep-alive HTTP connection, each page's
JSON parsed and its `next` asked from, until the feed says there is no more: first
5,000 a page (the route's largest), then 1,000 a page (its default, as an ERP reads
unless it asks otherwise), the figure on the last line.

Goal (issue 14): >= 20,000 facts/s. Last line: `results_feed_rate: X facts/s`.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
import requests
from psycopg.types.json import Jsonb
from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.sync_harness import LoggedServer, central_site
from kiosk.domain.events import (
    AlertAcknowledged,
    AlertRaised,
    Event,
    EventKind,
    KanbanRequested,
    ProductionRecorded,
    TransferCounted,
    TransferDecided,
    TransferPrepared,
    WorkOrderStepped,
)
from kiosk.domain.ids import new_id
from kiosk.domain.roles import Department
from kiosk.store.models import Line, User, WorkOrder
from server_sync import api_keys
from server_sync.central_audit import record
from server_sync.models import DEVICE_LINE, Device
from server_sync.results import DEFAULT_PAGE, MAX_PAGE

FACTS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000  # fewer for a quick check
PAGES = (MAX_PAGE, DEFAULT_PAGE)


def _device(session: Session, line: str, department: str, now: datetime) -> uuid.UUID:
    device = Device(
        id=new_id(),
        name=line,
        kind=DEVICE_LINE,
        line_code=line,
        department=department,
        token_hash=uuid.uuid4().hex * 2,
        enrolled_at=now,
        revoked_at=None,
        last_seen_at=None,
        clock_offset_seconds=None,
        clock_alerted_at=None,
    )
    session.add(device)
    return device.id


def _cutting_day(
    people: dict[str, uuid.UUID], work_order: WorkOrder, at: datetime, index: int
) -> tuple[Event, str, str | None]:
    """The index-th event of the day on CUT-L02: (event, result, reason)."""
    rina = people["E1001"]
    step = index % 20
    if step == 17:
        return (
            WorkOrderStepped(
                kind=EventKind.WORK_ORDER_PAUSED,
                actor_id=rina,
                work_order_id=work_order.id,
                number=work_order.number,
                line="CUT-L02",
                user_id=rina,
                status="PAUSED",
                at=at,
                pause_reason=None,
            ),
            "applied",
            None,
        )
    if step == 18:
        return (
            KanbanRequested(
                actor_id=rina,
                card_id=new_id(),
                card_no=f"KB-{index:08d}",
                line="CUT-L02",
                item="THR-WHT-5000",
                quantity=4,
                status="REQUESTED",
                by="E1001",
                by_user_id=rina,
                at=at,
                version=1,
            ),
            "applied",
            None,
        )
    event = ProductionRecorded(
        actor_id=rina,
        entry_id=new_id(),
        work_order_id=work_order.id,
        number=work_order.number,
        line="CUT-L02",
        user_id=rina,
        good=12,
        reject=1 if step % 5 == 0 else 0,
        reject_reason=None,
        recorded_at=at,
    )
    if step == 19:
        return event, "rejected", "quantity_over_target: target=100"
    return event, "applied", None


def _sewing_day(
    people: dict[str, uuid.UUID], sent: WorkOrder, at: datetime, index: int
) -> tuple[Event, str, str | None]:
    """The index-th event on SEW-L03: a handoff's steps and its alert, in turn."""
    dewi, hadi = people["E2001"], people["E5001"]
    slip = {
        "transfer_id": uuid.UUID(int=index // 5),
        "slip_id": f"TS-{index // 5:010d}",
        "site": "DEMO",
        "work_order_number": sent.number,
        "mo_number": sent.mo_number,
        "article": sent.article,
        "destination": sent.destination,
        "quantity": 40,
        "from_line": "CUT-L02",
        "to_line": "SEW-L03",
        "from_department": Department.CUT,
        "to_department": Department.SEW,
        "prepared_by": "E1001",
        "prepared_at": at,
    }
    alert_id = uuid.UUID(int=10**9 + index // 5)
    step = index % 5
    if step == 0:
        return (
            TransferPrepared(actor_id=people["E1001"], status="PREPARED", **slip),
            "applied",
            None,
        )
    if step == 1:
        held = TransferCounted(
            kind=EventKind.TRANSFER_HELD,
            actor_id=dewi,
            status="HELD",
            counted_qty=37,
            counted_by="E2001",
            counted_at=at,
            first_counted_qty=37,
            first_counted_by="E2001",
            slip=slip["slip_id"],
            **slip,
        )
        return held, "applied", None
    if step == 2:
        raised = AlertRaised(
            actor_id=dewi,
            alert_id=alert_id,
            priority=2,
            alert_kind="quantity_mismatch",
            department=Department.SEW,
            line_id=None,
            fields={"slip_id": slip["slip_id"], "counted": 37, "sent": 40},
            raised_at=at,
        )
        return raised, "applied", None
    if step == 3:
        decided = TransferDecided(
            kind=EventKind.TRANSFER_RELEASED,
            actor_id=hadi,
            status="ACCEPTED",
            counted_qty=37,
            counted_by="E2001",
            counted_at=at,
            decided_by="E5001",
            decided_at=at,
            reason="Recounted: 37 is right",
            accepted_qty=37,
            **slip,
        )
        return decided, "applied", None
    return AlertAcknowledged(actor_id=hadi, alert_id=alert_id, by=hadi, at=at), "applied", None


def _fill(url: str, session: Session) -> None:
    """FACTS applied_event rows as pushes store them, numbered 1..FACTS, with COPY."""
    now = datetime.now(UTC)
    cutting = _device(session, "CUT-L02", "CUT", now)
    sewing = _device(session, "SEW-L03", "SEW", now)
    people = {row.employee_no: row.id for row in session.scalars(select(User))}
    lines = {row.id: row.code for row in session.scalars(select(Line))}
    work_orders = {lines[row.line_id]: row for row in session.scalars(select(WorkOrder))}
    session.commit()
    incarnations = {cutting: uuid.uuid4(), sewing: uuid.uuid4()}
    seqs = {cutting: 0, sewing: 0}
    start = now - timedelta(hours=8)
    with psycopg.connect(url) as connection:
        with (
            connection.cursor() as cursor,
            cursor.copy(
                "COPY applied_event (id, device_id, incarnation, seq, kind, schema_version, "
                "payload, created_at, received_at, result, reason, result_seq) FROM STDIN"
            ) as copy,
        ):
            for number in range(1, FACTS + 1):
                at = start + timedelta(milliseconds=250 * number)
                if number % 4:
                    device = cutting
                    event, result, reason = _cutting_day(people, work_orders["CUT-L02"], at, number)
                else:
                    device = sewing
                    event, result, reason = _sewing_day(people, work_orders["CUT-L02"], at, number)
                seqs[device] += 1
                copy.write_row(
                    (
                        new_id(),
                        device,
                        incarnations[device],
                        seqs[device],
                        event.kind.value,
                        type(event).schema_version,
                        Jsonb(event.to_payload()),
                        at,
                        at + timedelta(seconds=2),
                        result,
                        reason,
                        number,
                    )
                )
        connection.execute("UPDATE feed_state SET results_high_water = %s WHERE id = 1", (FACTS,))
        connection.execute("ANALYZE applied_event")
        connection.commit()


def _integration_key(session: Session) -> str:
    """A new integration key, made and audited as `server-sync api-key create` does."""
    now = datetime.now(UTC)
    key = api_keys.create(session, "bench-erp", now)
    record(session, now, "cli", "api_key.create", "integration_key", "bench-erp", {})
    session.commit()
    return key


def _read_everything(client: requests.Session, url: str, page: int) -> tuple[int, dict[str, int]]:
    """Every fact after cursor 0, `page` a request, as an ERP reads the feed."""
    cursor, read = 0, 0
    kinds: dict[str, int] = {}
    while True:
        response = client.get(url, params={"after": cursor, "limit": page}, timeout=120)
        response.raise_for_status()
        body = response.json()
        read += len(body["facts"])
        for fact in body["facts"]:
            kinds[fact["kind"]] = kinds.get(fact["kind"], 0) + 1
        cursor = body["next"]
        if not body["has_more"]:
            return read, kinds


def main() -> None:
    rates: list[float] = []
    with (
        central_site("results") as (_admin, central),
        tempfile.TemporaryDirectory(prefix="bench-results-") as folder,
    ):
        with central.session() as session:
            started = time.perf_counter()
            _fill(central.url, session)
            print(f"filled {FACTS} applied events in {time.perf_counter() - started:.1f} s")
            key = _integration_key(session)
        server = LoggedServer(central.url, Path(folder) / "server.log")
        with server.running(), requests.Session() as client:
            client.headers["Authorization"] = f"Bearer {key}"
            for page in PAGES:
                started = time.perf_counter()
                read, kinds = _read_everything(client, f"{server.url}/v1/integration/events", page)
                elapsed = time.perf_counter() - started
                assert read == FACTS, read
                rates.append(read / elapsed)
                print(
                    f"read {read} facts in {elapsed:.2f} s, {page} a page: {rates[-1]:.0f} facts/s"
                )
    for kind, count in sorted(kinds.items()):
        print(f"  {kind}: {count}")
    print("through the real server-sync process over HTTP (one keep-alive connection)")
    print(f"results_feed_rate: {rates[-1]:.0f} facts/s")


if __name__ == "__main__":
    main()
