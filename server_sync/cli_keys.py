"""`server-sync keys ...`: the badge-hash key's id and its rotation (see server_sync.badge_keys)."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.orm import Session

from server_sync import badge_keys


def add_key_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = commands.add_parser("keys", help="the site's badge-hash key: show, rotate")
    actions = keys.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    actions.add_parser("show", help="print the ids of the current and the previous badge key")
    actions.add_parser(
        "rotate-badge",
        help="a new badge key; the old one stays for a grace period (badges re-hash on a tap)",
    )
    actions.add_parser(
        "finish-badge-rotation",
        help="withdraw the previous badge key (badges not tapped since must be bound again)",
    )


def run_key_command(args: argparse.Namespace, session: Session) -> int:
    action = args.key_command
    if action == "show":
        current, previous = badge_keys.key_ids(session)
        print(f"badge key: {current or 'none'}")
        print(f"previous badge key: {previous or 'none'}")
        return 0
    if action == "rotate-badge":
        try:
            new_id, old_id = badge_keys.rotate(session)
        except badge_keys.RotationError as error:
            print(f"server-sync: {error}", file=sys.stderr)
            return 2
        session.commit()
        print(
            f"server-sync: badge key {new_id} is current; {old_id} stays until "
            "`server-sync keys finish-badge-rotation`. Kiosks take the new key on their next "
            "pull and re-hash each badge at its next tap."
        )
        return 0
    withdrawn = badge_keys.finish_rotation(session)
    session.commit()
    if withdrawn is None:
        print("server-sync: no badge-key rotation to finish")
    else:
        print(f"server-sync: badge key {withdrawn} withdrawn from the server and every kiosk")
    return 0
