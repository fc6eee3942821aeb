"""HTTP routes of the admin screens' lists and of the integration keys (`admin_views`).

`POST /v1/admin/session` checks the admin's PIN once and answers a ticket; each list is a
GET with the device token and that ticket (`X-Admin-Ticket`), paged by `cursor`. The role
is read again at each request (the one permission table). Key creation and revocation
are admin actions like the others: the proof in the body, audited centrally.
"""

# No `from __future__ import annotations`: FastAPI reads these signatures at run time.

import logging
from collections.abc import Callable, Iterator
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from kiosk.domain.roles import Action
from server_sync import admin_ticket
from server_sync.admin_desk import AdminDesk, admin_label
from server_sync.admin_routes import admin_desk
from server_sync.admin_views import (
    MAX_LIMIT,
    AuditFilter,
    BadCursorError,
    Page,
    api_keys_listing,
    audit_csv,
    audit_page,
    devices,
    people_page,
    work_orders_page,
)
from server_sync.central_audit import record
from server_sync.identity import Decision, IdentityRefusedError, device_where
from server_sync.identity_routes import ActorProof
from server_sync.json_body import StorableJsonRoute
from server_sync.models import Device
from server_sync.schemas import ErrorOut
from server_sync.schemas import Request as StrictRequest

log = logging.getLogger(__name__)

PREFIX = "/v1/admin"
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, Query(max_length=400)]


class SessionIn(StrictRequest):
    actor: ActorProof


class SessionOut(BaseModel):
    ticket: str = Field(description=f"send it as {admin_ticket.HEADER} with each list request")
    expires_at: str


class KeyIn(StrictRequest):
    actor: ActorProof
    name: Annotated[str, Field(max_length=200)]


class KeyOut(BaseModel):
    result: str = "applied"
    key: str | None = Field(default=None, description="the new key: shown this once only")


class PageOut(BaseModel):
    rows: list[dict[str, Any]]
    next_cursor: str | None = Field(description="the next page's cursor; none: the last page")


class ListOut(BaseModel):
    rows: list[dict[str, Any]]


_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "no token or ticket, or a refused or expired one"},
    403: {"model": ErrorOut, "description": "the person's role may not see this"},
    422: {"description": "a bad filter or cursor; rows_refused for a key's name"},
}


def _refusal(refusal: IdentityRefusedError) -> HTTPException:
    return HTTPException(
        refusal.status, {"code": refusal.code, "message": refusal.message, **refusal.fields}
    )


def _decided(decide: Callable[[], Decision]) -> dict[str, Any]:
    try:
        return decide().fields
    except IdentityRefusedError as refusal:
        raise _refusal(refusal) from None


