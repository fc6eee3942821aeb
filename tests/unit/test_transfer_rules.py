"""QT-09 rules: the transfer state machine, routes, line clearance and quantity limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.roles import Department
from kiosk.domain.transfer import (
    LOCKING_STATUSES,
    ROUTES,
    Batch,
    Clearance,
    ClearanceVerdict,
    CountPolicy,
    Occupancy,
    TransferCommand,
    TransferStatus,
    check_clearance,
    next_department,
    next_transfer_status,
    refuse_conflict,
    sendable_quantity,
    validate_count,
    validate_send_quantity,
)
from tests.helpers.refusals import refusal_of

S = TransferStatus
C = TransferCommand
D = Department

ALLOWED = {
    (S.PREPARED, C.ACCEPT): S.ACCEPTED,
    (S.PREPARED, C.HOLD): S.HELD,
    (S.HELD, C.RELEASE): S.ACCEPTED,
    (S.HELD, C.REJECT): S.REJECTED,
}
ALL_PAIRS = [(status, command) for status in S for command in C]


@pytest.mark.parametrize(("status", "command"), ALL_PAIRS)
def test_every_transition_is_allowed_or_refused(
    status: TransferStatus, command: TransferCommand
) -> None:
    if (status, command) in ALLOWED:
        assert next_transfer_status(status, command) is ALLOWED[(status, command)]
        return
    refusal = refusal_of(lambda: next_transfer_status(status, command))
    assert refusal.code is ErrorCode.TRANSFER_TRANSITION
    assert refusal.fields == {"status": status.value, "command": command.value}


def test_the_table_covers_sixteen_pairs_and_decided_batches_are_final() -> None:
    assert len(ALL_PAIRS) == 16
    for command in C:
        for final in (S.ACCEPTED, S.REJECTED):
            with pytest.raises(RefusalError):
                next_transfer_status(final, command)


def test_rejected_pieces_are_no_longer_locked_at_the_sender() -> None:
    assert frozenset({S.PREPARED, S.HELD, S.ACCEPTED}) == LOCKING_STATUSES
    assert sendable_quantity(300, 120) == 180
    assert sendable_quantity(100, 120) == 0


# ------------------------------------------------------------------ routes
@pytest.mark.parametrize(
    ("route", "department", "expected"),
    [
        ("R1", D.CUT, D.EMBO),
        ("R1", D.EMBO, D.SEW),
        ("R1", D.SEW, D.FIN),
        ("R1", D.FIN, D.PACK),
        ("R2", D.CUT, D.SEW),
        ("R2", D.SEW, D.FIN),
        ("R2", D.FIN, D.PACK),
        ("R3", D.CUT, D.FIN),
        ("R3", D.FIN, D.PACK),
    ],
)
def test_next_department_on_each_route(route: str, department: D, expected: D) -> None:
    assert next_department(route, department) is expected


@pytest.mark.parametrize(
    ("route", "department"),
    [
        ("R1", D.PACK),  # the end of every route
        ("R2", D.PACK),
        ("R3", D.PACK),
        ("R2", D.EMBO),  # R2 skips Embroidery
        ("R3", D.SEW),  # R3 goes to a subcontractor, not to Sewing
        ("R3", D.EMBO),
        ("R1", D.WAREHOUSE),
        ("R9", D.CUT),  # an unknown route
    ],
)
def test_no_next_department(route: str, department: D) -> None:
    refusal = refusal_of(lambda: next_department(route, department))
    assert refusal.code is ErrorCode.TRANSFER_NO_NEXT_DEPARTMENT
    assert refusal.fields == {"route": route, "department": department.value}


def test_routes_match_the_glossary() -> None:
    assert ROUTES == {
        "R1": (D.CUT, D.EMBO, D.SEW, D.FIN, D.PACK),
        "R2": (D.CUT, D.SEW, D.FIN, D.PACK),
        "R3": (D.CUT, D.FIN, D.PACK),
    }


# ------------------------------------------------------------------ line clearance
NOW = datetime(2026, 11, 21, 10, 40, tzinfo=UTC)
STALE = timedelta(minutes=30)
INCOMING = Batch("WO-2026-004217", "Teddy bear 30 cm, brown", "DE-Hamburg")
SAME_WO = Batch("WO-2026-004217", "Teddy bear 30 cm, brown", "DE-Hamburg")
OTHER_SAME_DESTINATION = Batch("WO-2026-004300", "Polo shirt M, navy", "DE-Hamburg")
OTHER_DESTINATION = Batch("WO-2026-004233", "Bunny plush 25 cm, white", "JP-Osaka")


def _occupancy(batch: Batch | None, *, age: timedelta = timedelta(0)) -> Occupancy:
    since = None if batch is None else NOW - timedelta(hours=2)
    return Occupancy("X-L01", batch, since, NOW - age)


def _check(
    occupancy: Occupancy | None,
    department: D = D.SEW,
    stale_after: timedelta | None = STALE,
) -> Clearance:
    return check_clearance(INCOMING, department, occupancy, now=NOW, stale_after=stale_after)


def test_a_line_never_heard_of_is_unknown_and_lets_the_receiver_decide() -> None:
    for department in (D.SEW, D.FIN):
        clearance = _check(None, department)
        assert clearance.verdict is ClearanceVerdict.UNKNOWN
        assert clearance.occupancy is None
        refuse_conflict(clearance, "X-L01")  # no refusal


def test_stale_knowledge_is_unknown_even_of_a_conflict() -> None:
    old = _occupancy(OTHER_DESTINATION, age=STALE + timedelta(seconds=1))
    for department in (D.SEW, D.FIN):
        clearance = _check(old, department)
        assert clearance.verdict is ClearanceVerdict.UNKNOWN
        assert clearance.occupancy == old
        assert not clearance.segregation
        refuse_conflict(clearance, "X-L01")
    # Exactly at the limit it is still trusted.
    at_limit = _occupancy(OTHER_DESTINATION, age=STALE)
    assert _check(at_limit).verdict is ClearanceVerdict.CONFLICT


def test_the_line_own_kiosk_is_never_stale() -> None:
    very_old = _occupancy(OTHER_DESTINATION, age=timedelta(days=30))
    assert _check(very_old, stale_after=None).verdict is ClearanceVerdict.CONFLICT
    assert _check(_occupancy(None, age=timedelta(days=30)), stale_after=None).verdict is (
        ClearanceVerdict.CLEAR
    )


@pytest.mark.parametrize("department", [D.SEW, D.FIN, D.PACK])
def test_a_known_free_line_and_the_same_work_order_are_clear(department: D) -> None:
    for occupancy in (_occupancy(None), _occupancy(SAME_WO)):
        clearance = _check(occupancy, department)
        assert clearance.verdict is ClearanceVerdict.CLEAR
        assert not clearance.segregation
        refuse_conflict(clearance, "X-L01")


@pytest.mark.parametrize("department", [D.EMBO, D.SEW, D.FIN, D.PACK])
def test_another_work_order_is_a_conflict_naming_it(department: D) -> None:
    clearance = _check(_occupancy(OTHER_SAME_DESTINATION), department)
    assert clearance.verdict is ClearanceVerdict.CONFLICT
    assert not clearance.segregation
    refusal = refusal_of(lambda: refuse_conflict(clearance, "X-L01"))
    assert refusal.code is ErrorCode.LINE_OCCUPIED
    assert refusal.fields == {
        "line": "X-L01",
        "work_order": "WO-2026-004300",
        "article": "Polo shirt M, navy",
        "destination": "DE-Hamburg",
        "since": (NOW - timedelta(hours=2)).isoformat(),
    }


@pytest.mark.parametrize("department", [D.FIN, D.PACK])
def test_another_destination_on_finishing_or_packing_is_segregation(department: D) -> None:
    clearance = _check(_occupancy(OTHER_DESTINATION), department)
    assert clearance.verdict is ClearanceVerdict.CONFLICT
    assert clearance.segregation
    refusal = refusal_of(lambda: refuse_conflict(clearance, "FIN-L01"))
    assert refusal.code is ErrorCode.LINE_SEGREGATION
    assert refusal.fields["work_order"] == "WO-2026-004233"
    assert refusal.fields["destination"] == "JP-Osaka"


@pytest.mark.parametrize("department", [D.EMBO, D.SEW])
def test_another_destination_before_finishing_is_a_plain_conflict(department: D) -> None:
    clearance = _check(_occupancy(OTHER_DESTINATION), department)
    assert clearance.verdict is ClearanceVerdict.CONFLICT
    assert not clearance.segregation
    assert refusal_of(lambda: refuse_conflict(clearance, "SEW-L03")).code is (
        ErrorCode.LINE_OCCUPIED
    )


# ------------------------------------------------------------------ quantities
POLICY = CountPolicy(max_batch=1000)


def test_a_send_quantity_within_what_is_sendable_is_taken() -> None:
    assert validate_send_quantity(1, 300, POLICY) == 1
    assert validate_send_quantity(300, 300, POLICY) == 300
    assert validate_send_quantity(1000, 5000, POLICY) == 1000


@pytest.mark.parametrize(
    ("quantity", "sendable", "code", "fields"),
    [
        (0, 300, ErrorCode.QUANTITY_ZERO, {}),
        (-3, 300, ErrorCode.QUANTITY_NEGATIVE, {"value": -3}),
        (-3, 0, ErrorCode.QUANTITY_NEGATIVE, {"value": -3}),
        (301, 300, ErrorCode.TRANSFER_ABOVE_SENDABLE, {"value": 301, "sendable": 300}),
        (1, 0, ErrorCode.TRANSFER_ABOVE_SENDABLE, {"value": 1, "sendable": 0}),
        (1001, 5000, ErrorCode.QUANTITY_ABSURD, {"value": 1001, "limit": 1000}),
        # A typo far beyond both limits is called implausible, not "more than sendable".
        (3_000_000, 300, ErrorCode.QUANTITY_ABSURD, {"value": 3_000_000, "limit": 1000}),
    ],
)
def test_send_quantities_refused(
    quantity: int, sendable: int, code: ErrorCode, fields: dict[str, int]
) -> None:
    refusal = refusal_of(lambda: validate_send_quantity(quantity, sendable, POLICY))
    assert refusal.code is code
    assert {key: refusal.fields[key] for key in fields} == fields


def test_a_blind_count_is_positive_and_plausible() -> None:
    assert validate_count(1, POLICY) == 1
    assert validate_count(1000, POLICY) == 1000
    assert refusal_of(lambda: validate_count(0, POLICY)).code is ErrorCode.QUANTITY_ZERO
    assert refusal_of(lambda: validate_count(-3, POLICY)).code is ErrorCode.QUANTITY_NEGATIVE
    absurd = refusal_of(lambda: validate_count(1001, POLICY))
    assert (absurd.code, absurd.fields) == (
        ErrorCode.QUANTITY_ABSURD,
        {"value": 1001, "limit": 1000},
    )


def test_the_default_policy_allows_a_big_bundle_and_refuses_a_typo() -> None:
    policy = CountPolicy()
    assert validate_count(20_000, policy) == 20_000
    assert refusal_of(lambda: validate_count(1_000_000_000, policy)).code is (
        ErrorCode.QUANTITY_ABSURD
    )
