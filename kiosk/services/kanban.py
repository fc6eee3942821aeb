"""E-Kanban: a line asks the warehouse for accessories; every step is one timed action.

A line user requests an item on the line's kiosk; the warehouse admin approves or
rejects it (never their own request); warehouse staff mark it in transit; a user of
the line receives it, usually by scanning the printed card that came with the goods.
Each step writes the card, its audit entry and its outbox event in one transaction.
"""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from kiosk.domain.approval import refuse_own_work
from kiosk.domain.documents import PrintDocument
from kiosk.domain.errors import ErrorCode, PermissionDeniedError, RefusalError
from kiosk.domain.events import KanbanRequested, KanbanStepped
from kiosk.domain.ids import new_id
from kiosk.domain.kanban import (
    BOARD_COLUMNS,
    COMMAND_ACTIONS,
    OPEN_STATUSES,
    TRANSITIONS,
    KanbanCommand,
    KanbanStatus,
)
from kiosk.domain.reasons import MAX_REASON_LENGTH, clean_reason
from kiosk.domain.roles import Action, is_allowed
from kiosk.domain.site_time import stamp_text
from kiosk.services.actor import Actor
from kiosk.services.authz import authorize, may_work_on_line
from kiosk.services.effects.kanban import DECISIONS, new_card, next_card_status, step_card
from kiosk.services.kanban_views import (
    KanbanBoardView,
    KanbanCardView,
    KanbanColumnView,
    KanbanItemView,
    KanbanStep,
    KanbanStepView,
)
from kiosk.services.site import SiteZone
from kiosk.services.views import LineView
from kiosk.store.models import KanbanCard, KanbanItem, Line, User
from kiosk.store.unit_of_work import UnitOfWork

CARD_PREFIX = "KB-"
CARD_CODE_LENGTH = 8  # base32 characters: 40 bits of the card id's hash
_MAX_DIGITS = 15  # longer "numbers" are refused as absurd without converting them
_ECHO_LENGTH = 32  # how much of a refused input the audit and the message repeat
QUANTITY_FIELD = "kanban_quantity"  # names the field in quantity refusals (messages tell it apart)
_FIND_ACTION = "kanban.find"
_PRINT_ACTION = "kanban.print"
_WAREHOUSE_ACTIONS = (Action.KANBAN_APPROVE, Action.KANBAN_DELIVER)
_DONE_STATUSES = (KanbanStatus.RECEIVED, KanbanStatus.REJECTED)
_DIGITS = re.compile(r"[+-]?[0-9]+")
_WORDS = re.compile(r"\w+")

# The audit names the command; approve and reject share one permission.
_COMMAND_AUDIT = {
    KanbanCommand.APPROVE: "kanban.approve",
    KanbanCommand.REJECT: "kanban.reject",
    KanbanCommand.SHIP: "kanban.ship",
    KanbanCommand.RECEIVE: "kanban.receive",
}


@dataclass(frozen=True)
class KanbanPolicy:
    """Limits on requests and how long finished cards stay on a board.

    `max_quantity_any_item` refuses absurd numbers whatever an item allows (a typo of
    four extra zeros); each item's own `max_quantity` is the everyday limit.
    """

    max_quantity_any_item: int = 10_000
    done_visible_for: timedelta = timedelta(hours=24)


def card_no_for(card_id: uuid.UUID) -> str:
    """A short card number from the card's UUID: fits a small Code128 and the scan grammar."""
    digest = hashlib.sha256(card_id.bytes).digest()
    return CARD_PREFIX + base64.b32encode(digest).decode("ascii")[:CARD_CODE_LENGTH]


