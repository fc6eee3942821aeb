"""PIN rules shared by the kiosk and the server: how long a PIN must be, and who needs a badge too.

A 4-digit PIN falls to an offline search of a copied database in about an hour on one
core; six digits cost a hundred times more. People whose PIN unlocks more than their own
work (supervisors, warehouse admins, admins) therefore have at least six digits, and on a
line kiosk (on the floor, anyone can stand at it) they tap their badge before the PIN:
the PIN alone does not open a privileged session there. A department desktop (in an
office, often without a reader) keeps PIN login for them.
"""

from __future__ import annotations

import re

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.roles import Role

PRIVILEGED_ROLES: frozenset[Role] = frozenset({Role.SUPERVISOR, Role.WAREHOUSE_ADMIN, Role.ADMIN})
MIN_PIN_DIGITS = 4
MIN_PRIVILEGED_PIN_DIGITS = 6
MAX_PIN_DIGITS = 8
_DIGITS = re.compile(r"[0-9]+")


def min_pin_digits(role: Role | None) -> int:
    """The shortest PIN this role may have (None: anyone, the person not known yet)."""
    return MIN_PRIVILEGED_PIN_DIGITS if role in PRIVILEGED_ROLES else MIN_PIN_DIGITS


def check_pin_format(pin: str, role: Role | None = None) -> None:
    """Refuse a PIN that is not all digits or whose length does not fit the role."""
    shortest = min_pin_digits(role)
    if not _DIGITS.fullmatch(pin) or not shortest <= len(pin) <= MAX_PIN_DIGITS:
        raise RefusalError(ErrorCode.PIN_FORMAT, min_digits=shortest, max_digits=MAX_PIN_DIGITS)


def needs_badge_before_pin(role: Role, *, desktop: bool) -> bool:
    """Whether a PIN typed without a badge tap may open this person's session here."""
    return role in PRIVILEGED_ROLES and not desktop
