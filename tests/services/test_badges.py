"""Badge login, badge + PIN for supervisors and admins, enrolment, and refused scans."""

from __future__ import annotations

import sqlite3

import pytest

from kiosk.demo import demo_user
from kiosk.domain.errors import ErrorCode
from kiosk.domain.scan import ScanEvent, ScanSource, classify
from kiosk.services.badge_hasher import BadgeHasher
from kiosk.services.views import LoginResult, PinRequired
from kiosk.store.models import AuditEntry, User
from tests.helpers.pins import wrong_pin_after_the_wait
from tests.helpers.refusals import refusal_of
from tests.helpers.site import Site

RINA_BADGE = demo_user("E1001").badge
ADMIN_BADGE = demo_user("E9001").badge
SPARE_BADGE = "0BADC0FFEE"


def test_an_operator_taps_in_without_a_pin(site: Site) -> None:
    result = site.services().auth.login_with_badge(RINA_BADGE)
    assert isinstance(result, LoginResult)
    assert result.actor.employee_no == "E1001"
    assert site.audit_outcomes()[-1] == ("session.login", "ok")
    with site.raw() as connection:
        details = connection.execute(
            "SELECT details FROM audit_log ORDER BY seq DESC LIMIT 1"
        ).fetchone()[0]
    assert '"method": "badge"' in details


def test_readers_that_send_lowercase_or_padding_are_the_same_badge(site: Site) -> None:
    result = site.services().auth.login_with_badge(f"  {RINA_BADGE.lower()}\r\n")
    assert isinstance(result, LoginResult)


def test_a_supervisor_badge_asks_for_the_pin_next(site: Site) -> None:
    services = site.services()
    result = services.auth.login_with_badge(demo_user("E5002").badge)
    assert isinstance(result, PinRequired)
    assert result.entry.employee_no == "E5002"
    assert site.audit_outcomes()[-1] == ("session.login", "pin_required")
    login = services.auth.login_with_pin(result.entry.user_id, "606060", after_badge=True)
    assert login.actor.employee_no == "E5002"


def test_an_unknown_badge_is_refused_and_audited_without_its_uid(site: Site) -> None:
    refusal = refusal_of(lambda: site.services().auth.login_with_badge(SPARE_BADGE))
    assert refusal.code is ErrorCode.BADGE_UNKNOWN
    assert site.audit_outcomes()[-1] == ("session.login", "refused:auth.badge_unknown")
    assert SPARE_BADGE not in _everything_written(site)


def test_badges_are_stored_as_keyed_hashes(site: Site) -> None:
    with site.raw() as connection:
        stored = connection.execute(
            "SELECT badge_hash FROM app_user WHERE employee_no = 'E1001'"
        ).fetchone()[0]
    assert RINA_BADGE not in stored
    assert stored == BadgeHasher(site.badge_key).digest(RINA_BADGE)
    assert stored != BadgeHasher(b"another site's key 0123456789").digest(RINA_BADGE)


def test_a_locked_supervisor_cannot_tap_in_either(site: Site) -> None:
    """A privileged PIN (after the badge) locks; an operator's badge is never locked by PINs
    (tests/services/test_pin_throttle.py)."""
    services = site.services()
    ani = demo_user("E5002")
    for _ in range(5):
        services.auth.login_with_badge(ani.badge)
        wrong_pin_after_the_wait(
            services, site.clock, site.user_id(ani.employee_no), "000000", after_badge=True
        )
    refusal = refusal_of(lambda: services.auth.login_with_badge(ani.badge))
    assert refusal.code is ErrorCode.ACCOUNT_LOCKED


def test_an_operator_of_another_line_is_refused(site: Site) -> None:
    refusal = refusal_of(lambda: site.services().auth.login_with_badge(demo_user("E2001").badge))
    assert refusal.code is ErrorCode.NOT_ASSIGNED_TO_LINE


def test_without_a_server_a_badge_is_neither_bound_nor_unbound(site: Site) -> None:
    """Binding goes through the server (tests/sync/test_privileged_identity.py): a kiosk
    without one says so, queues nothing, and every badge works as before."""
    services = site.services()
    admin = site.login(services, "E9001")
    agus = site.user_id("E1003")
    events = site.outbox_kinds()
    bind = refusal_of(lambda: services.identity.bind_badge(admin, "999999", agus, SPARE_BADGE))
    unbind = refusal_of(lambda: services.identity.unbind_badge(admin, "999999", agus))
    assert (bind.code, unbind.code) == (ErrorCode.NEEDS_SERVER, ErrorCode.NEEDS_SERVER)
    assert site.outbox_kinds() == events
    assert site.audit_outcomes()[-2:] == [
        ("badge.manage", "refused:sync.needs_server"),
        ("badge.manage", "refused:sync.needs_server"),
    ]
    cut_l01 = site.services("CUT-L01")
    assert refusal_of(lambda: cut_l01.auth.login_with_badge(SPARE_BADGE)).code is (
        ErrorCode.BADGE_UNKNOWN
    )
    result = cut_l01.auth.login_with_badge(demo_user("E1003").badge)
    assert isinstance(result, LoginResult) and result.actor.employee_no == "E1003"


@pytest.mark.parametrize("employee_no", ["E1001", "E5002", "E6002"])
def test_only_an_admin_manages_badges(site: Site, employee_no: str) -> None:
    services = site.services() if employee_no != "E6002" else site.services("CUT-L02")
    someone = site.login(services, employee_no)
    before = site.count(AuditEntry)
    refusal = refusal_of(
        lambda: services.identity.bind_badge(someone, "0000", someone.user_id, SPARE_BADGE)
    )
    assert refusal.code is ErrorCode.PERMISSION_DENIED
    assert site.count(AuditEntry) == before + 1
    assert refusal_of(lambda: services.badges.holders(someone)).code is (
        ErrorCode.PERMISSION_DENIED
    )


@pytest.mark.parametrize(
    "text",
    [
        "4006381333931",
        "'; DROP TABLE app_user; --",
        "x" * 5000,
        "WO\x00-2026\x1b[2J",
        "https://other-factory.example/lot/88231",
    ],
)
def test_a_refused_scan_is_audited_in_short_printable_form(site: Site, text: str) -> None:
    services = site.services()
    payload = classify(ScanEvent(ScanSource.SCANNER, text))
    before = site.count(AuditEntry)
    refusal = services.scans.refuse(None, payload, "login")
    assert refusal.code in {ErrorCode.SCAN_WRONG_KIND, ErrorCode.SCAN_NOT_RECOGNISED}
    assert site.count(AuditEntry) == before + 1
    with site.raw() as connection:
        details = connection.execute(
            "SELECT details FROM audit_log ORDER BY seq DESC LIMIT 1"
        ).fetchone()[0]
    assert len(details) < 400
    assert "\x00" not in details and "\x1b" not in details
    assert site.count(User) == 13


def _everything_written(site: Site) -> str:
    with sqlite3.connect(site.path) as connection:
        rows = connection.execute("SELECT details, entity_id FROM audit_log").fetchall()
        rows += connection.execute("SELECT payload, kind FROM outbox_event").fetchall()
    return repr(rows)
