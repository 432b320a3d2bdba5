"""Force-field consultations: consultations, their items, participants, votes and rule links.

The budget check constraint on ``consultation_participant`` is what keeps one person to one
budget under concurrent requests (see ``app.consultation.models``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 17:42:33.191856

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consultation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("proposal", sa.Text(), nullable=False),
        sa.Column("framework_id", sa.String(length=60), nullable=True),
        sa.Column("vote_budget", sa.Integer(), nullable=False),
        sa.Column("several_votes_per_item", sa.Boolean(), nullable=False),
        sa.Column("min_group", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=10), nullable=False),
        sa.Column("imported", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("phase IN ('draft', 'gather', 'vote', 'closed')", name="ck_consultation_phase"),
        sa.CheckConstraint("min_group >= 1", name="ck_consultation_min_group"),
        sa.CheckConstraint("vote_budget >= 1 AND vote_budget <= 100", name="ck_consultation_vote_budget"),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_consultation_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation")),
        sa.UniqueConstraint("code", name=op.f("uq_consultation_code")),
    )
    op.create_table(
        "consultation_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("side", sa.String(length=20), nullable=False),
        sa.Column("text", sa.String(length=280), nullable=False),
        sa.Column("suggestions", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("side IN ('advantage', 'disadvantage')", name="ck_consultation_item_side"),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_consultation_item_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_item")),
        sa.UniqueConstraint("consultation_id", "key", name="uq_consultation_item_key"),
    )
    with op.batch_alter_table("consultation_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_item_consultation_id"), ["consultation_id"], unique=False
        )

    op.create_table(
        "consultation_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("staff_group", sa.String(length=20), nullable=False),
        sa.Column("working_pattern", sa.String(length=40), nullable=True),
        sa.Column("vote_budget", sa.Integer(), nullable=False),
        sa.Column("votes_spent", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "staff_group IN ('clinical', 'non-clinical', 'prefer-not-to-say')",
            name="ck_consultation_participant_staff_group",
        ),
        sa.CheckConstraint(
            "working_pattern IS NULL OR working_pattern IN ('full-time', 'part-time', 'compressed-hours', "
            "'job-share', 'shift-work', 'bank-or-locum', 'self-employed')",
            name="ck_consultation_participant_working_pattern",
        ),
        sa.CheckConstraint(
            "votes_spent >= 0 AND votes_spent <= vote_budget", name="ck_consultation_participant_budget"
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_consultation_participant_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_consultation_participant_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_participant")),
        sa.UniqueConstraint("consultation_id", "user_id", name="uq_consultation_participant_user"),
        sa.UniqueConstraint("token_hash", name=op.f("uq_consultation_participant_token_hash")),
    )
    with op.batch_alter_table("consultation_participant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_participant_consultation_id"), ["consultation_id"], unique=False
        )

    op.create_table(
        "consultation_rule_link",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["consultation_item.id"],
            name=op.f("fk_consultation_rule_link_item_id_consultation_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "rule", name=op.f("pk_consultation_rule_link")),
    )
    op.create_table(
        "consultation_vote",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.CheckConstraint("votes >= 1", name="ck_consultation_vote_votes"),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["consultation_item.id"],
            name=op.f("fk_consultation_vote_item_id_consultation_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["consultation_participant.id"],
            name=op.f("fk_consultation_vote_participant_id_consultation_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("participant_id", "item_id", name=op.f("pk_consultation_vote")),
    )
    with op.batch_alter_table("consultation_vote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consultation_vote_item_id"), ["item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("consultation_vote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_vote_item_id"))

    op.drop_table("consultation_vote")
    op.drop_table("consultation_rule_link")
    with op.batch_alter_table("consultation_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_participant_consultation_id"))

    op.drop_table("consultation_participant")
    with op.batch_alter_table("consultation_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_item_consultation_id"))

    op.drop_table("consultation_item")
    op.drop_table("consultation")
