"""keywords staff add to the classifier in the dashboard

Revision ID: 0011_staff_keywords
Revises: 0010_outbox_and_item_tips
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_staff_keywords"
down_revision = "0010_outbox_and_item_tips"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "staff_keywords",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("keyword", sa.String(length=20), nullable=False),
        sa.Column("category_code", sa.String(length=32), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["category_code"], ["categories.code"],
                                name=op.f("fk_staff_keywords_category_code_categories")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_keywords")),
        sa.UniqueConstraint("keyword", name=op.f("uq_staff_keywords_keyword")),
    )


def downgrade():
    op.drop_table("staff_keywords")
