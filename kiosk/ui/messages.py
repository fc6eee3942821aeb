"""Error codes into two-part messages: what happened, then what to do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from kiosk.domain.errors import ErrorCode, KnownError
from kiosk.domain.work_order import WorkOrderCommand, WorkOrderStatus
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.message_text import Message
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
        QCoreApplication.translate(
            "Messages", "Something went wrong. The action was not recorded."
        ),
        QCoreApplication.translate(
            "Messages", "Try again. If it happens again, tell your supervisor (reference {ref})."
        ).format(ref=reference),
    )


def describe(error: KnownError, times: TimeFormatter) -> Message:
    """The message for a refusal; every ErrorCode has one (a test checks)."""
    special = _SPECIAL.get(error.code)
    if special is not None:
        return special(error.fields, times)
    text, hint = _SIMPLE[error.code]
    return Message(
        QCoreApplication.translate("Messages", str(text)).format(**error.fields),
        QCoreApplication.translate("Messages", str(hint)).format(**error.fields),
    )


def _wrong_pin(f: dict[str, Any], _times: TimeFormatter) -> Message:
    wait = int(f.get("wait_seconds", 0))
    if wait:
        return Message(QCoreApplication.translate("Messages", "Wrong PIN."), wait_words(wait))
    if "attempts_left" not in f:  # someone who logs in by badge: never locked by PINs
        return Message(
            QCoreApplication.translate("Messages", "Wrong PIN."),
            QCoreApplication.translate(
                "Messages", "Type your PIN again, or tap your badge on the reader."
            ),
        )
    left = int(f["attempts_left"])
    hint = (
        QCoreApplication.translate("Messages", "1 try left before the account is locked.")
        if left == 1
        else QCoreApplication.translate(
            "Messages", "{n} tries left before the account is locked."
        ).format(n=left)
    )
    return Message(QCoreApplication.translate("Messages", "Wrong PIN."), hint)


def wait_words(seconds: int) -> str:
    """The PIN pad's countdown in words (shown again each second while it runs)."""
    return QCoreApplication.translate("Messages", "Wait {n} s before trying again.").format(
        n=seconds
    )


def _pin_wait(f: dict[str, Any], _times: TimeFormatter) -> Message:
    return Message(
        QCoreApplication.translate(
            "Messages", "Too many wrong PINs were typed here: the PIN pad waits."
        ),
        wait_words(int(f.get("wait_seconds", 0))),
    )


def _slip_too_old(f: dict[str, Any], times: TimeFormatter) -> Message:
    issued = times.date_time(f.get("issued_at"))
    return Message(
        QCoreApplication.translate(
            "Messages",
            "This slip is too old: it was printed on {issued}, more than {days} days ago.",
        ).format(issued=issued, days=f.get("days", 7)),
        QCoreApplication.translate(
            "Messages", "Old slips are not accepted. Ask the sending line to print the slip again."
        ),
    )


def _line_running(f: dict[str, Any], _times: TimeFormatter) -> Message:
    """Another work order runs on the line (the screen asks before starting a second)."""
    return Message(
        QCoreApplication.translate("Messages", "{running} is running on this line.").format(
            running=f.get("running", "")
        ),
        QCoreApplication.translate(
            "Messages", "Pause or complete it first, or confirm that {number} runs beside it."
        ).format(number=f.get("number", "")),
    )


def _correction_needs_approval(f: dict[str, Any], _times: TimeFormatter) -> Message:
    return Message(
        QCoreApplication.translate(
            "Messages",
            "A supervisor must approve this correction: the entry is older than {minutes} "
            "minutes, or someone else recorded it.",
        ).format(minutes=f.get("minutes", 5)),
        QCoreApplication.translate(
            "Messages", "Ask the department's supervisor to tap their badge and type their PIN."
        ),
    )


