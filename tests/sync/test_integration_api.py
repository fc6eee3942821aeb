"""The ERP's integration API against the real server: upserts, their rules, and the kiosks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.roles import Department, Role
from kiosk.domain.work_order import WorkOrderStatus
from kiosk.services.badge_hasher import badge_digest
from kiosk.store.models import KanbanItem, Line, User, WorkOrder
from kiosk.store.secrets import BADGE_KEY_NAME
from server_sync import api_keys
from server_sync.devices import EnrolmentError
from server_sync.models import CentralAuditEntry, IntegrationKey, SiteSecret
from tests.helpers.central import CentralDatabase, ThreadServer
from tests.helpers.integration import Erp, feed_high_water, make_key
from tests.helpers.logins import log_in_demo_user
from tests.sync.conftest import KioskFactory

NEW_LINE = {"code": "CUT-L07", "department": "CUT", "name": "Cutting line 7", "active": True}
NEW_PERSON = {
    "employee_no": "E7001",
    "name": "Putri Anggraini",
    "role": "OPERATOR",
    "department": "CUT",
    "lines": ["CUT-L07", "CUT-L02"],
    "active": True,
    "badge_uid": "0A00E7001",
}
NEW_ITEM = {"code": "BTN-25-BLK", "name": "Buttons 25 mm, black", "unit": "pack of 100"}
NEW_WORK_ORDER = {
    "number": "WO-2027-000001",
    "mo_number": "MO-2027-00001",
    "article": "TB-30-BRN",
    "destination": "DE-Hamburg",
    "department": "CUT",
    "line": "CUT-L07",
    "route": "R2",
    "target_qty": 600,
    "due": "31/01/2027",
}


@pytest.fixture
def erp(central: CentralDatabase, server: ThreadServer) -> Erp:
    return Erp(server.url, make_key(central))


def _running(central: CentralDatabase, line: str) -> WorkOrder:
    with central.session() as session:
        found = session.scalar(
            select(WorkOrder)
            .join(Line)
            .where(Line.code == line, WorkOrder.status == WorkOrderStatus.IN_PROGRESS)
            .where(WorkOrder.good_qty > 0)
        )
    assert found is not None
    return found


def _completed(central: CentralDatabase, line: str) -> WorkOrder:
    with central.session() as session:
        found = session.scalar(
            select(WorkOrder)
            .join(Line)
            .where(Line.code == line, WorkOrder.status == WorkOrderStatus.COMPLETED)
        )
    assert found is not None
    return found


def _as_sent(work_order: WorkOrder, line: str, **changes: Any) -> dict[str, Any]:
    """A demo work order as the ERP would send it, with `changes`."""
    row = {
        "number": work_order.number,
        "mo_number": work_order.mo_number,
        "article": work_order.article,
        "destination": work_order.destination,
        "department": work_order.department.value,
        "line": line,
        "route": work_order.route,
        "target_qty": work_order.target_qty,
    }
    return {**row, **changes}


def test_rows_are_created_and_a_resent_request_changes_nothing(
    erp: Erp, central: CentralDatabase
) -> None:
    assert erp.send("lines", [NEW_LINE]) == {
        "dry_run": False,
        "applied": True,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
    }
    assert erp.send("people", [NEW_PERSON])["created"] == 1
    assert erp.send("items", [NEW_ITEM])["created"] == 1
    assert erp.send("work-orders", [NEW_WORK_ORDER])["created"] == 1
    high_water = feed_high_water(central)

    for kind, row in (
        ("lines", NEW_LINE),
        ("people", NEW_PERSON),
        ("items", NEW_ITEM),
        ("work-orders", NEW_WORK_ORDER),
    ):
        again = erp.send(kind, [row])
        assert (again["applied"], again["created"], again["updated"], again["unchanged"]) == (
            False,
            0,
            0,
            1,
        ), kind
    assert feed_high_water(central) == high_water  # nothing published again

    with central.session() as session:
        person = session.scalar(select(User).where(User.employee_no == "E7001"))
        assert person is not None
        assert (person.role, person.department, person.is_active) == (
            Role.OPERATOR,
            Department.CUT,
            True,
        )
        line_codes = {link.line.code for link in person.lines}
        assert line_codes == {"CUT-L07", "CUT-L02"}
        badge_key = session.get(SiteSecret, BADGE_KEY_NAME)
        assert badge_key is not None
        assert person.badge_hash == badge_digest(badge_key.value, "0A00E7001")
        work_order = session.scalar(
            select(WorkOrder).where(WorkOrder.number == NEW_WORK_ORDER["number"])
        )
        assert work_order is not None
        assert work_order.status is WorkOrderStatus.RELEASED
        assert (
            work_order.due_at is not None and work_order.due_at.date().isoformat() == "2027-01-31"
        )
        item = session.get(KanbanItem, "BTN-25-BLK")
        assert item is not None and item.is_active
        audit = session.execute(
            select(CentralAuditEntry.actor, CentralAuditEntry.action, CentralAuditEntry.entity_key)
        ).all()
        assert ("key:erp", "integration.user.created", "E7001") in audit
        assert ("key:erp", "integration.work_order.created", NEW_WORK_ORDER["number"]) in audit
        audited = " ".join(
            str(details) for details in session.scalars(select(CentralAuditEntry.details))
        )
        assert "0A00E7001" not in audited  # the badge's UID is never kept


def test_a_change_updates_the_row_and_deactivation_keeps_history(
    erp: Erp, central: CentralDatabase
) -> None:
    erp.send("lines", [NEW_LINE])
    erp.send("items", [NEW_ITEM])
    answer = erp.send(
        "lines",
        [{**NEW_LINE, "name": "Cutting line 7 (new)"}, {**NEW_LINE, "code": "CUT-L08"}],
    )
    assert (answer["created"], answer["updated"]) == (1, 1)
    erp.send("items", [{**NEW_ITEM, "active": False}])
    with central.session() as session:
        line = session.scalar(select(Line).where(Line.code == "CUT-L07"))
        assert line is not None and line.name == "Cutting line 7 (new)"
        item = session.get(KanbanItem, "BTN-25-BLK")
        assert item is not None and not item.is_active  # kept, retired


def test_a_dry_run_answers_what_would_change_and_applies_nothing(
    erp: Erp, central: CentralDatabase
) -> None:
    high_water = feed_high_water(central)
    answer = erp.post("lines", [NEW_LINE, {**NEW_LINE, "code": "CUT-L08"}], dry_run=True)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "dry_run": True,
        "applied": False,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
    }
    assert central.count(Line, Line.code.in_(["CUT-L07", "CUT-L08"])) == 0
    assert feed_high_water(central) == high_water


def _rule_cases(central: CentralDatabase) -> Iterator[tuple[str, dict[str, Any], str, str]]:
    """(kind, a row breaking one rule, the field named, the reason)."""
    yield (
        "lines",
        {**NEW_LINE, "code": "CUT-L08", "department": "KNIT"},
        "department",
        "unknown_department",
    )
    yield (
        "lines",
        {"code": "CUT-L02", "department": "CUT", "name": "Cutting line 2", "active": False},
        "active",
        "line_holds_batch",
    )
    yield (
        "lines",
        {"code": "CUT-L01", "department": "SEW", "name": "Cutting line 1"},
        "department",
        "department_fixed",
    )
    yield "lines", {**NEW_LINE, "code": "CUT L 8"}, "code", "bad_code"
    yield "lines", {**NEW_LINE, "colour": "red"}, "colour", "unknown_field"
    yield (
        "people",
        {**NEW_PERSON, "department": "WH", "lines": []},
        "role",
        "role_not_in_department",
    )
    yield "people", {**NEW_PERSON, "lines": ["CUT-L09"]}, "lines", "unknown_line"
    yield "people", {**NEW_PERSON, "lines": ["SEW-L01"]}, "lines", "line_other_department"
    yield "people", {**NEW_PERSON, "role": "SUPERVISOR"}, "lines", "lines_for_operators_only"
    yield "people", {**NEW_PERSON, "name": "x" * 101}, "name", "too_long"
    yield "people", {**NEW_PERSON, "role": "CHIEF"}, "role", "unknown_role"
    yield "people", {**NEW_PERSON, "badge_uid": "0A000E1001"}, "badge_uid", "badge_taken"
    yield "items", {**NEW_ITEM, "max_quantity": 0}, "max_quantity", "out_of_range"
    yield "items", {**NEW_ITEM, "active": "maybe"}, "active", "not_a_flag"
    yield "work-orders", {**NEW_WORK_ORDER, "line": "CUT-L09"}, "line", "unknown_line"
    yield "work-orders", {**NEW_WORK_ORDER, "line": "SEW-L01"}, "line", "line_other_department"
    yield "work-orders", {**NEW_WORK_ORDER, "route": "R9"}, "route", "unknown_route"
    yield (
        "work-orders",
        {**NEW_WORK_ORDER, "department": "EMBO", "line": "EMB-L01"},
        "route",
        "department_not_on_route",
    )
    yield "work-orders", {**NEW_WORK_ORDER, "target_qty": 0}, "target_qty", "out_of_range"
    yield "work-orders", {**NEW_WORK_ORDER, "due": "31/02/2027"}, "due", "bad_date"
    yield "work-orders", {**NEW_WORK_ORDER, "status": "RELEASED"}, "status", "status_not_allowed"
    running = _running(central, "CUT-L02")
    yield (
        "work-orders",
        _as_sent(running, "CUT-L02", target_qty=running.good_qty - 1),
        "target_qty",
        "target_below_recorded",
    )
    yield "work-orders", _as_sent(running, "CUT-L01"), "line", "moved_while_running"
    done = _completed(central, "CUT-L02")
    yield "work-orders", _as_sent(done, "CUT-L01"), "line", "moved_after_start"
    yield (
        "work-orders",
        _as_sent(done, "CUT-L02", status="CANCELLED"),
        "status",
        "status_change_refused",
    )
    yield (
        "work-orders",
        _as_sent(running, "CUT-L02", status="CANCELLED"),
        "status",
        "work_order_running",
    )


def test_every_rule_is_refused_with_nothing_of_the_request_applied(
    erp: Erp, central: CentralDatabase
) -> None:
    erp.send("lines", [NEW_LINE])
    good = {
        "lines": {**NEW_LINE, "code": "CUT-L08"},
        "people": {**NEW_PERSON, "employee_no": "E7002", "badge_uid": None},
        "items": {**NEW_ITEM, "code": "BTN-30-BLK"},
        "work-orders": {**NEW_WORK_ORDER, "number": "WO-2027-000002"},
    }
    cases = list(_rule_cases(central))
    for kind, bad, field, reason in cases:
        high_water = feed_high_water(central)
        answer = erp.post(kind, [good[kind], bad])
        assert answer.status_code == 422, (kind, bad, answer.text)
        detail = answer.json()["detail"]
        assert detail["code"] == "rows_refused"
        problems = [(p["index"], p["field"], p["reason"]) for p in detail["problems"]]
        assert (1, field, reason) in problems, (kind, bad, problems)
        assert all(index == 1 for index, _, _ in problems), problems
        assert feed_high_water(central) == high_water
    assert central.count(Line, Line.code == "CUT-L08") == 0
    assert central.count(User, User.employee_no == "E7002") == 0
    assert central.count(KanbanItem, KanbanItem.code == "BTN-30-BLK") == 0
    assert central.count(WorkOrder, WorkOrder.number == "WO-2027-000002") == 0
    running = _running(central, "CUT-L02")
    assert running.status is WorkOrderStatus.IN_PROGRESS
    with central.session() as session:
        line = session.scalar(select(Line).where(Line.code == "CUT-L02"))
        assert line is not None and line.is_active
        refused = session.scalar(
            select(func.count())
            .select_from(CentralAuditEntry)
            .where(CentralAuditEntry.action.like("integration.%.refused"))
        )
    assert refused == len(cases)  # every refusal audited with the key's name


def test_a_completed_work_order_can_be_closed_and_leaves_nothing_else_changed(
    erp: Erp, central: CentralDatabase
) -> None:
    done = _completed(central, "CUT-L02")
    answer = erp.send("work-orders", [_as_sent(done, "CUT-L02", status="CLOSED")])
    assert (answer["updated"], answer["unchanged"]) == (1, 0)
    with central.session() as session:
        closed = session.get(WorkOrder, done.id)
        assert closed is not None
        assert closed.status is WorkOrderStatus.CLOSED
        assert (closed.good_qty, closed.completed_at) == (done.good_qty, done.completed_at)


def test_a_duplicate_key_in_one_request_is_refused(erp: Erp, central: CentralDatabase) -> None:
    answer = erp.post("lines", [NEW_LINE, {**NEW_LINE, "name": "twice"}])
    assert answer.status_code == 422
    assert [(p["index"], p["field"], p["reason"]) for p in answer.json()["detail"]["problems"]] == [
        (1, "code", "duplicate_key")
    ]
    assert central.count(Line, Line.code == "CUT-L07") == 0


def test_more_rows_than_a_request_may_hold_are_refused(erp: Erp, central: CentralDatabase) -> None:
    rows = [{**NEW_ITEM, "code": f"ITEM-{number}"} for number in range(5001)]
    answer = erp.post("items", rows)
    assert answer.status_code in {413, 422}
    assert central.count(KanbanItem, KanbanItem.code.like("ITEM-%")) == 0


def test_an_imported_line_s_kiosk_pulls_its_work_order_and_loses_it_when_cancelled(
    erp: Erp, central: CentralDatabase, kiosk: KioskFactory
) -> None:
    erp.send("lines", [NEW_LINE])
    erp.send("work-orders", [NEW_WORK_ORDER])
    node = kiosk("CUT-L07")
    supervisor = node.login("E5002")  # the Cutting supervisor may work on any CUT line
    listed = [view.number for view in node.services.work_orders.list_for_line(supervisor)]
    assert listed == [NEW_WORK_ORDER["number"]]

    answer = erp.send("work-orders", [{**NEW_WORK_ORDER, "status": "CANCELLED"}])
    assert answer["updated"] == 1
    node.sync()
    assert node.services.work_orders.list_for_line(supervisor) == []
    assert erp.send("work-orders", [{**NEW_WORK_ORDER, "status": "CANCELLED"}])["unchanged"] == 1
    changed = erp.post(
        "work-orders", [{**NEW_WORK_ORDER, "target_qty": 700, "status": "CANCELLED"}]
    )
    assert changed.status_code == 422
    assert changed.json()["detail"]["problems"][0]["reason"] == "work_order_withdrawn"


def test_a_deactivated_person_cannot_log_in_after_the_next_pull(
    erp: Erp, central: CentralDatabase, kiosk: KioskFactory
) -> None:
    node = kiosk("CUT-L02")
    with node.database.reader() as session:
        user_id = session.scalar(select(User.id).where(User.employee_no == "E1001"))
    assert user_id is not None
    log_in_demo_user(node.services.auth, user_id, "E1001")
    answer = erp.send(
        "people",
        [
            {
                "employee_no": "E1001",
                "name": "Rina Wulandari",
                "role": "OPERATOR",
                "department": "CUT",
                "lines": "CUT-L02",
                "active": False,
            }
        ],
    )
    assert answer["updated"] == 1
    node.sync()
    with pytest.raises(RefusalError) as refused:
        log_in_demo_user(node.services.auth, user_id, "E1001")
    assert refused.value.code is ErrorCode.ACCOUNT_INACTIVE
    with central.session() as session:
        person = session.scalar(select(User).where(User.employee_no == "E1001"))
        assert person is not None and not person.is_active
        assert central.count(WorkOrder) > 0  # history stays


def test_a_device_token_or_a_bad_key_is_refused(
    server: ThreadServer, central: CentralDatabase, kiosk: KioskFactory
) -> None:
    from kiosk.sync.enrolment import stored_token

    node = kiosk("CUT-L02")
    token = stored_token(node.secrets)
    assert token is not None
    for presented, status, code in (
        (token, 403, "device_token_refused"),
        ("lk_000000000000.not-a-real-secret-at-all", 401, "key_refused"),
        (make_key(central, "other")[:-2] + "xx", 401, "key_refused"),
    ):
        answer = Erp(server.url, presented).post("lines", [NEW_LINE])
        assert answer.status_code == status, answer.text
        assert answer.json()["detail"]["code"] == code
    assert central.count(Line, Line.code == "CUT-L07") == 0
    with central.session() as session:
        assert session.scalar(select(func.sum(IntegrationKey.use_count))) == 0


def test_a_retired_line_gets_no_new_kiosk(erp: Erp, central: CentralDatabase) -> None:
    erp.send("lines", [NEW_LINE])
    assert central.enrolment_code(line="CUT-L07")
    erp.send("lines", [{**NEW_LINE, "active": False}])
    with pytest.raises(EnrolmentError, match="retired"):
        central.enrolment_code(line="CUT-L07")


def test_a_count_comes_out_of_the_results_feed_once_with_a_real_key(
    erp: Erp, server: ThreadServer, central: CentralDatabase, kiosk: KioskFactory
) -> None:
    """An ERP reading with its integration key gets the line's count once, by its id; a read
    from the cursor it stored gets nothing again; a revoked key reads nothing."""
    node = kiosk("CUT-L02")
    rina = node.login("E1001")
    running = _running(central, "CUT-L02")
    recorded = node.services.work_orders.record(rina, running.id, good="7", reject="", reason=None)
    node.sync()

    def read(after: int, key_headers: dict[str, str]) -> Any:
        return requests.get(
            f"{erp.url}/events", params={"after": after}, headers=key_headers, timeout=30
        )

    first = read(0, erp.headers)
    assert first.status_code == 200, first.text
    page = first.json()
    counts = [fact for fact in page["facts"] if fact["kind"] == "production.recorded"]
    assert [(fact["good"], fact["line"]) for fact in counts] == [(7, "CUT-L02")]
    assert len({fact["id"] for fact in page["facts"]}) == len(page["facts"])
    assert recorded.good == 7
    again = read(page["next"], erp.headers).json()
    assert again["facts"] == [] and again["has_more"] is False

    with central.session() as session:
        api_keys.revoke(session, "erp", datetime.now(UTC))
        session.commit()
    refused = read(0, erp.headers)
    assert refused.status_code == 403
    assert refused.json()["detail"]["code"] == "key_revoked"
