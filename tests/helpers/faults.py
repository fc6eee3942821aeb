"""Small pieces the fault tests share: operators' actions, waiting, what PostgreSQL is doing."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import psycopg
from sqlalchemy import select, text

from kiosk.store.models import KanbanCard, WorkOrder
from kiosk.sync.status import SyncStatus
from kiosk.sync.worker import SyncWorker
from tests.helpers.central import CentralDatabase, KioskNode

CUTTING_WORK_ORDER = "WO-2026-004217"  # in progress on CUT-L02 (demo site)


def work_order_id(node: KioskNode, number: str) -> uuid.UUID:
    with node.database.reader() as session:
        found = session.scalar(select(WorkOrder.id).where(WorkOrder.number == number))
    assert found is not None, number
    return found


def record_counts(
    node: KioskNode, count: int, *, employee: str = "E1001", number: str = CUTTING_WORK_ORDER
) -> None:
    """`count` entries of one reject piece each, recorded by the operator on her kiosk."""
    actor = node.login(employee)
    target = work_order_id(node, number)
    for _ in range(count):
        node.services.work_orders.record(actor, target, good="0", reject="1", reason="FABRIC_FLAW")


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout} s for {what}")
        time.sleep(0.01)


class RowLock:
    """Another transaction holding a row lock (SELECT … FOR UPDATE) until released."""

    def __init__(self, central: CentralDatabase, locking_select: str) -> None:
        self._holder = psycopg.connect(central.url)
        self._holder.execute(locking_select)

    def release(self) -> None:
        if not self._holder.closed:
            self._holder.rollback()
            self._holder.close()

    def __enter__(self) -> RowLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def waiting_writers(central: CentralDatabase, *tables: str) -> list[int]:
    """Backends whose open transaction wrote to all of `tables` and now waits for a lock."""
    with central.session() as session:
        pids = session.scalars(
            text(
                "SELECT pid FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND backend_xid IS NOT NULL AND wait_event_type = 'Lock'"
            )
        ).all()
        return [
            pid
            for pid in pids
            if all(
                session.scalar(
                    text(
                        "SELECT count(*) FROM pg_locks WHERE pid = :pid AND granted "
                        "AND mode = 'RowExclusiveLock' AND relation = CAST(:table AS regclass)"
                    ),
                    {"pid": pid, "table": table},
                )
                for table in tables
            )
        ]


def card(node: KioskNode, card_id: uuid.UUID) -> KanbanCard:
    with node.database.reader() as session:
        found = session.get(KanbanCard, card_id)
    assert found is not None, card_id
    return found


class RunningWorker:
    """A kiosk's real sync worker thread (backoff and all), with the statuses it reported."""

    def __init__(self, node: KioskNode, server_url: str, max_backoff: float = 0.5) -> None:
        self.node = node
        self.client = node.client(server_url)
        self.statuses: list[SyncStatus] = []
        self.worker = SyncWorker(
            node.engine(client=self.client),
            node.store,
            node.clock,
            interval_seconds=0.1,
            max_backoff_seconds=max_backoff,
            on_status=self.statuses.append,
        )
        node.services.uow.events_committed.append(self.worker.events_queued)

    def start(self) -> RunningWorker:
        self.worker.start()
        return self

    def states(self) -> set[str]:
        return {status.state for status in list(self.statuses)}

    def stop(self) -> None:
        """Stop the thread (idempotent)."""
        self.worker.stop()
        listeners = self.node.services.uow.events_committed
        if self.worker.events_queued in listeners:
            listeners.remove(self.worker.events_queued)
        self.client.close()