def _account_locked(f: dict[str, Any], times: TimeFormatter) -> Message:
    until = times.time(f.get("until"))
    if f.get("just_locked"):
        return Message(
            QCoreApplication.translate(
                "Messages", "Too many wrong PINs: account locked until {time}."
            ).format(time=until),
            QCoreApplication.translate(
                "Messages",
                "An alert for your supervisor is raised. Ask a supervisor or admin to unlock it.",
            ),
        )
    return Message(
        QCoreApplication.translate("Messages", "This account is locked until {time}.").format(
            time=until
        ),
        QCoreApplication.translate("Messages", "Ask a supervisor or admin to unlock it."),
    )


def _above_open(f: dict[str, Any], _times: TimeFormatter) -> Message:
    if f.get("field") == "reject":
        return Message(
            QCoreApplication.translate(
                "Messages", "{value} rejects is more than the whole work order ({allowed})."
            ).format(**f),
            QCoreApplication.translate("Messages", "Check the count and type it again."),
        )
    return Message(
        QCoreApplication.translate(
            "Messages", "{value} good is more than this work order allows ({allowed} more)."
        ).format(**f),
        QCoreApplication.translate(
            "Messages",
            "{open} pieces are still open. Check the count; if the target is wrong, "
            "ask your supervisor.",
        ).format(**f),
    )


def _line_not_found(f: dict[str, Any], _times: TimeFormatter) -> Message:
    known = ", ".join(f.get("known", [])) or QCoreApplication.translate("Messages", "none")
    return Message(
        QCoreApplication.translate("Messages", "Line {line} is not set up on this kiosk.").format(
            line=f.get("line", "")
        ),
        QCoreApplication.translate(
            "Messages", "Known lines: {known}. Start the kiosk with --line CODE or set KIOSK_LINE."
        ).format(known=known),
    )


