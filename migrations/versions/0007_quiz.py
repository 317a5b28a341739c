"""schools, quiz rounds and answers

Revision ID: 0007_quiz
Revises: 0006_staff
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_quiz"
down_revision = "0006_staff"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "schools",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_schools")),
    )
    op.create_table(
        "quiz_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("school_code", sa.String(length=32), nullable=True),
        sa.Column("class_name", sa.String(length=32), nullable=True),
        sa.Column("day", sa.String(length=8), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("duration_s", sa.Integer(), nullable=True),
        sa.Column("counts", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_quiz_rounds_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_rounds")),
    )
    with op.batch_alter_table("quiz_rounds") as batch_op:
        batch_op.create_index(batch_op.f("ix_quiz_rounds_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_quiz_rounds_school_code"), ["school_code"], unique=False)
        batch_op.create_index("ix_quiz_rounds_user_day", ["user_id", "day"], unique=False)
    op.create_table(
        "quiz_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=300), nullable=False),
        sa.Column("given", sa.String(length=16), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["quiz_rounds.id"], ondelete="CASCADE",
                                name=op.f("fk_quiz_answers_round_id_quiz_rounds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_answers")),
    )
    with op.batch_alter_table("quiz_answers") as batch_op:
        batch_op.create_index(batch_op.f("ix_quiz_answers_round_id"), ["round_id"], unique=False)


def downgrade():
    op.drop_table("quiz_answers")
    op.drop_table("quiz_rounds")
    op.drop_table("schools")
