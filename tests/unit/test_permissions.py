"""The one permission table, walked role by role and action by action.

The expected grid is written out here independently of the domain's dict, so a
change to either shows up as a failing cell.
"""

from __future__ import annotations

import pytest

from kiosk.domain.roles import PERMISSIONS, Action, Role, is_allowed

# Columns: OP  QC  SUP  WHS  WHA  ADM   (X = allowed)
EXPECTED_GRID = """
work_order.view      X X X . . X
work_order.start     X . X . . .
work_order.record    X . X . . .
work_order.pause     X . X . . .
work_order.resume    X . X . . .
work_order.complete  X . X . . .
qc.record            . X . . . .
transfer.prepare     X . X . . .
transfer.receive     X . X . . .
hold.release         . . X . . .
line.clear           . . X . . .
kanban.request       X . X . . .
kanban.receive       X . X . . .
kanban.approve       . . . . X .
kanban.deliver       . . . X X .
alert.view           . . X . . X
alert.acknowledge    . . X . . .
user.unlock          . . X . . X
screen.supervisor    . . X . . .
screen.admin         . . . . . X
user.manage          . . . . . X
badge.manage         . . . . . X
device.manage        . . . . . X
settings.view        . . . . . X
sync.now             . . X . . X
production.correction_approve  . . X . . .
settings.change      . . . . . X
site.manage          . . . . . X
audit.view           . . . . . X
"""
COLUMNS = [
    Role.OPERATOR,
    Role.QC_INSPECTOR,
    Role.SUPERVISOR,
    Role.WAREHOUSE_STAFF,
    Role.WAREHOUSE_ADMIN,
    Role.ADMIN,
]


def _expected() -> dict[tuple[Action, Role], bool]:
    cells = {}
    for line in EXPECTED_GRID.strip().splitlines():
        name, *marks = line.split()
        for role, mark in zip(COLUMNS, marks, strict=True):
            cells[(Action(name), role)] = mark == "X"
    return cells


def test_the_grid_covers_every_action_and_role() -> None:
    cells = _expected()
    assert {action for action, _ in cells} == set(Action)
    assert {role for _, role in cells} == set(Role)
    assert set(PERMISSIONS) == set(Action)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_every_role_and_action(role: Role, action: Action) -> None:
    assert is_allowed(role, action) is _expected()[(action, role)]
