"""The central demo is a site imported as any other: its rows pass the ERP's import rules."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from kiosk.demo import demo_work_orders
from kiosk.store.models import WorkOrder
from server_sync.models import CentralAuditEntry
from server_sync.site import seed_demo
from server_sync.site_data import plan_items, plan_lines
from server_sync.site_demo import DEMO_ACTOR, demo_site_rows
from server_sync.site_people import plan_people
from server_sync.site_work_orders import plan_work_orders
from tests.helpers.central import CentralDatabase


def test_the_demo_came_through_the_import_and_importing_it_again_changes_nothing(
    central: CentralDatabase,
) -> None:
    with central.session() as session:
        audited = dict(
            session.execute(
                select(CentralAuditEntry.action, func.count())
                .where(CentralAuditEntry.actor == DEMO_ACTOR)
                .group_by(CentralAuditEntry.action)
            ).all()
        )
        assert audited == {
            "integration.line.created": 7,
            "integration.kanban_item.created": 12,
            "integration.user.created": 13,
            "integration.work_order.created": 26,
            "site.seed_demo": 1,
        }
        rows = demo_site_rows(demo_work_orders(datetime.now(UTC)))
        due = dict(session.execute(select(WorkOrder.number, WorkOrder.due_at)).all())
        for row in rows["work_orders"]:
            row["due"] = due[row["number"]].isoformat()
        for planner, kind in (
            (plan_lines, "lines"),
            (plan_items, "items"),
            (plan_people, "people"),
            (plan_work_orders, "work_orders"),
        ):
            plan = planner(session, rows[kind])
            assert plan.problems == [], kind
            assert (plan.created, plan.updated, plan.unchanged) == (0, 0, len(rows[kind])), kind
    assert seed_demo(central.engine) is False  # a site is there: nothing changes
