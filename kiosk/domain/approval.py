"""Segregation of duties, one rule for kiosk and server: nobody approves their own work."""

from __future__ import annotations

from typing import Any

from kiosk.domain.errors import ErrorCode, RefusalError


def refuse_own_work(approver: object, *own: object, **subject: Any) -> None:
    """Refuse a decision by someone who requested, prepared or counted what is decided.

    `approver` and `own` are the same kind of key (user ids, or employee numbers);
    `subject` names the thing in the refusal (the server's answer repeats it).
    """
    if approver in own:
        raise RefusalError(ErrorCode.SELF_APPROVAL, **subject)
