"""integration: lines can be retired; work orders can be cancelled or closed by the ERP

Written by hand and reviewed; the central database gets it too (server_sync.migrate runs
the domain migrations there first). `line.is_active` (true for existing lines) lets the
site's ERP retire a line without deleting its history; `work_order.status` may now be
`CANCELLED` or `CLOSED` (set through the integration API only).

Revision ID: 0011_integration
Revises: 0010_pin_throttle
Create Date: 2026-12-06 22:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_integration"
down_revision: str | None = "0010_pin_throttle"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_STATUSES = ("RELEASED", "IN_PROGRESS", "PAUSED", "COMPLETED")
_NEW_STATUSES = (*_OLD_STATUSES, "CANCELLED", "CLOSED")


def _status_check(statuses: Sequence[str]) -> str:
    return "status IN ({})".format(", ".join(f"'{status}'" for status in statuses))


def upgrade() -> None:
    with op.batch_alter_table("line", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    with op.batch_alter_table("work_order", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_work_order_wo_status"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_work_order_wo_status"), _status_check(_NEW_STATUSES)
        )


def downgrade() -> None:
    # Cancelled and closed work orders have no status before this revision: they read as done.
    op.execute("UPDATE work_order SET status = 'COMPLETED' WHERE status IN ('CANCELLED', 'CLOSED')")
    with op.batch_alter_table("work_order", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_work_order_wo_status"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_work_order_wo_status"), _status_check(_OLD_STATUSES)
        )
    with op.batch_alter_table("line", schema=None) as batch_op:
        batch_op.drop_column("is_active")
