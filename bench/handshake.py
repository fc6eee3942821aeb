"""QT-09 handshake speed: the sender's prepare + PDF slip, and the receiver's slip scan.

1. Prepare: on a fresh demo site (CUT-L02), 200 handoffs of one piece each of one work
   order, each the real service call (clearance check, transfer, audit and outbox in one
   durable SQLite commit) plus the slip rendered to a PDF file with its Code128 and
   signed QR code, on this thread. Goal (issue 4): p95 <= 300 ms.
2. Scan: another kiosk (SEW-L03, its own database that never heard of the transfers)
   runs as in production (worker thread, off-screen window, an operator logged in). Each
   of the 200 slips' QR text goes through the scan router as the scanner delivers it; the
   clock stops when the acceptance (count) screen is shown. Goal: p95 <= 50 ms.

Last line: `handshake_scan_p95: X ms`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select

from bench.kiosk_harness import percentile, start_kiosk
from kiosk.app import load_site_keys
from kiosk.demo import demo_user, demo_user_id, ensure_demo_site
from kiosk.devices.slip_printer import PrinterConfig, print_job
from kiosk.domain.clock import SystemClock
from kiosk.domain.scan import ScanEvent, ScanSource
from kiosk.services.container import build_services
from kiosk.store.database import open_database
from kiosk.store.models import WorkOrder
from kiosk.store.secrets import FileSecretStore
from kiosk.ui.application import create_application

HANDOFFS = 200
WORK_ORDER = "WO-2026-004217"


def prepare_slips(folder: Path) -> tuple[list[float], list[str]]:
    """Prepare and render HANDOFFS slips; returns the times (ms) and the QR payloads."""
    clock = SystemClock()
    database_path = ensure_demo_site(folder, clock)
    database = open_database(database_path)
    secrets = FileSecretStore.beside(database_path)
    services = build_services(
        database,
        clock,
        "CUT-L02",
        badge_key=secrets.badge_key(),
        site_keys=load_site_keys(secrets, database),
    )
    # Enough good pieces for every handoff (set up directly: not what is measured).
    with database.writer() as session:
        row = session.scalar(select(WorkOrder).where(WorkOrder.number == WORK_ORDER))
        assert row is not None
        row.good_qty = row.target_qty = 10_000
        work_order_id = row.id
        session.commit()
    rina = services.auth.login_with_pin(
        demo_user_id(database, "E1001"), demo_user("E1001").pin
    ).actor
    config = PrinterConfig(mode="pdf", folder=folder / "slips")
    samples, payloads = [], []
    for _ in range(HANDOFFS):
        started = time.perf_counter()
        prepared = services.transfers.prepare(rina, work_order_id, "1", "SEW-L03")
        print_job(config, prepared.document)
        samples.append((time.perf_counter() - started) * 1000)
        assert prepared.document.qr_payload is not None
        payloads.append(prepared.document.qr_payload)
    database.dispose()
    return samples, payloads


def scan_slips(folder: Path, payloads: list[str]) -> list[float]:
    kiosk = start_kiosk(folder, line="SEW-L03", sounds=False)
    window = kiosk.window
    receive = window.handshake.receive_screen
    # Dewi taps her badge, as on the floor (an operator's badge alone logs her in).
    window.scan_router.submit(ScanEvent(ScanSource.READER, demo_user("E2001").badge))
    kiosk.wait_until(lambda: window.actor is not None)
    kiosk.wait_until(lambda: not window.runner.is_busy)
    samples = []
    for payload in payloads:
        started = time.perf_counter()
        window.scan_router.submit(ScanEvent(ScanSource.SCANNER, payload))
        kiosk.wait_until(lambda: window.current_screen() is receive)
        samples.append((time.perf_counter() - started) * 1000)
        receive.cancelled.emit()  # Back: the count is not what is measured here
        kiosk.wait_until(lambda: window.current_screen() is not receive)
        kiosk.wait_until(lambda: not window.runner.is_busy)
    kiosk.close()
    return samples


def main() -> None:
    create_application(["bench"])  # slips are painted with Qt: fonts need the application
    with tempfile.TemporaryDirectory(prefix="bench-handshake-") as root:
        prepare_ms, payloads = prepare_slips(Path(root) / "cutting")
        scan_ms = scan_slips(Path(root) / "sewing", payloads)
    print(f"handoffs: {HANDOFFS} prepared and rendered to PDF (service call + slip file)")
    print(
        f"prepare + PDF: median {statistics.median(prepare_ms):.1f} ms, "
        f"p95 {percentile(prepare_ms, 0.95):.1f} ms, max {max(prepare_ms):.1f} ms"
    )
    print(f"handshake_prepare_p95: {percentile(prepare_ms, 0.95):.1f} ms")
    print(
        f"slip scanned -> count screen shown: median {statistics.median(scan_ms):.1f} ms, "
        f"p95 {percentile(scan_ms, 0.95):.1f} ms, max {max(scan_ms):.1f} ms"
    )
    print(f"handshake_scan_p95: {percentile(scan_ms, 0.95):.1f} ms")


if __name__ == "__main__":
    main()
