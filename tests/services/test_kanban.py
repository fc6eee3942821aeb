"""E-Kanban through the real services on a real SQLite file.

Dewi (operator, SEW-L03) asks for thread; Sri (warehouse admin) approves on the
warehouse kiosk; Wati (warehouse staff) marks it in transit; Dewi scans the card on
arrival. Every refusal changes nothing but the audit log.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.demo import demo_user
from kiosk.domain.errors import ErrorCode
from kiosk.domain.ids import new_id
from kiosk.domain.kanban import KanbanCommand, KanbanStatus
from kiosk.domain.roles import Department, Role
from kiosk.services.actor import Actor
from kiosk.services.kanban import KanbanPolicy, KanbanService
from kiosk.services.kanban_views import KanbanCardView, KanbanStep
from kiosk.services.pin_hasher import PinHasher
from kiosk.store.models import (
    AuditEntry,
    KanbanCard,
    KanbanItem,
    Line,
    OutboxEvent,
    User,
)
from tests.helpers.logins import log_in_demo_user
from tests.helpers.refusals import refusal_of
from tests.helpers.site import Site

WAREHOUSE = "WH-L01"
THREAD = "THR-WHT-5000"
OLD_STOCK = "THR-OLD-0001"  # a catalogue item no longer supplied

# What the tests need of the demo site; added when the demo does not have it (yet).
KANBAN_ITEMS = (
    (THREAD, "Thread, white, 5000 m", "cone", 50, True),
    ("THR-BLK-5000", "Thread, black, 5000 m", "cone", 50, True),
    ("BTN-15-WHT", "Buttons 15 mm, white", "pack of 100", 40, True),
    ("ZIP-20-BLK", "Zipper 20 cm, black", "pack of 50", 30, True),
    (OLD_STOCK, "Thread, white, old stock", "cone", 50, False),
)
# employee number: (name, role, department, pin)
WAREHOUSE_USERS = {
    "E6001": ("Wati Handayani", Role.WAREHOUSE_STAFF, Department.WAREHOUSE, "1212"),
    "E6002": ("Sri Mulyani", Role.WAREHOUSE_ADMIN, Department.WAREHOUSE, "343434"),
}
PINS = {
    "E1001": "2468",  # Rina, operator CUT-L02
    "E2001": "8642",  # Dewi, operator SEW-L03
    "E2002": "9753",  # Siti, operator SEW-L01
    "E5001": "505050",  # Hadi, supervisor Sewing
    "E5002": "606060",  # Ani, supervisor Cutting
} | {number: spec[3] for number, spec in WAREHOUSE_USERS.items()}


def ensure_kanban_site(site: Site) -> None:
    """The warehouse line, its two users and the catalogue, unless the demo has them."""
    with site.database.writer() as session:
        if session.scalar(select(Line).where(Line.code == WAREHOUSE)) is None:
            session.add(
                Line(
                    id=new_id(),
                    code=WAREHOUSE,
                    name="Accessories warehouse",
                    department=Department.WAREHOUSE,
                )
            )
        for code, name, unit, max_quantity, is_active in KANBAN_ITEMS:
            if session.get(KanbanItem, code) is None:
                session.add(
                    KanbanItem(
                        code=code,
                        name=name,
                        unit=unit,
                        max_quantity=max_quantity,
                        is_active=is_active,
                    )
                )
        for number, (name, role, department, pin) in WAREHOUSE_USERS.items():
            if session.scalar(select(User).where(User.employee_no == number)) is None:
                session.add(
                    User(
                        id=new_id(),
                        employee_no=number,
                        name=name,
                        role=role,
                        department=department,
                        pin_hash=PinHasher().hash(pin),
                        badge_hash=None,
                        is_active=True,
                        failed_pin_count=0,
                        created_at=site.clock.now(),
                    )
                )
        session.commit()


@dataclass
class Kiosk:
    """One kiosk's kanban service, and logging in on it with a real PIN."""

    site: Site
    line: str

    def __post_init__(self) -> None:
        services = self.site.services(self.line)
        self.services = services
        self.kanban = KanbanService(services.uow, services.line)

    def login(self, employee_no: str) -> Actor:
        user_id = self.site.user_id(employee_no)
        assert demo_user(employee_no).pin == PINS[employee_no]
        return log_in_demo_user(self.services.auth, user_id, employee_no).actor


