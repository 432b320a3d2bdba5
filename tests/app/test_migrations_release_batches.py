"""Revision 0011 marks every existing cohort row released and the latest ones counted.

Figures read the same after the upgrade as before it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.extensions import db
from tests.fixtures.migrations import NOW, add_old_account, migrate_down_to, migrate_to, run_sql


@pytest.fixture
def old_database(database_at):
    found = database_at("0010")
    run_sql(
        "INSERT INTO framework_snapshot (id, framework_id, version, fingerprint, content, uploaded,"
        " created_at) VALUES (1, 'p', '1', 'oldfingerprint00', '{}', 0, :now)",
        now=NOW,
    )
    return found


def _row(assessment: int, person: int, *, latest: bool, consented: bool) -> None:
    run_sql(
        "INSERT INTO assessment (id, user_id, framework_id, framework_version, snapshot_id, status,"
        " created_at, updated_at, version) VALUES (:id, :user, 'p', '1', 1, 'submitted', :now, :now, 1)",
        id=assessment,
        user=person,
        now=NOW,
    )
    run_sql(
        "INSERT INTO cohort_record (assessment_id, user_id, framework_id, framework_version, submitted_at,"
        " is_latest, consented, synthetic, score, band, no_opportunity_count, answer_count, flag_mask,"
        " high_mask, undetermined_mask, learning_routes_answered, route_formal_education,"
        " route_apprenticeship, route_employer_training, route_self_taught, route_start_up,"
        " route_hackathon, route_online_community, route_professional_network)"
        " VALUES (:id, :user, 'p', '1', :now, :latest, :consented, 0, 50, 'developing', 0, 0, 0, 0, 0,"
        " 0, 0, 0, 0, 0, 0, 0, 0, 0)",
        id=assessment,
        user=person,
        now=NOW,
        latest=latest,
        consented=consented,
    )


def _rows() -> list[tuple[int, bool, bool, bool]]:
    with db.engine.connect() as connection:
        found = connection.execute(
            text(
                "SELECT assessment_id, is_latest, released, counted FROM cohort_record ORDER BY assessment_id"
            )
        ).all()
    return [(row[0], bool(row[1]), bool(row[2]), bool(row[3])) for row in found]


def test_upgrade_releases_every_row_and_counts_the_latest(old_database):
    add_old_account(1)
    add_old_account(2)
    _row(1, 1, latest=False, consented=True)  # a first assessment
    _row(2, 1, latest=True, consented=True)  # the retake the figures count
    _row(3, 2, latest=True, consented=False)  # counted once consent is given
    migrate_to("0011")
    assert _rows() == [(1, False, True, False), (2, True, True, True), (3, True, True, True)]
    with db.engine.connect() as connection:
        indexes = {row[1] for row in connection.execute(text("PRAGMA index_list('cohort_record')"))}
        counted = [
            row[2] for row in connection.execute(text("PRAGMA index_info('ix_cohort_record_counted')"))
        ]
    assert "ix_cohort_record_pending" in indexes
    assert counted == ["framework_id", "counted", "consented", "framework_version", "submitted_at"]


def test_downgrade_drops_the_columns_and_keeps_the_rows(old_database):
    add_old_account(1)
    _row(1, 1, latest=True, consented=True)
    migrate_to("0011")
    migrate_down_to("0010")
    with db.engine.connect() as connection:
        columns = {row[1] for row in connection.execute(text("PRAGMA table_info('cohort_record')"))}
        assert connection.execute(text("SELECT count(*) FROM cohort_record")).scalar_one() == 1
    assert not {"released", "counted"} & columns
