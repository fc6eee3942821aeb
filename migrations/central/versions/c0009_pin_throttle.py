"""pin throttle: when a person's last counted wrong PIN reached the server (one count rule)

Written by hand from kiosk/store/models.py and checked by the models-agree test. Both
central counting paths (pushed `pin.refused` events and the identity requests) date
`app_user.failed_pin_count` with this column instead of searching the applied events.

Revision ID: c0009_pin_throttle
Revises: c0005_audit_anchor
Create Date: 2026-12-06 21:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kiosk.store.types

revision: str = "c0009_pin_throttle"
down_revision: str | None = "c0005_audit_anchor"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "app_user",
        sa.Column(
            "last_wrong_pin_at", kiosk.store.types.UtcDateTime(timezone=True), nullable=True
        ),
    )


def downgrade() -> None:
    op.drop_column("app_user", "last_wrong_pin_at")
