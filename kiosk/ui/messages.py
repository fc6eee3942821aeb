"""Error codes into two-part messages: what happened, then what to do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.domain.errors import ErrorCode, KnownError
from kiosk.domain.work_order import WorkOrderCommand, WorkOrderStatus
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.message_text import N_, Message
from kiosk.ui.message_text import translated as _t
from kiosk.ui.messages_kanban import (
    kanban_above_max,
    kanban_card_not_found,
    kanban_item_unknown,
    kanban_other_line,
    kanban_transition,
)
from kiosk.ui.messages_settings import setting_refused


def unexpected_error(reference: str) -> Message:
    return Message(
        _t("Something went wrong. The action was not recorded."),
        _t("Try again. If it happens again, tell your supervisor (reference {ref}).").format(
            ref=reference
        ),
    )


def describe(error: KnownError, times: TimeFormatter) -> Message:
    """The message for a refusal; every ErrorCode has one (a test checks)."""
    special = _SPECIAL.get(error.code)
    if special is not None:
        return special(error.fields, times)
    text, hint = _SIMPLE[error.code]
    return Message(_t(text).format(**error.fields), _t(hint).format(**error.fields))


def _wrong_pin(f: dict[str, Any], _times: TimeFormatter) -> Message:
    wait = int(f.get("wait_seconds", 0))
    if wait:
        return Message(_t("Wrong PIN."), wait_words(wait))
    if "attempts_left" not in f:  # someone who logs in by badge: never locked by PINs
        return Message(
            _t("Wrong PIN."), _t("Type your PIN again, or tap your badge on the reader.")
        )
    left = int(f["attempts_left"])
    hint = (
        _t("1 try left before the account is locked.")
        if left == 1
        else _t("{n} tries left before the account is locked.").format(n=left)
    )
    return Message(_t("Wrong PIN."), hint)


def wait_words(seconds: int) -> str:
    """The PIN pad's countdown in words (shown again each second while it runs)."""
    return _t("Wait {n} s before trying again.").format(n=seconds)


def _pin_wait(f: dict[str, Any], _times: TimeFormatter) -> Message:
    return Message(
        _t("Too many wrong PINs were typed here: the PIN pad waits."),
        wait_words(int(f.get("wait_seconds", 0))),
    )


def _slip_too_old(f: dict[str, Any], times: TimeFormatter) -> Message:
    issued = times.date_time(f.get("issued_at"))
    return Message(
        _t("This slip is too old: it was printed on {issued}, more than {days} days ago.").format(
            issued=issued, days=f.get("days", 7)
        ),
        _t("Old slips are not accepted. Ask the sending line to print the slip again."),
    )


def _line_running(f: dict[str, Any], _times: TimeFormatter) -> Message:
    """Another work order runs on the line (the screen asks before starting a second)."""
    return Message(
        _t("{running} is running on this line.").format(running=f.get("running", "")),
        _t("Pause or complete it first, or confirm that {number} runs beside it.").format(
            number=f.get("number", "")
        ),
    )


def _correction_needs_approval(f: dict[str, Any], _times: TimeFormatter) -> Message:
    return Message(
        _t(
            "A supervisor must approve this correction: the entry is older than {minutes} "
            "minutes, or someone else recorded it."
        ).format(minutes=f.get("minutes", 5)),
        _t("Ask the department's supervisor to tap their badge and type their PIN."),
    )


def _account_locked(f: dict[str, Any], times: TimeFormatter) -> Message:
    until = times.time(f.get("until"))
    if f.get("just_locked"):
        return Message(
            _t("Too many wrong PINs: account locked until {time}.").format(time=until),
            _t("An alert for your supervisor is raised. Ask a supervisor or admin to unlock it."),
        )
    return Message(
        _t("This account is locked until {time}.").format(time=until),
        _t("Ask a supervisor or admin to unlock it."),
    )


def _above_open(f: dict[str, Any], _times: TimeFormatter) -> Message:
    if f.get("field") == "reject":
        return Message(
            _t("{value} rejects is more than the whole work order ({allowed}).").format(**f),
            _t("Check the count and type it again."),
        )
    return Message(
        _t("{value} good is more than this work order allows ({allowed} more).").format(**f),
        _t(
            "{open} pieces are still open. Check the count; if the target is wrong, "
            "ask your supervisor."
        ).format(**f),
    )


def _line_not_found(f: dict[str, Any], _times: TimeFormatter) -> Message:
    known = ", ".join(f.get("known", [])) or _t("none")
    return Message(
        _t("Line {line} is not set up on this kiosk.").format(line=f.get("line", "")),
        _t("Known lines: {known}. Start the kiosk with --line CODE or set KIOSK_LINE.").format(
            known=known
        ),
    )


