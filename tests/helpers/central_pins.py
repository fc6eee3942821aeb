"""Wrong PINs on enrolled kiosks, and a badge taken away on the server (the PIN then locks)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from kiosk.domain.errors import RefusalError
from kiosk.store.models import User
from server_sync.feed import feed_row, publish
from tests.helpers.central import CentralDatabase, KioskNode, OffsetClock
from tests.helpers.refusals import refusal_of


def drop_badge_centrally(central: CentralDatabase, employee_no: str) -> None:
    """Unbind the person's badge on the server and publish the row (kiosks see it on a pull)."""
    with central.session() as session:
        user = session.scalar(select(User).where(User.employee_no == employee_no))
        assert user is not None
        user.badge_hash = None
        session.flush()
        row = feed_row(session, user)
        assert row is not None
        publish(session, [row])
        session.commit()


def wait_out_the_pin_pad(node: KioskNode, user_id: uuid.UUID) -> None:
    """Move the kiosk's clock past the PIN pad's wait for this person (its clock only)."""
    assert isinstance(node.clock, OffsetClock)
    node.clock.offset += timedelta(seconds=node.services.auth.pin_wait_seconds(user_id))


def wrong_pin_on(node: KioskNode, user_id: uuid.UUID, pin: str = "0000") -> RefusalError:
    """A wrong PIN on the kiosk once its PIN pad's wait (if any) has run out."""
    wait_out_the_pin_pad(node, user_id)
    return refusal_of(lambda: node.services.auth.login_with_pin(user_id, pin))


def clear_pin_centrally(central: CentralDatabase, employee_no: str) -> uuid.UUID:
    """The person has no PIN (new from an import, or reset) and kiosks see it on a pull."""
    with central.session() as session:
        user = session.scalar(select(User).where(User.employee_no == employee_no))
        assert user is not None
        user.pin_hash = ""
        session.flush()
        row = feed_row(session, user)
        assert row is not None
        publish(session, [row])
        session.commit()
        return user.id
