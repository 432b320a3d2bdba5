"""Revision 0005 moves stored qualifications to levels, and refuses what it cannot move."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from app.extensions import db
from assessments.framework import Framework, shipped_frameworks
from assessments.profile import parse_profile
from tests.fixtures.migrations import NOW, add_old_account, migrate_down_to, migrate_to, one_row, run_sql

BEFORE = "0004"


@pytest.fixture
def old_database(database_at):
    return database_at(BEFORE)


def _old_framework_content() -> dict:
    content = json.loads(shipped_frameworks()["nhs-digital-academy-dhlp"].to_json())
    content["eligibility"]["min_qualification"] = "degree"
    return content


def _add_person(user_id: int, answers: dict, *, routes_answered: bool, qualification: str | None) -> None:
    add_old_account(user_id)
    run_sql(
        "INSERT INTO profile (id, user_id, answers, equality, consent_aggregate, updated_at, version)"
        " VALUES (:id, :id, :answers, '{}', 1, :now, 1)",
        id=user_id,
        answers=json.dumps(answers),
        now=NOW,
    )
    run_sql(
        "INSERT INTO assessment (id, user_id, framework_id, framework_version, snapshot_id, status,"
        " created_at, updated_at, profile_snapshot, version)"
        " VALUES (:id, :id, 'nhs-digital-academy-dhlp', '1', 1, 'submitted', :now, :now, :snapshot, 1)",
        id=user_id,
        now=NOW,
        snapshot=json.dumps({"answers": answers, "equality": {}, "consent_aggregate": True}),
    )
    run_sql(
        "INSERT INTO cohort_record (assessment_id, user_id, framework_id, framework_version, submitted_at,"
        " is_latest, consented, synthetic, score, band, no_opportunity_count, answer_count, flag_mask,"
        " high_mask, undetermined_mask, staff_group, highest_qualification, learning_routes_answered,"
        " route_formal_education, route_apprenticeship, route_employer_training, route_self_taught,"
        " route_start_up, route_hackathon, route_online_community, route_professional_network)"
        " VALUES (:id, :id, 'nhs-digital-academy-dhlp', '1', :now, 1, 1, 0, 50, 'developing', 0, 0, 0, 0, 0,"
        " 'clinical', :qualification, :answered, 0, 0, 0, :self_taught, 0, 0, 0, 0)",
        id=user_id,
        now=NOW,
        qualification=qualification,
        answered=routes_answered,
        self_taught="self-taught" in answers.get("learning_routes", []),
    )


def _snapshot(content: dict) -> None:
    run_sql(
        "INSERT INTO framework_snapshot (id, framework_id, version, fingerprint, content, uploaded,"
        " created_at) VALUES (1, 'nhs-digital-academy-dhlp', '1', 'oldfingerprint00', :content, 0, :now)",
        content=json.dumps(content),
        now=NOW,
    )


def test_upgrade_moves_levels_and_turns_an_apprenticeship_into_a_route(old_database):
    _snapshot(_old_framework_content())
    _add_person(
        1,
        {"staff_group": "clinical", "highest_qualification": "degree"},
        routes_answered=False,
        qualification="degree",
    )
    _add_person(
        2,
        {
            "staff_group": "clinical",
            "highest_qualification": "apprenticeship",
            "learning_routes": ["self-taught"],
        },
        routes_answered=True,
        qualification="apprenticeship",
    )
    _add_person(
        3,
        {"staff_group": "clinical", "highest_qualification": "gcse"},
        routes_answered=False,
        qualification="gcse",
    )
    run_sql(
        "INSERT INTO designer_scenario (id, framework_id, framework_version, name, grouping, changes,"
        " summary, created_at)"
        " VALUES (1, 'nhs-digital-academy-dhlp', '1', 'Masters', 'contract', :changes, '{}', :now)",
        changes=json.dumps({"eligibility": {"min_qualification": "masters"}}),
        now=NOW,
    )
    run_sql(
        "INSERT INTO cohort_tally_state (framework_id, built_at) VALUES ('nhs-digital-academy-dhlp', :now)",
        now=NOW,
    )

    migrate_to("head")

    answers = {
        row[0]: json.loads(row[1]) for row in db.session.execute(text("SELECT user_id, answers FROM profile"))
    }
    assert answers[1] == {"staff_group": "clinical", "highest_qualification": "level-6"}
    assert answers[2] == {"staff_group": "clinical", "learning_routes": ["apprenticeship", "self-taught"]}
    assert answers[3]["highest_qualification"] == "level-1-2"
    for person in answers.values():
        parse_profile(person)  # every migrated answer is valid under the new vocabulary
    snapshot = json.loads(one_row("SELECT profile_snapshot FROM assessment WHERE id = 2")[0])
    assert snapshot["answers"] == answers[2]
    assert snapshot["consent_aggregate"] is True
    rows = {
        row[0]: tuple(row[1:])
        for row in db.session.execute(
            text(
                "SELECT user_id, highest_qualification, learning_routes_answered, route_apprenticeship,"
                " route_self_taught FROM cohort_record"
            )
        )
    }
    assert rows[1] == ("level-6", 0, 0, 0)
    assert rows[2] == (None, 1, 1, 1)
    assert rows[3][0] == "level-1-2"
    content, fingerprint = one_row("SELECT content, fingerprint FROM framework_snapshot WHERE id = 1")
    framework = Framework.model_validate_json(content)
    assert framework.eligibility.min_qualification == "level-6"
    assert fingerprint == framework.fingerprint()
    changes = json.loads(one_row("SELECT changes FROM designer_scenario WHERE id = 1")[0])
    assert changes == {"eligibility": {"min_qualification": "level-7"}}
    assert one_row("SELECT COUNT(*) FROM cohort_tally_state")[0] == 0


def _refused(caplog, message: str, run) -> None:
    """Flask-Migrate logs the migration's error and exits: ``init-db`` shows the message, no traceback."""
    with pytest.raises(SystemExit):
        run()
    assert message in caplog.text


