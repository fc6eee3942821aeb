"""`server-sync import lines|people|items|work-orders FILE`: a site without an API sends CSV.

The same rules and the same all-or-nothing answer as the integration API (the same
`plan_*`/`apply_*` through `server_sync.upserts`): the whole file is one transaction;
with any problem nothing is applied, each problem is printed with its file line, and the
refusal is audited. The audit names the file (`import:NAME`) where the API names its key.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server_sync.csv_rows import CsvFileError, CsvRows, read_csv
from server_sync.site_rows import MAX_PROBLEMS, Plan
from server_sync.upserts import KINDS, refusal_audited, upsert

IMPORT_KINDS = {
    "lines": "lines",
    "people": "people",
    "items": "items",
    "work-orders": "work_orders",
}
EXIT_REFUSED = 1  # rows broke a rule (or another writer got in between): nothing applied
EXIT_FILE = 2  # the file itself could not be read as that kind's rows


def add_import_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "import",
        help="lines, people, items or work orders from a CSV file (all of it, or nothing)",
    )
    command.add_argument("kind", choices=list(IMPORT_KINDS), help="what the file holds")
    command.add_argument("file", type=Path, metavar="FILE", help="a CSV file (UTF-8; , or ;)")
    command.add_argument(
        "--dry-run", action="store_true", help="check the file and say what would change"
    )


def run_import_command(args: argparse.Namespace, engine: Engine) -> int:
    return run_import(engine, args.kind, args.file, dry_run=args.dry_run)


def actor_of(path: Path) -> str:
    """How the central audit names an import: by its file, as the API names its key."""
    return f"import:{path.name}"


def run_import(
    engine: Engine,
    kind: str,
    path: Path,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Import one file; the command's exit code (0 imported or nothing to change)."""
    out = out or sys.stdout
    err = err or sys.stderr
    kind = IMPORT_KINDS.get(kind, kind)
    now = now or datetime.now(UTC)
    actor = actor_of(path)
    with Session(engine) as session:
        try:
            found = read_csv(path, kind)
        except CsvFileError as error:
            for message in error.messages:
                print(f"server-sync: {message}", file=err)
            print(f"server-sync: nothing of {path.name} was imported.", file=err)
            refusal_audited(
                session,
                now,
                actor,
                kind,
                {"file": path.name, "reason": error.reason, "dry_run": dry_run},
            )
            return EXIT_FILE
        base, _ = KINDS[kind]

        def planner(session: Session, rows: Sequence[Any], *, lock: bool = False) -> Plan:
            plan = base(session, rows, lock=lock)
            if found.problems:
                plan.problems = sorted([*found.problems, *plan.problems], key=lambda p: p.index)
            return plan

        try:
            done = upsert(
                session,
                kind,
                found.rows,
                actor=actor,
                dry_run=dry_run,
                now=now,
                planner=planner,
                applier=KINDS[kind][1],
                audit_details={"file": path.name},
            )
        except IntegrityError:
            print(
                f"server-sync: another change wrote the same {kind.replace('_', ' ')} while "
                f"{path.name} was imported: nothing was imported. Import it again.",
                file=err,
            )
            return EXIT_REFUSED
    plan = done.plan
    if done.refused:
        _print_problems(found, plan, path, err)
        return EXIT_REFUSED
    rows = len(found.rows)
    what = kind.replace("_", " ")
    if not found.rows:
        print(f"server-sync: {path.name} has no rows under its header: nothing changed", file=out)
    elif done.changed == 0:
        print(f"server-sync: nothing changed: {rows} rows already as in the file", file=out)
    elif dry_run:
        print(
            f"server-sync: dry run of {path.name} ({rows} {what}): would create {plan.created}, "
            f"update {plan.updated}; {plan.unchanged} unchanged. Nothing was applied.",
            file=out,
        )
    else:
        print(
            f"server-sync: {path.name} imported ({rows} {what}): {plan.created} created, "
            f"{plan.updated} updated, {plan.unchanged} unchanged",
            file=out,
        )
    return 0


def _print_problems(found: CsvRows, plan: Plan, path: Path, err: TextIO) -> None:
    problems = sorted(plan.problems, key=lambda problem: found.line_of(problem.index))
    print(
        f"server-sync: {path.name}: {len(problems)} problem{'s' if len(problems) > 1 else ''}; "
        "nothing of the file was imported. Correct the lines named and import it again.",
        file=err,
    )
    for problem in problems[:MAX_PROBLEMS]:
        print(f"  {found.located(problem)}", file=err)
    if len(problems) > MAX_PROBLEMS:
        print(f"  … and {len(problems) - MAX_PROBLEMS} more problems", file=err)
