"""E-Kanban rules: every (status, command) pair, who may give each command, the board's
columns, card numbers the scanners accept, and the quantity a line may type."""

from __future__ import annotations

import uuid

import pytest

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.kanban import (
    BOARD_COLUMNS,
    COMMAND_ACTIONS,
    KanbanCommand,
    KanbanStatus,
    next_kanban_status,
)
from kiosk.domain.reasons import clean_reason
from kiosk.domain.roles import Role, is_allowed
from kiosk.domain.scan import PayloadKind, ScanEvent, ScanSource, classify
from kiosk.services.kanban import (
    KanbanPolicy,
    card_no_for,
    parse_request_quantity,
)
from kiosk.services.kanban_views import KanbanItemView
from tests.helpers.refusals import refusal_of

S = KanbanStatus
C = KanbanCommand

ALLOWED = {
    (S.REQUESTED, C.APPROVE): S.APPROVED,
    (S.REQUESTED, C.REJECT): S.REJECTED,
    (S.APPROVED, C.SHIP): S.IN_TRANSIT,
    (S.IN_TRANSIT, C.RECEIVE): S.RECEIVED,
}
ALL_PAIRS = [(status, command) for status in S for command in C]


@pytest.mark.parametrize(("status", "command"), ALL_PAIRS)
def test_every_pair_is_allowed_or_refused_naming_status_and_command(
    status: KanbanStatus, command: KanbanCommand
) -> None:
    if (status, command) in ALLOWED:
        assert next_kanban_status(status, command) is ALLOWED[(status, command)]
        return
    refused = refusal_of(lambda: next_kanban_status(status, command))
    assert refused.code is ErrorCode.KANBAN_TRANSITION
    assert refused.fields == {"status": status.value, "command": command.value}


def test_there_are_exactly_four_allowed_transitions() -> None:
    allowed = []
    for status, command in ALL_PAIRS:
        try:
            next_kanban_status(status, command)
        except RefusalError:
            continue
        allowed.append((status, command))
    assert sorted(allowed) == sorted(ALLOWED)


@pytest.mark.parametrize("status", [S.RECEIVED, S.REJECTED])
def test_a_received_or_rejected_card_takes_no_command(status: KanbanStatus) -> None:
    for command in C:
        assert refusal_of(lambda c=command: next_kanban_status(status, c)).code is (
            ErrorCode.KANBAN_TRANSITION
        )


WHO_MAY = {
    C.APPROVE: {Role.WAREHOUSE_ADMIN},
    C.REJECT: {Role.WAREHOUSE_ADMIN},
    C.SHIP: {Role.WAREHOUSE_STAFF, Role.WAREHOUSE_ADMIN},
    C.RECEIVE: {Role.OPERATOR, Role.SUPERVISOR},
}


@pytest.mark.parametrize("command", list(C))
def test_each_command_needs_the_permission_of_the_roles_that_do_it(
    command: KanbanCommand,
) -> None:
    may = {role for role in Role if is_allowed(role, COMMAND_ACTIONS[command])}
    assert may == WHO_MAY[command]


def test_the_board_has_four_columns_and_every_status_is_in_exactly_one() -> None:
    assert BOARD_COLUMNS == (
        (S.REQUESTED,),
        (S.APPROVED,),
        (S.IN_TRANSIT,),
        (S.RECEIVED, S.REJECTED),
    )
    placed = [status for column in BOARD_COLUMNS for status in column]
    assert sorted(placed) == sorted(S)


def test_card_numbers_are_short_distinct_and_scan_as_kanban_cards() -> None:
    numbers = {card_no_for(uuid.uuid4()) for _ in range(2000)}
    assert len(numbers) == 2000
    for number in list(numbers)[:200]:
        assert len(number) == len("KB-") + 8
        payload = classify(ScanEvent(ScanSource.SCANNER, number))
        assert (payload.kind, payload.value) == (PayloadKind.KANBAN_CARD, number)
        # The camera and the scanner may deliver it in lower case: still the same card.
        assert classify(ScanEvent(ScanSource.CAMERA, number.lower())).value == number


