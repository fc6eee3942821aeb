"""Reading the ERP's rows: values checked one by one into problems, and what a row would change.

Values come from JSON (the API) or as text (a CSV file): a number may be `500` or
"500", a flag `true` or "yes", a date ISO or `dd/mm/yyyy`. Every problem names the
row's index, the field and a reason code, with a message saying what to do.
"""

from __future__ import annotations

import enum
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, String, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY

MAX_ROWS = 5000  # rows in one request (one transaction)
MAX_PROBLEMS = 200  # problems answered for one request (the rest are counted)
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9._/-]{0,31}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TRUE = {"true", "1", "yes", "y"}
_FALSE = {"false", "0", "no", "n"}
_DAY_FIRST = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")

_E = TypeVar("_E", bound=enum.Enum)


@dataclass(frozen=True)
class Problem:
    """What is wrong with one row: its index in the request, the field, a reason code."""

    index: int
    field: str
    reason: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "field": self.field,
            "reason": self.reason,
            "message": self.message,
        }


@dataclass
class Planned:
    """One row of a plan: its natural key, its values, the row it updates, what changes."""

    index: int
    key: str
    values: dict[str, Any]
    existing: Any | None
    changed: dict[str, Any]
    hooked: frozenset[str] = frozenset()  # changed fields a kind's own hook writes

    def audit_details(self) -> dict[str, Any]:
        """The change as the central audit keeps it: hashes say only that they changed."""
        return {
            "operation": "create" if self.existing is None else "update",
            "changed": {
                name: value
                if type(value) in _AS_IS and not name.endswith("_hash")
                else _plain(name, value)
                for name, value in self.changed.items()
            },
        }


@dataclass
class Plan:
    """Every problem of a request, and what each row would change."""

    kind: str
    problems: list[Problem] = field(default_factory=list)
    rows: list[Planned] = field(default_factory=list)
    # Rows the plan read and the apply reads again (lines): held, so the session's
    # identity map (weakly referencing) keeps them instead of loading each one again.
    held: list[Any] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(1 for row in self.rows if row.existing is None)

    @property
    def updated(self) -> int:
        return sum(1 for row in self.rows if row.existing is not None and row.changed)

    @property
    def unchanged(self) -> int:
        return sum(1 for row in self.rows if not row.changed)


_AS_IS = frozenset({str, int, bool, float, type(None)})


def _plain(name: str, value: Any) -> Any:
    if name.endswith("_hash"):
        return "set" if value else None
    if type(value) in _AS_IS:  # most values of an import: the fast way out
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(str(item) for item in value)
    return value


def among(column: Any, keys: Iterable[str]) -> ColumnElement[bool]:
    """`column` is one of `keys`, sent as one array (an import's 50,000 keys would otherwise be
    50,000 parameters: slow to plan, and past PostgreSQL's limit at 65,535)."""
    found: ColumnElement[bool] = column == any_(
        bindparam(None, list(keys), type_=ARRAY(String), unique=True)
    )
    return found


def rows_of(
    rows: Sequence[Any], problems: list[Problem]
) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """Each row that is an object, with its index; a problem for each that is not."""
    for index, raw in enumerate(rows):
        if isinstance(raw, Mapping):
            yield index, raw
        else:
            problems.append(
                Problem(
                    index,
                    "",
                    "not_an_object",
                    'this row is not an object: send each row as {"field": value, ...}',
                )
            )


def duplicate_problem(index: int, name: str, key: str, first: int) -> Problem:
    return Problem(
        index,
        name,
        "duplicate_key",
        f"{key} is also in row {first} of this request: send each {name} once.",
    )


def plan_change(
    index: int,
    key: str,
    values: dict[str, Any],
    existing: Any | None,
    *,
    current: Mapping[str, Any] | None = None,
    hooked: frozenset[str] = frozenset(),
) -> Planned:
    """What `values` change on `existing` (everything when it is new).

    `current` gives the existing values of fields that are not plain attributes.
    """
    if existing is None:
        return Planned(index, key, values, None, dict(values), hooked)
    known = current or {}
    changed = {
        name: value
        for name, value in values.items()
        if (known[name] if name in known else getattr(existing, name)) != value
    }
    return Planned(index, key, values, existing, changed, hooked)


