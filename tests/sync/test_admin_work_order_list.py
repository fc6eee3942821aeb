"""The admin's work-order list (GET /v1/admin/work-orders) and the admin's own due-date rule,
tried as the Work orders screen uses them and as a hostile kiosk would (issue 15, item 1).

Real server, PostgreSQL, kiosks enrolled by real codes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from kiosk.demo import demo_user
from kiosk.store.models import WorkOrder
from tests.helpers.central import CentralDatabase
from tests.helpers.refusals import refusal_of
from tests.helpers.sync_raw import RawDevice, user_id
from tests.sync.conftest import KioskFactory

ADMIN, RINA = "E9001", "E1001"
PATH = "/v1/admin"


def _proof(central: CentralDatabase, employee_no: str) -> dict[str, Any]:
    return {"user_id": str(user_id(central, employee_no)), "pin": demo_user(employee_no).pin}


def _ticket(raw: RawDevice, central: CentralDatabase) -> dict[str, str]:
    answer = raw.post({"actor": _proof(central, ADMIN)}, path=f"{PATH}/session")
    assert answer.status_code == 200, answer.text
    return {**raw.headers, "X-Admin-Ticket": answer.json()["ticket"]}


def _get(raw: RawDevice, headers: dict[str, str], **query: Any) -> Any:
    return raw.http.get(
        raw.server_url + PATH + "/work-orders", params=query, headers=headers, timeout=30
    )


def test_the_work_order_list_pages_through_everything_and_searches(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting = kiosk("CUT-L02")
    with RawDevice.of(cutting) as raw:
        headers = _ticket(raw, central)
        seen: list[str] = []
        cursor = None
        while True:
            query = {"limit": 4} if cursor is None else {"limit": 4, "cursor": cursor}
            page = _get(raw, headers, **query).json()
            seen += [row["number"] for row in page["rows"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        with central.session() as session:
            everything = sorted(session.scalars(select(WorkOrder.number)))
        assert seen == everything  # none twice, none lost
        by_line = _get(raw, headers, search="fin-l01").json()["rows"]
        assert by_line and {row["line"] for row in by_line} == {"FIN-L01"}
        first = by_line[0]
        by_item = _get(raw, headers, search=first["article"][:6]).json()["rows"]
        assert by_item and all(
            first["article"][:6].lower() in row["article"].lower() for row in by_item
        )
        assert [r["number"] for r in _get(raw, headers, search="004219").json()["rows"]] == [
            "WO-2026-004219"
        ]
        # A LIKE sign is searched for as itself, not as "anything".
        assert _get(raw, headers, search="%").json()["rows"] == []
        assert _get(raw, headers, search="_").json()["rows"] == []


def test_the_list_refuses_a_hostile_kiosk(central: CentralDatabase, kiosk: KioskFactory) -> None:
    cutting, sewing = kiosk("CUT-L02"), kiosk("SEW-L03")
    with RawDevice.of(cutting) as raw:
        headers = _ticket(raw, central)
        # No ticket, a forged one, an operator's session, another device's ticket.
        assert _get(raw, raw.headers).status_code == 401
        forged = {**raw.headers, "X-Admin-Ticket": "eyJ4IjoxfQ.c2lnbmVk"}
        assert _get(raw, forged).status_code == 401
        operator = raw.post({"actor": _proof(central, RINA)}, path=f"{PATH}/session")
        assert operator.status_code == 403
        with RawDevice.of(sewing) as elsewhere:
            stolen = {**elsewhere.headers, "X-Admin-Ticket": headers["X-Admin-Ticket"]}
            assert _get(elsewhere, stolen).status_code == 401
        # No device token at all, with the admin's ticket.
        bare = {"X-Admin-Ticket": headers["X-Admin-Ticket"]}
        assert _get(raw, bare).status_code == 401
        # A huge page, a page of none, a huge search text, a garbage or oversized cursor.
        assert _get(raw, headers, limit=10**9).status_code == 422
        assert _get(raw, headers, limit=0).status_code == 422
        assert _get(raw, headers, search="x" * 5000).status_code == 422
        assert _get(raw, headers, cursor="garbage").status_code == 422
        assert _get(raw, headers, cursor="A" * 5000).status_code == 422
        # A cursor of another list (people's) is only a place in the order: no error, no leak.
        people = raw.http.get(
            raw.server_url + PATH + "/people", params={"limit": 1}, headers=headers, timeout=30
        ).json()
        answer = _get(raw, headers, cursor=people["next_cursor"])
        assert answer.status_code == 200
        assert all(set(row) >= {"number", "line"} for row in answer.json()["rows"])
        # The biggest page allowed is served whole.
        assert _get(raw, headers, limit=200).status_code == 200


def test_an_admins_due_date_long_past_is_refused_but_a_late_orders_target_still_changes(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting = kiosk("CUT-L02")
    admin = cutting.login(ADMIN)
    site = cutting.services.admin
    pin = demo_user(ADMIN).pin
    with central.session() as session:
        before = session.scalar(select(func.count()).select_from(WorkOrder))
    fields = {
        "number": "WO-2027-000010",
        "mo_number": "MO-1",
        "article": "Teddy 30 cm",
        "destination": "JP-Osaka",
        "line": "CUT-L02",
        "route": "R1",
        "target_qty": 0,
        "due": "2020-01-31",
    }
    refusal = refusal_of(lambda: site.create_work_order(admin, pin, fields))
    assert sorted((p["field"], p["reason"]) for p in refusal.fields["problems"]) == [
        ("due", "due_in_past"),
        ("target_qty", "out_of_range"),
    ]
    refusal = refusal_of(
        lambda: site.create_work_order(admin, pin, {**fields, "target_qty": 5, "line": "NO-L1"})
    )
    assert [(p["field"], p["reason"]) for p in refusal.fields["problems"]] == [
        ("line", "unknown_line")
    ]
    with central.session() as session:
        assert session.scalar(select(func.count()).select_from(WorkOrder)) == before
    # The ERP sent it late (its API takes any date); the admin still changes its target.
    site.create_work_order(admin, pin, {**fields, "target_qty": 10, "due": "2099-01-01"})
    with central.session() as session:
        made = session.scalar(select(WorkOrder).where(WorkOrder.number == "WO-2027-000010"))
        assert made is not None
        made.due_at = datetime(2020, 1, 31, tzinfo=UTC)  # as the ERP could have sent it
        session.commit()
    site.edit_work_order(admin, pin, "WO-2027-000010", target_qty=20, due="2020-01-31")
    with central.session() as session:
        assert (
            session.scalar(select(WorkOrder.target_qty).where(WorkOrder.number == "WO-2027-000010"))
            == 20
        )
    refusal = refusal_of(
        lambda: site.edit_work_order(admin, pin, "WO-2027-000010", due="2021-05-05")
    )
    assert [(p["field"], p["reason"]) for p in refusal.fields["problems"]] == [
        ("due", "due_in_past")
    ]
