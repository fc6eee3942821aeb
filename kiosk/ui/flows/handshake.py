"""The QT-09 handshake on the kiosk: hand over, receive from a slip, decide a held batch.

A supervisor can decide a hold on an operator's kiosk with a badge tap and a PIN: the
operator stays logged in, the supervisor's identity is used for that one decision.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any, ClassVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from kiosk.domain.errors import ErrorCode, KnownError
from kiosk.domain.scan import PayloadKind, ScanPayload
from kiosk.domain.slip import PREFIX as SLIP_PREFIX
from kiosk.services.actor import Actor
from kiosk.services.transfer_views import (
    HandoffOptions,
    HoldView,
    PreparedTransfer,
    ReceiveOutcome,
    SlipToReceive,
    TransferView,
)
from kiosk.services.views import RosterEntry
from kiosk.ui.flows.base import BaseFlow, ScanClaims
from kiosk.ui.host import Host
from kiosk.ui.labels import department_label
from kiosk.ui.messages import describe
from kiosk.ui.scan_context import ScanContext
from kiosk.ui.screens.handoff import HandoffScreen, ReceiveScreen
from kiosk.ui.screens.hold_decision import HoldDecisionScreen
from kiosk.ui.screens.pin_entry import PinEntryScreen
from kiosk.ui.widgets.banner import SUCCESS, WARNING

log = logging.getLogger(__name__)

# Refusals that are P1 alerts: shown on this kiosk until someone taps OK.
_P1_REFUSALS = frozenset({ErrorCode.SLIP_SIGNATURE_INVALID, ErrorCode.SLIP_OTHER_SITE})
# Screens on which a scanned transfer slip opens the count (the role may still refuse it).
SLIP_CONTEXTS = frozenset(
    {
        ScanContext.HOME,
        ScanContext.WORK_ORDER,
        ScanContext.SUPERVISOR,
        ScanContext.RECEIVED,
        ScanContext.HANDOFF,
    }
)


class ApproverPinScreen(PinEntryScreen):
    """A supervisor's PIN, typed on someone else's session."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.approver: RosterEntry | None = None

    def ask(self, approver: RosterEntry) -> None:
        self.approver = approver
        self.banner.clear()
        self.entry.clear()
        self.entry.set_title(
            self.tr("{name}: type your PIN to decide the held batch").format(name=approver.name)
        )


