"""Work orders through the real services on a real SQLite file."""

from __future__ import annotations

import pytest

from kiosk.domain.errors import ErrorCode
from kiosk.domain.work_order import WorkOrderStatus
from kiosk.store.models import OutboxEvent, ProductionEntryRow
from tests.helpers.refusals import refusal_of
from tests.helpers.site import Site

RUNNING = "WO-2026-004217"
PAUSED = "WO-2026-004218"
READY = "WO-2026-004219"
DONE = "WO-2026-004222"
SEWING = "WO-2026-004229"


def test_the_list_shows_what_to_do_next_first(site: Site) -> None:
    services = site.services()
    rina = site.login(services, "E1001")
    listed = services.work_orders.list_for_line(rina)
    assert [wo.status for wo in listed][:3] == [
        WorkOrderStatus.IN_PROGRESS,
        WorkOrderStatus.PAUSED,
        WorkOrderStatus.RELEASED,
    ]
    assert all(wo.line_code == "CUT-L02" for wo in listed)
    assert DONE not in [wo.number for wo in listed]
    everything = services.work_orders.list_for_line(rina, include_completed=True)
    assert everything[-1].status is WorkOrderStatus.COMPLETED


def test_start_record_pause_resume_complete(site: Site) -> None:
    services = site.services()
    rina = site.login(services, "E1001")
    ready = site.work_order(READY)
    view = services.work_orders.start(rina, ready.id, alongside=["WO-2026-004217"])
    assert view.status is WorkOrderStatus.IN_PROGRESS
    assert view.started_at == site.clock.now()
    entry = services.work_orders.record(
        rina, ready.id, good="180", reject="6", reason="FABRIC_FLAW"
    )
    assert (entry.work_order.good_qty, entry.work_order.reject_qty) == (180, 6)
    assert (
        services.work_orders.pause(rina, ready.id, reason="CHANGEOVER").status
        is WorkOrderStatus.PAUSED
    )
    resumed = services.work_orders.resume(rina, ready.id, alongside=["WO-2026-004217"])
    assert resumed.status is WorkOrderStatus.IN_PROGRESS
    done = services.work_orders.complete(rina, ready.id)
    assert done.status is WorkOrderStatus.COMPLETED
    assert done.completed_at == site.clock.now()
    assert site.outbox_kinds()[-5:] == [
        "work_order.started",
        "production.recorded",
        "work_order.paused",
        "work_order.resumed",
        "work_order.completed",
    ]


@pytest.mark.parametrize(
    ("number", "action", "status"),
    [
        (READY, "record", "RELEASED"),
        (READY, "pause", "RELEASED"),
        (READY, "complete", "RELEASED"),
        (RUNNING, "start", "IN_PROGRESS"),
        (RUNNING, "resume", "IN_PROGRESS"),
        (PAUSED, "record", "PAUSED"),
        (PAUSED, "start", "PAUSED"),
        (PAUSED, "pause", "PAUSED"),
    ],
)
def test_refused_transitions_change_nothing(
    site: Site, number: str, action: str, status: str
) -> None:
    services = site.services()
    rina = site.login(services, "E1001")
    work_order = site.work_order(number)
    events = site.count(OutboxEvent)
    calls = {
        "record": lambda: services.work_orders.record(
            rina, work_order.id, good="5", reject="", reason=None
        ),
        "start": lambda: services.work_orders.start(rina, work_order.id),
        "pause": lambda: services.work_orders.pause(rina, work_order.id, reason="CHANGEOVER"),
        "resume": lambda: services.work_orders.resume(rina, work_order.id),
        "complete": lambda: services.work_orders.complete(rina, work_order.id),
    }
    refusal = refusal_of(calls[action])
    assert refusal.code is ErrorCode.WORK_ORDER_TRANSITION
    assert refusal.fields["status"] == status
    after = site.work_order(number)
    assert (after.status, after.version, after.good_qty) == (
        work_order.status,
        work_order.version,
        work_order.good_qty,
    )
    assert site.count(OutboxEvent) == events


def test_a_completed_work_order_cannot_be_reopened(site: Site) -> None:
    services = site.services()
    rina = site.login(services, "E1001")
    done = site.work_order(DONE)
    for call in (services.work_orders.start, services.work_orders.resume):
        assert refusal_of(lambda call=call: call(rina, done.id)).fields["status"] == "COMPLETED"


def test_a_work_order_of_another_line_isrefusal_of(site: Site) -> None:
    services = site.services("CUT-L02")
    rina = site.login(services, "E1001")
    refusal = refusal_of(lambda: services.work_orders.find(rina, SEWING))
    assert refusal.code is ErrorCode.WORK_ORDER_OTHER_LINE
    assert (refusal.fields["line"], refusal.fields["this_line"]) == ("SEW-L03", "CUT-L02")
    sewing = site.work_order(SEWING)
    assert refusal_of(lambda: services.work_orders.start(rina, sewing.id)).code is (
        ErrorCode.WORK_ORDER_OTHER_LINE
    )
    assert site.audit_outcomes()[-2:] == [
        ("work_order.find", "refused:wo.other_line"),
        ("work_order.start", "refused:wo.other_line"),
    ]


def test_finding_by_the_last_digits(site: Site) -> None:
    services = site.services()
    rina = site.login(services, "E1001")
    assert services.work_orders.find(rina, "4217").number == RUNNING
    assert services.work_orders.find(rina, "wo-2026-004218").number == PAUSED
    assert refusal_of(lambda: services.work_orders.find(rina, "2")).code is (
        ErrorCode.WORK_ORDER_AMBIGUOUS
    )
    assert refusal_of(lambda: services.work_orders.find(rina, "99999")).code is (
        ErrorCode.WORK_ORDER_NOT_FOUND
    )


def test_absurd_quantities_are_refused_and_only_audited(site: Site) -> None:
    services = site.services()
    rina = site.login(services, "E1001")
    running = site.work_order(RUNNING)
    entries = site.count(ProductionEntryRow)
    for good, code in [
        ("1000000000", ErrorCode.QUANTITY_ABSURD),
        ("-5", ErrorCode.QUANTITY_NEGATIVE),
        ("0", ErrorCode.QUANTITY_ZERO),
        ("12,5", ErrorCode.QUANTITY_NOT_A_NUMBER),
        (str(running.target_qty), ErrorCode.QUANTITY_ABOVE_OPEN),
    ]:
        refusal = refusal_of(
            lambda good=good: services.work_orders.record(
                rina, running.id, good=good, reject="", reason=None
            )
        )
        assert refusal.code is code, good
    assert site.count(ProductionEntryRow) == entries
    assert site.work_order(RUNNING).good_qty == running.good_qty


def test_the_overrun_tolerance_is_configurable(site: Site) -> None:
    from kiosk.domain.work_order import QuantityPolicy
    from kiosk.services.container import Policies

    strict = site.services(
        policies=Policies(quantities=QuantityPolicy(overrun_tolerance_percent=0))
    )
    rina = site.login(strict, "E1001")
    running = site.work_order(RUNNING)
    open_qty = running.target_qty - running.good_qty
    assert (
        refusal_of(
            lambda: strict.work_orders.record(
                rina, running.id, good=str(open_qty + 1), reject="", reason=None
            )
        ).fields["allowed"]
        == open_qty
    )
    strict.work_orders.record(rina, running.id, good=str(open_qty), reject="", reason=None)
