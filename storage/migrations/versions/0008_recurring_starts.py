"""recurring starts (processes the calendar starts once per organisation and period)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 21:40:00
"""
from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('recurring_starts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_key', sa.String(length=100), nullable=False),
    sa.Column('period', sa.String(length=20), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instances.id'], ),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('process_key', 'period', 'organisation_id', name='uq_recurring_starts_once')
    )
    with op.batch_alter_table('recurring_starts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recurring_starts_organisation_id'), ['organisation_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('recurring_starts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recurring_starts_organisation_id'))
    op.drop_table('recurring_starts')
