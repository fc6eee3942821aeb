"""The admin's lists through the real server: 5,000 people and 1,000,000 audit entries.

A central database of its own (demo site, migrated) gets 5,000 more people through the
integration rules (`server_sync.upserts`, as an ERP import brings them) and 1,000,000
`central_audit` rows written with COPY, shaped as the server writes them: integration
imports, admins' changes from devices (with device and line), commands; spread over 30
days. A line kiosk is enrolled with a real code.

The real `server-sync serve` process (bench/sync_harness.py's `LoggedServer`) answers;
the admin opens a session once (`POST /v1/admin/session`, one PIN check), then the clock
runs over each page as the screen asks it, over one keep-alive connection: the people list
opened, searched (a name's part, an employee number) and paged; the audit opened and paged
deep, and filtered by person, kind, line and day, each paged.

Goal (issue 15): <= 150 ms a page. Last line: `admin_list_p95: X ms`.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
import requests
from psycopg.types.json import Jsonb
from sqlalchemy import select

from bench.sync_harness import LoggedServer, central_site, percentile
from kiosk.demo import demo_user
from kiosk.domain.ids import new_id
from kiosk.store.models import User
from server_sync import devices
from server_sync.upserts import upsert

PEOPLE = 5_000
ENTRIES = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000  # fewer for a quick check
DAYS = 30
PAGE = 50
ADMIN = "E9001"
LINES = ("CUT-L01", "CUT-L02", "SEW-L01", "SEW-L02", "SEW-L03", "FIN-L01", "PACK-L01")
FIRST_NAMES = ("Budi", "Siti", "Agus", "Dewi", "Rina", "Hadi", "Ani", "Eko", "Sri", "Joko")
LAST_NAMES = ("Santoso", "Wulandari", "Pratama", "Lestari", "Hidayat", "Saputra", "Utami")


def _people(session: Any) -> None:
    """5,000 operators through the integration rules, as an ERP's import brings them."""
    rows = [
        {
            "employee_no": f"P{number:05d}",
            "name": f"{FIRST_NAMES[number % 10]} {LAST_NAMES[number % 7]} {number}",
            "role": "OPERATOR",
            "department": "CUT",
            "lines": ["CUT-L01"] if number % 2 else ["CUT-L02"],
        }
        for number in range(PEOPLE)
    ]
    done = upsert(session, "people", rows, actor="bench", dry_run=False, now=datetime.now(UTC))
    assert not done.refused, done.plan.problems[:3]


def _audit(central_url: str, admins: list[str]) -> None:
    """ENTRIES central audit rows with COPY, over DAYS days, newest now."""
    now = datetime.now(UTC)
    step = timedelta(days=DAYS) / ENTRIES
    with psycopg.connect(central_url) as connection:
        with (
            connection.cursor() as cursor,
            cursor.copy(
                "COPY central_audit (id, at, actor, action, entity, entity_key, details) FROM STDIN"
            ) as copy,
        ):
            for number in range(ENTRIES):
                at = now - step * (ENTRIES - number)
                line = LINES[number % len(LINES)]
                if number % 10 < 7:  # an ERP's import: most of the audit
                    actor = "key:erp-prod"
                    action = "integration.work_order.created"
                    entity, key = "work_order", f"WO-{number:08d}"
                    details: dict[str, Any] = {"operation": "create", "changed": {"target": 100}}
                elif number % 10 < 9:
                    actor = f"{admins[number % len(admins)]} Admin @ desk-{number % 3}"
                    action = "admin.user.updated"
                    entity, key = "user", f"P{number % PEOPLE:05d}"
                    details = {
                        "operation": "update",
                        "changed": {"name": "x"},
                        "line": line,
                        "device": f"desk-{number % 3}",
                    }
                else:
                    actor = "cli"
                    action = "api_key.create"
                    entity, key = "integration_key", f"k{number}"
                    details = {}
                copy.write_row((new_id(), at, actor, action, entity, key, Jsonb(details)))
        connection.execute("ANALYZE central_audit")
        connection.commit()


