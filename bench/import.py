"""A real site's data imported from CSV into an empty central database: seconds for all of it.

100 lines, 2,000 people (each with a badge and one or two lines), 20 kanban items and
50,000 work orders are written as CSV files the way a spreadsheet writes them (a BOM,
`;` between values, dd/mm/yyyy dates), then imported into a migrated central database
with no demo, through `server_sync.cli_import.run_import`: the function behind
`server-sync import` (each file one transaction, with the same plan/apply, feed and
audit as the integration API). The clock runs over the four imports, lines first. The
work orders' file imported a second time (nothing changes) is timed and printed too.

Beside it: a plain psycopg COPY of the same rows (the import's own rows read back) into
the same tables of a second empty database, with no checks, no feed and no audit: the
floor under what any import could take. Printed as a ratio before the last line.

Goal (issue 14): <= 20 s. Last line: `import_seconds: X s`.
"""

from __future__ import annotations

import io
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from psycopg.types.json import Jsonb
from sqlalchemy import Engine, create_engine

from kiosk.domain.roles import Department
from server_sync import migrate
from server_sync.cli_import import run_import
from tests.helpers.postgres import admin_url, sqlalchemy_url

WORK_ORDERS = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000  # fewer for a quick check
PEOPLE = 2_000
LINES = 100
ITEMS = 20
# The tables the import writes a site's rows to, in an order their foreign keys accept.
TABLES = ("line", "app_user", "user_line", "kanban_item", "work_order")
_PRODUCTION = (Department.CUT, Department.EMBO, Department.SEW, Department.FIN, Department.PACK)


@contextmanager
def empty_central(server_url: str, label: str) -> Iterator[tuple[str, Engine]]:
    """(libpq URL, engine) of a new migrated central database without any site; dropped after."""
    name = f"kiosk_bench_import_{label}_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{server_url.rsplit('/', 1)[0]}/{name}"
    engine = create_engine(sqlalchemy_url(url))
    try:
        migrate.upgrade(engine)
        yield url, engine
    finally:
        engine.dispose()
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _write(folder: Path, name: str, header: str, rows: list[str]) -> Path:
    """A CSV file as an Indonesian spreadsheet saves it: BOM, `;`, CRLF."""
    path = folder / name
    path.write_text("\ufeff" + "\r\n".join([header, *rows]) + "\r\n", encoding="utf-8")
    return path


def write_site(folder: Path) -> list[tuple[str, Path]]:
    """The site's four files, in the order they are imported."""
    chance = random.Random(14)
    lines = [
        (f"{department.value}-L{number:02d}", department)
        for department in _PRODUCTION
        for number in range(1, LINES // len(_PRODUCTION) + 1)
    ]
    line_rows = [f"{code};{department.value};{code} line;yes" for code, department in lines]
    people_rows = []
    for number in range(PEOPLE):
        code, department = lines[number % len(lines)]
        mine = [code]
        if number % 3 == 0:  # some work on a second line of their department
            mine.append(lines[(number + len(_PRODUCTION)) % len(lines)][0])
            mine = [each for each in mine if each.startswith(department.value)]
        people_rows.append(
            f"E{10000 + number};Person {number};OPERATOR;{department.value};"
            f'"{";".join(mine)}";yes;{0xA0000000 + number:010X}'
        )
    items = [f"ACC-{number:03d};Accessory {number};pcs;{50 + number}" for number in range(ITEMS)]
    first_due = date(2027, 1, 1)
    orders = []
    for number in range(WORK_ORDERS):
        code, department = lines[number % len(lines)]
        route = "R1" if department is Department.EMBO else "R2"
        due = first_due + timedelta(days=chance.randrange(120))
        orders.append(
            f"WO-2027-{number:06d};MO-2027-{number // 10:05d};TB-{number % 400:03d}-BRN;"
            f"DE-Hamburg;{department.value};{code};{route};{chance.randrange(100, 2000)};"
            f"{due:%d/%m/%Y}"
        )
    return [
        ("lines", _write(folder, "lines.csv", "code;department;name;active", line_rows)),
        (
            "people",
            _write(
                folder,
                "people.csv",
                "employee_no;name;role;department;lines;active;badge_uid",
                people_rows,
            ),
        ),
        ("items", _write(folder, "items.csv", "code;name;unit;max_quantity", items)),
        (
            "work-orders",
            _write(
                folder,
                "work_orders.csv",
                "number;mo_number;article;destination;department;line;route;target_qty;due",
                orders,
            ),
        ),
    ]


def read_back(url: str) -> dict[str, tuple[list[str], list[tuple[object, ...]]]]:
    """The rows the import wrote, table by table, to COPY elsewhere."""
    found = {}
    with psycopg.connect(url) as connection:
        for table in TABLES:
            cursor = connection.execute(f"SELECT * FROM {table}")
            columns = [column.name for column in cursor.description or ()]
            found[table] = (
                columns,
                [
                    tuple(Jsonb(value) if isinstance(value, dict) else value for value in row)
                    for row in cursor.fetchall()
                ],
            )
    return found


def copy_seconds(url: str, rows: dict[str, tuple[list[str], list[tuple[object, ...]]]]) -> float:
    """A plain COPY of those rows into the same tables, in one transaction."""
    with psycopg.connect(url) as connection:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for table, (columns, values) in rows.items():
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
        connection.commit()
        return time.perf_counter() - started


def main() -> None:
    with admin_url() as server_url, tempfile.TemporaryDirectory() as folder:
        if server_url is None:
            raise SystemExit("no PostgreSQL: start one at 127.0.0.1:5432 or set KIOSK_TEST_PG_URL")
        files = write_site(Path(folder))
        for kind, path in files:
            print(f"{kind}: {path.stat().st_size / 1024:.0f} KiB")
        with empty_central(server_url, "csv") as (url, engine):
            total = 0.0
            cpu_started = time.process_time()
            for kind, path in files:
                printed = io.StringIO()
                started = time.perf_counter()
                code = run_import(engine, kind, path, out=printed, err=printed)
                elapsed = time.perf_counter() - started
                total += elapsed
                assert code == 0, printed.getvalue()
                print(f"  {elapsed:6.2f} s  {printed.getvalue().strip()}")
            cpu = time.process_time() - cpu_started
            rows = read_back(url)
            again = io.StringIO()
            started = time.perf_counter()
            assert run_import(engine, files[-1][0], files[-1][1], out=again, err=again) == 0
            print(
                f"  {time.perf_counter() - started:6.2f} s  the work orders again: "
                f"{again.getvalue().strip()}"
            )
        with empty_central(server_url, "copy") as (copy_url, _engine):
            copied = copy_seconds(copy_url, rows)
    counts = ", ".join(f"{table} {len(values)}" for table, (_, values) in rows.items())
    print(f"plain COPY of the same rows ({counts}): {copied:.2f} s")
    print(
        f"this process's CPU over the imports: {cpu:.1f} s (the rest is PostgreSQL and waiting; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    print(f"import / COPY: {total / copied:.1f}x")
    print(f"import_seconds: {total:.1f} s")


if __name__ == "__main__":
    main()
