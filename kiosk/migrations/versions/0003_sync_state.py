"""sync bookkeeping: the outbox numbered per incarnation with the server's answers; sync_state

Written by hand and reviewed: existing outbox events join the database's first
incarnation, and the one sync_state row continues their numbering.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 14:00:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kiosk.store.types


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    sync_state = op.create_table('sync_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('incarnation', sa.Uuid(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('acked_through', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=True),
    sa.Column('device_kind', sa.String(length=16), nullable=True),
    sa.Column('line_code', sa.String(length=32), nullable=True),
    sa.Column('department', sa.Enum('CUT', 'EMBO', 'SEW', 'FIN', 'PACK', 'WH', name='department', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('server_url', sa.String(length=300), nullable=True),
    sa.Column('cursor', sa.BigInteger(), nullable=False),
    sa.Column('epoch', sa.Uuid(), nullable=True),
    sa.Column('high_water', sa.BigInteger(), nullable=False),
    sa.Column('bootstrapped_at', kiosk.store.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('last_attempt_at', kiosk.store.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('last_success_at', kiosk.store.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.CheckConstraint('id = 1', name=op.f('ck_sync_state_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_state'))
    )
    incarnation = uuid.uuid4()
    connection = op.get_bind()
    last_seq = connection.execute(sa.text('SELECT MAX(seq) FROM outbox_event')).scalar() or 0
    op.bulk_insert(sync_state, [{
        'id': 1, 'incarnation': incarnation, 'last_seq': last_seq, 'acked_through': 0,
        'cursor': 0, 'high_water': 0,
    }])
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('incarnation', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('result', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('result_reason', sa.String(length=200), nullable=True))
        batch_op.drop_constraint('uq_outbox_event_seq', type_='unique')
    outbox = sa.table('outbox_event', sa.column('incarnation', sa.Uuid()))
    connection.execute(outbox.update().values(incarnation=incarnation))
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.alter_column('incarnation', existing_type=sa.Uuid(), nullable=False)
        batch_op.create_unique_constraint('uq_outbox_event_incarnation_seq', ['incarnation', 'seq'])


def downgrade() -> None:
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.drop_constraint('uq_outbox_event_incarnation_seq', type_='unique')
        batch_op.drop_column('result_reason')
        batch_op.drop_column('result')
        batch_op.drop_column('incarnation')
        batch_op.create_unique_constraint('uq_outbox_event_seq', ['seq'])
    op.drop_table('sync_state')