_SIMPLE: dict[ErrorCode, tuple[str, str]] = {
    ErrorCode.UNKNOWN_EMPLOYEE: (
        N_("This employee number is not known."),
        N_("Check the number on your badge, or ask your supervisor."),
    ),
    ErrorCode.ACCOUNT_INACTIVE: (
        N_("This account is switched off."),
        N_("Ask an admin to switch it on again."),
    ),
    ErrorCode.NOT_ASSIGNED_TO_LINE: (
        N_("{employee_no} is not assigned to line {line}."),
        N_("Log in at your own line's kiosk, or ask your supervisor to assign you here."),
    ),
    ErrorCode.PIN_FORMAT: (
        N_("A PIN has {min_digits} to {max_digits} digits."),
        N_("Type it again."),
    ),
    ErrorCode.NOT_LOCKED: (N_("This account is not locked."), N_("Nothing needs to be done.")),
    ErrorCode.PERMISSION_DENIED: (
        N_("Your role cannot do this."),
        N_("Ask someone with the right role, or your supervisor."),
    ),
    ErrorCode.OUT_OF_SCOPE: (
        N_("This is outside your line or department."),
        N_("Ask the supervisor of that department."),
    ),
    ErrorCode.WORK_ORDER_NOT_FOUND: (
        N_("No such work order was found."),
        N_("Check the number on the SPK paper and try again."),
    ),
    ErrorCode.WORK_ORDER_OTHER_LINE: (
        N_("{number} belongs to line {line}, not to {this_line}."),
        N_("Only this line's work orders can be opened here. Take the SPK to line {line}."),
    ),
    ErrorCode.WORK_ORDER_AMBIGUOUS: (
        N_("{matches} work orders end in {digits}."),
        N_("Type more digits of the number."),
    ),
    ErrorCode.QUANTITY_NOT_A_NUMBER: (
        N_("\u201c{text}\u201d is not a number of pieces."),
        N_("Type whole pieces with the number pad."),
    ),
    ErrorCode.QUANTITY_NEGATIVE: (
        N_("A quantity cannot be negative."),
        N_("Type the number of pieces with the number pad."),
    ),
    ErrorCode.QUANTITY_ABSURD: (
        N_("{value} pieces is not a plausible quantity (at most {limit} at once)."),
        N_("Check the count and type it again."),
    ),
    ErrorCode.REJECT_REASON_REQUIRED: (
        N_("Rejected pieces need a reason."),
        N_("Tap the reason that fits best, then Confirm."),
    ),
    ErrorCode.REJECT_REASON_UNKNOWN: (
        N_("That reject reason is not known."),
        N_("Tap one of the reasons shown."),
    ),
    ErrorCode.ENTRY_NOT_FOUND: (
        N_("That entry is not on this kiosk."),
        N_("Go back to the work order and open its recent entries again."),
    ),
    ErrorCode.ENTRY_ALREADY_VOIDED: (
        N_("That entry was voided already: it no longer counts."),
        N_("Record the right quantity as a new entry if it is still missing."),
    ),
    ErrorCode.CORRECTION_UNCHANGED: (
        N_("The corrected numbers are the same as the entry's."),
        N_("Type the right numbers, or tap Cancel to leave the entry as it is."),
    ),
    ErrorCode.CORRECTION_NEGATIVE_TOTAL: (
        N_("This correction would take the work order's {field} total below zero."),
        N_("Check the numbers with your supervisor before correcting."),
    ),
    ErrorCode.PAUSE_REASON_REQUIRED: (
        N_("A pause needs a reason from the list."),
        N_("Tap why the work stops, then the work order is paused."),
    ),
    ErrorCode.ALERT_NOT_FOUND: (N_("That alert no longer exists."), N_("Refresh the list.")),
    ErrorCode.ALERT_ALREADY_ACKNOWLEDGED: (
        N_("Someone has already acknowledged this alert."),
        N_("Refresh the list."),
    ),
    ErrorCode.ALERT_ABOUT_THIS_DEVICE: (
        N_("This alert is about this kiosk itself."),
        N_("Acknowledge it on another kiosk of the department or on the office desktop."),
    ),
    ErrorCode.BADGE_UNKNOWN: (
        N_("Badge not registered - ask your supervisor."),
        N_("Meanwhile, tap your name and log in with your PIN."),
    ),
    ErrorCode.BADGE_IN_USE: (
        N_("This badge already belongs to {name} ({employee_no})."),
        N_("Unbind it from them first, or use another badge."),
    ),
    ErrorCode.BADGE_NOT_BOUND: (
        N_("{employee_no} has no badge."),
        N_("Pick the user, then tap a badge on the reader to bind it."),
    ),
    ErrorCode.SCAN_NOT_RECOGNISED: (
        N_("This code is not a badge, a work order, a transfer slip or a kanban card."),
        N_("Nothing was changed. Scan a code printed for this factory."),
    ),
    ErrorCode.FIRST_PIN_NEEDED: (
        N_("{name} has no PIN yet."),
        N_("Tap your badge to choose one, or type the setup code the admin gave you."),
    ),
    ErrorCode.FIRST_PIN_NEEDS_SERVER: (
        N_("Choosing a first PIN needs the server, and it cannot be reached now."),
        N_("Nothing was saved. Try again when the kiosk is connected; operators log in by badge."),
    ),
    ErrorCode.PIN_MISMATCH: (
        N_("The two PINs are not the same."),
        N_("Nothing was saved. Choose your PIN again and type it twice."),
    ),
    ErrorCode.PIN_ALREADY_SET: (
        N_("{employee_no} has a PIN already."),
        N_("Log in with it. Forgotten? Ask the admin to reset it."),
    ),
    ErrorCode.SETUP_CODE_WRONG: (
        N_("Wrong setup code: {attempts_left} tries left before the account is locked."),
        N_("Type the code exactly as the admin gave it, or ask for a new one."),
    ),
    ErrorCode.SETUP_CODE_EXPIRED: (
        N_("This setup code is used up or expired."),
        N_("Ask the admin for a new setup code."),
    ),
    ErrorCode.BADGE_BEFORE_PIN: (
        N_("{employee_no} logs in here with badge and PIN: the PIN alone is not enough."),
        N_("Tap your badge on the reader first, then type your PIN."),
    ),
    ErrorCode.DESKTOP_SUPERVISORS_ONLY: (
        N_("This is a supervisor's desktop: {employee_no} cannot log in here."),
        N_("Operators log in at their line's kiosk."),
    ),
    ErrorCode.SYNC_NOT_SET_UP: (
        N_("This kiosk does not sync with a server."),
        N_("Its work stays on this kiosk. Ask the admin to connect it to the server."),
    ),
    ErrorCode.NEEDS_SERVER: (
        N_("This needs the server: connect the kiosk and try again."),
        N_("Nothing was changed. Badges, unlocks and account changes are made on the server."),
    ),
    ErrorCode.SERVER_REFUSED: (
        N_("The server refused this: {message}."),
        N_("Nothing was changed. Ask the admin."),
    ),
    ErrorCode.ROWS_REFUSED: (
        N_("The server refused this: {message}."),
        N_("Nothing was changed. Correct the fields marked and try again."),
    ),
    ErrorCode.SITE_KEY_MISSING: (
        N_("This kiosk has no slip-signing key of its own."),
        N_("Slips cannot be printed here. Ask the admin to enrol this kiosk again."),
    ),
    ErrorCode.TRANSFER_NOT_FOUND: (
        N_("This handoff is not known on this kiosk."),
        N_("Check the slip, or ask your supervisor."),
    ),
    ErrorCode.TRANSFER_TRANSITION: (
        N_("This handoff cannot be changed that way: it is {status} already."),
        N_("Refresh the screen to see where it stands."),
    ),
    ErrorCode.TRANSFER_NO_NEXT_DEPARTMENT: (
        N_("There is no next department after {department} on route {route}."),
        N_("Finished goods leave through the warehouse, not through a handoff."),
    ),
    ErrorCode.TRANSFER_WRONG_RECEIVING_LINE: (
        N_("{line} is not a line of the next department."),
        N_("Pick one of the lines shown."),
    ),
    ErrorCode.TRANSFER_ABOVE_SENDABLE: (
        N_("{value} pieces is more than can be sent: {sendable} are good and not yet sent."),
        N_("Send fewer, or record the output first."),
    ),
    ErrorCode.TRANSFER_WORK_ORDER_NOT_STARTED: (
        N_("{number} has not started: it has no pieces to hand over."),
        N_("Start it and record its output first."),
    ),
    ErrorCode.TRANSFER_COUNTS_INCONSISTENT: (
        N_("The counts recorded for this handoff do not agree with its outcome."),
        N_("Nothing was changed. Ask the supervisor to check the slip and the counts."),
    ),
    ErrorCode.SLIP_NOT_PRINTABLE: (
        N_("Slip {slip_id} cannot be printed: its batch is no longer waiting at {line}."),
        N_("A slip is printed only until the batch is received. The list shows where it is."),
    ),
    ErrorCode.LINE_ALREADY_CLEAR: (N_("{line} is clear already."), N_("Nothing was changed.")),
    ErrorCode.SLIP_MALFORMED: (
        N_("This slip's code could not be read completely."),
        N_("Scan the square QR code again, flat and whole. If it is torn, ask for a reprint."),
    ),
    ErrorCode.SLIP_OTHER_SITE: (
        N_("This slip was made at another site ({site})."),
        N_("Do not take the batch in. An alert for your supervisor is raised."),
    ),
    ErrorCode.SLIP_SIGNATURE_INVALID: (
        N_("This slip's signature does not match: it was changed or not made by our kiosks."),
        N_("Do not take the batch in. An alert for your supervisor is raised."),
    ),
    ErrorCode.SLIP_OLD_FORMAT: (
        N_("This slip was printed in an old format that can no longer be checked."),
        N_("Do not take the batch in. Ask the sending line to print the slip again."),
    ),
    ErrorCode.SLIP_KEY_UNKNOWN: (
        N_("This slip was signed by a kiosk this kiosk does not know."),
        N_("Do not take the batch in. An alert for your supervisor is raised."),
    ),
    ErrorCode.SLIP_KEY_REVOKED: (
        N_("This slip was signed by a kiosk that has been taken out of service."),
        N_("Do not take the batch in. An alert for your supervisor is raised."),
    ),
    ErrorCode.SLIP_SIGNER_OTHER_LINE: (
        N_("This slip says it comes from {line}, but a kiosk of {signer_line} signed it."),
        N_("Do not take the batch in. An alert for your supervisor is raised."),
    ),
    ErrorCode.SLIP_ALREADY_RECEIVED: (
        N_("Slip {slip_id} has been received already."),
        N_("A slip is accepted only once. Call your supervisor if the batch came twice."),
    ),
    ErrorCode.SLIP_OTHER_LINE: (
        N_("This slip is for {line}, not for {this_line}."),
        N_("Take the batch to {line}, or ask the sender for a new slip."),
    ),
    ErrorCode.SLIP_OTHER_DEPARTMENT: (
        N_("This slip is for {line}, a line of another department."),
        N_("This batch does not belong here: take it to {line}."),
    ),
    ErrorCode.SLIP_ID_ONLY: (
        N_("This kiosk does not know slip {slip_id} yet."),
        N_("Scan the square QR code on the slip instead of the bar code."),
    ),
    ErrorCode.SELF_APPROVAL: (
        N_("You cannot approve your own work: you requested, prepared or counted this."),
        N_("Someone else with the right role must do it."),
    ),
    ErrorCode.REASON_REQUIRED: (
        N_("A reason is needed."),
        N_("Pick or type why, then confirm."),
    ),
    ErrorCode.REASON_TOO_LONG: (
        N_("The reason is too long ({length} characters, at most {limit})."),
        N_("Say it in fewer words."),
    ),
}


