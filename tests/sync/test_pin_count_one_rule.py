"""One central count of wrong PINs, one rule, whichever way a guess reached the server.

A wrong PIN reaches the server pushed by a kiosk (`pin.refused`) or typed into an identity
request (an admin's PIN checked by the server itself). Both add to the same dated count
(`app_user.last_wrong_pin_at`) with the same window, and the fifth locks. Someone who logs
in by badge is counted but never locked, whatever a kiosk pushes. A real server on
PostgreSQL with kiosks enrolled by real codes.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select, text

from kiosk.demo import demo_user
from kiosk.domain.errors import ErrorCode
from kiosk.services.views import LoginResult, PinRequired
from kiosk.store.models import Alert, User
from tests.helpers.central import CentralDatabase, KioskNode
from tests.helpers.refusals import refusal_of
from tests.helpers.sync_raw import RawDevice, now_text, outbox_answer, queue_event, user_id
from tests.sync.conftest import KioskFactory

RINA, ADMIN, DEWI = "E1001", "E9001", "E2001"
UNBIND = "/v1/identity/badges/unbind"
_COUNTED_LONG_AGO = text(
    "UPDATE app_user SET last_wrong_pin_at = last_wrong_pin_at - interval '31 minutes' "
    "WHERE id = :user_id"
)


def _central(central: CentralDatabase, employee_no: str) -> User:
    with central.session() as session:
        found = session.scalar(select(User).where(User.employee_no == employee_no))
    assert found is not None
    return found


def _wrong_pin_by_request(raw: RawDevice, central: CentralDatabase) -> str:
    """The admin's wrong PIN in an identity request (unbinding Dewi's badge): its answer."""
    body = {
        "actor": {"user_id": str(user_id(central, ADMIN)), "pin": "000000"},
        "user_id": str(user_id(central, DEWI)),
    }
    answer = raw.post(body, path=UNBIND)
    assert answer.status_code == 403
    return str(answer.json()["detail"]["code"])


def _wrong_pin_on_the_kiosk(node: KioskNode, admin: uuid.UUID) -> ErrorCode:
    """The admin's badge, then a wrong PIN on the line kiosk's pad (pushed as pin.refused)."""
    assert isinstance(node.services.auth.login_with_badge(demo_user(ADMIN).badge), PinRequired)
    return refusal_of(
        lambda: node.services.auth.login_with_pin(admin, "000000", after_badge=True)
    ).code


def test_guesses_by_request_and_on_a_kiosk_add_up_to_one_lock(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting = kiosk("CUT-L02")
    admin = user_id(central, ADMIN)
    with RawDevice.of(cutting) as raw:
        assert [_wrong_pin_by_request(raw, central) for _ in range(2)] == ["wrong_pin"] * 2
        assert [_wrong_pin_on_the_kiosk(cutting, admin) for _ in range(2)] == [
            ErrorCode.WRONG_PIN
        ] * 2
        cutting.sync()
        assert _central(central, ADMIN).failed_pin_count == 4
        assert _wrong_pin_by_request(raw, central) == "account_locked"  # the fifth, either way
    with central.session() as session:
        alerts = session.scalars(select(Alert).where(Alert.kind == "pin_lockout")).all()
        assert [alert.fields["employee_no"] for alert in alerts] == [ADMIN]


def test_the_window_is_the_same_for_both_paths(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    cutting = kiosk("CUT-L02")
    admin = user_id(central, ADMIN)

    def counted_long_ago() -> None:
        with central.session() as session:
            session.execute(_COUNTED_LONG_AGO, {"user_id": str(admin)})
            session.commit()

    with RawDevice.of(cutting) as raw:
        for _ in range(2):
            _wrong_pin_by_request(raw, central)
        counted_long_ago()
        _wrong_pin_on_the_kiosk(cutting, admin)
        cutting.sync()
        assert _central(central, ADMIN).failed_pin_count == 1  # the old two no longer count
        _wrong_pin_on_the_kiosk(cutting, admin)
        cutting.sync()
        counted_long_ago()
        _wrong_pin_by_request(raw, central)
        assert _central(central, ADMIN).failed_pin_count == 1
    assert _central(central, ADMIN).locked_until is None


def test_a_badge_operator_is_never_locked_centrally_whatever_a_kiosk_pushes(
    central: CentralDatabase, kiosk: KioskFactory
) -> None:
    """Six wrong PINs pushed for Rina and a forged lock: counted, never applied as a lock."""
    cutting = kiosk("CUT-L02")
    rina = user_id(central, RINA)
    payload = {"user_id": str(rina), "line": "CUT-L02", "at": now_text()}
    guesses = [queue_event(cutting, "pin.refused", payload) for _ in range(6)]
    forged = queue_event(
        cutting, "user.locked", {"user_id": str(rina), "until": now_text(), "line": "CUT-L02"}
    )
    cutting.sync()
    assert {outbox_answer(cutting, event)[0] for event in guesses} == {"applied"}
    assert outbox_answer(cutting, forged) == ("applied", "badge_login_not_locked")
    person = _central(central, RINA)
    assert (person.failed_pin_count, person.locked_until) == (6, None)
    with central.session() as session:
        assert session.scalars(select(Alert).where(Alert.subject_user_id == rina)).all() == []
    result = cutting.services.auth.login_with_badge(demo_user(RINA).badge)
    assert isinstance(result, LoginResult) and result.actor.employee_no == RINA
