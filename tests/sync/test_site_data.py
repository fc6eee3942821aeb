"""The ERP's rows checked without HTTP, as a CSV import reads them: every value as text."""

from __future__ import annotations

from sqlalchemy import select

from kiosk.store.models import Line, WorkOrder
from server_sync.site_data import plan_lines, validate_lines
from server_sync.site_people import plan_people, validate_people
from server_sync.site_work_orders import plan_work_orders
from tests.helpers.central import CentralDatabase


def test_values_written_as_a_spreadsheet_writes_them_read_as_their_json_twins(
    central: CentralDatabase,
) -> None:
    with central.session() as session:
        assert (
            validate_lines(
                [{"code": "cut-l07", "department": "cut", "name": " Line 7 ", "active": "yes"}],
                session,
            )
            == []
        )
        as_text = plan_work_orders(
            session,
            [
                {
                    "number": "WO-2027-000001",
                    "mo_number": "MO-1",
                    "article": "TB-30-BRN",
                    "destination": "DE-Hamburg",
                    "department": "CUT",
                    "line": "CUT-L02",
                    "route": "r2",
                    "target_qty": "600",
                    "due": "31/01/2027",
                }
            ],
        )
        assert as_text.problems == []
        planned = as_text.rows[0].values
        assert planned["target_qty"] == 600
        assert planned["due_at"].date().isoformat() == "2027-01-31"
        line_id = session.scalar(select(Line.id).where(Line.code == "CUT-L02"))
        assert planned["line_id"] == line_id
        people = [
            {
                "employee_no": "E7001",
                "name": "Putri",
                "role": "operator",
                "department": "CUT",
                "lines": "CUT-L01;CUT-L02",
                "active": "1",
            },
            {
                "employee_no": "E7002",
                "name": "Dian",
                "role": "OPERATOR",
                "department": "CUT",
                "lines": "CUT-L01|CUT-L09",
                "active": "0",
            },
        ]
        problems = validate_people(people, session)
        assert [(p.index, p.field, p.reason) for p in problems] == [(1, "lines", "unknown_line")]
        assert (
            session.scalar(select(WorkOrder.id).where(WorkOrder.number == "WO-2027-000001")) is None
        )


def test_a_plan_reports_every_problem_of_the_request(central: CentralDatabase) -> None:
    with central.session() as session:
        plan = plan_lines(
            session,
            [
                {"code": "CUT-L07", "department": "KNIT", "name": ""},
                {"code": "CUT-L08", "department": "CUT", "name": "x" * 101, "active": "perhaps"},
                "not a row",
            ],
        )
    found = {(p.index, p.field, p.reason) for p in plan.problems}
    assert found == {
        (0, "department", "unknown_department"),
        (0, "name", "missing"),
        (1, "name", "too_long"),
        (1, "active", "not_a_flag"),
        (2, "", "not_an_object"),
    }
    assert all(p.message for p in plan.problems)


def test_a_persons_language_is_read_from_its_column_and_left_alone_without_it(
    central: CentralDatabase,
) -> None:
    person = {"employee_no": "E7001", "name": "Putri", "role": "qc_inspector", "department": "CUT"}
    with central.session() as session:
        plan = plan_people(
            session,
            [
                {**person, "language": " ID "},
                {**person, "employee_no": "E7002", "language": ""},
                {**person, "employee_no": "E7003"},
                {**person, "employee_no": "E7004", "language": "jawa"},
            ],
        )
    problems = [(p.index, p.field, p.reason) for p in plan.problems]
    assert problems == [(3, "language", "unknown_language")]
    assert "en, id" in plan.problems[0].message
    values = {row.values["employee_no"]: row.values for row in plan.rows}
    assert values["E7001"]["language"] == "id"
    assert values["E7002"]["language"] is None  # empty: the kiosk's language
    assert "language" not in values["E7003"]  # no column: a re-import keeps what is set
