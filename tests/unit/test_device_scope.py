"""Who may act on which device: the one rule the server checks every pushed event's actor
by, and the rule that decides where a person's PIN and badge hashes go."""

from __future__ import annotations

import uuid

import pytest

from kiosk.domain.device_scope import DeviceScope, may_act_on
from kiosk.domain.roles import Department, Role

CUT_L02 = uuid.uuid4()
CUT_L01 = uuid.uuid4()
WH_L01 = uuid.uuid4()

DEVICES = {
    "CUT-L02 kiosk": DeviceScope(is_desktop=False, department="CUT", line_id=CUT_L02),
    "WH-L01 kiosk": DeviceScope(is_desktop=False, department="WH", line_id=WH_L01),
    "Cutting desktop": DeviceScope(is_desktop=True, department="CUT", line_id=None),
}

PEOPLE: dict[str, tuple[Role, Department | None, list[uuid.UUID]]] = {
    "Rina, operator of CUT-L02": (Role.OPERATOR, Department.CUT, [CUT_L02]),
    "Agus, operator of CUT-L01": (Role.OPERATOR, Department.CUT, [CUT_L01]),
    "Ani, Cutting's supervisor": (Role.SUPERVISOR, Department.CUT, []),
    "Hadi, Sewing's supervisor": (Role.SUPERVISOR, Department.SEW, []),
    "Maya, Sewing's QC": (Role.QC_INSPECTOR, Department.SEW, []),
    "a Cutting QC": (Role.QC_INSPECTOR, Department.CUT, []),
    "Wati, warehouse staff": (Role.WAREHOUSE_STAFF, Department.WAREHOUSE, []),
    "Sri, warehouse admin": (Role.WAREHOUSE_ADMIN, Department.WAREHOUSE, []),
    "Andi, admin": (Role.ADMIN, None, []),
}

# Who may act where; everyone else may not.
ALLOWED = {
    "CUT-L02 kiosk": {
        "Rina, operator of CUT-L02",
        "Ani, Cutting's supervisor",
        "a Cutting QC",
        "Andi, admin",
    },
    "WH-L01 kiosk": {"Wati, warehouse staff", "Sri, warehouse admin", "Andi, admin"},
    "Cutting desktop": {"Ani, Cutting's supervisor", "Andi, admin"},  # never operators
}


@pytest.mark.parametrize("device", sorted(DEVICES))
@pytest.mark.parametrize("person", sorted(PEOPLE))
def test_who_may_act_on_which_device(device: str, person: str) -> None:
    role, department, lines = PEOPLE[person]
    assert may_act_on(DEVICES[device], role, department, lines) is (person in ALLOWED[device])


def test_the_rule_reads_rows_as_the_feed_carries_them() -> None:
    """Plain strings (a user row from the change feed) decide the same as typed values."""
    scope = DEVICES["CUT-L02 kiosk"]
    assert may_act_on(scope, "OPERATOR", "CUT", [str(CUT_L02)])
    assert not may_act_on(scope, "OPERATOR", "CUT", [str(CUT_L01)])
    assert may_act_on(scope, "SUPERVISOR", "CUT", [])
    assert not may_act_on(scope, "NOBODY", "CUT", [str(CUT_L02)])
    assert not may_act_on(scope, None, None, [])
