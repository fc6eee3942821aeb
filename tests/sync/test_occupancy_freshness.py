"""What a kiosk knows of another line is as fresh as its last sync, not as the line's last change.

FLOOR-DAY 14:45: FIN-L01 has held another batch for hours; a handoff there is blocked at
once while the kiosk syncs. Offline for longer than `occupancy_stale_minutes`, the same
knowledge only warns (the receiving kiosk decides).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.transfer import ClearanceVerdict
from kiosk.store.models import Line, LineOccupancy, WorkOrder
from server_sync.feed import feed_row, publish
from tests.helpers.central import CentralDatabase, OffsetClock
from tests.sync.conftest import KioskFactory


def _age_central_occupancy(central: CentralDatabase, line_code: str, hours: float) -> str:
    """The line's central row as if nothing had changed there for `hours`; returns what it holds."""
    with central.session() as session:
        row = session.scalar(select(LineOccupancy).join(Line).where(Line.code == line_code))
        assert row is not None and row.work_order_number is not None
        row.observed_at = datetime.now(UTC) - timedelta(hours=hours)
        session.flush()
        found = feed_row(session, row)
        assert found is not None
        publish(session, [found])
        session.commit()
        return row.work_order_number


def test_a_line_unchanged_for_hours_blocks_a_handoff_while_the_kiosk_syncs(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    holds = _age_central_occupancy(central, "FIN-L01", hours=3)
    clock = OffsetClock()
    sewing = kiosk("SEW-L03", clock=clock)
    dewi = sewing.login("E2001")
    with sewing.database.reader() as session:
        running = session.scalar(select(WorkOrder).where(WorkOrder.number == "WO-2026-004228"))
        assert running is not None
    options = sewing.services.transfers.handoff_options(dewi, running.id)
    fin = next(option for option in options.lines if option.occupancy.line_code == "FIN-L01")
    assert fin.verdict is ClearanceVerdict.CONFLICT and not fin.occupancy.is_stale
    with pytest.raises(RefusalError) as refused:
        sewing.services.transfers.prepare(dewi, running.id, "10", "FIN-L01")
    assert refused.value.code in (ErrorCode.LINE_OCCUPIED, ErrorCode.LINE_SEGREGATION)
    assert refused.value.fields["work_order"] == holds

    # No sync for longer than the stale limit: the same row now only warns.
    clock.offset = timedelta(minutes=31)
    options = sewing.services.transfers.handoff_options(dewi, running.id)
    fin = next(option for option in options.lines if option.occupancy.line_code == "FIN-L01")
    assert fin.verdict is ClearanceVerdict.UNKNOWN and fin.occupancy.is_stale
