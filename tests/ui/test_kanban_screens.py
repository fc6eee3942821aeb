"""E-Kanban through the real screens: two kiosks on one site, taps on the real buttons.

Dewi asks for white thread on SEW-L03's kiosk; on the warehouse kiosk Sri approves and
Wati marks it in transit; Dewi scans the card when the thread arrives. The card moves
through all four columns, and every step is one tap or one scan.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kiosk.domain.documents import PrintDocument
from kiosk.domain.kanban import KanbanCommand, KanbanStatus
from kiosk.domain.scan import ScanEvent, ScanSource
from kiosk.services.kanban_views import KanbanCardView
from kiosk.store.models import AuditEntry, KanbanCard, OutboxEvent
from kiosk.ui.flows.kanban import KanbanFlow
from kiosk.ui.main_window import MainWindow
from kiosk.ui.screens.kanban import PRINT
from kiosk.ui.sounds import Tone
from tests.helpers.logins import log_in_demo_user
from tests.helpers.site import Site
from tests.services.test_kanban import THREAD, WAREHOUSE, ensure_kanban_site
from tests.ui.conftest import close_window, open_window
from tests.ui.driver import KioskDriver

DEWI = ("E2001", "8642")
SRI = ("E6002", "343434")
WATI = ("E6001", "1212")


@dataclasses.dataclass
class Kiosk:
    driver: KioskDriver
    printed: list[PrintDocument]

    @property
    def window(self) -> MainWindow:
        return self.driver.window

    @property
    def flow(self) -> KanbanFlow:
        return self.window.kanban

    def log_in(self, who: tuple[str, str]) -> None:
        self.driver.log_in(*who)
        assert self.window.actor is not None and self.window.actor.employee_no == who[0]

    def log_out(self) -> None:
        self.driver.tap(self.window.header.logout_button)
        assert self.window.actor is None

    def open_board(self) -> None:
        """The Kanban button on a line's home; the warehouse's home is the board itself."""
        home = self.window.home_screen
        if home.kanban_button.isVisible():
            self.driver.tap(home.kanban_button)
        else:
            self.driver.tap(self.window.header.home_button)
        assert self.window.current_screen() is self.flow.board_screen

    def scan(self, text: str) -> None:
        self.window.scan_router.submit(ScanEvent(ScanSource.SCANNER, text))

    def card_button(self, card_no: str) -> Any:
        board = self.flow.board_screen
        column = board.column_index_of(card_no)
        assert column is not None, f"{card_no} is not on the board"
        return board.columns[column].buttons[card_no]

    def column_of(self, card_no: str) -> int | None:
        return self.flow.board_screen.column_index_of(card_no)

    def visible_actions(self) -> set[str]:
        buttons = self.flow.board_screen.action_buttons
        return {key for key, button in buttons.items() if button.isVisible()}

    def banner(self) -> str:
        return self.driver.banner_text()

    def last_tone(self) -> Tone:
        return self.window.sounds.played[-1]


@pytest.fixture
def kiosks(qtbot: QtBot, qapp: object, site: Site) -> Iterator[Callable[[str], Kiosk]]:
    """Kiosk windows on lines of one site (one SQLite file stands for the synced state)."""
    ensure_kanban_site(site)
    windows: list[MainWindow] = []

    def open_kiosk(line: str) -> Kiosk:
        window = open_window(qtbot, qapp, site, line)
        printed: list[PrintDocument] = []  # the printer is hardware: the pages are collected
        window.print_document = lambda document, **_kw: printed.append(document)  # type: ignore[method-assign]
        windows.append(window)
        return Kiosk(KioskDriver(window, qtbot), printed)

    yield open_kiosk
    for window in windows:
        close_window(qtbot, window)


def _request_through_the_screens(line: Kiosk, search: str, item_name: str, quantity: str) -> str:
    """Request items, search, tap the item, type the quantity, Send: the new card's number."""
    flow = line.flow
    line.driver.tap(flow.board_screen.request_button)
    screen = flow.request_screen
    assert line.window.current_screen() is screen
    line.driver.qtbot.keyClicks(screen.search, search)
    row = next(row for row in screen.rows.values() if row.item.name == item_name)
    line.driver.tap(row)
    assert screen.is_typing_quantity()
    line.driver.type_digits(screen.quantity_page, quantity)
    before = {card.card_no for card in _board_cards(line)}
    line.driver.tap(screen.quantity_page.confirm_button)
    new = {card.card_no for card in _board_cards(line)} - before
    assert len(new) == 1, new
    return new.pop()


