"""garbage item tips and authors; the ticket notification outbox

Revision ID: 0010_outbox_and_item_tips
Revises: 0009_quiz_school_district
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_outbox_and_item_tips"
down_revision = "0009_quiz_school_district"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("garbage_items") as batch_op:
        batch_op.add_column(sa.Column("tip", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("added_by", sa.String(length=40), nullable=True))
    op.create_table(
        "ticket_notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("history_id", sa.Integer(), nullable=False),
        sa.Column("openid", sa.String(length=64), nullable=False),
        sa.Column("asks_rating", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("errcode", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], ondelete="CASCADE",
                                name=op.f("fk_ticket_notifications_ticket_id_tickets")),
        sa.ForeignKeyConstraint(["history_id"], ["ticket_history.id"], ondelete="CASCADE",
                                name=op.f("fk_ticket_notifications_history_id_ticket_history")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_notifications")),
        sa.UniqueConstraint("history_id", "openid", name=op.f("uq_ticket_notifications_history_id")),
    )
    with op.batch_alter_table("ticket_notifications") as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_notifications_ticket_id"), ["ticket_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ticket_notifications_status"), ["status"], unique=False)


def downgrade():
    op.drop_table("ticket_notifications")
    with op.batch_alter_table("garbage_items") as batch_op:
        batch_op.drop_column("added_by")
        batch_op.drop_column("tip")
