"""jobs outbox: background jobs written in the step's transaction

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 18:30:00
"""
from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=80), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('subject', sa.String(length=100), nullable=True),
        sa.Column('dedupe_key', sa.String(length=200), nullable=True),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('max_attempts', sa.Integer(), nullable=False),
        sa.Column('run_after', storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('dispatched_at', storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('lease_until', storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('worker', sa.String(length=100), nullable=True),
        sa.Column('progress_done', sa.Integer(), nullable=False),
        sa.Column('progress_total', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('started_at', storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('finished_at', storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'job_schedules',
        sa.Column('kind', sa.String(length=80), nullable=False),
        sa.Column('last_slot', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('kind'),
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index('ix_jobs_state_run_after', ['state', 'run_after'], unique=False)
        batch_op.create_index('ix_jobs_subject', ['subject', 'kind'], unique=False)
        batch_op.create_index('ix_jobs_dedupe', ['dedupe_key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_jobs_dedupe')
        batch_op.drop_index('ix_jobs_subject')
        batch_op.drop_index('ix_jobs_state_run_after')
    op.drop_table('jobs')
    op.drop_table('job_schedules')
