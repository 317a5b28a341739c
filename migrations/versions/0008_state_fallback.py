"""conversation states kept in the database while Redis is down

Revision ID: 0008_state_fallback
Revises: 0007_quiz
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_state_fallback"
down_revision = "0007_quiz"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "conversation_states",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_conversation_states")),
    )
    with op.batch_alter_table("conversation_states") as batch_op:
        batch_op.create_index(batch_op.f("ix_conversation_states_expires_at"), ["expires_at"], unique=False)


def downgrade():
    op.drop_table("conversation_states")
