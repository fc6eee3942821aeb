"""The server's settings: command line beats `SERVER_SYNC_<NAME>` beats the default."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

ENV_PREFIX = "SERVER_SYNC_"


@dataclass(frozen=True)
class ServerSettings:
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8400
    workers: int = 1
    clock_tolerance_seconds: float = 300.0
    pool_size: int = 10
    # Requests each worker process runs at once (the rest wait their turn): more threads
    # than this only fight over Python's lock and hold database row locks longer.
    request_threads: int = 4
    log_level: str = "INFO"
    # Slips printed longer ago are refused (the kiosks' `slip_max_age_days`, mirrored).
    slip_max_age_days: float = 7.0

    @property
    def sqlalchemy_url(self) -> str:
        """psycopg 3 through SQLAlchemy, whatever form the URL was given in."""
        url = self.database_url
        for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url


class ServerSettingsError(Exception):
    pass


def load_server_settings(
    command_line: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> ServerSettings:
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for item in fields(ServerSettings):
        raw = (command_line or {}).get(item.name)
        if raw is None:
            raw = environ.get(f"{ENV_PREFIX}{item.name.upper()}")
        if raw is None:
            continue
        try:
            values[item.name] = {"int": int, "float": float}.get(str(item.type), str)(raw)
        except ValueError:
            raise ServerSettingsError(f"{item.name}: {raw!r} is not valid") from None
    settings = ServerSettings(**values)
    if not settings.database_url:
        raise ServerSettingsError(
            f"no database: give --database-url or set {ENV_PREFIX}DATABASE_URL "
            "(e.g. postgresql://postgres@127.0.0.1:5432/linekiosk)"
        )
    return settings
