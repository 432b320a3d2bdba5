"""Revision 0009 adds programme answers and fills each existing cohort row's domain readiness."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import MetaData, insert, select

from app.extensions import db
from tests.fixtures.migrations import NOW, migrate_to


@pytest.fixture
def old_database(database_at):
    return database_at("0008")


def _filled(table, **values):
    """``values`` plus a plain value for every other column the table requires."""
    plain = {}
    for column in table.columns:
        if column.name in values or column.nullable or column.primary_key:
            continue
        python = column.type.python_type
        plain[column.name] = {bool: False, int: 0, float: 0.0, str: "x", datetime: NOW}.get(python, "x")
    return plain | values


def test_existing_rows_get_their_domain_scores_from_the_stored_result(old_database):
    tables = MetaData()
    tables.reflect(bind=db.engine)
    results = [
        {
            "readiness": {
                "score": 50.0,
                "domains": [{"id": "strategy", "score": 40.5}, {"id": "data", "score": 61.0}],
            }
        },
        {"schema": 1, "synthetic": True, "readiness": {"score": 30.0}},  # an old demo row: no domains
    ]
    with db.engine.begin() as connection:
        connection.execute(
            insert(tables.tables["user_account"]).values(
                _filled(tables.tables["user_account"], id=1, role="participant")
            )
        )
        connection.execute(
            insert(tables.tables["framework_snapshot"]).values(
                _filled(tables.tables["framework_snapshot"], id=1, fingerprint="f", content="{}")
            )
        )
        for number, result in enumerate(results, start=1):
            connection.execute(
                insert(tables.tables["assessment"]).values(
                    _filled(
                        tables.tables["assessment"],
                        id=number,
                        user_id=1,
                        snapshot_id=1,
                        status="submitted",
                        result=result,
                    )
                )
            )
            connection.execute(
                insert(tables.tables["cohort_record"]).values(
                    _filled(tables.tables["cohort_record"], id=number, assessment_id=number, user_id=1)
                )
            )
    migrate_to("0009")
    with db.engine.connect() as connection:
        rows = dict(
            connection.execute(
                select(db.text("id, domain_scores")).select_from(db.text("cohort_record"))
            ).all()
        )
    assert json.loads(rows[1]) == {"strategy": 40.5, "data": 61.0}
    assert rows[2] is None
