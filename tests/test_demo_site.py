"""The demo site has what the README promises: departments, lines, roles, work orders."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from kiosk.demo import DEMO_USERS
from kiosk.domain.roles import Role
from kiosk.store.models import Line, ProductionEntryRow, User, WorkOrder
from tests.helpers.site import Site


def test_the_demo_site_is_big_enough_to_try_everything(site: Site) -> None:
    with site.database.reader() as session:
        lines = session.scalars(select(Line)).all()
        users = session.scalars(select(User)).all()
        work_orders = session.scalars(select(WorkOrder)).all()
        entries_by_wo = dict(
            session.execute(
                select(
                    ProductionEntryRow.work_order_id, func.sum(ProductionEntryRow.good)
                ).group_by(ProductionEntryRow.work_order_id)
            ).all()
        )
    assert len({line.department for line in lines}) >= 2
    assert len(lines) >= 4
    assert len(users) >= 12
    assert {user.role for user in users} == set(Role)
    assert len(work_orders) >= 25
    statuses = Counter(wo.status for wo in work_orders)
    assert len(statuses) == 4 and min(statuses.values()) >= 2
    for work_order in work_orders:
        assert entries_by_wo.get(work_order.id, 0) == work_order.good_qty, work_order.number


def test_every_demo_pin_logs_in(site: Site) -> None:
    for user in DEMO_USERS:
        line = user.lines[0] if user.lines else "CUT-L02"
        services = site.services(line)
        assert site.login(services, user.employee_no).employee_no == user.employee_no
