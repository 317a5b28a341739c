"""parking lots and operators

Revision ID: 0003_parking
Revises: 0001_core
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_parking"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "parking_operators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parking_operators")),
        sa.UniqueConstraint("name", name=op.f("uq_parking_operators_name")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_parking_operators_key_hash")),
    )
    op.create_table(
        "parking_lots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lng", sa.Float(), nullable=False),
        sa.Column("spaces", sa.Integer(), nullable=False),
        sa.Column("schedule", sa.String(length=300), nullable=False),
        sa.Column("fee", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sample", sa.Boolean(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("free_spaces", sa.Integer(), nullable=True),
        sa.Column("free_updated_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["operator_id"], ["parking_operators.id"],
                                name=op.f("fk_parking_lots_operator_id_parking_operators")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parking_lots")),
        sa.UniqueConstraint("name", "address", name=op.f("uq_parking_lots_name")),
    )


def downgrade():
    op.drop_table("parking_lots")
    op.drop_table("parking_operators")
