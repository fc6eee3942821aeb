"""Work orders (SPKs) from the ERP by number: what to make, where, how many, by when.

The floor owns a work order's progress (started, counts, paused, completed); the ERP owns
its definition and may withdraw it: `CANCELLED` or `CLOSED`, never while it runs. A
withdrawn work order leaves every kiosk's list and keeps its history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, lazyload

from kiosk.domain.ids import new_id
from kiosk.domain.roles import Department
from kiosk.domain.transfer import ROUTES
from kiosk.domain.work_order import WITHDRAWN_STATUSES, WorkOrderStatus
from kiosk.store.models import Base, Line, WorkOrder
from server_sync.scope import line_rows
from server_sync.site_data import apply_plan
from server_sync.site_rows import (
    Plan,
    Planned,
    Problem,
    RowReader,
    among,
    duplicate_problem,
    plan_change,
    rows_of,
)

WORK_ORDERS = "work_orders"
MAX_TARGET = 10_000_000
WORK_ORDER_FIELDS = frozenset(
    {
        "number",
        "mo_number",
        "article",
        "destination",
        "department",
        "line",
        "route",
        "target_qty",
        "due",
        "status",
    }
)
_S = WorkOrderStatus
_RUNNING = frozenset({_S.IN_PROGRESS, _S.PAUSED})
# The statuses the ERP may set, and from which a work order may take each.
_WITHDRAW_FROM: dict[WorkOrderStatus, frozenset[WorkOrderStatus]] = {
    _S.CANCELLED: frozenset({_S.RELEASED, _S.CANCELLED}),
    _S.CLOSED: frozenset({_S.RELEASED, _S.COMPLETED, _S.CLOSED}),
}


def plan_work_orders(session: Session, rows: Sequence[Any], *, lock: bool = False) -> Plan:
    """Work orders by `number`: every problem of the request, or what would change."""
    plan = Plan(WORK_ORDERS)
    readings: list[tuple[int, dict[str, Any], str, str, WorkOrderStatus | None]] = []
    seen: dict[str, int] = {}
    for index, raw in rows_of(rows, plan.problems):
        read = RowReader(index, raw, WORK_ORDER_FIELDS, plan.problems)
        number = read.code("number")
        values: dict[str, Any] = {
            "number": number,
            "mo_number": read.text("mo_number", 32),
            "article": read.text("article", 100),
            "destination": read.text("destination", 64),
            "department": read.choice("department", Department),
            "target_qty": read.integer("target_qty", 1, MAX_TARGET),
            "due_at": read.due("due"),
        }
        line_code = read.code("line")
        route = read.text("route", 8)
        status = read.choice("status", WorkOrderStatus, required=False)
        if status is not None and status not in _WITHDRAW_FROM:
            plan.problems.append(
                Problem(
                    index,
                    "status",
                    "status_not_allowed",
                    f"status {status.value} is the floor's to set: send CANCELLED or CLOSED, "
                    "or leave status out.",
                )
            )
        if number is not None and number in seen:
            plan.problems.append(duplicate_problem(index, "number", number, seen[number]))
        elif number is not None:
            seen[number] = index
        if read.ok and line_code is not None and route is not None:
            _check_route(plan, index, route.upper(), values["department"])
            values["route"] = route.upper()
            readings.append((index, values, line_code, route, status))
    # Each work order's line only when a message or a move needs it (most often from the
    # lines this plan holds): joining it into 50,000 rows of an import costs seconds.
    query = select(WorkOrder).where(among(WorkOrder.number, seen)).options(lazyload(WorkOrder.line))
    existing = {row.number: row for row in session.scalars(_locked(query, lock))}
    codes = {line_code for _, _, line_code, _, _ in readings}
    lines = {line.code: line for line in session.scalars(select(Line).where(Line.code.in_(codes)))}
    plan.held.extend(lines.values())
    for index, values, line_code, _route, status in readings:
        work_order = existing.get(values["number"])
        line = _line(plan, index, line_code, values["department"], lines, work_order)
        if line is None:
            continue
        values["line_id"] = line.id
        if work_order is None:
            values["status"] = status or _S.RELEASED
        elif status is not None:
            values["status"] = status
        planned = plan_change(index, values["number"], values, work_order)
        if work_order is None or not planned.changed or _allowed(plan, index, work_order, values):
            plan.rows.append(planned)
    return plan


def validate_work_orders(rows: Sequence[Any], session: Session) -> list[Problem]:
    return plan_work_orders(session, rows).problems


def apply_work_orders(
    session: Session,
    plan: Plan,
    *,
    now: datetime,
    actor: str,
    source: str = "integration",
    audit_extra: dict[str, Any] | None = None,
) -> int:
    """Write a work-order plan (see site_data.apply_plan).

    A new work order, or one moved to another line, goes to the end of its line's queue;
    one moved away is also sent to its old line's kiosks, so it leaves their list.
    """
    next_sequence: dict[Any, int] = {}
    old_lines: dict[str, list[str]] = {}

    def sequence_on(line_id: Any) -> int:
        if line_id not in next_sequence:
            highest = session.scalar(
                select(func.max(WorkOrder.sequence)).where(WorkOrder.line_id == line_id)
            )
            next_sequence[line_id] = (highest or 0) + 1
        next_sequence[line_id] += 1
        return next_sequence[line_id] - 1

    def new_work_order(values: dict[str, Any], _session: Session, _now: datetime) -> dict[str, Any]:
        return {
            "id": new_id(),
            "sequence": sequence_on(values["line_id"]),
            "good_qty": 0,
            "reject_qty": 0,
            "version": 1,
            "paused_seconds": {},
            **values,
        }

    def moved(_session: Session, planned: Planned, row: Base) -> None:
        if planned.existing is not None and "line_id" in planned.changed:
            assert isinstance(row, WorkOrder)
            row.sequence = sequence_on(row.line_id)

    def before_move(planned: Planned) -> list[str]:
        return old_lines.get(planned.key, [])

    for planned in plan.rows:
        if planned.existing is not None and "line_id" in planned.changed:
            line = planned.existing.line
            old_lines[planned.key] = line_rows(line.code, line.department.value)
    return apply_plan(
        session,
        plan,
        now=now,
        actor=actor,
        source=source,
        audit_extra=audit_extra,
        entity="work_order",
        model=WorkOrder,
        new_row=new_work_order,
        after_write=moved,
        extra_audience=before_move,
    )


def _check_route(plan: Plan, index: int, route: str, department: Department) -> None:
    steps = ROUTES.get(route)
    if steps is None:
        plan.problems.append(
            Problem(
                index,
                "route",
                "unknown_route",
                f"there is no route {route}: use {', '.join(sorted(ROUTES))}.",
            )
        )
    elif department not in steps:
        plan.problems.append(
            Problem(
                index,
                "route",
                "department_not_on_route",
                f"route {route} does not pass {department.value}: "
                "check the work order's route or department.",
            )
        )


def _line(  # noqa: PLR0917  (a row's line, checked against what it was)
    plan: Plan,
    index: int,
    code: str,
    department: Department,
    lines: dict[str, Line],
    work_order: WorkOrder | None,
) -> Line | None:
    line = lines.get(code)
    if line is None:
        reason, message = "unknown_line", f"there is no line {code}: send the line first."
    elif line.department is not department:
        reason = "line_other_department"
        message = f"line {code} belongs to {line.department.value}: send a {department.value} line."
    elif not line.is_active and (work_order is None or work_order.line_id != line.id):
        reason, message = "line_retired", f"line {code} is retired: send an active line."
    else:
        return line
    plan.problems.append(Problem(index, "line", reason, message))
    return None


def _allowed(plan: Plan, index: int, work_order: WorkOrder, values: dict[str, Any]) -> bool:
    """Whether the floor's state lets this change through; a problem when it does not."""
    found: Problem | None = None
    number = work_order.number
    status = values.get("status", work_order.status)
    if work_order.status in WITHDRAWN_STATUSES and status is work_order.status:
        found = Problem(
            index,
            "status",
            "work_order_withdrawn",
            f"{number} is {work_order.status.value}: it is not changed any more. "
            "Send a new work order number.",
        )
    elif status is not work_order.status and work_order.status not in _WITHDRAW_FROM[status]:
        found = Problem(
            index,
            "status",
            "work_order_running" if work_order.status in _RUNNING else "status_change_refused",
            f"{number} is {work_order.status.value}: it cannot become {status.value} now. "
            "Ask the line's supervisor to complete it first.",
        )
    elif values["target_qty"] < work_order.good_qty:
        found = Problem(
            index,
            "target_qty",
            "target_below_recorded",
            f"{number} has {work_order.good_qty} good pieces recorded: the target cannot be "
            f"{values['target_qty']}. Send a target of at least {work_order.good_qty}.",
        )
    elif values["line_id"] != work_order.line_id and work_order.status in _RUNNING:
        found = Problem(
            index,
            "line",
            "moved_while_running",
            f"{number} is {work_order.status.value} on {work_order.line.code}: it cannot move "
            "to another line now. Send it again after it is completed.",
        )
    elif values["line_id"] != work_order.line_id and work_order.started_at is not None:
        found = Problem(
            index,
            "line",
            "moved_after_start",
            f"{number} was made on {work_order.line.code}: its history stays there. "
            "Send the rest of the work as a new work order on the other line.",
        )
    if found is not None:
        plan.problems.append(found)
    return found is None


def _locked(query: Any, lock: bool) -> Any:
    return query.with_for_update(of=WorkOrder) if lock else query
