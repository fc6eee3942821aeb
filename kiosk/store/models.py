"""Typed SQLAlchemy models of the kiosk's local database.

The schema is created only by the Alembic migrations in `kiosk/migrations`; a test
proves that these models and the migrations agree.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from kiosk.domain.kanban import KanbanStatus
from kiosk.domain.reasons import CorrectionReason, PauseReason
from kiosk.domain.roles import Department, Role
from kiosk.domain.transfer import TransferStatus
from kiosk.domain.work_order import RejectReason, WorkOrderStatus
from kiosk.store.types import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # SQLAlchemy reads this class attribute once, when the models are declared.
    type_annotation_map = {datetime: UtcDateTime(), dict[str, Any]: JSON()}  # noqa: RUF012


def _enum(enum_class: type[Any], name: str) -> Enum:
    # Stored as plain strings with a CHECK: readable in SQLite, portable to PostgreSQL.
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
    )


class Line(Base):
    """One production line, e.g. SEW-L03."""

    __tablename__ = "line"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    department: Mapped[Department] = mapped_column(_enum(Department, "department"))
    # False once the ERP retires the line: kept for its history, nothing new goes on it.
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())


class User(Base):
    """Someone who logs in; `line` scope applies to operators, `department` to supervisors."""

    __tablename__ = "app_user"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    employee_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(_enum(Role, "role"))
    department: Mapped[Department | None] = mapped_column(_enum(Department, "department"))
    pin_hash: Mapped[str] = mapped_column(String(200))
    badge_hash: Mapped[str | None] = mapped_column(String(128), unique=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    failed_pin_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    # When the last wrong PIN counted in failed_pin_count was typed (the count's window).
    last_wrong_pin_at: Mapped[datetime | None]
    # The screens' language while this person is logged in (en, id); None: the kiosk's.
    language: Mapped[str | None] = mapped_column(String(8))

    lines: Mapped[list[UserLine]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )


class UserLine(Base):
    """The lines an operator may work on."""

    __tablename__ = "user_line"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True
    )
    line_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("line.id", ondelete="CASCADE"), primary_key=True
    )

    user: Mapped[User] = relationship(back_populates="lines")
    line: Mapped[Line] = relationship(lazy="joined")


class WorkOrder(Base):
    """A job for one department on one line (an SPK)."""

    __tablename__ = "work_order"
    __table_args__ = (
        CheckConstraint("target_qty > 0", name="target_positive"),
        CheckConstraint("good_qty >= 0 AND reject_qty >= 0", name="quantities_not_negative"),
        Index("ix_work_order_line_status", "line_id", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    mo_number: Mapped[str] = mapped_column(String(32))
    article: Mapped[str] = mapped_column(String(100))
    destination: Mapped[str] = mapped_column(String(64))
    department: Mapped[Department] = mapped_column(_enum(Department, "department"))
    line_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("line.id"))
    route: Mapped[str] = mapped_column(String(8))
    sequence: Mapped[int] = mapped_column(Integer)
    target_qty: Mapped[int] = mapped_column(Integer)
    good_qty: Mapped[int] = mapped_column(Integer, default=0)
    reject_qty: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[WorkOrderStatus] = mapped_column(_enum(WorkOrderStatus, "wo_status"))
    due_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)
    # While paused: why and since when; every pause that ended, in seconds per reason.
    pause_reason: Mapped[PauseReason | None] = mapped_column(_enum(PauseReason, "pause_reason"))
    paused_at: Mapped[datetime | None]
    paused_seconds: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")

    line: Mapped[Line] = relationship(lazy="joined")


class ProductionEntryRow(Base):
    """Good and reject quantities recorded against a work order: append-only facts."""

    __tablename__ = "production_entry"
    __table_args__ = (CheckConstraint("good >= 0 AND reject >= 0", name="not_negative"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    work_order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("work_order.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"))
    good: Mapped[int] = mapped_column(Integer)
    reject: Mapped[int] = mapped_column(Integer)
    reject_reason: Mapped[RejectReason | None] = mapped_column(_enum(RejectReason, "reject_reason"))
    recorded_at: Mapped[datetime]


class ProductionCorrectionRow(Base):
    """A production entry's counts replaced or voided: the entry itself stays as recorded.

    The latest correction of an entry is what it counts now; `user_id` asked for it,
    `approved_by` approved it (None when the recorder corrected it alone, in time).
    """

    __tablename__ = "production_correction"
    __table_args__ = (CheckConstraint("good >= 0 AND reject >= 0", name="not_negative"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    entry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("production_entry.id"), index=True)
    work_order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("work_order.id"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"))
    approved_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    good: Mapped[int] = mapped_column(Integer)
    reject: Mapped[int] = mapped_column(Integer)
    reject_reason: Mapped[RejectReason | None] = mapped_column(_enum(RejectReason, "reject_reason"))
    is_void: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[CorrectionReason] = mapped_column(_enum(CorrectionReason, "correction_reason"))
    corrected_at: Mapped[datetime]


class Draft(Base):
    """Typed-but-unconfirmed input kept for its user across an auto-logout."""

    __tablename__ = "draft"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    work_order_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("work_order.id", ondelete="CASCADE")
    )
    fields: Mapped[dict[str, Any]]
    saved_at: Mapped[datetime]


class Alert(Base):
    """A P1/P2/P3 event a supervisor must see and acknowledge."""

    __tablename__ = "alert"
    __table_args__ = (CheckConstraint("priority IN (1, 2, 3)", name="priority_known"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    priority: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    department: Mapped[Department | None] = mapped_column(_enum(Department, "department"))
    line_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("line.id"))
    subject_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    fields: Mapped[dict[str, Any]]
    raised_at: Mapped[datetime]
    acknowledged_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    acknowledged_at: Mapped[datetime | None]


class AuditEntry(Base):
    """Hash-chained audit log: every action and every refused attempt."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    at: Mapped[datetime]
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor_label: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class OutboxEvent(Base):
    """A domain event for the central server; kept after its answer for the retention period.

    `seq` is gap-free within an `incarnation` of this kiosk's database: a database restored
    from a backup starts a new incarnation, so the server never takes two events for one
    number. `result` is the server's final answer (applied, duplicate, rejected, conflict).
    """

    __tablename__ = "outbox_event"
    __table_args__ = (
        UniqueConstraint("incarnation", "seq", name="uq_outbox_event_incarnation_seq"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    incarnation: Mapped[uuid.UUID] = mapped_column(Uuid)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(64))
    schema_version: Mapped[int] = mapped_column(Integer, default=1)
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    acked_at: Mapped[datetime | None] = mapped_column(index=True)
    result: Mapped[str | None] = mapped_column(String(16))
    result_reason: Mapped[str | None] = mapped_column(String(200))
    # The audit_log row of the action that queued it; the row names this event in turn.
    audit_seq: Mapped[int | None] = mapped_column(Integer)


class SyncState(Base):
    """This kiosk's one row of sync bookkeeping: who it is to the server and how far it got.

    `last_seq` numbers the outbox; `acked_through` is the highest number the server has
    answered; `cursor` is the change feed position whose rows are already applied here
    (it is written in the same transaction as those rows).
    """

    __tablename__ = "sync_state"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    incarnation: Mapped[uuid.UUID] = mapped_column(Uuid)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    acked_through: Mapped[int] = mapped_column(Integer, default=0)
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    device_kind: Mapped[str | None] = mapped_column(String(16))
    line_code: Mapped[str | None] = mapped_column(String(32))
    department: Mapped[Department | None] = mapped_column(_enum(Department, "department"))
    server_url: Mapped[str | None] = mapped_column(String(300))
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    epoch: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    high_water: Mapped[int] = mapped_column(BigInteger, default=0)
    bootstrapped_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(300))
    # How far the server has anchored this kiosk's audit chain, and why it holds its events.
    audit_anchored_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    audit_held: Mapped[str | None] = mapped_column(String(200))


