"""Work orders on a line's kiosk: the home list, one work order, its commands and quantities.

The record pad's typed-but-unconfirmed entry is kept as a draft at logout and
offered again at the next login (the session flow asks this flow for it).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from kiosk.domain.errors import ErrorCode, KnownError
from kiosk.domain.roles import is_allowed
from kiosk.domain.scan import PayloadKind, ScanPayload
from kiosk.domain.work_order import COMMAND_ACTIONS, WorkOrderCommand
from kiosk.services.actor import Actor
from kiosk.services.drafts import DRAFT_KIND_RECORD
from kiosk.services.views import DraftView, RecordedEntry, WorkOrderView
from kiosk.ui.flows.base import BaseFlow, ScanClaims
from kiosk.ui.flows.kanban import may_request_kanban
from kiosk.ui.host import Host
from kiosk.ui.labels import status_label
from kiosk.ui.scan_context import ScanContext
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.pause_reason import PauseReasonScreen
from kiosk.ui.screens.work_order import FIELD_GOOD, FIELD_REJECT, WorkOrderScreen
from kiosk.ui.widgets.banner import SUCCESS, WARNING

log = logging.getLogger(__name__)

# Screens on which a scanned work order opens (the role may still refuse it).
WORK_ORDER_CONTEXTS = frozenset(
    {
        ScanContext.HOME,
        ScanContext.WORK_ORDER,
        ScanContext.SUPERVISOR,
        ScanContext.KANBAN,
        ScanContext.HANDOFF,
        ScanContext.RECEIVED,
    }
)


class WorkOrderFlow(BaseFlow):
    scan_claims: ClassVar[ScanClaims] = {PayloadKind.WORK_ORDER: WORK_ORDER_CONTEXTS}

    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(host, parent)
        self.home_screen = HomeScreen(host.stack)
        self.work_order_screen = WorkOrderScreen(host.stack)
        host.stack.addWidget(self.home_screen)
        host.stack.addWidget(self.work_order_screen)
        self.home_screen.work_order_chosen.connect(self.open_work_order)
        self.home_screen.find_requested.connect(self._on_home_find_requested)
        self.work_order_screen.command_requested.connect(self._on_work_order_command_requested)
        self.work_order_screen.record_submitted.connect(self._on_work_order_record_submitted)
        self.work_order_screen.back_requested.connect(host.show_home)
        self.pause_screen = PauseReasonScreen(host.stack)
        host.stack.addWidget(self.pause_screen)
        self.pause_screen.reason_chosen.connect(self._on_pause_reason_chosen)
        self.pause_screen.cancelled.connect(
            lambda: host.stack.setCurrentWidget(self.work_order_screen)
        )

    def context_for(self, widget: QWidget) -> ScanContext | None:
        if widget is self.home_screen:
            return ScanContext.HOME
        if widget is self.pause_screen:
            return ScanContext.OTHER
        if widget is self.work_order_screen:
            recording = self.work_order_screen.is_recording()
            return ScanContext.RECORD if recording else ScanContext.WORK_ORDER
        return None

    def session_began(self, actor: Actor) -> None:
        self.home_screen.kanban_button.setVisible(may_request_kanban(actor))
        self.work_order_screen.set_permitted_commands(
            frozenset(
                command
                for command, action in COMMAND_ACTIONS.items()
                if is_allowed(actor.role, action)
            )
        )

    def session_ended(self) -> None:
        self.work_order_screen.show_actions()

    # ------------------------------------------------------------------ home
    def show_home(self) -> None:
        """The line's home: the work orders of the line."""
        host = self.host
        actor = host.require_actor()
        host.stack.setCurrentWidget(self.home_screen)
        self.home_screen.show_list()

        def shown(work_orders: list[WorkOrderView]) -> None:
            self.home_screen.set_work_orders(work_orders)

        host.call(lambda: host.services.work_orders.list_for_line(actor), shown)
        host.refresh_line_status()

    def open_work_order(self, work_order_id: uuid.UUID) -> None:
        actor = self.host.require_actor()
        self.host.call(
            lambda: self.host.services.work_orders.get(actor, work_order_id),
            self._show_work_order,
        )

    def refresh_work_order(self) -> None:
        """The open work order read again where it is (sync brought new numbers)."""
        actor = self.host.actor
        view = self.work_order_screen.work_order
        if actor is None or view is None:
            return
        service = self.host.services.work_orders

        def shown(updated: WorkOrderView) -> None:
            if self.work_order_screen.work_order is not None and (
                self.work_order_screen.work_order.id == updated.id
            ):
                self.work_order_screen.show_work_order(updated)

        self.host.call(lambda: service.get(actor, view.id), shown, on_refused=_ignore)

    def _on_home_find_requested(self, text: str) -> None:
        actor = self.host.require_actor()

        def refused(error: KnownError) -> None:
            self.home_screen.show_list()
            self.host.show_refusal(error, self.home_screen.banner)

        self.host.call(
            lambda: self.host.services.work_orders.find(actor, text),
            self._show_work_order,
            on_refused=refused,
        )

    def _show_work_order(self, view: WorkOrderView) -> None:
        self.home_screen.show_list()
        self.work_order_screen.show_work_order(view)
        self.work_order_screen.show_actions()
        self.work_order_screen.banner.clear()
        self.host.stack.setCurrentWidget(self.work_order_screen)

    def handle_scan(self, payload: ScanPayload, context: ScanContext) -> None:
        """A scanned work order number opens it (the role may still refuse it)."""
        host = self.host
        actor = host.require_actor()
        banner = host.current_banner()
        number = payload.value

        def shown(view: WorkOrderView) -> None:
            host.sounds.success()
            self._show_work_order(view)

        def refused(error: KnownError) -> None:
            host.sounds.error()
            host.show_refusal(error, banner)

        host.call(lambda: host.services.work_orders.find(actor, number), shown, on_refused=refused)

    # ------------------------------------------------------------------ commands
    def _on_work_order_command_requested(self, command_value: str) -> None:
        command = WorkOrderCommand(command_value)
        view = self.work_order_screen.work_order
        if view is None:
            return
        if command is WorkOrderCommand.PAUSE:
            self._ask_pause_reason(view)
            return
        if command is WorkOrderCommand.COMPLETE and view.good_qty < view.target_qty:
            self.host.overlay.ask(
                self.tr("Complete {number}?").format(number=view.number),
                self.tr("Only {good} of {target} good pieces are recorded.").format(
                    good=view.good_qty, target=view.target_qty
                ),
                [
                    ("no", self.tr("No, go back"), ""),
                    ("yes", self.tr("Yes, complete it"), "primary"),
                ],
                lambda choice: self._run_command(command, view) if choice == "yes" else None,
            )
            return
        self._run_command(command, view)

    def _ask_pause_reason(self, view: WorkOrderView) -> None:
        """Pausing asks why first (the site's list); Cancel leaves the work running."""
        self.pause_screen.ask(view.number)
        self.host.stack.setCurrentWidget(self.pause_screen)

    def _on_pause_reason_chosen(self, reason: str) -> None:
        view = self.work_order_screen.work_order
        self.host.stack.setCurrentWidget(self.work_order_screen)
        if view is not None:
            self._run_command(WorkOrderCommand.PAUSE, view, pause_reason=reason)

    def _run_command(
        self,
        command: WorkOrderCommand,
        view: WorkOrderView,
        alongside: tuple[str, ...] = (),
        *,
        pause_reason: str | None = None,
    ) -> None:
        host = self.host
        actor = host.require_actor()
        service = host.services.work_orders
        calls: dict[WorkOrderCommand, Callable[[], WorkOrderView]] = {
            WorkOrderCommand.START: lambda: service.start(actor, view.id, alongside=alongside),
            WorkOrderCommand.PAUSE: lambda: service.pause(actor, view.id, reason=pause_reason),
            WorkOrderCommand.RESUME: lambda: service.resume(actor, view.id, alongside=alongside),
            WorkOrderCommand.COMPLETE: lambda: service.complete(actor, view.id),
        }
        done_text = {
            WorkOrderCommand.START: self.tr("{number} started."),
            WorkOrderCommand.PAUSE: self.tr("{number} paused."),
            WorkOrderCommand.RESUME: self.tr("{number} running again."),
            WorkOrderCommand.COMPLETE: self.tr("{number} completed."),
        }[command]

        def done(updated: WorkOrderView) -> None:
            self.work_order_screen.show_work_order(updated)
            self.work_order_screen.banner.show_message(
                SUCCESS, done_text.format(number=updated.number)
            )
            host.refresh_line_status()

        def refused(error: KnownError) -> None:
            if error.code is ErrorCode.WORK_ORDER_LINE_RUNNING:
                self._ask_alongside(command, view, error)
            else:
                host.show_refusal(error, self.work_order_screen.banner)

        busy = self.work_order_screen.action_panel
        host.call(calls[command], done, on_refused=refused, busy=busy)

    def _ask_alongside(
        self, command: WorkOrderCommand, view: WorkOrderView, error: KnownError
    ) -> None:
        """Another work order runs on the line (the service named it): run both only if the
        person says so."""
        running = tuple(str(number) for number in error.fields.get("running_numbers", ()))
        names = ", ".join(running)
        question = (
            self.tr("{running} is running on this line. Start {number} as well?")
            if command is WorkOrderCommand.START
            else self.tr("{running} is running on this line. Resume {number} as well?")
        )
        self.host.overlay.ask(
            question.format(running=names, number=view.number),
            self.tr("Both then count as running here. To switch, pause {running} first.").format(
                running=names
            ),
            [
                ("no", self.tr("No, go back"), ""),
                ("yes", self.tr("Yes, both run"), "primary"),
            ],
            lambda choice: self._run_command(command, view, running) if choice == "yes" else None,
        )

    def _on_work_order_record_submitted(self, good: str, reject: str, reason: object) -> None:
        host = self.host
        actor = host.require_actor()
        view = self.work_order_screen.work_order
        if view is None:
            return
        reason_code = reason if isinstance(reason, str) else None

        def done(entry: RecordedEntry) -> None:
            self.work_order_screen.show_work_order(entry.work_order)
            self.work_order_screen.show_actions()
            text = self.tr("Recorded {good} good and {reject} reject on {number}.").format(
                good=entry.good, reject=entry.reject, number=entry.work_order.number
            )
            self.work_order_screen.banner.show_message(SUCCESS, text)

        host.call(
            lambda: host.services.work_orders.record(
                actor, view.id, good=good, reject=reject, reason=reason_code
            ),
            done,
            busy=self.work_order_screen.record_panel,
        )

    # ------------------------------------------------------------------ drafts
    def unfinished_entry(self) -> tuple[dict[str, str], uuid.UUID | None] | None:
        """What is typed in the open record pad but not confirmed, and its work order."""
        if self.host.current_screen() is not self.work_order_screen:
            return None
        fields = self.work_order_screen.current_draft()
        if not fields:
            return None
        work_order = self.work_order_screen.work_order
        return fields, None if work_order is None else work_order.id

    def offer_draft(self, draft: DraftView) -> None:
        """After login: continue the record entry kept at the last logout, or discard it."""
        if draft.kind != DRAFT_KIND_RECORD or draft.work_order_id is None:
            return
        host = self.host
        good = draft.fields.get(FIELD_GOOD) or "0"
        reject = draft.fields.get(FIELD_REJECT) or "0"
        text = self.tr("You were recording {good} good and {reject} reject for {number}.").format(
            good=good, reject=reject, number=draft.work_order_number or ""
        )
        work_order_id = draft.work_order_id
        actor = host.require_actor()

        def answered(choice: str) -> None:
            if choice == "continue":
                self._continue_draft(work_order_id, draft.fields)
            else:
                host.call(lambda: host.services.drafts.discard(actor), _ignore)

        host.overlay.ask(
            self.tr("Continue where you left off?"),
            text,
            [
                ("discard", self.tr("Discard it"), "caution"),
                ("continue", self.tr("Continue"), "go"),
            ],
            answered,
        )

    def _continue_draft(self, work_order_id: uuid.UUID, fields: dict[str, Any]) -> None:
        host = self.host
        actor = host.require_actor()

        def job() -> WorkOrderView:
            view = host.services.work_orders.get(actor, work_order_id)
            host.services.drafts.discard(actor)  # the draft now lives in the open record pad
            return view

        def shown(view: WorkOrderView) -> None:
            self._show_work_order(view)
            if WorkOrderCommand.RECORD in view.allowed:
                self.work_order_screen.open_record({k: str(v) for k, v in fields.items()})
                return
            self.work_order_screen.banner.show_message(
                WARNING,
                self.tr("{number} can no longer take quantities: it is {status}.").format(
                    number=view.number, status=status_label(view.status)
                ),
                self.tr("The quantity you had typed was not recorded."),
            )

        host.call(job, shown)


def _ignore(_result: object) -> None:
    return None