@pytest.fixture
def sew(site: Site) -> Kiosk:
    ensure_kanban_site(site)
    return Kiosk(site, "SEW-L03")


@pytest.fixture
def warehouse(site: Site, sew: Kiosk) -> Kiosk:
    return Kiosk(site, WAREHOUSE)


# ---------------------------------------------------------------------- helpers
def _card_row(site: Site, card_id: uuid.UUID) -> tuple[object, ...]:
    """Everything stored of a card, to prove a refusal changed none of it."""
    with site.database.reader() as session:
        card = session.get(KanbanCard, card_id)
        assert card is not None
        return tuple(getattr(card, column.key) for column in KanbanCard.__table__.columns)


def _last_audit(site: Site) -> tuple[str, str]:
    return site.audit_outcomes()[-1]


def _kanban_events(site: Site) -> list[tuple[str, dict[str, object]]]:
    with site.database.reader() as session:
        rows = session.execute(
            select(OutboxEvent.kind, OutboxEvent.payload)
            .where(OutboxEvent.kind.like("kanban.%"))
            .order_by(OutboxEvent.seq)
        ).all()
        return [(kind, payload) for kind, payload in rows]


def _assert_refused_changing_nothing(
    site: Site, call: object, code: ErrorCode, card_id: uuid.UUID | None = None
) -> dict[str, object]:
    """The call is refused with `code`; only one audit row (the refusal) is added."""
    cards, outbox, audits = site.count(KanbanCard), site.count(OutboxEvent), site.count(AuditEntry)
    before = None if card_id is None else _card_row(site, card_id)
    refused = refusal_of(call)  # type: ignore[arg-type]
    assert refused.code is code, refused
    assert site.count(KanbanCard) == cards
    assert site.count(OutboxEvent) == outbox
    assert site.count(AuditEntry) == audits + 1
    assert _last_audit(site)[1] == f"refused:{code.value}"
    if card_id is not None:
        assert _card_row(site, card_id) == before
    return refused.fields


def _card_in(status: KanbanStatus, sew: Kiosk, warehouse: Kiosk) -> KanbanCardView:
    """A card of SEW-L03 brought to `status` the way the floor does it."""
    dewi, sri, wati = sew.login("E2001"), warehouse.login("E6002"), warehouse.login("E6001")
    card = sew.kanban.request(dewi, THREAD, "10")
    if status is KanbanStatus.REQUESTED:
        return card
    if status is KanbanStatus.REJECTED:
        return warehouse.kanban.reject(sri, card.id, "Out of stock")
    card = warehouse.kanban.approve(sri, card.id)
    if status is KanbanStatus.APPROVED:
        return card
    card = warehouse.kanban.ship(wati, card.id)
    if status is KanbanStatus.IN_TRANSIT:
        return card
    return sew.kanban.receive(dewi, card.id)


# ---------------------------------------------------------------------- the happy path
def test_request_approve_ship_receive_each_timed_and_stamped(
    site: Site, sew: Kiosk, warehouse: Kiosk
) -> None:
    dewi = sew.login("E2001")
    sri = warehouse.login("E6002")
    wati = warehouse.login("E6001")
    requested_at = site.clock.now()

    card = sew.kanban.request(dewi, THREAD, "10")
    assert card.card_no.startswith("KB-")
    assert (card.line_code, card.item_name, card.quantity, card.unit) == (
        "SEW-L03",
        "Thread, white, 5000 m",
        10,
        "cone",
    )
    assert (card.status, card.requested_by, card.requested_at) == (
        KanbanStatus.REQUESTED,
        "Dewi Lestari",
        requested_at,
    )

    site.clock.advance(4 * 60)
    card = warehouse.kanban.approve(sri, card.id)
    assert (card.status, card.decided_by, card.decided_at) == (
        KanbanStatus.APPROVED,
        "Sri Mulyani",
        requested_at + timedelta(minutes=4),
    )

    site.clock.advance(20 * 60)
    card = warehouse.kanban.ship(wati, card.id)
    assert (card.status, card.shipped_by) == (KanbanStatus.IN_TRANSIT, "Wati Handayani")

    site.clock.advance(11 * 60)
    card = sew.kanban.receive_scanned(dewi, card.card_no)
    assert (card.status, card.received_by, card.version) == (
        KanbanStatus.RECEIVED,
        "Dewi Lestari",
        4,
    )
    assert [(s.step, s.by, s.took) for s in card.steps] == [
        (KanbanStep.REQUESTED, "Dewi Lestari", None),
        (KanbanStep.APPROVED, "Sri Mulyani", timedelta(minutes=4)),
        (KanbanStep.SHIPPED, "Wati Handayani", timedelta(minutes=20)),
        (KanbanStep.RECEIVED, "Dewi Lestari", timedelta(minutes=11)),
    ]
    assert card.lead_time == timedelta(minutes=35)
    assert card.actions == frozenset()
    assert [outcome for action, outcome in site.audit_outcomes() if action.startswith("kanban")][
        -4:
    ] == ["ok"] * 4