class RowReader:
    """One row's values read and checked; each bad value adds a problem and reads as None."""

    def __init__(
        self,
        index: int,
        row: Mapping[str, Any],
        allowed: frozenset[str],
        problems: list[Problem],
    ) -> None:
        self.index = index
        self.row = row
        self.problems = problems
        self._count = len(problems)
        for name in row:
            if name not in allowed:
                self._add(
                    str(name)[:64],
                    "unknown_field",
                    f"there is no field {str(name)[:64]!r} here: the fields are "
                    f"{', '.join(sorted(allowed))}.",
                )

    @property
    def ok(self) -> bool:
        """Whether this row has had no problem so far."""
        return len(self.problems) == self._count

    def _add(self, name: str, reason: str, message: str) -> None:
        self.problems.append(Problem(self.index, name, reason, message))

    def _missing(self, name: str) -> None:
        self._add(name, "missing", f"{name} is required: send it in every row.")

    def text(self, name: str, longest: int, *, required: bool = True) -> str | None:
        value = self.row.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self._missing(name)
            return None
        if not isinstance(value, str):
            self._add(name, "not_text", f"{name} must be text: send it in quotes.")
            return None
        value = value.strip()
        if len(value) > longest:
            self._add(name, "too_long", f"{name} has {len(value)} characters: at most {longest}.")
            return None
        if _CONTROL.search(value):
            self._add(name, "control_character", f"{name} holds a control character: remove it.")
            return None
        return value

    def code(self, name: str, *, pattern: re.Pattern[str] = CODE_PATTERN) -> str | None:
        value = self.text(name, 32)
        if value is None:
            return None
        value = value.upper()
        if not pattern.match(value):
            self._add(
                name,
                "bad_code",
                f"{name} {value!r} is not a code: use letters, digits and . _ / - only "
                "(at most 32), e.g. SEW-L03.",
            )
            return None
        return value

    def boolean(self, name: str, *, default: bool) -> bool | None:
        value = self.row.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        self._add(name, "not_a_flag", f"{name} must be true or false.")
        return None

    def integer(self, name: str, lowest: int, highest: int) -> int | None:
        value = self.row.get(name)
        if value is None or value == "":
            self._missing(name)
            return None
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,12}\s*", value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self._add(name, "not_a_number", f"{name} must be a whole number.")
            return None
        if not lowest <= value <= highest:
            self._add(name, "out_of_range", f"{name} is {value}: it must be {lowest} to {highest}.")
            return None
        return value

    def choice(self, name: str, kind: type[_E], *, required: bool = True) -> _E | None:
        value = self.row.get(name)
        if value is None or value == "":
            if required:
                self._missing(name)
            return None
        if isinstance(value, str):
            try:
                return kind(value.strip().upper())
            except ValueError:
                pass
        names = ", ".join(str(member.value) for member in kind)
        self._add(name, f"unknown_{name}", f"{name} {str(value)[:40]!r} is unknown: use {names}.")
        return None

    def one_of(self, name: str, allowed: tuple[str, ...]) -> str | None:
        """An optional word among `allowed` (any case); empty or absent: None."""
        value = self.row.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str) and value.strip().lower() in allowed:
            return value.strip().lower()
        self._add(
            name,
            f"unknown_{name}",
            f"{name} {str(value)[:40]!r} is unknown: use {', '.join(allowed)}, or leave it empty.",
        )
        return None

    def due(self, name: str) -> datetime | None:
        """A date (the start of that day, UTC) or an ISO time; None when absent or bad."""
        value = self.row.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            text = value.strip()
            day_first = _DAY_FIRST.match(text)
            try:
                if day_first is not None:
                    day, month, year = (int(part) for part in day_first.groups())
                    return datetime.combine(date(year, month, day), time(), UTC)
                if len(text) == 10:
                    return datetime.combine(date.fromisoformat(text), time(), UTC)
                parsed = datetime.fromisoformat(text)
                return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
            except (ValueError, OverflowError):
                pass
        self._add(name, "bad_date", f"{name} must be a date: 2026-12-31 or 31/12/2026.")
        return None

    def codes(self, name: str) -> list[str] | None:
        """A list of codes: a JSON list, or text separated by `;` or `|` (a CSV cell)."""
        value = self.row.get(name)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            value = [part for part in re.split(r"[;|]", value) if part.strip()]
        if not isinstance(value, list) or len(value) > 100:
            self._add(name, "not_a_list", f"{name} must be a list of codes (at most 100).")
            return None
        found: list[str] = []
        for item in value:
            if not isinstance(item, str) or not CODE_PATTERN.match(item.strip().upper()):
                self._add(name, "bad_code", f"{name} holds {str(item)[:40]!r}: not a code.")
                return None
            if item.strip().upper() not in found:
                found.append(item.strip().upper())
        return found
