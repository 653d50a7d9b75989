"""push subscriptions: family phones told that something is new in their plan

Revision ID: 0028
Revises: 0027
Issue 10 (item 1): push_subscription (member, the phone's passkey and sign-in session, endpoint (unique), the phone's
keys encrypted at rest, created and last sent). The lead re-chains this at merge.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0028'
down_revision: str | None = '0027'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('push_subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('passkey_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('endpoint', sqlmodel.sql.sqltypes.AutoString(length=800), nullable=False),
    sa.Column('p256dh', sa.Text(), nullable=False),
    sa.Column('auth', sa.Text(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['family_member.id'], name=op.f('fk_push_subscription_member_id_family_member')),
    sa.ForeignKeyConstraint(['passkey_id'], ['passkey.id'], name=op.f('fk_push_subscription_passkey_id_passkey')),
    sa.ForeignKeyConstraint(['session_id'], ['sign_in_session.id'], name=op.f('fk_push_subscription_session_id_sign_in_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_subscription')),
    sa.UniqueConstraint('endpoint', name=op.f('uq_push_subscription_endpoint')),
    )
    with op.batch_alter_table('push_subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_push_subscription_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_push_subscription_passkey_id'), ['passkey_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_push_subscription_session_id'), ['session_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('push_subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_subscription_session_id'))
        batch_op.drop_index(batch_op.f('ix_push_subscription_passkey_id'))
        batch_op.drop_index(batch_op.f('ix_push_subscription_member_id'))
    op.drop_table('push_subscription')
