"""QT-09 transfer rows read and built for the handshake service: what is locked, what a
line holds, the receiver's record of a slip, and the views the screens get."""

from __future__ import annotations

from datetime import datetime, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.domain.documents import PrintDocument
from kiosk.domain.events import WipMoved
from kiosk.domain.ids import new_id
from kiosk.domain.roles import Department
from kiosk.domain.site_time import stamp_text
from kiosk.domain.slip import Slip, encode_slip
from kiosk.domain.slip_keys import SlipSigner
from kiosk.domain.transfer import (
    LOCKING_STATUSES,
    ORIGIN_PREPARED,
    ORIGIN_SLIP,
    WIP_STOCK,
    TransferStatus,
)
from kiosk.services.actor import Actor
from kiosk.services.alerts import P2, AlertKind, acknowledged, raise_alert
from kiosk.services.effects.alerts import acknowledge
from kiosk.services.effects.transfers import wip_movement
from kiosk.services.lines import line_row
from kiosk.services.transfer_views import HoldView, ReceiveOutcome, SlipToReceive, TransferView
from kiosk.store.models import Alert, Line, LineOccupancy, SiteSetting, Transfer, User
from kiosk.store.unit_of_work import ActionTx

_DEPARTMENT_PREFIXES = {
    "CUT": Department.CUT,
    "EMB": Department.EMBO,
    "SEW": Department.SEW,
    "FIN": Department.FIN,
    "PACK": Department.PACK,
    "PCK": Department.PACK,
}


def locked_pieces(session: Session, number: str) -> int:
    """Pieces of the work order already in a handoff prepared on this kiosk."""
    total = session.scalar(
        select(func.coalesce(func.sum(Transfer.quantity), 0))
        .where(Transfer.work_order_number == number)
        .where(Transfer.origin == ORIGIN_PREPARED)
        .where(Transfer.status.in_(LOCKING_STATUSES))
    )
    return int(total or 0)


def earlier_bundle_on_line(
    session: Session, transfer: Transfer, occupancy: LineOccupancy
) -> Transfer | None:
    """Another batch of the same work order taken onto the line since it was last clear."""
    query = (
        select(Transfer)
        .where(Transfer.id != transfer.id)
        .where(Transfer.to_line == transfer.to_line)
        .where(Transfer.work_order_number == transfer.work_order_number)
        .where(Transfer.status.in_((TransferStatus.ACCEPTED, TransferStatus.HELD)))
    )
    if occupancy.since is not None:
        query = query.where(Transfer.counted_at >= occupancy.since)
    return session.scalars(query.order_by(Transfer.counted_at.desc()).limit(1)).first()


def open_blocked_alert(session: Session, line_code: str, work_order: object) -> bool:
    """Whether the line's supervisor already has an open alert for this same blockage."""
    alerts = session.scalars(
        select(Alert)
        .where(Alert.kind == AlertKind.LINE_BLOCKED.value)
        .where(Alert.acknowledged_at.is_(None))
    ).all()
    return any(
        alert.fields.get("line") == line_code and alert.fields.get("work_order") == work_order
        for alert in alerts
    )


def transfer_from_slip(slip: Slip, tx: ActionTx, line: Line) -> Transfer:
    """The receiver's record of a transfer it learned of from the paper alone."""
    from_department = _department_of_line(tx.session, slip.from_line)
    return Transfer(
        id=slip.transfer_id,  # the sender's id: the server files both sides under it
        slip_id=slip.slip_id,
        site_code=slip.site_code,
        work_order_number=slip.work_order_number,
        mo_number=slip.mo_number,
        article=slip.article,
        destination=slip.destination,
        quantity=slip.quantity,
        from_line=slip.from_line,
        to_line=slip.to_line,
        from_department=from_department,
        to_department=line.department,
        prepared_by=slip.prepared_by,
        prepared_at=slip.prepared_at,
        status=TransferStatus.PREPARED,
        origin=ORIGIN_SLIP,
        printed_count=0,
        version=1,
    )


def _department_of_line(session: Session, code: str) -> Department:
    line = line_row(session, code)
    if line is not None:
        return line.department
    # A line this kiosk has not heard of: its code starts with its department's short name.
    prefix = code.split("-", 1)[0]
    return _DEPARTMENT_PREFIXES.get(prefix, Department.CUT)


def slip_of(transfer: Transfer | TransferView) -> Slip:
    return Slip(
        site_code=transfer.site_code,
        transfer_id=transfer.id,
        work_order_number=transfer.work_order_number,
        mo_number=transfer.mo_number,
        article=transfer.article,
        quantity=transfer.quantity,
        from_line=transfer.from_line,
        to_line=transfer.to_line,
        destination=transfer.destination,
        prepared_by=transfer.prepared_by,
        prepared_at=transfer.prepared_at,
    )


def to_receive(slip: Slip, payload: str, sender: str, *, is_recount: bool) -> SlipToReceive:
    return SlipToReceive(
        payload=payload,
        slip_id=slip.slip_id,
        work_order_number=slip.work_order_number,
        mo_number=slip.mo_number,
        article=slip.article,
        destination=slip.destination,
        from_line=slip.from_line,
        to_line=slip.to_line,
        prepared_by=slip.prepared_by,
        prepared_at=slip.prepared_at,
        prepared_by_name=sender,
        is_recount=is_recount,
    )


