"""HTTP routes of the privileged identity requests (logic in `server_sync.identity`).

Each request carries the device token (who asks: which kiosk) and the proof of the
person asking (their id, PIN and, where needed, badge). 401: no or a refused token;
403: the person, their role, place or PIN is refused (a wrong PIN is counted); 404: no
such person or device; 409: the state says no (a badge in use by someone else);
422: malformed; nothing is written but the refusal's audit entry and a counted PIN.
"""

# No `from __future__ import annotations`: FastAPI reads these signatures at run time,
# and the device dependency is a closure of `identity_router`.

import uuid
from collections.abc import Callable
from typing import Annotated, Any, Literal, Self

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field, model_validator

from kiosk.domain.roles import Department, Role
from server_sync.backend import app_desk
from server_sync.first_pin import FirstPinDesk, FirstPinProof
from server_sync.identity import (
    Decision,
    IdentityDesk,
    IdentityPolicy,
    IdentityRefusedError,
    PersonChange,
    Proof,
)
from server_sync.json_body import StorableJsonRoute
from server_sync.models import Device
from server_sync.schemas import ErrorOut, Strict
from server_sync.schemas import Request as StrictRequest

PREFIX = "/v1/identity"

Pin = Annotated[str, Field(min_length=4, max_length=12, pattern=r"^[0-9]+$")]
BadgeUid = Annotated[str, Field(min_length=1, max_length=64)]
LineCodes = Annotated[list[Annotated[str, Field(max_length=32)]], Field(max_length=50)]
# A person's own screen language (server_sync.site_people.PERSON_LANGUAGES); null: the kiosk's.
PersonLanguage = Literal["en", "id"]


class ActorProof(Strict):
    """The privileged person asking, proved again for this request."""

    user_id: uuid.UUID
    pin: Pin
    badge: BadgeUid | None = Field(default=None, description="the UID of their badge, if tapped")

    def proof(self) -> Proof:
        return Proof(self.user_id, self.pin, self.badge)


class BadgeBind(StrictRequest):
    actor: ActorProof
    user_id: uuid.UUID
    badge: BadgeUid


class AboutPerson(StrictRequest):
    actor: ActorProof
    user_id: uuid.UUID


class PinReset(StrictRequest):
    actor: ActorProof
    user_id: uuid.UUID
    new_pin: Pin | None = Field(
        default=None, description="the new PIN; none: they choose one at their next badge tap"
    )


class PersonChangeIn(StrictRequest):
    actor: ActorProof
    user_id: uuid.UUID
    name: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    role: Role | None = None
    department: Department | None = None
    line_codes: LineCodes | None = None
    is_active: bool | None = None
    language: PersonLanguage | None = Field(
        default=None, description="their screens' language; null: the kiosk's; absent: kept"
    )


class FirstPinIn(StrictRequest):
    """A person without a PIN chooses one: proved by their badge or their setup code."""

    user_id: uuid.UUID
    new_pin: Pin
    badge: BadgeUid | None = Field(default=None, description="the UID of their badge, if tapped")
    setup_code: Annotated[str, Field(min_length=4, max_length=16, pattern=r"^[0-9 -]+$")] | None = (
        Field(default=None, description="the one-time code of `server-sync pin-code`")
    )

    @model_validator(mode="after")
    def _one_proof(self) -> Self:
        if (self.badge is None) == (self.setup_code is None):
            raise ValueError("give either a badge or a setup code")
        return self


class DeviceCodeIn(StrictRequest):
    actor: ActorProof
    line: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    department: Department | None = None


class DeviceRevokeIn(StrictRequest):
    actor: ActorProof
    device_id: uuid.UUID


class ChangedRow(BaseModel):
    entity: str
    key: str
    data: dict[str, Any]


class IdentityAnswer(BaseModel):
    result: Literal["applied"] = "applied"
    changes: list[ChangedRow] = Field(
        description="the changed rows as this device's feed gives them (apply them at once)"
    )
    code: str | None = Field(default=None, description="a new device's enrolment code")
    expires_at: str | None = None


_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "no token, or a revoked or unknown one"},
    403: {"model": ErrorOut, "description": "the person, role, place, PIN or badge is refused"},
    404: {"model": ErrorOut, "description": "no such person or device"},
    409: {"model": ErrorOut, "description": "the current state refuses it (badge in use…)"},
    422: {"description": "the request is malformed; nothing was written"},
}


def _desk(request: Request) -> IdentityDesk:
    # Wrong PINs here count with the same lockout as pushed `pin.refused` events.
    return app_desk(
        request.app.state,
        "identity_desk",
        lambda backend: IdentityDesk(
            backend.sessions, backend.clock, policy=IdentityPolicy(lockout=backend.rules.lockout)
        ),
    )


def _first_pins(request: Request) -> FirstPinDesk:
    return app_desk(
        request.app.state,
        "first_pin_desk",
        lambda backend: FirstPinDesk(
            backend.sessions, backend.clock, lockout=backend.rules.lockout
        ),
    )


