"""Roles, departments and the one permission table of the product (DESIGN section 3)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OPERATOR = "OPERATOR"
    QC_INSPECTOR = "QC_INSPECTOR"
    SUPERVISOR = "SUPERVISOR"
    WAREHOUSE_STAFF = "WAREHOUSE_STAFF"
    WAREHOUSE_ADMIN = "WAREHOUSE_ADMIN"
    ADMIN = "ADMIN"


class Department(StrEnum):
    CUT = "CUT"
    EMBO = "EMBO"
    SEW = "SEW"
    FIN = "FIN"
    PACK = "PACK"
    WAREHOUSE = "WH"


class Action(StrEnum):
    """Everything a user can ask the program to do; later issues add their screens."""

    WORK_ORDER_VIEW = "work_order.view"
    WORK_ORDER_START = "work_order.start"
    WORK_ORDER_RECORD = "work_order.record"
    WORK_ORDER_PAUSE = "work_order.pause"
    WORK_ORDER_RESUME = "work_order.resume"
    WORK_ORDER_COMPLETE = "work_order.complete"
    QC_RECORD = "qc.record"
    TRANSFER_PREPARE = "transfer.prepare"
    TRANSFER_RECEIVE = "transfer.receive"
    HOLD_RELEASE = "hold.release"
    LINE_CLEAR = "line.clear"
    KANBAN_REQUEST = "kanban.request"
    KANBAN_RECEIVE = "kanban.receive"
    KANBAN_APPROVE = "kanban.approve"
    KANBAN_DELIVER = "kanban.deliver"
    ALERT_VIEW = "alert.view"
    ALERT_ACKNOWLEDGE = "alert.acknowledge"
    USER_UNLOCK = "user.unlock"
    SUPERVISOR_SCREEN = "screen.supervisor"
    ADMIN_SCREEN = "screen.admin"
    USER_MANAGE = "user.manage"
    BADGE_MANAGE = "badge.manage"
    DEVICE_MANAGE = "device.manage"
    SETTINGS_VIEW = "settings.view"
    SETTINGS_CHANGE = "settings.change"  # the kiosk's devices, sounds and language
    SYNC_NOW = "sync.now"
    # The site's data without an ERP: lines, work orders, integration keys (issue 15).
    SITE_MANAGE = "site.manage"
    AUDIT_VIEW = "audit.view"  # the central audit and the devices' list
    # A second person's approval of a correction (someone else's or an older entry).
    CORRECTION_APPROVE = "production.correction_approve"


_OP = Role.OPERATOR
_QC = Role.QC_INSPECTOR
_SUP = Role.SUPERVISOR
_WHS = Role.WAREHOUSE_STAFF
_WHA = Role.WAREHOUSE_ADMIN
_ADM = Role.ADMIN

# The one permission table. Scope (own line, own department) is checked on top of it
# by the services; segregation of duties (not your own request) by the use case.
PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.WORK_ORDER_VIEW: frozenset({_OP, _QC, _SUP, _ADM}),
    Action.WORK_ORDER_START: frozenset({_OP, _SUP}),
    Action.WORK_ORDER_RECORD: frozenset({_OP, _SUP}),
    Action.WORK_ORDER_PAUSE: frozenset({_OP, _SUP}),
    Action.WORK_ORDER_RESUME: frozenset({_OP, _SUP}),
    Action.WORK_ORDER_COMPLETE: frozenset({_OP, _SUP}),
    Action.QC_RECORD: frozenset({_QC}),
    Action.TRANSFER_PREPARE: frozenset({_OP, _SUP}),
    Action.TRANSFER_RECEIVE: frozenset({_OP, _SUP}),
    Action.HOLD_RELEASE: frozenset({_SUP}),
    Action.LINE_CLEAR: frozenset({_SUP}),
    Action.KANBAN_REQUEST: frozenset({_OP, _SUP}),
    Action.KANBAN_RECEIVE: frozenset({_OP, _SUP}),
    Action.KANBAN_APPROVE: frozenset({_WHA}),
    Action.KANBAN_DELIVER: frozenset({_WHS, _WHA}),
    Action.ALERT_VIEW: frozenset({_SUP, _ADM}),
    Action.ALERT_ACKNOWLEDGE: frozenset({_SUP}),
    Action.USER_UNLOCK: frozenset({_SUP, _ADM}),
    Action.SUPERVISOR_SCREEN: frozenset({_SUP}),
    Action.ADMIN_SCREEN: frozenset({_ADM}),
    Action.USER_MANAGE: frozenset({_ADM}),
    Action.BADGE_MANAGE: frozenset({_ADM}),
    Action.DEVICE_MANAGE: frozenset({_ADM}),
    Action.SETTINGS_VIEW: frozenset({_ADM}),
    Action.SETTINGS_CHANGE: frozenset({_ADM}),
    Action.SYNC_NOW: frozenset({_SUP, _ADM}),
    Action.SITE_MANAGE: frozenset({_ADM}),
    Action.AUDIT_VIEW: frozenset({_ADM}),
    Action.CORRECTION_APPROVE: frozenset({_SUP}),
}

# Roles whose work is bound to the lines they are assigned to.
LINE_BOUND_ROLES: frozenset[Role] = frozenset({Role.OPERATOR})
# Roles whose work is bound to their department's lines.
DEPARTMENT_BOUND_ROLES: frozenset[Role] = frozenset({Role.SUPERVISOR, Role.QC_INSPECTOR})
# Roles that must type a PIN even after a badge tap (the privileged roles of kiosk.domain.pins:
# on a line kiosk they need badge + PIN, never the PIN alone).
PIN_AFTER_BADGE_ROLES: frozenset[Role] = frozenset(
    {Role.SUPERVISOR, Role.WAREHOUSE_ADMIN, Role.ADMIN}
)


def is_allowed(role: Role, action: Action) -> bool:
    """Whether the role may take the action at all, before scope is considered."""
    return role in PERMISSIONS[action]


# Who belongs where: the warehouse's roles in the warehouse, the floor's roles on the floor.
WAREHOUSE_ROLES: frozenset[Role] = frozenset({Role.WAREHOUSE_STAFF, Role.WAREHOUSE_ADMIN})


def role_fits_department(role: Role, department: Department | None) -> bool:
    """Whether a person of `role` can belong to `department` (None: no department).

    An admin serves the whole site (any department or none); warehouse roles belong to the
    warehouse; operators, QC inspectors and supervisors to a production department.
    """
    if role is Role.ADMIN:
        return True
    if department is None:
        return False
    if role in WAREHOUSE_ROLES:
        return department is Department.WAREHOUSE
    return department is not Department.WAREHOUSE
