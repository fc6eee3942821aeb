"""Corrections and voids of production entries by every role, on a real SQLite file."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kiosk.demo import demo_user
from kiosk.domain.correction import CORRECTION_WINDOW
from kiosk.domain.errors import ErrorCode
from kiosk.services.actor import Actor
from kiosk.services.container import KioskServices
from kiosk.store.models import OutboxEvent, ProductionCorrectionRow, ProductionEntryRow
from tests.helpers.refusals import refusal_of
from tests.helpers.site import Site

RUNNING = "WO-2026-004217"  # on CUT-L02


def approver(site: Site, services: KioskServices, employee_no: str) -> Actor:
    """A supervisor's badge tap, then their PIN, on someone else's session."""
    person = demo_user(employee_no)
    services.auth.badge_owner(person.badge)
    return services.auth.authenticate_approver(site.user_id(employee_no), person.pin)


def totals(site: Site) -> tuple[int, int]:
    row = site.work_order(RUNNING)
    return row.good_qty, row.reject_qty


def last_event(site: Site) -> tuple[str, dict[str, object]]:
    with site.database.reader() as session:
        row = session.scalars(select(OutboxEvent).order_by(OutboxEvent.seq.desc())).first()
        assert row is not None
        return row.kind, row.payload


def test_an_operator_corrects_their_own_entry_alone_within_the_window(site: Site) -> None:
    services = site.services()
    rina = site.login(services, "E1001")
    work_order = site.work_order(RUNNING)
    before = totals(site)
    entry = services.work_orders.record(rina, work_order.id, good="40", reject="", reason=None)
    site.clock.advance(CORRECTION_WINDOW.total_seconds() - 10)
    assert not services.corrections.needs_approval(rina, entry.entry_id)

    done = services.corrections.correct(
        rina, entry.entry_id, good="38", reject="2", reject_reason="STAIN", reason="TYPING_ERROR"
    )

    assert (done.entry.good, done.entry.reject, done.entry.is_corrected) == (38, 2, True)
    assert totals(site) == (before[0] + 38, before[1] + 2)
    assert (done.work_order.good_qty, done.work_order.reject_qty) == totals(site)
    with site.database.reader() as session:
        original = session.get(ProductionEntryRow, entry.entry_id)
        assert original is not None and (original.good, original.reject) == (40, 0)
    kind, payload = last_event(site)
    assert kind == "production.corrected"
    assert payload["entry_id"] == str(entry.entry_id)
    assert payload["actor_id"] == str(rina.user_id)
    assert payload["approved_by"] is None
    assert (payload["good"], payload["reject"], payload["reason"]) == (38, 2, "TYPING_ERROR")


def test_a_void_takes_the_counts_out_once(site: Site) -> None:
    services = site.services()
    rina = site.login(services, "E1001")
    work_order = site.work_order(RUNNING)
    before = totals(site)
    entry = services.work_orders.record(rina, work_order.id, good="25", reject="", reason=None)
    done = services.corrections.void(rina, entry.entry_id, reason="COUNTED_TWICE")
    assert done.entry.is_void
    assert totals(site) == before
    assert last_event(site)[0] == "production.voided"
    again = refusal_of(
        lambda: services.corrections.void(rina, entry.entry_id, reason="COUNTED_TWICE")
    )
    assert again.code is ErrorCode.ENTRY_ALREADY_VOIDED
    assert totals(site) == before
    assert site.audit_outcomes()[-1] == ("production.void", "refused:entry.already_voided")


def test_an_older_entry_needs_a_supervisor_of_the_department(site: Site) -> None:
    services = site.services()
    rina = site.login(services, "E1001")
    work_order = site.work_order(RUNNING)
    before = totals(site)
    entry = services.work_orders.record(rina, work_order.id, good="30", reject="", reason=None)
    site.clock.advance(CORRECTION_WINDOW.total_seconds() + 1)

    refused = refusal_of(
        lambda: services.corrections.void(rina, entry.entry_id, reason="TYPING_ERROR")
    )
    assert refused.code is ErrorCode.CORRECTION_NEEDS_APPROVAL
    assert totals(site) == (before[0] + 30, before[1])
    assert services.corrections.needs_approval(rina, entry.entry_id)

    ani = approver(site, services, "E5002")
    done = services.corrections.void(rina, entry.entry_id, reason="TYPING_ERROR", approver=ani)
    assert done.approved_by == "Ani Setiawati"
    assert totals(site) == before
    kind, payload = last_event(site)
    assert kind == "production.voided"
    assert payload["actor_id"] == str(ani.user_id)
    assert payload["approved_by"] == str(ani.user_id)
    assert payload["user_id"] == str(rina.user_id)


def test_someone_elses_recent_entry_needs_a_supervisor(site: Site) -> None:
    services = site.services()
    budi = site.login(services, "E1002")
    work_order = site.work_order(RUNNING)
    entry = services.work_orders.record(budi, work_order.id, good="12", reject="", reason=None)
    rina = site.login(services, "E1001")
    refused = refusal_of(
        lambda: services.corrections.correct(
            rina, entry.entry_id, good="10", reject="", reject_reason=None, reason="RECOUNTED"
        )
    )
    assert refused.code is ErrorCode.CORRECTION_NEEDS_APPROVAL
    listed = {
        view.entry_id: view for view in services.corrections.recent_entries(rina, work_order.id)
    }
    assert listed[entry.entry_id].is_own is False
    assert listed[entry.entry_id].corrects_alone is False


def test_a_supervisor_never_approves_their_own_entry(site: Site) -> None:
    services = site.services()
    ani = site.login(services, "E5002")
    work_order = site.work_order(RUNNING)
    entry = services.work_orders.record(ani, work_order.id, good="20", reject="", reason=None)
    site.clock.advance(CORRECTION_WINDOW.total_seconds() + 60)
    before = totals(site)
    rina = site.login(services, "E1001")
    ani_again = approver(site, services, "E5002")
    refused = refusal_of(
        lambda: services.corrections.void(
            rina, entry.entry_id, reason="TYPING_ERROR", approver=ani_again
        )
    )
    assert refused.code is ErrorCode.SELF_APPROVAL
    assert totals(site) == before
    assert site.count(ProductionCorrectionRow) == 0


@pytest.mark.parametrize(
    ("employee_no", "code"),
    [
        ("E5001", ErrorCode.OUT_OF_SCOPE),  # Hadi: a supervisor of Sewing
        ("E1002", ErrorCode.PERMISSION_DENIED),  # Budi: an operator of the line
    ],
)
def test_only_a_supervisor_of_the_department_approves(
    site: Site, employee_no: str, code: ErrorCode
) -> None:
    services = site.services()
    rina = site.login(services, "E1001")
    work_order = site.work_order(RUNNING)
    entry = services.work_orders.record(rina, work_order.id, good="30", reject="", reason=None)
    site.clock.advance(CORRECTION_WINDOW.total_seconds() + 1)
    before = totals(site)
    other = site.login(services, employee_no)  # a real login: an Actor as the services build it
    refused = refusal_of(
        lambda: services.corrections.void(
            rina, entry.entry_id, reason="TYPING_ERROR", approver=other
        )
    )
    assert refused.code is code
    assert totals(site) == before


def test_a_correction_keeps_the_recording_limits(site: Site) -> None:
    services = site.services()
    rina = site.login(services, "E1001")
    work_order = site.work_order(RUNNING)
    entry = services.work_orders.record(rina, work_order.id, good="10", reject="", reason=None)
    before = totals(site)
    cases = {
        ("10", "", None): ErrorCode.CORRECTION_UNCHANGED,
        ("", "", None): ErrorCode.QUANTITY_ZERO,
        ("5", "2", None): ErrorCode.REJECT_REASON_REQUIRED,
        ("999999", "", None): ErrorCode.QUANTITY_ABSURD,
        ("x", "", None): ErrorCode.QUANTITY_NOT_A_NUMBER,
    }
    for (good, reject, why), code in cases.items():
        refused = refusal_of(
            lambda g=good, r=reject, w=why: services.corrections.correct(
                rina, entry.entry_id, good=g, reject=r, reject_reason=w, reason="TYPING_ERROR"
            )
        )
        assert refused.code is code, (good, reject)
    refused = refusal_of(lambda: services.corrections.void(rina, entry.entry_id, reason="BECAUSE"))
    assert refused.code is ErrorCode.REASON_REQUIRED
    assert totals(site) == before
    assert site.count(ProductionCorrectionRow) == 0


def test_a_correction_from_another_lines_kiosk_is_refused(site: Site) -> None:
    services = site.services()
    rina = site.login(services, "E1001")
    work_order = site.work_order(RUNNING)
    entry = services.work_orders.record(rina, work_order.id, good="10", reject="", reason=None)
    other_line = site.services("CUT-L01")
    budi = site.login(other_line, "E1002")
    refused = refusal_of(
        lambda: other_line.corrections.void(budi, entry.entry_id, reason="TYPING_ERROR")
    )
    assert refused.code is ErrorCode.WORK_ORDER_OTHER_LINE
