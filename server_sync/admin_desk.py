"""An admin's changes to the site's data from a device: lines, people, work orders.

The same rules as the integration API (`site_data`, `site_people`, `site_work_orders`):
each request becomes one row of that kind, planned (every problem named with its field
and reason) and applied, published to the kiosks by the feed and audited centrally with
the admin and the device as actor. Who asks is proved as for the privileged identity
actions (`IdentityDesk._verify`: PIN checked here, role from the one permission table,
a wrong PIN counted centrally). A refusal changes nothing but its audit row and a
counted wrong PIN.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.domain.roles import Action
from kiosk.domain.work_order import WorkOrderStatus
from kiosk.store.models import Line, User, WorkOrder
from server_sync import admin_ticket, api_keys
from server_sync.central_audit import record
from server_sync.identity import (
    Decision,
    IdentityDesk,
    IdentityRefusedError,
    Proof,
    device_where,
)
from server_sync.models import Device
from server_sync.site_data import apply_plan, plan_lines
from server_sync.site_people import apply_people, plan_people
from server_sync.site_rows import Plan, Problem, RowReader
from server_sync.site_work_orders import apply_work_orders, plan_work_orders

SOURCE = "admin"
ROWS_REFUSED = "rows_refused"
# The row a request builds from the database; it raises a refusal (a Problem) itself.
BuildRow = Callable[[Session, User], dict[str, Any]]
# What a verified request does (session, the admin, their audit label): its answer's fields.
Run = Callable[[Session, User, str], dict[str, Any]]
KEYS = "integration_keys"


@dataclass(frozen=True)
class _Kind:
    action: Action
    plan: Callable[..., Plan]
    apply: Callable[..., int]
    key: str  # the field naming a row (for "exists" / "unknown" problems)


_KINDS: dict[str, _Kind] = {
    "lines": _Kind(Action.SITE_MANAGE, plan_lines, apply_plan, "code"),
    "people": _Kind(Action.USER_MANAGE, plan_people, apply_people, "employee_no"),
    "work_orders": _Kind(Action.SITE_MANAGE, plan_work_orders, apply_work_orders, "number"),
}


@dataclass(frozen=True)
class PersonEdit:
    """What an admin changes of a person; None leaves a field as it is."""

    name: str | None = None
    role: str | None = None
    department: str | None = None
    department_given: bool = False  # department None with this set: no department
    lines: tuple[str, ...] | None = None
    active: bool | None = None
    language: str | None = None
    language_given: bool = False  # language None with this set: the kiosk's language


def rows_refused(problems: list[Problem]) -> IdentityRefusedError:
    """The plan's problems, each with its field and reason, as one 422 refusal."""
    return IdentityRefusedError(
        422,
        ROWS_REFUSED,
        f"{len(problems)} problems: nothing was changed",
        problems=[problem.as_dict() for problem in problems],
    )


def _problem(field: str, reason: str, message: str) -> IdentityRefusedError:
    return rows_refused([Problem(0, field, reason, message)])


