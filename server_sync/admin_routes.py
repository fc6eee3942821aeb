"""HTTP routes of an admin's site changes from a device (logic in `server_sync.admin_desk`).

Authenticated as the identity routes are: the device token says which device asks, the
`actor` proof (id, PIN, badge if tapped) who. 422 `rows_refused` carries `problems`
(index, field, reason, message: the integration API's), so a form shows why next to the
field; 403 the person, role, place or PIN; 409 a race. Nothing is written on a refusal
but its audit row (and a counted wrong PIN).
"""

# No `from __future__ import annotations`: FastAPI reads these signatures at run time.

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from server_sync.admin_desk import AdminDesk, PersonEdit
from server_sync.backend import app_desk
from server_sync.identity import Decision, IdentityPolicy, IdentityRefusedError
from server_sync.identity_routes import ActorProof
from server_sync.json_body import StorableJsonRoute
from server_sync.models import Device
from server_sync.schemas import ErrorOut
from server_sync.schemas import Request as StrictRequest

PREFIX = "/v1/admin"

# Loose on purpose: the field rules (lengths, codes, choices) are the integration API's,
# answered as problems with their field; only the shape is checked here.
Text = Annotated[str, Field(max_length=200)]
Codes = Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=100)]


class LineAdd(StrictRequest):
    actor: ActorProof
    code: Text
    department: Text
    name: Text


class LineRename(StrictRequest):
    actor: ActorProof
    code: Text
    name: Text


class AboutLine(StrictRequest):
    actor: ActorProof
    code: Text


class PersonAdd(StrictRequest):
    actor: ActorProof
    employee_no: Text
    name: Text
    role: Text
    department: Text | None = None
    lines: Codes = Field(default_factory=list)
    language: Text | None = Field(None, description="en or id; none: the kiosk's language")


class PersonEditIn(StrictRequest):
    actor: ActorProof
    employee_no: Text
    name: Text | None = None
    role: Text | None = None
    department: Text | None = None
    lines: Codes | None = None
    active: bool | None = None
    language: Text | None = Field(
        None, description="en or id; null: the kiosk's language; absent: kept"
    )


class WorkOrderCreate(StrictRequest):
    actor: ActorProof
    number: Text
    mo_number: Text
    article: Text
    destination: Text
    department: Text | None = Field(None, description="none: the line's department")
    line: Text
    route: Text
    target_qty: int | None = Field(None, description="none: refused as missing, by field")
    due: Text | None = None


class WorkOrderEdit(StrictRequest):
    actor: ActorProof
    number: Text
    target_qty: int | None = None
    due: Text | None = None


class AboutWorkOrder(StrictRequest):
    actor: ActorProof
    number: Text


class AdminAnswer(BaseModel):
    result: Literal["applied"] = "applied"
    created: int = 0
    updated: int = Field(0, description="0 and 0: the row was already so (nothing changed)")
    changes: list[dict[str, Any]] = Field(
        default_factory=list, description="none: the device's next pull brings the rows"
    )


_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "no token, or a revoked or unknown one"},
    403: {"model": ErrorOut, "description": "the person, role, place, PIN or badge is refused"},
    409: {"model": ErrorOut, "description": "someone changed the same row at the same moment"},
    422: {"description": "rows_refused: `problems` name each field and reason"},
}


def admin_desk(request: Request) -> AdminDesk:
    return app_desk(
        request.app.state,
        "admin_desk",
        lambda backend: AdminDesk(
            backend.sessions, backend.clock, policy=IdentityPolicy(lockout=backend.rules.lockout)
        ),
    )


def _answer(decide: Callable[[], Decision]) -> AdminAnswer:
    try:
        decision = decide()
    except IdentityRefusedError as refusal:
        raise HTTPException(
            refusal.status, {"code": refusal.code, "message": refusal.message, **refusal.fields}
        ) from None
    fields = decision.fields
    return AdminAnswer(created=fields.get("created", 0), updated=fields.get("updated", 0))


