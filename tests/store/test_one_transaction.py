"""Every action is one transaction: state, audit and outbox commit together or not at all."""

from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import select

from kiosk.domain.errors import RefusalError
from kiosk.store.models import AuditEntry, OutboxEvent, ProductionEntryRow
from tests.helpers.site import Site

RUNNING = "WO-2026-004217"


def _fail_inserts_into(site: Site, table: str) -> None:
    """A real database failure (like a full disk) at that table, not a mocked one."""
    with site.raw() as raw:
        raw.execute(
            f"CREATE TRIGGER fail_{table} BEFORE INSERT ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'simulated failure writing {table}'); END"
        )


def _state(site: Site) -> tuple[int, int, int, int, int]:
    work_order = site.work_order(RUNNING)
    return (
        work_order.good_qty,
        work_order.version,
        site.count(ProductionEntryRow),
        site.count(AuditEntry),
        site.count(OutboxEvent),
    )


@pytest.mark.parametrize("failing_table", ["outbox_event", "audit_log", "production_entry"])
def test_a_failure_anywhere_in_the_action_leaves_nothing_behind(
    site: Site, failing_table: str
) -> None:
    services = site.services()
    actor = site.login(services, "E1001")
    before = _state(site)
    _fail_inserts_into(site, failing_table)
    work_order = site.work_order(RUNNING)
    with pytest.raises(Exception, match=f"simulated failure writing {failing_table}"):
        services.work_orders.record(actor, work_order.id, good="20", reject="", reason=None)
    assert _state(site) == before


def test_a_recorded_entry_writes_state_audit_and_outbox_together(site: Site) -> None:
    services = site.services()
    actor = site.login(services, "E1001")
    good_before, version_before, entries, audits, events = _state(site)
    work_order = site.work_order(RUNNING)
    result = services.work_orders.record(
        actor, work_order.id, good="20", reject="2", reason="FABRIC_FLAW"
    )
    assert _state(site) == (
        good_before + 20,
        version_before + 1,
        entries + 1,
        audits + 1,
        events + 1,
    )
    with site.database.reader() as session:
        audit = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        event = session.scalars(select(OutboxEvent).order_by(OutboxEvent.seq.desc())).first()
    assert audit is not None and event is not None
    assert (audit.action, audit.outcome, audit.entity_id) == (
        "work_order.record",
        "ok",
        str(work_order.id),
    )
    assert event.kind == "production.recorded"
    assert event.payload["entry_id"] == str(result.entry_id)
    assert (event.payload["good"], event.payload["reject"]) == (20, 2)
    assert event.acked_at is None


def test_a_refused_attempt_writes_only_its_audit_entry(site: Site) -> None:
    services = site.services()
    actor = site.login(services, "E1001")
    good, version, entries, audits, events = _state(site)
    work_order = site.work_order(RUNNING)
    with pytest.raises(RefusalError):
        services.work_orders.record(actor, work_order.id, good="1000000000", reject="", reason=None)
    assert _state(site) == (good, version, entries, audits + 1, events)
    assert site.audit_outcomes()[-1] == ("work_order.record", "refused:qty.absurd")


def test_outbox_sequence_numbers_have_no_gaps(site: Site) -> None:
    services = site.services()
    actor = site.login(services, "E1001")
    work_order = site.work_order(RUNNING)
    for good in ("1", "x", "2", "-3", "3"):
        with contextlib.suppress(RefusalError):
            services.work_orders.record(actor, work_order.id, good=good, reject="", reason=None)
    with site.database.reader() as session:
        sequences = list(session.scalars(select(OutboxEvent.seq).order_by(OutboxEvent.seq)))
    assert sequences == list(range(1, len(sequences) + 1))
    assert site.outbox_kinds().count("production.recorded") == 3
