"""People from the ERP by employee number: role, department, lines, badge; never a PIN.

A badge UID is hashed on arrival with the site's badge key and is never stored or logged
in clear. A new person has no PIN (they choose one at their first badge tap, or an admin
gives them a setup code); `active: false` keeps their history and stops every login.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from kiosk.domain.ids import new_id
from kiosk.domain.roles import LINE_BOUND_ROLES, Department, Role, role_fits_department
from kiosk.services.badge_hasher import badge_digest
from kiosk.store.models import Base, Line, User, UserLine
from kiosk.store.replica import USER_LINE_IDS
from kiosk.store.secrets import BADGE_KEY_NAME
from server_sync.feed import publish, secret_row
from server_sync.models import SiteSecret
from server_sync.site_data import apply_plan
from server_sync.site_rows import (
    Plan,
    Planned,
    Problem,
    RowReader,
    among,
    duplicate_problem,
    plan_change,
    rows_of,
)

PEOPLE = "people"
NO_PIN = ""  # a person without a PIN yet: no PIN ever matches it
PERSON_FIELDS = frozenset(
    {"employee_no", "name", "role", "department", "lines", "active", "badge_uid", "language"}
)
# A person's own screen language; empty: the kiosk's (kiosk.settings.LANGUAGES).
PERSON_LANGUAGES = ("en", "id")
_LINE_IDS = "line_ids"
_HOOKED = frozenset({_LINE_IDS})
_BADGE_KEY_BYTES = 32


def plan_people(session: Session, rows: Sequence[Any], *, lock: bool = False) -> Plan:
    """People by `employee_no`: every problem of the request, or what would change."""
    plan = Plan(PEOPLE)
    badge_key = _badge_key(session)
    readings: list[tuple[int, dict[str, Any], list[str], str | None]] = []
    seen: dict[str, int] = {}
    badges: dict[str, int] = {}
    for index, raw in rows_of(rows, plan.problems):
        read = RowReader(index, raw, PERSON_FIELDS, plan.problems)
        employee_no = read.text("employee_no", 32)
        values: dict[str, Any] = {
            "employee_no": employee_no,
            "name": read.text("name", 100),
            "role": read.choice("role", Role),
            "department": read.choice("department", Department, required=False),
            "is_active": read.boolean("active", default=True),
        }
        if "language" in raw:  # a file without the column leaves everyone's as it is
            values["language"] = read.one_of("language", PERSON_LANGUAGES)
        codes = read.codes("lines")
        uid = read.text("badge_uid", 64, required=False)
        if employee_no is not None and employee_no in seen:
            plan.problems.append(
                duplicate_problem(index, "employee_no", employee_no, seen[employee_no])
            )
        elif employee_no is not None:
            seen[employee_no] = index
        if uid is not None:
            normal = uid.upper()
            if normal in badges:
                plan.problems.append(
                    Problem(
                        index,
                        "badge_uid",
                        "badge_taken",
                        f"this badge is also given in row {badges[normal]}: one badge "
                        "belongs to one person.",
                    )
                )
            badges[normal] = index
        if read.ok and codes is not None:
            _check_role(plan, index, values["role"], values["department"], codes)
            readings.append((index, values, codes, uid))
    query = select(User).where(among(User.employee_no, seen))
    existing = {user.employee_no: user for user in session.scalars(_locked(query, lock))}
    line_codes = {code for _, _, codes, _ in readings for code in codes}
    lines = {
        line.code: line for line in session.scalars(select(Line).where(Line.code.in_(line_codes)))
    }
    plan.held.extend(lines.values())
    hashes = {uid: badge_digest(badge_key, uid) for *_, uid in readings if uid and badge_key}
    holders = dict(
        session.execute(
            select(User.badge_hash, User.employee_no).where(among(User.badge_hash, hashes.values()))
        ).all()
    )
    for index, values, codes, uid in readings:
        line_ids = _line_ids(plan, index, values["department"], codes, lines)
        if line_ids is None:
            continue
        values[_LINE_IDS] = line_ids
        if uid is not None and uid in hashes:
            holder = holders.get(hashes[uid])
            if holder is not None and holder != values["employee_no"]:
                plan.problems.append(
                    Problem(
                        index,
                        "badge_uid",
                        "badge_taken",
                        f"this badge belongs to {holder}: an admin unbinds it from "
                        f"{holder} first, then send this row again.",
                    )
                )
                continue
            values["badge_hash"] = hashes[uid]
        elif uid is not None:
            values["badge_hash"] = uid  # no key yet: replaced by the hash when applied
        person = existing.get(values["employee_no"])
        current = (
            None
            if person is None
            else {_LINE_IDS: frozenset(link.line_id for link in person.lines)}
        )
        plan.rows.append(
            plan_change(
                index, values["employee_no"], values, person, current=current, hooked=_HOOKED
            )
        )
    return plan


def validate_people(rows: Sequence[Any], session: Session) -> list[Problem]:
    return plan_people(session, rows).problems


def apply_people(
    session: Session,
    plan: Plan,
    *,
    now: datetime,
    actor: str,
    source: str = "integration",
    audit_extra: dict[str, Any] | None = None,
) -> int:
    """Write a people plan (see site_data.apply_plan); makes the site's badge key if needed."""
    if any("badge_hash" in row.changed for row in plan.rows) and _badge_key(session) is None:
        _make_badge_key(session, plan)
    return apply_plan(
        session,
        plan,
        now=now,
        actor=actor,
        source=source,
        audit_extra=audit_extra,
        entity="user",
        model=User,
        new_row=_new_person,
        after_write=_write_lines,
        children=_new_lines,
        feed_extra=_feed_lines,
    )


