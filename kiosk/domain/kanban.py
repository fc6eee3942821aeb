"""E-Kanban card state machine: REQUESTED -> APPROVED/REJECTED -> IN_TRANSIT -> RECEIVED."""

from __future__ import annotations

from enum import StrEnum

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.roles import Action


class KanbanStatus(StrEnum):
    REQUESTED = "REQUESTED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    IN_TRANSIT = "IN_TRANSIT"
    RECEIVED = "RECEIVED"


class KanbanCommand(StrEnum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"
    SHIP = "SHIP"  # warehouse staff mark it in transit
    RECEIVE = "RECEIVE"


_S = KanbanStatus
_C = KanbanCommand

TRANSITIONS: dict[tuple[KanbanStatus, KanbanCommand], KanbanStatus] = {
    (_S.REQUESTED, _C.APPROVE): _S.APPROVED,
    (_S.REQUESTED, _C.REJECT): _S.REJECTED,
    (_S.APPROVED, _C.SHIP): _S.IN_TRANSIT,
    (_S.IN_TRANSIT, _C.RECEIVE): _S.RECEIVED,
}

# A card still waiting for a step: on the boards, and in the supervisor's "in flight".
OPEN_STATUSES: tuple[KanbanStatus, ...] = (_S.REQUESTED, _S.APPROVED, _S.IN_TRANSIT)

COMMAND_ACTIONS: dict[KanbanCommand, Action] = {
    _C.APPROVE: Action.KANBAN_APPROVE,
    _C.REJECT: Action.KANBAN_APPROVE,
    _C.SHIP: Action.KANBAN_DELIVER,
    _C.RECEIVE: Action.KANBAN_RECEIVE,
}

# The four columns of a board, left to right; a rejected card ends in the last one.
BOARD_COLUMNS: tuple[tuple[KanbanStatus, ...], ...] = (
    (_S.REQUESTED,),
    (_S.APPROVED,),
    (_S.IN_TRANSIT,),
    (_S.RECEIVED, _S.REJECTED),
)


def next_kanban_status(current: KanbanStatus, command: KanbanCommand) -> KanbanStatus:
    """The status after `command`, or a refusal naming the status and the command."""
    try:
        return TRANSITIONS[(current, command)]
    except KeyError:
        raise RefusalError(
            ErrorCode.KANBAN_TRANSITION, status=current.value, command=command.value
        ) from None
