"""Alembic environment for the kiosk's local database (SQLite; PostgreSQL in tests)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from kiosk.store.models import Base

config = context.config
target_metadata = Base.metadata


def _configure_and_run(connection: Connection) -> None:
    is_sqlite = connection.dialect.name == "sqlite"
    if is_sqlite:
        # Batch migrations rebuild tables; with foreign keys on, ON DELETE CASCADE
        # would silently delete child rows (PLATFORM pitfall 8). The pragma only
        # works outside a transaction, so it goes to the driver connection directly.
        _sqlite_pragma(connection, "PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=is_sqlite,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    if is_sqlite:
        _sqlite_pragma(connection, "PRAGMA foreign_keys=ON")
        violations = _sqlite_pragma(connection, "PRAGMA foreign_key_check")
        if violations:
            raise RuntimeError(f"migration left foreign-key violations: {violations[:5]}")


def _sqlite_pragma(connection: Connection, statement: str) -> list[tuple[object, ...]]:
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(statement)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("set sqlalchemy.url (alembic -x) or pass an engine")
        engine = create_engine(url)
    with engine.connect() as connection:
        _configure_and_run(connection)


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
