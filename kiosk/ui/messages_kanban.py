"""The kanban refusals' messages: what the card waits for, and whom to ask."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.message_text import Message


def kanban_transition(f: dict[str, Any], _times: TimeFormatter) -> Message:
    """Says what the card is waiting for, so the operator knows whom to ask."""
    card = f.get("card_no") or QCoreApplication.translate("Messages", "This card")
    status, command = f.get("status"), f.get("command")
    refresh = QCoreApplication.translate("Messages", "Refresh the board to see where it stands.")
    if command == "RECEIVE":
        texts = {
            "REQUESTED": (
                QCoreApplication.translate("Messages", "{card} has not been approved yet."),
                QCoreApplication.translate(
                    "Messages",
                    "Ask the warehouse; scan the card again once it is marked in transit.",
                ),
            ),
            "APPROVED": (
                QCoreApplication.translate(
                    "Messages", "{card} is approved but not yet marked in transit."
                ),
                QCoreApplication.translate(
                    "Messages", "Ask the warehouse to mark it in transit, then scan the card again."
                ),
            ),
            "RECEIVED": (
                QCoreApplication.translate("Messages", "{card} has been received already."),
                QCoreApplication.translate(
                    "Messages", "Nothing was changed. A card is received only once."
                ),
            ),
            "REJECTED": (
                QCoreApplication.translate("Messages", "The warehouse rejected {card}."),
                QCoreApplication.translate(
                    "Messages", "Nothing was changed. The reason is on the Kanban board."
                ),
            ),
        }
        text, hint = texts.get(
            str(status),
            (QCoreApplication.translate("Messages", "{card} cannot be received now."), refresh),
        )
        return Message(text.format(card=card), hint)
    if command in {"APPROVE", "REJECT"}:
        return Message(
            QCoreApplication.translate("Messages", "{card} has been decided already.").format(
                card=card
            ),
            refresh,
        )
    if command == "SHIP" and status == "REQUESTED":
        return Message(
            QCoreApplication.translate("Messages", "{card} is not approved yet.").format(card=card),
            QCoreApplication.translate("Messages", "A warehouse admin must approve it first."),
        )
    return Message(
        QCoreApplication.translate("Messages", "{card} cannot take that step now.").format(
            card=card
        ),
        refresh,
    )


def kanban_item_unknown(f: dict[str, Any], _times: TimeFormatter) -> Message:
    return Message(
        QCoreApplication.translate(
            "Messages", "Item {item} is not in the warehouse list, or is no longer supplied."
        ).format(item=f.get("item", "")),
        QCoreApplication.translate("Messages", "Pick an item from the list."),
    )


def kanban_card_not_found(f: dict[str, Any], _times: TimeFormatter) -> Message:
    return Message(
        QCoreApplication.translate(
            "Messages", "Kanban card {card} is not known on this kiosk."
        ).format(card=f.get("card_no", "")),
        QCoreApplication.translate(
            "Messages", "Nothing was changed. Check the card, or ask the warehouse."
        ),
    )


def kanban_other_line(f: dict[str, Any], _times: TimeFormatter) -> Message:
    line = f.get("line", "")
    return Message(
        QCoreApplication.translate("Messages", "{card} is for {line}, not for {this_line}.").format(
            card=f.get("card_no", ""), line=line, this_line=f.get("this_line", "")
        ),
        QCoreApplication.translate(
            "Messages", "Nothing was changed. Take the goods and the card to {line}."
        ).format(line=line),
    )


def kanban_above_max(f: dict[str, Any], _times: TimeFormatter) -> Message:
    return Message(
        QCoreApplication.translate(
            "Messages",
            "{value} {unit} is more than one request may ask for {item} (at most {max}).",
        ).format(
            value=f.get("value", ""),
            unit=f.get("unit", ""),
            item=f.get("item", ""),
            max=f.get("max", ""),
        ),
        QCoreApplication.translate(
            "Messages", "Ask for {max} or fewer; ask the warehouse admin if the line needs more."
        ).format(max=f.get("max", "")),
    )
