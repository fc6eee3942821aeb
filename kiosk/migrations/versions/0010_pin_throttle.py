"""pin throttle: when a person's last counted wrong PIN was typed (the count's window)

Written by hand and reviewed; the central database gets it too (server_sync.migrate runs
the domain migrations there first). `app_user.last_wrong_pin_at` dates `failed_pin_count`:
wrong PINs further apart than the lockout policy's window do not add up, and the
PIN pad's growing wait runs from it. Existing counts have no date and start afresh.

Revision ID: 0010_pin_throttle
Revises: 0008_corrections
Create Date: 2026-12-06 21:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kiosk.store.types

revision: str = "0010_pin_throttle"
down_revision: str | None = "0008_corrections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "last_wrong_pin_at",
                kiosk.store.types.UtcDateTime(timezone=True),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("last_wrong_pin_at")
