"""Time a work order stood paused, kept in seconds per pause reason."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from kiosk.domain.reasons import PauseReason


def add_paused_time(
    totals: Mapping[str, int], reason: str | None, paused_at: datetime, resumed_at: datetime
) -> dict[str, int]:
    """The totals with one paused interval added under its reason (a clock that went
    backwards adds nothing); a pause without a reason (an older kiosk's) counts as OTHER."""
    key = reason or PauseReason.OTHER.value
    seconds = max(int((resumed_at - paused_at).total_seconds()), 0)
    updated = dict(totals)
    updated[key] = updated.get(key, 0) + seconds
    return updated


def paused_minutes(
    totals: Mapping[str, int],
    *,
    reason: str | None = None,
    paused_at: datetime | None = None,
    now: datetime | None = None,
) -> dict[str, int]:
    """Whole minutes paused per reason, the pause still running counted up to `now`;
    reasons in the site list's order, those never used left out."""
    seconds = dict(totals)
    if paused_at is not None and now is not None:
        seconds = add_paused_time(seconds, reason, paused_at, now)
    order = {member.value: index for index, member in enumerate(PauseReason)}
    return {
        key: value // 60
        for key, value in sorted(seconds.items(), key=lambda item: order.get(item[0], len(order)))
        if value > 0
    }