def admin_router(device_dependency: Callable[..., Device]) -> APIRouter:
    """The routes, authenticated by the app's own device-token dependency."""
    router = APIRouter(
        prefix=PREFIX, tags=["admin"], responses=_ERRORS, route_class=StorableJsonRoute
    )
    DeviceDep = Annotated[Device, Depends(device_dependency)]  # noqa: N806
    Desk = Annotated[AdminDesk, Depends(admin_desk)]  # noqa: N806

    @router.post("/lines/add", response_model=AdminAnswer)
    def add_line(body: LineAdd, device: DeviceDep, desk: Desk) -> AdminAnswer:
        """A new line of a department (its kiosk is enrolled with a code afterwards)."""
        return _answer(
            lambda: desk.add_line(
                device,
                body.actor.proof(),
                code=body.code,
                department=body.department,
                name=body.name,
            )
        )

    @router.post("/lines/rename", response_model=AdminAnswer)
    def rename_line(body: LineRename, device: DeviceDep, desk: Desk) -> AdminAnswer:
        return _answer(
            lambda: desk.rename_line(device, body.actor.proof(), code=body.code, name=body.name)
        )

    @router.post("/lines/deactivate", response_model=AdminAnswer)
    def deactivate_line(body: AboutLine, device: DeviceDep, desk: Desk) -> AdminAnswer:
        """Retire a line (refused while it holds work); its history stays."""
        return _answer(lambda: desk.deactivate_line(device, body.actor.proof(), code=body.code))

    @router.post("/people/add", response_model=AdminAnswer)
    def add_person(body: PersonAdd, device: DeviceDep, desk: Desk) -> AdminAnswer:
        """A new person with no PIN: they choose one at their first badge tap."""
        return _answer(
            lambda: desk.add_person(
                device,
                body.actor.proof(),
                body.employee_no,
                body.name,
                body.role,
                body.department,
                tuple(body.lines),
                body.language,
            )
        )

    @router.post("/people/edit", response_model=AdminAnswer)
    def edit_person(body: PersonEditIn, device: DeviceDep, desk: Desk) -> AdminAnswer:
        """Name, role, department, lines, screen language, or `active: false` (no login
        anywhere)."""
        edit = PersonEdit(
            name=body.name,
            role=body.role,
            department=body.department,
            department_given="department" in body.model_fields_set,
            lines=None if body.lines is None else tuple(body.lines),
            active=body.active,
            language=body.language,
            language_given="language" in body.model_fields_set,
        )
        return _answer(lambda: desk.edit_person(device, body.actor.proof(), body.employee_no, edit))

    @router.post("/work-orders/create", response_model=AdminAnswer)
    def create_work_order(body: WorkOrderCreate, device: DeviceDep, desk: Desk) -> AdminAnswer:
        """A work order for a site without an ERP (the integration API's fields)."""
        row = body.model_dump(exclude={"actor"}, exclude_none=True)
        return _answer(lambda: desk.create_work_order(device, body.actor.proof(), row))

    @router.post("/work-orders/edit", response_model=AdminAnswer)
    def edit_work_order(body: WorkOrderEdit, device: DeviceDep, desk: Desk) -> AdminAnswer:
        """Its target (not below what is recorded) and its due date (null: none)."""
        return _answer(
            lambda: desk.edit_work_order(
                device,
                body.actor.proof(),
                body.number,
                target_qty=body.target_qty,
                due=body.due,
                due_given="due" in body.model_fields_set,
            )
        )

    @router.post("/work-orders/cancel", response_model=AdminAnswer)
    def cancel_work_order(body: AboutWorkOrder, device: DeviceDep, desk: Desk) -> AdminAnswer:
        """Withdraw a work order not started yet."""
        return _answer(lambda: desk.cancel_work_order(device, body.actor.proof(), body.number))

    return router
