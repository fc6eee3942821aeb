"""Wrong PINs slow the PIN pad down and alert the supervisor; they never shut out a badge user.

On a real SQLite site with the fake clock: Rina (E1001) and Budi (E1002) work on CUT-L02
and log in by badge; Ani (E5002) is Cutting's supervisor (badge, then PIN).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from kiosk.demo import demo_user
from kiosk.domain.errors import ErrorCode
from kiosk.domain.pin_throttle import PinThrottle
from kiosk.services.container import Policies
from kiosk.services.views import PinRequired
from kiosk.store.models import Alert, User
from tests.helpers.pins import drop_badge, wrong_pin_after_the_wait
from tests.helpers.refusals import refusal_of
from tests.helpers.site import Site

RINA, BUDI, ANI = "E1001", "E1002", "E5002"


def test_twenty_wrong_pins_never_lock_a_badge_operator_and_her_badge_logs_her_in(
    site: Site,
) -> None:
    services = site.services()
    rina = site.user_id(RINA)
    codes = {wrong_pin_after_the_wait(services, site.clock, rina).code for _ in range(20)}
    assert codes == {ErrorCode.WRONG_PIN}  # never "locked", however many
    assert [e.is_locked for e in services.auth.roster() if e.user_id == rina] == [False]
    assert "user.locked" not in site.outbox_kinds()
    # Straight after the last guess (the PIN pad still waits), her badge logs her in.
    assert services.auth.pin_wait_seconds(rina) > 0
    result = services.auth.login_with_badge(demo_user(RINA).badge)
    assert not isinstance(result, PinRequired)
    assert result.actor.employee_no == RINA
    with site.database.reader() as session:
        row = session.scalar(select(User).where(User.employee_no == RINA))
        assert row is not None and (row.failed_pin_count, row.locked_until) == (0, None)


def test_a_burst_of_guesses_while_the_pad_waits_is_refused_unchecked(site: Site) -> None:
    services = site.services()
    rina = site.user_id(RINA)
    for _ in range(3):
        refusal_of(lambda: services.auth.login_with_pin(rina, "0000"))
    # Even the right PIN is refused while the pad waits: no oracle for the guesser.
    for pin in ("0000", demo_user(RINA).pin):
        refusal = refusal_of(lambda pin=pin: services.auth.login_with_pin(rina, pin))
        assert (refusal.code, refusal.fields) == (ErrorCode.PIN_WAIT, {"wait_seconds": 5})
    assert site.audit_outcomes()[-1] == ("session.login", "refused:auth.pin_wait")
    assert services.auth.login_with_badge(demo_user(RINA).badge).actor.employee_no == RINA


def test_the_wait_grows_with_each_wrong_pin_up_to_a_cap(site: Site) -> None:
    services = site.services()
    rina = site.user_id(RINA)
    first, second = (refusal_of(lambda: services.auth.login_with_pin(rina, "0000")) for _ in "ab")
    assert first.fields == second.fields == {}  # two free tries, no wait yet
    third = refusal_of(lambda: services.auth.login_with_pin(rina, "0000"))
    assert third.fields == {"wait_seconds": 5}
    site.clock.advance(4)
    assert refusal_of(lambda: services.auth.login_with_pin(rina, "2468")).fields == {
        "wait_seconds": 1
    }
    site.clock.advance(1)
    waits = [refusal_of(lambda: services.auth.login_with_pin(rina, "0000")).fields["wait_seconds"]]
    for _ in range(7):
        waits.append(wrong_pin_after_the_wait(services, site.clock, rina).fields["wait_seconds"])
    assert waits == [10, 20, 40, 80, 160, 300, 300, 300]
    # Once the wait has passed, the right PIN logs her in and the count starts afresh.
    site.clock.advance(300)
    assert services.auth.login_with_pin(rina, demo_user(RINA).pin).actor.employee_no == RINA
    assert services.auth.pin_wait_seconds(rina) == 0


def test_wrong_pins_half_an_hour_apart_do_not_add_up(site: Site) -> None:
    services = site.services()
    rina = site.user_id(RINA)
    for _ in range(2):
        refusal_of(lambda: services.auth.login_with_pin(rina, "0000"))
    site.clock.advance(31 * 60)
    assert refusal_of(lambda: services.auth.login_with_pin(rina, "0000")).fields == {}


def test_cycling_through_the_tiles_shares_one_budget_for_the_kiosk(site: Site) -> None:
    throttle = PinThrottle(free_per_person=3, free_per_kiosk=4)
    services = site.services(policies=Policies(pin_throttle=throttle))
    rina, budi = site.user_id(RINA), site.user_id(BUDI)
    for user in (rina, budi, rina):
        assert refusal_of(lambda u=user: services.auth.login_with_pin(u, "0000")).fields == {}
    fourth = refusal_of(lambda: services.auth.login_with_pin(budi, "0000"))
    assert fourth.fields == {"wait_seconds": 5}  # Budi's second, the kiosk's fourth
    # Rina's tile has had only two wrong PINs, but the kiosk waits for every tile.
    assert services.auth.pin_wait_seconds(rina) == 5
    refusal = refusal_of(lambda: services.auth.login_with_pin(rina, demo_user(RINA).pin))
    assert refusal.code is ErrorCode.PIN_WAIT
    # The wait is in the kiosk's database: a restarted program still waits.
    assert site.services(policies=Policies(pin_throttle=throttle)).auth.pin_wait_seconds(rina) == 5
    site.clock.advance(5)
    assert wrong_pin_after_the_wait(services, site.clock, rina).fields == {"wait_seconds": 10}


def test_the_line_supervisor_is_alerted_once_however_many_guesses(site: Site) -> None:
    services = site.services()
    rina, budi = site.user_id(RINA), site.user_id(BUDI)
    for _ in range(10):
        for user in (rina, budi):
            wrong_pin_after_the_wait(services, site.clock, user)
    site.clock.advance(services.auth.pin_wait_seconds(site.user_id(ANI)))
    ani = site.login(services, ANI)
    alerts = services.alerts.open_alerts(ani)
    assert [(a.kind, a.fields["line"]) for a in alerts] == [("pin_guessing", "CUT-L02")]
    assert alerts[0].fields["employee_no"] == RINA  # her third wrong PIN started the wait
    assert site.outbox_kinds().count("alert.raised") == 1
    with site.database.reader() as session:
        assert session.scalar(select(Alert.department)) == "CUT"


def test_a_supervisor_is_still_locked_after_five_wrong_pins(site: Site) -> None:
    """A privileged PIN is a second factor after the badge: the lock stays."""
    services = site.services()
    ani = site.user_id(ANI)
    codes = []
    for _ in range(5):
        assert isinstance(services.auth.login_with_badge(demo_user(ANI).badge), PinRequired)
        refusal = wrong_pin_after_the_wait(services, site.clock, ani, "000000", after_badge=True)
        codes.append(refusal.code)
    assert codes == [ErrorCode.WRONG_PIN] * 4 + [ErrorCode.ACCOUNT_LOCKED]
    assert refusal.fields["just_locked"] is True
    badge = refusal_of(lambda: services.auth.login_with_badge(demo_user(ANI).badge))
    assert badge.code is ErrorCode.ACCOUNT_LOCKED
    assert "user.locked" in site.outbox_kinds()


def test_someone_without_a_badge_is_locked_as_before(site: Site) -> None:
    drop_badge(site.database, BUDI)
    services = site.services()
    budi = site.user_id(BUDI)
    refusals = [wrong_pin_after_the_wait(services, site.clock, budi) for _ in range(5)]
    assert [r.fields.get("attempts_left") for r in refusals[:4]] == [4, 3, 2, 1]
    assert refusals[-1].code is ErrorCode.ACCOUNT_LOCKED
    site.clock.advance(timedelta(minutes=29).total_seconds())
    right = refusal_of(lambda: services.auth.login_with_pin(budi, demo_user(BUDI).pin))
    assert right.code is ErrorCode.ACCOUNT_LOCKED
