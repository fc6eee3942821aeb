"""Bring a database to the newest schema with Alembic; the program calls this at start."""

from __future__ import annotations

import logging
from importlib.resources import files
from pathlib import Path

from sqlalchemy import Engine, inspect, text

log = logging.getLogger(__name__)


def migrations_dir() -> Path:
    """`kiosk/migrations`, package data: the same path in a checkout, a wheel and a frozen build."""
    return Path(str(files("kiosk") / "migrations"))


def _alembic_config(engine: Engine) -> object:
    from alembic.config import Config  # noqa: PLC0415  (Alembic is only needed when upgrading)

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    script = ScriptDirectory(str(migrations_dir()))
    head = script.get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {migrations_dir()}")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])


def upgrade(engine: Engine) -> None:
    """Upgrade to head; a no-op (and cheap) when the database is already current."""
    from alembic import command  # noqa: PLC0415

    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    log.info("upgrading database schema from %s to %s", current, head)
    command.upgrade(_alembic_config(engine), "head")  # type: ignore[arg-type]


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command  # noqa: PLC0415

    command.downgrade(_alembic_config(engine), revision)  # type: ignore[arg-type]