def _answer(decide: Callable[[], Decision]) -> IdentityAnswer:
    try:
        decision = decide()
    except IdentityRefusedError as refusal:
        raise HTTPException(
            refusal.status, {"code": refusal.code, "message": refusal.message, **refusal.fields}
        ) from None
    return IdentityAnswer(
        changes=[ChangedRow(**row) for row in decision.changes],
        code=decision.fields.get("code"),
        expires_at=decision.fields.get("expires_at"),
    )


def identity_router(device_dependency: Callable[..., Device]) -> APIRouter:
    """The routes, authenticated by the app's own device-token dependency."""
    router = APIRouter(
        prefix=PREFIX, tags=["identity"], responses=_ERRORS, route_class=StorableJsonRoute
    )

    @router.post("/badges/bind", response_model=IdentityAnswer)
    def bind_badge(
        body: BadgeBind,
        device: Annotated[Device, Depends(device_dependency)],
        desk: Annotated[IdentityDesk, Depends(_desk)],
    ) -> IdentityAnswer:
        """Bind a badge to a person (their old badge stops working); an admin only."""
        return _answer(
            lambda: desk.bind_badge(device, body.actor.proof(), body.user_id, body.badge)
        )

    @router.post("/badges/unbind", response_model=IdentityAnswer)
    def unbind_badge(
        body: AboutPerson,
        device: Annotated[Device, Depends(device_dependency)],
        desk: Annotated[IdentityDesk, Depends(_desk)],
    ) -> IdentityAnswer:
        """Take a person's badge away (lost or handed back); an admin only."""
        return _answer(lambda: desk.unbind_badge(device, body.actor.proof(), body.user_id))

    @router.post("/users/unlock", response_model=IdentityAnswer)
    def unlock(
        body: AboutPerson,
        device: Annotated[Device, Depends(device_dependency)],
        desk: Annotated[IdentityDesk, Depends(_desk)],
    ) -> IdentityAnswer:
        """Clear a lockout: a supervisor for their department, an admin for anyone."""
        return _answer(lambda: desk.unlock(device, body.actor.proof(), body.user_id))

    @router.post("/users/reset-pin", response_model=IdentityAnswer)
    def reset_pin(
        body: PinReset,
        device: Annotated[Device, Depends(device_dependency)],
        desk: Annotated[IdentityDesk, Depends(_desk)],
    ) -> IdentityAnswer:
        """Give a person a new PIN, or none to choose at their next tap (it also clears a
        lockout); an admin only."""
        return _answer(
            lambda: desk.reset_pin(device, body.actor.proof(), body.user_id, body.new_pin)
        )

    @router.post("/users/first-pin", response_model=IdentityAnswer)
    def first_pin(
        body: FirstPinIn,
        device: Annotated[Device, Depends(device_dependency)],
        desk: Annotated[FirstPinDesk, Depends(_first_pins)],
    ) -> IdentityAnswer:
        """A person with no PIN yet chooses one (their badge or setup code proves them);
        refused once they have one, so a replay does nothing."""
        proof = FirstPinProof(badge_uid=body.badge, setup_code=body.setup_code)
        return _answer(lambda: desk.set_first_pin(device, body.user_id, body.new_pin, proof))

    @router.post("/users/change", response_model=IdentityAnswer)
    def change_person(
        body: PersonChangeIn,
        device: Annotated[Device, Depends(device_dependency)],
        desk: Annotated[IdentityDesk, Depends(_desk)],
    ) -> IdentityAnswer:
        """Change a person's name, role, department, lines, screen language or whether they
        may log in."""
        change = PersonChange(
            name=body.name,
            role=body.role,
            department=body.department,
            department_given="department" in body.model_fields_set,
            line_codes=None if body.line_codes is None else tuple(body.line_codes),
            is_active=body.is_active,
            language=body.language,
            language_given="language" in body.model_fields_set,
        )
        return _answer(lambda: desk.change_person(device, body.actor.proof(), body.user_id, change))

    @router.post("/devices/enrolment-code", response_model=IdentityAnswer)
    def create_device_code(
        body: DeviceCodeIn,
        device: Annotated[Device, Depends(device_dependency)],
        desk: Annotated[IdentityDesk, Depends(_desk)],
    ) -> IdentityAnswer:
        """A one-time code for a new line kiosk (or, department only, a desktop)."""
        department = None if body.department is None else body.department.value
        return _answer(
            lambda: desk.create_device_code(
                device, body.actor.proof(), line_code=body.line, department=department
            )
        )

    @router.post("/devices/revoke", response_model=IdentityAnswer)
    def revoke_device(
        body: DeviceRevokeIn,
        device: Annotated[Device, Depends(device_dependency)],
        desk: Annotated[IdentityDesk, Depends(_desk)],
    ) -> IdentityAnswer:
        """Refuse a device's token from now on."""
        return _answer(lambda: desk.revoke_device(device, body.actor.proof(), body.device_id))

    return router