def test_each_step_writes_one_outbox_event_with_who_when_and_version(
    site: Site, sew: Kiosk, warehouse: Kiosk
) -> None:
    before = len(_kanban_events(site))
    card = _card_in(KanbanStatus.RECEIVED, sew, warehouse)
    events = _kanban_events(site)[before:]
    assert [kind for kind, _ in events] == [
        "kanban.requested",
        "kanban.approved",
        "kanban.shipped",
        "kanban.received",
    ]
    for (_kind, payload), (by, status, version) in zip(
        events,
        [
            ("E2001", "REQUESTED", 1),
            ("E6002", "APPROVED", 2),
            ("E6001", "IN_TRANSIT", 3),
            ("E2001", "RECEIVED", 4),
        ],
        strict=True,
    ):
        assert payload["card_id"] == str(card.id)
        assert payload["card_no"] == card.card_no
        assert (payload["line"], payload["item"], payload["quantity"]) == ("SEW-L03", THREAD, 10)
        assert (payload["by"], payload["status"], payload["version"]) == (by, status, version)
        assert payload["at"] == site.clock.now().isoformat()


def test_a_rejection_keeps_its_reason_and_ends_the_card(
    site: Site, sew: Kiosk, warehouse: Kiosk
) -> None:
    card = _card_in(KanbanStatus.REJECTED, sew, warehouse)
    assert (card.status, card.decision_reason, card.decided_by) == (
        KanbanStatus.REJECTED,
        "Out of stock",
        "Sri Mulyani",
    )
    assert card.steps[-1].step is KanbanStep.REJECTED
    kind, payload = _kanban_events(site)[-1]
    assert (kind, payload["reason"], payload["version"]) == ("kanban.rejected", "Out of stock", 2)


def test_a_supervisor_of_the_line_may_request_and_receive(
    site: Site, sew: Kiosk, warehouse: Kiosk
) -> None:
    hadi = sew.login("E5001")
    card = sew.kanban.request(hadi, "BTN-15-WHT", "40")
    card = warehouse.kanban.approve(warehouse.login("E6002"), card.id)
    # The warehouse admin may deliver as well as approve.
    card = warehouse.kanban.ship(warehouse.login("E6002"), card.id)
    assert sew.kanban.receive(hadi, card.id).status is KanbanStatus.RECEIVED


# ---------------------------------------------------------------------- refused transitions
ALLOWED = {
    (KanbanStatus.REQUESTED, KanbanCommand.APPROVE),
    (KanbanStatus.REQUESTED, KanbanCommand.REJECT),
    (KanbanStatus.APPROVED, KanbanCommand.SHIP),
    (KanbanStatus.IN_TRANSIT, KanbanCommand.RECEIVE),
}
REFUSED = [
    (status, command)
    for status in KanbanStatus
    for command in KanbanCommand
    if (status, command) not in ALLOWED
]


@pytest.mark.parametrize(("status", "command"), REFUSED)
def test_every_refused_transition_changes_nothing_but_the_audit_log(
    site: Site, sew: Kiosk, warehouse: Kiosk, status: KanbanStatus, command: KanbanCommand
) -> None:
    card = _card_in(status, sew, warehouse)
    # Each command by someone whose role may give it, where they would give it.
    sri, wati, dewi = warehouse.login("E6002"), warehouse.login("E6001"), sew.login("E2001")
    calls = {
        KanbanCommand.APPROVE: lambda: warehouse.kanban.approve(sri, card.id),
        KanbanCommand.REJECT: lambda: warehouse.kanban.reject(sri, card.id, "Duplicate request"),
        KanbanCommand.SHIP: lambda: warehouse.kanban.ship(wati, card.id),
        KanbanCommand.RECEIVE: lambda: sew.kanban.receive_scanned(dewi, card.card_no),
    }
    call = calls[command]
    fields = _assert_refused_changing_nothing(site, call, ErrorCode.KANBAN_TRANSITION, card.id)
    assert fields == {"status": status.value, "command": command.value, "card_no": card.card_no}