def parse_request_quantity(text: str, item: KanbanItemView, policy: KanbanPolicy) -> int:
    """The quantity typed on the keypad: a whole number from 1 to the item's maximum."""
    stripped = text.strip()
    if not stripped:
        raise RefusalError(ErrorCode.QUANTITY_ZERO, field=QUANTITY_FIELD, item=item.code)
    if not _DIGITS.fullmatch(stripped):
        raise RefusalError(
            ErrorCode.QUANTITY_NOT_A_NUMBER, field=QUANTITY_FIELD, text=stripped[:_ECHO_LENGTH]
        )
    if stripped.startswith("-") and stripped.strip("-0") != "":
        raise RefusalError(ErrorCode.QUANTITY_NEGATIVE, field=QUANTITY_FIELD, value=stripped[:16])
    digits = stripped.lstrip("+-").lstrip("0")
    if len(digits) > _MAX_DIGITS:
        raise RefusalError(
            ErrorCode.QUANTITY_ABSURD,
            field=QUANTITY_FIELD,
            value=digits[:_MAX_DIGITS] + "…",
            limit=policy.max_quantity_any_item,
        )
    value = int(digits or "0")
    if value == 0:
        raise RefusalError(ErrorCode.QUANTITY_ZERO, field=QUANTITY_FIELD, item=item.code)
    if value > policy.max_quantity_any_item:
        raise RefusalError(
            ErrorCode.QUANTITY_ABSURD,
            field=QUANTITY_FIELD,
            value=value,
            limit=policy.max_quantity_any_item,
        )
    if value > item.max_quantity:
        raise RefusalError(
            ErrorCode.KANBAN_ABOVE_MAX,
            value=value,
            max=item.max_quantity,
            unit=item.unit,
            item=item.name,
        )
    return value


