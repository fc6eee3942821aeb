"""Every code kind on every screen: the active screen takes what it accepts, refuses the rest.

Scans enter through the one router, as the reader, the scanner and the camera
deliver them; a refused scan shows a message, plays the error tone and changes
nothing but the audit log.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kiosk.demo import demo_user
from kiosk.domain.scan import ScanEvent, ScanSource
from kiosk.store.models import AuditEntry, OutboxEvent
from kiosk.ui.sounds import Tone
from tests.helpers.site import Site
from tests.ui.driver import KioskDriver

BUDI_BADGE = demo_user("E1002").badge
SPARE_BADGE = "0BADC0FFEE"
THIS_LINE_WO = "WO-2026-004219"
OTHER_LINE_WO = "WO-2026-004229"


def _login(k: KioskDriver) -> None:
    return None


def _pin(k: KioskDriver) -> None:
    k.tap(k.window.login_screen.tiles["E1001"])


def _home(k: KioskDriver) -> None:
    k.log_in("E1001", "2468")


def _work_order(k: KioskDriver) -> None:
    _home(k)
    k.open_work_order("WO-2026-004217")


def _record(k: KioskDriver) -> None:
    _work_order(k)
    k.tap(k.window.work_order_screen.command_buttons["RECORD"])
    k.type_digits(k.window.work_order_screen.record_panel, "12")


def _supervisor(k: KioskDriver) -> None:
    k.log_in("E5002", "606060")
    k.tap(k.window.header.supervisor_button)


def _admin(k: KioskDriver) -> None:
    k.log_in("E9001", "999999")
    k.tap(k.window.header.admin_button)


def _enrol(k: KioskDriver) -> None:
    _admin(k)
    k.tap(k.window.admin_screen.badges_button)
    k.tap(k.window.badge_screen.bind_buttons["E1003"])


CONTEXTS: dict[str, Callable[[KioskDriver], None]] = {
    "login": _login,
    "pin": _pin,
    "home": _home,
    "work_order": _work_order,
    "record": _record,
    "supervisor": _supervisor,
    "admin": _admin,
    "enrol": _enrol,
}

# What each code does on each screen: "in:E…" logged in as, "opens", or the refusal's text.
LOG_IN_FIRST = "Log in first, then scan it."
NOT_HERE = "cannot be used on this screen."
# This window has no server: a badge is bound only through the server (tests/sync has it).
NEEDS_SERVER = "This needs the server: connect the kiosk and try again."
EXPECTED: dict[str, dict[str, str]] = {
    "other badge": {
        "login": "in:E1002",
        "pin": "in:E1002",
        "home": "in:E1002",
        "work_order": "in:E1002",
        "record": "in:E1002",
        "supervisor": "in:E1002",
        "admin": "in:E1002",
        "enrol": NEEDS_SERVER,
    },
    "unknown badge": dict.fromkeys(
        ["login", "pin", "home", "work_order", "record", "supervisor", "admin"],
        "Badge not registered - ask your supervisor.",
    )
    | {"enrol": NEEDS_SERVER},
    "work order": {
        "login": LOG_IN_FIRST,
        "pin": LOG_IN_FIRST,
        "home": "opens",
        "work_order": "opens",
        "record": "Finish or cancel the quantity you are typing first.",
        "supervisor": "opens",
        "admin": NOT_HERE,
        "enrol": NOT_HERE,
    },
}
CODES = {
    "other badge": BUDI_BADGE,
    "unknown badge": SPARE_BADGE,
    "work order": THIS_LINE_WO,
}
REFUSED_EVERYWHERE = {
    "slip": ("TS-8F3A2C4D5E6F", NOT_HERE),
    "kanban card": ("KB-THR-WHT-5000", NOT_HERE),
    "product": ("4006381333931", "This is a product barcode, not a badge or a work order."),
    "garbage": ("'; DROP TABLE app_user; --", "This code is not a badge, a work order"),
    "control characters": ("WO-2026-004217\x1b[2J", "This code is not a badge, a work order"),
    "very long": ("A" * 4000, "This code is not a badge, a work order"),
}

TAKEN_THERE = {
    "slip": "This kiosk does not know slip TS-8F3A2C4D5E6F yet.",
    "kanban card": "Kanban card KB-THR-WHT-5000 is not known on this kiosk.",
}


def _scan(kiosk: KioskDriver, text: str, source: ScanSource = ScanSource.SCANNER) -> None:
    kiosk.window.scan_router.submit(ScanEvent(source, text))


def _who(kiosk: KioskDriver) -> str:
    actor = kiosk.window.actor
    return "nobody" if actor is None else actor.employee_no


@pytest.mark.parametrize("context", list(CONTEXTS))
@pytest.mark.parametrize("code", list(CODES))
def test_our_codes_on_every_screen(kiosk: KioskDriver, site: Site, code: str, context: str) -> None:
    CONTEXTS[context](kiosk)
    expected = EXPECTED[code][context]
    _scan(kiosk, CODES[code])
    window = kiosk.window
    if expected.startswith("in:"):
        assert _who(kiosk) == expected[3:]
        assert kiosk.screen is window.home_screen
        assert window.sounds.played[-1] is Tone.SUCCESS
    elif expected == "opens":
        assert kiosk.screen is window.work_order_screen
        assert window.work_order_screen.work_order is not None
        assert window.work_order_screen.work_order.number == THIS_LINE_WO
        assert window.sounds.played[-1] is Tone.SUCCESS
    else:
        assert expected in kiosk.banner_text()
        assert window.sounds.played[-1] is Tone.ERROR


@pytest.mark.parametrize("context", list(CONTEXTS))
@pytest.mark.parametrize("code", list(REFUSED_EVERYWHERE))
def test_codes_no_screen_takes_change_nothing_but_the_audit_log(
    kiosk: KioskDriver, site: Site, code: str, context: str
) -> None:
    CONTEXTS[context](kiosk)
    window = kiosk.window
    text, expected = REFUSED_EVERYWHERE[code]
    who, screen, events = _who(kiosk), kiosk.screen, site.count(OutboxEvent)
    audits = site.count(AuditEntry)
    _scan(kiosk, text)
    assert (_who(kiosk), kiosk.screen) == (who, screen)
    assert site.count(OutboxEvent) == events
    assert site.count(AuditEntry) == audits + 1
    if context in {"login", "pin"} and code in {"slip", "kanban card"}:
        expected = LOG_IN_FIRST
    # Where slips and cards are taken, an unknown one is refused for what it is.
    elif context in {"home", "work_order", "supervisor"} and code in TAKEN_THERE:
        expected = TAKEN_THERE[code]
    assert expected in kiosk.banner_text()
    assert window.sounds.played[-1] is Tone.ERROR


def test_a_work_order_of_another_line_is_not_opened(kiosk: KioskDriver) -> None:
    _home(kiosk)
    _scan(kiosk, OTHER_LINE_WO)
    assert kiosk.screen is kiosk.window.home_screen
    assert "SEW-L03" in kiosk.banner_text()
    assert kiosk.window.sounds.played[-1] is Tone.ERROR


def test_a_scanner_firing_twice_on_one_label_is_one_scan(kiosk: KioskDriver, site: Site) -> None:
    _home(kiosk)
    audits = site.count(AuditEntry)
    _scan(kiosk, "4006381333931")
    _scan(kiosk, "4006381333931")
    assert site.count(AuditEntry) == audits + 1
    assert kiosk.window.scan_router.dropped_repeats == 1
    site.clock.advance(1.5)
    _scan(kiosk, "4006381333931")
    assert site.count(AuditEntry) == audits + 2


def test_a_tap_switches_user_and_keeps_the_draft(kiosk: KioskDriver, site: Site) -> None:
    _record(kiosk)  # Rina typed 12 and was not done
    _scan(kiosk, BUDI_BADGE, ScanSource.READER)
    assert _who(kiosk) == "E1002"
    site.clock.advance(5)
    kiosk.tap(kiosk.window.header.logout_button)
    _scan(kiosk, demo_user("E1001").badge, ScanSource.READER)
    assert _who(kiosk) == "E1001"
    overlay = kiosk.window.overlay
    assert overlay.isVisible()
    assert "You were recording 12 good" in overlay.text.text()


def test_the_same_badge_again_keeps_the_session(kiosk: KioskDriver, site: Site) -> None:
    _scan(kiosk, BUDI_BADGE, ScanSource.READER)
    logins = site.audit_outcomes().count(("session.login", "ok"))
    site.clock.advance(3)
    _scan(kiosk, BUDI_BADGE, ScanSource.READER)
    assert _who(kiosk) == "E1002"
    assert site.audit_outcomes().count(("session.login", "ok")) == logins
    assert "You are logged in already" in kiosk.banner_text()


def test_a_badge_on_the_open_pin_pad_is_a_badge_not_a_wrong_pin(
    kiosk: KioskDriver, site: Site
) -> None:
    _pin(kiosk)
    kiosk.type_digits(kiosk.window.login_screen.pin_page, "24")
    _scan(kiosk, demo_user("E5002").badge, ScanSource.READER)
    login = kiosk.window.login_screen
    assert login.pages.currentWidget() is login.pin_page
    assert login.pin_user is not None and login.pin_user.employee_no == "E5002"
    assert "Badge read. Ani Setiawati, type your PIN" in login.pin_page.title.text()
    assert ("session.login", "refused:auth.wrong_pin") not in site.audit_outcomes()
    kiosk.type_digits(login.pin_page, "606060")
    kiosk.tap(login.pin_page.confirm_button)
    assert _who(kiosk) == "E5002"


@pytest.mark.parametrize("context", ["login", "pin", "home", "work_order", "record", "admin"])
def test_with_a_message_shown_the_screen_still_fits_and_the_health_strip_shows(
    kiosk: KioskDriver, context: str
) -> None:
    CONTEXTS[context](kiosk)
    _scan(kiosk, "4006381333931")  # an error message on top of the screen
    window = kiosk.window
    assert window.current_banner().isVisible()
    assert window.centralWidget().minimumSizeHint().height() <= 800
    strip = window.health.geometry()
    assert window.health.isVisible() and strip.bottom() < window.centralWidget().height()


def test_without_a_server_the_badge_screen_says_so_and_queues_nothing(
    kiosk: KioskDriver, site: Site
) -> None:
    """The demo and a standalone kiosk have no server: no PIN is asked, nothing is bound."""
    _enrol(kiosk)
    events, badge_screen = site.outbox_kinds(), kiosk.window.badge_screen
    _scan(kiosk, SPARE_BADGE, ScanSource.READER)
    assert kiosk.screen is badge_screen
    assert NEEDS_SERVER in kiosk.banner_text()
    assert site.outbox_kinds() == events
    assert kiosk.window.sounds.played[-1] is Tone.ERROR
    assert site.audit_outcomes()[-1] == ("badge.manage", "refused:sync.needs_server")
    kiosk.tap(kiosk.window.header.logout_button)
    _scan(kiosk, SPARE_BADGE, ScanSource.READER)
    assert _who(kiosk) == "nobody"  # the spare badge logs nobody in
    # Unbinding is refused the same way.
    _admin(kiosk)
    kiosk.tap(kiosk.window.admin_screen.badges_button)
    kiosk.tap(badge_screen.unbind_buttons["E1002"])
    kiosk.tap(kiosk.window.overlay.buttons["unbind"])
    assert NEEDS_SERVER in kiosk.banner_text()
    assert not [kind for kind in site.outbox_kinds() if kind.startswith("badge.")]
    _scan(kiosk, BUDI_BADGE, ScanSource.READER)
    assert _who(kiosk) == "E1002"