def admin_list_router(device_dependency: Callable[..., Device]) -> APIRouter:  # noqa: PLR0915
    """The routes, authenticated by the app's device-token dependency and the ticket."""
    router = APIRouter(
        prefix=PREFIX, tags=["admin"], responses=_ERRORS, route_class=StorableJsonRoute
    )
    DeviceDep = Annotated[Device, Depends(device_dependency)]  # noqa: N806
    Desk = Annotated[AdminDesk, Depends(admin_desk)]  # noqa: N806
    Ticket = Annotated[str | None, Header(alias=admin_ticket.HEADER)]  # noqa: N806

    def read(
        request: Request, device: Device, ticket: str | None, action: Action
    ) -> tuple[Session, Any]:
        backend = request.app.state.backend
        session: Session = backend.sessions()
        try:
            user = admin_ticket.holder(session, device, ticket, action, backend.clock())
            session.commit()  # the ticket key, made at the first use
        except IdentityRefusedError as refusal:
            session.close()
            raise _refusal(refusal) from None
        return session, user

    def paged(load: Callable[[], Page]) -> PageOut:
        try:
            page = load()
        except BadCursorError as error:
            raise HTTPException(422, {"code": "bad_cursor", "message": str(error)}) from None
        return PageOut(rows=page.rows, next_cursor=page.next_cursor)

    @router.post("/session", response_model=SessionOut)
    def open_session(body: SessionIn, device: DeviceDep, desk: Desk) -> SessionOut:
        """The admin's PIN, checked once: a ticket for the lists on this device (15 min)."""
        fields = _decided(lambda: desk.open_session(device, body.actor.proof()))
        return SessionOut(ticket=fields["ticket"], expires_at=fields["expires_at"])

    @router.get("/people", response_model=PageOut)
    def people(  # noqa: PLR0917  (the query's parts)
        request: Request,
        device: DeviceDep,
        ticket: Ticket = None,
        search: Annotated[str, Query(max_length=100)] = "",
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> PageOut:
        """People by employee number; `search`: part of a name or an employee number."""
        session, _user = read(request, device, ticket, Action.USER_MANAGE)
        with session:
            return paged(lambda: people_page(session, search, cursor, limit))

    @router.get("/work-orders", response_model=PageOut)
    def work_orders(  # noqa: PLR0917  (the query's parts)
        request: Request,
        device: DeviceDep,
        ticket: Ticket = None,
        search: Annotated[str, Query(max_length=100)] = "",
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> PageOut:
        """Work orders by number, withdrawn ones too; `search`: part of a number, an article
        or a line's code."""
        session, _user = read(request, device, ticket, Action.SITE_MANAGE)
        with session:
            return paged(lambda: work_orders_page(session, search, cursor, limit))

    @router.get("/devices", response_model=ListOut)
    def device_list(request: Request, device: DeviceDep, ticket: Ticket = None) -> ListOut:
        """Every device: last seen, clock offset, held events (version and the kiosk's
        waiting events are not reported to the server yet: null)."""
        session, _user = read(request, device, ticket, Action.DEVICE_MANAGE)
        with session:
            return ListOut(rows=devices(session))

    @router.get("/integration-keys", response_model=ListOut)
    def key_list(request: Request, device: DeviceDep, ticket: Ticket = None) -> ListOut:
        """The ERP's keys with their last use (the keys themselves are never kept)."""
        session, _user = read(request, device, ticket, Action.SITE_MANAGE)
        with session:
            return ListOut(rows=api_keys_listing(session))

    @router.post("/integration-keys/create", response_model=KeyOut)
    def create_key(body: KeyIn, device: DeviceDep, desk: Desk) -> KeyOut:
        """A new key, in this answer only."""
        fields = _decided(lambda: desk.create_api_key(device, body.actor.proof(), body.name))
        return KeyOut(key=fields["key"])

    @router.post("/integration-keys/revoke", response_model=KeyOut)
    def revoke_key(body: KeyIn, device: DeviceDep, desk: Desk) -> KeyOut:
        _decided(lambda: desk.revoke_api_key(device, body.actor.proof(), body.name))
        return KeyOut()

    def audit_filter(
        person: str | None, line: str | None, kind: str | None, day: date | None
    ) -> AuditFilter:
        return AuditFilter(person=person or None, line=line or None, kind=kind or None, day=day)

    Text = Annotated[str | None, Query(max_length=64)]  # noqa: N806

    @router.get("/audit", response_model=PageOut)
    def audit(  # noqa: PLR0917  (the filters)
        request: Request,
        device: DeviceDep,
        ticket: Ticket = None,
        person: Text = None,
        line: Text = None,
        kind: Text = None,
        day: date | None = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> PageOut:
        """The central audit, the server's own chain and every kiosk's, newest first:
        filtered by person (employee number), line, kind (an action or its start) and day
        (the site's day, in its time zone)."""
        session, _user = read(request, device, ticket, Action.AUDIT_VIEW)
        wanted = audit_filter(person, line, kind, day)
        with session:
            return paged(lambda: audit_page(session, wanted, cursor, limit))

    @router.get("/audit.csv")
    def audit_export(  # noqa: PLR0917  (the filters)
        request: Request,
        device: DeviceDep,
        ticket: Ticket = None,
        person: Text = None,
        line: Text = None,
        kind: Text = None,
        day: date | None = None,
    ) -> StreamingResponse:
        """The same entries as CSV (at most 100,000); the export itself is audited."""
        session, user = read(request, device, ticket, Action.AUDIT_VIEW)
        wanted = audit_filter(person, line, kind, day)
        details = {
            **device_where(device),
            "filter": {"person": person, "line": line, "kind": kind, "day": str(day or "")},
        }
        now = request.app.state.backend.clock()
        record(
            session, now, admin_label(user, device), "admin.audit.export", "audit", None, details
        )
        session.commit()

        def rows() -> Iterator[str]:
            with session:
                yield from audit_csv(session, wanted)

        headers = {"Content-Disposition": 'attachment; filename="audit.csv"'}
        return StreamingResponse(rows(), media_type="text/csv", headers=headers)

    return router
