"""The line-status texts are plain functions of the services' data (no window needed)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from kiosk.domain.roles import Department
from kiosk.services.transfer_views import LineHoldSummary, OccupancyView
from kiosk.services.views import LineStatus, LineView
from kiosk.ui import line_status
from kiosk.ui.formatting import TimeFormatter

CUTTING = LineView("CUT-L02", "Cutting 2", Department.CUT)
SINCE = datetime(2026, 3, 2, 7, 5, tzinfo=UTC)
TIMES = TimeFormatter("UTC")


def _occupancy(number: str | None, observed: datetime | None = SINCE) -> OccupancyView:
    return OccupancyView(
        "CUT-L02", "Cutting 2", Department.CUT, number, "Polo", "SEW-L03", SINCE, observed
    )


def _hold() -> LineHoldSummary:
    return LineHoldSummary(uuid.uuid4(), "SL-1", "WO-1", SINCE)


def test_a_line_holding_a_batch_with_a_held_one(qapp: object) -> None:
    texts = line_status.texts(
        LineStatus(running=["WO-2026-004217"], paused=[]),
        _occupancy("WO-2026-004217"),
        [_hold()],
        CUTTING,
        TIMES,
        desktop=False,
    )
    assert texts.header == "⚠ 1 held · ▶ Running WO-2026-004217 · holds WO-2026-004217"
    assert (
        texts.login
        == texts.home
        == (
            "CUT-L02 holds WO-2026-004217 · Polo · for SEW-L03 since 07:05. "
            "1 batch held for a supervisor."
        )
    )


def test_a_clear_line_and_a_line_never_heard_of(qapp: object) -> None:
    idle = LineStatus(running=[], paused=["WO-1"])
    clear = line_status.texts(idle, _occupancy(None), [], CUTTING, TIMES, desktop=False)
    assert clear.header == "Cutting 2 · ❚❚ Paused WO-1 · line clear"
    assert clear.login == "CUT-L02 is clear."
    unknown = _occupancy(None, observed=None)
    never = line_status.texts(idle, unknown, [], CUTTING, TIMES, desktop=False)
    assert never.header == "Cutting 2 · ❚❚ Paused WO-1"
    assert never.home == "CUT-L02: what the line holds is not known yet."


def test_a_desktop_and_a_warehouse_leave_the_screens_sentences_alone(qapp: object) -> None:
    status = LineStatus(running=[], paused=[])
    desk = line_status.texts(status, _occupancy(None), [], CUTTING, TIMES, desktop=True)
    assert desk.header == "Supervisor's desktop · all lines"
    assert (desk.login, desk.home) == ("Supervisors of the department log in here.", None)
    store = LineView("WH-01", "Main store", Department.WAREHOUSE)
    warehouse = line_status.texts(status, _occupancy(None), [], store, TIMES, desktop=False)
    assert (warehouse.header, warehouse.login, warehouse.home) == ("Main store", None, None)
