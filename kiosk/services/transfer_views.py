"""What the handshake and line-clearance services hand to the UI (never ORM objects)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from kiosk.domain.documents import PrintDocument
from kiosk.domain.roles import Department
from kiosk.domain.transfer import ClearanceVerdict, TransferStatus
from kiosk.services.views import WorkOrderView


@dataclass(frozen=True)
class OccupancyView:
    """What a line holds as this kiosk knows it; `work_order_number` None: free."""

    line_code: str
    line_name: str
    department: Department
    work_order_number: str | None
    article: str | None
    destination: str | None
    since: datetime | None
    observed_at: datetime | None  # None: never heard of
    is_stale: bool = False

    @property
    def is_free(self) -> bool:
        return self.observed_at is not None and self.work_order_number is None


@dataclass(frozen=True)
class ReceivingLineOption:
    """A line the batch may go to, with what the sender's cache says of it."""

    occupancy: OccupancyView
    verdict: ClearanceVerdict
    segregation: bool = False


@dataclass(frozen=True)
class TransferView:
    id: uuid.UUID
    slip_id: str
    site_code: str
    work_order_number: str
    mo_number: str
    article: str
    destination: str
    quantity: int
    from_line: str
    to_line: str
    status: TransferStatus
    prepared_by: str
    prepared_at: datetime
    counted_qty: int | None
    counted_by: str | None
    counted_at: datetime | None
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None
    accepted_qty: int | None
    printed_count: int


@dataclass(frozen=True)
class HandoffOptions:
    """Everything the sender chooses from: how many pieces, which line."""

    work_order: WorkOrderView
    sendable: int
    next_department: Department
    lines: list[ReceivingLineOption]
    transfers: list[TransferView] = field(default_factory=list)


@dataclass(frozen=True)
class PreparedTransfer:
    transfer: TransferView
    document: PrintDocument
    verdict: ClearanceVerdict  # UNKNOWN: the receiver's kiosk decides


@dataclass(frozen=True)
class SlipToReceive:
    """A verified slip as the receiver sees it before counting: no quantity (blind count)."""

    payload: str
    slip_id: str
    work_order_number: str
    mo_number: str
    article: str
    destination: str
    from_line: str
    to_line: str
    prepared_by: str
    prepared_at: datetime
    prepared_by_name: str = ""  # "Rina Wulandari (E1001)" when this kiosk knows the sender
    is_recount: bool = False  # a first count did not match: this count is the recount


@dataclass(frozen=True)
class ReceiveOutcome:
    """Accepted, to be counted again, or held for a supervisor; the expected quantity stays
    hidden from the counter."""

    accepted: bool
    slip_id: str
    work_order_number: str
    counted: int
    transfer_id: uuid.UUID
    needs_recount: bool = False  # a first count that did not match: count once more
    first_counted: int | None = None  # the first count, when this one is the recount


@dataclass(frozen=True)
class HoldView:
    """A held batch as a supervisor sees it: sent and counted side by side."""

    transfer_id: uuid.UUID
    slip_id: str
    work_order_number: str
    article: str
    destination: str
    from_line: str
    to_line: str
    sent: int
    counted: int
    prepared_by: str
    counted_by: str
    held_at: datetime
    first_counted: int | None = None  # the first count, when a recount followed it
    first_counted_by: str = ""

    @property
    def variance(self) -> int:
        return self.counted - self.sent


@dataclass(frozen=True)
class LineHoldSummary:
    """A held batch as anyone at the line may see it (no quantities)."""

    transfer_id: uuid.UUID
    slip_id: str
    work_order_number: str
    held_at: datetime


@dataclass(frozen=True)
class ClearanceView:
    line_code: str
    cleared_by: str
    cleared_at: datetime
    reason: str
    previous_work_order_number: str | None
