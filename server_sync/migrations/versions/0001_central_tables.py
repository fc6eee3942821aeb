"""central tables: devices, enrolment codes, incarnations, applied events, change feed

Written by hand from server_sync/models.py and checked by the models-agree test.

Revision ID: c0001
Revises:
Create Date: 2026-12-01 14:30:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import kiosk.store.types

revision: str = "c0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "device",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("line_code", sa.String(length=32), nullable=True),
        sa.Column("department", sa.String(length=8), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("enrolled_at", kiosk.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", kiosk.store.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_seen_at", kiosk.store.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("clock_offset_seconds", sa.Float(), nullable=True),
        sa.Column("clock_alerted_at", kiosk.store.types.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_device_token_hash")),
    )
    op.create_table(
        "enrolment_code",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("line_code", sa.String(length=32), nullable=True),
        sa.Column("department", sa.String(length=8), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", kiosk.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", kiosk.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("used_at", kiosk.store.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_enrolment_code")),
    )
    op.create_table(
        "device_incarnation",
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("incarnation", sa.Uuid(), nullable=False),
        sa.Column("next_seq", sa.BigInteger(), nullable=False),
        sa.Column("started_at", kiosk.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("rewind_alerted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_device_incarnation_device_id_device")
        ),
        sa.PrimaryKeyConstraint("device_id", "incarnation", name=op.f("pk_device_incarnation")),
    )
    op.create_table(
        "applied_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("incarnation", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", kiosk.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("received_at", kiosk.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_applied_event_device_id_device")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applied_event")),
        sa.UniqueConstraint("device_id", "incarnation", "seq", name="uq_applied_event_device_seq"),
    )
    op.create_index("ix_applied_event_received_at", "applied_event", ["received_at"], unique=False)
    op.create_table(
        "change_feed",
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("audience", postgresql.ARRAY(sa.String(length=48)), nullable=False),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("entity", "key", name=op.f("pk_change_feed")),
        sa.UniqueConstraint("seq", name=op.f("uq_change_feed_seq")),
    )
    op.create_index(
        "ix_change_feed_audience", "change_feed", ["audience"], unique=False, postgresql_using="gin"
    )
    feed_state = op.create_table(
        "feed_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("epoch", sa.Uuid(), nullable=False),
        sa.Column("high_water", sa.BigInteger(), nullable=False),
        sa.Column("floor", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_state")),
    )
    op.bulk_insert(feed_state, [{"id": 1, "epoch": uuid.uuid4(), "high_water": 0, "floor": 0}])
    op.create_table(
        "site_secret",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_site_secret")),
    )
    op.create_table(
        "transfer_dispute",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("slip_id", sa.String(length=24), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("detail", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("raised_at", kiosk.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_dispute")),
    )
    op.create_index(
        op.f("ix_transfer_dispute_slip_id"), "transfer_dispute", ["slip_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_transfer_dispute_slip_id"), table_name="transfer_dispute")
    op.drop_table("transfer_dispute")
    op.drop_table("site_secret")
    op.drop_table("feed_state")
    op.drop_index("ix_change_feed_audience", table_name="change_feed", postgresql_using="gin")
    op.drop_table("change_feed")
    op.drop_index("ix_applied_event_received_at", table_name="applied_event")
    op.drop_table("applied_event")
    op.drop_table("device_incarnation")
    op.drop_table("enrolment_code")
    op.drop_table("device")
