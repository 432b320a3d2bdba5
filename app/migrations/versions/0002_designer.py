"""Designer analytics: anonymous cohort rows and flags, saved what-if scenarios, requirement justifications.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 20:29:21.717495

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "designer_scenario",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.String(length=60), nullable=False),
        sa.Column("framework_version", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("grouping", sa.String(length=40), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_designer_scenario_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_designer_scenario")),
    )
    with op.batch_alter_table("designer_scenario", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_designer_scenario_framework_id"), ["framework_id"], unique=False)

    op.create_table(
        "requirement_justification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.String(length=60), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("legitimate_aim", sa.Text(), nullable=False),
        sa.Column("proportionality", sa.Text(), nullable=False),
        sa.Column("mitigations", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_requirement_justification_updated_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_requirement_justification")),
    )
    with op.batch_alter_table("requirement_justification", schema=None) as batch_op:
        batch_op.create_index(
            "uq_requirement_justification_programme_rule", ["framework_id", "rule"], unique=True
        )

    op.create_table(
        "cohort_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.String(length=60), nullable=False),
        sa.Column("framework_version", sa.String(length=40), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_latest", sa.Boolean(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("band", sa.String(length=20), nullable=False),
        sa.Column("no_opportunity_count", sa.Integer(), nullable=False),
        sa.Column("answer_count", sa.Integer(), nullable=False),
        sa.Column("flag_mask", sa.BigInteger(), nullable=False),
        sa.Column("high_mask", sa.BigInteger(), nullable=False),
        sa.Column("undetermined_mask", sa.BigInteger(), nullable=False),
        sa.Column("staff_group", sa.String(length=40), nullable=True),
        sa.Column("contract", sa.String(length=40), nullable=True),
        sa.Column("caring", sa.String(length=3), nullable=True),
        sa.Column("on_call", sa.String(length=3), nullable=True),
        sa.Column("sector", sa.String(length=40), nullable=True),
        sa.Column("role_level", sa.String(length=40), nullable=True),
        sa.Column("highest_qualification", sa.String(length=40), nullable=True),
        sa.Column("nation", sa.String(length=40), nullable=True),
        sa.Column("can_attend_in_person", sa.String(length=40), nullable=True),
        sa.Column("employer_support", sa.String(length=40), nullable=True),
        sa.Column("employer_funding", sa.String(length=40), nullable=True),
        sa.Column("professional_registration", sa.String(length=3), nullable=True),
        sa.Column("needs_adjustments", sa.String(length=3), nullable=True),
        sa.Column("hours_per_week", sa.Float(), nullable=True),
        sa.Column("study_hours_per_week_available", sa.Float(), nullable=True),
        sa.Column("study_leave_days_per_year", sa.Float(), nullable=True),
        sa.Column("max_travel_hours", sa.Float(), nullable=True),
        sa.Column("years_in_digital", sa.Float(), nullable=True),
        sa.Column("years_in_leadership", sa.Float(), nullable=True),
        sa.Column("memberships", sa.Text(), nullable=True),
        sa.Column("learning_routes_answered", sa.Boolean(), nullable=False),
        sa.Column("route_formal_education", sa.Boolean(), nullable=False),
        sa.Column("route_apprenticeship", sa.Boolean(), nullable=False),
        sa.Column("route_employer_training", sa.Boolean(), nullable=False),
        sa.Column("route_self_taught", sa.Boolean(), nullable=False),
        sa.Column("route_start_up", sa.Boolean(), nullable=False),
        sa.Column("route_hackathon", sa.Boolean(), nullable=False),
        sa.Column("route_online_community", sa.Boolean(), nullable=False),
        sa.Column("route_professional_network", sa.Boolean(), nullable=False),
        sa.Column("age_band", sa.String(length=40), nullable=True),
        sa.Column("sex", sa.String(length=40), nullable=True),
        sa.Column("gender_same_as_birth", sa.String(length=40), nullable=True),
        sa.Column("sexual_orientation", sa.String(length=40), nullable=True),
        sa.Column("ethnic_group", sa.String(length=40), nullable=True),
        sa.Column("religion", sa.String(length=40), nullable=True),
        sa.Column("disability", sa.String(length=40), nullable=True),
        sa.Column("marriage_civil_partnership", sa.String(length=40), nullable=True),
        sa.Column("pregnancy_maternity", sa.String(length=40), nullable=True),
        sa.Column("unpaid_care_hours", sa.String(length=40), nullable=True),
        sa.Column("socio_economic_background", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_cohort_record_assessment_id_assessment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_cohort_record_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort_record")),
        sa.UniqueConstraint("assessment_id", name=op.f("uq_cohort_record_assessment_id")),
    )
    with op.batch_alter_table("cohort_record", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cohort_record_programme", ["framework_id", "is_latest", "user_id"], unique=False
        )
        batch_op.create_index("ix_cohort_record_user_programme", ["user_id", "framework_id"], unique=False)

    op.create_table(
        "cohort_flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["cohort_record.id"],
            name=op.f("fk_cohort_flag_record_id_cohort_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort_flag")),
    )
    with op.batch_alter_table("cohort_flag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cohort_flag_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_cohort_flag_record_id"), ["record_id"], unique=False)
        batch_op.create_index("ix_cohort_flag_rule_severity", ["rule", "severity"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cohort_flag", schema=None) as batch_op:
        batch_op.drop_index("ix_cohort_flag_rule_severity")
        batch_op.drop_index(batch_op.f("ix_cohort_flag_record_id"))
        batch_op.drop_index(batch_op.f("ix_cohort_flag_category"))

    op.drop_table("cohort_flag")
    with op.batch_alter_table("cohort_record", schema=None) as batch_op:
        batch_op.drop_index("ix_cohort_record_user_programme")
        batch_op.drop_index("ix_cohort_record_programme")

    op.drop_table("cohort_record")
    with op.batch_alter_table("requirement_justification", schema=None) as batch_op:
        batch_op.drop_index("uq_requirement_justification_programme_rule")

    op.drop_table("requirement_justification")
    with op.batch_alter_table("designer_scenario", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_designer_scenario_framework_id"))

    op.drop_table("designer_scenario")
