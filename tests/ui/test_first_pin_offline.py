"""A kiosk with no server at all (the demo's kind): a first PIN cannot be chosen there."""

from __future__ import annotations

from sqlalchemy import update

from kiosk.demo import demo_user
from kiosk.store.models import User
from tests.helpers.site import Site
from tests.ui.driver import KioskDriver

NEEDS_SERVER = "Choosing a first PIN needs the server, and it cannot be reached now."


def test_without_a_server_an_operator_gets_in_by_badge_and_a_supervisor_does_not(
    kiosk: KioskDriver, site: Site
) -> None:
    with site.database.writer() as session:
        session.execute(
            update(User).where(User.employee_no.in_(["E1001", "E5002"])).values(pin_hash="")
        )
        session.commit()
    window = kiosk.window
    window.scan_router.submit_badge(demo_user("E5002").badge)
    assert kiosk.screen is window.login_screen
    assert kiosk.banner_text().startswith(NEEDS_SERVER)
    assert window.header.user_name.text() == ""
    window.scan_router.submit_badge(demo_user("E1001").badge)
    assert window.header.user_name.text() == "Rina Wulandari · Operator"
    assert kiosk.banner_text().startswith(NEEDS_SERVER)
    assert [outcome for action, outcome in site.audit_outcomes() if action == "user.first_pin"] == [
        "refused:auth.first_pin_needs_server"
    ] * 2
