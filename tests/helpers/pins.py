"""Wrong PINs typed as a patient guesser would: waiting out the PIN pad's wait on a fake clock."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from kiosk.domain.errors import RefusalError
from kiosk.services.container import KioskServices
from kiosk.store.database import Database
from kiosk.store.models import User
from tests.helpers.fakes import FakeClock
from tests.helpers.refusals import refusal_of


def wrong_pin_after_the_wait(
    services: KioskServices,
    clock: FakeClock,
    user_id: uuid.UUID,
    pin: str = "0000",
    *,
    after_badge: bool = False,
) -> RefusalError:
    """Wait as long as the PIN pad asks, then type a wrong PIN: its refusal."""
    clock.advance(services.auth.pin_wait_seconds(user_id))
    return refusal_of(lambda: services.auth.login_with_pin(user_id, pin, after_badge=after_badge))


def drop_badge(database: Database, employee_no: str) -> None:
    """The person has no badge here (their PIN is all they have)."""
    with database.writer() as session:
        user = session.scalar(select(User).where(User.employee_no == employee_no))
        assert user is not None
        user.badge_hash = None
        session.commit()


def wait_out_the_pin_pad(services: KioskServices, clock: FakeClock, user_id: uuid.UUID) -> None:
    """Let the fake clock run past the PIN pad's wait for this person, if any."""
    clock.advance(services.auth.pin_wait_seconds(user_id))
