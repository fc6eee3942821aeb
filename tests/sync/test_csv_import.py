"""`server-sync import`: a site without an API sends its data as CSV files a spreadsheet wrote.

An empty central database (migrated, no demo), as a real site starts. Files are written
as spreadsheets write them: a byte-order mark, `;` between values, `dd/mm/yyyy` dates,
CRLF line ends, a blank row at the end.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from kiosk.domain.work_order import WorkOrderStatus
from kiosk.store.models import KanbanItem, Line, User, WorkOrder
from server_sync import migrate
from server_sync.cli_import import run_import
from server_sync.models import CentralAuditEntry
from tests.helpers.central import CentralDatabase
from tests.helpers.integration import feed_high_water
from tests.helpers.postgres import fresh_database, sqlalchemy_url

BOM = "\ufeff"
LINES = (
    "Code;Department;Name;Active\r\n"
    "CUT-L01;CUT;Cutting line 1;yes\r\n"
    "CUT-L02;CUT;Cutting line 2;\r\n"
    'SEW-L01;SEW;"Sewing; line 1";1\r\n'
    ";;;\r\n"
)
PEOPLE = (
    "Employee No;Name;Role;Department;Lines;Active\r\n"
    'E1001;Putri Anggraini;OPERATOR;CUT;"CUT-L01;CUT-L02";yes\r\n'
    "E1002;Dian Sari;operator;CUT;CUT-L02|CUT-L01;\r\n"
    "E1003;Budi Santoso;SUPERVISOR;CUT;;\r\n"
)
ITEMS = "code;name;unit;max_quantity\r\nBTN-25-BLK;Buttons 25 mm, black;pack of 100;50\r\n"
WORK_ORDERS = (
    "number;mo_number;article;destination;department;line;route;target_qty;due\r\n"
    "WO-2027-000001;MO-2027-00001;TB-30-BRN;DE-Hamburg;CUT;CUT-L01;R2;600;31/01/2027\r\n"
    "WO-2027-000002;MO-2027-00001;TB-30-BRN;DE-Hamburg;CUT;CUT-L02;r2;400;2027-02-01\r\n"
)


@pytest.fixture
def empty_central(postgres_server: str) -> Iterator[CentralDatabase]:
    """A migrated central database with no site at all (no demo)."""
    with fresh_database(postgres_server) as url:
        engine = create_engine(sqlalchemy_url(url))
        migrate.upgrade(engine)
        yield CentralDatabase(url, engine)
        engine.dispose()


def _file(folder: Path, name: str, text: str, *, bom: bool = True) -> Path:
    path = folder / name
    path.write_bytes(((BOM if bom else "") + text).encode("utf-8"))
    return path


def _server_sync(central: CentralDatabase, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server_sync", "--database-url", central.url, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _import(central: CentralDatabase, kind: str, path: Path, **options: bool) -> tuple[int, str]:
    """The command's function in process: its exit code and everything it printed."""
    printed = io.StringIO()
    code = run_import(central.engine, kind, path, out=printed, err=printed, **options)
    return code, printed.getvalue()


def test_a_spreadsheets_files_import_and_a_second_import_changes_nothing(
    empty_central: CentralDatabase, tmp_path: Path
) -> None:
    files = [
        ("lines", _file(tmp_path, "lines.csv", LINES), 3),
        ("people", _file(tmp_path, "people.csv", PEOPLE), 3),
        ("items", _file(tmp_path, "items.csv", ITEMS, bom=False), 1),
        ("work-orders", _file(tmp_path, "work_orders.csv", WORK_ORDERS), 2),
    ]
    for kind, path, rows in files:
        done = _server_sync(empty_central, "import", kind, path)
        assert done.returncode == 0, done.stderr
        assert f"{rows} created" in done.stdout

    with empty_central.session() as session:
        lines = {line.code: line for line in session.scalars(select(Line))}
        assert lines["SEW-L01"].name == "Sewing; line 1"
        people = {user.employee_no: user for user in session.scalars(select(User))}
        for employee_no in ("E1001", "E1002"):
            assert {link.line_id for link in people[employee_no].lines} == {
                lines["CUT-L01"].id,
                lines["CUT-L02"].id,
            }
        assert people["E1003"].lines == []
        item = session.scalar(select(KanbanItem))
        assert item is not None
        assert (item.code, item.name, item.max_quantity) == (
            "BTN-25-BLK",
            "Buttons 25 mm, black",
            50,
        )
        orders = {order.number: order for order in session.scalars(select(WorkOrder))}
        first = orders["WO-2027-000001"]
        assert first.due_at is not None
        assert first.due_at.date().isoformat() == "2027-01-31"
        assert (first.target_qty, first.status) == (600, WorkOrderStatus.RELEASED)
        assert orders["WO-2027-000002"].route == "R2"

    high_water = feed_high_water(empty_central)
    audited = empty_central.count(CentralAuditEntry)
    for kind, path, rows in files:
        again = _server_sync(empty_central, "import", kind, path)
        assert again.returncode == 0, again.stderr
        assert f"nothing changed: {rows} rows already as in the file" in again.stdout
    assert feed_high_water(empty_central) == high_water
    assert empty_central.count(CentralAuditEntry) == audited


