"""What a printed page says: plain data, rendered by the printer adapter.

A slip and a kanban card are both a title, labelled lines of text, a Code128 of
the document's id and, for a slip, a QR code of its signed payload, and where the site
wants it a stub the sender tears off and keeps.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PrintDocument:
    kind: str  # "slip" or "kanban_card": names the file and the audit entry
    document_id: str  # the slip id or card number; the Code128 carries it
    title: str
    rows: tuple[tuple[str, str], ...]  # (label, value), printed big and in order
    qr_payload: str | None = None
    footer: str = ""
    # Values put into the footer's {placeholders} once it is translated (the card's line).
    footer_values: tuple[tuple[str, str], ...] = ()
    # True once its fixed texts are in the language to print (the kiosk's, kiosk.ui);
    # False: the renderer translates them into the language on screen.
    translated: bool = False
    # A strip below a cut line, torn off by whoever prints the page (none when empty).
    stub_title: str = ""
    stub_rows: tuple[tuple[str, str], ...] = ()