class KanbanService:
    """E-Kanban as one kiosk sees it: its own line's requests, or the warehouse's board."""

    def __init__(
        self,
        uow: UnitOfWork,
        line: LineView,
        policy: KanbanPolicy | None = None,
        *,
        site_zone: SiteZone | None = None,
    ) -> None:
        self._uow = uow
        self._line = line
        self._policy = policy or KanbanPolicy()
        self._site_zone = site_zone

    @property
    def policy(self) -> KanbanPolicy:
        return self._policy

    # ================================================================== reading
    def items(self, actor: Actor, search: str = "") -> list[KanbanItemView]:
        """Active items whose code or name holds every word searched for, by name."""
        self._authorize_on_line(actor, Action.KANBAN_REQUEST)
        words = _WORDS.findall(search.casefold())
        with self._uow.database.reader() as session:
            rows = session.scalars(select(KanbanItem).where(KanbanItem.is_active.is_(True))).all()
            views = [_item_view(row) for row in rows]
        found = [
            view
            for view in views
            if all(word in f"{view.code} {view.name}".casefold() for word in words)
        ]
        return sorted(found, key=lambda view: (view.name.casefold(), view.code))

    def line_board(self, actor: Actor) -> KanbanBoardView:
        """This line's cards in the four columns; finished ones only from the last 24 h."""
        self._authorize_on_line(actor, Action.KANBAN_REQUEST)
        return self._board(actor, self._line.code)

    def warehouse_board(self, actor: Actor) -> KanbanBoardView:
        """Every line's cards, for the warehouse roles."""
        _authorize_any(actor, _WAREHOUSE_ACTIONS)
        return self._board(actor, None)

    def department_in_flight(self, actor: Actor) -> list[KanbanCardView]:
        """A supervisor's department: requests not yet received or rejected, on every line.

        By line, then the longest waiting in its current step first.
        """
        authorize(actor, Action.SUPERVISOR_SCREEN)
        now = self._uow.clock.now()
        with self._uow.database.reader() as session:
            rows = session.scalars(
                select(KanbanCard)
                .join(Line, KanbanCard.line_id == Line.id)
                .where(Line.department == actor.department)
                .where(KanbanCard.status.in_(OPEN_STATUSES))
            ).all()
            names = _people(session, _people_of(rows))
            views = [self._view(session, row, actor, now, names) for row in rows]
        return sorted(views, key=lambda view: (view.line_code, view.step_since, view.card_no))

    def find_card(self, actor: Actor, card_no: str) -> KanbanCardView:
        """A card by its number (a scan on the warehouse kiosk opens it); refusals are audited."""
        wanted = card_no.strip().upper()
        try:
            with self._uow.database.reader() as session:
                self._authorize_viewer(actor)
                card = _card_by_no(session, wanted)
                self._check_visible(actor, card)
                return self._view(session, card, actor, self._uow.clock.now())
        except RefusalError as refusal:
            self._uow.record_refusal(
                actor.audit,
                _FIND_ACTION,
                refusal,
                entity="kanban_card",
                entity_id=None,
                attempted={"card_no": wanted[:_ECHO_LENGTH], "line": self._line.code},
            )
            raise

    def card_document(self, actor: Actor, card_id: uuid.UUID) -> PrintDocument:
        """The printable card (its Code128 carries the card number); printing is audited."""
        with self._uow.action(actor.audit, _PRINT_ACTION) as tx:
            tx.about("kanban_card", card_id)
            self._authorize_viewer(actor)
            card = _card_by_id(tx.session, card_id)
            tx.about("kanban_card", card.id, card_no=card.card_no)
            self._check_visible(actor, card)
            names = _people(tx.session, [card.requested_by, card.decided_by])
            requested_no, requested_name = names.get(card.requested_by, ("", ""))
            zone = None if self._site_zone is None else self._site_zone.zone
            requested_at = stamp_text(card.requested_at, zone)
            rows = [
                ("Line", f"{card.line.code}  {card.line.name}"),
                ("Item", f"{card.item.name}  ({card.item.code})"),
                ("Quantity", f"{card.quantity} {card.item.unit}"),
                ("Requested", f"{requested_name} ({requested_no})  {requested_at}"),
            ]
            if card.decided_by is not None and card.decided_at is not None:
                decided_by = names.get(card.decided_by, ("", ""))
                label = "Rejected" if card.status is KanbanStatus.REJECTED else "Approved"
                rows.append(
                    (label, f"{decided_by[1]}  {stamp_text(card.decided_at, zone)}"),
                )
            tx.audit(card_no=card.card_no, status=card.status.value)
            return PrintDocument(
                kind="kanban_card",
                document_id=card.card_no,
                title="E-Kanban card",
                rows=tuple(rows),
                footer="On arrival at {line}: scan this card at the line's kiosk.",
                footer_values=(("line", card.line.code),),
            )

    # ================================================================== commands
    def request(self, actor: Actor, item_code: str, quantity: str) -> KanbanCardView:
        """Ask the warehouse for `quantity` (as typed) of an item, for this kiosk's line."""
        code = item_code.strip().upper()
        with self._uow.action(actor.audit, Action.KANBAN_REQUEST.value) as tx:
            tx.about(
                "kanban_card",
                None,
                item=code[:_ECHO_LENGTH],
                quantity=quantity[:_ECHO_LENGTH],
                line=self._line.code,
            )
            self._authorize_on_line(actor, Action.KANBAN_REQUEST)
            item = tx.session.get(KanbanItem, code) if code else None
            if item is None or not item.is_active:
                raise RefusalError(ErrorCode.KANBAN_ITEM_UNKNOWN, item=code[:_ECHO_LENGTH])
            qty = parse_request_quantity(quantity, _item_view(item), self._policy)
            line = tx.session.scalar(select(Line).where(Line.code == self._line.code))
            if line is None:
                raise RefusalError(ErrorCode.LINE_NOT_FOUND, line=self._line.code, known=[])
            card_id, card_no = _new_card_number(tx.session)
            event = KanbanRequested(
                card_id=card_id,
                card_no=card_no,
                line=line.code,
                item=item.code,
                quantity=qty,
                status=KanbanStatus.REQUESTED.value,
                by=actor.employee_no,
                by_user_id=actor.user_id,
                at=tx.now,
                version=1,
            )
            card = new_card(event, line_id=line.id, requested_by=actor.user_id)
            card.line = line
            card.item = item
            tx.session.add(card)
            tx.about("kanban_card", card_id, card_no=card_no)
            tx.session.flush()
            tx.audit(item=item.code, quantity=qty, status_after=card.status.value)
            tx.emit(event)
            return self._view(tx.session, card, actor, tx.now)

    def approve(self, actor: Actor, card_id: uuid.UUID) -> KanbanCardView:
        return self._command(actor, KanbanCommand.APPROVE, _by_id(card_id))

    def reject(self, actor: Actor, card_id: uuid.UUID, reason: str) -> KanbanCardView:
        return self._command(actor, KanbanCommand.REJECT, _by_id(card_id), reason=reason)

    def ship(self, actor: Actor, card_id: uuid.UUID) -> KanbanCardView:
        """Warehouse staff mark the card in transit: the goods are on their way."""
        return self._command(actor, KanbanCommand.SHIP, _by_id(card_id))

    def receive(self, actor: Actor, card_id: uuid.UUID) -> KanbanCardView:
        return self._command(actor, KanbanCommand.RECEIVE, _by_id(card_id))

    def receive_scanned(self, actor: Actor, card_no: str) -> KanbanCardView:
        """The card that came with the goods, scanned at the line's kiosk."""
        wanted = card_no.strip().upper()
        return self._command(actor, KanbanCommand.RECEIVE, _by_no(wanted), scanned=True)

    # ================================================================== internals
    def _command(
        self,
        actor: Actor,
        command: KanbanCommand,
        locate: _Locator,
        *,
        reason: str | None = None,
        scanned: bool = False,
    ) -> KanbanCardView:
        action = COMMAND_ACTIONS[command]
        with self._uow.action(actor.audit, _COMMAND_AUDIT[command]) as tx:
            attempted: dict[str, object] = {"line": self._line.code}
            if reason is not None:
                attempted["reason"] = reason[: MAX_REASON_LENGTH + 20]
            if scanned:
                attempted["scanned"] = True
            tx.about("kanban_card", locate.card_id, **attempted)
            if locate.card_no is not None:
                tx.about("kanban_card", None, card_no=locate.card_no[:_ECHO_LENGTH])
            # The role first: a role that may not act learns nothing about the card.
            authorize(actor, action)
            card = locate.find(tx.session)
            tx.about("kanban_card", card.id, card_no=card.card_no)
            if command is KanbanCommand.RECEIVE:
                self._check_receivable(actor, card)
            if command in DECISIONS:
                refuse_own_work(
                    actor.user_id, card.requested_by, action=action.value, card_no=card.card_no
                )
            before = card.status
            next_card_status(card, command)
            text = clean_reason(reason or "") if command is KanbanCommand.REJECT else None
            after = step_card(card, command, by=actor.user_id, at=tx.now, reason=text)
            tx.session.flush()
            tx.audit(status_before=before.value, status_after=after.value, version=card.version)
            tx.emit(
                KanbanStepped(
                    kind=KanbanStepped.kind_of(command),
                    card_id=card.id,
                    card_no=card.card_no,
                    line=card.line.code,
                    item=card.item_code,
                    quantity=card.quantity,
                    status=card.status.value,
                    by=actor.employee_no,
                    by_user_id=actor.user_id,
                    at=tx.now,
                    version=card.version,
                    reason=text,
                )
            )
            return self._view(tx.session, card, actor, tx.now)

    def _check_receivable(self, actor: Actor, card: KanbanCard) -> None:
        """Received on its own line's kiosk, by someone working on that line."""
        if card.line.code != self._line.code:
            raise RefusalError(
                ErrorCode.KANBAN_OTHER_LINE,
                card_no=card.card_no,
                line=card.line.code,
                this_line=self._line.code,
            )
        self._authorize_on_line(actor, Action.KANBAN_RECEIVE)

    def _authorize_on_line(self, actor: Actor, action: Action) -> None:
        authorize(actor, action, line_code=self._line.code, department=self._line.department)

    def _authorize_viewer(self, actor: Actor) -> None:
        """The warehouse sees every card; line users see their line's, on its kiosk."""
        if not _is_warehouse(actor):
            self._authorize_on_line(actor, Action.KANBAN_REQUEST)

    def _check_visible(self, actor: Actor, card: KanbanCard) -> None:
        if not _is_warehouse(actor) and card.line.code != self._line.code:
            raise RefusalError(
                ErrorCode.KANBAN_OTHER_LINE,
                card_no=card.card_no,
                line=card.line.code,
                this_line=self._line.code,
            )

    def _board(self, actor: Actor, line_code: str | None) -> KanbanBoardView:
        now = self._uow.clock.now()
        done_since = now - self._policy.done_visible_for
        query = select(KanbanCard).where(
            or_(
                KanbanCard.status.in_(OPEN_STATUSES),
                and_(
                    KanbanCard.status == KanbanStatus.RECEIVED,
                    KanbanCard.received_at >= done_since,
                ),
                and_(
                    KanbanCard.status == KanbanStatus.REJECTED,
                    KanbanCard.decided_at >= done_since,
                ),
            )
        )
        if line_code is not None:
            query = query.join(Line).where(Line.code == line_code)
        with self._uow.database.reader() as session:
            rows = session.scalars(query).unique().all()
            names = _people(session, _people_of(rows))
            views = [self._view(session, row, actor, now, names) for row in rows]
        columns = []
        for statuses in BOARD_COLUMNS:
            cards = [view for view in views if view.status in statuses]
            if any(status in _DONE_STATUSES for status in statuses):
                cards.sort(key=lambda view: view.step_since, reverse=True)  # newest first
            else:
                cards.sort(key=lambda view: (view.step_since, view.card_no))  # longest waiting
            columns.append(KanbanColumnView(statuses=statuses, cards=tuple(cards)))
        return KanbanBoardView(
            line_code=line_code, columns=tuple(columns), as_of=now, done_since=done_since
        )

    def _view(
        self,
        session: Session,
        card: KanbanCard,
        actor: Actor,
        now: datetime,
        names: dict[uuid.UUID, tuple[str, str]] | None = None,
    ) -> KanbanCardView:
        people = names if names is not None else _people(session, _people_of([card]))

        def name(user_id: uuid.UUID | None) -> str | None:
            return None if user_id is None else people.get(user_id, ("", "?"))[1]

        steps = _steps(card, people)
        since = steps[-1].at
        return KanbanCardView(
            id=card.id,
            card_no=card.card_no,
            line_code=card.line.code,
            line_name=card.line.name,
            item_code=card.item.code,
            item_name=card.item.name,
            unit=card.item.unit,
            quantity=card.quantity,
            status=card.status,
            requested_by=name(card.requested_by) or "",
            requested_at=card.requested_at,
            decided_by=name(card.decided_by),
            decided_at=card.decided_at,
            decision_reason=card.decision_reason,
            shipped_by=name(card.shipped_by),
            shipped_at=card.shipped_at,
            received_by=name(card.received_by),
            received_at=card.received_at,
            version=card.version,
            steps=steps,
            step_since=since,
            age=max(now - since, timedelta(0)),
            actions=self._actions_for(actor, card),
            may_print=self._may_print(actor, card),
        )

    def _actions_for(self, actor: Actor, card: KanbanCard) -> frozenset[KanbanCommand]:
        """What the service would let this user do with the card now, on this kiosk."""
        allowed = set()
        for status, command in TRANSITIONS:
            if status is not card.status or not is_allowed(actor.role, COMMAND_ACTIONS[command]):
                continue
            if command in DECISIONS and card.requested_by == actor.user_id:
                continue
            if command is KanbanCommand.RECEIVE and not (
                card.line.code == self._line.code
                and may_work_on_line(actor, self._line.code, self._line.department)
            ):
                continue
            allowed.add(command)
        return frozenset(allowed)

    def _may_print(self, actor: Actor, card: KanbanCard) -> bool:
        if card.status is KanbanStatus.REJECTED:
            return False
        if _is_warehouse(actor):
            return True
        return (
            is_allowed(actor.role, Action.KANBAN_REQUEST)
            and card.line.code == self._line.code
            and may_work_on_line(actor, self._line.code, self._line.department)
        )


