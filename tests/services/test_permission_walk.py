"""Every role against every service call that exists so far: the service itself refuses.

The UI hides what a role cannot do, but the check that counts is here, in the services.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from kiosk.domain.errors import ErrorCode, PermissionDeniedError, RefusalError
from kiosk.domain.roles import Action, Role, is_allowed
from kiosk.services.actor import Actor
from kiosk.services.container import KioskServices
from tests.helpers.site import Site

# One demo user per role, with a line in their scope to stand at.
ROLE_USERS = {
    Role.OPERATOR: ("E1001", "CUT-L02"),
    Role.QC_INSPECTOR: ("E4001", "SEW-L03"),
    Role.SUPERVISOR: ("E5002", "CUT-L02"),
    Role.WAREHOUSE_STAFF: ("E6001", "CUT-L02"),
    Role.WAREHOUSE_ADMIN: ("E6002", "CUT-L02"),
    Role.ADMIN: ("E9001", "CUT-L02"),
}
RUNNING_ON = {"CUT-L02": "WO-2026-004217", "SEW-L03": "WO-2026-004228"}
READY_ON = {"CUT-L02": "WO-2026-004219", "SEW-L03": "WO-2026-004229"}
PAUSED_ON = {"CUT-L02": "WO-2026-004218", "SEW-L03": "WO-2026-004231"}


def _calls(site: Site, services: KioskServices, line: str) -> dict[Action, Callable[[Actor], Any]]:
    work_orders = services.work_orders
    running = site.work_order(RUNNING_ON[line]).id
    ready = site.work_order(READY_ON[line]).id
    paused = site.work_order(PAUSED_ON[line]).id
    locked_user = site.user_id("E1002")
    nowhere = uuid.uuid4()  # no such kanban card: the role is checked before the card
    return {
        Action.WORK_ORDER_VIEW: work_orders.list_for_line,
        Action.WORK_ORDER_START: lambda actor: work_orders.start(actor, ready),
        Action.WORK_ORDER_RECORD: lambda actor: work_orders.record(
            actor, running, good="1", reject="", reason=None
        ),
        Action.WORK_ORDER_PAUSE: lambda actor: work_orders.pause(
            actor, running, reason="CHANGEOVER"
        ),
        Action.WORK_ORDER_RESUME: lambda actor: work_orders.resume(actor, paused),
        Action.WORK_ORDER_COMPLETE: lambda actor: work_orders.complete(actor, running),
        Action.ALERT_VIEW: services.alerts.open_alerts,
        # Identity actions: the role is checked here; without a server they need it.
        Action.USER_UNLOCK: lambda actor: services.identity.unlock(actor, "0000", locked_user),
        Action.BADGE_MANAGE: lambda actor: services.identity.unbind_badge(
            actor, "0000", locked_user
        ),
        Action.USER_MANAGE: lambda actor: services.identity.reset_pin(
            actor, "0000", locked_user, "1234"
        ),
        # The admin's site changes: the role here; without a server they need it.
        Action.SITE_MANAGE: lambda actor: services.admin.rename_line(
            actor, "0000", code=line, name="Renamed"
        ),
        Action.DEVICE_MANAGE: lambda actor: services.identity.revoke_device(actor, "0000", nowhere),
        Action.SUPERVISOR_SCREEN: services.boards.supervisor_board,
        Action.ADMIN_SCREEN: services.boards.admin_board,
        Action.SETTINGS_CHANGE: lambda actor: services.kiosk_settings.change(
            actor, "sounds", "off"
        ),
        Action.TRANSFER_PREPARE: lambda actor: services.transfers.handoff_options(actor, running),
        Action.TRANSFER_RECEIVE: lambda actor: services.transfers.check_slip(actor, "QT09|1|x"),
        Action.HOLD_RELEASE: services.transfers.holds,
        Action.LINE_CLEAR: services.lines.department_lines,
        Action.KANBAN_REQUEST: lambda actor: services.kanban.request(actor, "THR-WHT-5000", "1"),
        Action.KANBAN_APPROVE: lambda actor: services.kanban.approve(actor, nowhere),
        Action.KANBAN_DELIVER: lambda actor: services.kanban.ship(actor, nowhere),
        Action.KANBAN_RECEIVE: lambda actor: services.kanban.receive_scanned(actor, "KB-NOPE2345"),
    }


@pytest.mark.parametrize("role", list(Role))
def test_each_service_call_follows_the_permission_table(site: Site, role: Role) -> None:
    employee_no, line = ROLE_USERS[role]
    services = site.services(line)
    actor = site.login(services, employee_no)
    assert actor.role is role
    for action, call in _calls(site, services, line).items():
        if is_allowed(role, action):
            try:
                call(actor)
            except PermissionDeniedError as denied:  # pragma: no cover - the failure message
                pytest.fail(f"{role} was refused {action}: {denied}")
            except RefusalError as refusal:
                # Allowed, but the state said no (e.g. nobody is locked): not a permission.
                assert refusal.code not in (ErrorCode.PERMISSION_DENIED, ErrorCode.OUT_OF_SCOPE)
        else:
            with pytest.raises(PermissionDeniedError) as denied:
                call(actor)
            assert denied.value.code is ErrorCode.PERMISSION_DENIED, action
            assert denied.value.fields["action"] == action.value


def test_scope_refuses_a_supervisor_of_another_department(site: Site) -> None:
    services = site.services("CUT-L02")
    sewing_supervisor = site.login(services, "E5001")
    with pytest.raises(PermissionDeniedError) as denied:
        services.work_orders.list_for_line(sewing_supervisor)
    assert denied.value.code is ErrorCode.OUT_OF_SCOPE
    assert denied.value.fields["line"] == "CUT-L02"


def test_a_refused_screen_is_audited(site: Site) -> None:
    services = site.services()
    rina = site.login(services, "E1001")
    with pytest.raises(PermissionDeniedError):
        services.boards.supervisor_board(rina)
    assert site.audit_outcomes()[-1] == ("screen.supervisor", "refused:perm.denied")
