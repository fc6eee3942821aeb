"""Permission checks: the one permission table plus line and department scope."""

from __future__ import annotations

from kiosk.domain.errors import ErrorCode, PermissionDeniedError
from kiosk.domain.roles import (
    DEPARTMENT_BOUND_ROLES,
    LINE_BOUND_ROLES,
    Action,
    Department,
    is_allowed,
)
from kiosk.services.actor import Actor


def authorize(
    actor: Actor,
    action: Action,
    *,
    line_code: str | None = None,
    department: Department | None = None,
) -> None:
    """Refuse unless the actor's role allows `action` on that line / department."""
    if not is_allowed(actor.role, action):
        raise PermissionDeniedError(
            ErrorCode.PERMISSION_DENIED, role=actor.role.value, action=action.value
        )
    if line_code is not None and not may_work_on_line(actor, line_code, department):
        raise PermissionDeniedError(
            ErrorCode.OUT_OF_SCOPE, role=actor.role.value, action=action.value, line=line_code
        )


def may_work_on_line(actor: Actor, line_code: str, department: Department | None) -> bool:
    """Operators: their assigned lines. Supervisors and QC: their department. Others: any."""
    if actor.role in LINE_BOUND_ROLES:
        return line_code in actor.line_codes
    if actor.role in DEPARTMENT_BOUND_ROLES:
        return department is not None and actor.department == department
    return True
