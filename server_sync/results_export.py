"""`server-sync export`: the results feed after a cursor as a JSON-lines or CSV file.

CSV is written as spreadsheets read it: UTF-8 with a byte-order mark (without one,
Excel reads a file in the machine's code page and garbles accented names), `,` as
delimiter, CRLF line ends, one header row with the fixed columns of
`server_sync.results_shape.COLUMNS`, one row per fact, empty cells where a kind has no
such field; text that begins like a formula (`=`, `+`, `-`, `@`) is written with a
leading `'` so a spreadsheet shows it and never runs it. JSON lines: one fact per line,
UTF-8, the same keys. The file appears only once complete (written beside it, then
renamed); the last line printed is the cursor to give `--after` next time.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.orm import Session

from server_sync.results import CursorAheadError, iter_results, results_high_water
from server_sync.results_shape import COLUMNS, FAMILIES, UnknownKindError, expand_kinds

FORMAT_JSONL = "jsonl"
FORMAT_CSV = "csv"
CSV_ENCODING = "utf-8-sig"  # UTF-8 with a BOM: Excel opens it as UTF-8


def add_export_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser(
        "export", help="write the floor's facts after a cursor to a file (JSON lines or CSV)"
    )
    export.add_argument(
        "--after",
        type=int,
        default=0,
        metavar="CURSOR",
        help="the cursor the previous export printed (0: from the first fact)",
    )
    export.add_argument("--format", required=True, choices=[FORMAT_JSONL, FORMAT_CSV])
    export.add_argument(
        "--kind",
        action="append",
        metavar="KIND",
        help=f"only this kind or family ({', '.join(sorted(FAMILIES))}); may be repeated",
    )
    export.add_argument("outfile", type=Path, metavar="OUTFILE")


def run_export(args: argparse.Namespace, session: Session) -> int:
    kinds: list[str] | None = args.kind
    problem = _check(args.after, kinds, session)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    count, cursor = export(session, args.after, args.format, kinds, args.outfile)
    print(f"server-sync: {count} facts written to {args.outfile}")
    print(f"next cursor: {cursor}")
    return 0


def _check(after: int, kinds: list[str] | None, session: Session) -> str | None:
    """A two-part message for a bad cursor or kind, None when both are usable."""
    if after < 0:
        return "server-sync: a cursor is 0 or more. Give the cursor the last export printed."
    try:
        expand_kinds(kinds or ())
    except UnknownKindError as error:
        return (
            f"server-sync: no fact is of kind {error.kind!r}. "
            f"Give a kind or one of these families: {', '.join(sorted(FAMILIES))}."
        )
    high_water = results_high_water(session)
    if after > high_water:
        return str(CursorAheadError(after, high_water)) + (
            ": this database is not the one that cursor came from. "
            "Export again from an older cursor; post facts idempotently by their id."
        )
    return None


def export(
    session: Session,
    after: int,
    file_format: str,
    kinds: Collection[str] | None,
    outfile: Path,
) -> tuple[int, int]:
    """Write every fact after `after` to `outfile`; (facts written, the cursor reached)."""
    partial = outfile.with_name(f".{outfile.name}.partial")
    cursor = after
    count = 0

    def counted(facts: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
        nonlocal cursor, count
        for fact in facts:
            cursor = fact["cursor"]
            count += 1
            yield fact

    # The cursor reached is the newest committed number, also past rows that are no fact.
    high_water = results_high_water(session)
    session.rollback()
    facts = counted(iter_results(session, after, kinds))
    try:
        if file_format == FORMAT_CSV:
            with partial.open("w", encoding=CSV_ENCODING, newline="") as stream:
                write_csv(stream, facts)
        else:
            with partial.open("w", encoding="utf-8", newline="\n") as stream:
                write_jsonl(stream, facts)
        os.replace(partial, outfile)
    finally:
        partial.unlink(missing_ok=True)
    return count, max(cursor, high_water)


def write_csv(stream: TextIO, facts: Iterable[dict[str, Any]]) -> None:
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    for fact in facts:
        writer.writerow([_cell(fact[column]) for column in COLUMNS])


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """A CSV cell; text a spreadsheet would run as a formula (a reason typed on the floor
    as "=HYPERLINK(…)") gets a leading `'`, so it is shown, never run. Numbers stay."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_jsonl(stream: TextIO, facts: Iterable[dict[str, Any]]) -> None:
    for fact in facts:
        stream.write(json.dumps(fact, ensure_ascii=False, separators=(",", ":")))
        stream.write("\n")
