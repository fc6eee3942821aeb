"""Faults between a kiosk and the server, and how sync heals from each: nothing lost, nothing twice.

A real `server-sync` process (killed with SIGKILL), our TCP proxy between kiosk and
server (network down, answers lost or held), kiosk processes killed with kill -9, and a
PostgreSQL server of the test's own restarted under the kiosks. After healing, every
test checks the same things: exactly N events recorded centrally, no count applied
twice, gap-free numbers per device, every kiosk's replica equal to the server's for
its scope, every outbox drained.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.sync.client import SyncError, SyncErrorKind
from tests.helpers.central import (
    CentralDatabase,
    KioskNode,
    ServerProcess,
    ThreadServer,
    applied_counts,
    build_central_template,
)
from tests.helpers.faults import (
    CUTTING_WORK_ORDER,
    RowLock,
    RunningWorker,
    record_counts,
    wait_until,
    waiting_writers,
    work_order_id,
)
from tests.helpers.kiosk_process import KioskProcess
from tests.helpers.postgres import ThrowawayCluster, throwaway_cluster
from tests.helpers.sync_checks import (
    assert_applied_exactly,
    assert_counts_once,
    assert_healed,
    outbox_results,
)
from tests.helpers.tcp_proxy import Mode, TcpProxy
from tests.sync.conftest import KioskFactory


def _healed(central: CentralDatabase, nodes: list[KioskNode], events: int) -> dict[str, int]:
    """The checks every fault test ends with; returns the central answers by result."""
    assert assert_healed(central, nodes) == events
    counts = assert_applied_exactly(central, events)
    assert_counts_once(central, nodes)
    return counts


@pytest.fixture
def server_process(central: CentralDatabase) -> Iterator[ServerProcess]:
    running = ServerProcess(central.url)
    running.start()
    yield running
    running.kill()


# ====================================================================== 1. the server dies
SECOND_WORK_ORDER = "WO-2026-004219"  # released on CUT-L02: Rina starts it


def test_server_killed_mid_batch_loses_nothing_and_applies_nothing_twice(
    central: CentralDatabase, server_process: ServerProcess, tmp_path: Path
) -> None:
    node = KioskNode(tmp_path / "CUT-L02", server_process.url, central.enrolment_code("CUT-L02"))
    try:
        node.sync()
        record_counts(node, 499)  # events 1-500: two batches of 250 on one work order
        rina = node.login("E1001")  # 501
        node.services.work_orders.start(  # 502, beside WO-2026-004217
            rina, work_order_id(node, SECOND_WORK_ORDER), alongside=["WO-2026-004217"]
        )
        record_counts(node, 1000, number=SECOND_WORK_ORDER)  # 503-1503, on the second one
        events = node.pending()
        assert events == 1503
        failed: list[SyncError] = []

        def push() -> None:
            try:
                node.sync(batch_size=250)
            except SyncError as error:
                failed.append(error)

        # Other transactions hold the second work order and the feed's row (as another
        # kiosk's batch would, for a moment): the third batch waits for the work order;
        # let go, it applies its events, writes its rows and waits to publish them (its
        # events are recorded last, numbered under that lock). Then the server is killed,
        # mid-batch.
        second = f"SELECT 1 FROM work_order WHERE number = '{SECOND_WORK_ORDER}' FOR UPDATE"
        pushing = threading.Thread(target=push)
        with RowLock(central, second) as work_order_held:
            pushing.start()
            wait_until(lambda: node.pending() == events - 500, "two batches answered")
            with RowLock(central, "SELECT 1 FROM feed_state FOR UPDATE"):
                work_order_held.release()
                wait_until(
                    lambda: waiting_writers(central, "production_entry", "work_order"),
                    "the third batch written, not committed",
                )
                server_process.kill()
        pushing.join(30)
        assert failed and failed[0].kind is SyncErrorKind.OFFLINE
        wait_until(lambda: not waiting_writers(central), "the dead server's transaction gone")
        assert applied_counts(central) == {"applied": 500}  # the third batch left nothing
        assert_counts_once(central, [])
        assert node.pending() == events - 500

        server_process.start()  # same port: the kiosk's configured address
        report = node.sync(batch_size=250)
        assert dict(report.answers) == {"applied": events - 500} and report.pending == 0
        assert _healed(central, [node], events) == {"applied": events}
    finally:
        node.close()


# ====================================================================== 2. a lost answer
def test_an_answer_lost_after_the_commit_is_answered_duplicate_and_applied_once(
    kiosk: KioskFactory, central: CentralDatabase, proxy: TcpProxy
) -> None:
    node = kiosk("CUT-L02")
    record_counts(node, 30)
    proxy.set_mode(Mode.DROP_RESPONSE, responses=1)
    report = node.sync(proxy.url)
    assert proxy.dropped == 1 and proxy.answered == 2  # the client retried at once
    assert dict(report.answers) == {"duplicate": 31}
    assert applied_counts(central) == {"applied": 31}

    # Every answer lost: the round fails; the kiosk tries again later and is told "duplicate".
    record_counts(node, 20)
    proxy.set_mode(Mode.DROP_RESPONSE)
    with pytest.raises(SyncError) as lost:
        node.sync(proxy.url)
    assert lost.value.kind is SyncErrorKind.OFFLINE
    assert proxy.dropped >= 2
    assert applied_counts(central) == {"applied": 52}
    assert node.pending() == 21
    proxy.set_mode(Mode.PASS)
    report = node.sync(proxy.url)
    assert dict(report.answers) == {"duplicate": 21}
    assert _healed(central, [node], 52) == {"applied": 52}
    assert outbox_results(node) == {"duplicate": 52}


# ====================================================================== 3. replayed requests
def _post(http: requests.Session, url: str, request: Any, body: dict[str, Any]) -> dict[str, Any]:
    headers = {"Authorization": request.headers["authorization"]}
    response = http.post(f"{url}/v1/sync", json=body, headers=headers, timeout=30)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_duplicated_and_reordered_requests_apply_each_event_once(
    kiosk: KioskFactory, central: CentralDatabase, server: ThreadServer, proxy: TcpProxy
) -> None:
    node = kiosk("CUT-L02")
    record_counts(node, 40)
    # The kiosk's request is captured on its way and never reaches the server.
    proxy.set_mode(Mode.SWALLOW)
    with pytest.raises(SyncError):
        node.sync(proxy.url)
    proxy.set_mode(Mode.PASS)
    assert applied_counts(central) == {}
    captured = proxy.captured[0]
    body = json.loads(captured.body)
    events = body["events"]
    assert [event["seq"] for event in events] == list(range(1, 42))
    # Two batches, as the kiosk sends them with a batch size of 21.
    first = {**body, "events": events[:21]}
    second = {**body, "events": events[21:], "acked_through": 21}
    by_event: dict[str, Counter[str]] = {event["id"]: Counter() for event in events}

    def note(answer: dict[str, Any]) -> list[str]:
        for item in answer["answers"]:
            by_event[item["id"]][item["result"]] += 1
        return [item["result"] for item in answer["answers"]]

    with requests.Session() as http:
        # Batch 2 before batch 1: a gap, nothing taken, "send again".
        answer = _post(http, server.url, captured, second)
        assert set(note(answer)) == {"retry"} and answer["next_seq"] == 1
        assert {item["reason"] for item in answer["answers"]} == {"gap"}
        assert applied_counts(central) == {}
        # Batch 1 with its events in reverse order, then batch 2: all applied.
        answer = _post(http, server.url, captured, {**first, "events": first["events"][::-1]})
        assert set(note(answer)) == {"applied"} and answer["next_seq"] == 22
        assert set(note(_post(http, server.url, captured, second))) == {"applied"}
        # Both again, twice each, at the same time: answered, never applied again.
        results: list[list[str]] = []

        def replay(body: dict[str, Any]) -> None:
            with requests.Session() as own:
                results.append(note(_post(own, server.url, captured, body)))

        threads = [
            threading.Thread(target=replay, args=(item,)) for item in (second, first, second, first)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert len(results) == 4 and {result for batch in results for result in batch} == {
            "duplicate"
        }
        # The whole request as captured, once more: duplicates.
        assert set(note(_post(http, server.url, captured, body))) == {"duplicate"}
    assert all(counts["applied"] == 1 for counts in by_event.values())
    # The kiosk never heard any of it: its own next round is answered "duplicate".
    report = node.sync(proxy.url)
    assert dict(report.answers) == {"duplicate": 41}
    assert _healed(central, [node], 41) == {"applied": 41}


# ====================================================================== 4. the kiosk dies
def test_kiosk_killed_after_its_commits_before_any_push_sends_them_on_restart(
    central: CentralDatabase, server: ThreadServer, proxy: TcpProxy, tmp_path: Path
) -> None:
    folder = tmp_path / "CUT-L02"
    node = KioskNode(folder, server.url, central.enrolment_code("CUT-L02"))
    node.sync()
    node.close()
    proxy.set_mode(Mode.DOWN)  # the cable is out: the worker tries and backs off
    arguments = ("--employee", "E1001", "--work-order", CUTTING_WORK_ORDER, "--count", "25")
    with KioskProcess(folder, proxy.url, "record", *arguments, "--worker") as running:
        running.wait_for("done")
        wait_until(lambda: proxy.reset >= 2, "the sync worker trying through the cut cable")
        running.kill()
    assert applied_counts(central) == {}

    proxy.set_mode(Mode.PASS)
    with KioskProcess(folder, proxy.url, "sync") as restarted:
        report = restarted.report()
    assert report["answers"] == {"applied": 26} and report["pending"] == 0
    node = KioskNode.reopen(folder, server.url)
    try:
        node.sync()
        assert _healed(central, [node], 26) == {"applied": 26}
    finally:
        node.close()


def test_kiosk_killed_between_push_and_ack_is_answered_duplicate_on_restart(
    central: CentralDatabase, server: ThreadServer, proxy: TcpProxy, tmp_path: Path
) -> None:
    folder = tmp_path / "CUT-L02"
    node = KioskNode(folder, server.url, central.enrolment_code("CUT-L02"))
    try:
        node.sync()
        record_counts(node, 25)
        proxy.set_mode(Mode.HOLD, responses=1)
        with KioskProcess(folder, proxy.url, "sync") as pushing:
            pushing.wait_for("ready")
            proxy.wait_for("held", 1)  # the server committed; its answer waits in the proxy
            assert applied_counts(central) == {"applied": 26}
            pushing.kill()
        proxy.release()  # to nobody
        assert node.pending() == 26  # nothing was acknowledged on the kiosk

        with KioskProcess(folder, proxy.url, "sync") as restarted:
            report = restarted.report()
        assert report["answers"] == {"duplicate": 26} and report["pending"] == 0
        node.sync()
        assert _healed(central, [node], 26) == {"applied": 26}
        assert outbox_results(node) == {"duplicate": 26}
    finally:
        node.close()


# ====================================================================== 5. PostgreSQL restarts
def test_postgresql_restarts_while_kiosks_sync_and_the_workers_heal_by_themselves(
    tmp_path: Path,
) -> None:
    with throwaway_cluster() as cluster:
        if cluster is None:
            pytest.skip("no PostgreSQL server binaries for a throwaway server")
        template = build_central_template(cluster.url)
        with CentralDatabase.copy_of(cluster.url, template) as central:
            server = ServerProcess(central.url)
            nodes: list[KioskNode] = []
            workers: list[RunningWorker] = []
            try:
                server.start()
                for line in ("CUT-L02", "CUT-L01"):
                    nodes.append(
                        KioskNode(tmp_path / line, server.url, central.enrolment_code(line))
                    )
                    nodes[-1].sync()
                    workers.append(RunningWorker(nodes[-1], server.url).start())
                _restart_under_load(cluster, central, nodes, workers)
                for worker in workers:
                    worker.stop()
                for node in nodes:
                    node.sync()  # the last rows the other kiosk's final round published
                # Per kiosk: two logins and 200 counts.
                assert _healed(central, nodes, 2 * 202) == {"applied": 2 * 202}
            finally:
                for worker in workers:
                    worker.stop()
                for node in nodes:
                    node.close()
                server.kill()


def _restart_under_load(
    cluster: ThrowawayCluster,
    central: CentralDatabase,
    nodes: list[KioskNode],
    workers: list[RunningWorker],
) -> None:
    def work(node: KioskNode, number: str, employee: str) -> None:
        record_counts(node, 100, employee=employee, number=number)

    plan = [(nodes[0], CUTTING_WORK_ORDER, "E1001"), (nodes[1], "WO-2026-004224", "E1003")]
    operators = [threading.Thread(target=work, args=item) for item in plan]
    for thread in operators:
        thread.start()
    wait_until(lambda: sum(applied_counts(central).values()) > 20, "events arriving")
    cluster.restart("immediate")  # like a crash: every open transaction is gone
    central.engine.dispose()
    for thread in operators:
        thread.join(60)
    cluster.stop("fast")  # and down for a while
    for worker in workers:
        worker.statuses.clear()
    record_counts(nodes[0], 100)
    record_counts(nodes[1], 100, employee="E1003", number="WO-2026-004224")
    wait_until(
        lambda: all(worker.states() & {"failing", "offline"} for worker in workers),
        "both workers failing while the database is down",
    )
    cluster.start()
    central.engine.dispose()  # the test's own connections died with the server, too
    wait_until(
        lambda: all(node.pending() == 0 for node in nodes),
        "the workers draining the outboxes by themselves",
        timeout=30,
    )