# QT_TRANSLATE_NOOP marks a text for lupdate and returns it (typed object): str() where read.
_SIMPLE: dict[ErrorCode, tuple[object, object]] = {
    ErrorCode.UNKNOWN_EMPLOYEE: (
        QT_TRANSLATE_NOOP("Messages", "This employee number is not known."),
        QT_TRANSLATE_NOOP("Messages", "Check the number on your badge, or ask your supervisor."),
    ),
    ErrorCode.ACCOUNT_INACTIVE: (
        QT_TRANSLATE_NOOP("Messages", "This account is switched off."),
        QT_TRANSLATE_NOOP("Messages", "Ask an admin to switch it on again."),
    ),
    ErrorCode.NOT_ASSIGNED_TO_LINE: (
        QT_TRANSLATE_NOOP("Messages", "{employee_no} is not assigned to line {line}."),
        QT_TRANSLATE_NOOP(
            "Messages",
            "Log in at your own line's kiosk, or ask your supervisor to assign you here.",
        ),
    ),
    ErrorCode.PIN_FORMAT: (
        QT_TRANSLATE_NOOP("Messages", "A PIN has {min_digits} to {max_digits} digits."),
        QT_TRANSLATE_NOOP("Messages", "Type it again."),
    ),
    ErrorCode.NOT_LOCKED: (
        QT_TRANSLATE_NOOP("Messages", "This account is not locked."),
        QT_TRANSLATE_NOOP("Messages", "Nothing needs to be done."),
    ),
    ErrorCode.PERMISSION_DENIED: (
        QT_TRANSLATE_NOOP("Messages", "Your role cannot do this."),
        QT_TRANSLATE_NOOP("Messages", "Ask someone with the right role, or your supervisor."),
    ),
    ErrorCode.OUT_OF_SCOPE: (
        QT_TRANSLATE_NOOP("Messages", "This is outside your line or department."),
        QT_TRANSLATE_NOOP("Messages", "Ask the supervisor of that department."),
    ),
    ErrorCode.WORK_ORDER_NOT_FOUND: (
        QT_TRANSLATE_NOOP("Messages", "No such work order was found."),
        QT_TRANSLATE_NOOP("Messages", "Check the number on the SPK paper and try again."),
    ),
    ErrorCode.WORK_ORDER_OTHER_LINE: (
        QT_TRANSLATE_NOOP("Messages", "{number} belongs to line {line}, not to {this_line}."),
        QT_TRANSLATE_NOOP(
            "Messages",
            "Only this line's work orders can be opened here. Take the SPK to line {line}.",
        ),
    ),
    ErrorCode.WORK_ORDER_AMBIGUOUS: (
        QT_TRANSLATE_NOOP("Messages", "{matches} work orders end in {digits}."),
        QT_TRANSLATE_NOOP("Messages", "Type more digits of the number."),
    ),
    ErrorCode.QUANTITY_NOT_A_NUMBER: (
        QT_TRANSLATE_NOOP("Messages", "\u201c{text}\u201d is not a number of pieces."),
        QT_TRANSLATE_NOOP("Messages", "Type whole pieces with the number pad."),
    ),
    ErrorCode.QUANTITY_NEGATIVE: (
        QT_TRANSLATE_NOOP("Messages", "A quantity cannot be negative."),
        QT_TRANSLATE_NOOP("Messages", "Type the number of pieces with the number pad."),
    ),
    ErrorCode.QUANTITY_ABSURD: (
        QT_TRANSLATE_NOOP(
            "Messages", "{value} pieces is not a plausible quantity (at most {limit} at once)."
        ),
        QT_TRANSLATE_NOOP("Messages", "Check the count and type it again."),
    ),
    ErrorCode.REJECT_REASON_REQUIRED: (
        QT_TRANSLATE_NOOP("Messages", "Rejected pieces need a reason."),
        QT_TRANSLATE_NOOP("Messages", "Tap the reason that fits best, then Confirm."),
    ),
    ErrorCode.REJECT_REASON_UNKNOWN: (
        QT_TRANSLATE_NOOP("Messages", "That reject reason is not known."),
        QT_TRANSLATE_NOOP("Messages", "Tap one of the reasons shown."),
    ),
    ErrorCode.ENTRY_NOT_FOUND: (
        QT_TRANSLATE_NOOP("Messages", "That entry is not on this kiosk."),
        QT_TRANSLATE_NOOP(
            "Messages", "Go back to the work order and open its recent entries again."
        ),
    ),
    ErrorCode.ENTRY_ALREADY_VOIDED: (
        QT_TRANSLATE_NOOP("Messages", "That entry was voided already: it no longer counts."),
        QT_TRANSLATE_NOOP(
            "Messages", "Record the right quantity as a new entry if it is still missing."
        ),
    ),
    ErrorCode.CORRECTION_UNCHANGED: (
        QT_TRANSLATE_NOOP("Messages", "The corrected numbers are the same as the entry's."),
        QT_TRANSLATE_NOOP(
            "Messages", "Type the right numbers, or tap Cancel to leave the entry as it is."
        ),
    ),
    ErrorCode.CORRECTION_NEGATIVE_TOTAL: (
        QT_TRANSLATE_NOOP(
            "Messages", "This correction would take the work order's {field} total below zero."
        ),
        QT_TRANSLATE_NOOP("Messages", "Check the numbers with your supervisor before correcting."),
    ),
    ErrorCode.PAUSE_REASON_REQUIRED: (
        QT_TRANSLATE_NOOP("Messages", "A pause needs a reason from the list."),
        QT_TRANSLATE_NOOP("Messages", "Tap why the work stops, then the work order is paused."),
    ),
    ErrorCode.ALERT_NOT_FOUND: (
        QT_TRANSLATE_NOOP("Messages", "That alert no longer exists."),
        QT_TRANSLATE_NOOP("Messages", "Refresh the list."),
    ),
    ErrorCode.ALERT_ALREADY_ACKNOWLEDGED: (
        QT_TRANSLATE_NOOP("Messages", "Someone has already acknowledged this alert."),
        QT_TRANSLATE_NOOP("Messages", "Refresh the list."),
    ),
    ErrorCode.ALERT_ABOUT_THIS_DEVICE: (
        QT_TRANSLATE_NOOP("Messages", "This alert is about this kiosk itself."),
        QT_TRANSLATE_NOOP(
            "Messages",
            "Acknowledge it on another kiosk of the department or on the office desktop.",
        ),
    ),
    ErrorCode.BADGE_UNKNOWN: (
        QT_TRANSLATE_NOOP("Messages", "Badge not registered - ask your supervisor."),
        QT_TRANSLATE_NOOP("Messages", "Meanwhile, tap your name and log in with your PIN."),
    ),
    ErrorCode.BADGE_IN_USE: (
        QT_TRANSLATE_NOOP("Messages", "This badge already belongs to {name} ({employee_no})."),
        QT_TRANSLATE_NOOP("Messages", "Unbind it from them first, or use another badge."),
    ),
    ErrorCode.BADGE_NOT_BOUND: (
        QT_TRANSLATE_NOOP("Messages", "{employee_no} has no badge."),
        QT_TRANSLATE_NOOP("Messages", "Pick the user, then tap a badge on the reader to bind it."),
    ),
    ErrorCode.SCAN_NOT_RECOGNISED: (
        QT_TRANSLATE_NOOP(
            "Messages", "This code is not a badge, a work order, a transfer slip or a kanban card."
        ),
        QT_TRANSLATE_NOOP("Messages", "Nothing was changed. Scan a code printed for this factory."),
    ),
    ErrorCode.FIRST_PIN_NEEDED: (
        QT_TRANSLATE_NOOP("Messages", "{name} has no PIN yet."),
        QT_TRANSLATE_NOOP(
            "Messages", "Tap your badge to choose one, or type the setup code the admin gave you."
        ),
    ),
    ErrorCode.FIRST_PIN_NEEDS_SERVER: (
        QT_TRANSLATE_NOOP(
            "Messages", "Choosing a first PIN needs the server, and it cannot be reached now."
        ),
        QT_TRANSLATE_NOOP(
            "Messages",
            "Nothing was saved. Try again when the kiosk is connected; operators log in by badge.",
        ),
    ),
    ErrorCode.PIN_MISMATCH: (
        QT_TRANSLATE_NOOP("Messages", "The two PINs are not the same."),
        QT_TRANSLATE_NOOP(
            "Messages", "Nothing was saved. Choose your PIN again and type it twice."
        ),
    ),
    ErrorCode.PIN_ALREADY_SET: (
        QT_TRANSLATE_NOOP("Messages", "{employee_no} has a PIN already."),
        QT_TRANSLATE_NOOP("Messages", "Log in with it. Forgotten? Ask the admin to reset it."),
    ),
    ErrorCode.SETUP_CODE_WRONG: (
        QT_TRANSLATE_NOOP(
            "Messages", "Wrong setup code: {attempts_left} tries left before the account is locked."
        ),
        QT_TRANSLATE_NOOP(
            "Messages", "Type the code exactly as the admin gave it, or ask for a new one."
        ),
    ),
    ErrorCode.SETUP_CODE_EXPIRED: (
        QT_TRANSLATE_NOOP("Messages", "This setup code is used up or expired."),
        QT_TRANSLATE_NOOP("Messages", "Ask the admin for a new setup code."),
    ),
    ErrorCode.BADGE_BEFORE_PIN: (
        QT_TRANSLATE_NOOP(
            "Messages",
            "{employee_no} logs in here with badge and PIN: the PIN alone is not enough.",
        ),
        QT_TRANSLATE_NOOP("Messages", "Tap your badge on the reader first, then type your PIN."),
    ),
    ErrorCode.DESKTOP_SUPERVISORS_ONLY: (
        QT_TRANSLATE_NOOP(
            "Messages", "This is a supervisor's desktop: {employee_no} cannot log in here."
        ),
        QT_TRANSLATE_NOOP("Messages", "Operators log in at their line's kiosk."),
    ),
    ErrorCode.SYNC_NOT_SET_UP: (
        QT_TRANSLATE_NOOP("Messages", "This kiosk does not sync with a server."),
        QT_TRANSLATE_NOOP(
            "Messages", "Its work stays on this kiosk. Ask the admin to connect it to the server."
        ),
    ),
    ErrorCode.NEEDS_SERVER: (
        QT_TRANSLATE_NOOP("Messages", "This needs the server: connect the kiosk and try again."),
        QT_TRANSLATE_NOOP(
            "Messages",
            "Nothing was changed. Badges, unlocks and account changes are made on the server.",
        ),
    ),
    ErrorCode.SERVER_REFUSED: (
        QT_TRANSLATE_NOOP("Messages", "The server refused this: {message}."),
        QT_TRANSLATE_NOOP("Messages", "Nothing was changed. Ask the admin."),
    ),
    ErrorCode.ROWS_REFUSED: (
        QT_TRANSLATE_NOOP("Messages", "The server refused this: {message}."),
        QT_TRANSLATE_NOOP(
            "Messages", "Nothing was changed. Correct the fields marked and try again."
        ),
    ),
    ErrorCode.SITE_KEY_MISSING: (
        QT_TRANSLATE_NOOP("Messages", "This kiosk has no slip-signing key of its own."),
        QT_TRANSLATE_NOOP(
            "Messages", "Slips cannot be printed here. Ask the admin to enrol this kiosk again."
        ),
    ),
    ErrorCode.TRANSFER_NOT_FOUND: (
        QT_TRANSLATE_NOOP("Messages", "This handoff is not known on this kiosk."),
        QT_TRANSLATE_NOOP("Messages", "Check the slip, or ask your supervisor."),
    ),
    ErrorCode.TRANSFER_TRANSITION: (
        QT_TRANSLATE_NOOP(
            "Messages", "This handoff cannot be changed that way: it is {status} already."
        ),
        QT_TRANSLATE_NOOP("Messages", "Refresh the screen to see where it stands."),
    ),
    ErrorCode.TRANSFER_NO_NEXT_DEPARTMENT: (
        QT_TRANSLATE_NOOP(
            "Messages", "There is no next department after {department} on route {route}."
        ),
        QT_TRANSLATE_NOOP(
            "Messages", "Finished goods leave through the warehouse, not through a handoff."
        ),
    ),
    ErrorCode.TRANSFER_WRONG_RECEIVING_LINE: (
        QT_TRANSLATE_NOOP("Messages", "{line} is not a line of the next department."),
        QT_TRANSLATE_NOOP("Messages", "Pick one of the lines shown."),
    ),
    ErrorCode.TRANSFER_ABOVE_SENDABLE: (
        QT_TRANSLATE_NOOP(
            "Messages",
            "{value} pieces is more than can be sent: {sendable} are good and not yet sent.",
        ),
        QT_TRANSLATE_NOOP("Messages", "Send fewer, or record the output first."),
    ),
    ErrorCode.TRANSFER_WORK_ORDER_NOT_STARTED: (
        QT_TRANSLATE_NOOP("Messages", "{number} has not started: it has no pieces to hand over."),
        QT_TRANSLATE_NOOP("Messages", "Start it and record its output first."),
    ),
    ErrorCode.TRANSFER_COUNTS_INCONSISTENT: (
        QT_TRANSLATE_NOOP(
            "Messages", "The counts recorded for this handoff do not agree with its outcome."
        ),
        QT_TRANSLATE_NOOP(
            "Messages", "Nothing was changed. Ask the supervisor to check the slip and the counts."
        ),
    ),
    ErrorCode.SLIP_NOT_PRINTABLE: (
        QT_TRANSLATE_NOOP(
            "Messages",
            "Slip {slip_id} cannot be printed: its batch is no longer waiting at {line}.",
        ),
        QT_TRANSLATE_NOOP(
            "Messages",
            "A slip is printed only until the batch is received. The list shows where it is.",
        ),
    ),
    ErrorCode.LINE_ALREADY_CLEAR: (
        QT_TRANSLATE_NOOP("Messages", "{line} is clear already."),
        QT_TRANSLATE_NOOP("Messages", "Nothing was changed."),
    ),
    ErrorCode.SLIP_MALFORMED: (
        QT_TRANSLATE_NOOP("Messages", "This slip's code could not be read completely."),
        QT_TRANSLATE_NOOP(
            "Messages",
            "Scan the square QR code again, flat and whole. If it is torn, ask for a reprint.",
        ),
    ),
    ErrorCode.SLIP_OTHER_SITE: (
        QT_TRANSLATE_NOOP("Messages", "This slip was made at another site ({site})."),
        QT_TRANSLATE_NOOP(
            "Messages", "Do not take the batch in. An alert for your supervisor is raised."
        ),
    ),
    ErrorCode.SLIP_SIGNATURE_INVALID: (
        QT_TRANSLATE_NOOP(
            "Messages",
            "This slip's signature does not match: it was changed or not made by our kiosks.",
        ),
        QT_TRANSLATE_NOOP(
            "Messages", "Do not take the batch in. An alert for your supervisor is raised."
        ),
    ),
    ErrorCode.SLIP_OLD_FORMAT: (
        QT_TRANSLATE_NOOP(
            "Messages", "This slip was printed in an old format that can no longer be checked."
        ),
        QT_TRANSLATE_NOOP(
            "Messages", "Do not take the batch in. Ask the sending line to print the slip again."
        ),
    ),
    ErrorCode.SLIP_KEY_UNKNOWN: (
        QT_TRANSLATE_NOOP("Messages", "This slip was signed by a kiosk this kiosk does not know."),
        QT_TRANSLATE_NOOP(
            "Messages", "Do not take the batch in. An alert for your supervisor is raised."
        ),
    ),
    ErrorCode.SLIP_KEY_REVOKED: (
        QT_TRANSLATE_NOOP(
            "Messages", "This slip was signed by a kiosk that has been taken out of service."
        ),
        QT_TRANSLATE_NOOP(
            "Messages", "Do not take the batch in. An alert for your supervisor is raised."
        ),
    ),
    ErrorCode.SLIP_SIGNER_OTHER_LINE: (
        QT_TRANSLATE_NOOP(
            "Messages",
            "This slip says it comes from {line}, but a kiosk of {signer_line} signed it.",
        ),
        QT_TRANSLATE_NOOP(
            "Messages", "Do not take the batch in. An alert for your supervisor is raised."
        ),
    ),
    ErrorCode.SLIP_ALREADY_RECEIVED: (
        QT_TRANSLATE_NOOP("Messages", "Slip {slip_id} has been received already."),
        QT_TRANSLATE_NOOP(
            "Messages",
            "A slip is accepted only once. Call your supervisor if the batch came twice.",
        ),
    ),
    ErrorCode.SLIP_OTHER_LINE: (
        QT_TRANSLATE_NOOP("Messages", "This slip is for {line}, not for {this_line}."),
        QT_TRANSLATE_NOOP(
            "Messages", "Take the batch to {line}, or ask the sender for a new slip."
        ),
    ),
    ErrorCode.SLIP_OTHER_DEPARTMENT: (
        QT_TRANSLATE_NOOP("Messages", "This slip is for {line}, a line of another department."),
        QT_TRANSLATE_NOOP("Messages", "This batch does not belong here: take it to {line}."),
    ),
    ErrorCode.SLIP_ID_ONLY: (
        QT_TRANSLATE_NOOP("Messages", "This kiosk does not know slip {slip_id} yet."),
        QT_TRANSLATE_NOOP(
            "Messages", "Scan the square QR code on the slip instead of the bar code."
        ),
    ),
    ErrorCode.SELF_APPROVAL: (
        QT_TRANSLATE_NOOP(
            "Messages", "You cannot approve your own work: you requested, prepared or counted this."
        ),
        QT_TRANSLATE_NOOP("Messages", "Someone else with the right role must do it."),
    ),
    ErrorCode.REASON_REQUIRED: (
        QT_TRANSLATE_NOOP("Messages", "A reason is needed."),
        QT_TRANSLATE_NOOP("Messages", "Pick or type why, then confirm."),
    ),
    ErrorCode.REASON_TOO_LONG: (
        QT_TRANSLATE_NOOP(
            "Messages", "The reason is too long ({length} characters, at most {limit})."
        ),
        QT_TRANSLATE_NOOP("Messages", "Say it in fewer words."),
    ),
}


