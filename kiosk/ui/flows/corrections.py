"""Correcting or voiding a recorded entry: numbers, reason, and a supervisor when one is due.

The person who recorded an entry corrects it alone within the window; otherwise the
screen waits for a supervisor's badge (the session flow hands it here, see
`ApprovalRouter`), then their PIN, and the service checks it all again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from kiosk.domain.errors import ErrorCode, KnownError
from kiosk.domain.reasons import CorrectionReason
from kiosk.domain.roles import Role
from kiosk.services.actor import Actor
from kiosk.services.views import CorrectionDone, EntryView, RosterEntry, WorkOrderView
from kiosk.ui.flows.base import BaseFlow
from kiosk.ui.flows.session import ApprovalTaker
from kiosk.ui.host import Host
from kiosk.ui.labels import correction_reason_label, department_label
from kiosk.ui.scan_context import ScanContext
from kiosk.ui.screens.corrections import CorrectionPinScreen, CorrectionScreen
from kiosk.ui.widgets.banner import SUCCESS

# Refusals the supervisor can put right on the PIN page itself.
_TRY_AGAIN = frozenset({ErrorCode.WRONG_PIN, ErrorCode.PIN_FORMAT})


class ApprovalRouter:
    """A supervisor's badge on someone else's session goes to the first flow waiting for it."""

    def __init__(self, *takers: ApprovalTaker) -> None:
        self._takers = takers

    def wants_approval(self, owner: RosterEntry) -> bool:
        return any(taker.wants_approval(owner) for taker in self._takers)

    def start_approval(self, owner: RosterEntry) -> None:
        for taker in self._takers:
            if taker.wants_approval(owner):
                taker.start_approval(owner)
                return


class CorrectionFlow(BaseFlow):
    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(host, parent)
        self.screen = CorrectionScreen(host.times, host.stack)
        self.pin_screen = CorrectionPinScreen(host.stack)
        host.stack.addWidget(self.screen)
        host.stack.addWidget(self.pin_screen)
        self._work_order: WorkOrderView | None = None
        self._entry: EntryView | None = None
        self._is_void = False
        self._typed: tuple[str, str, str | None] | None = None
        self._reason: str | None = None
        self.screen.correct_requested.connect(self._on_correct_requested)
        self.screen.void_requested.connect(self._on_void_requested)
        self.screen.values_submitted.connect(self._on_values_submitted)
        self.screen.reason_chosen.connect(self._on_reason_chosen)
        self.screen.cancelled.connect(self._back_to_entries)
        self.screen.back_requested.connect(self._leave)
        self.pin_screen.entry.submitted.connect(self._on_pin)
        self.pin_screen.entry.back_requested.connect(self._on_pin_back)

    def context_for(self, widget: QWidget) -> ScanContext | None:
        if widget is self.pin_screen or (
            widget is self.screen and self.screen.is_waiting_for_approval()
        ):
            return ScanContext.APPROVAL
        if widget is self.screen:
            return ScanContext.OTHER
        return None

    def session_ended(self) -> None:
        self._forget()
        self.screen.banner.clear()

    # ------------------------------------------------------------------ the list
    def open(self, work_order: WorkOrderView) -> None:
        """The work order's recent entries, with what the logged-in person may do."""
        host = self.host
        actor = host.require_actor()
        self._work_order = work_order
        self._forget()

        def shown(result: tuple[WorkOrderView, list[EntryView]]) -> None:
            view, entries = result
            self._work_order = view
            self.screen.show_entries(view, entries)
            host.stack.setCurrentWidget(self.screen)

        def job() -> tuple[WorkOrderView, list[EntryView]]:
            view = host.services.work_orders.get(actor, work_order.id)
            return view, host.services.corrections.recent_entries(actor, work_order.id)

        host.call(job, shown)

    def _on_correct_requested(self, entry_id: uuid.UUID) -> None:
        entry = self.screen.entry(entry_id)
        if entry is None:
            return
        self._entry, self._is_void, self._typed = entry, False, None
        self.screen.show_edit(entry)

    def _on_void_requested(self, entry_id: uuid.UUID) -> None:
        entry = self.screen.entry(entry_id)
        if entry is None:
            return
        self.screen.banner.clear()
        self._entry, self._is_void, self._typed = entry, True, None
        self.screen.show_reasons(
            entry,
            self.tr("Why void {good} good and {reject} reject recorded by {name}?").format(
                good=entry.good, reject=entry.reject, name=entry.recorded_by
            ),
        )

    def _on_values_submitted(self, good: str, reject: str, reject_reason: object) -> None:
        entry = self._entry
        if entry is None:
            return
        reason = reject_reason if isinstance(reject_reason, str) else None
        self._typed = (good, reject, reason)
        self.screen.show_reasons(
            entry,
            self.tr("Why correct it from {old_good} good, {old_reject} reject?").format(
                old_good=entry.good, old_reject=entry.reject
            ),
        )

    def _on_reason_chosen(self, reason: str) -> None:
        entry = self._entry
        if entry is None:
            return
        self._reason = reason
        if entry.corrects_alone:
            self._submit(None)
        else:
            self._ask_for_supervisor()

    def _ask_for_supervisor(self) -> None:
        entry = self._entry
        if entry is None:
            return
        what = self._what(entry)
        self.screen.show_approval(department_label(self.host.services.line.department), what)

    def _what(self, entry: EntryView) -> str:
        reason = correction_reason_label(CorrectionReason(self._reason or "OTHER"))
        if self._is_void or self._typed is None:
            return self.tr("Void {good} good, {reject} reject by {name}. Reason: {reason}.").format(
                good=entry.good, reject=entry.reject, name=entry.recorded_by, reason=reason
            )
        return self.tr(
            "Correct {name}'s entry to {good} good, {reject} reject. Reason: {reason}."
        ).format(
            name=entry.recorded_by,
            good=self._typed[0] or "0",
            reject=self._typed[1] or "0",
            reason=reason,
        )

    # ------------------------------------------------------------------ approval
    def wants_approval(self, owner: RosterEntry) -> bool:
        """A supervisor's badge while this screen waits for one."""
        return (
            self.host.current_screen() is self.screen
            and self.screen.is_waiting_for_approval()
            and owner.role is Role.SUPERVISOR
        )

    def start_approval(self, owner: RosterEntry) -> None:
        self.pin_screen.ask(owner.user_id, owner.name)
        self.host.stack.setCurrentWidget(self.pin_screen)

    def _on_pin(self, pin: str) -> None:
        approver_id = self.pin_screen.approver_id
        if approver_id is None or not pin:
            return
        auth = self.host.services.auth

        def refused(error: KnownError) -> None:
            self.host.sounds.error()
            if error.code in _TRY_AGAIN:
                self.pin_screen.entry.clear()
                self.host.show_refusal(error, self.pin_screen.banner)
                return
            self._forget()  # refused for good: the correction starts again from the list
            self.host.stack.setCurrentWidget(self.screen)
            self.screen.show_list()
            self.host.show_refusal(error, self.screen.banner)

        self._submit(
            lambda: auth.authenticate_approver(approver_id, pin),
            busy=self.pin_screen,
            on_refused=refused,
        )

    def _on_pin_back(self) -> None:
        self.pin_screen.entry.clear()
        self.host.stack.setCurrentWidget(self.screen)

    # ------------------------------------------------------------------ submit
    def _submit(
        self,
        approve: Callable[[], Actor] | None,
        *,
        busy: QWidget | None = None,
        on_refused: Callable[[KnownError], None] | None = None,
    ) -> None:
        """Run the correction (after the approver's PIN is checked, when one is given)."""
        host = self.host
        actor = host.require_actor()
        entry, reason, typed, is_void = self._entry, self._reason or "", self._typed, self._is_void
        if entry is None:
            return
        service = host.services.corrections

        def job() -> CorrectionDone:
            approver = None if approve is None else approve()
            if is_void or typed is None:
                return service.void(actor, entry.entry_id, reason=reason, approver=approver)
            return service.correct(
                actor,
                entry.entry_id,
                good=typed[0],
                reject=typed[1],
                reject_reason=typed[2],
                reason=reason,
                approver=approver,
            )

        def done(result: CorrectionDone) -> None:
            host.sounds.success()
            self._forget()
            self.open(result.work_order)
            self.screen.banner.show_message(SUCCESS, self._done_text(result, entry))

        def refused(error: KnownError) -> None:
            if error.code is ErrorCode.CORRECTION_NEEDS_APPROVAL:
                self._ask_for_supervisor()  # the window closed while typing
                host.show_refusal(error, self.screen.banner)
                return
            host.sounds.error()
            self._forget()
            self.screen.show_list()
            host.show_refusal(error, self.screen.banner)

        host.call(job, done, on_refused=on_refused or refused, busy=busy or self.screen.pages)

    def _done_text(self, result: CorrectionDone, before: EntryView) -> str:
        entry = result.entry
        text = (
            self.tr("Entry voided: its {good} good and {reject} reject no longer count.").format(
                good=before.good, reject=before.reject
            )
            if entry.is_void
            else self.tr("Entry corrected to {good} good, {reject} reject.").format(
                good=entry.good, reject=entry.reject
            )
        )
        if result.approved_by:
            text += " " + self.tr("Approved by {name}.").format(name=result.approved_by)
        return text

    # ------------------------------------------------------------------ leaving
    def _back_to_entries(self) -> None:
        self.screen.banner.clear()
        self._forget()
        self.screen.show_list()

    def _leave(self) -> None:
        work_order = self._work_order
        self._forget()
        if work_order is not None:
            self.host.open_work_order(work_order.id)
        else:
            self.host.show_home()

    def _forget(self) -> None:
        self._entry, self._typed, self._reason, self._is_void = None, None, None, False
        self.pin_screen.approver_id = None
        self.pin_screen.entry.clear()
