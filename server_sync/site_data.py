"""The site's data from its ERP (lines, kanban items): rows checked, planned, then applied.

No HTTP here: the integration API and a CSV import share these rules. Each kind has a
`plan_*` (every row checked against the request and the database; nothing written) and
`apply_plan` writes a plan without problems: rows upserted by natural key, each change
published to the kiosks in scope and audited centrally. Nothing is ever deleted:
`active: false` retires a row and keeps its history. People are in `site_people`, work
orders in `site_work_orders`; the shared reading of values is in `site_rows`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from kiosk.domain.ids import new_id
from kiosk.domain.roles import Department
from kiosk.domain.work_order import WorkOrderStatus
from kiosk.store.models import Base, KanbanItem, Line, LineOccupancy, WorkOrder
from server_sync.bulk import insert_rows
from server_sync.central_audit import record_many
from server_sync.feed import FeedRow, created_row_feed, feed_row, publish, publish_created
from server_sync.site_rows import (
    CODE_PATTERN,
    Plan,
    Planned,
    Problem,
    RowReader,
    among,
    duplicate_problem,
    plan_change,
    rows_of,
)

__all__ = [
    "Plan",
    "Problem",
    "apply_plan",
    "plan_items",
    "plan_lines",
    "validate_items",
    "validate_lines",
]

LINES = "lines"
ITEMS = "items"
# A new item's most per card when the ERP sends none (the warehouse changes it later).
DEFAULT_ITEM_MAX_QUANTITY = 100
LINE_FIELDS = frozenset({"code", "department", "name", "active"})
ITEM_FIELDS = frozenset({"code", "name", "unit", "active", "max_quantity"})
_RUNNING = (WorkOrderStatus.IN_PROGRESS, WorkOrderStatus.PAUSED)


# ====================================================================== lines
def plan_lines(session: Session, rows: Sequence[Any], *, lock: bool = False) -> Plan:
    """Lines by `code`: every problem of the request, or what would change."""
    plan = Plan(LINES)
    readings: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for index, raw in rows_of(rows, plan.problems):
        read = RowReader(index, raw, LINE_FIELDS, plan.problems)
        code = read.code("code", pattern=CODE_PATTERN)
        values: dict[str, Any] = {
            "code": code,
            "department": read.choice("department", Department),
            "name": read.text("name", 100),
            "is_active": read.boolean("active", default=True),
        }
        if code is not None and code in seen:
            plan.problems.append(duplicate_problem(index, "code", code, seen[code]))
        elif code is not None:
            seen[code] = index
        if read.ok:
            readings.append((index, values))
    query = select(Line).where(among(Line.code, seen))
    existing = {line.code: line for line in session.scalars(_locked(query, lock))}
    busy = _busy_lines(session, [line.id for line in existing.values()])
    for index, values in readings:
        line = existing.get(values["code"])
        if line is not None and values["department"] is not line.department:
            plan.problems.append(
                Problem(
                    index,
                    "department",
                    "department_fixed",
                    f"line {line.code} belongs to {line.department.value}: a line keeps its "
                    "department. Retire it (active: false) and send a new line code.",
                )
            )
            continue
        if line is not None and line.is_active and not values["is_active"] and line.id in busy:
            plan.problems.append(
                Problem(
                    index,
                    "active",
                    "line_holds_batch",
                    f"line {line.code} still holds work ({busy[line.id]}): it cannot be "
                    "retired now. Finish or move that work first, then send the row again.",
                )
            )
            continue
        plan.rows.append(plan_change(index, values["code"], values, line))
    return plan


def validate_lines(rows: Sequence[Any], session: Session) -> list[Problem]:
    return plan_lines(session, rows).problems


def _busy_lines(session: Session, line_ids: list[Any]) -> dict[Any, str]:
    """Lines holding a batch or a running work order, and what they hold."""
    if not line_ids:
        return {}
    busy: dict[Any, str] = {}
    for line_id, number in session.execute(
        select(WorkOrder.line_id, WorkOrder.number)
        .where(WorkOrder.line_id.in_(line_ids))
        .where(WorkOrder.status.in_(_RUNNING))
    ):
        busy.setdefault(line_id, number or "")
    for line_id, held in session.execute(
        select(LineOccupancy.line_id, LineOccupancy.work_order_number)
        .where(LineOccupancy.line_id.in_(line_ids))
        .where(LineOccupancy.work_order_number.is_not(None))
    ):
        busy.setdefault(line_id, held or "")
    return busy


def _new_line(values: dict[str, Any], _session: Session, _now: datetime) -> dict[str, Any]:
    return {"id": new_id(), **values}


# ====================================================================== kanban items
def plan_items(session: Session, rows: Sequence[Any], *, lock: bool = False) -> Plan:
    """Kanban items by `code`: every problem of the request, or what would change."""
    plan = Plan(ITEMS)
    readings: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for index, raw in rows_of(rows, plan.problems):
        read = RowReader(index, raw, ITEM_FIELDS, plan.problems)
        code = read.code("code", pattern=CODE_PATTERN)
        values: dict[str, Any] = {
            "code": code,
            "name": read.text("name", 100),
            "unit": read.text("unit", 16),
            "is_active": read.boolean("active", default=True),
        }
        if "max_quantity" in raw:
            values["max_quantity"] = read.integer("max_quantity", 1, 100_000)
        if code is not None and code in seen:
            plan.problems.append(duplicate_problem(index, "code", code, seen[code]))
        elif code is not None:
            seen[code] = index
        if read.ok:
            readings.append((index, values))
    query = select(KanbanItem).where(among(KanbanItem.code, seen))
    existing = {item.code: item for item in session.scalars(_locked(query, lock))}
    for index, values in readings:
        item = existing.get(values["code"])
        if item is None:
            values.setdefault("max_quantity", DEFAULT_ITEM_MAX_QUANTITY)
        plan.rows.append(plan_change(index, values["code"], values, item))
    return plan


def validate_items(rows: Sequence[Any], session: Session) -> list[Problem]:
    return plan_items(session, rows).problems


def _new_item(values: dict[str, Any], _session: Session, _now: datetime) -> dict[str, Any]:
    return dict(values)


# ====================================================================== applying
# A new row's column values (the model's table; columns left out are NULL).
NewRow = Callable[[dict[str, Any], Session, datetime], dict[str, Any]]
AfterWrite = Callable[[Session, Planned, Base], None]
# Rows a new row brings along in other tables (a person's lines), and what its feed row
# carries beside its columns (the same lines).
Children = Callable[[Planned, dict[str, Any]], list[tuple[Table, dict[str, Any]]]]
FeedExtra = Callable[[Planned, dict[str, Any]], dict[str, Any]]
_NEW_ROWS: dict[str, tuple[str, type[Base], NewRow]] = {
    LINES: ("line", Line, _new_line),
    ITEMS: ("kanban_item", KanbanItem, _new_item),
}


def apply_plan(
    session: Session,
    plan: Plan,
    *,
    now: datetime,
    actor: str,
    entity: str | None = None,
    model: type[Base] | None = None,
    new_row: NewRow | None = None,
    after_write: AfterWrite | None = None,
    extra_audience: Callable[[Planned], list[str]] | None = None,
    children: Children | None = None,
    feed_extra: FeedExtra | None = None,
    source: str = "integration",
    audit_extra: dict[str, Any] | None = None,
) -> int:
    """Write a plan without problems, publish its rows and audit them; how many changed.

    The audit's action is `{source}.{entity}.created|updated` (the integration API, or an
    admin's request from a device: `admin`), with `audit_extra` (the device) beside each.

    Changed rows go through the ORM; new rows go in as plain values (COPY when many,
    `server_sync.bulk`): an import of 50,000 work orders builds no ORM object for them.
    The caller commits (or rolls back: nothing is kept then, not even the feed's rows).
    """
    if plan.problems:
        raise ValueError("a plan with problems is never applied")
    if entity is None or model is None or new_row is None:
        entity, model, new_row = _NEW_ROWS[plan.kind]
    table: Table = model.__table__  # type: ignore[assignment]
    names = [column.name for column in table.columns]
    written: list[tuple[Planned, Base]] = []
    created: list[tuple[Planned, dict[str, Any]]] = []
    audit: list[tuple[str, str, str | None, dict[str, Any]]] = []
    for planned in plan.rows:
        if not planned.changed:
            continue
        if planned.existing is None:
            created.append(
                (planned, _full_row(table, names, new_row(planned.values, session, now)))
            )
            action = "created"
        else:
            row = planned.existing
            for name, value in planned.changed.items():
                if name not in planned.hooked:
                    setattr(row, name, value)
            if after_write is not None:
                after_write(session, planned, row)
            written.append((planned, row))
            action = "updated"
        audit.append(
            (
                f"{source}.{entity}.{action}",
                entity,
                planned.key,
                {**planned.audit_details(), **(audit_extra or {})},
            )
        )
    session.flush()
    _insert_created(session, table, created, children)
    audiences: dict[Any, list[str]] = {}
    new_feed: list[FeedRow] = []
    for planned, values in created:
        extra = {} if feed_extra is None else feed_extra(planned, values)
        made = created_row_feed(session, model, values, audiences, **extra)
        if made is not None:
            new_feed.append(made)
    record_many(session, now, actor, audit)
    publish(session, _updated_feed(session, written, extra_audience))
    publish_created(session, new_feed)
    return len(written) + len(created)


def _updated_feed(
    session: Session,
    written: list[tuple[Planned, Base]],
    extra_audience: Callable[[Planned], list[str]] | None,
) -> list[FeedRow]:
    feed: list[FeedRow] = []
    for planned, row in written:
        found = feed_row(session, row)
        if found is not None and extra_audience is not None:
            wider = sorted({*found.audience, *extra_audience(planned)})
            found = FeedRow(found.entity, found.key, wider, found.data)
        if found is not None:
            feed.append(found)
    return feed


def _full_row(table: Table, names: list[str], values: dict[str, Any]) -> dict[str, Any]:
    """Every column of `table` (its `names`): those not given are NULL (a COPY names every
    column)."""
    row = {name: values.get(name) for name in names}
    unknown = [name for name in values if name not in row]
    if unknown:
        raise ValueError(f"no such columns in {table.name}: {sorted(unknown)}")
    return row


def _insert_created(
    session: Session,
    table: Table,
    created: list[tuple[Planned, dict[str, Any]]],
    children: Children | None,
) -> None:
    insert_rows(session, table, [values for _, values in created])
    if children is None:
        return
    by_table: dict[Table, list[dict[str, Any]]] = {}
    for planned, values in created:
        for child_table, child in children(planned, values):
            names = [column.name for column in child_table.columns]
            by_table.setdefault(child_table, []).append(_full_row(child_table, names, child))
    for child_table, rows in by_table.items():
        insert_rows(session, child_table, rows)


def _locked(query: Any, lock: bool) -> Any:
    return query.with_for_update() if lock else query
