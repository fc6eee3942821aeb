"""An admin's changes to the site's data from a kiosk or a desktop: lines, people, work orders.

Like the privileged identity actions (`kiosk.services.identity`), each is a direct request
the server verifies (the admin's PIN against its own hash) and applies with the integration
API's rules; the feed carries it to every kiosk, and this one asks for a pull at once.
Nothing is queued: offline, or without a server, it "needs the server". The role is
checked here first, so a refusal the permission table already gives costs no round trip.
A refusal of the rows carries `problems` (field, reason, message) for the form.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.roles import Action
from kiosk.services.actor import Actor
from kiosk.services.authz import authorize
from kiosk.services.identity import Proof, ServerAnswer
from kiosk.store.unit_of_work import UnitOfWork


class AdminOperation(StrEnum):
    """Each request the server takes (the value is its path under /v1/admin/)."""

    ADD_LINE = "lines/add"
    RENAME_LINE = "lines/rename"
    DEACTIVATE_LINE = "lines/deactivate"
    ADD_PERSON = "people/add"
    EDIT_PERSON = "people/edit"
    CREATE_WORK_ORDER = "work-orders/create"
    EDIT_WORK_ORDER = "work-orders/edit"
    CANCEL_WORK_ORDER = "work-orders/cancel"
    CREATE_KEY = "integration-keys/create"
    REVOKE_KEY = "integration-keys/revoke"
    OPEN_SESSION = "session"


class AdminList(StrEnum):
    """Each list the server gives an admin (the value is its path under /v1/admin/)."""

    PEOPLE = "people"
    WORK_ORDERS = "work-orders"
    DEVICES = "devices"
    KEYS = "integration-keys"
    AUDIT = "audit"
    AUDIT_CSV = "audit.csv"


# Each operation: the permission it needs and the kind of row it is about (for the audit).
_NEEDS: dict[AdminOperation, tuple[Action, str]] = {
    AdminOperation.ADD_LINE: (Action.SITE_MANAGE, "line"),
    AdminOperation.RENAME_LINE: (Action.SITE_MANAGE, "line"),
    AdminOperation.DEACTIVATE_LINE: (Action.SITE_MANAGE, "line"),
    AdminOperation.ADD_PERSON: (Action.USER_MANAGE, "user"),
    AdminOperation.EDIT_PERSON: (Action.USER_MANAGE, "user"),
    AdminOperation.CREATE_WORK_ORDER: (Action.SITE_MANAGE, "work_order"),
    AdminOperation.EDIT_WORK_ORDER: (Action.SITE_MANAGE, "work_order"),
    AdminOperation.CANCEL_WORK_ORDER: (Action.SITE_MANAGE, "work_order"),
    AdminOperation.CREATE_KEY: (Action.SITE_MANAGE, "integration_key"),
    AdminOperation.REVOKE_KEY: (Action.SITE_MANAGE, "integration_key"),
    AdminOperation.OPEN_SESSION: (Action.ADMIN_SCREEN, "user"),
}
_LIST_NEEDS: dict[AdminList, Action] = {
    AdminList.PEOPLE: Action.USER_MANAGE,
    AdminList.WORK_ORDERS: Action.SITE_MANAGE,
    AdminList.DEVICES: Action.DEVICE_MANAGE,
    AdminList.KEYS: Action.SITE_MANAGE,
    AdminList.AUDIT: Action.AUDIT_VIEW,
    AdminList.AUDIT_CSV: Action.AUDIT_VIEW,
}


@dataclass(frozen=True)
class AdminSession:
    """The admin's PIN checked once by the server: the lists' ticket until `expires_at`."""

    ticket: str
    expires_at: str


@dataclass(frozen=True)
class ListPage:
    """One page of a list; `next_cursor` None: the last page."""

    rows: list[dict[str, Any]]
    next_cursor: str | None = None


class AdminServer(Protocol):
    """The central server's admin requests (kiosk.sync.identity speaks them over HTTP)."""

    def submit_admin(
        self, operation: AdminOperation, proof: Proof, body: Mapping[str, Any]
    ) -> ServerAnswer:
        """Send one request; a `RefusalError` when refused (ROWS_REFUSED with `problems`)
        or NEEDS_SERVER when the server cannot be reached. On success a pull is asked for."""
        ...

    def read_admin(
        self, view: AdminList, ticket: str, params: Mapping[str, Any]
    ) -> dict[str, Any] | str:
        """One list page (JSON), or the CSV text; refused or unreachable: `RefusalError`."""
        ...


