"""supervisor points ledger

Revision ID: 0004_reports
Revises: 0001_core
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_reports"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "supervisor_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["supervisor_id"], ["supervisors.id"],
                                name=op.f("fk_supervisor_points_supervisor_id_supervisors")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], ondelete="SET NULL",
                                name=op.f("fk_supervisor_points_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervisor_points")),
    )
    with op.batch_alter_table("supervisor_points") as batch_op:
        batch_op.create_index(batch_op.f("ix_supervisor_points_supervisor_id"), ["supervisor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_supervisor_points_created_at"), ["created_at"], unique=False)


def downgrade():
    op.drop_table("supervisor_points")
