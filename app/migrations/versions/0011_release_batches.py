"""Release batches: designer figures change only when enough people's submissions are waiting.

Two columns on ``cohort_record``: ``released`` (the row has been published to designers) and
``counted`` (the person's latest released row of the programme, the one every designer figure
counts). Every existing row was already shown, so each is marked released and the rows that
counted until now (``is_latest``) keep counting: figures read the same after the upgrade. The
counted rows' index follows the new column, and a small index finds the people waiting for
the next release of a programme (``app.designer.tallies.release_due``).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 02:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cohort_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("released", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("counted", sa.Boolean(), server_default=sa.false(), nullable=False))
    cohort = sa.table(
        "cohort_record",
        sa.column("is_latest", sa.Boolean()),
        sa.column("released", sa.Boolean()),
        sa.column("counted", sa.Boolean()),
    )
    op.execute(cohort.update().values(released=sa.true(), counted=cohort.c.is_latest))
    with op.batch_alter_table("cohort_record", schema=None) as batch_op:
        batch_op.drop_index("ix_cohort_record_counted")
        batch_op.create_index(
            "ix_cohort_record_counted",
            ["framework_id", "counted", "consented", "framework_version", "submitted_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_cohort_record_pending", ["framework_id", "released", "is_latest", "user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("cohort_record", schema=None) as batch_op:
        batch_op.drop_index("ix_cohort_record_pending")
        batch_op.drop_index("ix_cohort_record_counted")
        batch_op.create_index(
            "ix_cohort_record_counted",
            ["framework_id", "is_latest", "consented", "framework_version", "submitted_at"],
            unique=False,
        )
        batch_op.drop_column("counted")
        batch_op.drop_column("released")
