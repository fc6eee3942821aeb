"""Who is at the kiosk: PIN and badge login, switching user, idle logout and the kept draft.

The shell owns the session's identity (`Host.begin_session`/`end_session`); this flow
decides when it changes and what the person sees while it does.
"""

from __future__ import annotations

import logging
import uuid
from typing import ClassVar, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from kiosk.domain.errors import ErrorCode, KnownError
from kiosk.domain.idle import IdleTimer
from kiosk.domain.roles import Action, is_allowed
from kiosk.domain.scan import PayloadKind, ScanPayload
from kiosk.services.actor import Actor
from kiosk.services.drafts import DRAFT_KIND_RECORD
from kiosk.services.views import (
    DraftView,
    FirstPinRequired,
    LoginResult,
    PinRequired,
    RosterEntry,
)
from kiosk.ui.activity import ActivityFilter
from kiosk.ui.flows.base import BaseFlow, ScanClaims
from kiosk.ui.flows.first_pin import FirstPinFlow
from kiosk.ui.flows.kanban import is_warehouse_user
from kiosk.ui.host import Host
from kiosk.ui.labels import role_label
from kiosk.ui.messages import describe
from kiosk.ui.scan_context import EVERY_CONTEXT, ScanContext
from kiosk.ui.screens.login import LoginScreen
from kiosk.ui.widgets.banner import INFO, WARNING

log = logging.getLogger(__name__)


class DraftKeeper(Protocol):
    """The flow whose typed-but-unconfirmed entry outlives a logout (the record pad)."""

    def unfinished_entry(self) -> tuple[dict[str, str], uuid.UUID | None] | None: ...
    def offer_draft(self, draft: DraftView) -> None: ...


class ApprovalTaker(Protocol):
    """The flow that lets a supervisor's badge decide a hold on someone else's session."""

    def wants_approval(self, owner: RosterEntry) -> bool: ...
    def start_approval(self, owner: RosterEntry) -> None: ...


