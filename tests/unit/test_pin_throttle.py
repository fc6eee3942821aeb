"""The PIN pad's growing wait and who wrong PINs may lock: pure rules on a fake clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.domain.lockout import LockoutPolicy, wrong_pins_lock
from kiosk.domain.pin_throttle import NO_STREAK, PinThrottle, WrongPinStreak, whole_seconds
from kiosk.domain.roles import Role
from tests.helpers.fakes import FakeClock


def test_the_wait_starts_after_three_and_doubles_up_to_five_minutes() -> None:
    throttle = PinThrottle()
    waits = [throttle.wait_after(count, free=3).total_seconds() for count in range(1, 12)]
    assert waits == [0, 0, 5, 10, 20, 40, 80, 160, 300, 300, 300]
    assert throttle.wait_after(10_000, free=3) == timedelta(minutes=5)  # no overflow


def test_the_wait_runs_from_the_last_wrong_pin_on_the_tile_or_the_kiosk() -> None:
    throttle = PinThrottle(free_per_person=3, free_per_kiosk=4)
    clock = FakeClock()
    tile = WrongPinStreak(3, clock.now())
    assert throttle.wait_left(tile, tile, clock.now()) == timedelta(seconds=5)
    clock.advance(4.2)
    assert whole_seconds(throttle.wait_left(tile, tile, clock.now())) == 1
    clock.advance(0.8)
    assert throttle.wait_left(tile, tile, clock.now()) == timedelta(0)
    # Two tiles with two wrong PINs each: neither waits alone, the kiosk's budget does.
    others = [WrongPinStreak(2, clock.now()), WrongPinStreak(2, clock.now())]
    kiosk = throttle.kiosk_streak(others)
    assert kiosk == WrongPinStreak(4, clock.now())
    assert throttle.wait_left(NO_STREAK, kiosk, clock.now()) == timedelta(seconds=5)


def test_one_alert_when_the_waiting_starts() -> None:
    throttle = PinThrottle(free_per_person=3, free_per_kiosk=10)
    alerted = [throttle.alerts_now(count, count, person_may_lock=False) for count in range(1, 12)]
    assert alerted == [False, False, True] + [False] * 6 + [True, False]
    # Someone whose PINs lock gets the lock's alert instead of the tile's.
    assert not throttle.alerts_now(3, 3, person_may_lock=True)


def test_wrong_pins_lock_privileged_and_badge_less_people_only() -> None:
    assert not wrong_pins_lock(Role.OPERATOR, has_badge=True)
    assert not wrong_pins_lock(Role.QC_INSPECTOR, has_badge=True)
    assert not wrong_pins_lock(Role.WAREHOUSE_STAFF, has_badge=True)
    assert wrong_pins_lock(Role.OPERATOR, has_badge=False)
    for privileged in (Role.SUPERVISOR, Role.WAREHOUSE_ADMIN, Role.ADMIN):
        assert wrong_pins_lock(privileged, has_badge=True)


def test_a_count_that_may_not_lock_grows_and_never_locks() -> None:
    policy = LockoutPolicy()
    now = FakeClock().now()
    count = 0
    for _ in range(20):
        state = policy.after_wrong_pin(count, None, now, last_wrong_at=now, may_lock=False)
        assert (state.locked_until, state.just_locked) == (None, False)
        count = state.failed_count
    assert count == 20


def test_wrong_pins_further_apart_than_the_window_start_afresh() -> None:
    policy = LockoutPolicy(count_window=timedelta(minutes=30))
    clock = FakeClock()
    earlier = clock.now()
    clock.advance(30 * 60)
    assert policy.after_wrong_pin(4, None, clock.now(), last_wrong_at=earlier).just_locked
    clock.advance(1)
    fresh = policy.after_wrong_pin(4, None, clock.now(), last_wrong_at=earlier)
    assert (fresh.failed_count, fresh.just_locked) == (1, False)
    assert policy.recent_count(4, earlier, clock.now()) == 0


def test_limits_are_checked() -> None:
    with pytest.raises(ValueError, match="free attempts"):
        PinThrottle(free_per_kiosk=0)
    with pytest.raises(ValueError, match="first_wait"):
        PinThrottle(first_wait=timedelta(minutes=10))
