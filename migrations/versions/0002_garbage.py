"""garbage dictionary and unknown items

Revision ID: 0002_garbage
Revises: 0001_core
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_garbage"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "garbage_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=8), nullable=False),
        sa.Column("aliases", sa.String(length=200), nullable=False),
        sa.Column("sources", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_garbage_items")),
        sa.UniqueConstraint("name", name=op.f("uq_garbage_items_name")),
    )
    op.create_table(
        "garbage_unknown",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phrase", sa.String(length=40), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("suggestion", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_garbage_unknown")),
        sa.UniqueConstraint("phrase", name=op.f("uq_garbage_unknown_phrase")),
    )


def downgrade():
    op.drop_table("garbage_unknown")
    op.drop_table("garbage_items")
