"""Privileged identity actions: sent to the server as direct requests, never queued.

Binding or unbinding a badge, unlocking an account, resetting a PIN, changing a person,
creating or revoking a device: the server checks the person's PIN against its own hash,
their role and the device, applies the change and publishes it to every kiosk. A kiosk
without its server says so and changes nothing (a queued event would prove nothing:
any kiosk's token could name any actor). The kiosk checks the role first as well, so a
refusal the table already gives costs no round trip; both are audited locally.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any, Protocol

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.roles import Action, Department, Role
from kiosk.services.actor import Actor
from kiosk.services.authz import authorize
from kiosk.services.badges import holder_view
from kiosk.services.effects.people import forget_wrong_pins
from kiosk.services.views import BadgeHolderView
from kiosk.store.models import User
from kiosk.store.unit_of_work import UnitOfWork


class IdentityOperation(StrEnum):
    """Each request the server takes (the value is its path under /v1/identity/)."""

    BIND_BADGE = "badges/bind"
    UNBIND_BADGE = "badges/unbind"
    UNLOCK = "users/unlock"
    RESET_PIN = "users/reset-pin"
    CHANGE_PERSON = "users/change"
    FIRST_PIN = "users/first-pin"  # a person's own first PIN (kiosk.services.first_pin)
    CREATE_DEVICE_CODE = "devices/enrolment-code"
    REVOKE_DEVICE = "devices/revoke"


class Keep(Enum):
    """A field a change leaves as it is, where None is a value of its own."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class Proof:
    """The privileged person asking, proved again for one request: id, PIN, badge if tapped."""

    user_id: uuid.UUID
    pin: str
    badge_uid: str | None = None

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"user_id": str(self.user_id), "pin": self.pin}
        if self.badge_uid is not None:
            body["badge"] = self.badge_uid
        return body


@dataclass(frozen=True)
class ServerAnswer:
    """What the server answered besides the changed rows (those are stored already)."""

    fields: Mapping[str, Any] = field(default_factory=dict)


class IdentityServer(Protocol):
    """The central server's privileged requests (kiosk.sync.identity speaks them over HTTP)."""

    def submit(
        self, operation: IdentityOperation, proof: Proof | None, body: Mapping[str, Any]
    ) -> ServerAnswer:
        """Send one request (`proof` None: the body proves who asks, as for a first PIN).

        On success the rows it changed are in the local database before this returns;
        otherwise a `RefusalError`: NEEDS_SERVER when the server cannot be
        reached, or the server's own refusal (wrong PIN, role, scope, badge in use …)."""
        ...


_ACTION_OF = {
    IdentityOperation.BIND_BADGE: Action.BADGE_MANAGE,
    IdentityOperation.UNBIND_BADGE: Action.BADGE_MANAGE,
    IdentityOperation.UNLOCK: Action.USER_UNLOCK,
    IdentityOperation.RESET_PIN: Action.USER_MANAGE,
    IdentityOperation.CHANGE_PERSON: Action.USER_MANAGE,
    IdentityOperation.CREATE_DEVICE_CODE: Action.DEVICE_MANAGE,
    IdentityOperation.REVOKE_DEVICE: Action.DEVICE_MANAGE,
}