def _quantity_zero(f: dict[str, Any], _times: TimeFormatter) -> Message:
    field = f.get("field")
    if field == "count":
        return Message(
            QCoreApplication.translate("Messages", "A count of 0 cannot be received."),
            QCoreApplication.translate(
                "Messages", "Count the pieces of the batch and type how many there are."
            ),
        )
    if field == "quantity":
        return Message(
            QCoreApplication.translate("Messages", "Nothing to send: the quantity is 0."),
            QCoreApplication.translate("Messages", "Type how many pieces go."),
        )
    if field == "kanban_quantity":
        return Message(
            QCoreApplication.translate("Messages", "Nothing to request: the quantity is 0."),
            QCoreApplication.translate(
                "Messages", "Type how many you need on the number pad, then Send."
            ),
        )
    return Message(
        QCoreApplication.translate("Messages", "Nothing to record: good and reject are both 0."),
        QCoreApplication.translate("Messages", "Type how many good or rejected pieces you made."),
    )


def _line_not_clear(f: dict[str, Any], times: TimeFormatter) -> Message:
    """Names what holds the line, so the operator can tell the supervisor exactly."""
    held = f.get("work_order") or QCoreApplication.translate("Messages", "another batch")
    details = ", ".join(
        str(part)
        for part in (
            f.get("article"),
            QCoreApplication.translate("Messages", "for {destination}").format(
                destination=f["destination"]
            )
            if f.get("destination")
            else None,
            QCoreApplication.translate("Messages", "since {time}").format(
                time=times.time(f["since"])
            )
            if f.get("since")
            else None,
        )
        if part
    )
    held_text = f"{held} ({details})" if details else str(held)
    line = f.get("line", "")
    text = QCoreApplication.translate("Messages", "{line} is not clear: it holds {held}.").format(
        line=line, held=held_text
    )
    return Message(
        text,
        QCoreApplication.translate(
            "Messages", "Ask the supervisor of {line} to clear the line, then try again."
        ).format(line=line),
    )


