"""The central schema: the kiosk's domain tables, then the central tables, both by Alembic."""

from __future__ import annotations

import logging
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from kiosk.store import migrate as domain_migrations

log = logging.getLogger(__name__)

VERSION_TABLE = "alembic_version_central"

# The key of the PostgreSQL advisory lock held while the schema is upgraded: every host and
# worker of one site uses the same database, so the same fixed key serialises them.
# (The bytes of "lkmigrat" as a signed 64-bit integer: unlikely to meet another program's.)
MIGRATION_LOCK_KEY = int.from_bytes(b"lkmigrat", "big", signed=True)


def central_migrations_dir() -> Path:
    """`server_sync/migrations`, package data (`pip install .[server]` carries it)."""
    return Path(str(files("server_sync") / "migrations"))


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(central_migrations_dir()))
    config.attributes["engine"] = engine
    return config


def central_head() -> str | None:
    return ScriptDirectory(str(central_migrations_dir())).get_current_head()


def central_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()


def is_current(engine: Engine) -> bool:
    return (
        domain_migrations.current_revision(engine) == domain_migrations.head_revision()
        and central_revision(engine) == central_head()
    )


def upgrade(engine: Engine) -> None:
    """Bring the central database to the newest schema; cheap when it is current.

    Several hosts (or `serve` and a `migrate`) starting together on a fresh or older
    database would each create the same tables and all but one would fail: the upgrade
    runs under a session-level advisory lock, and whoever waited for it finds the schema
    current and does nothing."""
    if is_current(engine):
        return
    # Autocommit: the holder keeps no transaction open that the migrations would wait on.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as holder:
        holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        try:
            if is_current(engine):
                log.info("the central schema was upgraded by another process")
                return
            log.info("upgrading the central schema")
            domain_migrations.upgrade(engine)
            command.upgrade(_config(engine), "head")
        finally:
            # A session-level lock outlives the transaction: let go of it before the
            # connection returns to the pool (a process that dies lets go by closing it).
            holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})


def downgrade_all(engine: Engine) -> None:
    command.downgrade(_config(engine), "base")
    domain_migrations.downgrade(engine, "base")
