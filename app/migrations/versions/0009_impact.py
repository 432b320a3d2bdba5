"""Impact over time: what people say about taking a programme, and readiness per domain per row.

``programme_progress`` holds one row per person and programme (enrolled or completed, and the
month); ``cohort_record.domain_scores`` copies each submission's readiness per domain so the
designer can see the change per domain between a person's first and latest assessment. Existing
rows are filled from their assessment's stored result. The statuses are written out here rather
than imported, so this migration does not change when the vocabulary does.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 21:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "programme_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("month >= 1 AND month <= 12", name="ck_programme_progress_month"),
        sa.CheckConstraint("status IN ('enrolled', 'completed')", name="ck_programme_progress_status"),
        sa.CheckConstraint("year >= 1950", name="ck_programme_progress_year"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "framework_id", name="uq_programme_progress_user_programme"),
    )
    with op.batch_alter_table("cohort_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("domain_scores", sa.JSON(), nullable=True))
    _fill_domain_scores()


def _fill_domain_scores() -> None:
    """Copy each existing row's domain readiness from its assessment's result, in batches."""
    bind = op.get_bind()
    cohort = sa.table(
        "cohort_record",
        sa.column("id", sa.Integer),
        sa.column("assessment_id", sa.Integer),
        sa.column("domain_scores", sa.JSON),
    )
    assessment = sa.table("assessment", sa.column("id", sa.Integer), sa.column("result", sa.JSON))
    last = 0
    while True:
        rows = bind.execute(
            sa.select(cohort.c.id, assessment.c.result)
            .join(assessment, assessment.c.id == cohort.c.assessment_id)
            .where(cohort.c.id > last)
            .order_by(cohort.c.id)
            .limit(2000)
        ).all()
        if not rows:
            return
        for record_id, result in rows:
            domains = ((result or {}).get("readiness") or {}).get("domains") or ()
            scores = {str(d["id"]): float(d["score"]) for d in domains if "id" in d and "score" in d}
            if scores:
                bind.execute(sa.update(cohort).where(cohort.c.id == record_id).values(domain_scores=scores))
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("cohort_record", schema=None) as batch_op:
        batch_op.drop_column("domain_scores")
    op.drop_table("programme_progress")
