"""integration: the ERP's API keys, and the audit of what the server itself changed

Written by hand from server_sync/models.py and checked by the models-agree test.

Revision ID: c0006_integration
Revises: c0005_audit_anchor
Create Date: 2026-12-06 22:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import kiosk.store.types

revision: str = "c0006_integration"
down_revision: str | None = "c0005_audit_anchor"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIME = kiosk.store.types.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "integration_key",
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("last_used_at", _TIME, nullable=True),
        sa.Column("use_count", sa.BigInteger(), nullable=False),
        sa.Column("revoked_at", _TIME, nullable=True),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_integration_key")),
        sa.UniqueConstraint("name", name=op.f("uq_integration_key_name")),
    )
    op.create_table(
        "central_audit",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", _TIME, nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_key", sa.String(length=64), nullable=True),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_central_audit")),
    )
    op.create_index("ix_central_audit_at", "central_audit", ["at"])


def downgrade() -> None:
    op.drop_index("ix_central_audit_at", table_name="central_audit")
    op.drop_table("central_audit")
    op.drop_table("integration_key")