def test_a_card_received_twice_is_refused_the_second_time(
    site: Site, sew: Kiosk, warehouse: Kiosk
) -> None:
    card = _card_in(KanbanStatus.RECEIVED, sew, warehouse)
    dewi = sew.login("E2001")
    _assert_refused_changing_nothing(
        site,
        lambda: sew.kanban.receive_scanned(dewi, card.card_no),
        ErrorCode.KANBAN_TRANSITION,
        card.id,
    )


# ---------------------------------------------------------------------- who may do what
def test_the_warehouse_admin_cannot_decide_on_a_request_of_their_own(
    site: Site, sew: Kiosk, warehouse: Kiosk
) -> None:
    """Dewi asked for thread, then moved to the warehouse as its admin: not her own card."""
    card = sew.kanban.request(sew.login("E2001"), THREAD, "10")
    with site.database.writer() as session:
        dewi = session.scalar(select(User).where(User.employee_no == "E2001"))
        assert dewi is not None
        dewi.role = Role.WAREHOUSE_ADMIN
        dewi.department = Department.WAREHOUSE
        dewi.lines = []
        session.commit()
    dewi_admin = warehouse.login("E2001")
    assert dewi_admin.role is Role.WAREHOUSE_ADMIN
    board = warehouse.kanban.warehouse_board(dewi_admin)
    shown = next(c for c in board.cards if c.id == card.id)
    assert shown.actions == frozenset()  # no Approve or Reject button for her
    for call in (
        lambda: warehouse.kanban.approve(dewi_admin, card.id),
        lambda: warehouse.kanban.reject(dewi_admin, card.id, "Out of stock"),
    ):
        fields = _assert_refused_changing_nothing(site, call, ErrorCode.SELF_APPROVAL, card.id)
        assert fields["card_no"] == card.card_no
    # Another warehouse admin may.
    assert warehouse.kanban.approve(warehouse.login("E6002"), card.id).status is (
        KanbanStatus.APPROVED
    )


@pytest.mark.parametrize(
    "case",
    [
        ("E2001", "sew", KanbanCommand.APPROVE),  # an operator
        ("E5001", "sew", KanbanCommand.APPROVE),  # a supervisor
        ("E6001", "warehouse", KanbanCommand.APPROVE),  # warehouse staff deliver, not approve
        ("E6001", "warehouse", KanbanCommand.REJECT),
        ("E2001", "sew", KanbanCommand.SHIP),
        ("E6002", "sew", KanbanCommand.RECEIVE),  # the warehouse does not receive for a line
    ],
)
def test_a_role_without_the_permission_is_refused(
    site: Site, sew: Kiosk, warehouse: Kiosk, case: tuple[str, str, KanbanCommand]
) -> None:
    who, kiosk, command = case
    status = {
        KanbanCommand.APPROVE: KanbanStatus.REQUESTED,
        KanbanCommand.REJECT: KanbanStatus.REQUESTED,
        KanbanCommand.SHIP: KanbanStatus.APPROVED,
        KanbanCommand.RECEIVE: KanbanStatus.IN_TRANSIT,
    }[command]
    card = _card_in(status, sew, warehouse)
    at = {"sew": sew, "warehouse": warehouse}[kiosk]
    actor = at.login(who)
    call = {
        KanbanCommand.APPROVE: lambda: at.kanban.approve(actor, card.id),
        KanbanCommand.REJECT: lambda: at.kanban.reject(actor, card.id, "Out of stock"),
        KanbanCommand.SHIP: lambda: at.kanban.ship(actor, card.id),
        KanbanCommand.RECEIVE: lambda: at.kanban.receive(actor, card.id),
    }[command]
    _assert_refused_changing_nothing(site, call, ErrorCode.PERMISSION_DENIED, card.id)


