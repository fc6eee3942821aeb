"""The demo site, centrally, set up as a real site is: imported from the ERP's rows.

`demo_site_rows` turns the kiosk demo's lines, items, people and work orders
(kiosk/demo.py) into the rows an ERP sends (the integration API's fields, as a CSV
import reads them); `seed_demo_rows` plans and applies them through the same rules
(server_sync.site_data, site_people, site_work_orders), so they are checked, audited
centrally and published to the change feed exactly as imported data. What no file
carries is then added as the demo's own: its PINs (PINs never travel in files), its
floor history (work orders started, paused and completed with their counts, the
lines' occupancy) and its settings (site code, time zone).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.demo import (
    DEMO_ITEMS,
    DEMO_LINES,
    DEMO_USERS,
    DemoWorkOrder,
    add_floor_history,
    demo_occupancy,
    demo_settings,
    occupancy_rows,
)
from kiosk.services.pin_hasher import PinHasher
from kiosk.store.models import Base, Line, SiteSetting, User, WorkOrder
from server_sync.central_audit import record
from server_sync.feed import FeedRow, feed_row, publish
from server_sync.site_data import ITEMS, LINES, apply_plan, plan_items, plan_lines
from server_sync.site_people import PEOPLE, apply_people, plan_people
from server_sync.site_rows import MAX_ROWS, Plan
from server_sync.site_work_orders import WORK_ORDERS, apply_work_orders, plan_work_orders

DEMO_ACTOR = "demo"  # how the central audit names the demo's own import

Rows = list[dict[str, Any]]
_KINDS: tuple[tuple[str, Callable[..., Plan], Callable[..., int]], ...] = (
    (LINES, plan_lines, apply_plan),
    (ITEMS, plan_items, apply_plan),
    (PEOPLE, plan_people, apply_people),
    (WORK_ORDERS, plan_work_orders, apply_work_orders),
)


class DemoImportError(RuntimeError):
    """The demo's own rows broke an import rule: the demo and the rules disagree (a bug)."""


def demo_site_rows(work_orders: Sequence[DemoWorkOrder]) -> dict[str, Rows]:
    """The demo site as its ERP would send it, per kind (no PINs: they never travel)."""
    return {
        LINES: [
            {"code": line.code, "department": line.department.value, "name": line.name}
            for line in DEMO_LINES
        ],
        ITEMS: [
            {
                "code": item.code,
                "name": item.name,
                "unit": item.unit,
                "max_quantity": item.max_quantity,
            }
            for item in DEMO_ITEMS
        ],
        PEOPLE: [
            {
                "employee_no": user.employee_no,
                "name": user.name,
                "role": user.role.value,
                "department": None if user.department is None else user.department.value,
                "lines": list(user.lines),
                "badge_uid": user.badge,
            }
            for user in DEMO_USERS
        ],
        WORK_ORDERS: [
            {
                "number": order.number,
                "mo_number": order.mo_number,
                "article": order.article,
                "destination": order.destination,
                "department": order.line.department.value,
                "line": order.line.code,
                "route": order.route,
                "target_qty": order.target_qty,
                "due": order.due_at.isoformat(),
            }
            for order in work_orders
        ],
    }


def import_rows(session: Session, kind: str, rows: Rows, *, now: datetime, actor: str) -> int:
    """Rows of one kind planned and applied as the integration API does (at most
    `MAX_ROWS` a plan); how many changed. Raises DemoImportError on any problem."""
    planner, applier = next((plan, apply) for name, plan, apply in _KINDS if name == kind)
    changed = 0
    for start in range(0, len(rows), MAX_ROWS):
        plan = planner(session, rows[start : start + MAX_ROWS], lock=True)
        if plan.problems:
            found = "; ".join(
                f"row {p.index + start} {p.field}: {p.message}" for p in plan.problems[:5]
            )
            raise DemoImportError(f"the demo's {kind} break an import rule: {found}")
        changed += applier(session, plan, now=now, actor=actor)
    return changed


def seed_demo_rows(
    session: Session, work_orders: Sequence[DemoWorkOrder], hasher: PinHasher, now: datetime
) -> None:
    """Import the demo's rows, then add its PINs, floor history and settings (not committed)."""
    rows = demo_site_rows(work_orders)
    for kind, _planner, _applier in _KINDS:
        import_rows(session, kind, rows[kind], now=now, actor=DEMO_ACTOR)
    session.flush()
    users = {user.employee_no: user for user in session.scalars(select(User))}
    changed: list[Base] = []
    for person in DEMO_USERS:
        users[person.employee_no].pin_hash = hasher.hash(person.pin, person.role)
        changed.append(users[person.employee_no])
    orders = {order.number: order for order in session.scalars(select(WorkOrder))}
    for spec in work_orders:
        order = orders[spec.number]
        if spec.started_at is not None:
            changed.append(order)
            changed += add_floor_history(session, order, spec, users)
    lines = {line.code: line for line in session.scalars(select(Line))}
    changed += occupancy_rows(lines, demo_occupancy(work_orders), now)
    changed += [SiteSetting(key=k, value=v) for k, v in demo_settings(now).items()]
    session.add_all(changed)
    session.flush()
    publish(session, [found for found in map(_feed_row(session), changed) if found is not None])
    record(
        session,
        now,
        DEMO_ACTOR,
        "site.seed_demo",
        "site",
        None,
        {
            "pins": len(DEMO_USERS),
            "work_orders_on_the_floor": sum(1 for spec in work_orders if spec.started_at),
            "production_entries": sum(len(spec.entries) for spec in work_orders),
        },
    )


def _feed_row(session: Session) -> Callable[[Base], FeedRow | None]:
    return lambda row: feed_row(session, row)
