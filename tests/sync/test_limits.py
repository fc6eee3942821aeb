"""Limits, tried as an attacker would against a real server on PostgreSQL.

A 200 MB body (streamed without a length, declared, or under a lying length) is refused
while it streams and the server's memory stays bounded; an oversized event payload or a
field its kind does not have is rejected alone and not kept; enrolment codes guessed at
speed from one address lock that address out (a right code too), not its neighbours;
refusals are counted in /metrics by status and route and logged without a token.
"""

from __future__ import annotations

import http.client
import json
import logging
import re
import select
import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import uvicorn
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select as sql_select

from kiosk.domain.ids import new_id
from kiosk.store.models import Alert, ProductionEntryRow
from server_sync.app import DeviceDep, create_app
from server_sync.enrol_throttle import ALERT_ENROL_LOCKED_OUT
from server_sync.models import AppliedEvent, Device
from server_sync.settings import ServerSettings
from tests.helpers.central import (
    CentralDatabase,
    KioskNode,
    ServerProcess,
    ThreadServer,
    free_port,
    wait_until_healthy,
)
from tests.helpers.sync_raw import (
    RawDevice,
    line_id,
    now_text,
    outbox_answer,
    queue_event,
    user_id,
    work_order,
)
from tests.sync.conftest import KioskFactory

MB = 1024 * 1024
ATTACK_BYTES = 200 * MB
CHUNK = 64 * 1024
RUNNING = "WO-2026-004217"  # CUT-L02, in progress
ATTACKER = "127.0.0.5"  # loopback addresses of their own: the server sees them as clients
NEIGHBOUR = "127.0.0.6"


# ====================================================================== bodies
def _memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (the peak) of a process, in kB."""
    found: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0])
    return found


def _stream(
    port: int,
    path: str,
    *,
    declared: int | None,
    chunked: bool,
    headers: dict[str, str] | None = None,
) -> tuple[int | None, bytes, int]:
    """POST up to 200 MB in 64 KB chunks, as fast as the server takes them, stopping when it
    answers or hangs up. Returns (status, the answer, bytes sent)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    head = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    head += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if chunked:
        head.append("Transfer-Encoding: chunked")
    if declared is not None:
        head.append(f"Content-Length: {declared}")
    sent = 0
    chunk = b'{"code":"' + b"1" * (CHUNK - 9)
    framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" if chunked else chunk
    try:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        while sent < ATTACK_BYTES:
            sock.sendall(framed)
            sent += len(chunk)
            if select.select([sock], [], [], 0)[0]:
                break  # the server answered (or hung up) before the body was whole
    except (BrokenPipeError, ConnectionResetError, TimeoutError):
        pass
    answer = b""
    try:
        while part := sock.recv(65536):
            answer += part
    except (ConnectionResetError, TimeoutError):
        pass
    finally:
        sock.close()
    match = re.match(rb"HTTP/1\.1 (\d{3})", answer)
    return (int(match.group(1)) if match else None), answer, sent


@pytest.fixture
def server_process(central: CentralDatabase) -> Iterator[ServerProcess]:
    running = ServerProcess(central.url)
    running.start()
    yield running
    running.stop()


