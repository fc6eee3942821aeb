"""The blind count's second chance, and the slip printed only while its batch waits.

`site` is the Cutting kiosk (CUT-L02 sends), `other_site` the Sewing kiosk (SEW-L03
receives): they share nothing but the slip's payload (and, where said, a pulled row).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from kiosk.domain.errors import ErrorCode
from kiosk.domain.slip import read_slip
from kiosk.domain.transfer import TransferStatus
from kiosk.services.transfer_views import PreparedTransfer
from kiosk.store.models import OutboxEvent, Transfer, WipMovement
from kiosk.store.replica import ENTITIES, encode_object
from kiosk.sync.local import SyncStore
from kiosk.sync.messages import Change
from tests.helpers.refusals import refusal_of
from tests.helpers.site import Site, copy_site

CUTTING_WO = "WO-2026-004217"  # CUT-L02, IN_PROGRESS, R2 (CUT -> SEW), 72 good


@pytest.fixture
def other_site(site_template: Path, tmp_path: Path) -> Iterator[Site]:
    copied = copy_site(site_template, tmp_path / "other-kiosk")
    yield copied
    copied.database.dispose()


def _prepare(site: Site, quantity: str) -> PreparedTransfer:
    services = site.services("CUT-L02")
    rina = site.login(services, "E1001")
    return services.transfers.prepare(rina, site.work_order(CUTTING_WO).id, quantity, "SEW-L03")


def _payload(prepared: PreparedTransfer) -> str:
    assert prepared.document.qr_payload is not None
    return prepared.document.qr_payload


def _row(site: Site, slip_id: str) -> Transfer:
    with site.database.reader() as session:
        row = session.scalar(select(Transfer).where(Transfer.slip_id == slip_id))
        assert row is not None
        session.expunge(row)
        return row


def _payloads(site: Site, kind: str) -> list[dict[str, Any]]:
    with site.database.reader() as session:
        return list(
            session.scalars(
                select(OutboxEvent.payload)
                .where(OutboxEvent.kind == kind)
                .order_by(OutboxEvent.seq)
            )
        )


def test_a_first_count_that_matches_completes_at_once(site: Site, other_site: Site) -> None:
    payload = _payload(_prepare(site, "40"))
    sewing = other_site.services("SEW-L03")
    dewi = other_site.login(sewing, "E2001")
    outcome = sewing.transfers.receive(dewi, payload, "40")
    assert (outcome.accepted, outcome.needs_recount, outcome.first_counted) == (True, False, None)
    row = _row(other_site, outcome.slip_id)
    assert (row.status, row.first_counted_qty, row.counted_qty) == (
        TransferStatus.ACCEPTED,
        None,
        40,
    )
    [event] = _payloads(other_site, "transfer.accepted")
    assert "first_counted_qty" not in event  # the payload is the one servers always had


def test_a_recount_that_matches_completes_with_both_counts_on_record(
    site: Site, other_site: Site
) -> None:
    payload = _payload(_prepare(site, "40"))
    sewing = other_site.services("SEW-L03")
    dewi = other_site.login(sewing, "E2001")
    events_before = other_site.outbox_kinds()
    first = sewing.transfers.receive(dewi, payload, "39")
    assert first.needs_recount and not first.accepted
    # A count to be made again tells the server nothing yet.
    assert other_site.outbox_kinds() == events_before
    assert other_site.count(WipMovement) == 0
    # The supervisor makes the recount: both counts and both people are on record.
    hadi = other_site.login(sewing, "E5001")
    assert sewing.transfers.check_slip(hadi, payload).is_recount
    outcome = sewing.transfers.receive(hadi, payload, "40")
    assert (outcome.accepted, outcome.counted, outcome.first_counted) == (True, 40, 39)
    row = _row(other_site, outcome.slip_id)
    assert (row.status, row.first_counted_qty, row.counted_qty, row.accepted_qty) == (
        TransferStatus.ACCEPTED,
        39,
        40,
        40,
    )
    assert (row.first_counted_by, row.counted_by) == ("E2001", "E5001")
    [event] = _payloads(other_site, "transfer.accepted")
    assert (event["first_counted_qty"], event["first_counted_by"], event["counted_qty"]) == (
        39,
        "E2001",
        40,
    )
    receipts = [entry for entry in other_site.audit_outcomes() if entry[0] == "transfer.receive"]
    assert receipts == [("transfer.receive", "recount"), ("transfer.receive", "accepted")]
    assert other_site.count(WipMovement) == 1


def test_a_pulled_copy_of_the_transfer_keeps_the_first_count(site: Site, other_site: Site) -> None:
    prepared = _prepare(site, "40")
    payload = _payload(prepared)
    sewing = other_site.services("SEW-L03")
    dewi = other_site.login(sewing, "E2001")
    assert sewing.transfers.receive(dewi, payload, "39").needs_recount
    # Meanwhile the server passes on the sender's record of the transfer: no count in it.
    with site.database.reader() as session:
        sent = session.scalar(select(Transfer).where(Transfer.slip_id == prepared.transfer.slip_id))
        assert sent is not None
        data = encode_object(ENTITIES["transfer"], sent)
    assert data["first_counted_qty"] is None
    change = Change(seq=1, entity="transfer", key=sent.slip_id, data=data)
    assert SyncStore(other_site.database).store_rows([change], "SEW-L03") == 1
    assert _row(other_site, sent.slip_id).first_counted_qty == 39
    assert sewing.transfers.check_slip(dewi, payload).is_recount
    held = sewing.transfers.receive(dewi, payload, "37")
    assert (held.accepted, held.needs_recount, held.first_counted, held.counted) == (
        False,
        False,
        39,
        37,
    )


def test_a_recount_is_still_a_checked_count(site: Site, other_site: Site) -> None:
    payload = _payload(_prepare(site, "40"))
    sewing = other_site.services("SEW-L03")
    dewi = other_site.login(sewing, "E2001")
    assert sewing.transfers.receive(dewi, payload, "39").needs_recount
    refusal = refusal_of(lambda: sewing.transfers.receive(dewi, payload, "0"))
    assert refusal.code is ErrorCode.QUANTITY_ZERO
    row = _row(other_site, read_slip(payload)[0].slip.slip_id)
    assert (row.status, row.first_counted_qty) == (TransferStatus.PREPARED, 39)


def test_a_slip_is_not_printed_again_once_its_batch_was_received(site: Site) -> None:
    prepared = _prepare(site, "40")
    services = site.services("CUT-L02")
    rina = site.login(services, "E1001")
    transfer_id = prepared.transfer.id
    assert services.transfers.slip_document(rina, transfer_id, reprint=True).qr_payload
    # A sync round brings the receiver's count: the batch was accepted at SEW-L03.
    with site.database.writer() as session:
        session.execute(
            update(Transfer)
            .where(Transfer.id == transfer_id)
            .values(status=TransferStatus.ACCEPTED, counted_qty=40, accepted_qty=40)
        )
        session.commit()
    for reprint in (True, False):
        refusal = refusal_of(
            lambda reprint=reprint: services.transfers.slip_document(
                rina, transfer_id, reprint=reprint
            )
        )
        assert refusal.code is ErrorCode.SLIP_NOT_PRINTABLE
        assert (refusal.fields["status"], refusal.fields["line"]) == ("ACCEPTED", "SEW-L03")
    assert _row(site, prepared.transfer.slip_id).printed_count == 2  # the refusals printed none
    assert site.audit_outcomes()[-2:] == [
        ("transfer.print.reprint", "refused:slip.not_printable"),
        ("transfer.print.first", "refused:slip.not_printable"),
    ]
