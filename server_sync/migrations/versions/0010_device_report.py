"""device report: the kiosk's program version and the events waiting in its outbox

Each sync request states them (a claim, shown to the admin, never acted on).
Written by hand from server_sync/models.py and checked by the models-agree test.

Revision ID: c0010_device_report
Revises: c0009_admin_lists
Create Date: 2026-12-07 03:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0010_device_report"
down_revision: str | None = "c0009_admin_lists"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("device", sa.Column("program_version", sa.String(length=40), nullable=True))
    op.add_column("device", sa.Column("events_waiting", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    op.drop_column("device", "events_waiting")
    op.drop_column("device", "program_version")
