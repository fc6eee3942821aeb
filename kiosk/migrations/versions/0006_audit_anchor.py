"""audit anchor: each outbox event names its audit entry; sync_state keeps the anchored position

Written by hand and reviewed. `outbox_event.audit_seq` is the audit_log row of the action
that queued the event (older events have none); `sync_state.audit_anchored_seq` is how far
the server has anchored this kiosk's chain, `audit_held` why it holds this kiosk's events.

Revision ID: 0006_audit_anchor
Revises: 0005_device_keys
Create Date: 2026-12-06 18:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_audit_anchor"
down_revision: str | None = "0005_device_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("audit_seq", sa.Integer(), nullable=True))
    with op.batch_alter_table("sync_state", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("audit_anchored_seq", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("audit_held", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_state", schema=None) as batch_op:
        batch_op.drop_column("audit_held")
        batch_op.drop_column("audit_anchored_seq")
    with op.batch_alter_table("outbox_event", schema=None) as batch_op:
        batch_op.drop_column("audit_seq")