def _board_cards(kiosk: Kiosk) -> list[KanbanCardView]:
    board = kiosk.flow.board_screen.board
    return [] if board is None else board.cards


def _service_card(site: Site, line: str, employee_no: str, pin: str) -> KanbanCardView:
    """A request made on another day at that line's kiosk (the service, not these screens)."""
    services = site.services(line)
    actor = services.auth.login_with_pin(site.user_id(employee_no), pin).actor
    return services.kanban.request(actor, THREAD, "10")


# ---------------------------------------------------------------------- the story
def test_a_request_goes_through_all_four_columns_with_one_tap_or_scan_each(
    site: Site, kiosks: Callable[[str], Kiosk]
) -> None:
    line = kiosks("SEW-L03")
    warehouse = kiosks(WAREHOUSE)

    # 13:00 Dewi opens Kanban and asks for white thread.
    line.log_in(DEWI)
    line.open_board()
    assert line.flow.board_screen.request_button.isVisible()
    card_no = _request_through_the_screens(line, "thread white", "Thread, white, 5000 m", "10")
    assert line.last_tone() is Tone.SUCCESS
    assert f"Request {card_no} sent: 10 cone Thread, white, 5000 m." in line.banner()
    assert line.column_of(card_no) == 0
    button_text = line.card_button(card_no).text()
    assert "Thread, white, 5000 m" in button_text and "10 cone" in button_text
    line.log_out()

    # The warehouse admin approves it on the warehouse kiosk: tap the card, tap Approve.
    site.clock.advance(4 * 60)
    warehouse.log_in(SRI)
    warehouse.open_board()
    assert not warehouse.flow.board_screen.request_button.isVisible()
    assert warehouse.column_of(card_no) == 0
    assert "for SEW-L03" in warehouse.card_button(card_no).text()
    assert "◷ 4 min" in warehouse.card_button(card_no).text()
    warehouse.driver.tap(warehouse.card_button(card_no))
    assert warehouse.visible_actions() == {KanbanCommand.APPROVE, KanbanCommand.REJECT, PRINT}
    warehouse.driver.tap(warehouse.flow.board_screen.action_buttons[KanbanCommand.APPROVE])
    assert warehouse.last_tone() is Tone.SUCCESS
    assert f"{card_no} approved" in warehouse.banner()
    assert warehouse.flow.board_screen.is_on_board()
    assert warehouse.column_of(card_no) == 1
    warehouse.log_out()

    # Warehouse staff print the card for the goods and mark it in transit.
    site.clock.advance(20 * 60)
    warehouse.log_in(WATI)
    warehouse.open_board()
    warehouse.driver.tap(warehouse.card_button(card_no))
    assert warehouse.visible_actions() == {KanbanCommand.SHIP, PRINT}
    warehouse.driver.tap(warehouse.flow.board_screen.action_buttons[PRINT])
    assert [doc.document_id for doc in warehouse.printed] == [card_no]
    assert dict(warehouse.printed[0].rows)["Quantity"] == "10 cone"
    warehouse.driver.tap(warehouse.flow.board_screen.action_buttons[KanbanCommand.SHIP])
    assert f"{card_no} is on its way to SEW-L03" in warehouse.banner()
    assert warehouse.column_of(card_no) == 2
    warehouse.log_out()

    # The thread arrives: Dewi scans the card; it lands in Received.
    site.clock.advance(11 * 60)
    line.log_in(DEWI)
    line.open_board()
    assert line.column_of(card_no) == 2
    line.scan(card_no)
    assert line.last_tone() is Tone.SUCCESS
    assert f"{card_no} received: 10 cone Thread, white, 5000 m." in line.banner()
    assert line.column_of(card_no) == 3

    # Each step is timed on the card.
    line.driver.tap(line.card_button(card_no))
    steps = line.flow.board_screen.card_steps.text().splitlines()
    assert steps == [
        "Requested 06:00 · Dewi Lestari",
        "Approved 06:04 · Sri Mulyani · after 4 min",
        "In transit 06:24 · Wati Handayani · after 20 min",
        "Received 06:35 · Dewi Lestari · after 11 min",
        "Request to receipt: 35 min",
    ]
    assert line.visible_actions() == {PRINT}
    with site.database.reader() as session:
        card = session.query(KanbanCard).filter_by(card_no=card_no).one()
        assert (card.status, card.version) == (KanbanStatus.RECEIVED, 4)


