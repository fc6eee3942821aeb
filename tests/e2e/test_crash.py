"""A kiosk killed mid-stream keeps every confirmed action and nothing half-written."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.services.audit_log import verify_audit_log
from kiosk.store.models import OutboxEvent, ProductionEntryRow, WorkOrder
from tests.helpers.site import Site

pytestmark = pytest.mark.slow

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from kiosk.domain.clock import SystemClock
    from kiosk.store.database import open_database
    from kiosk.services.container import build_services
    from kiosk.store.secrets import FileSecretStore
    from kiosk.demo import demo_user_id
    from sqlalchemy import select
    from kiosk.store.models import WorkOrder

    database = open_database(Path(sys.argv[1]))
    badge_key = FileSecretStore.beside(Path(sys.argv[1])).badge_key()
    services = build_services(database, SystemClock(), "CUT-L02", badge_key=badge_key)
    actor = services.auth.login_with_pin(demo_user_id(database, "E1001"), "2468").actor
    with database.reader() as session:
        wo_id = session.scalar(select(WorkOrder.id).where(WorkOrder.number == "WO-2026-004221"))
    services.work_orders.start(actor, wo_id, alongside=["WO-2026-004217"])
    while True:
        services.work_orders.record(actor, wo_id, good="1", reject="", reason=None)
        print("confirmed", flush=True)  # shown to the operator only after the commit
    """
)


def test_kill_during_recording_loses_no_confirmed_entry(site: Site, tmp_path: Path) -> None:
    site.database.dispose()
    before = site.work_order("WO-2026-004221")
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    confirmed = 0
    with subprocess.Popen(
        [sys.executable, str(script), str(site.path)], stdout=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.strip() == "confirmed":
                confirmed += 1
            if confirmed == 40:
                process.send_signal(signal.SIGKILL)
                break
        process.wait(timeout=30)
    assert confirmed == 40
    with site.raw() as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert verify_audit_log(site.database).is_intact
    with site.database.reader() as session:
        work_order = session.scalar(select(WorkOrder).where(WorkOrder.number == "WO-2026-004221"))
        assert work_order is not None
        entries = session.scalar(
            select(func.count())
            .select_from(ProductionEntryRow)
            .where(ProductionEntryRow.work_order_id == work_order.id)
        )
        recorded_events = session.scalar(
            select(func.count())
            .select_from(OutboxEvent)
            .where(OutboxEvent.kind == "production.recorded")
        )
    assert entries is not None
    # Every confirmed entry is there; at most one more committed just before the kill.
    assert confirmed <= entries <= confirmed + 1
    assert work_order.good_qty == before.good_qty + entries
    assert recorded_events == entries