# ---------------------------------------------------------------------- finding cards
@dataclass(frozen=True)
class _Locator:
    """How a command finds its card: by id (a tap) or by number (a scan)."""

    card_id: uuid.UUID | None
    card_no: str | None
    find: Callable[[Session], KanbanCard]


def _by_id(card_id: uuid.UUID) -> _Locator:
    return _Locator(card_id, None, lambda session: _card_by_id(session, card_id))


def _by_no(card_no: str) -> _Locator:
    return _Locator(None, card_no, lambda session: _card_by_no(session, card_no))


def _card_by_id(session: Session, card_id: uuid.UUID) -> KanbanCard:
    card = session.get(KanbanCard, card_id)
    if card is None:
        raise RefusalError(ErrorCode.KANBAN_CARD_NOT_FOUND, card_no=str(card_id)[:_ECHO_LENGTH])
    return card


def _card_by_no(session: Session, card_no: str) -> KanbanCard:
    card = session.scalar(select(KanbanCard).where(KanbanCard.card_no == card_no))
    if card is None:
        raise RefusalError(ErrorCode.KANBAN_CARD_NOT_FOUND, card_no=card_no[:_ECHO_LENGTH])
    return card


def _new_card_number(session: Session) -> tuple[uuid.UUID, str]:
    """A fresh id and its card number; a number already known here is never reused."""
    for _attempt in range(8):
        card_id = new_id()
        card_no = card_no_for(card_id)
        taken = session.scalar(select(KanbanCard.id).where(KanbanCard.card_no == card_no))
        if taken is None:
            return card_id, card_no
    raise RuntimeError("no free kanban card number after 8 attempts")


