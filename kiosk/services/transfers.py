"""The QT-09 handshake: prepare and print on the sender, verify and count on the receiver,
hold on a mismatch, release or reject by a third person.

Every step is one local action (state, audit, outbox together) and works offline: the
sender signs the slip with its own device key, the receiver checks it with the sender's
public key, which it pulled from the server before.
"""

from __future__ import annotations

import uuid
from datetime import timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.approval import refuse_own_work
from kiosk.domain.documents import PrintDocument
from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.domain.events import (
    EventKind,
    TransferCounted,
    TransferDecided,
    TransferPrepared,
)
from kiosk.domain.ids import new_id
from kiosk.domain.reasons import clean_reason
from kiosk.domain.roles import Action
from kiosk.domain.slip import DEFAULT_MAX_AGE, Slip, is_slip_id, slip_id_for
from kiosk.domain.transfer import (
    ORIGIN_PREPARED,
    Batch,
    CountPolicy,
    TransferCommand,
    TransferStatus,
    check_clearance,
    judge_count,
    next_department,
    refuse_conflict,
    sendable_quantity,
    validate_count,
    validate_send_quantity,
)
from kiosk.domain.work_order import WorkOrderStatus, parse_quantity
from kiosk.services.actor import Actor
from kiosk.services.authz import authorize
from kiosk.services.effects.transfers import (
    count_transfer,
    decide_transfer,
    snapshot_fields,
    transfer_row,
)
from kiosk.services.lines import (
    line_row,
    occupancy_of,
    occupancy_view,
    set_occupancy,
    sync_confirmed_at,
)
from kiosk.services.site import SiteZone
from kiosk.services.slip_keys import SiteKeys, slip_scanned
from kiosk.services.transfer_alerts import alert_line_blocked, audit_refused_slip
from kiosk.services.transfer_rows import (
    alert_mismatch,
    close_hold_alert,
    earlier_bundle_on_line,
    has_sender_stub,
    hold_view,
    locked_pieces,
    move_wip,
    name_of,
    receive_outcome,
    slip_page,
    to_receive,
    transfer_from_slip,
    transfer_view,
)
from kiosk.services.transfer_views import (
    HandoffOptions,
    HoldView,
    LineHoldSummary,
    PreparedTransfer,
    ReceiveOutcome,
    ReceivingLineOption,
    SlipToReceive,
    TransferView,
)
from kiosk.services.views import LineView
from kiosk.services.work_orders import work_order_view
from kiosk.store.models import Line, LineOccupancy, Transfer, WorkOrder
from kiosk.store.unit_of_work import ActionTx, UnitOfWork

_PRINT_ACTION = "transfer.print"


