"""The central schema: the kiosk's domain tables, then the central tables, both by Alembic."""

from __future__ import annotations

import logging
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from kiosk.store import migrate as domain_migrations

log = logging.getLogger(__name__)

VERSION_TABLE = "alembic_version_central"


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
    """Bring the central database to the newest schema; cheap when it is current."""
    if is_current(engine):
        return
    log.info("upgrading the central schema")
    domain_migrations.upgrade(engine)
    command.upgrade(_config(engine), "head")


def downgrade_all(engine: Engine) -> None:
    command.downgrade(_config(engine), "base")
    domain_migrations.downgrade(engine, "base")
