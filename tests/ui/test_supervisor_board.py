"""The Sewing supervisor's board on a Sewing kiosk: who acknowledged which alert and when, and
the department's kanban requests in flight (FLOOR-DAY 17:00), through the real window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from PySide6.QtWidgets import QPushButton, QScrollArea, QWidget

from kiosk.services.alerts import P2, AlertKind, raise_alert
from kiosk.store.models import Alert
from kiosk.ui.screens.boards import SupervisorScreen
from tests.helpers.pins import drop_badge
from tests.helpers.site import Site
from tests.ui.conftest import close_window, open_window
from tests.ui.driver import KioskDriver

LINE = "SEW-L03"
DEWI = ("E2001", "8642")  # Sewing operator on SEW-L03
HADI = ("E5001", "505050")  # Sewing supervisor
ANI = ("E5002", "606060")  # Cutting supervisor (not on a Sewing roster): badge + PIN
LOCKOUT = "Dewi Lestari (E2001) locked out by wrong PINs at SEW-L03"


@pytest.fixture
def kiosk(qtbot: QtBot, qapp: object, site: Site) -> Iterator[KioskDriver]:
    """The real window of the SEW-L03 kiosk."""
    window = open_window(qtbot, qapp, site, LINE)
    yield KioskDriver(window, qtbot)
    close_window(qtbot, window)


# ------------------------------------------------------------------ helpers
def _lock_out_dewi(kiosk: KioskDriver, site: Site) -> None:
    """Five wrong PINs: Dewi's account locks and the Sewing supervisor gets a P2 alert.

    Dewi has no badge here: someone who logs in by badge is never locked by PINs.
    """
    drop_badge(site.database, DEWI[0])
    kiosk.type_wrong_pins(DEWI[0], 5, site.clock)


def _open_board(kiosk: KioskDriver) -> SupervisorScreen:
    kiosk.tap(kiosk.window.header.supervisor_button)
    board = kiosk.window.supervisor_screen
    assert kiosk.screen is board
    return board


def _log_out(kiosk: KioskDriver) -> None:
    kiosk.tap(kiosk.window.header.logout_button)


def _visible_buttons(widget: QWidget) -> list[QPushButton]:
    return [button for button in widget.findChildren(QPushButton) if button.isVisible()]


def _fits(kiosk: KioskDriver) -> None:
    window = kiosk.window
    assert (window.width(), window.height()) == (1280, 800)
    assert window.centralWidget().minimumSizeHint().height() <= 800
    assert window.centralWidget().minimumSizeHint().width() <= 1280


# ------------------------------------------------------------------ alerts
def test_an_acknowledged_alert_moves_to_acknowledged_with_who_and_when(
    kiosk: KioskDriver, site: Site
) -> None:
    services = kiosk.window.services
    services.kanban.request(site.login(services, "E2001"), "THR-WHT-5000", "10")
    _lock_out_dewi(kiosk, site)  # at 06:00 (the fake clock)
    site.clock.advance(7 * 60)
    kiosk.log_in(*HADI)
    board = _open_board(kiosk)
    scroll = board.findChild(QScrollArea)
    assert scroll.verticalScrollBar().maximum() > 0  # more than a screenful: it scrolls
    assert board.alerts.texts() == [f"P2 · 06:00 · {LOCKOUT}"]
    assert board.acknowledged.texts() == []
    assert board.acknowledged.empty.isVisible()

    kiosk.tap(board.alerts.buttons[0])

    assert kiosk.banner_text() == "Alert acknowledged."
    assert board.alerts.texts() == []
    assert board.alerts.empty.isVisible()
    assert board.acknowledged.texts() == [
        f"P2 · 06:00 · {LOCKOUT} · acknowledged by Hadi Gunawan at 06:07"
    ]
    assert not board.acknowledged.empty.isVisible()
    # Read only: nothing to tap in the section, and it sits right below the open alerts.
    assert board.acknowledged.buttons == []
    assert _visible_buttons(board.acknowledged) == []
    assert board.alerts.y() < board.acknowledged.y() < board.holds.y()
    # The tapped button went away with its row: the list stays where it was (the new
    # "Acknowledged" row in sight), it does not jump to the next button further down.
    assert scroll.verticalScrollBar().value() == 0
    assert not board.acknowledged.labels[0].visibleRegion().isEmpty()
    _fits(kiosk)
    with site.database.reader() as session:
        (alert,) = session.scalars(select(Alert)).all()
        assert alert.acknowledged_at == site.clock.now()
        assert alert.acknowledged_by == site.user_id("E5001")


def test_a_supervisor_of_another_department_sees_neither_the_alert_nor_its_acknowledgement(
    kiosk: KioskDriver, site: Site
) -> None:
    _lock_out_dewi(kiosk, site)
    kiosk.log_in(*ANI)
    board = _open_board(kiosk)
    assert not any(LOCKOUT in text for text in board.alerts.texts())
    _log_out(kiosk)

    kiosk.log_in(*HADI)
    board = _open_board(kiosk)
    kiosk.tap(board.alerts.buttons[0])
    assert len(board.acknowledged.texts()) == 1
    _log_out(kiosk)

    kiosk.log_in(*ANI)
    board = _open_board(kiosk)
    assert board.acknowledged.texts() == []
    assert board.acknowledged.empty.isVisible()
    assert not any(LOCKOUT in text for text in board.alerts.texts())


def test_acknowledged_alerts_are_newest_first_and_only_of_the_last_12_hours(site: Site) -> None:
    services = site.services(LINE)
    hadi = site.login(services, "E5001")
    ids = []
    for name in ("first", "second", "third"):
        with services.uow.action(hadi.audit, "test.raise") as tx:
            alert = raise_alert(
                tx,
                priority=P2,
                kind=AlertKind.LINE_BLOCKED,
                department=hadi.department,
                fields={"line": LINE, "from_line": "CUT-L02", "work_order": name},
            )
            tx.about("alert", alert.id)
            tx.audit()
            ids.append(alert.id)
    for alert_id in ids:
        services.alerts.acknowledge(hadi, alert_id)
        site.clock.advance(60 * 60)
    # Now 3 h after the first acknowledgement: all three, the newest first.
    assert [a.fields["work_order"] for a in services.alerts.recently_acknowledged(hadi)] == [
        "third",
        "second",
        "first",
    ]
    assert [a.fields["work_order"] for a in services.alerts.recently_acknowledged(hadi, 2)] == [
        "third",
        "second",
    ]
    site.clock.advance(int(timedelta(hours=10).total_seconds()))  # the first was 13 h ago
    recent = services.alerts.recently_acknowledged(hadi)
    assert [a.fields["work_order"] for a in recent] == ["third", "second"]
    assert {a.acknowledged_by for a in recent} == {"Hadi Gunawan"}
    # The admin sees every department's; the Cutting supervisor none of Sewing's.
    admin = site.login(services, "E9001")
    assert len(services.alerts.recently_acknowledged(admin)) == 2
    ani = site.login(services, "E5002")
    assert services.alerts.recently_acknowledged(ani) == []


# ------------------------------------------------------------------ kanban in flight
def test_a_kanban_request_shows_in_flight_until_it_is_received(
    kiosk: KioskDriver, site: Site
) -> None:
    services = kiosk.window.services
    dewi = site.login(services, "E2001")
    card = services.kanban.request(dewi, "THR-WHT-5000", "10")
    # Another department's request never shows on the Sewing board.
    cutting = site.services("CUT-L02")
    site_card = cutting.kanban.request(site.login(cutting, "E1001"), "BTN-15-WHT", "2")
    site.clock.advance(5 * 60)

    kiosk.log_in(*HADI)
    board = _open_board(kiosk)
    assert board.kanban.texts() == [
        f"SEW-L03 · {card.card_no} · 10 cone · Thread, white, 5000 m · ○ Requested · for 5 min"
    ]
    assert not any(site_card.card_no in text for text in board.kanban.texts())
    assert board.kanban.buttons == []
    assert _visible_buttons(board.kanban) == []
    assert board.lines.y() < board.kanban.y() < board.locked.y()
    _fits(kiosk)

    # Approved at 06:05, shipped at 06:25: shown 12 min into its transit.
    services.kanban.approve(site.login(services, "E6002"), card.id)
    site.clock.advance(20 * 60)
    services.kanban.ship(site.login(services, "E6001"), card.id)
    site.clock.advance(12 * 60)
    kiosk.window.open_supervisor_screen()
    assert board.kanban.texts() == [
        f"SEW-L03 · {card.card_no} · 10 cone · Thread, white, 5000 m · ➜ In transit · for 12 min"
    ]

    services.kanban.receive(dewi, card.id)
    kiosk.window.open_supervisor_screen()
    assert board.kanban.texts() == []
    assert board.kanban.empty.isVisible()
    assert board.kanban.empty.text() == "No kanban request is waiting."


def test_a_rejected_request_is_no_longer_in_flight(site: Site) -> None:
    services = site.services(LINE)
    dewi = site.login(services, "E2001")
    hadi = site.login(services, "E5001")
    kept = services.kanban.request(dewi, "THR-BLK-5000", "4")
    site.clock.advance(60)
    dropped = services.kanban.request(dewi, "ZIP-20-BLK", "3")
    assert [c.card_no for c in services.boards.kanban_in_flight(hadi)] == [
        kept.card_no,
        dropped.card_no,
    ]  # the longest waiting first
    services.kanban.reject(site.login(services, "E6002"), dropped.id, "Out of stock")
    in_flight = services.boards.kanban_in_flight(hadi)
    assert [c.card_no for c in in_flight] == [kept.card_no]
    assert services.boards.supervisor_board(hadi).kanban_in_flight == in_flight
