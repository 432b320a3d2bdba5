"""Cohort tallies: each programme's figures per grouping counted ahead, kept in step on every change.

The tables start empty. ``certready init-db`` (which runs this upgrade) then builds the tallies
of every programme that already has cohort rows (``app.designer.tallies.rebuild_missing``); until
a programme is built its figures are counted from ``cohort_record`` directly, as before.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 23:04:09.957575

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cohort_tally",
        sa.Column("framework_id", sa.String(length=60), nullable=False),
        sa.Column("grouping", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("band", sa.String(length=20), nullable=False),
        sa.Column("tenths", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("people", sa.BigInteger(), nullable=False),
        sa.Column("score_milli", sa.BigInteger(), nullable=False),
        sa.Column("score_milli_squares", sa.BigInteger(), nullable=False),
        sa.Column("no_opportunity", sa.BigInteger(), nullable=False),
        sa.Column("answers", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "framework_id", "grouping", "value", "band", "tenths", name=op.f("pk_cohort_tally")
        ),
    )
    op.create_table(
        "cohort_tally_flag",
        sa.Column("framework_id", sa.String(length=60), nullable=False),
        sa.Column("grouping", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("flag_key", sa.String(length=80), nullable=False),
        sa.Column("people", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "framework_id", "grouping", "value", "flag_key", name=op.f("pk_cohort_tally_flag")
        ),
    )
    op.create_table(
        "cohort_tally_state",
        sa.Column("framework_id", sa.String(length=60), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("framework_id", name=op.f("pk_cohort_tally_state")),
    )


def downgrade() -> None:
    op.drop_table("cohort_tally_state")
    op.drop_table("cohort_tally_flag")
    op.drop_table("cohort_tally")
