"""The HTTP contract, fuzzed: schemathesis reads the live server's OpenAPI document.

Whatever a client sends, the server never answers 500. Input the document calls invalid
(negative mode) is answered 4xx and writes nothing: no applied event, no incarnation,
no row in the change feed. Every run is bounded and derandomized, so it is the same
run on every machine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from sqlalchemy import select

from kiosk.domain.event_fields import wire_keys
from kiosk.domain.events import EVENT_TYPES, ProductionRecorded
from kiosk.domain.ids import new_id
from kiosk.domain.sync_events import PushedEvent, SyncResult
from kiosk.store.models import KanbanCard, Line, User, WorkOrder
from kiosk.sync import messages
from kiosk.sync.enrolment import stored_token
from server_sync import schemas
from server_sync.handlers import HANDLERS
from tests.helpers.central import CentralDatabase, ThreadServer
from tests.helpers.sync_raw import RawDevice, work_orders_of, write_counts
from tests.sync.conftest import KioskFactory

RUN = settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def token(kiosk: KioskFactory) -> str:
    node = kiosk("CUT-L02")
    found = stored_token(node.secrets)
    assert found is not None
    return found


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


@pytest.fixture
def api(server: ThreadServer) -> Any:
    return schemathesis.openapi.from_url(f"{server.url}/openapi.json")


def _show(case: Any, response: Any) -> str:
    return (
        f"{case.method} {case.path} {case.body!r} -> {response.status_code} {response.text[:300]}"
    )


def test_the_document_describes_every_route(api: Any) -> None:
    operations = {(op.ok().method.upper(), op.ok().path) for op in api.get_all_operations()}
    assert operations == {
        ("POST", "/v1/sync"),
        ("POST", "/v1/enrol"),
        ("POST", "/v1/badges/rehash"),
        ("GET", "/health"),
        ("GET", "/metrics"),
        # privileged identity requests, verified by the server (server_sync.identity_routes)
        ("POST", "/v1/identity/badges/bind"),
        ("POST", "/v1/identity/badges/unbind"),
        ("POST", "/v1/identity/users/unlock"),
        ("POST", "/v1/identity/users/reset-pin"),
        ("POST", "/v1/identity/users/change"),
        # a person's own first PIN, proved by badge or setup code (server_sync.first_pin)
        ("POST", "/v1/identity/users/first-pin"),
        ("POST", "/v1/identity/devices/enrolment-code"),
        ("POST", "/v1/identity/devices/revoke"),
        # the site's ERP, with an integration key (server_sync.integration)
        ("POST", "/v1/integration/lines"),
        ("POST", "/v1/integration/people"),
        ("POST", "/v1/integration/items"),
        ("POST", "/v1/integration/work-orders"),
        ("GET", "/v1/integration/events"),
        # an admin's site changes and lists, verified by the server (server_sync.admin_*)
        ("POST", "/v1/admin/lines/add"),
        ("POST", "/v1/admin/lines/rename"),
        ("POST", "/v1/admin/lines/deactivate"),
        ("POST", "/v1/admin/people/add"),
        ("POST", "/v1/admin/people/edit"),
        ("POST", "/v1/admin/work-orders/create"),
        ("POST", "/v1/admin/work-orders/edit"),
        ("POST", "/v1/admin/work-orders/cancel"),
        ("POST", "/v1/admin/session"),
        ("GET", "/v1/admin/people"),
        ("GET", "/v1/admin/work-orders"),
        ("GET", "/v1/admin/devices"),
        ("GET", "/v1/admin/integration-keys"),
        ("POST", "/v1/admin/integration-keys/create"),
        ("POST", "/v1/admin/integration-keys/revoke"),
        ("GET", "/v1/admin/audit"),
        ("GET", "/v1/admin/audit.csv"),
    }


def test_valid_requests_never_get_a_500(
    api: Any, token: str, server: ThreadServer, http: requests.Session
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    seen: set[int] = set()

    @RUN
    @given(case=api.as_strategy(GenerationMode.POSITIVE, headers=headers))
    def run(case: Any) -> None:
        response = case.call(base_url=server.url, session=http)
        seen.add(response.status_code)
        assert response.status_code < 500, _show(case, response)

    run()
    assert 200 in seen  # the run reached the application, not only its door


def test_malformed_requests_get_4xx_and_write_nothing(
    api: Any,
    token: str,
    server: ThreadServer,
    central: CentralDatabase,
    http: requests.Session,
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    before = write_counts(central)
    statuses: set[int] = set()
    writing = api.include(method="POST")

    @RUN
    @given(case=writing.as_strategy(GenerationMode.NEGATIVE, headers=headers))
    def run(case: Any) -> None:
        response = case.call(base_url=server.url, session=http)
        statuses.add(response.status_code)
        assert 400 <= response.status_code < 500, _show(case, response)

    run()
    # 400: a body that is not even UTF-8; 429: this address guessed too many enrolment codes;
    # 413: a generated body over the size limit (the admin routes' lists of codes can be)
    assert statuses <= {400, 401, 403, 413, 422, 429}
    assert write_counts(central) == before


def test_json_the_standard_forbids_is_malformed_not_a_server_error(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    """Python's JSON parser takes NaN, Infinity (1e400 too), NUL escapes and lone surrogates;
    PostgreSQL not."""
    node = kiosk("CUT-L02")
    before = write_counts(central)
    with RawDevice.of(node) as raw:
        body = raw.body([raw.event("session.started", {"line": "CUT-L02", "x": 1.5})])
        text = json.dumps(body)
        for bad in (
            text.replace("1.5", "NaN"),
            text.replace("1.5", "-Infinity"),
            text.replace("1.5", "1e400"),  # Infinity once parsed
            text.replace("1.5", "9" * 400 + ".5"),
            text.replace("1.5", '"\\u0000"'),
            text.replace("1.5", '"\\ud800"'),
            text.replace('"x"', '"\\udfff"'),
            text.replace('"session.started"', '"session\\u0000started"'),
            text[:-3],
            "[]",
            "",
        ):
            answer = raw.http.post(
                f"{raw.server_url}/v1/sync",
                data=bad.encode("utf-8"),
                headers={**raw.headers, "Content-Type": "application/json"},
                timeout=30,
            )
            assert 400 <= answer.status_code < 500, (bad[-80:], answer.status_code, answer.text)
    assert write_counts(central) == before


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("seq", "1"),  # a number as text
        ("seq", 1.0),
        ("seq", True),
        ("schema_version", "1"),
        ("created_at", 1764590400),  # seconds since 1970, not ISO text
        ("created_at", "1764590400"),
        ("created_at", "9999-12-31T23:59:59-05:00"),  # beyond year 9999 in UTC
        ("created_at", "0001-01-01T00:00:00+14:00"),  # before year 1 in UTC
        ("device_time", 802),
        ("device_time", "2026-12-01T10:00:00"),  # no zone
        ("limit", "10"),
        ("last_seq", -1),
        ("cursor", 2**63),
        ("incarnation", "not-a-uuid"),
        ("kind", ""),
        ("payload", []),
    ],
)
def test_a_value_the_document_does_not_allow_is_malformed_and_writes_nothing(
    kiosk: KioskFactory, central: CentralDatabase, where: str, value: Any
) -> None:
    node = kiosk("CUT-L02")
    before = write_counts(central)
    with RawDevice.of(node) as raw:
        body = raw.body([raw.event("session.started", {"line": "CUT-L02"})])
        target = body if where in body else body["events"][0]
        target[where] = value
        answer = raw.post(body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"]["code"] == "malformed"
    assert write_counts(central) == before


# ====================================================================== the handlers, fuzzed
def _plausible(central: CentralDatabase) -> dict[str, st.SearchStrategy[Any]]:
    """For each payload field, values of the right shape taken from the demo site."""
    with central.session() as session:
        users = [str(value) for value in session.scalars(select(User.id))]
        users += 10 * [  # the kiosk's own people, more often (a login names one twice)
            str(value)
            for value in session.scalars(
                select(User.id).where(User.employee_no.in_(["E1001", "E1002", "E5002"]))
            )
        ]
        orders = [str(value) for value in session.scalars(select(WorkOrder.id))]
        orders += 3 * [str(order.id) for order in work_orders_of(central, "CUT-L02")]
        numbers = list(session.scalars(select(WorkOrder.number)))
        lines = list(session.scalars(select(Line.code))) + 4 * ["CUT-L02"]
        line_ids = [str(value) for value in session.scalars(select(Line.id))]
        cards = [str(value) for value in session.scalars(select(KanbanCard.id))]
    now = datetime.now(UTC)
    times = st.sampled_from(
        [
            now.isoformat(),
            (now - timedelta(hours=3)).isoformat(),
            (now + timedelta(days=400)).isoformat(),
            "2026-12-01T10:00:00",  # no zone
            "9999-12-31T23:59:59-23:59",
            "0001-01-01T00:00:00+14:00",
        ]
    )
    fresh = st.builds(lambda: str(new_id()))
    employees = st.sampled_from(["E1001", "E1002", "E2001", "E5001", "E5002", "E6002"])
    shapes: dict[str, st.SearchStrategy[Any]] = {
        "actor_id": st.sampled_from(users),
        "user_id": st.sampled_from(users),
        "subject_user_id": st.one_of(st.none(), st.sampled_from(users)),
        "by": st.sampled_from(users),
        "work_order_id": st.sampled_from(orders),
        "card_id": st.one_of(st.sampled_from(cards or [str(new_id())]), fresh),
        "alert_id": fresh,
        "entry_id": fresh,
        "transfer_id": fresh,
        "movement_id": fresh,
        "clearance_id": fresh,
        "line": st.sampled_from(lines),
        "from_line": st.sampled_from(lines),
        "to_line": st.sampled_from(lines),
        "line_id": st.one_of(st.none(), st.sampled_from(line_ids)),
        "department": st.sampled_from(["CUT", "EMBO", "SEW", "FIN", "PACK", "WH"]),
        "from_department": st.sampled_from(["CUT", "SEW", "EMBO"]),
        "to_department": st.sampled_from(["SEW", "FIN", "EMBO"]),
        "good": st.integers(0, 400),
        "reject": st.integers(0, 20),
        "quantity": st.integers(1, 400),
        "counted_qty": st.integers(0, 400),
        "priority": st.integers(1, 3),
        "version": st.integers(1, 4),
        "reject_reason": st.sampled_from([None, "FABRIC_FLAW", "STAIN"]),
        "site": st.just("DEMO"),
        "slip_id": st.sampled_from(["TS-0001-0001", "TS-0001-0002", "TS-0002-0001"]),
        "work_order_number": st.sampled_from(numbers),
        "mo_number": st.just("MO-2026-01100"),
        "article": st.just("Teddy bear 30 cm, brown"),
        "destination": st.sampled_from(["DE-Hamburg", "JP-Osaka"]),
        "prepared_by": employees,
        "counted_by": employees,
        "reason": st.sampled_from(["recount", "end of shift"]),
        "card_no": st.sampled_from(["KB-0001", "KB-0002"]),
        "item": st.sampled_from(["THR-WHT-5000", "NOPE"]),
        "kind": st.sampled_from(["line_blocked", "quantity_mismatch"]),
        "badge_hash": st.sampled_from(["a" * 64, "b" * 64]),
        "fields": st.dictionaries(st.sampled_from(["line", "sent"]), st.integers(), max_size=2),
        "from": st.just("WIP_CUT"),
        "to": st.just("WIP_SEW"),
    }
    for name in ("at", "recorded_at", "prepared_at", "counted_at", "decided_at", "raised_at"):
        shapes[name] = times
    shapes["until"] = times
    return shapes


def _junk() -> st.SearchStrategy[Any]:
    # Text PostgreSQL cannot store (NUL, lone surrogates) is a 422, tested above.
    text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        text,
        st.just(""),
        st.just("x" * 500),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(text, st.integers(), max_size=3),
    )


def _event(shapes: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """A kind the server handles and a payload of the right shape (the kind's own fields),
    with 0-2 fields spoiled, and now and then a field the kind does not have."""

    @st.composite
    def build(draw: Any) -> tuple[str, dict[str, Any]]:
        kind = draw(st.sampled_from(sorted(HANDLERS)))
        fields = sorted(wire_keys(EVENT_TYPES[kind]) & set(shapes))
        payload = {name: draw(shapes[name]) for name in fields}
        for name in draw(st.lists(st.sampled_from(fields), max_size=2, unique=True)):
            if draw(st.booleans()):
                payload[name] = draw(_junk())
            else:
                del payload[name]
        if draw(st.integers(0, 9)) == 0:
            payload["shoe_size"] = 42
        return kind, payload

    return build()


def test_fuzzed_events_of_every_kind_are_each_answered_never_a_500(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    node = kiosk("CUT-L02")
    event = _event(_plausible(central))
    answered: dict[str, int] = {}
    with RawDevice.of(node) as raw:

        @RUN
        @given(batch=st.lists(event, min_size=1, max_size=4))
        def run(batch: list[tuple[str, dict[str, Any]]]) -> None:
            events = [raw.event(kind, payload) for kind, payload in batch]
            response = raw.post(raw.body(events))
            if response.status_code != 200:
                raw.seq -= len(events)  # nothing was taken: the numbers are free again
            assert response.status_code == 200, (batch, response.status_code, response.text[:300])
            answers = response.json()["answers"]
            assert [answer["id"] for answer in answers] == [item["id"] for item in events]
            for answer in answers:
                assert answer["result"] in {"applied", "rejected", "conflict"}, answer
                key = f"{answer['result']} {(answer['reason'] or '').split(':')[0]}"
                answered[key] = answered.get(key, 0) + 1

        run()
    applied = sum(count for key, count in answered.items() if key.startswith("applied"))
    assert applied > 0 and len(answered) > 5  # the run went past the door into the rules


def test_the_kiosks_typed_messages_are_the_servers_schemas() -> None:
    """The kiosk's request and response dataclasses name the fields the server's pydantic
    models name, and each side reads what the other writes."""
    same_fields = [
        (messages.SyncRequest, schemas.SyncRequest),
        (PushedEvent, schemas.EventIn),
        (messages.SyncResponse, schemas.SyncResponse),
        (messages.Change, schemas.ChangeOut),
    ]
    for kiosk_type, model in same_fields:
        assert {item.name for item in fields(kiosk_type)} == set(model.model_fields), kiosk_type
    # An answer names its event by id (the kiosk finds the number by the id).
    assert {"event_id" if name == "id" else name for name in schemas.AnswerOut.model_fields} == {
        item.name for item in fields(messages.EventAnswer)
    } | {"seq"}

    now = datetime.now(UTC)
    event = ProductionRecorded(
        actor_id=new_id(),
        entry_id=new_id(),
        work_order_id=new_id(),
        good=5,
        reject=0,
        recorded_at=now,
    )
    request = messages.SyncRequest(
        incarnation=new_id(),
        last_seq=7,
        acked_through=6,
        device_time=now,
        events=[
            PushedEvent(new_id(), 7, event.kind, event.schema_version, now, event.to_payload())
        ],
        cursor=40,
        epoch=new_id(),
        limit=500,
    )
    parsed = schemas.SyncRequest.model_validate_json(json.dumps(request.to_json()))
    assert parsed.model_dump() == {
        **request.__dict__,
        "events": [{**item.__dict__, "kind": str(item.kind)} for item in request.events],
    }

    answer = new_id()
    sent = schemas.SyncResponse(
        server_time=now,
        epoch=new_id(),
        answers=[schemas.AnswerOut(id=answer, seq=7, result="rejected", reason="malformed")],
        next_seq=8,
        server_behind=False,
        changes=[schemas.ChangeOut(seq=41, entity="work_order", key="k", data={"good_qty": 5})],
        cursor=41,
        high_water=90,
        has_more=True,
        reset="epoch_changed",
    )
    read = messages.SyncResponse.from_json(json.loads(sent.model_dump_json()))
    assert read == messages.SyncResponse(
        server_time=now,
        epoch=sent.epoch,
        answers=[messages.EventAnswer(answer, SyncResult.REJECTED, "malformed")],
        next_seq=8,
        server_behind=False,
        changes=[messages.Change(41, "work_order", "k", {"good_qty": 5})],
        cursor=41,
        high_water=90,
        has_more=True,
        reset="epoch_changed",
    )