def test_a_bad_row_is_named_by_its_file_line_and_nothing_is_applied(
    empty_central: CentralDatabase, tmp_path: Path
) -> None:
    assert _import(empty_central, "lines", _file(tmp_path, "lines.csv", LINES))[0] == 0
    high_water = feed_high_water(empty_central)
    path = _file(
        tmp_path,
        "orders.csv",
        "number;mo_number;article;destination;department;line;route;target_qty;due\r\n"
        'WO-1;MO-1;"TB-30-BRN\r\nsecond line of a cell";DE;CUT;CUT-L01;R2;600;\r\n'
        "WO-2;MO-1;TB-30-BRN;DE;CUT;CUT-L09;R2;600;\r\n"
        "WO-3;MO-1;TB-30-BRN;DE;CUT;CUT-L01;R2;600;31/02/2027\r\n"
        "WO-4;MO-1;TB-30-BRN;DE;CUT;CUT-L01;R2;600;\r\n",
    )

    code, printed = _import(empty_central, "work-orders", path)

    assert code != 0
    assert "3 problems; nothing of the file was imported" in printed
    assert "line 2, article: article holds a control character" in printed
    assert "line 4, line: there is no line CUT-L09" in printed  # after a two-line cell
    assert "line 5, due: due must be a date" in printed
    assert empty_central.count(WorkOrder) == 0
    assert feed_high_water(empty_central) == high_water
    with empty_central.session() as session:
        refused = session.scalars(
            select(CentralAuditEntry).where(
                CentralAuditEntry.action == "integration.work_orders.refused"
            )
        ).one()
    assert refused.actor == "import:orders.csv"
    assert refused.details["problems"] == 3


def test_a_dry_run_says_what_would_change_and_applies_nothing(
    empty_central: CentralDatabase, tmp_path: Path
) -> None:
    path = _file(tmp_path, "lines.csv", LINES)

    done = _server_sync(empty_central, "import", "lines", path, "--dry-run")

    assert done.returncode == 0, done.stderr
    assert "would create 3, update 0" in done.stdout
    assert empty_central.count(Line) == 0
    assert feed_high_water(empty_central) == 0


def test_a_file_that_is_not_utf8_or_has_a_wrong_header_is_refused_clearly(
    empty_central: CentralDatabase, tmp_path: Path
) -> None:
    latin = tmp_path / "lines_latin1.csv"
    latin.write_bytes("code;department;name\r\nCUT-L01;CUT;Línea de corte\r\n".encode("latin-1"))
    done = _server_sync(empty_central, "import", "lines", latin)
    assert done.returncode != 0
    assert "lines_latin1.csv is not UTF-8: line 2 has the byte 0xED" in done.stderr
    assert "Traceback" not in done.stderr

    header = _file(tmp_path, "h.csv", "Code;Departement;Name\r\nCUT-L01;CUT;Line\r\n")
    code, printed = _import(empty_central, "lines", header)
    assert code != 0
    assert "line 1 (the header): there is no column 'Departement'" in printed
    assert "the column department is missing" in printed
    assert empty_central.count(Line) == 0
    with empty_central.session() as session:
        reasons = [
            entry.details["reason"]
            for entry in session.scalars(select(CentralAuditEntry).order_by(CentralAuditEntry.at))
        ]
    assert reasons == ["not_utf8", "header"]


def test_a_duplicate_names_the_line_it_repeats(
    empty_central: CentralDatabase, tmp_path: Path
) -> None:
    path = _file(tmp_path, "lines.csv", LINES + "cut-l01;CUT;Cutting line 1 again;\r\n")

    code, printed = _import(empty_central, "lines", path)

    assert code != 0
    assert "line 6, code: CUT-L01 is also in line 2 of this file" in printed
    assert empty_central.count(Line) == 0


def test_the_readme_templates_import_as_they_are(
    empty_central: CentralDatabase, tmp_path: Path
) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    templates = re.findall(r"`(\w+)\.csv`[^\n]*\n\n```csv\n(.*?)```", readme, re.DOTALL)
    assert [name for name, _ in templates] == ["lines", "people", "items", "work_orders"]
    for name, template in templates:
        code, printed = _import(
            empty_central, name.replace("_", "-"), _file(tmp_path, f"{name}.csv", template)
        )
        assert code == 0, printed
        assert "created" in printed


def test_many_problems_are_printed_up_to_a_limit_and_counted(
    empty_central: CentralDatabase, tmp_path: Path
) -> None:
    rows = "".join(f"L-{n};NOWHERE;Line {n};\r\n" for n in range(250))
    path = _file(tmp_path, "lines.csv", "code;department;name;active\r\n" + rows)

    code, printed = _import(empty_central, "lines", path)

    assert code != 0
    assert "250 problems; nothing of the file was imported" in printed
    assert "  line 2, department: department 'NOWHERE' is unknown" in printed
    assert "  line 201, department:" in printed
    assert "  line 202, department:" not in printed
    assert printed.rstrip().endswith("… and 50 more problems")
    assert empty_central.count(Line) == 0
