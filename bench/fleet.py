"""100 kiosks each syncing every 2 s for 60 s: p95 round trip and errors.

The real `server-sync serve` with two worker processes on a central database of the
run's own: the demo site plus 100 sewing lines, one per kiosk as on a factory floor,
each with a work order in progress and an operator (PIN 2468) who works on it. 100 real
kiosk databases, each enrolled for its line with its own one-time code, bootstrapped,
and its operator logged in. The kiosks run in 4 processes of 25 threads (so the
simulation's own Python does not queue every kiosk behind one interpreter lock). Each
kiosk keeps one sync engine, as its worker does, and every 2 s (each at its own phase)
records 2 counts through the real service and runs a sync round: push, answers, pull,
stored.

The round trip is the kiosk's request to the server and its answer (the events pushed,
answered one by one, and the rows pulled), timed on the kiosk's HTTP client; the whole
round, with the kiosk storing it in SQLite, is printed beside it. Errors: a round or an
action that failed, an event the server rejected or found in conflict, an event not
applied once centrally, or a device whose numbers are not gap-free.

Afterwards every kiosk drains its outbox, and the central database must hold each of
their events once, gap-free per device.

Goals (issue 5): p95 <= 200 ms, 0 errors. Last line: `fleet_p95: X ms`.
Usage: bench/fleet.py [--seconds 60] [--kiosks 100]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import tempfile
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from bench.sync_harness import BIG_TARGET, LoggedServer, central_site, percentile
from kiosk.domain.ids import new_id
from kiosk.domain.roles import Department, Role
from kiosk.domain.work_order import WorkOrderStatus
from kiosk.services.actor import Actor
from kiosk.services.pin_hasher import PinHasher
from kiosk.store.models import Base, Line, User, UserLine, WorkOrder
from kiosk.sync.client import SyncClient
from kiosk.sync.enrolment import stored_token
from server_sync.feed import feed_row, publish
from server_sync.models import AppliedEvent
from tests.helpers.central import CentralDatabase, KioskNode

_LOCK = threading.Lock()  # the group's result, shared by its kiosks' threads
PIN = "2468"
INTERVAL_SECONDS = 2.0
ACTIONS_PER_ROUND = 2
PROCESSES = 4


@dataclass(frozen=True)
class KioskJob:
    folder: Path
    line: str
    code: str
    operator: str  # employee number; PIN 2468
    work_order_id: uuid.UUID


def seed_fleet_lines(central: CentralDatabase, count: int) -> list[tuple[str, str, uuid.UUID]]:
    """`count` sewing lines with an operator and a work order in progress each, published.

    Returns (line code, operator's employee number, work order id) for each line.
    """
    now = datetime.now(UTC)
    pin_hash = PinHasher().hash(PIN)
    made: list[Base] = []
    lines = []
    with central.session() as session:
        for number in range(1, count + 1):
            line = Line(
                id=new_id(),
                code=f"SEW-F{number:03d}",
                name=f"Sewing line F{number:03d}",
                department=Department.SEW,
            )
            operator = User(
                id=new_id(),
                employee_no=f"F{number:04d}",
                name=f"Fleet operator {number}",
                role=Role.OPERATOR,
                department=Department.SEW,
                pin_hash=pin_hash,
                badge_hash=None,
                is_active=True,
                failed_pin_count=0,
                locked_until=None,
                created_at=now,
            )
            operator.lines = [UserLine(line_id=line.id)]
            work_order = WorkOrder(
                id=new_id(),
                number=f"WO-FLEET-{number:04d}",
                mo_number=f"MO-FLEET-{number:04d}",
                article="T-shirt jersey, white",
                destination="EU / Rotterdam",
                department=Department.SEW,
                line_id=line.id,
                route="R1",
                sequence=1,
                target_qty=BIG_TARGET,
                good_qty=0,
                reject_qty=0,
                status=WorkOrderStatus.IN_PROGRESS,
                due_at=now + timedelta(days=5),
                started_at=now,
                completed_at=None,
                version=1,
            )
            session.add_all([line, operator, work_order])
            made += [line, operator, work_order]
            lines.append((line.code, operator.employee_no, work_order.id))
        session.flush()
        publish(session, [row for row in (feed_row(session, item) for item in made) if row])
        session.commit()
    return lines


class TimedClient(SyncClient):
    """The kiosk's own HTTP client, timing each exchange: request sent to answer read."""

    def __init__(self, base_url: str, token: str | None, samples: list[float]) -> None:
        super().__init__(base_url, token)
        self.samples = samples

    def sync(self, request: dict[str, Any]) -> dict[str, Any]:
        began = time.perf_counter()
        try:
            return super().sync(request)
        finally:
            with _LOCK:
                self.samples.append((time.perf_counter() - began) * 1000)


@dataclass
class GroupResult:
    samples: list[float] = field(default_factory=list)  # exchanges (request -> answer)
    rounds: list[float] = field(default_factory=list)  # whole rounds, local storage too
    errors: list[str] = field(default_factory=list)
    actions: int = 0
    events: int = 0  # every event the group's kiosks queued (logins too)
    left: int = 0  # events still unanswered after the final drain
    devices: list[uuid.UUID] = field(default_factory=list)


def _login(node: KioskNode, employee_no: str) -> Actor:
    with node.database.reader() as session:
        user_id = session.scalar(select(User.id).where(User.employee_no == employee_no))
    assert user_id is not None, employee_no
    return node.services.auth.login_with_pin(user_id, PIN).actor


def _run_kiosk(
    job: KioskJob,
    node: KioskNode,
    actor: Actor,
    *,
    start: float,
    seconds: float,
    result: GroupResult,
) -> None:
    # One engine (one HTTP session) per kiosk, as its worker keeps.
    client = TimedClient(node.server_url, stored_token(node.secrets), result.samples)
    engine = node.engine(client=client)
    record = node.services.work_orders.record
    lock = _LOCK
    phase = random.uniform(0, INTERVAL_SECONDS)
    tick = 0
    while True:
        due = start + phase + tick * INTERVAL_SECONDS
        if due >= start + seconds:
            break
        time.sleep(max(due - time.monotonic(), 0))
        tick += 1
        try:
            for _ in range(ACTIONS_PER_ROUND):
                record(actor, job.work_order_id, good="1", reject="", reason=None)
            with lock:
                result.actions += ACTIONS_PER_ROUND
            began = time.perf_counter()
            report = engine.run_round()
            elapsed = (time.perf_counter() - began) * 1000
            refused = report.answers["rejected"] + report.answers["conflict"]
            with lock:
                result.rounds.append(elapsed)
                if refused:
                    result.errors.append(f"{job.folder.name}: {dict(report.answers)}")
        except Exception as error:  # noqa: BLE001  (counted and reported, the kiosk goes on)
            with lock:
                result.errors.append(f"{job.folder.name}: {type(error).__name__}: {error}")


def run_group(
    server_url: str,
    jobs: list[KioskJob],
    seconds: float,
    ready: Any,
    results: Any,
) -> None:
    """One process's kiosks: enrol and bootstrap, wait for the others, run, drain."""
    result = GroupResult()
    try:
        nodes, actors = [], []
        for job in jobs:
            node = KioskNode(job.folder, server_url, job.code)
            node.sync()  # bootstrap
            nodes.append(node)
            actors.append(_login(node, job.operator))
            result.devices.append(node.store.state().device_id)
        ready.wait()
        start = time.monotonic()
        threads = [
            threading.Thread(
                target=_run_kiosk,
                args=(job, node, actor),
                kwargs={"start": start, "seconds": seconds, "result": result},
            )
            for job, node, actor in zip(jobs, nodes, actors, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for node in nodes:
            node.sync()  # drain what the last round left
            result.left += node.pending()
            result.events += len(node.outbox_ids())
            node.close()
    except Exception:  # noqa: BLE001  (the parent reports it)
        result.errors.append(traceback.format_exc())
    results.put(result)


def _central_answers(central: CentralDatabase, devices: list[uuid.UUID]) -> tuple[dict, bool]:
    """{result: count} of the fleet's events, and whether every device's numbers are gap-free."""
    with central.session() as session:
        answers = dict(
            session.execute(
                select(AppliedEvent.result, func.count())
                .where(AppliedEvent.device_id.in_(devices))
                .group_by(AppliedEvent.result)
            ).all()
        )
        ranges = session.execute(
            select(func.count(), func.min(AppliedEvent.seq), func.max(AppliedEvent.seq))
            .where(AppliedEvent.device_id.in_(devices))
            .group_by(AppliedEvent.device_id, AppliedEvent.incarnation)
        ).all()
    gap_free = all(count == highest - lowest + 1 for count, lowest, highest in ranges)
    return answers, gap_free


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the fleet runs")
    parser.add_argument("--kiosks", type=int, default=100)
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    with (
        central_site("fleet") as (_admin, central),
        tempfile.TemporaryDirectory(prefix="bench-fleet-") as folder,
    ):
        fleet_lines = seed_fleet_lines(central, args.kiosks)
        server = LoggedServer(central.url, Path(folder) / "server.log", workers=2)
        with server.running():
            jobs = [
                KioskJob(
                    Path(folder) / f"kiosk-{line}",
                    line,
                    central.enrolment_code(line=line),
                    operator,
                    work_order_id,
                )
                for line, operator, work_order_id in fleet_lines
            ]
            ready = context.Barrier(PROCESSES + 1)
            results = context.Queue()
            processes = [
                context.Process(
                    target=run_group,
                    args=(server.url, jobs[index::PROCESSES], args.seconds, ready, results),
                )
                for index in range(PROCESSES)
            ]
            for process in processes:
                process.start()
            ready.wait()
            began = time.perf_counter()
            groups: list[GroupResult] = [results.get() for _ in processes]
            running = time.perf_counter() - began
            for process in processes:
                process.join()
            devices = [device for group in groups for device in group.devices]
            answers, gap_free = _central_answers(central, devices)
    samples = [sample for group in groups for sample in group.samples]
    rounds = [sample for group in groups for sample in group.rounds]
    errors = [error for group in groups for error in group.errors]
    events = sum(group.events for group in groups)
    left = sum(group.left for group in groups)
    for error in errors[:10]:
        print(f"error: {error}", file=sys.stderr)
    print(
        f"fleet: {args.kiosks} kiosks, a round every {INTERVAL_SECONDS:.0f} s each with "
        f"{ACTIONS_PER_ROUND} counts before it, for {args.seconds:.0f} s "
        f"({running:.0f} s with the final drain)"
    )
    print(
        f"rounds: {len(rounds)} ({len(samples)} exchanges); "
        f"actions: {sum(group.actions for group in groups)}; "
        f"central: {answers} for {events} kiosk events; gap-free: {gap_free}; "
        f"left in outboxes: {left}"
    )
    for name, values in (("whole sync round", rounds), ("round trip", samples)):
        print(
            f"{name}: p50 {statistics.median(values):.1f} ms, "
            f"p95 {percentile(values, 0.95):.1f} ms, p99 {percentile(values, 0.99):.1f} ms, "
            f"max {max(values):.1f} ms"
        )
    lost = events - answers.get("applied", 0)
    print(f"fleet_errors: {len(errors) + abs(lost) + left + (0 if gap_free else 1)} errors")
    print(f"fleet_p95: {percentile(samples, 0.95):.1f} ms")


if __name__ == "__main__":
    main()