def _quantity_zero(f: dict[str, Any], _times: TimeFormatter) -> Message:
    field = f.get("field")
    if field == "count":
        return Message(
            _t("A count of 0 cannot be received."),
            _t("Count the pieces of the batch and type how many there are."),
        )
    if field == "quantity":
        return Message(_t("Nothing to send: the quantity is 0."), _t("Type how many pieces go."))
    if field == "kanban_quantity":
        return Message(
            _t("Nothing to request: the quantity is 0."),
            _t("Type how many you need on the number pad, then Send."),
        )
    return Message(
        _t("Nothing to record: good and reject are both 0."),
        _t("Type how many good or rejected pieces you made."),
    )


def _line_not_clear(f: dict[str, Any], times: TimeFormatter) -> Message:
    """Names what holds the line, so the operator can tell the supervisor exactly."""
    held = f.get("work_order") or _t("another batch")
    details = ", ".join(
        str(part)
        for part in (
            f.get("article"),
            _t("for {destination}").format(destination=f["destination"])
            if f.get("destination")
            else None,
            _t("since {time}").format(time=times.time(f["since"])) if f.get("since") else None,
        )
        if part
    )
    held_text = f"{held} ({details})" if details else str(held)
    line = f.get("line", "")
    text = _t("{line} is not clear: it holds {held}.").format(line=line, held=held_text)
    return Message(
        text,
        _t("Ask the supervisor of {line} to clear the line, then try again.").format(line=line),
    )