class AdminDesk(IdentityDesk):
    """The admin's site changes of one server process (no state beyond PostgreSQL)."""

    # ------------------------------------------------------------------ lines
    def add_line(
        self, device: Device, proof: Proof, *, code: str, department: str, name: str
    ) -> Decision:
        def build(session: Session, _actor: User) -> dict[str, Any]:
            _must_be_new(session, Line, Line.code, "code", code)
            return {"code": code, "department": department, "name": name}

        return self._site(device, proof, "lines", build)

    def rename_line(self, device: Device, proof: Proof, *, code: str, name: str) -> Decision:
        def build(session: Session, _actor: User) -> dict[str, Any]:
            return {**_line_row(_line(session, code)), "name": name}

        return self._site(device, proof, "lines", build)

    def deactivate_line(self, device: Device, proof: Proof, *, code: str) -> Decision:
        def build(session: Session, _actor: User) -> dict[str, Any]:
            return {**_line_row(_line(session, code)), "active": False}

        return self._site(device, proof, "lines", build)

    # ------------------------------------------------------------------ people
    def add_person(  # noqa: PLR0917  (a person's fields)
        self,
        device: Device,
        proof: Proof,
        employee_no: str,
        name: str,
        role: str,
        department: str | None,
        lines: tuple[str, ...] = (),
        language: str | None = None,
    ) -> Decision:
        """A new person without a PIN: they choose one at their first badge tap; `language`
        their screens' own (None: the kiosk's)."""

        def build(session: Session, _actor: User) -> dict[str, Any]:
            _must_be_new(session, User, User.employee_no, "employee_no", employee_no)
            return {
                "employee_no": employee_no,
                "name": name,
                "role": role,
                "department": department,
                "lines": list(lines),
                "language": language,
            }

        return self._site(device, proof, "people", build)

    def edit_person(
        self, device: Device, proof: Proof, employee_no: str, edit: PersonEdit
    ) -> Decision:
        """Name, role, department, lines, screen language, or whether they may log in."""

        def build(session: Session, actor: User) -> dict[str, Any]:
            person = session.scalar(select(User).where(User.employee_no == employee_no.strip()))
            if person is None:
                raise _problem("employee_no", "unknown", f"no person {employee_no!r} here")
            row = _person_row(session, person)
            if person.id == actor.id and (
                (edit.role is not None and edit.role != actor.role.value) or edit.active is False
            ):
                raise _problem(
                    "role" if edit.active is not False else "active",
                    "own_account",
                    "nobody changes their own role or switches themselves off",
                )
            for name, value in (("name", edit.name), ("role", edit.role), ("active", edit.active)):
                if value is not None:
                    row[name] = value
            if edit.department_given:
                row["department"] = edit.department
            if edit.lines is not None:
                row["lines"] = list(edit.lines)
            if edit.language_given:  # absent: the row leaves their language as it is
                row["language"] = edit.language
            return row

        return self._site(device, proof, "people", build)

    # ------------------------------------------------------------------ work orders
    def create_work_order(self, device: Device, proof: Proof, row: dict[str, Any]) -> Decision:
        """A work order of a site without an ERP: the integration API's fields."""

        def build(session: Session, _actor: User) -> dict[str, Any]:
            number = str(row.get("number") or "")
            _must_be_new(session, WorkOrder, WorkOrder.number, "number", number.strip().upper())
            made = {key: value for key, value in row.items() if key != "status"}
            if not made.get("department"):  # a form names the line: its department goes
                made["department"] = _line_of_order(session, made.get("line")).department.value
            late.extend(_not_past(made.get("due"), self._clock()))
            return made

        late: list[Problem] = []  # named with the plan's problems, all at once
        return self._site(device, proof, "work_orders", build, late)

    def edit_work_order(
        self,
        device: Device,
        proof: Proof,
        number: str,
        *,
        target_qty: int | None = None,
        due: str | None = None,
        due_given: bool = False,
    ) -> Decision:
        def build(session: Session, _actor: User) -> dict[str, Any]:
            work_order = _work_order(session, number)
            current = _work_order_row(work_order)
            if target_qty is not None:
                current["target_qty"] = target_qty
            if due_given:
                late.extend(_not_past(due, self._clock(), kept=work_order.due_at))
                current["due"] = due
            return current

        late: list[Problem] = []
        return self._site(device, proof, "work_orders", build, late)

    def cancel_work_order(self, device: Device, proof: Proof, number: str) -> Decision:
        def build(session: Session, _actor: User) -> dict[str, Any]:
            current = _work_order_row(_work_order(session, number))
            return {**current, "status": WorkOrderStatus.CANCELLED.value}

        return self._site(device, proof, "work_orders", build)

    # ------------------------------------------------------------------ integration keys
    def create_api_key(self, device: Device, proof: Proof, name: str) -> Decision:
        """A new key for the site's ERP: in the answer once, never stored (only its hash)."""

        def run(session: Session, _actor: User, label: str) -> dict[str, Any]:
            try:
                key = api_keys.create(session, name.strip(), self._clock())
            except api_keys.ApiKeyError as error:
                reason = "exists" if "exists" in str(error) else "bad_name"
                raise _problem("name", reason, str(error)) from None
            details = device_where(device)
            record(session, self._clock(), label, "admin.api_key.create", KEYS, name, details)
            return {"key": key}

        return self._perform_admin(device, proof, Action.SITE_MANAGE, KEYS, run)

    def revoke_api_key(self, device: Device, proof: Proof, name: str) -> Decision:
        """The key is refused from its next call; its name and history stay."""

        def run(session: Session, _actor: User, label: str) -> dict[str, Any]:
            try:
                revoked = api_keys.revoke(session, name.strip(), self._clock())
            except api_keys.ApiKeyError as error:
                raise _problem("name", "unknown", str(error)) from None
            if not revoked:
                raise _problem("name", "already_revoked", f"the key {name} is revoked already")
            details = device_where(device)
            record(session, self._clock(), label, "admin.api_key.revoke", KEYS, name, details)
            return {}

        return self._perform_admin(device, proof, Action.SITE_MANAGE, KEYS, run)

    # ------------------------------------------------------------------ the lists
    def open_session(self, device: Device, proof: Proof) -> Decision:
        """The admin's PIN checked once for the lists: a ticket for this device (audited)."""

        def run(session: Session, actor: User, label: str) -> dict[str, Any]:
            now = self._clock()
            ticket = admin_ticket.issue(session, device, actor.id, now)
            record(
                session,
                now,
                label,
                "admin.session.open",
                "user",
                str(actor.id),
                {**device_where(device)},
            )
            expires = (now + admin_ticket.LIFETIME).isoformat()
            return {"ticket": ticket, "expires_at": expires}

        return self._perform_admin(device, proof, Action.ADMIN_SCREEN, "session", run)

    # ------------------------------------------------------------------ the common path
    def _site(
        self,
        device: Device,
        proof: Proof,
        kind: str,
        build: BuildRow,
        also: list[Problem] | None = None,
    ) -> Decision:
        """One row planned with the integration rules and applied, as the admin; `also`:
        the admin's own rules' problems, which `build` adds to."""
        rules = _KINDS[kind]

        def run(session: Session, actor: User, label: str) -> dict[str, Any]:
            plan = rules.plan(session, [build(session, actor)], lock=True)
            problems = [*plan.problems, *(also or [])]
            if problems:
                raise rows_refused(problems)
            rules.apply(
                session,
                plan,
                now=self._clock(),
                actor=label,
                source=SOURCE,
                audit_extra=device_where(device),
            )
            return {"created": plan.created, "updated": plan.updated}

        return self._perform_admin(device, proof, rules.action, kind, run)

    def _perform_admin(
        self, device: Device, proof: Proof, action: Action, kind: str, run: Run
    ) -> Decision:
        """Verify the admin, run, commit: one transaction, or only the refusal's audit row."""
        now = self._clock()
        with self._sessions() as session:
            actor_label = f"unverified {proof.user_id}"
            try:
                actor = self._verify(session, device, proof, action, now)
                actor_label = admin_label(actor, device)
                fields = run(session, actor, actor_label)
                session.flush()
            except IntegrityError:
                session.rollback()
                refusal = IdentityRefusedError(
                    409, "changed_meanwhile", "someone changed this at the same moment: try again"
                )
                self._refused(
                    session, now, actor=actor_label, kind=kind, device=device, refusal=refusal
                )
                raise refusal from None
            except IdentityRefusedError as refusal:
                if not refusal.keep_changes:
                    session.rollback()
                self._refused(
                    session, now, actor=actor_label, kind=kind, device=device, refusal=refusal
                )
                raise
            session.commit()
        return Decision([], fields)

    @staticmethod
    def _refused(
        session: Session,
        now: datetime,
        *,
        actor: str,
        kind: str,
        device: Device,
        refusal: IdentityRefusedError,
    ) -> None:
        details = {**device_where(device), "code": refusal.code, "message": refusal.message}
        if "problems" in refusal.fields:
            details["problems"] = refusal.fields["problems"]
        record(session, now, actor, f"{SOURCE}.{kind}.refused", kind, None, details)
        session.commit()