# ---------------------------------------------------------------------- helpers
def _authorize_any(actor: Actor, actions: tuple[Action, ...]) -> None:
    if not any(is_allowed(actor.role, action) for action in actions):
        raise PermissionDeniedError(
            ErrorCode.PERMISSION_DENIED, role=actor.role.value, action=actions[0].value
        )


def _is_warehouse(actor: Actor) -> bool:
    return any(is_allowed(actor.role, action) for action in _WAREHOUSE_ACTIONS)


def _item_view(row: KanbanItem) -> KanbanItemView:
    return KanbanItemView(
        code=row.code, name=row.name, unit=row.unit, max_quantity=row.max_quantity
    )


def _people_of(cards: Iterable[KanbanCard]) -> list[uuid.UUID | None]:
    return [
        user_id
        for card in cards
        for user_id in (card.requested_by, card.decided_by, card.shipped_by, card.received_by)
    ]


def _people(
    session: Session, user_ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID, tuple[str, str]]:
    """Employee number and name of each user id."""
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return {}
    rows = session.execute(
        select(User.id, User.employee_no, User.name).where(User.id.in_(wanted))
    ).all()
    return {user_id: (employee_no, name) for user_id, employee_no, name in rows}


def _steps(
    card: KanbanCard, people: dict[uuid.UUID, tuple[str, str]]
) -> tuple[KanbanStepView, ...]:
    decided = KanbanStep.REJECTED if card.status is KanbanStatus.REJECTED else KanbanStep.APPROVED
    stamps = (
        (KanbanStep.REQUESTED, card.requested_at, card.requested_by),
        (decided, card.decided_at, card.decided_by),
        (KanbanStep.SHIPPED, card.shipped_at, card.shipped_by),
        (KanbanStep.RECEIVED, card.received_at, card.received_by),
    )
    steps: list[KanbanStepView] = []
    for step, at, by in stamps:
        if at is None or by is None:
            continue
        employee_no, name = people.get(by, ("", "?"))
        took = None if not steps else at - steps[-1].at
        steps.append(KanbanStepView(step, at, name, employee_no, took))
    return tuple(steps)
