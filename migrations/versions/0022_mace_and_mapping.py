"""mace and mapping: MACE panels and referrals with outcomes; mapping meetings and their members

Revision ID: 0022
Revises: 0021
Issue 12 (parts 4 and 5): mace_panel (a meeting date of the operational MACE panel, one a day),
mace_referral (a concern referred to the panel, from its page or a Hub decision; the outcome),
mapping_meeting (due within 10 working days of a "mapping meeting" route decision; the context
weighting and whether a conference follows) and mapping_member (a known child, or a described
person). Every free-text column is encrypted by the app (EncryptedText).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('mace_panel',
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meets_on', sa.Date(), nullable=False),
    sa.Column('convened_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['convened_by_id'], ['practitioner.id'], name=op.f('fk_mace_panel_convened_by_id_practitioner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mace_panel'))
    )
    with op.batch_alter_table('mace_panel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mace_panel_convened_by_id'), ['convened_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mace_panel_meets_on'), ['meets_on'], unique=True)

    op.create_table('mapping_meeting',
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concern_id', sa.Integer(), nullable=False),
    sa.Column('route_decision_id', sa.Integer(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('weighting', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('weighting_reasons', sa.Text(), nullable=True),
    sa.Column('conference_to_follow', sa.Boolean(), nullable=True),
    sa.Column('weighed_by_id', sa.Integer(), nullable=True),
    sa.Column('weighed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['concern_id'], ['concern.id'], name=op.f('fk_mapping_meeting_concern_id_concern')),
    sa.ForeignKeyConstraint(['route_decision_id'], ['route_decision.id'], name=op.f('fk_mapping_meeting_route_decision_id_route_decision')),
    sa.ForeignKeyConstraint(['weighed_by_id'], ['practitioner.id'], name=op.f('fk_mapping_meeting_weighed_by_id_practitioner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mapping_meeting'))
    )
    with op.batch_alter_table('mapping_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mapping_meeting_concern_id'), ['concern_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mapping_meeting_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_mapping_meeting_route_decision_id'), ['route_decision_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_mapping_meeting_weighed_by_id'), ['weighed_by_id'], unique=False)

    op.create_table('mace_referral',
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concern_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=True),
    sa.Column('hub_enquiry_id', sa.Integer(), nullable=True),
    sa.Column('referred_by_id', sa.Integer(), nullable=False),
    sa.Column('referred_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
    sa.Column('outcome_notes', sa.Text(), nullable=True),
    sa.Column('outcome_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_mace_referral_child_id_child')),
    sa.ForeignKeyConstraint(['concern_id'], ['concern.id'], name=op.f('fk_mace_referral_concern_id_concern')),
    sa.ForeignKeyConstraint(['hub_enquiry_id'], ['hub_enquiry.id'], name=op.f('fk_mace_referral_hub_enquiry_id_hub_enquiry')),
    sa.ForeignKeyConstraint(['outcome_by_id'], ['practitioner.id'], name=op.f('fk_mace_referral_outcome_by_id_practitioner')),
    sa.ForeignKeyConstraint(['panel_id'], ['mace_panel.id'], name=op.f('fk_mace_referral_panel_id_mace_panel')),
    sa.ForeignKeyConstraint(['referred_by_id'], ['practitioner.id'], name=op.f('fk_mace_referral_referred_by_id_practitioner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mace_referral'))
    )
    with op.batch_alter_table('mace_referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mace_referral_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mace_referral_concern_id'), ['concern_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mace_referral_hub_enquiry_id'), ['hub_enquiry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mace_referral_outcome_by_id'), ['outcome_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mace_referral_panel_id'), ['panel_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mace_referral_referred_by_id'), ['referred_by_id'], unique=False)

    op.create_table('mapping_member',
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mapping_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('added_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['practitioner.id'], name=op.f('fk_mapping_member_added_by_id_practitioner')),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_mapping_member_child_id_child')),
    sa.ForeignKeyConstraint(['mapping_id'], ['mapping_meeting.id'], name=op.f('fk_mapping_member_mapping_id_mapping_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mapping_member'))
    )
    with op.batch_alter_table('mapping_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mapping_member_added_by_id'), ['added_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mapping_member_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mapping_member_mapping_id'), ['mapping_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('mapping_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mapping_member_mapping_id'))
        batch_op.drop_index(batch_op.f('ix_mapping_member_child_id'))
        batch_op.drop_index(batch_op.f('ix_mapping_member_added_by_id'))

    op.drop_table('mapping_member')
    with op.batch_alter_table('mace_referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mace_referral_referred_by_id'))
        batch_op.drop_index(batch_op.f('ix_mace_referral_panel_id'))
        batch_op.drop_index(batch_op.f('ix_mace_referral_outcome_by_id'))
        batch_op.drop_index(batch_op.f('ix_mace_referral_hub_enquiry_id'))
        batch_op.drop_index(batch_op.f('ix_mace_referral_concern_id'))
        batch_op.drop_index(batch_op.f('ix_mace_referral_child_id'))

    op.drop_table('mace_referral')
    with op.batch_alter_table('mapping_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mapping_meeting_weighed_by_id'))
        batch_op.drop_index(batch_op.f('ix_mapping_meeting_route_decision_id'))
        batch_op.drop_index(batch_op.f('ix_mapping_meeting_due_on'))
        batch_op.drop_index(batch_op.f('ix_mapping_meeting_concern_id'))

    op.drop_table('mapping_meeting')
    with op.batch_alter_table('mace_panel', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mace_panel_meets_on'))
        batch_op.drop_index(batch_op.f('ix_mace_panel_convened_by_id'))

    op.drop_table('mace_panel')
