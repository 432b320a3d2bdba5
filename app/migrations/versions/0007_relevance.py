"""Job relevance: each rating may carry the person's judgement of how important the criterion is.

``rating.relevance`` holds Lawshe's three answers (essential, useful, not-necessary) or NULL when
the person did not say; ``cohort_record.relevance`` copies the answered ones at submission for
the designer's content-validity figures. The allowed values are written out here rather than
imported, so this migration does not change when the vocabulary does.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 20:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rating", schema=None) as batch_op:
        batch_op.add_column(sa.Column("relevance", sa.String(length=20), nullable=True))
        batch_op.create_check_constraint(
            "ck_rating_relevance",
            "relevance IS NULL OR relevance IN ('essential', 'useful', 'not-necessary')",
        )
    with op.batch_alter_table("cohort_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("relevance", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cohort_record", schema=None) as batch_op:
        batch_op.drop_column("relevance")
    with op.batch_alter_table("rating", schema=None) as batch_op:
        batch_op.drop_constraint("ck_rating_relevance", type_="check")
        batch_op.drop_column("relevance")
