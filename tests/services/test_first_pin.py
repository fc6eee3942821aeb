"""Someone with no PIN yet on the kiosk itself (no server here: the demo's kind of kiosk).

What the login does with them, and what the first-PIN service refuses before any server
is asked; the server's side is in tests/sync/test_first_pin_server.py.
"""

from __future__ import annotations

from sqlalchemy import select

from kiosk.demo import demo_user
from kiosk.domain.errors import ErrorCode
from kiosk.services.first_pin import FirstPinProof
from kiosk.services.views import FirstPinRequired, LoginResult
from kiosk.store.models import User
from tests.helpers.refusals import refusal_of
from tests.helpers.site import Site


def _clear_pin(site: Site, employee_no: str) -> None:
    with site.database.writer() as session:
        user = session.scalar(select(User).where(User.employee_no == employee_no))
        assert user is not None
        user.pin_hash = ""
        session.commit()


def test_an_operator_with_no_pin_is_asked_to_choose_one_and_may_log_in_by_badge(
    site: Site,
) -> None:
    _clear_pin(site, "E1001")
    services = site.services()
    tapped = services.auth.login_with_badge(demo_user("E1001").badge)
    assert isinstance(tapped, FirstPinRequired)
    assert tapped.may_skip and not tapped.entry.has_pin
    skipped = services.auth.login_with_badge(demo_user("E1001").badge, skip_first_pin=True)
    assert isinstance(skipped, LoginResult)
    assert skipped.actor.employee_no == "E1001"


def test_a_supervisor_with_no_pin_cannot_skip_it(site: Site) -> None:
    _clear_pin(site, "E5002")
    services = site.services()
    for skip in (False, True):
        tapped = services.auth.login_with_badge(demo_user("E5002").badge, skip_first_pin=skip)
        assert isinstance(tapped, FirstPinRequired)
        assert not tapped.may_skip


def test_the_pin_pad_of_someone_with_no_pin_says_so(site: Site) -> None:
    _clear_pin(site, "E1001")
    services = site.services()
    [tile] = [entry for entry in services.auth.roster() if entry.employee_no == "E1001"]
    assert not tile.has_pin
    refusal = refusal_of(lambda: services.auth.login_with_pin(site.user_id("E1001"), "2468"))
    assert refusal.code is ErrorCode.FIRST_PIN_NEEDED
    assert refusal.fields["name"] == "Rina Wulandari"
    assert site.audit_outcomes()[-1] == ("session.login", "refused:auth.first_pin_needed")


def test_someone_whose_pin_is_not_sent_here_is_still_not_assigned(site: Site) -> None:
    """Dewi works on SEW-L03: her hash never comes to CUT-L02 (empty here), so no offer."""
    _clear_pin(site, "E2001")
    services = site.services()
    refusal = refusal_of(lambda: services.auth.login_with_pin(site.user_id("E2001"), "8642"))
    assert refusal.code is ErrorCode.NOT_ASSIGNED_TO_LINE


def test_without_a_server_the_first_pin_is_refused_and_nothing_changes(site: Site) -> None:
    _clear_pin(site, "E1001")
    services = site.services()
    tapped = services.auth.login_with_badge(demo_user("E1001").badge)
    assert isinstance(tapped, FirstPinRequired)
    proof = FirstPinProof(badge_uid=tapped.badge_uid)
    first_pin = services.first_pin
    assert not first_pin.has_server
    offline = refusal_of(lambda: first_pin.refuse_without_server(tapped.entry, proof))
    assert offline.code is ErrorCode.FIRST_PIN_NEEDS_SERVER
    mismatch = refusal_of(lambda: first_pin.choose(tapped.entry, "2580", "2588", proof))
    assert mismatch.code is ErrorCode.PIN_MISMATCH
    short = refusal_of(lambda: first_pin.check_new_pin(tapped.entry, "25", proof))
    assert short.code is ErrorCode.PIN_FORMAT
    same = refusal_of(lambda: first_pin.choose(tapped.entry, "2580", "2580", proof))
    assert same.code is ErrorCode.FIRST_PIN_NEEDS_SERVER
    with site.database.reader() as session:
        assert session.scalar(select(User.pin_hash).where(User.employee_no == "E1001")) == ""
    assert [outcome for action, outcome in site.audit_outcomes() if action == "user.first_pin"] == [
        "refused:auth.first_pin_needs_server",
        "refused:auth.pin_mismatch",
        "refused:auth.pin_format",
        "refused:auth.first_pin_needs_server",
    ]
