"""What the E-Kanban service hands to the UI (never ORM objects)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from kiosk.domain.kanban import KanbanCommand, KanbanStatus


@dataclass(frozen=True)
class KanbanItemView:
    """An accessory a line may ask for, and the most one request may ask."""

    code: str
    name: str
    unit: str
    max_quantity: int


class KanbanStep(StrEnum):
    """One timed step of a card's life."""

    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    SHIPPED = "shipped"  # marked in transit
    RECEIVED = "received"


@dataclass(frozen=True)
class KanbanStepView:
    """Who took a step and when; `took` is the time since the step before (None: the first)."""

    step: KanbanStep
    at: datetime
    by: str  # the person's name
    by_employee_no: str
    took: timedelta | None


@dataclass(frozen=True)
class KanbanCardView:
    id: uuid.UUID
    card_no: str
    line_code: str
    line_name: str
    item_code: str
    item_name: str
    unit: str
    quantity: int
    status: KanbanStatus
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None
    shipped_by: str | None
    shipped_at: datetime | None
    received_by: str | None
    received_at: datetime | None
    version: int
    steps: tuple[KanbanStepView, ...]
    # When the current step began, and how long ago that was when the view was made.
    step_since: datetime
    age: timedelta
    # What the user who asked for the view may do with the card now (the service checks again).
    actions: frozenset[KanbanCommand] = field(default_factory=frozenset)
    may_print: bool = False

    @property
    def lead_time(self) -> timedelta | None:
        """Request to receipt, once received."""
        if self.received_at is None:
            return None
        return self.received_at - self.requested_at

    @property
    def is_done(self) -> bool:
        return self.status in (KanbanStatus.RECEIVED, KanbanStatus.REJECTED)


@dataclass(frozen=True)
class KanbanColumnView:
    """One column of a board: the statuses it holds and its cards, in the order shown."""

    statuses: tuple[KanbanStatus, ...]
    cards: tuple[KanbanCardView, ...]


@dataclass(frozen=True)
class KanbanBoardView:
    """A line's board (`line_code` set) or the warehouse's board of all lines (None)."""

    line_code: str | None
    columns: tuple[KanbanColumnView, ...]
    as_of: datetime
    done_since: datetime  # received and rejected cards older than this are left off

    @property
    def is_warehouse(self) -> bool:
        return self.line_code is None

    @property
    def cards(self) -> list[KanbanCardView]:
        return [card for column in self.columns for card in column.cards]

    def column_of(self, card_no: str) -> int | None:
        """The index of the column the card is in, or None when it is not on the board."""
        for index, column in enumerate(self.columns):
            if any(card.card_no == card_no for card in column.cards):
                return index
        return None