def test_warehouse_roles_cannot_request(site: Site, warehouse: Kiosk) -> None:
    for number in ("E6001", "E6002"):
        actor = warehouse.login(number)
        call = lambda a=actor: warehouse.kanban.request(a, THREAD, "5")  # noqa: E731
        _assert_refused_changing_nothing(site, call, ErrorCode.PERMISSION_DENIED)


def test_an_operator_of_another_line_cannot_receive_the_card(
    site: Site, sew: Kiosk, warehouse: Kiosk
) -> None:
    card = _card_in(KanbanStatus.IN_TRANSIT, sew, warehouse)
    # Rina scans it at her own kiosk on CUT-L02: the goods went to the wrong line.
    cut = Kiosk(site, "CUT-L02")
    rina = cut.login("E1001")
    fields = _assert_refused_changing_nothing(
        site, lambda: cut.kanban.receive_scanned(rina, card.card_no), ErrorCode.KANBAN_OTHER_LINE
    )
    assert fields == {"card_no": card.card_no, "line": "SEW-L03", "this_line": "CUT-L02"}
    _assert_refused_changing_nothing(
        site, lambda: cut.kanban.receive(rina, card.id), ErrorCode.KANBAN_OTHER_LINE, card.id
    )
    # Siti works on SEW-L01: at SEW-L03's kiosk she is out of scope.
    siti = Kiosk(site, "SEW-L01").login("E2002")
    _assert_refused_changing_nothing(
        site, lambda: sew.kanban.receive(siti, card.id), ErrorCode.OUT_OF_SCOPE, card.id
    )
    # The Cutting supervisor may log in at a Sewing kiosk, but not receive for it.
    ani = sew.login("E5002")
    _assert_refused_changing_nothing(
        site, lambda: sew.kanban.receive(ani, card.id), ErrorCode.OUT_OF_SCOPE, card.id
    )
    assert sew.kanban.receive(sew.login("E2001"), card.id).status is KanbanStatus.RECEIVED


def test_an_operator_requests_only_for_the_line_of_the_kiosk(site: Site, sew: Kiosk) -> None:
    rina = Kiosk(site, "CUT-L02").login("E1001")
    _assert_refused_changing_nothing(
        site, lambda: sew.kanban.request(rina, THREAD, "10"), ErrorCode.OUT_OF_SCOPE
    )


def test_an_unknown_card_scanned_is_refused(site: Site, sew: Kiosk) -> None:
    dewi = sew.login("E2001")
    fields = _assert_refused_changing_nothing(
        site,
        lambda: sew.kanban.receive_scanned(dewi, "KB-ZZZZ9999"),
        ErrorCode.KANBAN_CARD_NOT_FOUND,
    )
    assert fields == {"card_no": "KB-ZZZZ9999"}


# ---------------------------------------------------------------------- what a request may ask
@pytest.mark.parametrize(
    ("item", "quantity", "code"),
    [
        (THREAD, str(10**9), ErrorCode.QUANTITY_ABSURD),
        (THREAD, "0", ErrorCode.QUANTITY_ZERO),
        (THREAD, "", ErrorCode.QUANTITY_ZERO),
        (THREAD, "-5", ErrorCode.QUANTITY_NEGATIVE),
        (THREAD, "abc", ErrorCode.QUANTITY_NOT_A_NUMBER),
        (THREAD, "51", ErrorCode.KANBAN_ABOVE_MAX),
        ("NO-SUCH-ITEM", "10", ErrorCode.KANBAN_ITEM_UNKNOWN),
        ("", "10", ErrorCode.KANBAN_ITEM_UNKNOWN),
        (OLD_STOCK, "10", ErrorCode.KANBAN_ITEM_UNKNOWN),
    ],
)
def test_a_request_that_is_refused_changes_nothing_but_the_audit_log(
    site: Site, sew: Kiosk, item: str, quantity: str, code: ErrorCode
) -> None:
    dewi = sew.login("E2001")
    _assert_refused_changing_nothing(site, lambda: sew.kanban.request(dewi, item, quantity), code)
    with site.database.reader() as session:
        audit = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
    assert (audit.action, audit.actor_label) == ("kanban.request", "E2001 Dewi Lestari")
    assert audit.details["line"] == "SEW-L03"