# ---------------------------------------------------------------------- helpers
def admin_label(actor: User, device: Device) -> str:
    """The audit's actor: the admin by number and name, and the device they stood at."""
    return f"{actor.employee_no} {actor.name} @ {device.name}"[:100]


def _must_be_new(session: Session, model: type[Any], column: Any, field: str, key: str) -> None:
    if key and session.scalar(select(model.id).where(column == key.strip())) is not None:
        raise _problem(field, "exists", f"{key} exists already: edit it instead")


def _line(session: Session, code: str) -> Line:
    line = session.scalar(select(Line).where(Line.code == code.strip().upper()))
    if line is None:
        raise _problem("code", "unknown", f"no line {code!r} here")
    return line


def _line_of_order(session: Session, code: Any) -> Line:
    """A new work order's line, named by a form that left the department to it."""
    text = str(code or "").strip().upper()
    if not text:
        raise _problem("line", "missing", "line is required: send it in every row.")
    line = session.scalar(select(Line).where(Line.code == text))
    if line is None:
        message = f"there is no line {text[:32]}: send the line first."
        raise _problem("line", "unknown_line", message)
    return line


def _not_past(due: Any, now: datetime, kept: datetime | None = None) -> list[Problem]:
    """An admin types a due date: one before yesterday (UTC, so no site's today is ever
    refused) is a typing mistake, unless it is the one the work order has (`kept`: a late
    order's target changed). The ERP's own rows may be late; its API takes them."""
    if due is None or due == "":
        return []
    when = RowReader(0, {"due": due}, frozenset({"due"}), []).due("due")
    if when is None or when == kept or when.date() >= (now - timedelta(days=1)).date():
        return []  # a bad date: the plan names it with the integration API's words
    message = f"due {when.date().isoformat()} is past: choose today or later."
    return [Problem(0, "due", "due_in_past", message)]


def _line_row(line: Line) -> dict[str, Any]:
    return {
        "code": line.code,
        "department": line.department.value,
        "name": line.name,
        "active": line.is_active,
    }


def _person_row(session: Session, person: User) -> dict[str, Any]:
    ids = [link.line_id for link in person.lines]
    codes = session.scalars(select(Line.code).where(Line.id.in_(ids))).all() if ids else []
    return {
        "employee_no": person.employee_no,
        "name": person.name,
        "role": person.role.value,
        "department": None if person.department is None else person.department.value,
        "lines": sorted(codes),
        "active": person.is_active,
    }


def _work_order(session: Session, number: str) -> WorkOrder:
    found = session.scalar(select(WorkOrder).where(WorkOrder.number == number.strip().upper()))
    if found is None:
        raise _problem("number", "unknown", f"no work order {number!r} here")
    return found


def _work_order_row(work_order: WorkOrder) -> dict[str, Any]:
    return {
        "number": work_order.number,
        "mo_number": work_order.mo_number,
        "article": work_order.article,
        "destination": work_order.destination,
        "department": work_order.department.value,
        "line": work_order.line.code,
        "route": work_order.route,
        "target_qty": work_order.target_qty,
        "due": None if work_order.due_at is None else work_order.due_at.isoformat(),
    }