def test_a_scan_on_the_home_screen_receives_the_card_and_shows_the_board(
    site: Site, kiosks: Callable[[str], Kiosk]
) -> None:
    card = _in_transit(site)
    line = kiosks("SEW-L03")
    line.log_in(DEWI)
    assert line.window.current_screen() is line.window.home_screen
    line.scan(card.card_no)
    assert line.last_tone() is Tone.SUCCESS
    assert line.window.current_screen() is line.flow.board_screen
    assert line.column_of(card.card_no) == 3


def _in_transit(site: Site) -> KanbanCardView:
    card = _service_card(site, "SEW-L03", *DEWI)
    services = site.services(WAREHOUSE)
    kanban = services.kanban
    sri = log_in_demo_user(services.auth, site.user_id(SRI[0]), SRI[0]).actor
    wati = services.auth.login_with_pin(site.user_id(WATI[0]), WATI[1]).actor
    kanban.approve(sri, card.id)
    return kanban.ship(wati, card.id)


# ---------------------------------------------------------------------- rejections
def test_a_rejection_needs_a_reason_and_the_line_sees_it(
    site: Site, kiosks: Callable[[str], Kiosk]
) -> None:
    card = _service_card(site, "SEW-L03", *DEWI)
    warehouse = kiosks(WAREHOUSE)
    warehouse.log_in(SRI)
    warehouse.open_board()
    board = warehouse.flow.board_screen
    warehouse.driver.tap(warehouse.card_button(card.card_no))
    warehouse.driver.tap(board.action_buttons[KanbanCommand.REJECT])
    assert f"Why reject {card.card_no}?" in board.reason_title.text()
    warehouse.driver.tap(board.reason_buttons["Out of stock"])
    overlay = warehouse.window.overlay
    assert overlay.isVisible() and "Out of stock" in overlay.text.text()
    warehouse.driver.tap(overlay.buttons["reject"])
    assert warehouse.last_tone() is Tone.SUCCESS
    assert warehouse.column_of(card.card_no) == 3
    assert "✖ Rejected: Out of stock" in warehouse.card_button(card.card_no).text()

    line = kiosks("SEW-L03")
    line.log_in(DEWI)
    line.open_board()
    assert line.column_of(card.card_no) == 3
    assert "Rejected: Out of stock" in line.card_button(card.card_no).text()


def test_going_back_from_the_reject_question_rejects_nothing(
    site: Site, kiosks: Callable[[str], Kiosk]
) -> None:
    card = _service_card(site, "SEW-L03", *DEWI)
    warehouse = kiosks(WAREHOUSE)
    warehouse.log_in(SRI)
    warehouse.open_board()
    board = warehouse.flow.board_screen
    warehouse.driver.tap(warehouse.card_button(card.card_no))
    warehouse.driver.tap(board.action_buttons[KanbanCommand.REJECT])
    warehouse.driver.tap(board.reason_buttons["Duplicate request"])
    warehouse.driver.tap(warehouse.window.overlay.buttons["back"])
    assert board.pages.currentWidget() is board.card_page
    warehouse.driver.tap(board.back_button)
    assert warehouse.column_of(card.card_no) == 0


