"""Cohort versions: one number per programme, bumped with every change to its cohort rows or EIA notes.

Cached designer documents (the EIA's PDF and Word file, the inclusivity report) are keyed by it,
so telling whether a cached file is current is one primary-key read instead of a scan of the
programme's rows. The table starts empty: a programme without a row reads as "none", and its
first change makes the row (``app.designer.tallies.bump``). Documents cached before this upgrade
were keyed differently and are never served again.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 21:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cohort_version",
        sa.Column("framework_id", sa.String(length=60), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("framework_id", name=op.f("pk_cohort_version")),
    )


def downgrade() -> None:
    op.drop_table("cohort_version")
