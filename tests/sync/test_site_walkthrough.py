"""A real site from nothing, as the README walks it (issue 14's "Done when").

On an empty PostgreSQL with no demo anywhere: the lines, people, items and work orders are
imported from CSV files written as an Indonesian spreadsheet writes them (a BOM, `;`,
dates as dd/mm/yyyy) by the real `server-sync import`; the real `server-sync serve`
process runs; a kiosk is enrolled for an imported line with a code from the real
`server-sync enrol-code`; a new person taps her badge, chooses her PIN and records a count
on the real window; the count comes out of `server-sync export` and out of the
integration API exactly once; a work order cancelled through the API leaves the kiosk's list.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import requests
from pytestqt.qtbot import QtBot

from tests.helpers.central import CentralDatabase, KioskNode, ServerProcess
from tests.sync.test_kiosk_screens import RunningKiosk

BOM = "\ufeff"
LINES_CSV = """code;department;name;active
SEW-A1;SEW;Sewing A1;yes
SEW-A2;SEW;Sewing A2;yes
"""
PEOPLE_CSV = """employee_no;name;role;department;lines;active;badge_uid
P0101;Sri Wahyuni;OPERATOR;SEW;SEW-A1;yes;04A1B2C3D4
P0102;Wawan Hidayat;OPERATOR;SEW;"SEW-A1;SEW-A2";yes;04A1B2C3D5
P0900;Yuli Astuti;SUPERVISOR;SEW;;yes;04A1B2C3D9
"""
ITEMS_CSV = """code;name;unit;active
LBL-CARE;Care label;pcs;yes
THR-WHT;White thread;cone;yes
"""
WORK_ORDERS_CSV = """number;mo_number;article;destination;department;line;route;target_qty;due
SPK-26-0001;MO-26-0001;Teddy bear 30 cm;Japan;SEW;SEW-A1;R1;240;15/12/2026
SPK-26-0002;MO-26-0001;Teddy bear 30 cm;Japan;SEW;SEW-A1;R1;120;18/12/2026
SPK-26-0003;MO-26-0002;Polo shirt M;Germany;SEW;SEW-A2;R1;500;20/12/2026
"""
SRI_BADGE, SRI_PIN = "04A1B2C3D4", "2580"


def _server_sync(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command, as an IT person types it (the database from the environment)."""
    return subprocess.run(
        [sys.executable, "-m", "server_sync", *args],
        env={**os.environ, "SERVER_SYNC_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _ok(url: str, *args: str) -> str:
    done = _server_sync(url, *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_bytes((BOM + text).encode("utf-8"))  # as a spreadsheet saves "CSV UTF-8"
    return path


def _production_facts(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [fact for fact in facts if fact["kind"] == "production.recorded"]


def test_a_site_imported_from_csv_runs_a_kiosk_and_its_count_comes_out_once(
    qtbot: QtBot, qapp: object, empty_central: CentralDatabase, tmp_path: Path
) -> None:
    url = empty_central.url
    _ok(url, "migrate")
    for kind, name, text in (
        ("lines", "lines.csv", LINES_CSV),
        ("people", "people.csv", PEOPLE_CSV),
        ("items", "items.csv", ITEMS_CSV),
        ("work-orders", "work-orders.csv", WORK_ORDERS_CSV),
    ):
        path = _write(tmp_path, name, text)
        assert _server_sync(url, "import", kind, str(path), "--dry-run").returncode == 0
        _ok(url, "import", kind, str(path))
        again = _ok(url, "import", kind, str(path))
        assert "nothing changed" in again.lower(), again
    key = _ok(url, "api-key", "create", "erp").strip()
    code = _ok(url, "enrol-code", "--line", "SEW-A1").split()[-1]

    server = ServerProcess(url)
    node: KioskNode | None = None
    try:
        server.start()
        node = KioskNode(tmp_path / "sew-a1", server.url, code)
        node.sync()
        kiosk = RunningKiosk(qtbot, qapp, node)
        try:
            driver, window = kiosk.driver, kiosk.window
            assert set(window.login_screen.tiles) == {"P0101", "P0102", "P0900"}
            # Sri has no PIN yet: her first tap asks her to choose one, twice.
            window.scan_router.submit_badge(SRI_BADGE)
            screen = window.session.first_pin.screen
            assert driver.screen is screen
            for _ in range(2):
                driver.type_digits(screen.entry, SRI_PIN)
                driver.tap(screen.entry.confirm_button)
            assert window.header.user_name.text() == "Sri Wahyuni · Operator"
            assert set(window.home_screen.rows) == {"SPK-26-0001", "SPK-26-0002"}
            driver.open_work_order("SPK-26-0001")
            driver.tap(window.work_order_screen.command_buttons["START"])
            driver.record("36")
            qtbot.waitUntil(lambda: "· 0 waiting" in kiosk.sync_text, timeout=20_000)

            export_file = tmp_path / "results.jsonl"
            _ok(url, "export", "--after", "0", "--format", "jsonl", str(export_file))
            exported = [json.loads(line) for line in export_file.read_text().splitlines()]
            counts = _production_facts(exported)
            assert [(fact["work_order"], fact["good"]) for fact in counts] == [("SPK-26-0001", 36)]
            assert counts[0]["by_employee_no"] == "P0101"

            read: list[dict[str, Any]] = []
            cursor = 0
            while True:  # as an ERP reads, page by page from its cursor
                answer = requests.get(
                    f"{server.url}/v1/integration/events",
                    params={"after": cursor, "limit": 2},
                    headers={"Authorization": f"Bearer {key}"},
                    timeout=30,
                )
                assert answer.status_code == 200, answer.text
                page = answer.json()
                read.extend(page["facts"])
                cursor = page["next"]
                if not page["has_more"]:
                    break
            from_api = _production_facts(read)
            assert [fact["id"] for fact in from_api] == [counts[0]["id"]]

            # The ERP cancels a work order nobody started: it leaves the kiosk's list.
            cancelled = requests.post(
                f"{server.url}/v1/integration/work-orders",
                json={"rows": [{**_work_order_row("SPK-26-0002"), "status": "CANCELLED"}]},
                headers={"Authorization": f"Bearer {key}"},
                timeout=30,
            )
            assert cancelled.status_code == 200, cancelled.text
            driver.tap(window.work_order_screen.back_button)
            qtbot.waitUntil(lambda: set(window.home_screen.rows) == {"SPK-26-0001"}, timeout=30_000)
        finally:
            kiosk.close(qtbot)
    finally:
        if node is not None:
            node.close()
        server.stop()


def _work_order_row(number: str) -> dict[str, Any]:
    header, *rows = WORK_ORDERS_CSV.strip().splitlines()
    for row in rows:
        values = dict(zip(header.split(";"), row.split(";"), strict=True))
        if values["number"] == number:
            return values
    raise KeyError(number)