class IdentityService:
    """The privileged identity actions of one kiosk; `server` None: a kiosk without a server."""

    def __init__(self, uow: UnitOfWork, server: IdentityServer | None) -> None:
        self._uow = uow
        self._server = server

    @property
    def has_server(self) -> bool:
        """Whether this kiosk can ask a server at all (the demo and a standalone kiosk cannot)."""
        return self._server is not None

    # ------------------------------------------------------------------ badges
    def bind_badge(
        self, actor: Actor, pin: str, user_id: uuid.UUID, badge_uid: str
    ) -> BadgeHolderView:
        """Bind the tapped badge to the person (their old badge stops working)."""
        self._send(
            actor,
            pin,
            IdentityOperation.BIND_BADGE,
            user_id,
            {"user_id": str(user_id), "badge": badge_uid},
        )
        return self._holder(user_id)

    def unbind_badge(self, actor: Actor, pin: str, user_id: uuid.UUID) -> BadgeHolderView:
        """Take the person's badge away (lost, or handed back)."""
        self._send(actor, pin, IdentityOperation.UNBIND_BADGE, user_id, {"user_id": str(user_id)})
        return self._holder(user_id)

    # ------------------------------------------------------------------ people
    def unlock(self, actor: Actor, pin: str, user_id: uuid.UUID) -> None:
        """Clear a lockout: a supervisor for their department, an admin for anyone."""
        self._send(
            actor,
            pin,
            IdentityOperation.UNLOCK,
            user_id,
            {"user_id": str(user_id)},
            fresh_count=True,
        )

    def reset_pin(
        self, actor: Actor, pin: str, user_id: uuid.UUID, new_pin: str | None = None
    ) -> None:
        """A new PIN for someone, or none: they choose their own at their next tap."""
        self._send(
            actor,
            pin,
            IdentityOperation.RESET_PIN,
            user_id,
            {"user_id": str(user_id), "new_pin": new_pin},
            fresh_count=True,
        )

    def change_person(
        self,
        actor: Actor,
        pin: str,
        user_id: uuid.UUID,
        *,
        name: str | None = None,
        role: Role | None = None,
        department: Department | None = None,
        line_codes: list[str] | None = None,
        is_active: bool | None = None,
        language: str | Keep | None = KEEP,
    ) -> None:
        """Change what the site knows of a person; None leaves a field as it is, except
        `language`: None gives them the kiosk's language, KEEP leaves theirs."""
        body: dict[str, Any] = {"user_id": str(user_id)}
        changes = {
            "name": name,
            "role": None if role is None else role.value,
            "department": None if department is None else department.value,
            "line_codes": line_codes,
            "is_active": is_active,
        }
        body.update({key: value for key, value in changes.items() if value is not None})
        if not isinstance(language, Keep):
            body["language"] = language
        self._send(actor, pin, IdentityOperation.CHANGE_PERSON, user_id, body)

    # ------------------------------------------------------------------ devices
    def create_device_code(
        self, actor: Actor, pin: str, *, line: str | None = None, department: str | None = None
    ) -> str:
        """A one-time enrolment code for a new line kiosk (or a department's desktop)."""
        body = {"line": line} if line is not None else {"department": department}
        answer = self._send(actor, pin, IdentityOperation.CREATE_DEVICE_CODE, None, body)
        return str(answer.fields.get("code", ""))

    def revoke_device(self, actor: Actor, pin: str, device_id: uuid.UUID) -> None:
        self._send(
            actor,
            pin,
            IdentityOperation.REVOKE_DEVICE,
            device_id,
            {"device_id": str(device_id)},
        )

    # ------------------------------------------------------------------ the one path
    def _send(
        self,
        actor: Actor,
        pin: str,
        operation: IdentityOperation,
        about: uuid.UUID | None,
        body: Mapping[str, Any],
        *,
        fresh_count: bool = False,
    ) -> ServerAnswer:
        """Check the role here, ask the server, audit the outcome here; nothing is queued.

        No local transaction is open while the server is asked: its answer's rows are
        written by the server's client, in a transaction of their own. `fresh_count`: the
        person's count of wrong PINs on this kiosk starts over (it never travels).
        """
        action = _ACTION_OF[operation]
        entity = "device" if action is Action.DEVICE_MANAGE else "user"
        attempted = {"operation": operation.value}
        try:
            authorize(actor, action)
            if self._server is None:
                raise RefusalError(ErrorCode.NEEDS_SERVER)
            answer = self._server.submit(operation, Proof(actor.user_id, pin), body)
        except RefusalError as refusal:
            self._uow.record_refusal(
                actor.audit,
                action.value,
                refusal,
                entity=entity,
                entity_id=None if about is None else str(about),
                attempted=attempted,
            )
            raise
        with self._uow.action(actor.audit, action.value) as tx:
            tx.about(entity, about, **attempted)
            subject = tx.session.get(User, about) if fresh_count else None
            if subject is not None:
                forget_wrong_pins(subject)  # the count, and the PIN pad's wait with it
            tx.audit(verified_by="server")
        return answer

    def _holder(self, user_id: uuid.UUID) -> BadgeHolderView:
        """The person as the badge screen lists them, after the server's rows were stored."""
        with self._uow.database.reader() as session:
            user = session.get(User, user_id)
            if user is None:
                raise RefusalError(ErrorCode.UNKNOWN_EMPLOYEE, user_id=str(user_id))
            return holder_view(user)
