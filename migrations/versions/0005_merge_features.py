"""merge the feature branches (garbage, parking, reports) into one head

Revision ID: 0005_merge_features
Revises: 0002_garbage, 0003_parking, 0004_reports
"""

revision = "0005_merge_features"
down_revision = ("0002_garbage", "0003_parking", "0004_reports")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
