"""The server's settings: command line beats `SERVER_SYNC_<NAME>` beats the default."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import timedelta
from typing import Any

from kiosk.domain.floor_rules import FloorRules
from kiosk.domain.lockout import LockoutPolicy
from kiosk.domain.site_time import UnknownTimeZoneError, zone_named
from kiosk.domain.transfer import CountPolicy
from kiosk.domain.work_order import QuantityPolicy

ENV_PREFIX = "SERVER_SYNC_"


@dataclass(frozen=True)
class ServerSettings:
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8400
    workers: int = 1
    # With several workers, uvicorn's parent pings each; one silent this long (its start-up
    # included: importing the app takes seconds on a busy machine) is killed and replaced.
    worker_healthcheck_seconds: int = 30
    clock_tolerance_seconds: float = 300.0
    pool_size: int = 10
    # Requests each worker process runs at once (the rest wait their turn): more threads
    # than this only fight over Python's lock and hold database row locks longer.
    request_threads: int = 4
    log_level: str = "INFO"
    # A request body past this is refused (413) while it streams in, before it is read whole.
    max_body_bytes: int = 2 * 1024 * 1024
    # One pushed event's payload past this (as compact JSON) is answered `rejected`, not stored.
    max_event_payload_bytes: int = 16 * 1024
    # Wrong enrolment codes from one client address: this many within the window lock the
    # address out (429) for the lockout period, whatever code it sends.
    enrol_max_failures: int = 10
    enrol_window_seconds: float = 600.0
    enrol_lockout_seconds: float = 900.0
    # TLS: with both set, `serve` speaks HTTPS only (see server_sync/tls.py).
    certfile: str = ""
    keyfile: str = ""
    # The kiosks' value rules, enforced again on what they push (set them as on the kiosks).
    max_entry_quantity: int = QuantityPolicy.max_entry
    overrun_tolerance_percent: float = QuantityPolicy.overrun_tolerance_percent
    max_batch_quantity: int = CountPolicy.max_batch
    pin_lockout_minutes: float = LockoutPolicy.lock_duration.total_seconds() / 60

    def floor_rules(self) -> FloorRules:
        return FloorRules(
            quantities=QuantityPolicy(self.overrun_tolerance_percent, self.max_entry_quantity),
            counts=CountPolicy(self.max_batch_quantity),
            lockout=LockoutPolicy(lock_duration=timedelta(minutes=self.pin_lockout_minutes)),
            clock_slack=timedelta(seconds=self.clock_tolerance_seconds),
        )

    # Slips printed longer ago are refused (the kiosks' `slip_max_age_days`, mirrored).
    slip_max_age_days: float = 7.0
    # The IANA zone the site's screens and paper show times in (stored times stay UTC);
    # `serve` stores it and the change feed carries it to every kiosk. Empty: keep the stored.
    site_time_zone: str = ""

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
    if bool(settings.certfile) != bool(settings.keyfile):
        raise ServerSettingsError(
            "TLS needs both a certificate and its key: give --certfile and --keyfile "
            f"(or {ENV_PREFIX}CERTFILE and {ENV_PREFIX}KEYFILE), or neither"
        )
    try:
        zone_named(settings.site_time_zone)
    except UnknownTimeZoneError:
        raise ServerSettingsError(
            f"site_time_zone: {settings.site_time_zone!r} is not a time zone name; "
            "give an IANA name such as Asia/Jakarta"
        ) from None
    if not settings.database_url:
        raise ServerSettingsError(
            f"no database: give --database-url or set {ENV_PREFIX}DATABASE_URL "
            "(e.g. postgresql://postgres@127.0.0.1:5432/linekiosk)"
        )
    return settings