def _check_role(
    plan: Plan, index: int, role: Role, department: Department | None, codes: list[str]
) -> None:
    if not role_fits_department(role, department):
        where = "no department" if department is None else f"department {department.value}"
        plan.problems.append(
            Problem(
                index,
                "role",
                "role_not_in_department",
                f"a {role.value} cannot belong to {where}: warehouse roles belong to WH, "
                "operators, QC and supervisors to a production department.",
            )
        )
    elif codes and role not in LINE_BOUND_ROLES:
        plan.problems.append(
            Problem(
                index,
                "lines",
                "lines_for_operators_only",
                f"a {role.value} works on the whole department: send lines for operators only.",
            )
        )


def _line_ids(
    plan: Plan,
    index: int,
    department: Department | None,
    codes: list[str],
    lines: dict[str, Line],
) -> frozenset[uuid.UUID] | None:
    found: set[uuid.UUID] = set()
    for code in codes:
        line = lines.get(code)
        if line is None:
            reason, message = "unknown_line", f"there is no line {code}: send the line first."
        elif not line.is_active:
            reason, message = "line_retired", f"line {code} is retired: assign an active line."
        elif line.department is not department:
            reason = "line_other_department"
            message = f"line {code} belongs to {line.department.value}, not to this person's."
        else:
            found.add(line.id)
            continue
        plan.problems.append(Problem(index, "lines", reason, message))
        return None
    return frozenset(found)


def _new_person(values: dict[str, Any], _session: Session, now: datetime) -> dict[str, Any]:
    plain = {name: value for name, value in values.items() if name not in _HOOKED}
    return {
        "id": new_id(),
        "pin_hash": NO_PIN,
        "failed_pin_count": 0,
        "locked_until": None,
        "last_wrong_pin_at": None,
        "created_at": now,
        **plain,
    }


def _new_lines(planned: Planned, row: dict[str, Any]) -> list[tuple[Table, dict[str, Any]]]:
    links: Table = UserLine.__table__  # type: ignore[assignment]
    return [
        (links, {"user_id": row["id"], "line_id": line_id})
        for line_id in sorted(planned.values[_LINE_IDS])
    ]


def _feed_lines(planned: Planned, _row: dict[str, Any]) -> dict[str, Any]:
    return {USER_LINE_IDS: sorted(planned.values[_LINE_IDS])}


def _write_lines(session: Session, planned: Planned, row: Base) -> None:
    if _LINE_IDS in planned.changed and isinstance(row, User):
        row.lines = [UserLine(line_id=line_id) for line_id in sorted(planned.values[_LINE_IDS])]


def _badge_key(session: Session) -> bytes | None:
    secret = session.get(SiteSecret, BADGE_KEY_NAME)
    return None if secret is None else secret.value


def _make_badge_key(session: Session, plan: Plan) -> None:
    """The site's first badge key (a site set up from the ERP has none), sent to the kiosks."""
    key = SiteSecret(name=BADGE_KEY_NAME, value=secrets.token_bytes(_BADGE_KEY_BYTES))
    session.add(key)
    session.flush()
    publish(session, [secret_row(key)])
    for row in plan.rows:
        if "badge_hash" in row.changed:
            hashed = badge_digest(key.value, row.values["badge_hash"])
            row.values["badge_hash"] = row.changed["badge_hash"] = hashed


def _locked(query: Any, lock: bool) -> Any:
    return query.with_for_update(of=User) if lock else query


__all__ = ["NO_PIN", "PEOPLE", "apply_people", "plan_people", "validate_people"]
