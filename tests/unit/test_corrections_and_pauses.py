"""The correction window, the approver rule, correction limits and paused time: pure rules."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.domain.correction import (
    CORRECTION_WINDOW,
    EntryState,
    check_approver,
    corrects_alone,
    validate_correction,
)
from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.pauses import add_paused_time, paused_minutes
from kiosk.domain.work_order import QuantityPolicy

AT = datetime(2026, 12, 6, 7, 0, tzinfo=UTC)
RINA = uuid.UUID(int=1)
ANI = uuid.UUID(int=2)


def _entry(**changes: object) -> EntryState:
    values: dict[str, object] = {
        "entry_id": uuid.UUID(int=9),
        "work_order_id": uuid.UUID(int=8),
        "user_id": RINA,
        "recorded_at": AT,
        "good": 40,
        "reject": 0,
        "reject_reason": None,
    }
    values.update(changes)
    return EntryState(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("requester", "later", "alone"),
    [
        (RINA, timedelta(0), True),
        (RINA, CORRECTION_WINDOW, True),
        (RINA, CORRECTION_WINDOW + timedelta(seconds=1), False),
        (RINA, -timedelta(seconds=20), True),  # two kiosk clocks a little apart
        (RINA, -timedelta(minutes=5), False),  # a correction long before its entry: no
        (ANI, timedelta(0), False),  # someone else's entry, however recent
    ],
)
def test_who_corrects_alone(requester: uuid.UUID, later: timedelta, alone: bool) -> None:
    assert corrects_alone(_entry(), requester, AT + later) is alone


def test_the_approver_never_approves_their_own_entry() -> None:
    check_approver(ANI, _entry())
    with pytest.raises(RefusalError) as refused:
        check_approver(RINA, _entry())
    assert refused.value.code is ErrorCode.SELF_APPROVAL


def test_a_correction_replaces_the_entry_within_the_recording_limits() -> None:
    policy = QuantityPolicy()
    new = validate_correction(
        policy, target=100, good_total=90, reject_total=0, entry=_entry(), is_void=False, good=45
    )
    assert (new.good, new.reject) == (45, 0)
    with pytest.raises(RefusalError) as above:  # 90 - 40 + 56 > 105 allowed
        validate_correction(
            policy,
            target=100,
            good_total=90,
            reject_total=0,
            entry=_entry(),
            is_void=False,
            good=56,
        )
    assert above.value.code is ErrorCode.QUANTITY_ABOVE_OPEN


def test_no_correction_takes_a_total_below_zero() -> None:
    # Central totals lower than the entry (another correction got there first).
    with pytest.raises(RefusalError) as refused:
        validate_correction(
            QuantityPolicy(),
            target=100,
            good_total=30,
            reject_total=0,
            entry=_entry(),
            is_void=True,
        )
    assert refused.value.code is ErrorCode.CORRECTION_NEGATIVE_TOTAL
    assert refused.value.fields == {"field": "good", "total": -10}


def test_a_voided_entry_is_not_corrected_again() -> None:
    with pytest.raises(RefusalError) as refused:
        validate_correction(
            QuantityPolicy(),
            target=100,
            good_total=40,
            reject_total=0,
            entry=_entry(is_void=True, good=0),
            is_void=False,
            good=10,
        )
    assert refused.value.code is ErrorCode.ENTRY_ALREADY_VOIDED


def test_paused_time_is_kept_per_reason_in_the_sites_order() -> None:
    totals = add_paused_time({}, "WAITING_MATERIAL", AT, AT + timedelta(minutes=12, seconds=40))
    totals = add_paused_time(totals, "MACHINE_BREAKDOWN", AT, AT + timedelta(minutes=3))
    totals = add_paused_time(totals, None, AT, AT + timedelta(minutes=2))  # an older kiosk's
    totals = add_paused_time(totals, "CHANGEOVER", AT, AT - timedelta(minutes=9))  # clock back
    assert totals == {
        "WAITING_MATERIAL": 760,
        "MACHINE_BREAKDOWN": 180,
        "OTHER": 120,
        "CHANGEOVER": 0,
    }
    assert list(paused_minutes(totals)) == ["MACHINE_BREAKDOWN", "WAITING_MATERIAL", "OTHER"]
    running = paused_minutes(
        totals, reason="POWER_CUT", paused_at=AT, now=AT + timedelta(minutes=7)
    )
    assert running == {"MACHINE_BREAKDOWN": 3, "WAITING_MATERIAL": 12, "POWER_CUT": 7, "OTHER": 2}