def _device_token(session: Any) -> str:
    now = datetime.now(UTC)
    code = devices.create_code(session, now, line_code="CUT-L02", created_by="bench")
    enrolled = devices.enrol(session, code, "bench-kiosk", now)
    session.commit()
    return enrolled.token


def _timed(client: requests.Session, url: str, params: dict[str, Any], samples: list[float]) -> Any:
    started = time.perf_counter()
    response = client.get(url, params=params, timeout=60)
    samples.append((time.perf_counter() - started) * 1000)
    response.raise_for_status()
    return response.json()


def _pages(
    client: requests.Session, url: str, params: dict[str, Any], pages: int, samples: list[float]
) -> int:
    """Up to `pages` pages from the first; how many rows."""
    cursor: str | None = None
    seen = 0
    for _ in range(pages):
        query = (
            dict(params, limit=PAGE) if cursor is None else dict(params, limit=PAGE, cursor=cursor)
        )
        body = _timed(client, url, query, samples)
        seen += len(body["rows"])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    return seen


def main() -> None:
    timings: dict[str, list[float]] = {}
    with (
        central_site("admin_lists") as (_admin, central),
        tempfile.TemporaryDirectory(prefix="bench-admin-") as folder,
    ):
        with central.session() as session:
            started = time.perf_counter()
            _people(session)
            admin_id = session.scalar(select(User.id).where(User.employee_no == ADMIN))
            token = _device_token(session)
            print(f"added {PEOPLE} people in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        admins = [ADMIN, "E9002", "E9003", "E9004"]
        _audit(central.url, admins)
        print(f"wrote {ENTRIES} central audit entries in {time.perf_counter() - started:.1f} s")
        server = LoggedServer(central.url, Path(folder) / "server.log")
        with server.running(), requests.Session() as client:
            client.headers["Authorization"] = f"Bearer {token}"
            opened = client.post(
                f"{server.url}/v1/admin/session",
                json={"actor": {"user_id": str(admin_id), "pin": demo_user(ADMIN).pin}},
                timeout=60,
            )
            opened.raise_for_status()
            client.headers["X-Admin-Ticket"] = opened.json()["ticket"]
            people = f"{server.url}/v1/admin/people"
            audit = f"{server.url}/v1/admin/audit"
            day = (datetime.now(UTC) - timedelta(days=3)).date().isoformat()
            runs: list[tuple[str, str, dict[str, Any], int]] = [
                ("people: opened, paged", people, {}, 20),
                ("people: search a name", people, {"search": "wulan"}, 10),
                ("people: search a number", people, {"search": "P012"}, 3),
                ("audit: opened, paged deep", audit, {}, 40),
                ("audit: a person", audit, {"person": "E9003"}, 10),
                ("audit: a kind", audit, {"kind": "admin.user"}, 10),
                ("audit: a line", audit, {"line": "SEW-L02"}, 10),
                ("audit: a day", audit, {"day": day}, 10),
                ("audit: a person on a day", audit, {"person": "E9002", "day": day}, 5),
            ]
            for _round in range(2):  # the first round warms the server's caches too
                for name, url, params, pages in runs:
                    samples: list[float] = []
                    rows = _pages(client, url, params, pages, samples)
                    timings[name] = samples
                    assert rows > 0, name
    everything: list[float] = []
    for name, samples in timings.items():
        everything += samples
        print(
            f"  {name}: {len(samples)} pages, median {percentile(samples, 0.5):.1f} ms, "
            f"p95 {percentile(samples, 0.95):.1f} ms"
        )
    print(f"{PAGE} a page, through the real server-sync process over HTTP, second round")
    print(f"admin_list_p95: {percentile(everything, 0.95):.1f} ms")


if __name__ == "__main__":
    main()
