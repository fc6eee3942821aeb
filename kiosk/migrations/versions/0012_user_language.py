"""user language: the screens' language of a person, applied while they are logged in

Written by hand; the central database gets it too (server_sync.migrate runs the domain
migrations there first). `app_user.language` is "en", "id" or empty/NULL (the kiosk's own
language setting). Existing people have none: nothing changes for them.

Revision ID: 0012_user_language
Revises: 0011_integration
Create Date: 2026-12-07 03:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_user_language"
down_revision: str | None = "0011_integration"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("language")
