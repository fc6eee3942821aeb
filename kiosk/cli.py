"""The `kiosk` command: run the kiosk (or the demo), smoke-test it, verify the audit log,
or decode barcode images."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.build_info import build_label
from kiosk.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from kiosk.store.database import Database


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Line kiosk: the touchscreen program at a production line.",
    )
    parser.add_argument("--version", action="version", version=f"kiosk {build_label()}")
    parser.add_argument(
        "--demo", action="store_true", help="run on the demo site (created on first use)"
    )
    parser.add_argument("--reset", action="store_true", help="with --demo: start the demo over")
    parser.add_argument(
        "--smoke", action="store_true", help="show the login screen off-screen, exit"
    )
    parser.add_argument(
        "--desktop",
        action="store_true",
        help="a supervisor's office PC: windowed, the department's lines (enrolled as a desktop)",
    )
    _add_setting_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    audit = commands.add_parser("audit", help="audit log tools")
    audit_commands = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_commands.add_parser(
        "verify", help="check the audit log's hash chain; exit 1 at the first broken row"
    )
    verify.add_argument("--demo", action="store_true", help="verify the demo site's database")
    verify.add_argument("--database", type=Path, help="the SQLite file to verify")
    _add_setting_options(verify, suppress=True)
    decode = commands.add_parser(
        "decode", help="print path<TAB>symbology<TAB>text per code found; exit 1 if none"
    )
    decode.add_argument("images", nargs="+", metavar="IMAGE", help="image files to decode")
    _add_setting_options(decode, suppress=True)
    enrol = commands.add_parser(
        "enrol", help="join the central server with a one-time code from an admin"
    )
    enrol.add_argument("code", help="the code (server-sync enrol-code), e.g. 1234-5678-9012")
    enrol.add_argument("--name", help="this kiosk's name on the server (default: host name)")
    enrol.add_argument(
        "--server-fingerprint",
        help="the SHA-256 server-sync serve printed: enrol only if the server presents it",
    )
    _add_setting_options(enrol, suppress=True)
    return parser


def _add_setting_options(parser: argparse.ArgumentParser, suppress: bool = False) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--line", default=default, help="code of this kiosk's line, e.g. SEW-L03")
    parser.add_argument("--data-dir", type=Path, default=default, help="folder of the database")
    parser.add_argument("--config", type=Path, default=default, help="settings file (TOML)")
    parser.add_argument(
        "--server-url",
        default=default,
        help="the central server, e.g. https://sync.lan:8400 (http:// only to this computer)",
    )
    parser.add_argument(
        "--windowed",
        action="store_const",
        const=True,
        default=default,
        help="run in a window, not full screen",
    )


def main(argv: list[str] | None = None) -> int:
    # Everything the kiosk writes (database, logs, slips, keys) is for its own account only.
    os.umask(0o077)
    args = build_parser().parse_args(argv)
    if args.command == "decode":
        from kiosk.decode_command import run_decode  # OpenCV only for this command

        return run_decode(args.images, sys.stdout, sys.stderr)
    try:
        settings = load_settings(
            command_line={
                "line": getattr(args, "line", None),
                "data_dir": getattr(args, "data_dir", None),
                "windowed": getattr(args, "windowed", None),
                "server_url": getattr(args, "server_url", None),
            },
            config_file=getattr(args, "config", None),
            demo=bool(getattr(args, "demo", False)),
        )
    except SettingsError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 2
    if args.command == "audit":
        return _audit_verify(settings, demo=args.demo, database=args.database)
    if args.command == "enrol":
        return _enrol(settings, args.code, args.name, args.server_fingerprint)
    return _run_program(settings, args)


def _run_program(settings: Settings, args: argparse.Namespace) -> int:
    """The kiosk itself (the demo, a line's kiosk, a supervisor's desktop, or the smoke test)."""
    if args.reset and not args.demo:
        print("kiosk: --reset only applies to --demo", file=sys.stderr)
        return 2
    if args.desktop and (args.demo or args.smoke):
        print("kiosk: --desktop runs an enrolled desktop, not the demo", file=sys.stderr)
        return 2
    from kiosk.app import run_kiosk  # Qt is loaded only to run the kiosk
    from kiosk.app_binding import StartupError

    try:
        return run_kiosk(
            settings, demo=args.demo, reset=args.reset, smoke=args.smoke, desktop=args.desktop
        )
    except StartupError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 2


def _audit_verify(settings: Settings, *, demo: bool, database: Path | None) -> int:
    from kiosk.demo import demo_database_path
    from kiosk.services.audit_log import verify_audit_log
    from kiosk.store.database import DATABASE_FILE_NAME, open_database

    if database is not None:
        path = database
    elif demo:
        path = demo_database_path(settings.data_dir)
    else:
        path = settings.data_dir / DATABASE_FILE_NAME
    if not path.is_file():
        print(f"kiosk: no database at {path}", file=sys.stderr)
        return 2
    db = open_database(path)
    try:
        report = verify_audit_log(db)
        anchored = _anchored_through(db)
    finally:
        db.dispose()
    if report.problem is None:
        print(f"audit log intact: {report.rows_checked} rows checked ({path})")
        if anchored:
            # A chain re-hashed on this disk verifies here too: the server's anchor is the proof.
            print(f"rows 1-{anchored} are anchored on the server; later rows at the next sync")
        return 0
    problem = report.problem
    print(
        f"audit log BROKEN at row {problem.seq}: {problem.kind.value} - {problem.detail} ({path})"
    )
    return 1


def _anchored_through(database: Database) -> int:
    """How far the server holds this kiosk's audit chain (0: not enrolled, or not yet)."""
    from kiosk.store.models import SyncState

    with database.reader() as session:
        state = session.get(SyncState, 1)
        return 0 if state is None or state.device_id is None else state.audit_anchored_seq