def test_the_card_number_follows_from_the_card_id() -> None:
    card_id = uuid.UUID("01937f4e-8a7b-7c3d-9e2f-0123456789ab")
    assert card_no_for(card_id) == card_no_for(uuid.UUID(str(card_id)))


THREAD = KanbanItemView("THR-WHT-5000", "Thread, white, 5000 m", "cone", 50)
POLICY = KanbanPolicy(max_quantity_any_item=10_000)


@pytest.mark.parametrize(("typed", "expected"), [("10", 10), (" 7 ", 7), ("050", 50), ("1", 1)])
def test_a_quantity_typed_on_the_keypad(typed: str, expected: int) -> None:
    assert parse_request_quantity(typed, THREAD, POLICY) == expected


@pytest.mark.parametrize(
    ("typed", "code", "fields"),
    [
        ("", ErrorCode.QUANTITY_ZERO, {"field": "kanban_quantity", "item": "THR-WHT-5000"}),
        ("0", ErrorCode.QUANTITY_ZERO, {"field": "kanban_quantity", "item": "THR-WHT-5000"}),
        ("000", ErrorCode.QUANTITY_ZERO, {"field": "kanban_quantity", "item": "THR-WHT-5000"}),
        ("-3", ErrorCode.QUANTITY_NEGATIVE, {"field": "kanban_quantity", "value": "-3"}),
        ("abc", ErrorCode.QUANTITY_NOT_A_NUMBER, {"field": "kanban_quantity", "text": "abc"}),
        ("1.5", ErrorCode.QUANTITY_NOT_A_NUMBER, {"field": "kanban_quantity", "text": "1.5"}),
        ("1e3", ErrorCode.QUANTITY_NOT_A_NUMBER, {"field": "kanban_quantity", "text": "1e3"}),
        ("1_0", ErrorCode.QUANTITY_NOT_A_NUMBER, {"field": "kanban_quantity", "text": "1_0"}),
        ("１０", ErrorCode.QUANTITY_NOT_A_NUMBER, {"field": "kanban_quantity", "text": "１０"}),
        (
            "51",
            ErrorCode.KANBAN_ABOVE_MAX,
            {"value": 51, "max": 50, "unit": "cone", "item": "Thread, white, 5000 m"},
        ),
        (
            "10001",
            ErrorCode.QUANTITY_ABSURD,
            {"field": "kanban_quantity", "value": 10_001, "limit": 10_000},
        ),
        (
            str(10**9),
            ErrorCode.QUANTITY_ABSURD,
            {"field": "kanban_quantity", "value": 10**9, "limit": 10_000},
        ),
    ],
)
def test_a_quantity_that_is_refused(typed: str, code: ErrorCode, fields: dict[str, object]) -> None:
    refused = refusal_of(lambda: parse_request_quantity(typed, THREAD, POLICY))
    assert (refused.code, refused.fields) == (code, fields)


def test_a_number_too_long_to_convert_is_absurd_not_a_crash() -> None:
    refused = refusal_of(lambda: parse_request_quantity("9" * 5000, THREAD, POLICY))
    assert refused.code is ErrorCode.QUANTITY_ABSURD
    assert len(str(refused.fields["value"])) <= 16


def test_a_rejection_reason_is_required_and_short() -> None:
    assert clean_reason("  Out of\nstock ") == "Out of stock"
    assert refusal_of(lambda: clean_reason(" \t ")).code is ErrorCode.REASON_REQUIRED
    assert clean_reason("x" * 200) == "x" * 200
    too_long = refusal_of(lambda: clean_reason("x" * 201))
    assert (too_long.code, too_long.fields) == (
        ErrorCode.REASON_TOO_LONG,
        {"length": 201, "limit": 200},
    )
