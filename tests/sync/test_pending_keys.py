"""A pulled row waits while this kiosk has an unanswered change to it (real SQLite file)."""

from __future__ import annotations

import uuid

from sqlalchemy import update

from kiosk.domain.sync_events import LINE_OCCUPANCY, PRODUCTION_ENTRY, WORK_ORDER
from kiosk.store.models import OutboxEvent
from kiosk.sync.pending_keys import pending_among
from tests.helpers.site import Site

CUTTING_WO = "WO-2026-004217"  # CUT-L02, in progress


def test_only_the_rows_an_unanswered_event_changes_are_pending(site: Site) -> None:
    cutting = site.services("CUT-L02")
    rina = site.login(cutting, "E1001")
    work_order = site.work_order(CUTTING_WO)
    entry = cutting.work_orders.record(rina, work_order.id, good="12", reject="", reason=None)
    other = str(uuid.uuid4())
    asked = [
        (WORK_ORDER, str(work_order.id)),
        (WORK_ORDER, other),
        (PRODUCTION_ENTRY, str(entry.entry_id)),
        (LINE_OCCUPANCY, "CUT-L02"),
        ("no_such_entity", str(work_order.id)),
    ]
    with site.database.reader() as session:
        pending = pending_among(session, asked)
    assert pending == {(WORK_ORDER, str(work_order.id)), (PRODUCTION_ENTRY, str(entry.entry_id))}

    # Once the server has answered every event, the pulled rows are taken as they come.
    with site.database.writer() as session:
        session.execute(update(OutboxEvent).values(acked_at=site.clock.now(), result="applied"))
        session.commit()
    with site.database.reader() as session:
        assert pending_among(session, asked) == set()


def test_a_page_of_thousands_of_rows_is_asked_in_parts(site: Site) -> None:
    cutting = site.services("CUT-L02")
    rina = site.login(cutting, "E1001")
    work_order = site.work_order(CUTTING_WO)
    cutting.work_orders.record(rina, work_order.id, good="5", reject="", reason=None)
    others = [(WORK_ORDER, str(uuid.uuid4())) for _ in range(2500)]
    with site.database.reader() as session:
        pending = pending_among(session, [*others, (WORK_ORDER, str(work_order.id))])
    assert pending == {(WORK_ORDER, str(work_order.id))}
