"""enrolment throttle: wrong codes per client address, and its lockout

Revision ID: c0002_enrol_throttle
Revises: c0001
Create Date: 2026-12-06 18:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kiosk.store.types

revision: str = "c0002_enrol_throttle"
down_revision: str | None = "c0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "enrol_throttle",
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column(
            "window_started_at", kiosk.store.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", kiosk.store.types.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("address", name=op.f("pk_enrol_throttle")),
    )


def downgrade() -> None:
    op.drop_table("enrol_throttle")
