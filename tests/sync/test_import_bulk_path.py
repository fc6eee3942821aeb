"""An import's bulk writer (COPY of new rows, their feed rows and audit rows) leaves exactly
what the integration API leaves when the same rows come in small requests (plain INSERTs
and the feed's upsert statement): the same rows, the same feed, the same central audit.

Two empty central databases get the same site: one from CSV files (every kind over the
COPY threshold), the other over HTTP from an ERP, 20 rows a request. Ids and times are
each database's own, so rows are compared by their natural keys.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text

from kiosk.store.models import KanbanItem, Line, User, WorkOrder
from server_sync import migrate
from server_sync.bulk import COPY_FROM_ROWS
from server_sync.cli_import import run_import
from server_sync.csv_rows import parse_csv
from tests.helpers.central import CentralDatabase, ThreadServer
from tests.helpers.integration import Erp, make_key
from tests.helpers.postgres import fresh_database, sqlalchemy_url

REQUEST_ROWS = 20  # under COPY_FROM_ROWS: the API's small requests take the INSERT path
_DEPARTMENTS = ("CUT", "SEW", "FIN")


def _site() -> list[tuple[str, str]]:
    """(kind, CSV text) of a small site, each kind over the COPY threshold."""
    lines = [f"{_DEPARTMENTS[n % 3]}-L{n:02d}" for n in range(60)]
    people = [
        f"E{n};Person {n};OPERATOR;{line[:3]};{line}|{lines[(n + 3) % 60]};yes;{0xB000 + n:08X}"
        for n, line in enumerate(lines)
    ]
    people += ["S1;Sari;SUPERVISOR;SEW;;no;"]
    orders = [
        f"WO-{n:05d};MO-{n // 4};TB-{n % 7};DE;{lines[n % 60][:3]};{lines[n % 60]};R2;"
        f"{100 + n};{1 + n % 28:02d}/03/2027"
        for n in range(130)
    ]
    return [
        (
            "lines",
            "code;department;name;active\n"
            + "\n".join(f"{code};{code[:3]};Line {code};yes" for code in lines),
        ),
        ("people", "employee_no;name;role;department;lines;active;badge_uid\n" + "\n".join(people)),
        (
            "items",
            "code;name;unit;max_quantity\n"
            + "\n".join(f"ITEM-{n};Item {n};pcs;{10 + n}" for n in range(55)),
        ),
        (
            "work-orders",
            "number;mo_number;article;destination;department;line;route;target_qty;due\n"
            + "\n".join(orders),
        ),
    ]


@pytest.fixture
def two_empty_centrals(postgres_server: str) -> Iterator[tuple[CentralDatabase, CentralDatabase]]:
    with fresh_database(postgres_server) as first, fresh_database(postgres_server) as second:
        made = []
        for url in (first, second):
            engine = create_engine(sqlalchemy_url(url))
            migrate.upgrade(engine)
            made.append(CentralDatabase(url, engine))
        yield made[0], made[1]
        for central in made:
            central.engine.dispose()


def _natural_keys(central: CentralDatabase) -> dict[str, str]:
    """Each row id (as text) by the natural key that names it in both databases."""
    with central.session() as session:
        found = {str(line.id): f"line:{line.code}" for line in session.scalars(select(Line))}
        found |= {
            str(user.id): f"user:{user.employee_no}" for user in session.scalars(select(User))
        }
        found |= {
            str(order.id): f"wo:{order.number}" for order in session.scalars(select(WorkOrder))
        }
    return found


def _same_anywhere(value: Any, keys: dict[str, str], name: str = "") -> Any:
    """A value with ids replaced by natural keys, badge hashes (each site's key) as set,
    and no creation times."""
    if name.endswith("badge_hash"):
        return "set" if value else None
    if isinstance(value, dict):
        return {
            item: _same_anywhere(inner, keys, item)
            for item, inner in value.items()
            if item != "created_at"  # each import's own time
        }
    if isinstance(value, list | tuple):
        return sorted((_same_anywhere(inner, keys) for inner in value), key=repr)
    if isinstance(value, uuid.UUID):
        value = str(value)
    return keys.get(value, value) if isinstance(value, str) else value


def _everything(central: CentralDatabase) -> dict[str, Any]:
    """The site's rows, its feed and its central audit, in terms both databases share."""
    keys = _natural_keys(central)
    found: dict[str, Any] = {}
    with central.engine.connect() as connection:
        for table in ("line", "app_user", "user_line", "kanban_item", "work_order"):
            rows = connection.execute(text(f"SELECT * FROM {table}")).mappings().all()
            found[table] = sorted(
                (_same_anywhere(dict(row), keys) for row in rows),
                key=repr,
            )
        feed = connection.execute(
            text("SELECT entity, key, audience, data FROM change_feed WHERE entity <> 'site_key'")
        ).all()
        found["feed"] = sorted(
            (
                _same_anywhere([entity, key, sorted(audience), data], keys)
                for entity, key, audience, data in feed
            ),
            key=repr,
        )
        audit = connection.execute(
            text(
                "SELECT action, entity, entity_key, details FROM central_audit "
                "WHERE action LIKE 'integration.%'"
            )
        ).all()
        found["audit"] = sorted((_same_anywhere(list(row), keys) for row in audit), key=repr)
    return found


def test_the_import_and_the_api_leave_the_same_rows_feed_and_audit(
    two_empty_centrals: tuple[CentralDatabase, CentralDatabase], tmp_path: Path
) -> None:
    imported, posted = two_empty_centrals
    site = _site()
    for kind, csv_text in site:
        path = tmp_path / f"{kind}.csv"
        path.write_text(csv_text, encoding="utf-8")
        printed = io.StringIO()
        assert run_import(imported.engine, kind, path, out=printed, err=printed) == 0, (
            printed.getvalue()
        )
    server = ThreadServer(posted.url)
    server.start()
    try:
        erp = Erp(server.url, make_key(posted))
        for kind, csv_text in site:
            rows = parse_csv(csv_text.encode(), kind.replace("-", "_")).rows
            assert len(rows) >= COPY_FROM_ROWS  # the import took the COPY path
            for start in range(0, len(rows), REQUEST_ROWS):
                erp.send(kind, rows[start : start + REQUEST_ROWS])
    finally:
        server.stop()

    by_import, by_api = _everything(imported), _everything(posted)

    assert len(by_import["work_order"]) == 130
    assert len(by_import["feed"]) == 60 + 61 + 55 + 130
    assert len(by_import["audit"]) == 60 + 61 + 55 + 130
    for part in by_import:
        assert by_import[part] == by_api[part], part
    with imported.session() as session:
        assert (
            session.scalar(select(KanbanItem.max_quantity).where(KanbanItem.code == "ITEM-3")) == 13
        )
