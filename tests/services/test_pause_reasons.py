"""Pausing asks why; minutes paused are kept per reason, counted with a fake clock."""

from __future__ import annotations

from sqlalchemy import select

from kiosk.domain.errors import ErrorCode
from kiosk.domain.work_order import WorkOrderStatus
from kiosk.store.models import OutboxEvent
from tests.helpers.refusals import refusal_of
from tests.helpers.site import Site

RUNNING = "WO-2026-004217"


def test_minutes_are_summed_per_reason(site: Site) -> None:
    services = site.services()
    rina = site.login(services, "E1001")
    work_order = site.work_order(RUNNING).id
    work_orders = services.work_orders

    paused = work_orders.pause(rina, work_order, reason="WAITING_MATERIAL")
    assert (paused.status, paused.pause_reason) == (WorkOrderStatus.PAUSED, "WAITING_MATERIAL")
    site.clock.advance(12 * 60 + 30)
    assert work_orders.get(rina, work_order).paused_minutes == {"WAITING_MATERIAL": 12}
    work_orders.resume(rina, work_order)
    site.clock.advance(600)  # running: not paused time
    work_orders.pause(rina, work_order, reason="MACHINE_BREAKDOWN")
    site.clock.advance(5 * 60)
    work_orders.resume(rina, work_order)
    work_orders.pause(rina, work_order, reason="WAITING_MATERIAL")
    site.clock.advance(3 * 60)
    done = work_orders.complete(rina, work_order)  # completing ends the pause too

    assert done.pause_reason is None
    assert done.paused_minutes == {"MACHINE_BREAKDOWN": 5, "WAITING_MATERIAL": 15}
    row = site.work_order(RUNNING)
    assert row.paused_seconds == {"WAITING_MATERIAL": 15 * 60 + 30, "MACHINE_BREAKDOWN": 300}
    assert row.paused_at is None


def test_a_pause_without_a_known_reason_is_refused(site: Site) -> None:
    services = site.services()
    rina = site.login(services, "E1001")
    work_order = site.work_order(RUNNING).id
    for reason in (None, "", "LUNCH"):
        refused = refusal_of(
            lambda r=reason: services.work_orders.pause(rina, work_order, reason=r)
        )
        assert refused.code is ErrorCode.PAUSE_REASON_REQUIRED
    assert site.work_order(RUNNING).status is WorkOrderStatus.IN_PROGRESS
    assert site.audit_outcomes()[-1] == ("work_order.pause", "refused:wo.pause_reason_required")


def test_the_reason_travels_in_the_pause_event_only(site: Site) -> None:
    services = site.services()
    rina = site.login(services, "E1001")
    work_order = site.work_order(RUNNING).id
    services.work_orders.pause(rina, work_order, reason="POWER_CUT")
    services.work_orders.resume(rina, work_order)
    with site.database.reader() as session:
        rows = session.scalars(select(OutboxEvent).order_by(OutboxEvent.seq)).all()
        payloads = [row.payload for row in rows][-2:]
    assert payloads[0]["pause_reason"] == "POWER_CUT"
    assert "pause_reason" not in payloads[1]