def _line_segregated(f: dict[str, Any], times: TimeFormatter) -> Message:
    base = _line_not_clear(f, times)
    return Message(
        base.text
        + " "
        + QCoreApplication.translate(
            "Messages", "Batches for different destinations never share a line."
        ),
        base.hint,
    )


_KIND_NAMES = {
    "badge": QT_TRANSLATE_NOOP("Messages", "A badge"),
    "work_order": QT_TRANSLATE_NOOP("Messages", "A work order"),
    "slip": QT_TRANSLATE_NOOP("Messages", "A transfer slip"),
    "kanban_card": QT_TRANSLATE_NOOP("Messages", "A kanban card"),
}
_LOGGED_OUT_SCREENS = {"login", "pin"}


def _wrong_scan(f: dict[str, Any], _times: TimeFormatter) -> Message:
    """A code of one of our kinds, on a screen that does not take it."""
    kind, screen = str(f.get("kind")), str(f.get("screen"))
    logged_out = screen in _LOGGED_OUT_SCREENS
    if kind == "product":
        return Message(
            QCoreApplication.translate(
                "Messages", "This is a product barcode, not a badge or a work order."
            ),
            QCoreApplication.translate("Messages", "Nothing was changed. Tap your badge to log in.")
            if logged_out
            else QCoreApplication.translate(
                "Messages", "Nothing was changed. Scan the work order on the SPK paper."
            ),
        )
    if logged_out:
        return Message(
            QCoreApplication.translate("Messages", "Log in first, then scan it."),
            QCoreApplication.translate("Messages", "Tap your badge or your name to log in."),
        )
    if kind == "work_order" and screen == "record":
        return Message(
            QCoreApplication.translate(
                "Messages", "Finish or cancel the quantity you are typing first."
            ),
            QCoreApplication.translate("Messages", "Then scan the work order again."),
        )
    what = QCoreApplication.translate(
        "Messages", str(_KIND_NAMES.get(kind, QT_TRANSLATE_NOOP("Messages", "This code")))
    )
    return Message(
        QCoreApplication.translate("Messages", "{what} cannot be used on this screen.").format(
            what=what
        ),
        QCoreApplication.translate(
            "Messages", "Nothing was changed. Go to the screen for it and scan again."
        ),
    )


