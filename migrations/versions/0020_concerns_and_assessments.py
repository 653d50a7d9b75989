"""concerns and assessments: a concern, its Safer Me Assessments, route decisions and Hub enquiries

Revision ID: 0020
Revises: 0019
Issue 12 (parts 1-2, and the Hub's queue): concern (about a young person, a peer group or
location, or people of concern), assessment (risks and protective factors by area, the risk grade
and why; a re-assessment is a new row), route_decision (the pathway proposed by the flowchart and
the one decided, by whom and when) and hub_enquiry (due within one working day; the Hub's
decision). Every free-text column is encrypted by the app (EncryptedText).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('concern',
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_concern_child_id_child')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['practitioner.id'], name=op.f('fk_concern_recorded_by_id_practitioner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concern'))
    )
    with op.batch_alter_table('concern', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concern_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_concern_recorded_by_id'), ['recorded_by_id'], unique=False)

    op.create_table('assessment',
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concern_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('areas', sa.Text(), nullable=False),
    sa.Column('grade', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('nature', sa.Text(), nullable=False),
    sa.Column('severity', sa.Text(), nullable=False),
    sa.Column('frequency', sa.Text(), nullable=False),
    sa.Column('impact', sa.Text(), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('assessed_by_id', sa.Integer(), nullable=False),
    sa.Column('assessed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessed_by_id'], ['practitioner.id'], name=op.f('fk_assessment_assessed_by_id_practitioner')),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_assessment_child_id_child')),
    sa.ForeignKeyConstraint(['concern_id'], ['concern.id'], name=op.f('fk_assessment_concern_id_concern')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment'))
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_assessed_by_id'), ['assessed_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_concern_id'), ['concern_id'], unique=False)

    op.create_table('route_decision',
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concern_id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('proposed', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('chosen', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_route_decision_assessment_id_assessment')),
    sa.ForeignKeyConstraint(['concern_id'], ['concern.id'], name=op.f('fk_route_decision_concern_id_concern')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['practitioner.id'], name=op.f('fk_route_decision_decided_by_id_practitioner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_route_decision'))
    )
    with op.batch_alter_table('route_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_route_decision_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_route_decision_concern_id'), ['concern_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_route_decision_decided_by_id'), ['decided_by_id'], unique=False)

    op.create_table('hub_enquiry',
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concern_id', sa.Integer(), nullable=False),
    sa.Column('route_decision_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('action', sa.Text(), nullable=True),
    sa.Column('mace_notified_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_hub_enquiry_child_id_child')),
    sa.ForeignKeyConstraint(['concern_id'], ['concern.id'], name=op.f('fk_hub_enquiry_concern_id_concern')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['practitioner.id'], name=op.f('fk_hub_enquiry_decided_by_id_practitioner')),
    sa.ForeignKeyConstraint(['route_decision_id'], ['route_decision.id'], name=op.f('fk_hub_enquiry_route_decision_id_route_decision')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_enquiry'))
    )
    with op.batch_alter_table('hub_enquiry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hub_enquiry_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hub_enquiry_concern_id'), ['concern_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hub_enquiry_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hub_enquiry_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_hub_enquiry_route_decision_id'), ['route_decision_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('hub_enquiry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hub_enquiry_route_decision_id'))
        batch_op.drop_index(batch_op.f('ix_hub_enquiry_due_on'))
        batch_op.drop_index(batch_op.f('ix_hub_enquiry_decided_by_id'))
        batch_op.drop_index(batch_op.f('ix_hub_enquiry_concern_id'))
        batch_op.drop_index(batch_op.f('ix_hub_enquiry_child_id'))

    op.drop_table('hub_enquiry')
    with op.batch_alter_table('route_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_route_decision_decided_by_id'))
        batch_op.drop_index(batch_op.f('ix_route_decision_concern_id'))
        batch_op.drop_index(batch_op.f('ix_route_decision_assessment_id'))

    op.drop_table('route_decision')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_concern_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_child_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_assessed_by_id'))

    op.drop_table('assessment')
    with op.batch_alter_table('concern', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_concern_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_concern_child_id'))

    op.drop_table('concern')
