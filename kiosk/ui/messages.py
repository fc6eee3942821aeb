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
from kiosk.ui.messages_simple import SIMPLE


def unexpected_error(reference: str) -> Message:
    return Message(
        QCoreApplication.translate(
            "Messages", "Something went wrong. The action was not recorded."
        ),
        QCoreApplication.translate(
            "Messages", "Try again. If it happens again, tell your supervisor (reference {ref})."
        ).format(ref=reference),
    )


def refusal_words(error: KnownError, times: TimeFormatter) -> Callable[[], tuple[str, str]]:
    """A refusal's message, made in the language installed when it is called."""

    def words() -> tuple[str, str]:
        message = describe(error, times)
        return message.text, message.hint

    return words


def describe(error: KnownError, times: TimeFormatter) -> Message:
    """The message for a refusal; every ErrorCode has one (a test checks)."""
    special = _SPECIAL.get(error.code)
    if special is not None:
        return special(error.fields, times)
    text, hint = SIMPLE[error.code]
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
