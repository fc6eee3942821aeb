"""Logging a demo person in as they would at the kiosk: badge + PIN where their role needs both."""

from __future__ import annotations

import uuid

from kiosk.demo import demo_user
from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.roles import PIN_AFTER_BADGE_ROLES
from kiosk.services.auth import AuthService
from kiosk.services.views import LoginResult, PinRequired


def log_in_demo_user(auth: AuthService, user_id: uuid.UUID, employee_no: str) -> LoginResult:
    """An operator types their PIN; a supervisor or admin taps the badge, then types the PIN."""
    person = demo_user(employee_no)
    if person.role not in PIN_AFTER_BADGE_ROLES:
        try:
            return auth.login_with_pin(user_id, person.pin)
        except RefusalError as refusal:  # a test made them a supervisor or an admin
            if refusal.code is not ErrorCode.BADGE_BEFORE_PIN:
                raise
    asked = auth.login_with_badge(person.badge)
    assert isinstance(asked, PinRequired), asked
    return auth.login_with_pin(user_id, person.pin, after_badge=True)
