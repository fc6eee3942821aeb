"""`server-sync api-key create|list|revoke`: the keys the ERP calls the integration API with."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from sqlalchemy.orm import Session

from server_sync import api_keys
from server_sync.central_audit import record

_CLI_ACTOR = "cli"


def add_api_key_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = commands.add_parser("api-key", help="integration API keys for the ERP: create, list")
    actions = keys.add_subparsers(dest="api_key_command", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="make a key and print it (once: it is not kept)")
    create.add_argument("name", help="what the key is for, e.g. erp-prod")
    actions.add_parser("list", help="every key: created, last use, uses, revoked")
    revoke = actions.add_parser("revoke", help="refuse a key from now on (its history stays)")
    revoke.add_argument("name", help="the key's name (see `api-key list`)")


def run_api_key_command(args: argparse.Namespace, session: Session, now: datetime) -> int:
    action = args.api_key_command
    if action == "list":
        print("name\tcreated\tlast use\tuses\trevoked")
        for key in api_keys.listing(session):
            print(
                f"{key.name}\t{key.created_at:%Y-%m-%d %H:%M}\t"
                f"{'never' if key.last_used_at is None else f'{key.last_used_at:%Y-%m-%d %H:%M}'}"
                f"\t{key.use_count}\t"
                f"{'no' if key.revoked_at is None else f'{key.revoked_at:%Y-%m-%d %H:%M}'}"
            )
        return 0
    try:
        if action == "create":
            made = api_keys.create(session, args.name, now)
            record(session, now, _CLI_ACTOR, "api_key.create", "integration_key", args.name, {})
            session.commit()
            print(made)
            print(
                f"server-sync: key {args.name} created. It is shown only now: give it to the "
                "ERP (header `Authorization: Bearer KEY`)",
                file=sys.stderr,
            )
            return 0
        if not api_keys.revoke(session, args.name, now):
            print(f"server-sync: key {args.name} was revoked already")
            return 0
        record(session, now, _CLI_ACTOR, "api_key.revoke", "integration_key", args.name, {})
        session.commit()
    except api_keys.ApiKeyError as error:
        print(f"server-sync: {error}", file=sys.stderr)
        return 2
    print(f"server-sync: key {args.name} revoked; calls with it are refused from now on")
    return 0
