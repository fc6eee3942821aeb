"""Who is acting: the logged-in user as the services see them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from kiosk.domain.roles import Department, Role
from kiosk.store.models import User
from kiosk.store.unit_of_work import AuditActor


@dataclass(frozen=True)
class Actor:
    """A logged-in user; built only by `AuthService`, passed to every service call."""

    user_id: uuid.UUID
    employee_no: str
    name: str
    role: Role
    department: Department | None
    line_codes: frozenset[str]
    language: str = ""  # the screens' language while logged in (en, id); "": the kiosk's

    @property
    def audit(self) -> AuditActor:
        return AuditActor(self.user_id, f"{self.employee_no} {self.name}")


def actor_of(user: User) -> Actor:
    """The acting user as the services check them (the server builds the same from its rows)."""
    return Actor(
        user_id=user.id,
        employee_no=user.employee_no,
        name=user.name,
        role=user.role,
        department=user.department,
        line_codes=frozenset(link.line.code for link in user.lines),
        language=user.language or "",
    )
