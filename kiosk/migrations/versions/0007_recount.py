"""recount: a transfer keeps the receiver's first blind count beside the recount

Written by hand and reviewed. `transfer.first_counted_qty` and `first_counted_by` are the
first count that did not match and who made it; NULL when the first count matched (or the
transfer was counted before the recount existed).

Revision ID: 0007_recount
Revises: 0006_audit_anchor
Create Date: 2026-12-06 21:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_recount"
down_revision: str | None = "0006_audit_anchor"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("transfer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_counted_qty", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("first_counted_by", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("transfer", schema=None) as batch_op:
        batch_op.drop_column("first_counted_by")
        batch_op.drop_column("first_counted_qty")
