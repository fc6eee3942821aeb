"""first PIN: one-time setup codes for a person's first PIN (only their hash)

Written by hand from server_sync/models.py and checked by the models-agree test.

Revision ID: c0008_first_pin
Revises: c0007_results
Create Date: 2026-12-06 22:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kiosk.store.types

revision: str = "c0008_first_pin"
down_revision: str | None = "c0007_results"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIME = kiosk.store.types.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "pin_setup_code",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("expires_at", _TIME, nullable=False),
        sa.Column("used_at", _TIME, nullable=True),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_pin_setup_code")),
    )


def downgrade() -> None:
    op.drop_table("pin_setup_code")