def test_a_200_mb_body_is_refused_while_it_streams_and_the_memory_stays_bounded(
    central: CentralDatabase, server_process: ServerProcess
) -> None:
    assert server_process.process is not None
    pid = server_process.process.pid
    enrolled = requests.post(
        f"{server_process.url}/v1/enrol",
        json={"code": central.enrolment_code(line="CUT-L02"), "name": "CUT-L02"},
        timeout=10,
    )
    assert enrolled.status_code == 200, enrolled.text
    token = enrolled.json()["token"]
    with RawDevice(server_process.url, token) as device:
        device.sync([])  # the server has answered a real round: its memory is warm
        before = _memory_kb(pid)
        outcomes: dict[str, tuple[int | None, int]] = {}
        for path in ("/v1/enrol", "/v1/sync"):
            auth = {"Authorization": f"Bearer {token}"} if path == "/v1/sync" else {}
            for how, declared, chunked in (
                ("chunked, no length", None, True),
                ("declared 200 MB", ATTACK_BYTES, False),
                ("lying length of 1 MB", MB, False),
            ):
                status, answer, sent = _stream(
                    server_process.port, path, declared=declared, chunked=chunked, headers=auth
                )
                outcomes[f"{path} {how}"] = (status, sent)
                assert sent < 50 * MB, (path, how, sent)  # it stopped taking the body early
                if declared != MB:
                    assert status == 413, (path, how, answer[:300])
                    assert b'"code":"too_large"' in answer.replace(b" ", b"")
                else:  # only the declared megabyte is read: its JSON is cut, the rest junk
                    assert status is not None and 400 <= status < 500, (path, how, answer[:300])
        # A client that reads its answer only once it has sent all (requests, the kiosk's)
        # still gets the 413 for a body a few times over the limit, not a reset connection.
        plain = requests.post(
            f"{server_process.url}/v1/sync",
            data=b"[" + b"1," * (5 * MB) + b"1]",
            headers={**device.headers, "Content-Type": "application/json"},
            timeout=30,
        )
        assert plain.status_code == 413, plain.text[:300]
        assert plain.json()["detail"]["code"] == "too_large"
        after = _memory_kb(pid)
        assert after["VmHWM"] - before["VmHWM"] < 50 * 1024, (before, after, outcomes)
        assert after["VmRSS"] - before["VmRSS"] < 50 * 1024, (before, after, outcomes)
        # The server keeps answering: its health, and a kiosk's round.
        assert requests.get(f"{server_process.url}/health", timeout=10).status_code == 200
        assert device.sync([])["answers"] == []


def test_a_body_under_the_limit_is_read_whole(server: ThreadServer, kiosk: KioskFactory) -> None:
    """A large but allowed batch (1.5 MB, a kiosk's 1000 events and more) is taken whole."""
    node = kiosk("CUT-L02")
    with RawDevice.of(node, server.url) as device:
        padding = "x" * (1536 * 1024)
        answer = device.post(device.body([], note=padding))
    # The body reached the application (whose schema has no `note`): not refused at the door.
    assert answer.status_code == 422, answer.text[:300]


# ====================================================================== event payloads
def _record(central: CentralDatabase, good: int, **extra: Any) -> dict[str, Any]:
    return {
        "entry_id": str(new_id()),
        "work_order_id": str(work_order(central, RUNNING).id),
        "line": "CUT-L02",
        "good": good,
        "reject": 0,
        "reject_reason": None,
        "recorded_at": now_text(),
        "actor_id": str(user_id(central, "E1001")),
        **extra,
    }


def _production_entries(central: CentralDatabase, entry_ids: list[str]) -> int:
    with central.session() as session:
        rows = session.scalars(
            sql_select(ProductionEntryRow.id).where(
                ProductionEntryRow.id.in_([uuid.UUID(value) for value in entry_ids])
            )
        ).all()
    return len(rows)


