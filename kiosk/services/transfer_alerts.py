"""What a refused slip and a blocked receiving line leave behind: an audit entry, an alert.

A forged or foreign slip is a P1 alert on the scanning kiosk; a known conflict on a
receiving line is one P2 alert for that line's supervisor, however often it is rescanned.
"""

from __future__ import annotations

from kiosk.domain.errors import ErrorCode, RefusalError
from kiosk.services.actor import Actor
from kiosk.services.alerts import P1, P2, AlertKind, raise_alert
from kiosk.services.lines import line_row
from kiosk.services.slip_keys import UNTRUSTED_SLIP
from kiosk.services.transfer_rows import open_blocked_alert
from kiosk.services.views import LineView
from kiosk.store.unit_of_work import UnitOfWork

SLIP_CHECK_ACTION = "transfer.scan_slip"


def audit_refused_slip(
    uow: UnitOfWork, this_line: LineView, actor: Actor, scanned: str, refusal: RefusalError
) -> None:
    """Audit a refused slip; a forged or foreign one is a P1 alert on this kiosk."""
    attempted = {"slip": scanned[:60], "line": this_line.code}
    if refusal.code in UNTRUSTED_SLIP:
        with uow.action(actor.audit, SLIP_CHECK_ACTION) as tx:
            tx.about("slip", None, **attempted)
            line = line_row(tx.session, this_line.code)
            raise_alert(
                tx,
                priority=P1,
                kind=AlertKind.SLIP_REFUSED,
                department=this_line.department,
                line_id=None if line is None else line.id,
                subject_user_id=actor.user_id,
                fields={
                    "line": this_line.code,
                    "why": refusal.code.value,
                    "scanned_by": actor.name,
                    "slip": scanned[:40],
                },
            )
            tx.audit(outcome=f"refused:{refusal.code.value}")
        return
    if refusal.code in (ErrorCode.LINE_OCCUPIED, ErrorCode.LINE_SEGREGATION):
        alert_line_blocked(uow, this_line, actor, refusal)
    uow.record_refusal(
        actor.audit,
        SLIP_CHECK_ACTION,
        refusal,
        entity="slip",
        entity_id=None,
        attempted=attempted,
    )


def alert_line_blocked(
    uow: UnitOfWork, this_line: LineView, actor: Actor, refusal: RefusalError
) -> None:
    """A known conflict on a receiving line: its department's supervisor must clear it."""
    line_code = str(refusal.fields.get("line", ""))
    held = refusal.fields.get("work_order")
    with uow.action(actor.audit, "line.blocked") as tx:
        tx.about("line", line_code)
        line = line_row(tx.session, line_code)
        if open_blocked_alert(tx.session, line_code, held):
            # Rescanning the same slip at a blocked line is one problem, not ten alerts.
            tx.audit(outcome="already_alerted")
            return
        raise_alert(
            tx,
            priority=P2,
            kind=AlertKind.LINE_BLOCKED,
            department=None if line is None else line.department,
            line_id=None if line is None else line.id,
            fields={
                "line": line_code,
                "work_order": held,
                "destination": refusal.fields.get("destination"),
                "from_line": refusal.fields.get("from_line", this_line.code),
                "segregation": refusal.code is ErrorCode.LINE_SEGREGATION,
            },
        )
        tx.audit(outcome="alerted")