class SessionFlow(BaseFlow):
    # A badge logs in (or switches user) everywhere but where a badge is being enrolled.
    # On the badge screen a tap binds; on the Settings screen it tests the reader.
    scan_claims: ClassVar[ScanClaims] = {
        PayloadKind.BADGE: EVERY_CONTEXT - {ScanContext.ENROL, ScanContext.SETTINGS}
    }

    def __init__(
        self,
        host: Host,
        parent: QObject | None = None,
        *,
        drafts: DraftKeeper,
        approvals: ApprovalTaker,
    ) -> None:
        super().__init__(host, parent)
        self._drafts = drafts
        self._approvals = approvals
        self.idle = IdleTimer(host.services.clock, host.services.policies.idle)
        self.login_screen = LoginScreen(host.stack)
        self.login_screen.badge_first = host.services.auth.needs_badge_first
        self.login_screen.monotonic = host.services.clock.monotonic  # the PIN pad's wait
        host.stack.addWidget(self.login_screen)
        self.login_screen.pin_submitted.connect(self._on_login_pin_submitted)
        self.login_screen.employee_number_submitted.connect(
            self._on_login_employee_number_submitted
        )
        self.login_screen.pin_page_opened.connect(self._on_pin_page_opened)
        self.first_pin = FirstPinFlow(host, self.login_screen, self._begin_session, self)
        self.login_screen.setup_code_submitted.connect(self.first_pin.start_with_code)
        self._activity = ActivityFilter(self._on_app_activity, self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._activity)

    def stop(self) -> None:
        """The window closes: stop watching the application's input."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._activity)

    def session_began(self, actor: Actor) -> None:
        host = self.host
        may_supervise = is_allowed(actor.role, Action.SUPERVISOR_SCREEN)
        # An admin at a desk has no department board: the Admin screen is home.
        admin_home = host.desktop and not may_supervise
        host.header.show_user(
            f"{actor.name} · {role_label(actor.role)}",
            # On a desktop the department board is home: no second button for it.
            may_supervise=may_supervise and not host.desktop,
            may_administer=is_allowed(actor.role, Action.ADMIN_SCREEN),
        )
        host.header.home_button.setVisible(not admin_home)  # its Admin button is home
        host.header.home_button.setText(
            self.tr("Department")
            if host.desktop
            else self.tr("Kanban board")
            if is_warehouse_user(actor)
            else self.tr("Work orders")
        )

    def session_ended(self) -> None:
        self.host.header.show_user(None, False, False)
        self.host.idle_banner.clear()

    def login_context(self) -> ScanContext:
        on_pin = self.login_screen.pages.currentWidget() is self.login_screen.pin_page
        return ScanContext.PIN if on_pin else ScanContext.LOGIN

    def handle_scan(self, payload: ScanPayload, context: ScanContext) -> None:
        self._on_badge(payload.value)

    # ------------------------------------------------------------------ login
    def show_login(self) -> None:
        self.host.stack.setCurrentWidget(self.login_screen)
        self.login_screen.show_roster()
        self.host.call(self.host.services.auth.roster, self.login_screen.set_roster)
        self.host.refresh_line_status()

    def _on_login_employee_number_submitted(self, employee_no: str) -> None:
        def shown(entry: RosterEntry) -> None:
            self.login_screen.show_pin_entry(entry)

        self.host.call(lambda: self.host.services.auth.find_employee(employee_no), shown)

    def _on_login_pin_submitted(self, user_id: uuid.UUID, pin: str) -> None:
        host = self.host

        def refused(error: KnownError) -> None:
            self.login_screen.clear_pin()
            if error.code is ErrorCode.ACCOUNT_LOCKED:
                self.login_screen.show_roster()
                host.call(host.services.auth.roster, self.login_screen.set_roster)
            host.show_refusal(error, self.login_screen.banner)
            wait = int(error.fields.get("wait_seconds", 0))
            if wait:
                headline = describe(error, host.times).text
                self.login_screen.start_pin_wait(wait, headline)

        after_badge = self.login_screen.pin_after_badge
        host.call(
            lambda: host.services.auth.login_with_pin(user_id, pin, after_badge=after_badge),
            self._begin_session,
            on_refused=refused,
            busy=self.login_screen.pin_page,  # no second submit while argon2 checks the PIN
        )

    def _on_pin_page_opened(self, entry: RosterEntry) -> None:
        """A tile opened while wrong PINs make this kiosk (or that tile) wait: say so at once."""
        host = self.host

        def shown(seconds: int) -> None:
            if self.login_screen.pin_user is not None and (
                self.login_screen.pin_user.user_id == entry.user_id
            ):
                self.login_screen.start_pin_wait(seconds, self.tr("Too many wrong PINs here."))

        host.call(lambda: host.services.auth.pin_wait_seconds(entry.user_id), shown)

    def _begin_session(self, result: LoginResult) -> None:
        actor = result.actor
        self.idle.touch()
        self.host.begin_session(actor)
        self.login_screen.reset()
        log.info("logged in: %s (%s)", actor.employee_no, actor.role.value)
        self.host.show_home()
        if result.draft is not None:
            self._drafts.offer_draft(result.draft)

    # ------------------------------------------------------------------ badges
    def _on_badge(self, uid: str) -> None:
        """A badge tap: log in, or switch user (the previous user's draft is kept)."""
        host = self.host
        if host.actor is None:
            self._login_with_badge(uid)
            return

        def identified(owner: RosterEntry) -> None:
            if self._approvals.wants_approval(owner):
                host.sounds.success()
                self._approvals.start_approval(owner)
                return
            if host.actor is None or owner.user_id != host.actor.user_id:
                self.logout("switch")
                self._login_with_badge(uid)
                return
            host.sounds.success()
            host.current_banner().show_message(
                INFO, self.tr("You are logged in already, {name}.").format(name=owner.name)
            )

        host.call(
            lambda: host.services.auth.badge_owner(uid), identified, on_refused=self._badge_refused
        )

    def _login_with_badge(self, uid: str) -> None:
        def done(result: LoginResult | PinRequired | FirstPinRequired) -> None:
            self.host.sounds.success()
            if isinstance(result, FirstPinRequired):
                self.first_pin.start_after_badge(result)
                return
            if isinstance(result, PinRequired):
                self.login_screen.show_pin_entry(result.entry, after_badge=True)
                return
            self._begin_session(result)

        self.host.call(
            lambda: self.host.services.auth.login_with_badge(uid),
            done,
            on_refused=self._badge_refused,
        )

    def _badge_refused(self, error: KnownError) -> None:
        self.host.sounds.error()
        if self.host.actor is None and error.code is not ErrorCode.BADGE_UNKNOWN:
            self.login_screen.show_roster()
        self.host.show_refusal(error)

    # ------------------------------------------------------------------ logout and idle
    def logout(self, reason: str) -> None:
        """End the session now; the unconfirmed entry (if any) is kept as the user's draft."""
        host = self.host
        actor = host.actor
        if actor is None:
            return
        entry = self._drafts.unfinished_entry()
        host.end_session()
        host.show_login()
        if reason == "idle":
            hint = (
                self.tr("Your unfinished entry was kept; log in again to continue it.")
                if entry
                else ""
            )
            self.login_screen.banner.show_message(
                INFO, self.tr("Logged out after a time without activity."), hint
            )
        fields, work_order_id = entry if entry is not None else (None, None)

        def job() -> None:
            host.services.auth.logout(
                actor,
                reason=reason,
                draft_kind=DRAFT_KIND_RECORD if fields else None,
                draft_work_order_id=work_order_id if fields else None,
                draft_fields=fields,
            )

        host.call(job, _ignore)

    def _on_app_activity(self) -> None:
        if self.host.actor is not None:
            self.idle.touch()
            if not self.host.idle_banner.isHidden():
                self.host.idle_banner.clear()

    def tick(self) -> None:
        """Called by the shell's clock: the idle warning, then the idle logout."""
        actor = self.host.actor
        if actor is None:
            return
        if self.idle.is_expired():
            log.info("idle logout of %s", actor.employee_no)
            self.logout("idle")
        elif self.idle.is_warning():
            seconds = int(self.idle.seconds_left() + 0.999)
            self.host.idle_banner.show_message(
                WARNING,
                self.tr("Logging out in {n} s.").format(n=seconds),
                self.tr("Touch the screen to stay logged in."),
            )


def _ignore(_result: object) -> None:
    return None
