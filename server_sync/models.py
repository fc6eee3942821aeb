"""Tables only the central database has: devices, applied events, the change feed.

The domain's own tables (lines, users, work orders, transfers, kanban cards, alerts …)
are the kiosk's models, created centrally by the kiosk's migrations: the server applies
events to the very rows a kiosk has, with the same rules.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kiosk.store.models import NAMING_CONVENTION
from kiosk.store.types import UtcDateTime

DEVICE_LINE = "line"  # a kiosk bound to one line
DEVICE_DESKTOP = "desktop"  # a supervisor's office PC: the lines of one department


class CentralBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime(), dict[str, Any]: JSON()}  # noqa: RUF012


class Device(CentralBase):
    """An enrolled kiosk; its line and department come from here, never from a request."""

    __tablename__ = "device"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    line_code: Mapped[str | None] = mapped_column(String(32))
    department: Mapped[str] = mapped_column(String(8))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]
    clock_offset_seconds: Mapped[float | None] = mapped_column(Float)
    clock_alerted_at: Mapped[datetime | None]
    # As the device's last request stated them: shown to the admin, never acted on.
    program_version: Mapped[str | None] = mapped_column(String(40))
    events_waiting: Mapped[int | None] = mapped_column(BigInteger)


class EnrolmentCode(CentralBase):
    """A one-time code an admin gives to a new kiosk; only its hash is kept."""

    __tablename__ = "enrolment_code"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    line_code: Mapped[str | None] = mapped_column(String(32))
    department: Mapped[str] = mapped_column(String(8))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class DeviceIncarnation(CentralBase):
    """One life of a kiosk's database; `next_seq` is the next event number it must send."""

    __tablename__ = "device_incarnation"

    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"), primary_key=True)
    incarnation: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    next_seq: Mapped[int] = mapped_column(BigInteger)
    started_at: Mapped[datetime]
    rewind_alerted: Mapped[bool] = mapped_column(default=False)


class AppliedEvent(CentralBase):
    """Every event ever taken, with the answer given: a repeat gets the same answer back."""

    __tablename__ = "applied_event"
    __table_args__ = (
        UniqueConstraint("device_id", "incarnation", "seq", name="uq_applied_event_device_seq"),
        Index("ix_applied_event_received_at", "received_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"))
    incarnation: Mapped[uuid.UUID] = mapped_column(Uuid)
    seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(64))
    schema_version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime]  # the kiosk's clock: shown, never used to order
    received_at: Mapped[datetime]  # the server's clock
    result: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(200))
    # The results feed's number: given in commit order under the feed's lock (see
    # server_sync.results), so an ERP reading after a cursor never skips a fact.
    result_seq: Mapped[int] = mapped_column(BigInteger, unique=True)


class ChangeRow(CentralBase):
    """The latest state of every replicated row, numbered in commit order.

    A row changed again moves to a new, higher `seq`; pulling everything after a
    cursor is therefore both the incremental feed and (from 0) the snapshot.
    `audience` says which devices may read it (see server_sync.scope).
    """

    __tablename__ = "change_feed"
    __table_args__ = (Index("ix_change_feed_audience", "audience", postgresql_using="gin"),)

    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    audience: Mapped[list[str]] = mapped_column(ARRAY(String(48)))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)


class FeedState(CentralBase):
    """The feed's one row: its epoch, the last number given, and the oldest cursor served.

    Numbers are handed out under this row's lock, held until commit, so they become
    visible in order: a reader never sees 12 before an open transaction's 11.
    """

    __tablename__ = "feed_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    epoch: Mapped[uuid.UUID] = mapped_column(Uuid)
    high_water: Mapped[int] = mapped_column(BigInteger)
    floor: Mapped[int] = mapped_column(BigInteger)
    # The last number of the results feed (applied_event.result_seq), taken under the same
    # lock: a push numbers its events and its feed rows while holding it once.
    results_high_water: Mapped[int] = mapped_column(BigInteger)


class DeviceKey(CentralBase):
    """A device's public slip-signing key, sent by the kiosk at enrolment.

    The private half never leaves the kiosk. Every device of the site pulls the public
    key through the feed; the server checks the slips of pushed receives with it.
    """

    __tablename__ = "device_key"

    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"), index=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


# Secrets of the server alone, never handed to a device (the admin lists' ticket key).
ADMIN_TICKET_KEY_NAME = "admin_ticket_key"
SERVER_ONLY_SECRETS = frozenset({ADMIN_TICKET_KEY_NAME})


class SiteSecret(CentralBase):
    """Site keys the server hands to enrolled kiosks (badge hashing); `SERVER_ONLY_SECRETS`
    stay here."""

    __tablename__ = "site_secret"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[bytes] = mapped_column(LargeBinary)


