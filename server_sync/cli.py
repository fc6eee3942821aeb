"""The `server-sync` command: serve, migrate, seed the demo, enrolment and PIN codes, devices,
integration keys, import, export."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from server_sync import audit_admin, devices, first_pin, metrics, migrate
from server_sync.cli_api_keys import add_api_key_commands, run_api_key_command
from server_sync.cli_import import add_import_command, run_import_command
from server_sync.cli_keys import add_key_commands, run_key_command
from server_sync.feed import start_new_epoch
from server_sync.models import Device
from server_sync.results_export import add_export_command, run_export
from server_sync.settings import (
    ENV_PREFIX,
    ServerSettings,
    ServerSettingsError,
    load_server_settings,
)
from server_sync.site import apply_time_zone, seed_demo
from server_sync.tls import CertificateError, check_certificate_pair, make_self_signed


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="server-sync", description="Line kiosk's central sync service (PostgreSQL)."
    )
    parser.add_argument("--database-url", help=f"PostgreSQL URL (or {ENV_PREFIX}DATABASE_URL)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser("serve", help="migrate the database and serve (the default)")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default 8400)")
    serve.add_argument("--workers", type=int, help="processes (default 1)")
    serve.add_argument(
        "--demo", action="store_true", help="seed the kiosk demo's site when the database is empty"
    )
    serve.add_argument(
        "--site-time-zone",
        help=f"IANA zone of the site's times, e.g. Asia/Jakarta (or {ENV_PREFIX}SITE_TIME_ZONE)",
    )
    serve.add_argument(
        "--certfile",
        help=f"TLS certificate (PEM); with --keyfile: HTTPS only (or {ENV_PREFIX}CERTFILE)",
    )
    serve.add_argument(
        "--keyfile", help=f"the certificate's private key (PEM; or {ENV_PREFIX}KEYFILE)"
    )
    cert = commands.add_parser(
        "make-cert", help="make a key and a self-signed certificate for this server (TLS)"
    )
    cert.add_argument(
        "names", nargs="+", metavar="NAME", help="host names and IP addresses kiosks use"
    )
    cert.add_argument("--certfile", required=True, type=Path, help="where the certificate goes")
    cert.add_argument("--keyfile", required=True, type=Path, help="where the key goes (mode 0600)")
    cert.add_argument("--days", type=int, default=825, help="valid for this many days")
    commands.add_parser("migrate", help="bring the database to the newest schema")
    commands.add_parser("seed-demo", help="seed the kiosk demo's site into an empty database")
    code = commands.add_parser("enrol-code", help="print a one-time enrolment code")
    where = code.add_mutually_exclusive_group(required=True)
    where.add_argument("--line", help="for the kiosk of this line, e.g. SEW-L03")
    where.add_argument("--department", help="for a supervisor's desktop of this department")
    pin_code = commands.add_parser(
        "pin-code", help="print a one-time code for a person's first PIN (shown once)"
    )
    pin_code.add_argument("employee_no", metavar="EMPLOYEE_NO", help="whose first PIN, e.g. E2001")
    commands.add_parser("devices", help="list enrolled devices")
    revoke = commands.add_parser("revoke", help="refuse a device's token from now on")
    revoke.add_argument("device_id", help="the device's id (see `devices`)")
    audit = commands.add_parser(
        "audit", help="decide on a device whose audit chain broke: its events are held"
    )
    audit.add_argument("decision", choices=["accept", "reject"], help="apply or reject them")
    audit.add_argument("device_id", help="the device's id (see `devices` and the P1 alert)")
    feed = commands.add_parser("feed", help="the change feed the kiosks pull")
    feed_commands = feed.add_subparsers(dest="feed_command", metavar="ACTION", required=True)
    feed_commands.add_parser(
        "reset",
        help="after restoring the database from a backup: every kiosk pulls everything again",
    )
    commands.add_parser("reset-feed", help="the same as `feed reset` (older name)")
    add_key_commands(commands)
    add_api_key_commands(commands)
    add_export_command(commands)
    add_import_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "serve"
    if command == "make-cert":
        return _make_cert(args)
    options: dict[str, Any] = {"database_url": args.database_url}
    if command == "serve":
        options.update(
            host=getattr(args, "host", None),
            port=getattr(args, "port", None),
            workers=getattr(args, "workers", None),
            certfile=getattr(args, "certfile", None),
            keyfile=getattr(args, "keyfile", None),
            site_time_zone=getattr(args, "site_time_zone", None),
        )
    try:
        settings = load_server_settings(options)
    except ServerSettingsError as error:
        print(f"server-sync: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level if command == "serve" else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if command == "serve" and settings.certfile:
        try:
            fingerprint = check_certificate_pair(Path(settings.certfile), Path(settings.keyfile))
        except CertificateError as error:
            print(f"server-sync: {error}", file=sys.stderr)
            return 2
        # Admins compare this with what `kiosk enrol` shows before they trust it.
        print(f"server-sync: HTTPS, certificate SHA-256 {fingerprint}", flush=True)
    engine = create_engine(settings.sqlalchemy_url)
    try:
        migrate.upgrade(engine)
        if command == "serve":
            if getattr(args, "demo", False) and seed_demo(engine):
                print("server-sync: demo site seeded", flush=True)
            if settings.site_time_zone and apply_time_zone(engine, settings.site_time_zone):
                print(f"server-sync: site time zone {settings.site_time_zone}", flush=True)
            engine.dispose()
            return _serve(settings)
        if command == "export":
            with Session(engine) as session:
                return run_export(args, session)
        return _run(command, args, engine)
    finally:
        engine.dispose()


def _run(command: str, args: argparse.Namespace, engine: Engine) -> int:
    now = datetime.now(UTC)
    if command in ("pin-code", "import"):
        return (
            _pin_code(engine, args.employee_no)
            if command == "pin-code"
            else run_import_command(args, engine)
        )
    with Session(engine) as session:
        if command == "api-key":
            return run_api_key_command(args, session, now)
        if command == "keys":
            return run_key_command(args, session)
        if command in ("enrol-code", "devices", "revoke"):
            return _device_command(command, args, session, now)
        if command == "audit":
            return _audit_decision(args, engine, session, now)
        if command == "migrate":
            print("server-sync: database is at the newest schema")
        elif command == "seed-demo":
            print(
                "server-sync: demo site seeded"
                if seed_demo(engine)
                else "server-sync: the database already has a site; nothing changed"
            )
        elif command == "reset-feed" or (command == "feed" and args.feed_command == "reset"):
            epoch = start_new_epoch(session)
            session.commit()
            print(f"server-sync: new feed epoch {epoch}; kiosks will pull everything again")
    return 0


def _device_command(command: str, args: argparse.Namespace, session: Session, now: datetime) -> int:
    """`enrol-code`, `devices` and `revoke`: the site's kiosks and desktops."""
    if command == "enrol-code":
        try:
            code = devices.create_code(
                session, now, line_code=args.line, department=args.department
            )
        except devices.EnrolmentError as error:
            print(f"server-sync: {error}", file=sys.stderr)
            return 2
        session.commit()
        print(f"{code[:4]}-{code[4:8]}-{code[8:]}")
    elif command == "devices":
        for device in session.scalars(select(Device).order_by(Device.enrolled_at)):
            state = "revoked" if device.revoked_at else "active"
            where = device.line_code or f"{device.department} desktop"
            print(f"{device.id}\t{where}\t{device.name}\t{state}\tlast seen {device.last_seen_at}")
    else:
        try:
            device_id = uuid.UUID(args.device_id)
        except ValueError:
            print("server-sync: that is not a device id", file=sys.stderr)
            return 2
        if not devices.revoke(session, device_id, now):
            print("server-sync: no such active device", file=sys.stderr)
            return 1
        session.commit()
        print(f"server-sync: device {device_id} revoked")
    return 0


