"""institutions: quarterly enterprise surveys with A2 forms (S7–S9) and 送培入企 records (S10, S11)

Revision ID: 0010
Revises: 0012
Create Date: 2026-12-04 22:45:00
"""
from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0010'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('institution_surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('needs_analysis', sa.Text(), nullable=False),
    sa.Column('problems', sa.Text(), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('report_document_id', sa.Integer(), nullable=True),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('days_late', sa.Integer(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('rating', sa.String(length=10), nullable=True),
    sa.Column('score_note', sa.Text(), nullable=False),
    sa.Column('scored_on', sa.Date(), nullable=True),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instances.id'], ),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['report_document_id'], ['documents.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('organisation_id', 'year', 'quarter', name='uq_institution_survey_quarter')
    )
    with op.batch_alter_table('institution_surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institution_surveys_organisation_id'), ['organisation_id'], unique=False)
    op.create_table('survey_enterprise_forms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_name', sa.String(length=200), nullable=False),
    sa.Column('industry', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('visit_date', sa.Date(), nullable=False),
    sa.Column('enterprise_head', sa.String(length=50), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('survey_method', sa.String(length=30), nullable=False),
    sa.Column('surveyors', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('needs', sa.Text(), nullable=False),
    sa.Column('signature_document_id', sa.Integer(), nullable=False),
    sa.Column('photo_document_ids', sa.JSON(), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['signature_document_id'], ['documents.id'], ),
    sa.ForeignKeyConstraint(['survey_id'], ['institution_surveys.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('survey_enterprise_forms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_enterprise_forms_survey_id'), ['survey_id'], unique=False)
    op.create_table('outreach_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_name', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('course', sa.String(length=200), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('participants', sa.JSON(), nullable=False),
    sa.Column('counted', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('outreach_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_records_organisation_id'), ['organisation_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outreach_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_records_organisation_id'))
    op.drop_table('outreach_records')
    with op.batch_alter_table('survey_enterprise_forms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_enterprise_forms_survey_id'))
    op.drop_table('survey_enterprise_forms')
    with op.batch_alter_table('institution_surveys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institution_surveys_organisation_id'))
    op.drop_table('institution_surveys')
