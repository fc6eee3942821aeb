"""Wrong PINs add up across kiosks: N kiosks do not give an attacker N times the guesses.

A real server on PostgreSQL with real enrolled kiosks: Budi works on CUT-L01 and CUT-L02;
three wrong PINs on one and two on the other stay below each kiosk's own limit (5), but
the server counts five and locks him, and the lock reaches both kiosks by their next pull.
Budi has no badge in these tests: someone who logs in by badge is never locked by PINs
(tests/sync/test_pin_count_one_rule.py).
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, text

from kiosk.demo import demo_user
from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.store.models import Alert, User
from tests.helpers.central import CentralDatabase, KioskNode
from tests.helpers.central_pins import drop_badge_centrally, wrong_pin_on
from tests.helpers.sync_raw import now_text, outbox_answer, queue_event, user_id
from tests.sync.conftest import KioskFactory

BUDI = "E1002"  # operator on CUT-L02 and CUT-L01
# The central count's last wrong PIN moved back in time, as if it had come long ago.
_COUNTED_LONG_AGO = text(
    "UPDATE app_user SET last_wrong_pin_at = last_wrong_pin_at - interval '31 minutes' "
    "WHERE id = :user_id"
)


@pytest.fixture(autouse=True)
def _budi_without_a_badge(central: CentralDatabase) -> None:
    drop_badge_centrally(central, BUDI)


def _wrong_pins(node: KioskNode, user: uuid.UUID, times: int) -> None:
    for _ in range(times):
        refusal = wrong_pin_on(node, user)
        assert refusal.code is ErrorCode.WRONG_PIN  # never locked by this kiosk alone


def test_wrong_pins_on_two_kiosks_add_up_to_one_lockout_on_both(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    first, second = kiosk("CUT-L01"), kiosk("CUT-L02")
    budi = user_id(central, BUDI)
    _wrong_pins(first, budi, 3)
    first.sync()
    _wrong_pins(second, budi, 2)
    second.sync()
    with central.session() as session:
        person = session.get(User, budi)
        assert person is not None and person.locked_until is not None
        alerts = session.scalars(select(Alert).where(Alert.subject_user_id == budi)).all()
        assert [alert.kind for alert in alerts] == ["pin_lockout"]
    first.sync()
    for node in (first, second):
        with pytest.raises(RefusalError) as refused:  # even with the right PIN
            node.services.auth.login_with_pin(budi, demo_user(BUDI).pin)
        assert refused.value.code is ErrorCode.ACCOUNT_LOCKED


def test_wrong_pins_far_apart_do_not_add_up(kiosk: KioskFactory, central: CentralDatabase) -> None:
    """Two old wrong PINs (outside the lockout window) and three fresh ones: no lock."""
    first, second = kiosk("CUT-L01"), kiosk("CUT-L02")
    budi = user_id(central, BUDI)
    _wrong_pins(first, budi, 2)
    first.sync()
    with central.session() as session:  # those two were counted 31 minutes ago
        session.execute(_COUNTED_LONG_AGO, {"user_id": str(budi)})
        session.commit()
    _wrong_pins(second, budi, 3)
    second.sync()
    with central.session() as session:
        person = session.get(User, budi)
        assert person is not None and person.locked_until is None


def test_a_kiosk_reports_wrong_pins_only_for_people_who_log_in_on_it(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    """A Cutting token cannot lock a Sewing operator by reporting guesses it never saw."""
    cutting = kiosk("CUT-L01")
    dewi = user_id(central, "E2001")
    sent = [
        queue_event(
            cutting, "pin.refused", {"user_id": str(dewi), "line": "CUT-L01", "at": now_text()}
        )
        for _ in range(6)
    ]
    cutting.sync()
    answers = [outbox_answer(cutting, event) for event in sent]
    assert all(result == "rejected" for result, _ in answers)
    assert all((reason or "").startswith("not_on_this_device") for _, reason in answers)
    with central.session() as session:
        person = session.get(User, dewi)
        assert person is not None and person.locked_until is None
        assert person.failed_pin_count == 0


def test_a_lockout_on_one_kiosk_is_one_alert_centrally(
    kiosk: KioskFactory, central: CentralDatabase
) -> None:
    """The kiosk locks on its own count and says so; the server's count does not alert twice."""
    first = kiosk("CUT-L01")
    budi = user_id(central, BUDI)
    _wrong_pins(first, budi, 4)
    assert wrong_pin_on(first, budi).code is ErrorCode.ACCOUNT_LOCKED
    first.sync()
    with central.session() as session:
        person = session.get(User, budi)
        assert person is not None and person.locked_until is not None
        alerts = session.scalars(select(Alert).where(Alert.subject_user_id == budi)).all()
        assert [alert.kind for alert in alerts] == ["pin_lockout"]


def test_a_line_kiosk_holds_no_pin_hash_of_people_who_may_not_log_in_there(
    kiosk: KioskFactory,
) -> None:
    """CUT-L02's database: its operators, Cutting's supervisor and the admin; nobody else."""
    cutting = kiosk("CUT-L02")
    with cutting.database.reader() as session:
        hashed = {
            user.employee_no
            for user in session.scalars(select(User))
            if user.pin_hash or user.badge_hash
        }
    assert hashed == {"E1001", "E1002", "E5002", "E9001"}  # not Hadi (SEW), not Sri (WH)