def hold_view(session: Session, row: Transfer) -> HoldView:
    return HoldView(
        transfer_id=row.id,
        slip_id=row.slip_id,
        work_order_number=row.work_order_number,
        article=row.article,
        destination=row.destination,
        from_line=row.from_line,
        to_line=row.to_line,
        sent=row.quantity,
        counted=row.counted_qty or 0,
        prepared_by=name_of(session, row.prepared_by),
        counted_by=name_of(session, row.counted_by or ""),
        held_at=row.counted_at or row.prepared_at,
        first_counted=row.first_counted_qty,
        first_counted_by=name_of(session, row.first_counted_by or ""),
    )


def name_of(session: Session, employee_no: str) -> str:
    name = session.scalar(select(User.name).where(User.employee_no == employee_no))
    return f"{name} ({employee_no})" if name else employee_no


def transfer_view(row: Transfer) -> TransferView:
    return TransferView(
        id=row.id,
        slip_id=row.slip_id,
        site_code=row.site_code,
        work_order_number=row.work_order_number,
        mo_number=row.mo_number,
        article=row.article,
        destination=row.destination,
        quantity=row.quantity,
        from_line=row.from_line,
        to_line=row.to_line,
        status=row.status,
        prepared_by=row.prepared_by,
        prepared_at=row.prepared_at,
        counted_qty=row.counted_qty,
        counted_by=row.counted_by,
        counted_at=row.counted_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        decision_reason=row.decision_reason,
        accepted_qty=row.accepted_qty,
        printed_count=row.printed_count,
    )


def move_wip(tx: ActionTx, transfer: Transfer, quantity: int) -> None:
    """Move an accepted handoff's pieces to the next WIP stock, with its event."""
    event = WipMoved(
        movement_id=new_id(),
        transfer_id=transfer.id,
        slip_id=transfer.slip_id,
        work_order_number=transfer.work_order_number,
        mo_number=transfer.mo_number,
        article=transfer.article,
        from_stock=WIP_STOCK[transfer.from_department],
        to_stock=WIP_STOCK[transfer.to_department],
        quantity=quantity,
        at=tx.now,
    )
    tx.session.add(wip_movement(transfer, event))
    tx.emit(event)


def alert_mismatch(tx: ActionTx, transfer: Transfer, line: Line) -> None:
    """The receiving department's supervisor is told of a held batch, with every count."""
    raise_alert(
        tx,
        priority=P2,
        kind=AlertKind.QUANTITY_MISMATCH,
        department=line.department,
        line_id=line.id,
        fields={
            "transfer_id": str(transfer.id),
            "slip_id": transfer.slip_id,
            "work_order": transfer.work_order_number,
            "from_line": transfer.from_line,
            "line": line.code,
            "sent": transfer.quantity,
            "counted": transfer.counted_qty,
            "first_counted": transfer.first_counted_qty,
        },
    )


def receive_outcome(
    transfer: Transfer, counted: int, *, accepted: bool, needs_recount: bool = False
) -> ReceiveOutcome:
    """What the receiver is told of their count (never how many were sent)."""
    return ReceiveOutcome(
        accepted=accepted,
        slip_id=transfer.slip_id,
        work_order_number=transfer.work_order_number,
        counted=counted,
        transfer_id=transfer.id,
        needs_recount=needs_recount,
        first_counted=None if needs_recount else transfer.first_counted_qty,
    )


def close_hold_alert(tx: ActionTx, transfer: Transfer, approver: Actor) -> None:
    """The mismatch alert of a decided hold is acknowledged by the one who decided."""
    alerts = tx.session.scalars(
        select(Alert)
        .where(Alert.kind == AlertKind.QUANTITY_MISMATCH.value)
        .where(Alert.acknowledged_at.is_(None))
    ).all()
    for alert in alerts:
        if alert.fields.get("transfer_id") == str(transfer.id):
            acknowledge(alert, by=approver.user_id, at=tx.now)
            tx.emit(acknowledged(alert, tx))


# The site setting that adds the sender's stub to every slip ("on"; off when absent).
SENDER_STUB_SETTING = "slip_sender_stub"


def has_sender_stub(session: Session) -> bool:
    row = session.get(SiteSetting, SENDER_STUB_SETTING)
    return row is not None and row.value.strip().lower() in ("1", "on", "true", "yes")


def slip_page(
    view: TransferView,
    signer: SlipSigner,
    *,
    issued_at: datetime,
    sender_stub: bool = False,
    zone: tzinfo | None = None,
) -> PrintDocument:
    """The printed slip: the text a person reads and the QR code the receiver scans, signed
    with this kiosk's own key and stamped with the time it was printed. Times on the paper
    are in the site's `zone` (None: the computer's).

    The quantity is in the signed code only, never in words: the receiver counts blind.
    Where the site wants it (`sender_stub`), a strip the sender tears off and keeps says
    how many were sent.
    """
    payload = encode_slip(slip_of(view), signer, issued_at)
    return PrintDocument(
        kind="slip",
        document_id=view.slip_id,
        title="QT-09 transfer slip",
        rows=(
            ("Work order", view.work_order_number),
            ("MO", view.mo_number),
            ("Article", view.article),
            ("From", view.from_line),
            ("To", view.to_line),
            ("Destination", view.destination),
            ("Prepared", f"{view.prepared_by} {stamp_text(view.prepared_at, zone)}"),
        ),
        qr_payload=payload,
        footer="The quantity is only in the code. Receiver: scan it, then count every piece.",
        stub_title="Sender's stub: tear off and keep" if sender_stub else "",
        stub_rows=(
            (
                ("Slip", view.slip_id),
                ("Sent", f"{view.quantity} × {view.work_order_number} → {view.to_line}"),
            )
            if sender_stub
            else ()
        ),
    )