def test_the_item_maximum_itself_is_accepted(sew: Kiosk) -> None:
    assert sew.kanban.request(sew.login("E2001"), THREAD, "50").quantity == 50


def test_a_policy_can_lower_the_absurd_limit(site: Site, sew: Kiosk) -> None:
    strict = KanbanService(sew.services.uow, sew.services.line, KanbanPolicy(20))
    dewi = sew.login("E2001")
    _assert_refused_changing_nothing(
        site, lambda: strict.request(dewi, THREAD, "21"), ErrorCode.QUANTITY_ABSURD
    )


# ---------------------------------------------------------------------- the item picker
def test_items_are_the_active_ones_by_name_found_by_code_or_name(sew: Kiosk) -> None:
    dewi = sew.login("E2001")
    everything = sew.kanban.items(dewi)
    names = [item.name for item in everything]
    assert names == sorted(names, key=str.casefold)
    assert OLD_STOCK not in [item.code for item in everything]
    assert THREAD in [item.code for item in everything]
    white = [item.code for item in sew.kanban.items(dewi, "WHITE")]
    assert THREAD in white and "BTN-15-WHT" in white and "THR-BLK-5000" not in white
    assert [item.code for item in sew.kanban.items(dewi, "thread, white")] == [THREAD]
    assert [item.code for item in sew.kanban.items(dewi, "thr-wht")] == [THREAD]
    assert sew.kanban.items(dewi, "no such thing") == []


# ---------------------------------------------------------------------- boards
def test_the_line_board_has_four_columns_and_only_this_lines_cards(
    site: Site, sew: Kiosk, warehouse: Kiosk
) -> None:
    cards = {status: _card_in(status, sew, warehouse) for status in KanbanStatus}
    other = Kiosk(site, "SEW-L01")
    elsewhere = other.kanban.request(other.login("E2002"), THREAD, "3")
    board = sew.kanban.line_board(sew.login("E2001"))
    assert board.line_code == "SEW-L03" and not board.is_warehouse
    assert len(board.columns) == 4
    assert board.column_of(cards[KanbanStatus.REQUESTED].card_no) == 0
    assert board.column_of(cards[KanbanStatus.APPROVED].card_no) == 1
    assert board.column_of(cards[KanbanStatus.IN_TRANSIT].card_no) == 2
    assert board.column_of(cards[KanbanStatus.RECEIVED].card_no) == 3
    assert board.column_of(cards[KanbanStatus.REJECTED].card_no) == 3
    assert board.column_of(elsewhere.card_no) is None
    # On the line, Dewi may receive what is in transit and nothing else.
    actions = {card.card_no: card.actions for card in board.cards}
    assert actions[cards[KanbanStatus.IN_TRANSIT].card_no] == {KanbanCommand.RECEIVE}
    assert actions[cards[KanbanStatus.REQUESTED].card_no] == frozenset()


def test_the_warehouse_board_shows_every_lines_cards_with_what_each_role_may_do(
    site: Site, sew: Kiosk, warehouse: Kiosk
) -> None:
    requested = _card_in(KanbanStatus.REQUESTED, sew, warehouse)
    approved = _card_in(KanbanStatus.APPROVED, sew, warehouse)
    other = Kiosk(site, "SEW-L01")
    elsewhere = other.kanban.request(other.login("E2002"), "ZIP-20-BLK", "3")
    board = warehouse.kanban.warehouse_board(warehouse.login("E6002"))
    assert board.is_warehouse
    lines = {card.card_no: card.line_code for card in board.cards}
    assert lines[elsewhere.card_no] == "SEW-L01" and lines[requested.card_no] == "SEW-L03"
    assert board.column_of(elsewhere.card_no) == 0
    actions = {card.card_no: card.actions for card in board.cards}
    assert actions[requested.card_no] == {KanbanCommand.APPROVE, KanbanCommand.REJECT}
    assert actions[approved.card_no] == {KanbanCommand.SHIP}
    staff_board = warehouse.kanban.warehouse_board(warehouse.login("E6001"))
    staff_actions = {card.card_no: card.actions for card in staff_board.cards}
    assert staff_actions[requested.card_no] == frozenset()
    assert staff_actions[approved.card_no] == {KanbanCommand.SHIP}


