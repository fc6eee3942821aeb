"""Who may act on a device: the one rule for logging in there, shared by kiosk and server.

The server uses it to decide where a person's PIN and badge hashes go and whether a
pushed event's actor (or the person it locks or unlocks) could have been at that device
at all; the kiosk uses it at login. A line kiosk serves its line's operators, its
department's supervisors and QC inspectors, and (on a warehouse line) the warehouse's
staff; a department's desktop serves its supervisors only. Admins act anywhere.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass

from kiosk.domain.roles import Department, Role

# Roles that may log in on a supervisor's office desktop (never operators).
DESKTOP_ROLES: frozenset[Role] = frozenset({Role.SUPERVISOR, Role.ADMIN})
_DEPARTMENT_ROLES = frozenset({Role.SUPERVISOR, Role.QC_INSPECTOR})
_WAREHOUSE_ROLES = frozenset({Role.WAREHOUSE_STAFF, Role.WAREHOUSE_ADMIN})


@dataclass(frozen=True)
class DeviceScope:
    """Where a device stands: a line of a department, or a department's desktop."""

    is_desktop: bool
    department: str  # a `Department` value
    line_id: uuid.UUID | None  # None for a desktop


def may_act_on(
    scope: DeviceScope,
    role: Role | str | None,
    department: Department | str | None,
    line_ids: Collection[uuid.UUID | str],
) -> bool:
    """Whether a person (role, department, assigned line ids) may log in and act there."""
    known = _role(role)
    if known is Role.ADMIN:
        return True
    if known is None or (scope.is_desktop and known not in DESKTOP_ROLES):
        return False
    own_department = department.value if isinstance(department, Department) else department
    if known in _DEPARTMENT_ROLES:
        return own_department == scope.department
    if known in _WAREHOUSE_ROLES:
        return scope.department == Department.WAREHOUSE.value
    # Operators: the lines they are assigned to.
    return scope.line_id is not None and str(scope.line_id) in {str(one) for one in line_ids}


def _role(role: Role | str | None) -> Role | None:
    try:
        return None if role is None else Role(role)
    except ValueError:
        return None