class TransferService:
    def __init__(
        self,
        uow: UnitOfWork,
        line: LineView,
        site: SiteKeys,
        policy: CountPolicy,
        stale_after: timedelta,
        *,
        slip_max_age: timedelta = DEFAULT_MAX_AGE,
        site_zone: SiteZone | None = None,
    ) -> None:
        self._uow = uow
        self._site_zone = site_zone
        self._line = line
        self._site = site
        self._policy = policy
        self._stale_after = stale_after
        self._slip_max_age = slip_max_age

    # ================================================================== sender
    def handoff_options(self, actor: Actor, work_order_id: uuid.UUID) -> HandoffOptions:
        """What the sender may send: the pieces not yet locked, the next department's lines."""
        self._authorize(actor, Action.TRANSFER_PREPARE)
        now = self._uow.clock.now()
        with self._uow.database.reader() as session:
            row = self._work_order(session, work_order_id)
            department = next_department(row.route, row.department)
            batch = Batch(row.number, row.article, row.destination)
            lines = session.scalars(
                select(Line).where(Line.department == department).order_by(Line.code)
            ).all()
            options = []
            confirmed_at = sync_confirmed_at(session)
            for line in lines:
                occupancy_row = session.get(LineOccupancy, line.id)
                clearance = check_clearance(
                    batch,
                    department,
                    occupancy_of(occupancy_row, confirmed_at),
                    now=now,
                    stale_after=self._stale_after,
                )
                options.append(
                    ReceivingLineOption(
                        occupancy=occupancy_view(
                            line,
                            occupancy_row,
                            now=now,
                            stale_after=self._stale_after,
                            confirmed_at=confirmed_at,
                        ),
                        verdict=clearance.verdict,
                        segregation=clearance.segregation,
                    )
                )
            return HandoffOptions(
                work_order=work_order_view(row),
                sendable=sendable_quantity(row.good_qty, locked_pieces(session, row.number)),
                next_department=department,
                lines=options,
                transfers=self._transfers_of(session, row.number),
            )

    def prepare(
        self, actor: Actor, work_order_id: uuid.UUID, quantity: str, to_line: str
    ) -> PreparedTransfer:
        """Lock the pieces and make the signed slip, or refuse and change nothing.

        A receiving line known to hold another batch blocks the handoff and alerts its
        supervisor; an unknown or stale one is let through (its kiosk decides).
        """
        try:
            with self._uow.action(actor.audit, Action.TRANSFER_PREPARE.value) as tx:
                tx.about("work_order", work_order_id, quantity=quantity, to_line=to_line)
                self._authorize(actor, Action.TRANSFER_PREPARE)
                signing_key = self._site.signing_key()
                row = self._work_order(tx.session, work_order_id)
                tx.about("work_order", row.id, number=row.number)
                if row.status is WorkOrderStatus.RELEASED:
                    raise RefusalError(ErrorCode.TRANSFER_WORK_ORDER_NOT_STARTED, number=row.number)
                department = next_department(row.route, row.department)
                target = line_row(tx.session, to_line.strip().upper())
                if target is None or target.department is not department:
                    raise RefusalError(
                        ErrorCode.TRANSFER_WRONG_RECEIVING_LINE,
                        line=to_line[:32],
                        department=department.value,
                    )
                sendable = sendable_quantity(row.good_qty, locked_pieces(tx.session, row.number))
                qty = validate_send_quantity(
                    parse_quantity(quantity, "quantity"), sendable, self._policy
                )
                batch = Batch(row.number, row.article, row.destination)
                clearance = check_clearance(
                    batch,
                    department,
                    occupancy_of(
                        tx.session.get(LineOccupancy, target.id), sync_confirmed_at(tx.session)
                    ),
                    now=tx.now,
                    stale_after=self._stale_after,
                )
                refuse_conflict(clearance, target.code)
                transfer = self._new_transfer(tx, actor, row, qty, target)
                # The sender now knows where this batch is going: a second handoff of
                # another work order onto that line is blocked here too.
                set_occupancy(tx, target, batch, transfer_id=transfer.id)
                tx.audit(
                    slip_id=transfer.slip_id,
                    quantity=qty,
                    to_line=target.code,
                    clearance=clearance.verdict.value,
                )
                tx.emit(TransferPrepared(**snapshot_fields(transfer)))
                tx.session.flush()
                view = transfer_view(transfer)
                stub = has_sender_stub(tx.session)
        except RefusalError as refusal:
            if refusal.code in (ErrorCode.LINE_OCCUPIED, ErrorCode.LINE_SEGREGATION):
                alert_line_blocked(self._uow, self._line, actor, refusal)
            raise
        document = slip_page(
            view,
            signing_key,
            issued_at=self._uow.clock.now(),
            sender_stub=stub,
            zone=self._paper_zone(),
        )
        return PreparedTransfer(view, document, clearance.verdict)

    def slip_document(
        self, actor: Actor, transfer_id: uuid.UUID, *, reprint: bool
    ) -> PrintDocument:
        """The slip's page while its batch waits to be received; a reprint is audited (who,
        how many copies so far). A batch counted, held or sent back gets no slip any more."""
        action = f"{_PRINT_ACTION}.{'reprint' if reprint else 'first'}"
        with self._uow.action(actor.audit, action) as tx:
            tx.about("transfer", transfer_id)
            self._authorize(actor, Action.TRANSFER_PREPARE)
            signing_key = self._site.signing_key()
            transfer = tx.session.get(Transfer, transfer_id)
            if transfer is None or transfer.origin != ORIGIN_PREPARED:
                raise RefusalError(ErrorCode.TRANSFER_NOT_FOUND, transfer_id=str(transfer_id))
            if transfer.status is not TransferStatus.PREPARED:
                # A counted batch needs no slip: a second signed copy could be received again.
                raise RefusalError(
                    ErrorCode.SLIP_NOT_PRINTABLE,
                    slip_id=transfer.slip_id,
                    status=transfer.status.value,
                    line=transfer.to_line,
                )
            transfer.printed_count += 1
            tx.audit(slip_id=transfer.slip_id, copy=transfer.printed_count)
            tx.session.flush()
            view = transfer_view(transfer)
            issued_at = tx.now
            stub = has_sender_stub(tx.session)
        return slip_page(
            view, signing_key, issued_at=issued_at, sender_stub=stub, zone=self._paper_zone()
        )

    def _paper_zone(self) -> tzinfo | None:
        """The site's zone for times on paper (None: the computer's)."""
        return None if self._site_zone is None else self._site_zone.zone

    def transfers_of(self, actor: Actor, work_order_id: uuid.UUID) -> list[TransferView]:
        self._authorize(actor, Action.WORK_ORDER_VIEW)
        with self._uow.database.reader() as session:
            row = self._work_order(session, work_order_id)
            return self._transfers_of(session, row.number)

    # ================================================================== receiver
    def check_slip(self, actor: Actor, payload: str) -> SlipToReceive:
        """A scanned slip: verified offline and checked against this line, nothing written.

        A tampered, foreign or untrusted slip raises a P1 alert on this kiosk. `payload`
        may be a slip id alone where this kiosk knows the transfer from the server.
        """
        try:
            self._authorize(actor, Action.TRANSFER_RECEIVE)
            with self._uow.database.reader() as session:
                slip = self._slip_scanned(session, payload)
                self._check_receivable(session, actor, slip)
                sender = name_of(session, slip.prepared_by)
                first_count = session.scalar(
                    select(Transfer.first_counted_qty).where(Transfer.slip_id == slip.slip_id)
                )
        except RefusalError as refusal:
            audit_refused_slip(self._uow, self._line, actor, payload, refusal)
            raise
        return to_receive(slip, payload, sender, is_recount=first_count is not None)

    def check_slip_id(self, actor: Actor, slip_id: str) -> SlipToReceive:
        """The Code128 carries only the id: enough when this kiosk already knows the slip
        from the server (which had it from the sender's own kiosk)."""
        if not is_slip_id(slip_id):
            refusal = RefusalError(ErrorCode.SLIP_MALFORMED, field="slip_id")
            audit_refused_slip(self._uow, self._line, actor, slip_id, refusal)
            raise refusal
        return self.check_slip(actor, slip_id)

    def receive(self, actor: Actor, payload: str, counted: str) -> ReceiveOutcome:
        """The blind count: a match completes the handshake at once; a first mismatch asks
        for a recount (the count is kept on the transfer, nothing else changes, and a rescan
        of the slip goes on with the recount); a mismatch on the recount holds the batch."""
        with self._uow.action(actor.audit, Action.TRANSFER_RECEIVE.value) as tx:
            tx.about("transfer", None, counted=counted)
            self._authorize(actor, Action.TRANSFER_RECEIVE)
            slip = self._slip_scanned(tx.session, payload)
            tx.about("transfer", None, slip_id=slip.slip_id)
            line = self._check_receivable(tx.session, actor, slip)
            count = validate_count(parse_quantity(counted, "count"), self._policy)
            transfer = tx.session.scalar(select(Transfer).where(Transfer.slip_id == slip.slip_id))
            if transfer is None:
                transfer = transfer_from_slip(slip, tx, line)
                tx.session.add(transfer)
            tx.entity_id = str(transfer.id)
            first = transfer.first_counted_qty
            command = judge_count(transfer.quantity, count, first)
            if command is None:
                transfer.first_counted_qty = count
                transfer.first_counted_by = actor.employee_no
                tx.session.flush()
                tx.audit(outcome="recount", counted=count)
                return receive_outcome(transfer, count, accepted=False, needs_recount=True)
            matched = command is TransferCommand.ACCEPT
            count_transfer(
                transfer,
                command,
                count,
                actor.employee_no,
                tx.now,
                first_count=first,
                first_counted_by=transfer.first_counted_by,
            )
            set_occupancy(
                tx,
                line,
                Batch(slip.work_order_number, slip.article, slip.destination),
                transfer_id=transfer.id,
            )
            if not matched:
                alert_mismatch(tx, transfer, line)
            tx.session.flush()
            tx.audit(outcome="accepted" if matched else "held", counted=count, first_counted=first)
            tx.emit(
                TransferCounted(
                    kind=EventKind.TRANSFER_ACCEPTED if matched else EventKind.TRANSFER_HELD,
                    **snapshot_fields(transfer),
                    slip=payload,  # as scanned: the server checks it against the sender's key
                )
            )
            if matched:  # after the transfer's event: the server files the movement under it
                move_wip(tx, transfer, count)
            return receive_outcome(transfer, count, accepted=matched)

    # ================================================================== holds
    def line_holds(self) -> list[LineHoldSummary]:
        """Held batches on this line, shown at the kiosk to anyone (no quantities)."""
        with self._uow.database.reader() as session:
            rows = session.scalars(
                select(Transfer)
                .where(Transfer.to_line == self._line.code)
                .where(Transfer.status == TransferStatus.HELD)
                .order_by(Transfer.counted_at)
            ).all()
            return [
                LineHoldSummary(
                    row.id, row.slip_id, row.work_order_number, row.counted_at or row.prepared_at
                )
                for row in rows
            ]

    def holds(self, actor: Actor) -> list[HoldView]:
        """Held batches of the supervisor's department, sent and counted side by side."""
        authorize(actor, Action.HOLD_RELEASE)
        with self._uow.database.reader() as session:
            rows = session.scalars(
                select(Transfer)
                .where(Transfer.status == TransferStatus.HELD)
                .where(Transfer.to_department == actor.department)
                .order_by(Transfer.counted_at)
            ).all()
            return [hold_view(session, row) for row in rows]

    def release(self, approver: Actor, transfer_id: uuid.UUID, reason: str) -> TransferView:
        """Accept the counted quantity of a held batch; the variance stays on record."""
        return self._decide(approver, transfer_id, reason, TransferCommand.RELEASE)

    def reject(self, approver: Actor, transfer_id: uuid.UUID, reason: str) -> TransferView:
        """Send a held batch back: the line is free of it again."""
        return self._decide(approver, transfer_id, reason, TransferCommand.REJECT)

    # ================================================================== internals
    def _decide(
        self, approver: Actor, transfer_id: uuid.UUID, reason: str, command: TransferCommand
    ) -> TransferView:
        action = "transfer.release" if command is TransferCommand.RELEASE else "transfer.reject"
        with self._uow.action(approver.audit, action) as tx:
            tx.about("transfer", transfer_id, reason=reason)
            authorize(approver, Action.HOLD_RELEASE)
            transfer = tx.session.get(Transfer, transfer_id)
            if transfer is None:
                raise RefusalError(ErrorCode.TRANSFER_NOT_FOUND, transfer_id=str(transfer_id))
            authorize(
                approver,
                Action.HOLD_RELEASE,
                line_code=transfer.to_line,
                department=transfer.to_department,
            )
            refuse_own_work(
                approver.employee_no,
                transfer.prepared_by,
                transfer.counted_by,
                transfer.first_counted_by,
                action=Action.HOLD_RELEASE.value,
                slip_id=transfer.slip_id,
            )
            text = clean_reason(reason)
            decide_transfer(transfer, command, approver.employee_no, tx.now, text)
            line = line_row(tx.session, transfer.to_line)
            counted = transfer.counted_qty or 0
            if command is TransferCommand.REJECT and line is not None:
                occupancy = tx.session.get(LineOccupancy, line.id)
                if occupancy is not None and occupancy.transfer_id == transfer.id:
                    remaining = earlier_bundle_on_line(tx.session, transfer, occupancy)
                    if remaining is None:
                        set_occupancy(tx, line, None)
                    else:  # an earlier bundle of the same work order is still on the line
                        occupancy.transfer_id = remaining.id
            close_hold_alert(tx, transfer, approver)
            tx.audit(
                slip_id=transfer.slip_id,
                sent=transfer.quantity,
                counted=counted,
                first_counted=transfer.first_counted_qty,
                variance=counted - transfer.quantity,
            )
            tx.emit(
                TransferDecided(
                    kind=EventKind.TRANSFER_RELEASED
                    if command is TransferCommand.RELEASE
                    else EventKind.TRANSFER_REJECTED,
                    **snapshot_fields(transfer),
                    reason=text,
                    by=approver.employee_no,
                )
            )
            if command is TransferCommand.RELEASE and counted > 0:
                move_wip(tx, transfer, counted)
            tx.session.flush()
            return transfer_view(transfer)

    def _slip_scanned(self, session: Session, payload: str) -> Slip:
        return slip_scanned(
            session,
            payload,
            site_code=self._site.site_code,
            now=self._uow.clock.now(),
            max_age=self._slip_max_age,
        )

    def _check_receivable(self, session: Session, actor: Actor, slip: Slip) -> Line:
        """This line, this department, not yet received, not your own, and the line is clear."""
        line = line_row(session, self._line.code)
        assert line is not None
        if slip.to_line != self._line.code:
            target = line_row(session, slip.to_line)
            if target is None or target.department is not self._line.department:
                raise RefusalError(
                    ErrorCode.SLIP_OTHER_DEPARTMENT, line=slip.to_line, this_line=self._line.code
                )
            raise RefusalError(
                ErrorCode.SLIP_OTHER_LINE, line=slip.to_line, this_line=self._line.code
            )
        known = session.scalar(select(Transfer).where(Transfer.slip_id == slip.slip_id))
        if known is not None and known.status is not TransferStatus.PREPARED:
            raise RefusalError(
                ErrorCode.SLIP_ALREADY_RECEIVED,
                slip_id=slip.slip_id,
                status=known.status.value,
                by=known.counted_by or "",
                at=known.counted_at,
            )
        refuse_own_work(
            actor.employee_no,
            slip.prepared_by,
            action=Action.TRANSFER_RECEIVE.value,
            slip_id=slip.slip_id,
        )
        clearance = check_clearance(
            Batch(slip.work_order_number, slip.article, slip.destination),
            self._line.department,
            occupancy_of(session.get(LineOccupancy, line.id)),
            now=self._uow.clock.now(),
            stale_after=None,  # this kiosk is the line's own: what it knows is the truth
        )
        try:
            refuse_conflict(clearance, line.code)
        except RefusalError as refusal:
            refusal.fields["from_line"] = slip.from_line  # the alert names the sender
            raise
        return line

    def _new_transfer(
        self, tx: ActionTx, actor: Actor, row: WorkOrder, quantity: int, target: Line
    ) -> Transfer:
        transfer_id = new_id()
        event = TransferPrepared(
            transfer_id=transfer_id,
            slip_id=slip_id_for(transfer_id.bytes),
            site=self._site.site_code,
            work_order_number=row.number,
            mo_number=row.mo_number,
            article=row.article,
            destination=row.destination,
            quantity=quantity,
            from_line=self._line.code,
            to_line=target.code,
            from_department=row.department,
            to_department=target.department,
            prepared_by=actor.employee_no,
            prepared_at=tx.now.replace(microsecond=0),
        )
        # prepare hands back the first copy; a reprint is copy 2
        transfer = transfer_row(event, origin=ORIGIN_PREPARED, printed_count=1)
        tx.session.add(transfer)
        tx.entity = "transfer"
        tx.entity_id = str(transfer_id)
        return transfer

    def _work_order(self, session: Session, work_order_id: uuid.UUID) -> WorkOrder:
        row = session.get(WorkOrder, work_order_id)
        if row is None:
            raise RefusalError(ErrorCode.WORK_ORDER_NOT_FOUND, work_order_id=str(work_order_id))
        if row.line.code != self._line.code:
            raise RefusalError(
                ErrorCode.WORK_ORDER_OTHER_LINE,
                number=row.number,
                line=row.line.code,
                this_line=self._line.code,
            )
        return row

    def _transfers_of(self, session: Session, number: str) -> list[TransferView]:
        rows = session.scalars(
            select(Transfer)
            .where(Transfer.work_order_number == number)
            .order_by(Transfer.prepared_at.desc())
        ).all()
        return [transfer_view(row) for row in rows]

    def _authorize(self, actor: Actor, action: Action) -> None:
        authorize(actor, action, line_code=self._line.code, department=self._line.department)
