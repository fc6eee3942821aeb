"""Reading a CSV file as spreadsheets write it, before any database is involved."""

from __future__ import annotations

from pathlib import Path

import pytest

from server_sync import csv_rows
from server_sync.csv_rows import CsvFileError, parse_csv, read_csv
from server_sync.site_rows import Problem

HEADER = "number,mo_number,article,destination,department,line,route,target_qty,due"


def test_a_semicolon_file_with_a_bom_quoted_cells_and_blank_rows() -> None:
    raw = (
        "\ufeff Employee No ;NAME;role;Lines;\r\n"
        'E1;"Putri; A.";OPERATOR;"CUT-L01;CUT-L02";\r\n'
        ";;;;\r\n"
        "E2;Dian;OPERATOR;CUT-L01|CUT-L02;\r\n"
        ";;;;\r\n"
        "\r\n"
    ).encode()

    found = parse_csv(raw, "people")

    assert found.delimiter == ";"
    assert found.rows == [
        {"employee_no": "E1", "name": "Putri; A.", "role": "OPERATOR", "lines": "CUT-L01;CUT-L02"},
        {"employee_no": "E2", "name": "Dian", "role": "OPERATOR", "lines": "CUT-L01|CUT-L02"},
    ]
    assert found.lines == [2, 4]


def test_a_row_after_a_cell_of_several_lines_keeps_its_own_line_number() -> None:
    raw = b'code,name,unit\nA-1,"two\nlines",pcs\nA-2,"three\nlines\nhere",pcs\nA-3,Plain,pcs\n'

    found = parse_csv(raw, "items")

    assert found.lines == [2, 4, 7]
    problem = Problem(2, "unit", "too_long", "unit has 40 characters: at most 16.")
    assert found.located(problem) == "line 7, unit: unit has 40 characters: at most 16."
    duplicate = Problem(2, "code", "duplicate_key", "A-3 is also in row 0 of this request: x")
    assert found.located(duplicate) == "line 7, code: A-3 is also in line 2 of this file: x"


def test_more_values_than_columns_is_a_problem_of_that_row() -> None:
    found = parse_csv(b"code,name,unit\nA-1,Buttons, 25 mm,pcs\n", "items")

    assert [(problem.index, problem.reason) for problem in found.problems] == [
        (0, "too_many_values")
    ]


def test_every_header_problem_is_named_before_any_row() -> None:
    with pytest.raises(CsvFileError) as refused:
        parse_csv(b"number;mo number;Artikel;article;article\nWO-1;x;y;z;w\n", "work_orders")

    assert refused.value.reason == "header"
    text = "\n".join(refused.value.messages)
    assert "there is no column 'Artikel'" in text
    assert "the column article is there twice" in text
    assert "the columns department, destination, line, route, target_qty are missing" in text


def test_files_that_are_not_utf8_are_refused_with_what_to_do() -> None:
    with pytest.raises(CsvFileError) as latin:
        parse_csv(f"{HEADER}\nWO-1,MO,Kemeja ñ\n".encode("latin-1"), "work_orders")
    assert latin.value.reason == "not_utf8"
    assert "line 2 has the byte 0xF1" in latin.value.messages[0]
    assert "CSV UTF-8" in latin.value.messages[0]

    with pytest.raises(CsvFileError) as utf16:
        parse_csv(f"{HEADER}\n".encode("utf-16"), "work_orders")
    assert "UTF-16" in utf16.value.messages[0]


def test_an_empty_file_and_absurd_sizes_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(CsvFileError, match="is empty"):
        parse_csv(b"\xef\xbb\xbf\r\n\r\n", "lines")

    monkeypatch.setattr(csv_rows, "MAX_FILE_ROWS", 2)
    with pytest.raises(CsvFileError, match="more than 2 rows"):
        parse_csv(b"code,department,name\nA,CUT,a\nB,CUT,b\nC,CUT,c\n", "lines")

    big = tmp_path / "big.csv"
    big.write_bytes(b"code,department,name\n" + b"A,CUT,a\n" * 1000)
    monkeypatch.setattr(csv_rows, "MAX_FILE_BYTES", 1000)
    with pytest.raises(CsvFileError, match=r"big\.csv is 8,021 bytes: at most 1,000"):
        read_csv(big, "lines")
    with pytest.raises(CsvFileError, match="cannot read"):
        read_csv(tmp_path / "missing.csv", "lines")


def test_excels_sep_line_and_tabs_name_the_delimiter() -> None:
    hinted = parse_csv(b"sep=;\r\ncode;department;name\r\nCUT-L01;CUT;Cutting, line 1\r\n", "lines")
    assert hinted.rows == [{"code": "CUT-L01", "department": "CUT", "name": "Cutting, line 1"}]
    assert hinted.lines == [3]

    tabs = parse_csv(b"\n\ncode\tdepartment\tname\nCUT-L01\tCUT\tCutting; line 1\n", "lines")
    assert tabs.rows == [{"code": "CUT-L01", "department": "CUT", "name": "Cutting; line 1"}]
    assert tabs.lines == [4]