def _line_segregated(f: dict[str, Any], times: TimeFormatter) -> Message:
    base = _line_not_clear(f, times)
    return Message(
        base.text + " " + _t("Batches for different destinations never share a line."),
        base.hint,
    )


_KIND_NAMES = {
    "badge": N_("A badge"),
    "work_order": N_("A work order"),
    "slip": N_("A transfer slip"),
    "kanban_card": N_("A kanban card"),
}
_LOGGED_OUT_SCREENS = {"login", "pin"}


def _wrong_scan(f: dict[str, Any], _times: TimeFormatter) -> Message:
    """A code of one of our kinds, on a screen that does not take it."""
    kind, screen = str(f.get("kind")), str(f.get("screen"))
    logged_out = screen in _LOGGED_OUT_SCREENS
    if kind == "product":
        return Message(
            _t("This is a product barcode, not a badge or a work order."),
            _t("Nothing was changed. Tap your badge to log in.")
            if logged_out
            else _t("Nothing was changed. Scan the work order on the SPK paper."),
        )
    if logged_out:
        return Message(
            _t("Log in first, then scan it."),
            _t("Tap your badge or your name to log in."),
        )
    if kind == "work_order" and screen == "record":
        return Message(
            _t("Finish or cancel the quantity you are typing first."),
            _t("Then scan the work order again."),
        )
    what = _t(_KIND_NAMES.get(kind, N_("This code")))
    return Message(
        _t("{what} cannot be used on this screen.").format(what=what),
        _t("Nothing was changed. Go to the screen for it and scan again."),
    )


