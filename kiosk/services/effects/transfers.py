"""QT-09 handshake events applied to the transfer and WIP rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kiosk.domain.events import TransferSnapshot, WipMoved
from kiosk.domain.transfer import TransferCommand, TransferStatus, next_transfer_status
from kiosk.store.models import Transfer, WipMovement

# The event fields that describe a transfer as prepared; two are named apart from the column.
_DESCRIBED = (
    "transfer_id", "slip_id", "site", "work_order_number", "mo_number", "article",
    "destination", "quantity", "from_line", "to_line", "from_department", "to_department",
    "prepared_by", "prepared_at",
)  # fmt: skip
_LATER = (
    "counted_qty", "counted_by", "counted_at", "first_counted_qty", "first_counted_by",
    "decided_by", "decided_at", "decision_reason", "accepted_qty",
)  # fmt: skip
_COLUMN = {"transfer_id": "id", "site": "site_code"}


def transfer_row(event: TransferSnapshot, *, origin: str, printed_count: int = 0) -> Transfer:
    """A new transfer row as the event describes it, not yet counted or decided."""
    described = {_COLUMN.get(name, name): getattr(event, name) for name in _DESCRIBED}
    return Transfer(
        **described,
        **dict.fromkeys(_LATER),
        status=TransferStatus.PREPARED,
        origin=origin,
        printed_count=printed_count,
        version=1,
    )


def snapshot_fields(transfer: Transfer) -> dict[str, Any]:
    """The transfer's columns as the fields of its events (the kiosk sends the whole row)."""
    fields = {name: getattr(transfer, _COLUMN.get(name, name)) for name in _DESCRIBED}
    fields["status"] = transfer.status.value
    fields.update({name: getattr(transfer, name) for name in _LATER})
    fields["version"] = transfer.version
    return fields


def count_transfer(
    transfer: Transfer,
    command: TransferCommand,
    counted: int,
    counted_by: str,
    counted_at: datetime,
    *,
    first_count: int | None = None,
    first_counted_by: str | None = None,
) -> None:
    """The receiver's blind count: accepted on a match, held otherwise; a first count that
    did not match (None: the first count was the one) is kept beside the recount.

    Raises the domain's `RefusalError` when the transfer is no longer waiting for a count.
    """
    transfer.status = next_transfer_status(transfer.status, command)
    transfer.first_counted_qty = first_count
    transfer.first_counted_by = first_counted_by if first_count is not None else None
    transfer.counted_qty = counted
    transfer.counted_by = counted_by
    transfer.counted_at = counted_at
    if command is TransferCommand.ACCEPT:
        transfer.accepted_qty = counted
    transfer.version += 1


def decide_transfer(
    transfer: Transfer, command: TransferCommand, decided_by: str, decided_at: datetime, reason: str
) -> None:
    """A supervisor's release (the counted quantity is accepted) or rejection of a hold.

    Raises the domain's `RefusalError` when the transfer is not held.
    """
    transfer.status = next_transfer_status(transfer.status, command)
    transfer.decided_by = decided_by
    transfer.decided_at = decided_at
    transfer.decision_reason = reason
    if command is TransferCommand.RELEASE:
        transfer.accepted_qty = transfer.counted_qty or 0
    transfer.version += 1


def wip_movement(transfer: Transfer, event: WipMoved) -> WipMovement:
    """The movement row of an accepted handoff's pieces (the caller adds it)."""
    return WipMovement(
        id=event.movement_id,
        transfer_id=transfer.id,
        mo_number=transfer.mo_number,
        work_order_number=transfer.work_order_number,
        article=transfer.article,
        from_stock=event.from_stock,
        to_stock=event.to_stock,
        quantity=event.quantity,
        moved_at=event.at,
    )