# ---------------------------------------------------------------------- refusals
def test_scanning_a_card_not_yet_on_its_way_says_so_and_changes_nothing(
    site: Site, kiosks: Callable[[str], Kiosk]
) -> None:
    card = _service_card(site, "SEW-L03", *DEWI)
    line = kiosks("SEW-L03")
    line.log_in(DEWI)
    line.open_board()
    audits, events = site.count(AuditEntry), site.count(OutboxEvent)
    line.scan(card.card_no)
    assert line.last_tone() is Tone.ERROR
    assert f"{card.card_no} has not been approved yet." in line.banner()
    assert line.column_of(card.card_no) == 0
    assert (site.count(AuditEntry), site.count(OutboxEvent)) == (audits + 1, events)


def test_a_card_of_another_line_is_not_received_here(
    site: Site, kiosks: Callable[[str], Kiosk]
) -> None:
    card = _in_transit(site)
    other = kiosks("SEW-L01")
    other.log_in(("E2002", "9753"))
    other.open_board()
    other.scan(card.card_no)
    assert other.last_tone() is Tone.ERROR
    assert f"{card.card_no} is for SEW-L03, not for SEW-L01." in other.banner()
    assert other.column_of(card.card_no) is None
    with site.database.reader() as session:
        assert session.get(KanbanCard, card.id).status is KanbanStatus.IN_TRANSIT  # type: ignore[union-attr]


def test_more_than_the_item_allows_is_refused_on_the_keypad(
    site: Site, kiosks: Callable[[str], Kiosk]
) -> None:
    line = kiosks("SEW-L03")
    line.log_in(DEWI)
    line.open_board()
    flow = line.flow
    line.driver.tap(flow.board_screen.request_button)
    screen = flow.request_screen
    line.driver.tap(screen.rows[THREAD])
    assert "at most 50)" in screen.quantity_page.title.text()
    cards = site.count(KanbanCard)
    line.driver.type_digits(screen.quantity_page, "60")
    line.driver.tap(screen.quantity_page.confirm_button)
    assert line.last_tone() is Tone.ERROR
    assert line.window.current_screen() is screen and screen.is_typing_quantity()
    assert screen.banner.isVisible() and screen.banner.message()
    assert site.count(KanbanCard) == cards
    # Fix the number and send again.
    line.driver.tap(screen.quantity_page.keypad.buttons["clear"])
    line.driver.type_digits(screen.quantity_page, "50")
    line.driver.tap(screen.quantity_page.confirm_button)
    assert line.last_tone() is Tone.SUCCESS
    assert site.count(KanbanCard) == cards + 1


def test_an_operator_sees_no_warehouse_actions_on_a_card(
    site: Site, kiosks: Callable[[str], Kiosk]
) -> None:
    card = _service_card(site, "SEW-L03", *DEWI)
    line = kiosks("SEW-L03")
    line.log_in(DEWI)
    line.open_board()
    line.driver.tap(line.card_button(card.card_no))
    assert line.visible_actions() == {PRINT}


# ---------------------------------------------------------------------- the warehouse scans
def test_a_card_scanned_at_the_warehouse_opens_with_its_actions(
    site: Site, kiosks: Callable[[str], Kiosk]
) -> None:
    card = _service_card(site, "SEW-L03", *DEWI)
    warehouse = kiosks(WAREHOUSE)
    warehouse.log_in(SRI)
    warehouse.open_board()
    warehouse.scan(card.card_no.lower())
    board = warehouse.flow.board_screen
    assert warehouse.last_tone() is Tone.SUCCESS
    assert board.pages.currentWidget() is board.card_page
    assert board.card_title.text() == card.card_no
    assert warehouse.visible_actions() == {KanbanCommand.APPROVE, KanbanCommand.REJECT, PRINT}


