"""PIN lockout policy and the idle timer, on a fake clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.domain.idle import IdlePolicy, IdleTimer
from kiosk.domain.lockout import LockoutPolicy
from tests.helpers.fakes import FakeClock


def test_the_fifth_wrong_pin_locks_for_thirty_minutes() -> None:
    policy = LockoutPolicy()
    clock = FakeClock()
    count, until = 0, None
    for attempt in range(1, 5):
        state = policy.after_wrong_pin(count, until, clock.now(), last_wrong_at=clock.now())
        count, until = state.failed_count, state.locked_until
        assert (count, until, state.just_locked) == (attempt, None, False)
        assert policy.attempts_left(count) == 5 - attempt
    state = policy.after_wrong_pin(count, until, clock.now(), last_wrong_at=clock.now())
    assert state.just_locked
    assert state.locked_until == clock.now() + timedelta(minutes=30)
    assert policy.is_locked(state.locked_until, clock.now() + timedelta(minutes=29, seconds=59))
    assert not policy.is_locked(state.locked_until, clock.now() + timedelta(minutes=30))


def test_a_lock_that_ran_out_gives_a_fresh_count() -> None:
    policy = LockoutPolicy(max_attempts=3, lock_duration=timedelta(minutes=1))
    clock = FakeClock()
    expired = clock.now() - timedelta(seconds=1)
    state = policy.after_wrong_pin(3, expired, clock.now(), last_wrong_at=expired)
    assert (state.failed_count, state.locked_until) == (1, None)


def test_limits_are_configurable_and_checked() -> None:
    policy = LockoutPolicy(max_attempts=2, lock_duration=timedelta(minutes=5))
    now = FakeClock().now()
    first = policy.after_wrong_pin(0, None, now, last_wrong_at=None)
    assert not first.just_locked
    assert policy.after_wrong_pin(first.failed_count, None, now, last_wrong_at=now).just_locked
    with pytest.raises(ValueError, match="max_attempts"):
        LockoutPolicy(max_attempts=0)


def test_idle_timer_counts_down_warns_and_expires() -> None:
    clock = FakeClock()
    timer = IdleTimer(clock, IdlePolicy(timeout_seconds=120, warning_seconds=10))
    clock.advance(109)
    assert timer.seconds_left() == pytest.approx(11)
    assert not timer.is_warning()
    clock.advance(2)
    assert timer.is_warning()
    timer.touch()
    assert timer.seconds_left() == pytest.approx(120)
    clock.advance(120)
    assert timer.is_expired()
    assert not timer.is_warning()


def test_zero_timeout_never_logs_out() -> None:
    clock = FakeClock()
    timer = IdleTimer(clock, IdlePolicy(timeout_seconds=0))
    clock.advance(10**6)
    assert not timer.is_expired()
    assert not timer.is_warning()