def test_upgrade_refuses_a_minimum_of_apprenticeship_and_changes_nothing(old_database, caplog):
    content = _old_framework_content()
    content["eligibility"]["min_qualification"] = "apprenticeship"
    _snapshot(content)
    _add_person(
        1,
        {"staff_group": "clinical", "highest_qualification": "degree"},
        routes_answered=False,
        qualification="degree",
    )
    _refused(
        caplog,
        "min_qualification 'apprenticeship' has no qualification level",
        lambda: migrate_to("head"),
    )
    assert json.loads(one_row("SELECT answers FROM profile")[0])["highest_qualification"] == "degree"
    assert one_row("SELECT version_num FROM alembic_version")[0] == BEFORE


def test_upgrade_refuses_an_unknown_stored_qualification(old_database, caplog):
    _snapshot(_old_framework_content())
    _add_person(
        1,
        {"staff_group": "clinical", "highest_qualification": "hnd"},
        routes_answered=False,
        qualification="hnd",
    )
    _refused(caplog, "'hnd'", lambda: migrate_to("head"))


def test_downgrade_maps_levels_back_and_refuses_a_level_with_no_old_value(old_database, caplog):
    _snapshot(_old_framework_content())
    _add_person(
        1,
        {"staff_group": "clinical", "highest_qualification": "masters"},
        routes_answered=False,
        qualification="masters",
    )
    migrate_to("head")
    migrate_down_to(BEFORE)
    assert json.loads(one_row("SELECT answers FROM profile")[0])["highest_qualification"] == "masters"
    assert one_row("SELECT highest_qualification FROM cohort_record")[0] == "masters"
    migrate_to("head")
    run_sql("UPDATE cohort_record SET highest_qualification = 'level-5'")
    _refused(caplog, "'level-5'", lambda: migrate_down_to(BEFORE))
