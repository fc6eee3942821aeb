"""device_key: each device's public slip-signing key; the site's shared slip key retired

Written by hand from server_sync/models.py and checked by the models-agree test. The
site-wide HMAC slip keys (`site-key-<site>`) are deleted with their feed rows: no
device is handed them again.

Revision ID: c0003_device_keys
Revises: c0002_enrol_throttle
Create Date: 2026-12-06 18:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kiosk.store.types

revision: str = "c0003_device_keys"
down_revision: str | None = "c0002_enrol_throttle"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "device_key",
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", kiosk.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", kiosk.store.types.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_device_key_device_id_device")
        ),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_device_key")),
    )
    op.create_index(op.f("ix_device_key_device_id"), "device_key", ["device_id"], unique=False)
    op.execute("DELETE FROM site_secret WHERE name LIKE 'site-key-%'")
    op.execute("DELETE FROM change_feed WHERE entity = 'site_key' AND key LIKE 'site-key-%'")


def downgrade() -> None:
    op.drop_index(op.f("ix_device_key_device_id"), table_name="device_key")
    op.drop_table("device_key")
