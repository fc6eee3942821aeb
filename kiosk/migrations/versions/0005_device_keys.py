"""slip_key: every device's public slip-signing key, pulled from the server

Written by hand and checked by the models-agree test.

Revision ID: 0005_device_keys
Revises: 0003
Create Date: 2026-12-06 18:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kiosk.store.types


revision: str = '0005_device_keys'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('slip_key',
    sa.Column('key_id', sa.String(length=16), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('public_key', sa.String(length=44), nullable=False),
    sa.Column('line_code', sa.String(length=32), nullable=True),
    sa.Column('department', sa.String(length=8), nullable=True),
    sa.Column('revoked_at', kiosk.store.types.UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key_id', name=op.f('pk_slip_key'))
    )


def downgrade() -> None:
    op.drop_table('slip_key')