class HandshakeFlow(BaseFlow):
    scan_claims: ClassVar[ScanClaims] = {PayloadKind.SLIP: SLIP_CONTEXTS}

    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(host, parent)
        times = host.times
        self.handoff_screen = HandoffScreen(times, host.stack, now=self._now)
        self.receive_screen = ReceiveScreen(times, host.stack)
        self.hold_screen = HoldDecisionScreen(times, host.stack)
        self.approver_pin_screen = ApproverPinScreen(host.stack)
        for screen in self.screens:
            host.stack.addWidget(screen)
        self._approver: Actor | None = None
        self._return_to: QWidget | None = None
        self._pending_holds: list[HoldView] = []
        self.handoff_screen.prepare_requested.connect(self._on_prepare)
        self.handoff_screen.reprint_requested.connect(self._on_reprint)
        self.handoff_screen.back_requested.connect(self._back_to_work_order)
        self.receive_screen.count_submitted.connect(self._on_count)
        self.receive_screen.cancelled.connect(self._leave)
        self.receive_screen.finished.connect(self._leave)
        self.approver_pin_screen.entry.submitted.connect(self._on_approver_pin)
        self.approver_pin_screen.entry.back_requested.connect(self._end_approval)
        self.hold_screen.release_requested.connect(lambda t, r: self._decide(t, r, release=True))
        self.hold_screen.reject_requested.connect(lambda t, r: self._decide(t, r, release=False))
        self.hold_screen.cancelled.connect(self._end_approval)

    @property
    def screens(self) -> tuple[QWidget, ...]:
        return (
            self.handoff_screen,
            self.receive_screen,
            self.hold_screen,
            self.approver_pin_screen,
        )

    def context_for(self, widget: QWidget) -> ScanContext | None:
        if widget is self.receive_screen:
            counting = self.receive_screen.is_counting()
            return ScanContext.COUNT if counting else ScanContext.RECEIVED
        if widget is self.handoff_screen:
            return ScanContext.HANDOFF
        if widget is self.hold_screen or widget is self.approver_pin_screen:
            return ScanContext.APPROVAL
        return None

    def handle_scan(self, payload: ScanPayload, context: ScanContext) -> None:
        self.handle_slip(payload.value)

    def session_ended(self) -> None:
        self.forget_approver()

    def _now(self) -> datetime:
        return self.host.services.clock.now()

    # ================================================================== sender
    def open_handoff(self, work_order_id: uuid.UUID) -> None:
        actor = self.host.require_actor()

        def shown(options: HandoffOptions) -> None:
            self.handoff_screen.banner.clear()
            self.handoff_screen.show_options(options)
            self.host.stack.setCurrentWidget(self.handoff_screen)

        self.host.call(
            lambda: self.host.services.transfers.handoff_options(actor, work_order_id), shown
        )

    def _on_prepare(self, quantity: str, line_code: str) -> None:
        actor = self.host.require_actor()
        options = self.handoff_screen.options
        if options is None:
            return
        work_order_id = options.work_order.id
        transfers = self.host.services.transfers

        def job() -> tuple[PreparedTransfer, HandoffOptions]:
            prepared = transfers.prepare(actor, work_order_id, quantity, line_code)
            return prepared, transfers.handoff_options(actor, work_order_id)

        def done(result: tuple[PreparedTransfer, HandoffOptions]) -> None:
            prepared, refreshed = result
            self.host.sounds.success()
            self.handoff_screen.show_options(refreshed)
            self.host.print_document(prepared.document, copy=1)
            transfer = prepared.transfer
            text = self.tr("{qty} pieces locked for {line}. Slip {slip} is printing.").format(
                qty=transfer.quantity, line=transfer.to_line, slip=transfer.slip_id
            )
            if prepared.verdict.value == "unknown":
                self.handoff_screen.banner.show_message(
                    WARNING,
                    text,
                    self.tr(
                        "This kiosk does not know for sure that {line} is clear: "
                        "its own kiosk checks when the slip is scanned."
                    ).format(line=transfer.to_line),
                )
            else:
                self.handoff_screen.banner.show_message(SUCCESS, text)
            self.host.refresh_line_status()

        def refused(error: KnownError) -> None:
            self.host.sounds.error()
            self.host.show_refusal(error, self.handoff_screen.banner)

        self.host.call(job, done, on_refused=refused, busy=self.handoff_screen)

    def _on_reprint(self, transfer_id: uuid.UUID) -> None:
        actor = self.host.require_actor()

        def done(result: Any) -> None:
            document, copy = result
            self.host.print_document(document, copy=copy)
            self.handoff_screen.banner.show_message(
                SUCCESS,
                self.tr("Slip {slip} is printing again (copy {copy}).").format(
                    slip=document.document_id, copy=copy
                ),
            )

        def job() -> tuple[Any, int]:
            transfers = self.host.services.transfers
            document = transfers.slip_document(actor, transfer_id, reprint=True)
            copies = {view.id: view.printed_count for view in self._history_of(actor)}
            return document, copies.get(transfer_id, 2)

        def refused(error: KnownError) -> None:
            # The service refuses a slip for a batch no longer waiting (received, held):
            # say so, and show where the handoffs stand now.
            self.host.sounds.error()
            self.host.show_refusal(error, self.handoff_screen.banner)
            self.refresh_history()

        self.host.call(job, done, on_refused=refused)

    def refresh_history(self) -> None:
        """The handoffs on screen again (sync brought the receiver's count back)."""
        if self.host.current_screen() is not self.handoff_screen:
            return
        actor = self.host.actor
        if actor is None or self.handoff_screen.options is None:
            return
        self.host.call(lambda: self._history_of(actor), self.handoff_screen.show_history)

    def _history_of(self, actor: Actor) -> list[TransferView]:
        options = self.handoff_screen.options
        if options is None:
            return []
        return self.host.services.transfers.transfers_of(actor, options.work_order.id)

    def _back_to_work_order(self) -> None:
        options = self.handoff_screen.options
        if options is None:
            self.host.show_home()
            return
        self.host.open_work_order(options.work_order.id)

    # ================================================================== receiver
    def handle_slip(self, text: str) -> None:
        """A scanned slip: its QR payload, or the Code128 id of a slip this kiosk knows."""
        actor = self.host.require_actor()
        banner = self.host.current_banner()
        transfers = self.host.services.transfers
        self._return_to = self.host.current_screen()

        def job() -> SlipToReceive:
            if text.startswith(SLIP_PREFIX):
                return transfers.check_slip(actor, text)
            return transfers.check_slip_id(actor, text)

        def shown(slip: SlipToReceive) -> None:
            self.host.sounds.success()
            self.receive_screen.show_slip(slip)
            self.host.stack.setCurrentWidget(self.receive_screen)

        def refused(error: KnownError) -> None:
            self.host.sounds.error()
            if error.code in _P1_REFUSALS:
                self._show_p1(error)
            self.host.show_refusal(error, banner)

        self.host.call(job, shown, on_refused=refused)

    def _on_count(self, counted: str) -> None:
        actor = self.host.require_actor()
        slip = self.receive_screen.slip
        if slip is None:
            return
        department = department_label(self.host.services.line.department)

        def done(outcome: ReceiveOutcome) -> None:
            if outcome.accepted:
                self.host.sounds.success()
            else:
                self.host.sounds.error()
            if outcome.needs_recount:
                self.receive_screen.show_recount()
                return
            self.receive_screen.show_outcome(outcome, department)
            self.host.refresh_line_status()

        def refused(error: KnownError) -> None:
            self.host.sounds.error()
            self.receive_screen.entry.clear()
            self.host.show_refusal(error, self.receive_screen.banner)

        self.host.call(
            lambda: self.host.services.transfers.receive(actor, slip.payload, counted),
            done,
            on_refused=refused,
            busy=self.receive_screen.entry,
        )

    def _leave(self) -> None:
        target = self._return_to
        self._return_to = None
        self.host.reopen(target)

    def _show_p1(self, error: KnownError) -> None:
        message = describe(error, self.host.times)
        self.host.overlay.ask(
            self.tr("P1 alert: {text}").format(text=message.text),
            message.hint,
            [("ok", self.tr("OK"), "primary")],
            lambda _choice: None,
        )

    # ================================================================== holds
    def wants_approval(self, owner: RosterEntry) -> bool:
        """A supervisor's badge on an operator's session, with a batch held on this line."""
        actor = self.host.actor
        return (
            actor is not None
            and actor.user_id != owner.user_id
            and owner.role.value == "SUPERVISOR"
            and actor.role.value != "SUPERVISOR"
            and bool(self.host.line_holds)
        )

    def start_approval(self, owner: RosterEntry) -> None:
        """Ask the supervisor's PIN without touching the logged-in operator's session."""
        self._return_to = self.host.current_screen()
        self.approver_pin_screen.ask(owner)
        self.host.stack.setCurrentWidget(self.approver_pin_screen)

    def _on_approver_pin(self, pin: str) -> None:
        owner = self.approver_pin_screen.approver
        if owner is None:
            return
        auth = self.host.services.auth
        transfers = self.host.services.transfers
        line_code = self.host.services.line.code

        def job() -> tuple[Actor, list[HoldView]]:
            approver = auth.authenticate_approver(owner.user_id, pin)
            holds = [h for h in transfers.holds(approver) if h.to_line == line_code]
            return approver, holds

        def done(result: tuple[Actor, list[HoldView]]) -> None:
            approver, holds = result
            self._approver = approver
            self._pending_holds = holds
            self._next_hold()

        def refused(error: KnownError) -> None:
            self.host.sounds.error()
            self.approver_pin_screen.entry.clear()
            self.host.show_refusal(error, self.approver_pin_screen.banner)

        self.host.call(job, done, on_refused=refused, busy=self.approver_pin_screen)

    def open_hold(self, hold: HoldView) -> None:
        """From the supervisor's own screen: the logged-in supervisor decides."""
        actor = self.host.require_actor()
        self._return_to = self.host.current_screen()  # the supervisor's board
        self._approver = actor
        self._pending_holds = [hold]
        self._next_hold()

    def _next_hold(self) -> None:
        approver = self._approver
        if approver is None or not self._pending_holds:
            self._end_approval()
            return
        self.hold_screen.show_hold(self._pending_holds[0], approver.name)
        self.host.stack.setCurrentWidget(self.hold_screen)

    def _decide(self, transfer_id: uuid.UUID, reason: str, *, release: bool) -> None:
        approver = self._approver
        if approver is None:
            return
        transfers = self.host.services.transfers
        call = transfers.release if release else transfers.reject

        def done(view: TransferView) -> None:
            self.host.sounds.success()
            self._pending_holds = [h for h in self._pending_holds if h.transfer_id != transfer_id]
            text = (
                self.tr("{number}: {n} pieces accepted by {name}.")
                if release
                else self.tr("{number}: the batch goes back, decided by {name}.")
            ).format(number=view.work_order_number, n=view.accepted_qty or 0, name=approver.name)
            self.host.refresh_line_status()
            if self._pending_holds:
                self._next_hold()
                self.hold_screen.banner.show_message(SUCCESS, text)
                return
            self._end_approval()
            self.host.current_banner().show_message(SUCCESS, text)

        def refused(error: KnownError) -> None:
            self.host.sounds.error()
            self.host.show_refusal(error, self.hold_screen.banner)

        self.host.call(
            lambda: call(approver, transfer_id, reason),
            done,
            on_refused=refused,
            busy=self.hold_screen,
        )

    def refresh_hold(self) -> None:
        """A sync round may have brought another kiosk's decision on the hold on screen:
        it goes, with a word why, before anyone decides it a second time."""
        approver = self._approver
        if (
            approver is None
            or not self._pending_holds
            or self.host.current_screen() is not self.hold_screen
        ):
            return
        shown = self._pending_holds[0]
        transfers = self.host.services.transfers

        def checked(still_held: set[uuid.UUID]) -> None:
            if (
                shown.transfer_id in still_held
                or self.host.current_screen() is not self.hold_screen
            ):
                return
            self._pending_holds = [h for h in self._pending_holds if h.transfer_id in still_held]
            text = self.tr("{number} was decided on another kiosk meanwhile.").format(
                number=shown.work_order_number
            )
            hint = self.tr("Nothing was changed here. The header shows what the line holds now.")
            if self._pending_holds:
                self._next_hold()
                self.hold_screen.banner.show_message(WARNING, text, hint)
                return
            self._end_approval()
            self.host.current_banner().show_message(WARNING, text, hint)

        self.host.call(lambda: {h.transfer_id for h in transfers.holds(approver)}, checked)

    def forget_approver(self) -> None:
        """An approver's identity lasts for one decision, and never past a logout."""
        self._approver = None
        self._pending_holds = []
        self.approver_pin_screen.approver = None
        self.approver_pin_screen.entry.clear()

    def _end_approval(self) -> None:
        """Forget the approver and go back to where the session was."""
        self.forget_approver()
        if self.host.actor is None:
            return
        self._leave()
