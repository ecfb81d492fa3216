"""quarterly training plans (S12)

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-04 22:40:00
"""
from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0011'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('training_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('review_comment', sa.String(length=500), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instances.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('institution_id', 'year', 'quarter', name='uq_training_plans_quarter')
    )
    with op.batch_alter_table('training_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_plans_institution_id'), ['institution_id'], unique=False)
    op.create_table('training_plan_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('job_type', sa.String(length=40), nullable=False),
    sa.Column('training_kind', sa.String(length=20), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['training_plans.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('training_plan_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_plan_entries_plan_id'), ['plan_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('training_plan_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_plan_entries_plan_id'))
    op.drop_table('training_plan_entries')
    with op.batch_alter_table('training_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_plans_institution_id'))
    op.drop_table('training_plans')