class SiteSetting(Base):
    """Small key/value facts about this installation (e.g. the site name)."""

    __tablename__ = "site_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SlipKey(Base):
    """A device's public slip-signing key, pulled from the server: what receivers check with.

    `line_code` is the line of the kiosk that holds it, `department` a desktop's (both
    None: the demo's shared key); a revoked key's slips are refused from `revoked_at` on.
    """

    __tablename__ = "slip_key"

    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    device_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    public_key: Mapped[str] = mapped_column(String(44))  # base64 of the 32-byte Ed25519 key
    line_code: Mapped[str | None] = mapped_column(String(32))
    department: Mapped[str | None] = mapped_column(String(8))  # a desktop's key
    revoked_at: Mapped[datetime | None]


class LineOccupancy(Base):
    """What this kiosk knows a line holds: a row with no work order means known free.

    No row at all means unknown. `observed_at` says how fresh the knowledge is; the
    line's own kiosk is authoritative for it, others learn it through sync.
    """

    __tablename__ = "line_occupancy"

    line_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("line.id", ondelete="CASCADE"), primary_key=True
    )
    work_order_number: Mapped[str | None] = mapped_column(String(32))
    article: Mapped[str | None] = mapped_column(String(100))
    destination: Mapped[str | None] = mapped_column(String(64))
    since: Mapped[datetime | None]
    transfer_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    observed_at: Mapped[datetime]

    line: Mapped[Line] = relationship(lazy="joined")


