"""The results feed's CSV as a spreadsheet reads it: fixed columns, no formula ever run."""

from __future__ import annotations

import csv
import io

import pytest

from server_sync.results_export import write_csv
from server_sync.results_shape import COLUMNS, FACT_KINDS, UnknownKindError, expand_kinds


def _fact(**values: object) -> dict[str, object]:
    return {**dict.fromkeys(COLUMNS), **values}


def test_typed_text_that_looks_like_a_formula_is_shown_and_numbers_stay_numbers() -> None:
    released = _fact(
        id="0190a0d6-0000-7000-8000-000000000001",
        cursor=7,
        kind="transfer.released",
        reason='=HYPERLINK("http://evil.example","click")',
        by_name="@Hadi",
        variance=-3,
        sent_qty=40,
    )
    stream = io.StringIO(newline="")
    write_csv(stream, [released])
    stream.seek(0)
    [row] = list(csv.DictReader(stream))
    assert row["reason"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["by_name"] == "'@Hadi"
    assert (row["variance"], row["sent_qty"], row["cursor"]) == ("-3", "40", "7")
    assert row["line"] == ""  # a column the kind has not: an empty cell
    assert list(row) == list(COLUMNS)


def test_a_family_names_every_kind_it_starts_and_an_unknown_name_is_refused() -> None:
    kinds, refused = expand_kinds(["transfer"])
    assert kinds == [kind for kind in FACT_KINDS if kind.startswith("transfer.")]
    assert len(kinds) == 5 and not refused
    assert expand_kinds(["sync"]) == ([], True)
    assert expand_kinds(["kanban.received", "sync.refused"]) == (["kanban.received"], True)
    with pytest.raises(UnknownKindError):
        expand_kinds(["transfers"])
