"""A CSV file as a spreadsheet writes it, read into the rows the integration API takes.

UTF-8 with or without a byte-order mark (anything else is refused with a clear
message, not a crash), `,`, `;` or a tab as delimiter (read from the header line, or
from Excel's `sep=;` line above it: Indonesian spreadsheets write `;`), header names
in any case and spacing ("Employee No" is `employee_no`). Blank rows are skipped; each
row keeps the file line it starts on (a quoted cell may span lines), so a problem names
the line a person sees in an editor.
Every header problem is found before any row is read.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from server_sync.site_data import ITEM_FIELDS, LINE_FIELDS
from server_sync.site_people import PERSON_FIELDS
from server_sync.site_rows import Problem
from server_sync.site_work_orders import WORK_ORDER_FIELDS

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_FILE_ROWS = 1_000_000
HEADER_LINE = 1

# Each kind's columns: those every file needs, and every one it may have.
COLUMNS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "lines": (frozenset({"code", "department", "name"}), LINE_FIELDS),
    "people": (frozenset({"employee_no", "name", "role"}), PERSON_FIELDS),
    "items": (frozenset({"code", "name", "unit"}), ITEM_FIELDS),
    "work_orders": (
        frozenset(
            {
                "number",
                "mo_number",
                "article",
                "destination",
                "department",
                "line",
                "route",
                "target_qty",
            }
        ),
        WORK_ORDER_FIELDS,
    ),
}
_SEPARATORS = re.compile(r"[\s\-]+")
_SEP_LINE = re.compile(r'"?sep=([,;\t|])"?,*;*', re.IGNORECASE)
_ROW_REFERENCE = re.compile(r"\brow (\d+)( of this request)?")


class CsvFileError(Exception):
    """The file cannot be read as this kind's rows at all (nothing of it is imported)."""

    def __init__(self, reason: str, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.reason = reason
        self.messages = messages


@dataclass
class CsvRows:
    """A file's rows (only their non-blank cells), and the file line each starts on."""

    delimiter: str
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # rows no plan can read

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else HEADER_LINE

    def located(self, problem: Problem) -> str:
        """A problem as the file's reader needs it: line, field, and what to do.

        Messages naming another row of "this request" name its file line instead.
        """
        message = _ROW_REFERENCE.sub(
            lambda found: f"line {self.line_of(int(found.group(1)))} of this file",
            problem.message,
        )
        where = f"line {self.line_of(problem.index)}"
        return f"{where}, {problem.field}: {message}" if problem.field else f"{where}: {message}"


def header_name(text: str) -> str:
    """`Employee No`, ` employee-no ` and `EMPLOYEE_NO` are all `employee_no`."""
    return _SEPARATORS.sub("_", text.strip().lower())


def read_csv(path: Path, kind: str) -> CsvRows:
    """The file's rows for `kind`; CsvFileError when it cannot be read as such."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CsvFileError(
                "too_big",
                [
                    f"{path.name} is {size:,} bytes: at most {MAX_FILE_BYTES:,} (200 MB) in "
                    "one import. Split it into several files."
                ],
            )
        raw = path.read_bytes()
    except OSError as error:
        raise CsvFileError("unreadable", [f"cannot read {path}: {error.strerror}"]) from None
    return parse_csv(raw, kind, path.name)


def parse_csv(raw: bytes, kind: str, name: str = "the file") -> CsvRows:
    """Bytes of a CSV file as `kind`'s rows (see read_csv)."""
    text = _decoded(raw, name)
    delimiter, hinted = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)  # blank lines above the header
        if hinted:
            header = next(reader, None)  # the header follows Excel's "sep=;" line
        if header is None:
            raise CsvFileError("empty", [f"{name} is empty: the first line names the columns."])
        names = _header(header, kind, name, reader.line_num)
        found = CsvRows(delimiter)
        line_before = reader.line_num
        for cells in reader:
            starts = line_before + 1
            line_before = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # a blank row (spreadsheets write ";;;" for one)
            if len(found.rows) >= MAX_FILE_ROWS:
                raise CsvFileError(
                    "too_many_rows",
                    [f"{name} has more than {MAX_FILE_ROWS:,} rows: split it into several files."],
                )
            extra = [cell for cell in cells[len(names) :] if cell.strip()]
            if extra:
                found.problems.append(
                    Problem(
                        len(found.rows),
                        "",
                        "too_many_values",
                        f"{len(names) + len(extra)} values but {len(names)} columns: quote a "
                        'value that holds the delimiter, e.g. "CUT-L01;CUT-L02".',
                    )
                )
            # A blank cell reads as a value not sent (an optional column left empty).
            found.rows.append(
                {column: cell for column, cell in zip(names, cells, strict=False) if cell.strip()}
            )
            found.lines.append(starts)
    except csv.Error as error:
        raise CsvFileError(
            "malformed", [f"{name}, line {reader.line_num}: not readable as CSV ({error})."]
        ) from None
    return found


def _delimiter(text: str) -> tuple[str, bool]:
    """The delimiter the header line uses most (`,` on a tie), or the one Excel's first line
    `sep=;` names; and whether there is such a line."""
    first = next((line for line in io.StringIO(text) if line.strip()), "").strip()
    hint = _SEP_LINE.fullmatch(first)
    if hint is not None:
        return hint.group(1), True
    return max((",", ";", "\t"), key=first.count), False


def _decoded(raw: bytes, name: str) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CsvFileError(
            "not_utf8",
            [
                f"{name} is UTF-16 (a spreadsheet's 'Unicode text'): save it as "
                "'CSV UTF-8 (comma delimited)' and import that."
            ],
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise CsvFileError(
            "not_utf8",
            [
                f"{name} is not UTF-8: line {line} has the byte 0x{raw[error.start]:02X}, as a "
                "Latin-1 or Windows-1252 export writes it. Save the file as "
                "'CSV UTF-8 (comma delimited)' and import that; nothing was imported."
            ],
        ) from None


def _header(cells: list[str], kind: str, name: str, line: int) -> list[str]:
    """The header's column names; CsvFileError with every header problem at once."""
    required, allowed = COLUMNS[kind]
    names = [header_name(cell) for cell in cells]
    while names and not names[-1]:
        names.pop()  # the empty cells a spreadsheet leaves after the last column
    problems: list[str] = []
    seen: set[str] = set()
    for place, column in enumerate(names, start=1):
        if not column:
            problems.append(f"column {place} has no name: name it or delete the column.")
        elif column not in allowed:
            problems.append(
                f"there is no column {cells[place - 1].strip()[:40]!r} here: the columns are "
                f"{', '.join(sorted(allowed))}."
            )
        elif column in seen:
            problems.append(f"the column {column} is there twice: keep one.")
        seen.add(column)
    missing = sorted(required - seen)
    if missing:
        problems.append(
            f"the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"{'are' if len(missing) > 1 else 'is'} missing: every {kind.replace('_', ' ')} "
            f"file has {', '.join(sorted(required))}."
        )
    if problems:
        raise CsvFileError(
            "header", [f"{name}, line {line} (the header): {problem}" for problem in problems]
        )
    return names
