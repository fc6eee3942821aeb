"""results feed: applied events numbered in commit order for the ERP (applied_event.result_seq)

Written by hand from server_sync/models.py and checked by the models-agree test. Events
already recorded are numbered in the order the server received them.

Revision ID: c0007_results
Revises: c0006_integration
Create Date: 2026-12-06 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0007_results"
down_revision: str | None = "c0006_integration"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "feed_state",
        sa.Column("results_high_water", sa.BigInteger(), nullable=False, server_default="0"),
    )
    op.alter_column("feed_state", "results_high_water", server_default=None)
    op.add_column("applied_event", sa.Column("result_seq", sa.BigInteger(), nullable=True))
    op.execute(
        """
        UPDATE applied_event SET result_seq = numbered.n
        FROM (
            SELECT id, row_number() OVER (
                ORDER BY received_at, device_id, incarnation, seq
            ) AS n
            FROM applied_event
        ) AS numbered
        WHERE applied_event.id = numbered.id
        """
    )
    op.execute(
        "UPDATE feed_state SET results_high_water = "
        "(SELECT coalesce(max(result_seq), 0) FROM applied_event)"
    )
    op.alter_column("applied_event", "result_seq", nullable=False)
    op.create_unique_constraint(
        op.f("uq_applied_event_result_seq"), "applied_event", ["result_seq"]
    )


def downgrade() -> None:
    op.drop_constraint(op.f("uq_applied_event_result_seq"), "applied_event", type_="unique")
    op.drop_column("applied_event", "result_seq")
    op.drop_column("feed_state", "results_high_water")