def _transition_message(f: dict[str, Any], _times: TimeFormatter) -> Message:
    status = f.get("status")
    command = f.get("command")
    what = {
        WorkOrderCommand.START.value: QCoreApplication.translate(
            "Messages", "It cannot be started"
        ),
        WorkOrderCommand.RECORD.value: QCoreApplication.translate(
            "Messages", "Quantities cannot be recorded"
        ),
        WorkOrderCommand.PAUSE.value: QCoreApplication.translate("Messages", "It cannot be paused"),
        WorkOrderCommand.RESUME.value: QCoreApplication.translate(
            "Messages", "It cannot be resumed"
        ),
        WorkOrderCommand.COMPLETE.value: QCoreApplication.translate(
            "Messages", "It cannot be completed"
        ),
    }.get(str(command), QCoreApplication.translate("Messages", "That is not possible"))
    state = {
        WorkOrderStatus.RELEASED.value: (
            QCoreApplication.translate("Messages", "the work order has not been started"),
            QCoreApplication.translate("Messages", "Press Start first."),
        ),
        WorkOrderStatus.IN_PROGRESS.value: (
            QCoreApplication.translate("Messages", "the work order is already running"),
            QCoreApplication.translate("Messages", "Use the buttons that are lit."),
        ),
        WorkOrderStatus.PAUSED.value: (
            QCoreApplication.translate("Messages", "the work order is paused"),
            QCoreApplication.translate("Messages", "Press Resume first."),
        ),
        WorkOrderStatus.COMPLETED.value: (
            QCoreApplication.translate("Messages", "the work order is complete"),
            QCoreApplication.translate(
                "Messages", "Nothing more can be done on it; pick another work order."
            ),
        ),
        WorkOrderStatus.CANCELLED.value: (
            QCoreApplication.translate("Messages", "the work order was cancelled by the office"),
            QCoreApplication.translate(
                "Messages", "Nothing more can be done on it; pick another work order."
            ),
        ),
        WorkOrderStatus.CLOSED.value: (
            QCoreApplication.translate("Messages", "the work order was closed by the office"),
            QCoreApplication.translate(
                "Messages", "Nothing more can be done on it; pick another work order."
            ),
        ),
    }
    reason, hint = state.get(
        str(status),
        (
            QCoreApplication.translate("Messages", "of its state"),
            QCoreApplication.translate("Messages", "Use the buttons that are lit."),
        ),
    )
    return Message(
        QCoreApplication.translate("Messages", "{what}: {reason}.").format(
            what=what, reason=reason
        ),
        hint,
    )


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
