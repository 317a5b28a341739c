"""the 街道/镇 a school is in

Revision ID: 0009_quiz_school_district
Revises: 0008_state_fallback
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_quiz_school_district"
down_revision = "0008_state_fallback"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("schools") as batch_op:
        batch_op.add_column(sa.Column("district", sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table("schools") as batch_op:
        batch_op.drop_column("district")
