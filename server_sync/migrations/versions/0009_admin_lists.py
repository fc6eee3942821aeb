"""admin lists: indexes for the admin's audit viewer (newest first, by kind, person, line)

Written by hand from server_sync/models.py and checked by the models-agree test.

Revision ID: c0009_admin_lists
Revises: c0008_first_pin
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0009_admin_lists"
down_revision: str | None = "c0008_first_pin"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_central_audit_action_at", "central_audit", ["action", "at", "id"])
    op.create_index(
        "ix_central_audit_person_at",
        "central_audit",
        [sa.text("split_part(actor, ' ', 1)"), "at", "id"],
    )
    op.create_index(
        "ix_central_audit_line_at", "central_audit", [sa.text("(details ->> 'line')"), "at", "id"]
    )
    op.create_index("ix_device_audit_entry_at", "device_audit_entry", ["at", "hash"])
    op.create_index("ix_device_audit_entry_actor_at", "device_audit_entry", ["actor_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_device_audit_entry_actor_at", table_name="device_audit_entry")
    op.drop_index("ix_device_audit_entry_at", table_name="device_audit_entry")
    op.drop_index("ix_central_audit_line_at", table_name="central_audit")
    op.drop_index("ix_central_audit_person_at", table_name="central_audit")
    op.drop_index("ix_central_audit_action_at", table_name="central_audit")
