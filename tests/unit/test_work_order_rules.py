"""Work-order state machine (every pair of status and command) and quantity validation."""

from __future__ import annotations

import pytest

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.work_order import (
    MAX_TOTAL,
    QuantityPolicy,
    RejectReason,
    WorkOrderCommand,
    WorkOrderStatus,
    allowed_commands,
    next_status,
    parse_quantity,
    validate_entry,
)

S = WorkOrderStatus
C = WorkOrderCommand

ALLOWED = {
    (S.RELEASED, C.START): S.IN_PROGRESS,
    (S.IN_PROGRESS, C.RECORD): S.IN_PROGRESS,
    (S.IN_PROGRESS, C.PAUSE): S.PAUSED,
    (S.IN_PROGRESS, C.COMPLETE): S.COMPLETED,
    (S.PAUSED, C.RESUME): S.IN_PROGRESS,
    (S.PAUSED, C.COMPLETE): S.COMPLETED,
}
ALL_PAIRS = [(status, command) for status in S for command in C]


@pytest.mark.parametrize(("status", "command"), ALL_PAIRS)
def test_every_transition_is_allowed_or_refused_with_its_reason(
    status: WorkOrderStatus, command: WorkOrderCommand
) -> None:
    if (status, command) in ALLOWED:
        assert next_status(status, command) is ALLOWED[(status, command)]
        assert command in allowed_commands(status)
        return
    with pytest.raises(RefusalError) as refused:
        next_status(status, command)
    assert refused.value.code is ErrorCode.WORK_ORDER_TRANSITION
    assert refused.value.fields == {"status": status.value, "command": command.value}
    assert command not in allowed_commands(status)


def test_a_completed_work_order_accepts_nothing() -> None:
    assert allowed_commands(S.COMPLETED) == frozenset()


POLICY = QuantityPolicy(overrun_tolerance_percent=5.0, max_entry=100_000)


def _validate(good: int, reject: int = 0, reason: str | None = None, good_so_far: int = 0):
    return validate_entry(
        POLICY, target=300, good_so_far=good_so_far, good=good, reject=reject, reason=reason
    )


def _refusal(**kwargs: object) -> RefusalError:
    with pytest.raises(RefusalError) as refused:
        _validate(**kwargs)  # type: ignore[arg-type]
    return refused.value


def test_good_pieces_within_the_open_quantity_are_accepted() -> None:
    entry = _validate(good=180, reject=6, reason="FABRIC_FLAW")
    assert (entry.good, entry.reject, entry.reason) == (180, 6, RejectReason.FABRIC_FLAW)


def test_the_tolerance_allows_a_little_above_target_and_no_more() -> None:
    assert _validate(good=15, good_so_far=300).good == 15  # 5 % of 300
    refusal = _refusal(good=16, good_so_far=300)
    assert refusal.code is ErrorCode.QUANTITY_ABOVE_OPEN
    assert refusal.fields["allowed"] == 15
    assert refusal.fields["open"] == 0


def test_above_the_open_quantity_names_what_is_open() -> None:
    refusal = _refusal(good=200, good_so_far=150)
    assert refusal.code is ErrorCode.QUANTITY_ABOVE_OPEN
    assert (refusal.fields["open"], refusal.fields["allowed"]) == (150, 165)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"good": -1}, ErrorCode.QUANTITY_NEGATIVE),
        ({"good": 5, "reject": -2, "reason": "STAIN"}, ErrorCode.QUANTITY_NEGATIVE),
        ({"good": 0, "reject": 0}, ErrorCode.QUANTITY_ZERO),
        ({"good": 10**9}, ErrorCode.QUANTITY_ABSURD),
        ({"good": 0, "reject": 10**9, "reason": "STAIN"}, ErrorCode.QUANTITY_ABSURD),
        ({"good": 0, "reject": 301, "reason": "STAIN"}, ErrorCode.QUANTITY_ABOVE_OPEN),
        ({"good": 5, "reject": 1}, ErrorCode.REJECT_REASON_REQUIRED),
        ({"good": 5, "reject": 1, "reason": "BAD_LUCK"}, ErrorCode.REJECT_REASON_UNKNOWN),
    ],
)
def test_refused_quantities_carry_a_reason_code(kwargs: dict[str, object], code: ErrorCode) -> None:
    assert _refusal(**kwargs).code is code


def test_a_reason_without_rejects_is_dropped() -> None:
    assert _validate(good=10, reason="STAIN").reason is None


@pytest.mark.parametrize(("text", "value"), [("", 0), (" 120 ", 120), ("007", 7)])
def test_typed_quantities_are_parsed(text: str, value: int) -> None:
    assert parse_quantity(text, "good") == value


@pytest.mark.parametrize("text", ["12a", "1.5", "١٢x", "--3", "1e3"])
def test_text_that_is_not_a_whole_number_is_refused(text: str) -> None:
    with pytest.raises(RefusalError) as refused:
        parse_quantity(text, "good")
    assert refused.value.code is ErrorCode.QUANTITY_NOT_A_NUMBER


@pytest.mark.parametrize(
    ("good_so_far", "reject_so_far", "good", "reject"),
    [(MAX_TOTAL - 5, 0, 6, 0), (0, MAX_TOTAL - 5, 0, 6)],
)
def test_an_entry_that_would_take_a_total_past_its_column_is_refused(
    good_so_far: int, reject_so_far: int, good: int, reject: int
) -> None:
    """Totals are 4-byte integer columns: refused before the sum, never overflowed."""
    with pytest.raises(RefusalError) as refused:
        validate_entry(
            QuantityPolicy(),
            target=MAX_TOTAL,
            good_so_far=good_so_far,
            reject_so_far=reject_so_far,
            good=good,
            reject=reject,
            reason="STAIN" if reject else None,
        )
    assert refused.value.code is ErrorCode.QUANTITY_ABSURD
    assert refused.value.fields["limit"] == MAX_TOTAL
