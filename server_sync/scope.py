"""Who may read which row: every change carries audience tags, every device subscribes to some.

| tag               | rows                                                        |
|-------------------|-------------------------------------------------------------|
| `site`            | the site, its keys, lines, kanban items, people (names)     |
| `line:L`          | line L's work orders, entries, handoffs from or to it, cards|
| `dept:D`          | department D's alerts, clearances and lines' occupancy      |
| `dept-lines:D`    | every line-L row of D's lines (a supervisor's desktop)      |
| `occupancy:D`     | what D's lines hold (for the lines that hand over to D)     |
| `warehouse`       | every kanban card (the warehouse serves all lines)          |
| `badge-readers`   | the badge keys (current and, in a rotation, previous)       |

A line kiosk reads `site`, its `line:`, its `dept:`, `warehouse` if it is a warehouse
line, and the `occupancy:` of every department it can hand over to. A PIN or badge hash
goes only to devices where that person may log in; badge hashes and badge keys only to
devices that read badges (line kiosks, never a department desktop).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from kiosk.domain.device_scope import DeviceScope, may_act_on
from kiosk.domain.roles import Department
from kiosk.domain.transfer import ROUTES
from kiosk.store.replica import USER_LINE_IDS
from server_sync.models import DEVICE_DESKTOP, Device

SITE = "site"
WAREHOUSE = "warehouse"
BADGE_READERS = "badge-readers"  # the badge keys: devices that read badges
_HASH_FIELDS = ("pin_hash", "badge_hash")


def line_tag(code: str) -> str:
    return f"line:{code}"


def department_tag(department: str) -> str:
    return f"dept:{department}"


def department_lines_tag(department: str) -> str:
    return f"dept-lines:{department}"


def occupancy_tag(department: str) -> str:
    return f"occupancy:{department}"


def downstream_departments(department: str) -> set[str]:
    """Departments this one hands over to on any route."""
    found: set[str] = set()
    for sequence in ROUTES.values():
        codes = [step.value for step in sequence]
        if department in codes:
            index = codes.index(department)
            if index + 1 < len(codes):
                found.add(codes[index + 1])
    return found


def device_tags(device: Device) -> list[str]:
    tags = {SITE, department_tag(device.department)}
    tags |= {occupancy_tag(code) for code in downstream_departments(device.department)}
    if device.kind == DEVICE_DESKTOP:
        tags.add(department_lines_tag(device.department))
    elif device.line_code:
        tags.add(line_tag(device.line_code))
    if device.department == Department.WAREHOUSE.value:
        tags.add(WAREHOUSE)
    if reads_badges(device):
        tags.add(BADGE_READERS)
    return sorted(tags)


def line_rows(code: str, department: str) -> list[str]:
    """Rows that belong to one line: its kiosk, and its department's desktops."""
    return [line_tag(code), department_lines_tag(department)]


def device_scope(device: Device, device_line_id: uuid.UUID | None) -> DeviceScope:
    """The device as the shared login rule sees it."""
    return DeviceScope(
        is_desktop=device.kind == DEVICE_DESKTOP,
        department=device.department,
        line_id=None if device.kind == DEVICE_DESKTOP else device_line_id,
    )


def may_log_in_on(
    device: Device, user: Mapping[str, Any], device_line_id: uuid.UUID | None
) -> bool:
    """Whether this person can log in on this device (and so needs their hashes there)."""
    return may_act_on(
        device_scope(device, device_line_id),
        user.get("role"),
        user.get("department"),
        user.get(USER_LINE_IDS) or [],
    )


def project_user(
    device: Device, data: Mapping[str, Any], device_line_id: uuid.UUID | None
) -> dict[str, Any]:
    """The user row as this device may see it: hashes only where that person logs in."""
    projected = dict(data)
    if not may_log_in_on(device, data, device_line_id):
        projected["pin_hash"] = ""
        projected["badge_hash"] = None
    elif not reads_badges(device):
        projected["badge_hash"] = None  # no badge key there either: PIN login only
    return projected


def reads_badges(device: Device) -> bool:
    """Whether a device logs people in by badge, and so gets badge hashes and badge keys.

    Line kiosks do. A department desktop (an office PC; supervisors and admins log in
    there with their PIN) does not: no badge key and no badge hash ever reach it.
    """
    return device.kind != DEVICE_DESKTOP