# ---------------------------------------------------------------------- search and layout
def test_the_search_narrows_the_list_and_clearing_it_shows_all(
    site: Site, kiosks: Callable[[str], Kiosk]
) -> None:
    line = kiosks("SEW-L03")
    line.log_in(DEWI)
    line.open_board()
    line.driver.tap(line.flow.board_screen.request_button)
    screen = line.flow.request_screen
    everything = set(screen.rows)
    assert THREAD in everything and "THR-OLD-0001" not in everything
    line.driver.qtbot.keyClicks(screen.search, "WHITE")
    assert THREAD in screen.rows and "THR-BLK-5000" not in screen.rows
    line.driver.qtbot.keyClicks(screen.search, " zzz")
    assert screen.rows == {} and screen.empty_label.isVisible()
    screen.search.clear()
    assert set(screen.rows) == everything


def test_the_search_is_typed_on_the_screens_own_keys(
    site: Site, kiosks: Callable[[str], Kiosk]
) -> None:
    """Issue 16, item 6: no physical keyboard at a line."""
    line = kiosks("SEW-L03")
    line.log_in(DEWI)
    line.open_board()
    line.driver.tap(line.flow.board_screen.request_button)
    screen = line.flow.request_screen
    everything = set(screen.rows)
    for key in "WHITE":
        line.driver.tap(screen.keys.buttons[key])
    assert screen.search.text() == "White"
    assert THREAD in screen.rows and "THR-BLK-5000" not in screen.rows
    line.driver.tap(screen.keys.buttons["clear"])
    assert screen.search.text() == "" and set(screen.rows) == everything
    _fits(line)


def test_the_scan_context_of_the_kanban_screens(kiosks: Callable[[str], Kiosk]) -> None:
    line = kiosks("SEW-L03")
    flow = line.flow
    assert flow.context_for(flow.board_screen) == "kanban"
    assert flow.context_for(flow.request_screen) == "kanban"
    assert flow.context_for(line.window.home_screen) is None
    line.log_in(DEWI)
    assert not flow.is_warehouse_user(line.window.actor)  # type: ignore[arg-type]
    line.log_out()
    line.log_in(("E5001", "505050"))
    assert not flow.is_warehouse_user(line.window.actor)  # type: ignore[arg-type]


def _fits(kiosk: Kiosk) -> None:
    window = kiosk.window
    assert window.centralWidget().minimumSizeHint().height() <= 800
    strip = window.health.geometry()
    assert window.health.isVisible() and strip.bottom() < window.centralWidget().height()


def test_every_kanban_page_fits_the_screen_with_a_message_shown(
    site: Site, kiosks: Callable[[str], Kiosk]
) -> None:
    for _ in range(6):  # a full column that must scroll, not grow
        _service_card(site, "SEW-L03", *DEWI)
    warehouse = kiosks(WAREHOUSE)
    warehouse.log_in(SRI)
    warehouse.open_board()
    board = warehouse.flow.board_screen
    board.banner.show_message("error", "A long message " * 8, "And what to do about it " * 4)
    _fits(warehouse)
    warehouse.driver.tap(next(iter(board.columns[0].buttons.values())))
    _fits(warehouse)
    warehouse.driver.tap(board.action_buttons[KanbanCommand.REJECT])
    _fits(warehouse)

    line = kiosks("SEW-L03")
    line.log_in(DEWI)
    line.open_board()
    line.driver.tap(line.flow.board_screen.request_button)
    screen = line.flow.request_screen
    screen.banner.show_message("error", "A long message " * 8, "And what to do about it " * 4)
    _fits(line)
    line.driver.tap(screen.rows[THREAD])
    _fits(line)


def test_a_work_order_scanned_on_the_board_opens_it(kiosks: Callable[[str], Kiosk]) -> None:
    line = kiosks("SEW-L03")
    line.log_in(DEWI)
    line.open_board()
    line.scan("WO-2026-004228")
    screen = line.window.work_order_screen
    assert line.window.current_screen() is screen
    assert screen.work_order is not None and screen.work_order.number == "WO-2026-004228"