def _enrol(settings: Settings, code: str, name: str | None, fingerprint: str | None) -> int:
    """Exchange the code for this kiosk's token; the first start then downloads its line.

    Over https without a CA file the server's certificate is pinned: its SHA-256 is printed
    for the admin to compare with the one `server-sync serve` printed.
    """
    from kiosk.app import secret_store_for
    from kiosk.domain.clock import SystemClock
    from kiosk.store import migrate
    from kiosk.store.database import DATABASE_FILE_NAME, open_database
    from kiosk.store.secrets import SecretStoreError
    from kiosk.sync.enrolment import EnrolmentRefusedError, enrol_kiosk, enrolment_client
    from kiosk.sync.trust import parse_fingerprint

    if not settings.server_url:
        print("kiosk: give --server-url (or set server_url) to enrol", file=sys.stderr)
        return 2
    try:
        expected = None if fingerprint is None else parse_fingerprint(fingerprint)
        client = enrolment_client(
            settings.server_url,
            ca_file=settings.server_ca_path,
            expected_fingerprint=expected,
            timeout_seconds=settings.sync_timeout_seconds,
        )
    except (ValueError, EnrolmentRefusedError) as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 1
    path = settings.data_dir / DATABASE_FILE_NAME
    secrets = secret_store_for(settings, path, demo=False)  # before the database is made
    database = open_database(path)
    try:
        migrate.upgrade(database.engine)
        enrolled = enrol_kiosk(
            database,
            path,
            secrets=secrets,
            client=client,
            code=code,
            clock=SystemClock(),
            name=name,
        )
    except (EnrolmentRefusedError, SecretStoreError) as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 1
    finally:
        client.close()
        database.dispose()
    where = enrolled.line_code or f"the {enrolled.department.value} desktop"
    start = "kiosk --desktop" if enrolled.line_code is None else "kiosk"
    print(f"Enrolled with {settings.server_url} for {where} (site {enrolled.site_code}).")
    if enrolled.server_fingerprint is not None:
        print(f"Server certificate pinned, SHA-256 {enrolled.server_fingerprint}")
        print("Compare it with the one server-sync serve printed; if they differ, revoke this")
        print("device (server-sync revoke) and find out who is between the kiosk and the server.")
    elif settings.server_ca_path is not None:
        print(f"Server certificate verified against {settings.server_ca_path}.")
    print(f"Start it with: {start} --data-dir {settings.data_dir}")
    return 0
