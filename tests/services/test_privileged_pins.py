"""Privileged PINs: six digits at least, and on a line kiosk only after the person's badge.

A supervisor's, warehouse admin's or admin's PIN opens more than their own work; on a
line kiosk anyone can stand at the keypad, so the PIN alone does not log them in there.
"""

from __future__ import annotations

import pytest

from kiosk.demo import demo_user
from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.pins import check_pin_format
from kiosk.domain.roles import Role
from kiosk.services.container import build_services
from kiosk.services.pin_hasher import PinHasher
from kiosk.services.views import PinRequired
from kiosk.store.models import OutboxEvent
from tests.helpers.refusals import refusal_of
from tests.helpers.site import Site

ANDI = "E9001"  # admin
ANI = "E5002"  # Cutting supervisor


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.WAREHOUSE_ADMIN, Role.ADMIN])
def test_a_four_digit_pin_for_a_privileged_role_is_refused_where_pins_are_set(
    role: Role,
) -> None:
    hasher = PinHasher()
    with pytest.raises(RefusalError) as refused:
        hasher.hash("5050", role)
    assert refused.value.code is ErrorCode.PIN_FORMAT
    assert refused.value.fields == {"min_digits": 6, "max_digits": 8}
    assert hasher.verify(hasher.hash("505050", role), "505050")


def test_operators_keep_four_digit_pins() -> None:
    check_pin_format("2468", Role.OPERATOR)
    check_pin_format("2718", Role.QC_INSPECTOR)
    with pytest.raises(RefusalError):
        check_pin_format("246", Role.OPERATOR)
    with pytest.raises(RefusalError):
        check_pin_format("24a8", Role.OPERATOR)


def test_the_demos_privileged_people_have_six_digit_pins() -> None:
    for number in ("E5001", "E5002", "E5003", "E6002", "E9001"):
        assert len(demo_user(number).pin) >= 6, number


def test_an_admins_pin_alone_is_refused_on_a_line_kiosk_and_not_even_checked(site: Site) -> None:
    services = site.services()
    andi = site.user_id(ANDI)
    outbox_before = site.count(OutboxEvent)
    for pin in (demo_user(ANDI).pin, "000000"):  # right or wrong: the same refusal
        refusal = refusal_of(lambda pin=pin: services.auth.login_with_pin(andi, pin))
        assert refusal.code is ErrorCode.BADGE_BEFORE_PIN
        assert refusal.fields == {"employee_no": ANDI}
    # "after_badge" claimed without a tap is no badge either.
    claimed = refusal_of(
        lambda: services.auth.login_with_pin(andi, demo_user(ANDI).pin, after_badge=True)
    )
    assert claimed.code is ErrorCode.BADGE_BEFORE_PIN
    # Not a wrong PIN: nothing counted, nothing sent, no lockout to provoke this way.
    assert site.count(OutboxEvent) == outbox_before
    assert ("session.login", "refused:auth.badge_before_pin") in site.audit_outcomes()
    # The badge, then the PIN: in.
    asked = services.auth.login_with_badge(demo_user(ANDI).badge)
    assert isinstance(asked, PinRequired)
    login = services.auth.login_with_pin(andi, demo_user(ANDI).pin, after_badge=True)
    assert login.actor.employee_no == ANDI


def test_a_badge_tap_opens_the_pin_for_two_minutes_only(site: Site) -> None:
    services = site.services()
    ani = site.user_id(ANI)
    assert isinstance(services.auth.login_with_badge(demo_user(ANI).badge), PinRequired)
    site.clock.advance(121)
    refusal = refusal_of(
        lambda: services.auth.login_with_pin(ani, demo_user(ANI).pin, after_badge=True)
    )
    assert refusal.code is ErrorCode.BADGE_BEFORE_PIN


def test_a_supervisors_approval_on_a_line_kiosk_needs_the_badge_too(site: Site) -> None:
    services = site.services()
    ani = site.user_id(ANI)
    refusal = refusal_of(lambda: services.auth.authenticate_approver(ani, demo_user(ANI).pin))
    assert refusal.code is ErrorCode.BADGE_BEFORE_PIN
    services.auth.badge_owner(demo_user(ANI).badge)
    assert services.auth.authenticate_approver(ani, demo_user(ANI).pin).employee_no == ANI
    # One tap, one approval.
    again = refusal_of(lambda: services.auth.authenticate_approver(ani, demo_user(ANI).pin))
    assert again.code is ErrorCode.BADGE_BEFORE_PIN


def test_a_desktop_keeps_pin_login_for_supervisors_and_admins(site: Site) -> None:
    desktop = build_services(
        site.database,
        site.clock,
        "CUT-L02",
        badge_key=site.badge_key,
        site_keys=site.site_keys,
        desktop=True,
    )
    login = desktop.auth.login_with_pin(site.user_id(ANDI), demo_user(ANDI).pin)
    assert login.actor.employee_no == ANDI


def test_every_wrong_pin_is_sent_to_the_server_to_be_counted_site_wide(site: Site) -> None:
    services = site.services()
    rina = site.user_id("E1001")
    for _ in range(2):
        refusal_of(lambda: services.auth.login_with_pin(rina, "1111"))
    assert site.outbox_kinds()[-2:] == ["pin.refused", "pin.refused"]
