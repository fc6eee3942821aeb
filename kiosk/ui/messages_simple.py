"""The refusals whose two parts take only the error's own fields: a table, read by
`kiosk.ui.messages.describe`; the refusals that need more say it in functions there."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from kiosk.domain.errors import ErrorCode

# QT_TRANSLATE_NOOP marks a text for lupdate and returns it (typed object): str() where read.
SIMPLE: dict[ErrorCode, tuple[object, object]] = {
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