def _transition_message(f: dict[str, Any], _times: TimeFormatter) -> Message:
    status = f.get("status")
    command = f.get("command")
    what = {
        WorkOrderCommand.START.value: _t("It cannot be started"),
        WorkOrderCommand.RECORD.value: _t("Quantities cannot be recorded"),
        WorkOrderCommand.PAUSE.value: _t("It cannot be paused"),
        WorkOrderCommand.RESUME.value: _t("It cannot be resumed"),
        WorkOrderCommand.COMPLETE.value: _t("It cannot be completed"),
    }.get(str(command), _t("That is not possible"))
    state = {
        WorkOrderStatus.RELEASED.value: (
            _t("the work order has not been started"),
            _t("Press Start first."),
        ),
        WorkOrderStatus.IN_PROGRESS.value: (
            _t("the work order is already running"),
            _t("Use the buttons that are lit."),
        ),
        WorkOrderStatus.PAUSED.value: (
            _t("the work order is paused"),
            _t("Press Resume first."),
        ),
        WorkOrderStatus.COMPLETED.value: (
            _t("the work order is complete"),
            _t("Nothing more can be done on it; pick another work order."),
        ),
        WorkOrderStatus.CANCELLED.value: (
            _t("the work order was cancelled by the office"),
            _t("Nothing more can be done on it; pick another work order."),
        ),
        WorkOrderStatus.CLOSED.value: (
            _t("the work order was closed by the office"),
            _t("Nothing more can be done on it; pick another work order."),
        ),
    }
    reason, hint = state.get(str(status), (_t("of its state"), _t("Use the buttons that are lit.")))
    return Message(_t("{what}: {reason}.").format(what=what, reason=reason), hint)


_SPECIAL: dict[ErrorCode, Callable[[dict[str, Any], TimeFormatter], Message]] = {
    ErrorCode.WRONG_PIN: _wrong_pin,
    ErrorCode.SETTING_REFUSED: setting_refused,
    ErrorCode.PIN_WAIT: _pin_wait,
    ErrorCode.ACCOUNT_LOCKED: _account_locked,
    ErrorCode.SLIP_TOO_OLD: _slip_too_old,
    ErrorCode.WORK_ORDER_LINE_RUNNING: _line_running,
    ErrorCode.QUANTITY_ABOVE_OPEN: _above_open,
    ErrorCode.CORRECTION_NEEDS_APPROVAL: _correction_needs_approval,
    ErrorCode.LINE_NOT_FOUND: _line_not_found,
    ErrorCode.WORK_ORDER_TRANSITION: _transition_message,
    ErrorCode.SCAN_WRONG_KIND: _wrong_scan,
    ErrorCode.LINE_OCCUPIED: _line_not_clear,
    ErrorCode.QUANTITY_ZERO: _quantity_zero,
    ErrorCode.KANBAN_TRANSITION: kanban_transition,
    ErrorCode.KANBAN_ITEM_UNKNOWN: kanban_item_unknown,
    ErrorCode.KANBAN_CARD_NOT_FOUND: kanban_card_not_found,
    ErrorCode.KANBAN_OTHER_LINE: kanban_other_line,
    ErrorCode.KANBAN_ABOVE_MAX: kanban_above_max,
    ErrorCode.LINE_SEGREGATION: _line_segregated,
}
