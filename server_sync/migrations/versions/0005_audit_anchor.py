"""audit anchor: the central copy of every device's audit chain, its anchors and held events

Written by hand from server_sync/models.py and checked by the models-agree test.

Revision ID: c0005_audit_anchor
Revises: c0003_device_keys
Create Date: 2026-12-06 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import kiosk.store.types

revision: str = "c0005_audit_anchor"
down_revision: str | None = "c0003_device_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIME = kiosk.store.types.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "device_audit_entry",
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("incarnation", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("at", _TIME, nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("actor_label", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("received_at", _TIME, nullable=False),
        sa.Column("chain_break", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_device_audit_entry_device_id_device")
        ),
        sa.PrimaryKeyConstraint("device_id", "hash", name=op.f("pk_device_audit_entry")),
    )
    op.create_index("ix_device_audit_entry_device_seq", "device_audit_entry", ["device_id", "seq"])
    op.create_table(
        "device_audit_anchor",
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("incarnation", sa.Uuid(), nullable=False),
        sa.Column("anchored_seq", sa.BigInteger(), nullable=False),
        sa.Column("anchored_hash", sa.String(length=64), nullable=True),
        sa.Column("held_reason", sa.String(length=64), nullable=True),
        sa.Column("held_detail", sa.String(length=300), nullable=True),
        sa.Column("held_at", _TIME, nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("decided_at", _TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_device_audit_anchor_device_id_device")
        ),
        sa.PrimaryKeyConstraint("device_id", "incarnation", name=op.f("pk_device_audit_anchor")),
    )
    op.create_table(
        "held_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("incarnation", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("audit_seq", sa.BigInteger(), nullable=True),
        sa.Column("received_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_held_event_device_id_device")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_event")),
        sa.UniqueConstraint("device_id", "incarnation", "seq", name="uq_held_event_device_seq"),
    )


def downgrade() -> None:
    op.drop_table("held_event")
    op.drop_table("device_audit_anchor")
    op.drop_index("ix_device_audit_entry_device_seq", table_name="device_audit_entry")
    op.drop_table("device_audit_entry")