class AdminService:
    """The admin's site changes of one kiosk; `server` None: a kiosk without a server."""

    def __init__(self, uow: UnitOfWork, server: AdminServer | None) -> None:
        self._uow = uow
        self._server = server
        # The lists' ticket of the admin logged in here: one PIN opens every admin list.
        self._session: tuple[uuid.UUID, AdminSession] | None = None

    @property
    def has_server(self) -> bool:
        return self._server is not None

    # ------------------------------------------------------------------ lines
    def add_line(self, actor: Actor, pin: str, *, code: str, department: str, name: str) -> None:
        body = {"code": code, "department": department, "name": name}
        self._send(actor, pin, AdminOperation.ADD_LINE, code, body)

    def rename_line(self, actor: Actor, pin: str, *, code: str, name: str) -> None:
        self._send(actor, pin, AdminOperation.RENAME_LINE, code, {"code": code, "name": name})

    def deactivate_line(self, actor: Actor, pin: str, *, code: str) -> None:
        """Retire a line; refused while it holds work (the server says which)."""
        self._send(actor, pin, AdminOperation.DEACTIVATE_LINE, code, {"code": code})

    # ------------------------------------------------------------------ people
    def add_person(
        self,
        actor: Actor,
        pin: str,
        *,
        employee_no: str,
        name: str,
        role: str,
        department: str | None,
        lines: list[str] | None = None,
        language: str | None = None,
    ) -> None:
        """A new person with no PIN: they choose one at their first badge tap; `language`
        their screens' own (en, id; None: the kiosk's)."""
        body = {
            "employee_no": employee_no,
            "name": name,
            "role": role,
            "department": department,
            "lines": lines or [],
            "language": language,
        }
        self._send(actor, pin, AdminOperation.ADD_PERSON, employee_no, body)

    def edit_person(self, actor: Actor, pin: str, employee_no: str, **changes: Any) -> None:
        """Any of name, role, department (None: none), lines, active, language (None: the
        kiosk's); others stay."""
        known = {"name", "role", "department", "lines", "active", "language"}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"no such fields of a person: {unknown}")
        body = {"employee_no": employee_no, **changes}
        self._send(actor, pin, AdminOperation.EDIT_PERSON, employee_no, body)

    def deactivate_person(self, actor: Actor, pin: str, employee_no: str) -> None:
        """They log in nowhere from the kiosks' next pull; their history stays."""
        self.edit_person(actor, pin, employee_no, active=False)

    def assign_lines(self, actor: Actor, pin: str, employee_no: str, lines: list[str]) -> None:
        self.edit_person(actor, pin, employee_no, lines=lines)

    # ------------------------------------------------------------------ work orders
    def create_work_order(self, actor: Actor, pin: str, fields: Mapping[str, Any]) -> None:
        """number, mo_number, article, destination, department, line, route, target_qty,
        due: as the integration API takes them."""
        number = str(fields.get("number", ""))
        self._send(actor, pin, AdminOperation.CREATE_WORK_ORDER, number, dict(fields))

    def edit_work_order(self, actor: Actor, pin: str, number: str, **changes: Any) -> None:
        """target_qty and/or due (None: no due date)."""
        unknown = sorted(set(changes) - {"target_qty", "due"})
        if unknown:
            raise ValueError(f"no such fields of a work order edit: {unknown}")
        body = {"number": number, **changes}
        self._send(actor, pin, AdminOperation.EDIT_WORK_ORDER, number, body)

    def cancel_work_order(self, actor: Actor, pin: str, number: str) -> None:
        self._send(actor, pin, AdminOperation.CANCEL_WORK_ORDER, number, {"number": number})

    # ------------------------------------------------------------------ integration keys
    def create_integration_key(self, actor: Actor, pin: str, name: str) -> str:
        """A new key for the site's ERP: shown this once, never kept anywhere readable."""
        answer = self._send(actor, pin, AdminOperation.CREATE_KEY, name, {"name": name})
        return str(answer.fields.get("key", ""))

    def revoke_integration_key(self, actor: Actor, pin: str, name: str) -> None:
        self._send(actor, pin, AdminOperation.REVOKE_KEY, name, {"name": name})

    # ------------------------------------------------------------------ the lists
    def open_session(self, actor: Actor, pin: str) -> AdminSession:
        """The PIN once for the lists (they page without asking it again, 15 minutes)."""
        answer = self._send(actor, pin, AdminOperation.OPEN_SESSION, str(actor.user_id), {})
        made = AdminSession(str(answer.fields["ticket"]), str(answer.fields["expires_at"]))
        self._session = (actor.user_id, made)
        return made

    def live_session(self, actor: Actor, now: datetime) -> AdminSession | None:
        """The ticket `actor` opened here, while it lasts: People, Devices and Audit share it."""
        held = self._session
        if held is None or held[0] != actor.user_id:
            return None
        try:
            expires = datetime.fromisoformat(held[1].expires_at)
        except ValueError:
            return None
        if expires <= now:
            self._session = None
            return None
        return held[1]

    def end_session(self) -> None:
        """The admin logged out: the next one types their own PIN."""
        self._session = None

    def people(
        self, actor: Actor, session: AdminSession, search: str = "", cursor: str | None = None
    ) -> ListPage:
        """People by employee number; `search` is part of a name or an employee number."""
        return self._page(actor, session, AdminList.PEOPLE, {"search": search}, cursor)

    def work_orders(
        self, actor: Actor, session: AdminSession, search: str = "", cursor: str | None = None
    ) -> ListPage:
        """Work orders by number; `search` is part of a number, an article or a line code."""
        return self._page(actor, session, AdminList.WORK_ORDERS, {"search": search}, cursor)

    def devices(self, actor: Actor, session: AdminSession) -> ListPage:
        return self._page(actor, session, AdminList.DEVICES, {}, None)

    def integration_keys(self, actor: Actor, session: AdminSession) -> ListPage:
        return self._page(actor, session, AdminList.KEYS, {}, None)

    def audit(
        self,
        actor: Actor,
        session: AdminSession,
        filters: Mapping[str, str] | None = None,
        cursor: str | None = None,
    ) -> ListPage:
        """Newest first; `filters`: person (employee number), line, kind, day (YYYY-MM-DD)."""
        return self._page(actor, session, AdminList.AUDIT, dict(filters or {}), cursor)

    def audit_csv(
        self, actor: Actor, session: AdminSession, filters: Mapping[str, str] | None = None
    ) -> str:
        """The entries the filters find, as CSV text (the export is audited centrally)."""
        authorize(actor, _LIST_NEEDS[AdminList.AUDIT_CSV])
        server = self._needs_server()
        text = server.read_admin(AdminList.AUDIT_CSV, session.ticket, dict(filters or {}))
        return text if isinstance(text, str) else ""

    def _page(
        self,
        actor: Actor,
        session: AdminSession,
        view: AdminList,
        params: dict[str, Any],
        cursor: str | None,
    ) -> ListPage:
        authorize(actor, _LIST_NEEDS[view])
        server = self._needs_server()
        query = {key: value for key, value in params.items() if value}
        if cursor is not None:
            query["cursor"] = cursor
        answer = server.read_admin(view, session.ticket, query)
        if not isinstance(answer, dict):
            return ListPage([])
        return ListPage(list(answer.get("rows") or []), answer.get("next_cursor"))

    def _needs_server(self) -> AdminServer:
        if self._server is None:
            raise RefusalError(ErrorCode.NEEDS_SERVER)
        return self._server

    # ------------------------------------------------------------------ the one path
    def _send(
        self,
        actor: Actor,
        pin: str,
        operation: AdminOperation,
        about: str,
        body: Mapping[str, Any],
    ) -> ServerAnswer:
        """Check the role here, ask the server, audit the outcome here; nothing is queued."""
        action, entity = _NEEDS[operation]
        attempted = {"operation": operation.value, "key": about}
        try:
            authorize(actor, action)
            if self._server is None:
                raise RefusalError(ErrorCode.NEEDS_SERVER)
            answer = self._server.submit_admin(operation, Proof(actor.user_id, pin), body)
        except RefusalError as refusal:
            self._uow.record_refusal(
                actor.audit,
                action.value,
                refusal,
                entity=entity,
                entity_id=None,
                attempted=attempted,
            )
            raise
        with self._uow.action(actor.audit, action.value) as tx:
            tx.about(entity, None, **attempted)
            tx.audit(verified_by="server")
        return answer
