"""The schema exists only through Alembic, and the models agree with it (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect

from kiosk.store import migrate
from kiosk.store.database import create_sqlite_engine
from kiosk.store.models import Base


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def _up_down_up(engine: Engine) -> None:
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert _differences(engine) == []
    migrate.downgrade(engine, "base")
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert tables == set()
    migrate.upgrade(engine)
    assert _differences(engine) == []


def test_models_and_migrations_agree_on_sqlite(tmp_path: Path) -> None:
    engine = create_sqlite_engine(tmp_path / "kiosk.sqlite3")
    try:
        _up_down_up(engine)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_models_and_migrations_agree_on_postgresql(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        _up_down_up(engine)
    finally:
        engine.dispose()


def test_upgrading_a_current_database_changes_nothing(tmp_path: Path) -> None:
    engine = create_sqlite_engine(tmp_path / "kiosk.sqlite3")
    try:
        migrate.upgrade(engine)
        before = (tmp_path / "kiosk.sqlite3").stat().st_mtime_ns
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        assert (tmp_path / "kiosk.sqlite3").stat().st_mtime_ns == before
    finally:
        engine.dispose()