class LineClearance(Base):
    """A supervisor declared a line empty: who, when, why and what it held before."""

    __tablename__ = "line_clearance"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    line_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("line.id"), index=True)
    cleared_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"))
    cleared_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(200))
    previous_work_order_number: Mapped[str | None] = mapped_column(String(32))
    previous_article: Mapped[str | None] = mapped_column(String(100))
    previous_destination: Mapped[str | None] = mapped_column(String(64))


class Transfer(Base):
    """One QT-09 handoff as this kiosk knows it: prepared here, or received from its slip.

    Lines and people are kept as codes and names, not foreign keys: a receiving kiosk
    may learn of a transfer from the paper slip alone.
    """

    __tablename__ = "transfer"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("counted_qty IS NULL OR counted_qty >= 0", name="counted_not_negative"),
        Index("ix_transfer_work_order_number", "work_order_number"),
        Index("ix_transfer_to_line_status", "to_line", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    slip_id: Mapped[str] = mapped_column(String(24), unique=True)
    site_code: Mapped[str] = mapped_column(String(16))
    work_order_number: Mapped[str] = mapped_column(String(32))
    mo_number: Mapped[str] = mapped_column(String(32))
    article: Mapped[str] = mapped_column(String(100))
    destination: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    from_line: Mapped[str] = mapped_column(String(32))
    to_line: Mapped[str] = mapped_column(String(32))
    from_department: Mapped[Department] = mapped_column(_enum(Department, "from_department"))
    to_department: Mapped[Department] = mapped_column(_enum(Department, "to_department"))
    prepared_by: Mapped[str] = mapped_column(String(32))  # employee number
    prepared_at: Mapped[datetime]
    status: Mapped[TransferStatus] = mapped_column(_enum(TransferStatus, "transfer_status"))
    origin: Mapped[str] = mapped_column(String(16))  # "prepared" here, or read from a "slip"
    counted_qty: Mapped[int | None] = mapped_column(Integer)
    counted_by: Mapped[str | None] = mapped_column(String(32))
    counted_at: Mapped[datetime | None]
    # A first blind count that did not match, kept beside the recount (`counted_qty`); on
    # the receiving kiosk it waits here for the recount while the transfer is PREPARED.
    first_counted_qty: Mapped[int | None] = mapped_column(Integer)
    first_counted_by: Mapped[str | None] = mapped_column(String(32))
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(String(200))
    accepted_qty: Mapped[int | None] = mapped_column(Integer)
    printed_count: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)


class WipMovement(Base):
    """Pieces moved between WIP stocks by a handshake: append-only facts."""

    __tablename__ = "wip_movement"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    transfer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("transfer.id"), index=True)
    mo_number: Mapped[str] = mapped_column(String(32))
    work_order_number: Mapped[str] = mapped_column(String(32))
    article: Mapped[str] = mapped_column(String(100))
    from_stock: Mapped[str] = mapped_column(String(16))
    to_stock: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int] = mapped_column(Integer)
    moved_at: Mapped[datetime]


class KanbanItem(Base):
    """An accessory the warehouse supplies to the lines (thread, buttons, zippers)."""

    __tablename__ = "kanban_item"
    __table_args__ = (CheckConstraint("max_quantity > 0", name="max_positive"),)

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(16))
    max_quantity: Mapped[int] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(default=True)


class KanbanCard(Base):
    """One E-Kanban request and each of its timed steps."""

    __tablename__ = "kanban_card"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_kanban_card_line_status", "line_id", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    card_no: Mapped[str] = mapped_column(String(32), unique=True)
    line_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("line.id"))
    item_code: Mapped[str] = mapped_column(ForeignKey("kanban_item.code"))
    quantity: Mapped[int] = mapped_column(Integer)
    status: Mapped[KanbanStatus] = mapped_column(_enum(KanbanStatus, "kanban_status"))
    requested_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"))
    requested_at: Mapped[datetime]
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(String(200))
    shipped_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    shipped_at: Mapped[datetime | None]
    received_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    received_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)

    line: Mapped[Line] = relationship(lazy="joined")
    item: Mapped[KanbanItem] = relationship(lazy="joined")