def test_an_oversized_payload_and_an_unknown_field_are_rejected_alone_and_not_kept(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    cutting = kiosk("CUT-L02")
    rina = cutting.login("E1001")
    running = work_order(central, RUNNING)
    cutting.services.work_orders.record(rina, running.id, good="12", reject="0", reason=None)
    huge_alert = {
        "alert_id": str(new_id()),
        "priority": 2,
        "kind": "line_blocked",
        "department": "CUT",
        "line_id": str(line_id(central, "CUT-L02")),
        "subject_user_id": None,
        "fields": {"note": "x" * 100_000},
        "raised_at": now_text(),
        "actor_id": str(user_id(central, "E1001")),
    }
    oversized = queue_event(cutting, "alert.raised", huge_alert)
    smuggled_record = _record(central, 7, shoe_size=42)
    smuggled = queue_event(cutting, "production.recorded", smuggled_record)
    cutting.services.work_orders.record(rina, running.id, good="5", reject="0", reason=None)

    report = cutting.sync()

    assert report.pending == 0
    assert outbox_answer(cutting, oversized) == ("rejected", "payload_too_large: limit=16384")
    assert outbox_answer(cutting, smuggled) == ("rejected", "unknown_field: field=shoe_size")
    assert report.answers == {"applied": 3, "rejected": 2}  # the session and both records
    assert work_order(central, RUNNING).good_qty == running.good_qty + 12 + 5
    assert _production_entries(central, [smuggled_record["entry_id"]]) == 0
    with central.session() as session:
        assert session.get(Alert, uuid.UUID(huge_alert["alert_id"])) is None
        kept = session.get(AppliedEvent, oversized)
        assert kept is not None
        assert len(json.dumps(kept.payload)) < 200, kept.payload  # its size, not its 100 KB
        assert "x" * 100 not in json.dumps(kept.payload)


def test_the_kiosks_own_events_carry_only_declared_fields(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    """What a real kiosk sends is never refused for a field its kind does not have."""
    cutting = kiosk("CUT-L02")
    rina = cutting.login("E1001")
    running = work_order(central, RUNNING)
    cutting.services.work_orders.record(rina, running.id, good="3", reject="1", reason="STAIN")
    cutting.services.work_orders.pause(rina, running.id, reason="MACHINE_BREAKDOWN")
    cutting.services.work_orders.resume(rina, running.id)
    report = cutting.sync()
    assert report.pending == 0
    assert report.answers.get("rejected", 0) == 0, report.answers


# ====================================================================== enrolment
def _enrol_from(
    address: str, port: int, code: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], dict[str, Any]]:
    """POST /v1/enrol from a loopback address of our own (the client address the server sees)."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=(address, 0)
    )
    try:
        connection.request(
            "POST",
            "/v1/enrol",
            body=json.dumps({"code": code, "name": "guess"}),
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        response = connection.getresponse()
        body = json.loads(response.read() or b"{}")
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, headers, body
    finally:
        connection.close()


def _wrong_code(index: int) -> str:
    return f"{900000000000 + index:012d}"


def test_enrolment_codes_guessed_at_speed_lock_the_address_out_and_alert_admins_once(
    central: CentralDatabase, server: ThreadServer, caplog: pytest.LogCaptureFixture
) -> None:
    second = ThreadServer(central.url)  # a second server on the same database
    second.start()
    try:
        ports = [server.port, second.port]
        caplog.set_level(logging.INFO)
        guesses = [_wrong_code(index) for index in range(40)]
        statuses = [
            _enrol_from(ATTACKER, ports[index % 2], code)[0] for index, code in enumerate(guesses)
        ]
        # Ten wrong codes were checked, across both servers; every later guess was refused
        # before its code was looked at.
        assert statuses == [403] * 10 + [429] * 30

        right_code = central.enrolment_code(line="SEW-L03")
        status, headers, body = _enrol_from(ATTACKER, server.port, right_code)
        assert status == 429 and body["detail"]["code"] == "enrolment_locked_out"
        assert 0 < int(headers["retry-after"]) <= 900
        spoofed = _enrol_from(ATTACKER, second.port, right_code, {"X-Forwarded-For": "10.9.8.7"})
        assert spoofed[0] == 429  # a forwarded-for header from a client is not believed
        assert central.count(Device) == 0  # the right code did not enrol the attacker

        # The neighbour's typing mistake is only a mistake, and its right code works.
        assert _enrol_from(NEIGHBOUR, server.port, _wrong_code(99))[0] == 403
        status, _headers, body = _enrol_from(NEIGHBOUR, second.port, right_code)
        assert status == 200 and body["line"] == "SEW-L03"
    finally:
        second.stop()
    with central.session() as session:
        alerts = session.scalars(
            sql_select(Alert).where(Alert.kind == ALERT_ENROL_LOCKED_OUT)
        ).all()
    assert [(alert.fields["address"], alert.fields["failures"]) for alert in alerts] == [
        (ATTACKER, 10)
    ]
    assert alerts[0].department is None  # admins see it; no department's supervisor does
    lockouts = [record for record in caplog.records if "locked out" in record.getMessage()]
    assert len(lockouts) == 1 and ATTACKER in lockouts[0].getMessage()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert not any(code in logged for code in [*guesses, right_code])


# ====================================================================== metrics
def _counted(server_url: str) -> dict[tuple[str, str], float]:
    text = requests.get(f"{server_url}/metrics", timeout=10).text
    counted: dict[tuple[str, str], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "server_sync_error_responses_total":
                counted[(sample.labels["status"], sample.labels["route"])] = sample.value
    return counted


def test_refusals_are_counted_by_status_and_route_and_logged_without_the_token(
    central: CentralDatabase, server: ThreadServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    stolen_guess = "not-a-real-token-" + "q" * 30
    unauthenticated = requests.post(
        f"{server.url}/v1/sync",
        json={
            "incarnation": str(new_id()),
            "last_seq": 0,
            "acked_through": 0,
            "device_time": now_text(),
        },
        headers={"Authorization": f"Bearer {stolen_guess}"},
        timeout=10,
    )
    assert unauthenticated.status_code == 401
    too_large = requests.post(
        f"{server.url}/v1/enrol", data=b"{" + b" " * (3 * MB) + b"}", timeout=30
    )
    assert too_large.status_code == 413
    for index in range(11):
        _enrol_from(ATTACKER, server.port, _wrong_code(index))

    counted = _counted(server.url)
    assert counted[("401", "/v1/sync")] == 1
    assert counted[("413", "/v1/enrol")] == 1
    assert counted[("403", "/v1/enrol")] == 10
    assert counted[("429", "/v1/enrol")] == 1
    assert not any(status.startswith("5") for status, _route in counted)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "answered 401 to POST /v1/sync" in logged
    assert stolen_guess not in logged


def test_a_kiosk_whose_batch_is_over_the_body_limit_sends_it_in_smaller_batches(
    central: CentralDatabase, tmp_path: Path
) -> None:
    """No content stops a line's sync: a batch refused for its size goes again, halved."""
    small = ThreadServer(central.url, max_body_bytes=16 * 1024)
    small.start()
    try:
        node = KioskNode(tmp_path / "CUT-L02", small.url, central.enrolment_code(line="CUT-L02"))
        try:
            node.sync()
            rina = node.login("E1001")
            running = work_order(central, RUNNING)
            record = node.services.work_orders.record
            for _ in range(80):  # about 40 KB of events: over the limit in one batch
                record(rina, running.id, good="1", reject="0", reason=None)
            report = node.sync()
        finally:
            node.close()
    finally:
        small.stop()
    assert report.pending == 0
    assert report.answers == {"applied": 81}  # the login and every record
    assert work_order(central, RUNNING).good_qty == running.good_qty + 80


def test_the_document_names_the_limits_answers(server: ThreadServer) -> None:
    paths = requests.get(f"{server.url}/openapi.json", timeout=10).json()["paths"]
    assert {"413"} <= set(paths["/v1/sync"]["post"]["responses"])
    assert {"403", "413", "429"} <= set(paths["/v1/enrol"]["post"]["responses"])
    assert "Retry-After" in paths["/v1/enrol"]["post"]["responses"]["429"]["headers"]


def test_a_server_error_after_the_token_was_known_is_counted_and_logged_with_the_device(
    central: CentralDatabase, caplog: pytest.LogCaptureFixture
) -> None:
    """The real app with one route added that fails after the real token check."""
    port = free_port()
    app = create_app(ServerSettings(database_url=central.url, port=port))

    def failing(device: DeviceDep) -> None:
        raise RuntimeError("a bug after the token was checked")

    app.add_api_route("/v1/failing", failing, methods=["POST"])
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, 30.0)
        enrolled = requests.post(
            f"{url}/v1/enrol",
            json={"code": central.enrolment_code(line="CUT-L02"), "name": "CUT-L02"},
            timeout=10,
        ).json()
        caplog.set_level(logging.INFO)
        failed = requests.post(
            f"{url}/v1/failing",
            headers={"Authorization": f"Bearer {enrolled['token']}"},
            timeout=10,
        )
        assert failed.status_code == 500
        counted = _counted(url)
    finally:
        server.should_exit = True
        thread.join(10)
    assert counted == {("500", "/v1/failing"): 1}
    messages = [record.getMessage() for record in caplog.records]
    noted = [message for message in messages if "answered 500" in message]
    assert len(noted) == 1 and enrolled["device_id"] in noted[0], noted
    assert not any(enrolled["token"] in message for message in messages)
