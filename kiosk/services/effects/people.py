"""Badge events applied to the person's row."""

from __future__ import annotations

from kiosk.domain.events import BadgeEnrolled, BadgeUnbound
from kiosk.store.models import User


def change_badge(user: User, event: BadgeEnrolled | BadgeUnbound) -> None:
    """Bind the badge's hash to the person, or unbind it."""
    user.badge_hash = event.badge_hash if isinstance(event, BadgeEnrolled) else None
