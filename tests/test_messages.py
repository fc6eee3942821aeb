"""Every refusal code has a two-part message (what happened, what to do)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiosk.domain.errors import ErrorCode, KnownError
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.messages import describe

SAMPLE_FIELDS: dict[str, object] = {
    "attempts_left": 2,
    "until": datetime(2026, 11, 21, 7, 30, tzinfo=UTC),
    "just_locked": True,
    "employee_no": "E1001",
    "line": "SEW-L03",
    "this_line": "CUT-L02",
    "number": "WO-2026-004217",
    "digits": "17",
    "matches": 3,
    "status": "RELEASED",
    "command": "RECORD",
    "field": "good",
    "value": 400,
    "open": 120,
    "allowed": 138,
    "limit": 100000,
    "text": "12a",
    "min_digits": 4,
    "max_digits": 8,
    "known": ["CUT-L01", "CUT-L02"],
    "reason": "BAD_LUCK",
    "role": "OPERATOR",
    "action": "screen.supervisor",
    "alert_id": "x",
    "name": "Budi Santoso",
    "kind": "work_order",
    "screen": "login",
    "sendable": 296,
    "work_order": "WO-2026-004233",
    "article": "Bunny plush 25 cm, white",
    "destination": "DE-Hamburg",
    "since": datetime(2026, 11, 21, 3, 0, tzinfo=UTC),
    "site": "DEMO",
    "slip_id": "TS-ABCDEFGH2345",
    "length": 240,
    "department": "PACK",
    "route": "R2",
    "message": "this device is revoked already",
    "signer_line": "CUT-L01",
    "issued_at": datetime(2026, 11, 14, 7, 30, tzinfo=UTC),
    "days": 7,
}


@pytest.mark.parametrize("code", list(ErrorCode))
def test_every_code_has_a_message_with_a_hint(qapp: object, code: ErrorCode) -> None:
    message = describe(KnownError(code, **SAMPLE_FIELDS), TimeFormatter("UTC"))
    assert message.text.strip() and message.hint.strip()
    assert "{" not in message.text + message.hint


def test_a_refused_transition_tells_what_to_do(qapp: object) -> None:
    message = describe(
        KnownError(ErrorCode.WORK_ORDER_TRANSITION, status="RELEASED", command="RECORD"),
        TimeFormatter("UTC"),
    )
    assert (message.text, message.hint) == (
        "Quantities cannot be recorded: the work order has not been started.",
        "Press Start first.",
    )


def test_times_are_shown_in_the_site_zone(qapp: object) -> None:
    message = describe(
        KnownError(
            ErrorCode.ACCOUNT_LOCKED,
            until=datetime(2026, 11, 21, 7, 30, tzinfo=UTC),
            just_locked=False,
        ),
        TimeFormatter("Asia/Jakarta"),
    )
    assert message.text == "This account is locked until 14:30."


@pytest.mark.parametrize(
    ("kind", "screen", "expected"),
    [
        ("product", "login", "This is a product barcode, not a badge or a work order."),
        ("work_order", "login", "Log in first, then scan it."),
        ("work_order", "record", "Finish or cancel the quantity you are typing first."),
        ("slip", "home", "A transfer slip cannot be used on this screen."),
        ("kanban_card", "work_order", "A kanban card cannot be used on this screen."),
    ],
)
def test_a_code_of_the_wrong_kind_says_what_it_is(
    qapp: object, kind: str, screen: str, expected: str
) -> None:
    message = describe(
        KnownError(ErrorCode.SCAN_WRONG_KIND, kind=kind, screen=screen), TimeFormatter("UTC")
    )
    assert message.text == expected