def test_the_oldest_waiting_request_is_on_top(site: Site, sew: Kiosk) -> None:
    dewi = sew.login("E2001")
    first = sew.kanban.request(dewi, THREAD, "1")
    site.clock.advance(60)
    second = sew.kanban.request(dewi, THREAD, "2")
    site.clock.advance(60)
    column = sew.kanban.line_board(dewi).columns[0]
    assert [card.card_no for card in column.cards] == [first.card_no, second.card_no]
    assert [card.age for card in column.cards] == [timedelta(minutes=2), timedelta(minutes=1)]


def test_finished_cards_leave_the_board_after_24_hours(
    site: Site, sew: Kiosk, warehouse: Kiosk
) -> None:
    received = _card_in(KanbanStatus.RECEIVED, sew, warehouse)
    rejected = _card_in(KanbanStatus.REJECTED, sew, warehouse)
    waiting = _card_in(KanbanStatus.REQUESTED, sew, warehouse)
    site.clock.advance(23 * 3600)
    board = sew.kanban.line_board(sew.login("E2001"))
    assert {received.card_no, rejected.card_no, waiting.card_no} <= {
        card.card_no for card in board.cards
    }
    site.clock.advance(2 * 3600)
    board = sew.kanban.line_board(sew.login("E2001"))
    assert [card.card_no for card in board.cards] == [waiting.card_no]
    assert board.cards[0].age == timedelta(hours=25)


def test_boards_are_for_their_roles(site: Site, sew: Kiosk, warehouse: Kiosk) -> None:
    dewi, wati = sew.login("E2001"), warehouse.login("E6001")
    assert refusal_of(lambda: warehouse.kanban.warehouse_board(dewi)).code is (
        ErrorCode.PERMISSION_DENIED
    )
    assert refusal_of(lambda: sew.kanban.line_board(wati)).code is ErrorCode.PERMISSION_DENIED
    rina = Kiosk(site, "CUT-L02").login("E1001")
    assert refusal_of(lambda: sew.kanban.line_board(rina)).code is ErrorCode.OUT_OF_SCOPE


# ---------------------------------------------------------------------- scanning and printing
def test_the_warehouse_opens_a_scanned_card_and_a_line_only_its_own(
    site: Site, sew: Kiosk, warehouse: Kiosk
) -> None:
    card = _card_in(KanbanStatus.APPROVED, sew, warehouse)
    found = warehouse.kanban.find_card(warehouse.login("E6001"), f"  {card.card_no.lower()} ")
    assert (found.id, found.actions) == (card.id, {KanbanCommand.SHIP})
    other = Kiosk(site, "SEW-L01")
    siti = other.login("E2002")
    _assert_refused_changing_nothing(
        site, lambda: other.kanban.find_card(siti, card.card_no), ErrorCode.KANBAN_OTHER_LINE
    )
    wati = warehouse.login("E6001")
    _assert_refused_changing_nothing(
        site,
        lambda: warehouse.kanban.find_card(wati, "KB-NOPE0000"),
        ErrorCode.KANBAN_CARD_NOT_FOUND,
    )


def test_the_printed_card_carries_its_number_and_what_to_deliver(
    site: Site, sew: Kiosk, warehouse: Kiosk
) -> None:
    card = _card_in(KanbanStatus.APPROVED, sew, warehouse)
    audits = site.count(AuditEntry)
    document = warehouse.kanban.card_document(warehouse.login("E6001"), card.id)
    assert (document.kind, document.document_id) == ("kanban_card", card.card_no)
    assert document.title == "E-Kanban card"  # fixed text, translated when printed
    rows = dict(document.rows)
    assert rows["Line"].startswith("SEW-L03")
    assert "Thread, white, 5000 m" in rows["Item"]
    assert rows["Quantity"] == "10 cone"
    assert rows["Requested"].startswith("Dewi Lestari (E2001)")
    assert "2026-11-21 06:00" in rows["Requested"]
    assert rows["Approved"].startswith("Sri Mulyani")
    assert site.count(AuditEntry) == audits + 2  # the login and the print
    assert _last_audit(site) == ("kanban.print", "ok")
    # A line prints only its own cards.
    other = Kiosk(site, "SEW-L01")
    siti = other.login("E2002")
    _assert_refused_changing_nothing(
        site, lambda: other.kanban.card_document(siti, card.id), ErrorCode.KANBAN_OTHER_LINE
    )
