"""Where a scan lands: the screen (or page) the user is looking at when it arrives.

The values are the words the audit log has always used for a refused scan, so
`services.scans.refuse` is given `context.value` and its entries read as before.
"""

from __future__ import annotations

from enum import StrEnum


class ScanContext(StrEnum):
    LOGIN = "login"
    PIN = "pin"
    DIALOG = "dialog"
    HOME = "home"
    WORK_ORDER = "work_order"
    RECORD = "record"
    HANDOFF = "handoff"
    RECEIVED = "received"
    COUNT = "count"
    APPROVAL = "approval"
    KANBAN = "kanban"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    BADGES = "badges"
    ENROL = "enrol"
    SETTINGS = "settings"  # the admin's Settings screen: scans and taps are shown, as a test
    OTHER = "other"


EVERY_CONTEXT = frozenset(ScanContext)