def _pin_code(engine: Engine, employee_no: str) -> int:
    """Print a setup code once: only its hash is kept, so it cannot be shown again."""
    with Session(engine) as session:
        try:
            code, expires_at = first_pin.create_setup_code(
                session, datetime.now(UTC), employee_no, created_by="server-sync pin-code"
            )
        except first_pin.SetupCodeError as error:
            print(f"server-sync: {error}", file=sys.stderr)
            return 2
        session.commit()
    print(f"{code[:4]}-{code[4:]}")
    print(
        f"server-sync: one use, until {expires_at:%Y-%m-%d %H:%M} UTC; the person types it at a "
        'kiosk ("I have a setup code") and then chooses their PIN',
        file=sys.stderr,
    )
    return 0


def _make_cert(args: argparse.Namespace) -> int:
    try:
        fingerprint = make_self_signed(args.certfile, args.keyfile, args.names, days=args.days)
    except (CertificateError, OSError, ValueError) as error:
        print(f"server-sync: {error}", file=sys.stderr)
        return 2
    print(f"server-sync: certificate {args.certfile}, key {args.keyfile}")
    print(f"SHA-256 fingerprint: {fingerprint}")
    return 0


def _audit_decision(
    args: argparse.Namespace, engine: Engine, session: Session, now: datetime
) -> int:
    try:
        device_id = uuid.UUID(args.device_id)
    except ValueError:
        print("server-sync: that is not a device id", file=sys.stderr)
        return 2
    try:
        if args.decision == "reject":
            decision = audit_admin.reject(session, device_id, now)
            session.commit()
        else:
            decision = audit_admin.accept(sessionmaker(engine), device_id, now)
    except audit_admin.NoHoldError as error:
        print(f"server-sync: {error}", file=sys.stderr)
        return 1
    print(
        f"server-sync: device {device_id}: held events {decision.decision} "
        f"({decision.events}); its audit chain is anchored again at its next sync"
    )
    return 0


def _serve(settings: ServerSettings) -> int:
    import uvicorn

    os.environ[f"{ENV_PREFIX}DATABASE_URL"] = settings.database_url
    tls: dict[str, Any] = {}
    if settings.certfile:
        tls = {"ssl_certfile": settings.certfile, "ssl_keyfile": settings.keyfile}
    with _worker_metrics(settings.workers):
        uvicorn.run(
            "server_sync.app:app_from_environment",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            timeout_worker_healthcheck=settings.worker_healthcheck_seconds,
            log_level=settings.log_level.lower(),
            access_log=False,
            **tls,
        )
    return 0


@contextmanager
def _worker_metrics(workers: int) -> Iterator[None]:
    """Several workers: each keeps its counts in a shared folder that `/metrics` sums.

    The folder is PROMETHEUS_MULTIPROC_DIR when the site set it (emptied now: its files
    are a past run's counts), else a folder of this run's own, removed at the end. It is
    set before the workers start: prometheus_client reads it when a worker imports it.
    """
    given = metrics.multiprocess_dir()
    if given is None and workers <= 1:
        yield  # one process: its own registry counts everything
        return
    folder = Path(given) if given else Path(tempfile.mkdtemp(prefix="server-sync-metrics-"))
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ[metrics.MULTIPROCESS_DIR_VARIABLE] = str(folder)
    try:
        yield
    finally:
        if not given:
            shutil.rmtree(folder, ignore_errors=True)
