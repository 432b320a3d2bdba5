"""Revision 0008 fills the place and digital share of existing cohort rows from their snapshots."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from app.extensions import db
from tests.fixtures.migrations import NOW, add_old_account, migrate_to, run_sql


@pytest.fixture
def old_database(database_at):
    return database_at("0007")


def _add(person: int, answers: dict) -> None:
    add_old_account(person)
    run_sql(
        "INSERT INTO assessment (id, user_id, framework_id, framework_version, snapshot_id, status,"
        " created_at, updated_at, profile_snapshot, version)"
        " VALUES (:id, :id, 'p', '1', 1, 'submitted', :now, :now, :snapshot, 1)",
        id=person,
        now=NOW,
        snapshot=json.dumps({"answers": answers, "equality": {}}),
    )
    run_sql(
        "INSERT INTO cohort_record (assessment_id, user_id, framework_id, framework_version, submitted_at,"
        " is_latest, consented, synthetic, score, band, no_opportunity_count, answer_count, flag_mask,"
        " high_mask, undetermined_mask, staff_group, learning_routes_answered, route_formal_education,"
        " route_apprenticeship, route_employer_training, route_self_taught, route_start_up,"
        " route_hackathon, route_online_community, route_professional_network)"
        " VALUES (:id, :id, 'p', '1', :now, 1, 1, 0, 50, 'developing', 0, 0, 0, 0, 0, 'clinical',"
        " 0, 0, 0, 0, 0, 0, 0, 0, 0)",
        id=person,
        now=NOW,
    )


def test_upgrade_keeps_the_place_never_the_typed_location(old_database):
    run_sql(
        "INSERT INTO framework_snapshot (id, framework_id, version, fingerprint, content, uploaded,"
        " created_at) VALUES (1, 'p', '1', 'oldfingerprint00', '{}', 0, :now)",
        now=NOW,
    )
    _add(1, {"staff_group": "clinical", "location": "14 Chapel St, TR18 4AA", "digital_time_percent": 40})
    _add(2, {"staff_group": "clinical", "location": "the back of beyond"})
    _add(3, {"staff_group": "clinical"})
    migrate_to("0008")
    with db.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT user_id, location_place, digital_time_percent FROM cohort_record ORDER BY user_id")
        ).all()
    assert [tuple(row) for row in rows] == [
        (1, "the TR postcode area (Truro)", 40.0),
        (2, None, None),
        (3, None, None),
    ]
