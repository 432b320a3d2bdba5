"""Cohort rows carry the person's consent, so designer figures need no join to the profile per row.

The new ``consented`` column is filled from each person's profile; from then on
``app.designer.services.set_consent_for_user`` keeps it in step whenever consent changes. The
programme index is replaced by one that covers the counted rows' filter and what the overview
and the dashboard's cohort date read.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 20:42:45.420101

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cohort_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consented", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.drop_index(batch_op.f("ix_cohort_record_programme"))
        batch_op.create_index(
            "ix_cohort_record_counted",
            ["framework_id", "is_latest", "consented", "framework_version", "submitted_at"],
            unique=False,
        )
    cohort = sa.table(
        "cohort_record", sa.column("user_id", sa.Integer()), sa.column("consented", sa.Boolean())
    )
    profile = sa.table(
        "profile", sa.column("user_id", sa.Integer()), sa.column("consent_aggregate", sa.Boolean())
    )
    consent = (
        sa.select(profile.c.consent_aggregate).where(profile.c.user_id == cohort.c.user_id).scalar_subquery()
    )
    op.execute(cohort.update().values(consented=sa.func.coalesce(consent, sa.false())))


def downgrade() -> None:
    with op.batch_alter_table("cohort_record", schema=None) as batch_op:
        batch_op.drop_index("ix_cohort_record_counted")
        batch_op.create_index(
            batch_op.f("ix_cohort_record_programme"), ["framework_id", "is_latest", "user_id"], unique=False
        )
        batch_op.drop_column("consented")
