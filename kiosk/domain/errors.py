"""Errors with a code and fields, never sentences: the UI turns them into messages."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    """Every refusal the program can give; the UI has one message per code."""

    # login and sessions
    UNKNOWN_EMPLOYEE = "auth.unknown_employee"
    WRONG_PIN = "auth.wrong_pin"
    ACCOUNT_LOCKED = "auth.account_locked"
    ACCOUNT_INACTIVE = "auth.account_inactive"
    NOT_ASSIGNED_TO_LINE = "auth.not_assigned_to_line"
    PIN_FORMAT = "auth.pin_format"
    NOT_LOCKED = "auth.not_locked"
    BADGE_UNKNOWN = "auth.badge_unknown"
    BADGE_BEFORE_PIN = "auth.badge_before_pin"
    PIN_WAIT = "auth.pin_wait"  # too many wrong PINs here: the pad waits a while
    # a person with no PIN yet (new, or reset) chooses their first one through the server
    FIRST_PIN_NEEDED = "auth.first_pin_needed"
    FIRST_PIN_NEEDS_SERVER = "auth.first_pin_needs_server"
    PIN_MISMATCH = "auth.pin_mismatch"
    PIN_ALREADY_SET = "auth.pin_already_set"
    SETUP_CODE_WRONG = "auth.setup_code_wrong"
    SETUP_CODE_EXPIRED = "auth.setup_code_expired"
    # badges
    BADGE_IN_USE = "badge.in_use"
    BADGE_NOT_BOUND = "badge.not_bound"
    # scans
    SCAN_NOT_RECOGNISED = "scan.not_recognised"
    SCAN_WRONG_KIND = "scan.wrong_kind"
    # permissions
    PERMISSION_DENIED = "perm.denied"
    OUT_OF_SCOPE = "perm.out_of_scope"
    # work orders
    WORK_ORDER_NOT_FOUND = "wo.not_found"
    WORK_ORDER_OTHER_LINE = "wo.other_line"
    WORK_ORDER_AMBIGUOUS = "wo.ambiguous"
    WORK_ORDER_TRANSITION = "wo.transition_refused"
    # another work order runs on the line: asked before a second one runs beside it
    WORK_ORDER_LINE_RUNNING = "wo.line_running"
    QUANTITY_NOT_A_NUMBER = "qty.not_a_number"
    QUANTITY_NEGATIVE = "qty.negative"
    QUANTITY_ZERO = "qty.zero"
    QUANTITY_ABOVE_OPEN = "qty.above_open"
    QUANTITY_ABSURD = "qty.absurd"
    REJECT_REASON_REQUIRED = "qty.reject_reason_required"
    REJECT_REASON_UNKNOWN = "qty.reject_reason_unknown"
    # corrections of recorded entries and pause reasons
    ENTRY_NOT_FOUND = "entry.not_found"
    ENTRY_ALREADY_VOIDED = "entry.already_voided"
    CORRECTION_UNCHANGED = "entry.correction_unchanged"
    CORRECTION_NEGATIVE_TOTAL = "entry.correction_negative_total"
    CORRECTION_NEEDS_APPROVAL = "entry.correction_needs_approval"
    PAUSE_REASON_REQUIRED = "wo.pause_reason_required"
    # alerts
    ALERT_NOT_FOUND = "alert.not_found"
    ALERT_ALREADY_ACKNOWLEDGED = "alert.already_acknowledged"
    ALERT_ABOUT_THIS_DEVICE = "alert.about_this_device"
    # site set-up
    LINE_NOT_FOUND = "site.line_not_found"
    SITE_KEY_MISSING = "site.key_missing"
    # QT-09 transfers and line clearance
    TRANSFER_NOT_FOUND = "transfer.not_found"
    TRANSFER_TRANSITION = "transfer.transition_refused"
    TRANSFER_NO_NEXT_DEPARTMENT = "transfer.no_next_department"
    TRANSFER_WRONG_RECEIVING_LINE = "transfer.wrong_receiving_line"
    TRANSFER_ABOVE_SENDABLE = "transfer.above_sendable"
    TRANSFER_WORK_ORDER_NOT_STARTED = "transfer.work_order_not_started"
    TRANSFER_COUNTS_INCONSISTENT = "transfer.counts_inconsistent"
    SLIP_NOT_PRINTABLE = "slip.not_printable"
    LINE_OCCUPIED = "line.occupied"
    LINE_SEGREGATION = "line.segregation"
    LINE_ALREADY_CLEAR = "line.already_clear"
    SLIP_MALFORMED = "slip.malformed"
    SLIP_OTHER_SITE = "slip.other_site"
    SLIP_SIGNATURE_INVALID = "slip.signature_invalid"
    SLIP_OLD_FORMAT = "slip.old_format"
    SLIP_KEY_UNKNOWN = "slip.key_unknown"
    SLIP_KEY_REVOKED = "slip.key_revoked"
    SLIP_SIGNER_OTHER_LINE = "slip.signer_other_line"
    SLIP_TOO_OLD = "slip.too_old"
    SLIP_ALREADY_RECEIVED = "slip.already_received"
    SLIP_OTHER_LINE = "slip.other_line"
    SLIP_OTHER_DEPARTMENT = "slip.other_department"
    SLIP_ID_ONLY = "slip.id_only"
    SELF_APPROVAL = "perm.self_approval"
    REASON_REQUIRED = "reason.required"
    REASON_TOO_LONG = "reason.too_long"
    # E-Kanban
    KANBAN_TRANSITION = "kanban.transition_refused"
    KANBAN_ITEM_UNKNOWN = "kanban.item_unknown"
    KANBAN_CARD_NOT_FOUND = "kanban.card_not_found"
    KANBAN_OTHER_LINE = "kanban.other_line"
    KANBAN_ABOVE_MAX = "kanban.above_max"
    # sync
    SYNC_NOT_SET_UP = "sync.not_set_up"
    NEEDS_SERVER = "sync.needs_server"  # a privileged identity action without the server
    SERVER_REFUSED = "sync.server_refused"  # the server refused it for a reason of its own
    # an admin's form refused by the server: `problems` (index, field, reason, message)
    ROWS_REFUSED = "admin.rows_refused"
    DESKTOP_SUPERVISORS_ONLY = "auth.desktop_supervisors_only"
    # the kiosk's own settings (devices, sounds, language): `problem` says why
    SETTING_REFUSED = "settings.refused"


class KnownError(Exception):
    """A refusal or an environment problem the operator can be told about.

    Anything that is not a KnownError is a bug: logged with its traceback and
    reported as "something went wrong, the action was not recorded".
    """

    def __init__(self, code: ErrorCode, **fields: Any) -> None:
        super().__init__(code.value, fields)
        self.code = code
        self.fields: dict[str, Any] = fields

    def __str__(self) -> str:
        details = ", ".join(f"{key}={value!r}" for key, value in sorted(self.fields.items()))
        return f"{self.code.value}({details})"


class RefusalError(KnownError):
    """A business rule said no: the state is unchanged, only the attempt is audited."""


class PermissionDeniedError(RefusalError):
    """The acting user's role or scope does not allow the action."""
