"""Supervisor and admin screens: alerts, holds, lines, kanban in flight, accounts, settings."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.boards import AdminBoard, SupervisorBoard
from kiosk.services.kanban_views import KanbanCardView
from kiosk.services.transfer_views import HoldView
from kiosk.services.views import AlertView, LockedUserView
from kiosk.settings import SOURCE_COMMAND_LINE, SOURCE_DEFAULT, SOURCE_KIOSK
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.labels import kanban_status_label, paused_minutes_text, role_label, status_label
from kiosk.ui.screens.base import Screen, scroll_column
from kiosk.ui.screens.handoff import counts_text, occupancy_text
from kiosk.ui.screens.kanban import format_age
from kiosk.ui.widgets.style import big_button
from kiosk.ui.widgets.wrap_label import WrapLabel


class _ListSection(QWidget):
    """A titled list of rows, each a sentence and one action button (or none: read only)."""

    def __init__(self, title: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(title, self)
        heading.setObjectName("subtitle")
        layout.addWidget(heading)
        self.empty = QLabel(empty_text, self)
        self.empty.setObjectName("caption")
        layout.addWidget(self.empty)
        self._rows = QVBoxLayout()
        layout.addLayout(self._rows)
        self.buttons: list[QPushButton] = []
        self.labels: list[QLabel] = []  # one per row, in order
        self._row_widgets: list[QWidget] = []

    def set_rows(
        self, rows: list[tuple[str, str | None, object]], on_action: Callable[[object], None]
    ) -> None:
        """Rows of (sentence, button text, key); a row whose button text is None has no button."""
        focused = QApplication.focusWidget()
        if focused is not None and any(row.isAncestorOf(focused) for row in self._row_widgets):
            # Hiding the focused button would pass the focus on, and the scroll area would
            # jump to the next button (far below): the list stays where the finger was.
            focused.clearFocus()
        for widget in self._row_widgets:
            self._rows.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._row_widgets = []
        self.buttons = []
        self.labels = []
        for text, button_text, key in rows:
            row = QWidget(self)
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 4, 0, 4)
            label = WrapLabel(text, row)  # a line code never breaks at its hyphen
            row_layout.addWidget(label, 1)
            self.labels.append(label)
            if button_text is not None:
                button = big_button(button_text, "primary", row)
                button.clicked.connect(lambda _checked=False, k=key: on_action(k))
                row_layout.addWidget(button)
                self.buttons.append(button)
            self._rows.addWidget(row)
            row.show()
            self._row_widgets.append(row)
        self.empty.setVisible(not rows)

    def set_texts(self, texts: list[str]) -> None:
        """Read-only rows: a sentence each, no button."""
        self.set_rows([(text, None, None) for text in texts], lambda _key: None)

    def texts(self) -> list[str]:
        return [label.text() for label in self.labels]


def _locked_rows(
    users: list[LockedUserView], times: TimeFormatter, unlock: str
) -> list[tuple[str, str | None, object]]:
    return [
        (
            f"{user.name} ({user.employee_no}, {role_label(user.role)}) - "
            + QCoreApplication.translate("Boards", "locked until {time}").format(
                time=times.time(user.locked_until)
            ),
            unlock,
            user.user_id,
        )
        for user in users
    ]


class SupervisorScreen(Screen):
    acknowledge_requested = Signal(object)  # alert id
    unlock_requested = Signal(object)  # user id
    hold_chosen = Signal(object)  # HoldView
    clear_requested = Signal(str)  # line code
    sync_now_requested = Signal()

    def __init__(self, times: TimeFormatter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._times = times
        top = QHBoxLayout()
        title = QLabel(self.tr("Supervisor"), self)
        title.setObjectName("title")
        top.addWidget(title, 1)
        self.sync_button = big_button(self.tr("Sync now"), "secondary", self)
        self.sync_button.clicked.connect(self.sync_now_requested.emit)
        self.sync_button.hide()  # shown on a kiosk that syncs with a server
        top.addWidget(self.sync_button)
        self.body.addLayout(top)
        scroll, inner = scroll_column(self)
        self.alerts = _ListSection(self.tr("Open alerts"), self.tr("No open alerts."))
        self.acknowledged = _ListSection(
            self.tr("Acknowledged"), self.tr("No alert acknowledged in the last 12 hours.")
        )
        self.holds = _ListSection(self.tr("Held batches"), self.tr("No batch is held."))
        self.output = _ListSection(
            self.tr("Output against target"), self.tr("No work order is running.")
        )
        self.lines = _ListSection(self.tr("Lines"), self.tr("No lines in this department."))
        self.kanban = _ListSection(
            self.tr("Kanban requests in flight"), self.tr("No kanban request is waiting.")
        )
        self.locked = _ListSection(self.tr("Locked accounts"), self.tr("No locked accounts."))
        sections = (
            self.alerts,
            self.acknowledged,
            self.holds,
            self.output,
            self.lines,
            self.kanban,
            self.locked,
        )
        for index, section in enumerate(sections):
            if index:
                inner.addSpacing(24)
            inner.addWidget(section)
        self.body.addWidget(scroll, 1)

    def show_board(self, board: SupervisorBoard) -> None:
        self.alerts.set_rows(
            [(self._alert_text(alert), self.tr("Acknowledge"), alert.id) for alert in board.alerts],
            self.acknowledge_requested.emit,
        )
        self.acknowledged.set_texts(
            [self._acknowledged_text(alert) for alert in board.acknowledged]
        )
        self.locked.set_rows(
            _locked_rows(board.locked_users, self._times, self.tr("Unlock")),
            self.unlock_requested.emit,
        )
        self.kanban.set_texts([self._kanban_text(card) for card in board.kanban_in_flight])
        self.output.set_texts(
            [
                self.tr("{line} · {number} · {article} · {good} / {target} good · {status}").format(
                    line=work_order.line_code,
                    number=work_order.number,
                    article=work_order.article,
                    good=work_order.good_qty,
                    target=work_order.target_qty,
                    status=status_label(work_order.status),
                )
                + (
                    self.tr(" · paused: {minutes}").format(
                        minutes=paused_minutes_text(work_order.paused_minutes)
                    )
                    if work_order.paused_minutes
                    else ""
                )
                for work_order in board.output
            ]
        )
        holds: dict[object, HoldView] = {hold.transfer_id: hold for hold in board.holds}
        self.holds.set_rows(
            [
                (
                    self.tr("{line} · {number} from {from_line} · {counts}").format(
                        line=hold.to_line,
                        number=hold.work_order_number,
                        from_line=hold.from_line,
                        counts=counts_text(hold.sent, hold.counted, hold.first_counted),
                    ),
                    self.tr("Decide"),
                    hold.transfer_id,
                )
                for hold in board.holds
            ],
            lambda key: self.hold_chosen.emit(holds[key]),
        )
        self.lines.set_rows(
            [
                (
                    f"{line.line_code} · {occupancy_text(line, self._times)}",
                    self.tr("Clear"),
                    line.line_code,
                )
                for line in board.lines
            ],
            lambda key: self.clear_requested.emit(str(key)),
        )
        for button, line in zip(self.lines.buttons, board.lines, strict=True):
            button.setEnabled(line.work_order_number is not None or line.observed_at is None)

    def _acknowledged_text(self, alert: AlertView) -> str:
        return (
            self._alert_text(alert)
            + " · "
            + self.tr("acknowledged by {name} at {time}").format(
                name=alert.acknowledged_by or "?", time=self._times.time(alert.acknowledged_at)
            )
        )

    def _kanban_text(self, card: KanbanCardView) -> str:
        return self.tr(
            "{line} · {card_no} · {quantity} {unit} · {item} · {status} · for {age}"
        ).format(
            line=card.line_code,
            card_no=card.card_no,
            quantity=card.quantity,
            unit=card.unit,
            item=card.item_name,
            status=kanban_status_label(card.status),
            age=format_age(card.age),
        )

    def _alert_text(self, alert: AlertView) -> str:
        when = self._times.time(alert.raised_at)
        fields = alert.fields
        if alert.kind == "pin_lockout":
            what = self.tr("{name} ({employee_no}) locked out by wrong PINs at {line}").format(
                name=fields.get("name", ""),
                employee_no=fields.get("employee_no", ""),
                line=fields.get("line", ""),
            )
        elif alert.kind == "pin_guessing":
            what = self.tr(
                "{line}: {count} wrong PINs, the PIN pad waits (last on {name}'s tile)"
            ).format(
                line=fields.get("line", ""),
                count=fields.get("wrong_pins", "?"),
                name=fields.get("name", ""),
            )
        elif alert.kind == "quantity_mismatch":
            what = self.tr("{line}: {number} held, {counts}").format(
                line=fields.get("line", ""),
                number=fields.get("work_order", ""),
                counts=counts_text(
                    fields.get("sent", ""), fields.get("counted", ""), fields.get("first_counted")
                ),
            )
        elif alert.kind == "line_blocked":
            what = self.tr("{line} blocked a handoff from {from_line}: it holds {number}").format(
                line=fields.get("line", ""),
                from_line=fields.get("from_line", ""),
                number=fields.get("work_order") or "?",
            )
        elif alert.kind == "slip_refused":
            what = self.tr("{line}: a forged or foreign slip was scanned by {name}").format(
                line=fields.get("line", ""), name=fields.get("scanned_by", "")
            )
        else:
            what = self._sync_alert_text(alert)
        return f"P{alert.priority} · {when} · {what}"

    def _sync_alert_text(self, alert: AlertView) -> str:
        """Alerts the central server raises about kiosks and their events."""
        fields = alert.fields
        where = fields.get("line") or fields.get("device", "")
        if alert.kind == "sync_refused":
            return self.tr("{where}: the server refused {count} {kind} event(s): {reason}").format(
                where=where,
                count=fields.get("count", 1),
                kind=fields.get("event_kind", ""),
                reason=fields.get("reason", ""),
            )
        if alert.kind == "kiosk_restored":
            return self.tr(
                "{where}: the kiosk was restored from a backup; its events {first}–{last} "
                "are only on the server"
            ).format(
                where=where,
                first=fields.get("missing_from", "?"),
                last=fields.get("missing_to", "?"),
            )
        if alert.kind == "device_clock_off":
            hours = round(int(fields.get("offset_seconds", 0)) / 3600, 1)
            return self.tr("{where}: the kiosk's clock is {hours} h off").format(
                where=where, hours=hours
            )
        if alert.kind == "enrolment_locked_out":
            return self.tr(
                "{count} wrong enrolment codes from {address}: no enrolment from it until {until}"
            ).format(
                count=fields.get("failures", "?"),
                address=fields.get("address", "?"),
                until=str(fields.get("locked_until", "?"))[:16].replace("T", " "),
            )
        if alert.kind == "handshake_disputed":
            return self.tr(
                "{line}: disputed handoff {slip} of {number} ({why}) - check the batch"
            ).format(
                line=fields.get("line", ""),
                slip=fields.get("slip_id", ""),
                number=fields.get("work_order", ""),
                why=self._dispute_words(str(fields.get("dispute", ""))),
            )
        return alert.kind

    def _dispute_words(self, kind: str) -> str:
        if kind == "received_twice":
            return self.tr("its slip was counted twice")
        if kind == "line_double_booked":
            return self.tr("the line held another batch")
        return kind


def _open_button(
    parent: QWidget, row: QHBoxLayout, text: str, opens: SignalInstance
) -> QPushButton:
    """A big button in `row` that emits `opens` (one of the Admin screen's screens)."""
    button = big_button(text, "primary", parent)
    button.clicked.connect(opens.emit)
    row.addWidget(button)
    return button


class AdminScreen(Screen):
    unlock_requested = Signal(object)
    quit_requested = Signal()
    badges_requested = Signal()
    settings_requested = Signal()
    devices_requested = Signal()
    audit_requested = Signal()
    people_requested = Signal()
    lines_requested = Signal()
    work_orders_requested = Signal()
    keys_requested = Signal()

    def __init__(self, times: TimeFormatter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._times = times
        layout = self.body
        top = QHBoxLayout()
        title = QLabel(self.tr("Admin"), self)
        title.setObjectName("title")
        top.addWidget(title, 1)
        self.quit_button = big_button(self.tr("Close the kiosk program"), "caution", self)
        self.quit_button.clicked.connect(self.quit_requested.emit)
        top.addWidget(self.quit_button)
        layout.addLayout(top)
        # The admin's screens in a row of their own: eight buttons do not fit beside the
        # title at 1280 px, nor in one row at the kiosk's 24 px (the header's size here).
        row = QWidget(self)
        row.setStyleSheet("QPushButton { font-size: 20px; padding: 0 10px; }")
        screens = QHBoxLayout(row)
        screens.setContentsMargins(0, 0, 0, 0)
        self.people_button = _open_button(row, screens, self.tr("People"), self.people_requested)
        self.lines_button = _open_button(row, screens, self.tr("Lines"), self.lines_requested)
        self.work_orders_button = _open_button(
            row, screens, self.tr("Work orders"), self.work_orders_requested
        )
        self.badges_button = _open_button(row, screens, self.tr("Badges"), self.badges_requested)
        self.devices_button = _open_button(row, screens, self.tr("Devices"), self.devices_requested)
        self.keys_button = _open_button(
            row, screens, self.tr("Integration keys"), self.keys_requested
        )
        self.audit_button = _open_button(row, screens, self.tr("Audit"), self.audit_requested)
        self.settings_button = _open_button(
            row, screens, self.tr("Kiosk settings"), self.settings_requested
        )
        layout.addWidget(row)
        self.locked = _ListSection(self.tr("Locked accounts"), self.tr("No locked accounts."), self)
        layout.addWidget(self.locked)
        heading = QLabel(self.tr("Effective settings and where they come from"), self)
        heading.setObjectName("subtitle")
        layout.addWidget(heading)
        self.settings_table = QTableWidget(0, 3, self)
        self.settings_table.setHorizontalHeaderLabels(
            [self.tr("Setting"), self.tr("Value"), self.tr("Source")]
        )
        self.settings_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.settings_table.verticalHeader().setVisible(False)
        self.settings_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.settings_table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.settings_table, 1)

    def show_board(self, board: AdminBoard) -> None:
        self.locked.set_rows(
            _locked_rows(board.locked_users, self._times, self.tr("Unlock")),
            self.unlock_requested.emit,
        )
        self.settings_table.setRowCount(len(board.settings))
        for row, setting in enumerate(board.settings):
            shown = (setting.name, setting.value, self._source_words(setting.source))
            for column, text in enumerate(shown):
                self.settings_table.setItem(row, column, QTableWidgetItem(text))

    def _source_words(self, source: str) -> str:
        """Where a setting comes from, in the screen's language (names and paths as they are)."""
        fixed = {
            SOURCE_DEFAULT: self.tr("default"),
            SOURCE_COMMAND_LINE: self.tr("command line"),
            SOURCE_KIOSK: self.tr("set at the kiosk"),
        }
        if source in fixed:
            return fixed[source]
        kind, _, where = source.partition(" ")
        if kind == "environment":
            return self.tr("environment {name}").format(name=where)
        if kind == "file":
            return self.tr("file {path}").format(path=where)
        return source
