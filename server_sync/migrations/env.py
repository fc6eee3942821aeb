"""Alembic environment for the central database's own tables (PostgreSQL).

The shared domain tables come from `kiosk/migrations`, which `server_sync.migrate`
runs first; this chain keeps its own version table.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from server_sync.models import CentralBase

VERSION_TABLE = "alembic_version_central"

config = context.config
target_metadata = CentralBase.metadata


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table=VERSION_TABLE,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


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
