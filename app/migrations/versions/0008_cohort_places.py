"""Cohort rows keep where a person was placed and their share of time on digital work.

The designer's what-if re-runs the exclusion-risk rules from cohort rows. Without the place a
location answer resolves to, it could not model journeys to venues and gave travel verdicts
that differed from the ones people saw. ``location_place`` keeps the town or postcode area
(``assessments.geo.place_key``), never the text the person typed; ``digital_time_percent`` keeps
the share of working time on digital work, which a programme may pro-rate experience by.

Existing rows are filled from their assessment's profile snapshot. This uses the shipped place
tables (``assessments.geo``) as they are when the upgrade runs; a location they cannot place
stays NULL, as it would for a new submission.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 21:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_records = sa.table(
    "cohort_record",
    sa.column("id", sa.Integer),
    sa.column("assessment_id", sa.Integer),
    sa.column("location_place", sa.String),
    sa.column("digital_time_percent", sa.Float),
)
_assessments = sa.table("assessment", sa.column("id", sa.Integer), sa.column("profile_snapshot", sa.JSON))


def upgrade() -> None:
    with op.batch_alter_table("cohort_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("digital_time_percent", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("location_place", sa.String(length=160), nullable=True))
    from assessments import geo

    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_records.c.id, _assessments.c.profile_snapshot).join(
            _assessments, _assessments.c.id == _records.c.assessment_id
        )
    )
    for record_id, snapshot in rows.all():
        answers = (snapshot or {}).get("answers") or {}
        location, share = answers.get("location"), answers.get("digital_time_percent")
        if location is None and share is None:
            continue
        if location is not None and not isinstance(location, str):
            raise RuntimeError(f"cohort row {record_id}: stored location {location!r} is not text")
        connection.execute(
            sa.update(_records)
            .where(_records.c.id == record_id)
            .values(
                location_place=None if location is None else geo.stored_place(location),
                digital_time_percent=float(share) if share is not None else None,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("cohort_record", schema=None) as batch_op:
        batch_op.drop_column("location_place")
        batch_op.drop_column("digital_time_percent")