class TransferDispute(CentralBase):
    """A handshake whose offline acceptance disagrees with central state, for a supervisor."""

    __tablename__ = "transfer_dispute"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    slip_id: Mapped[str] = mapped_column(String(24), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    device_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    raised_at: Mapped[datetime]


class EnrolThrottle(CentralBase):
    """Wrong enrolment codes per client address in the current window, and its lockout.

    Kept in PostgreSQL, not in a process: every `server-sync` process counts the same
    guesses, and the row's lock orders concurrent ones.
    """

    __tablename__ = "enrol_throttle"

    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_started_at: Mapped[datetime]
    failures: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[datetime | None]


class DeviceAuditEntry(CentralBase):
    """The central copy of each device's hash-chained audit log, row by row, as pushed.

    Keyed by the row's hash: a row re-sent (after a lost answer, or shared by a database
    restored from a backup) is kept once. `chain_break` marks rows taken on an admin's
    decision after the device's chain stopped continuing the anchored one.
    """

    __tablename__ = "device_audit_entry"
    __table_args__ = (
        Index("ix_device_audit_entry_device_seq", "device_id", "seq"),
        # The admin's audit viewer: newest first, and one person's (c0009_admin_lists).
        Index("ix_device_audit_entry_at", "at", "hash"),
        Index("ix_device_audit_entry_actor_at", "actor_id", "at"),
    )

    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"), primary_key=True)
    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    incarnation: Mapped[uuid.UUID] = mapped_column(Uuid)
    seq: Mapped[int] = mapped_column(BigInteger)
    entry_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    at: Mapped[datetime]  # the device's clock
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor_label: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)  # as hashed: JSON, not JSONB
    prev_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime]
    chain_break: Mapped[bool] = mapped_column(default=False)


class DeviceAuditAnchor(CentralBase):
    """Per device incarnation: the last anchored audit row, and a hold waiting for an admin.

    `decision` is an admin's answer to a hold ("accepted" or "rejected"): the device's next
    chain is then taken as it stands, marked `chain_break`, and anchored from there.
    """

    __tablename__ = "device_audit_anchor"

    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"), primary_key=True)
    incarnation: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    anchored_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    anchored_hash: Mapped[str | None] = mapped_column(String(64))
    held_reason: Mapped[str | None] = mapped_column(String(64))
    held_detail: Mapped[str | None] = mapped_column(String(300))
    held_at: Mapped[datetime | None]
    decision: Mapped[str | None] = mapped_column(String(16))
    decided_at: Mapped[datetime | None]


class HeldEvent(CentralBase):
    """An event pushed while its device's audit chain is held: kept for an admin's decision."""

    __tablename__ = "held_event"
    __table_args__ = (
        UniqueConstraint("device_id", "incarnation", "seq", name="uq_held_event_device_seq"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"))
    incarnation: Mapped[uuid.UUID] = mapped_column(Uuid)
    seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(64))
    schema_version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime]
    audit_seq: Mapped[int | None] = mapped_column(BigInteger)
    received_at: Mapped[datetime]


class IntegrationKey(CentralBase):
    """A key the site's ERP calls the integration API with; never a device token.

    The key is `lk_<key_id>.<secret>`: `key_id` finds the row, and the SHA-256 of the
    secret (a high-entropy random string, so a plain hash is enough) is compared in
    constant time. The key itself is printed once, at creation, and never stored.
    """

    __tablename__ = "integration_key"

    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    use_count: Mapped[int] = mapped_column(BigInteger, default=0)
    revoked_at: Mapped[datetime | None]


class CentralAuditEntry(CentralBase):
    """What was changed on the server itself (not by a device): by whom, when, to what.

    `actor` names an integration key (`key:NAME`) or a command (`cli`).
    """

    __tablename__ = "central_audit"
    __table_args__ = (
        Index("ix_central_audit_at", "at"),
        # The admin's audit viewer, filtered by kind, by person (the actor's employee number
        # or `key:NAME`) and by line, each newest first (c0009_admin_lists).
        Index("ix_central_audit_action_at", "action", "at", "id"),
        Index("ix_central_audit_person_at", text("split_part(actor, ' ', 1)"), "at", "id"),
        Index("ix_central_audit_line_at", text("(details ->> 'line')"), "at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_key: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB)


class PinSetupCode(CentralBase):
    """A person's one-time code for choosing their first PIN (`server-sync pin-code`).

    One per person (a new one replaces the last); only its hash is kept. It works once,
    until it expires, and only while the person has no PIN.
    """

    __tablename__ = "pin_setup_code"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
