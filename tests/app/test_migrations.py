"""The migrations build exactly the schema the models describe, and ``init-db`` runs them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app.extensions import db
from tests.fixtures.app import TEST_DATABASE_URL

MIGRATIONS = Path(__file__).resolve().parents[2] / "app" / "migrations"


def _file_db_app(make_app, tmp_path, name: str = "migrated.db"):
    flask_app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / name}")
    with flask_app.app_context():
        db.drop_all()  # make_app creates tables; these tests start from an empty database
    return flask_app


def test_upgrade_head_matches_the_models_exactly(make_app, tmp_path):
    flask_app = _file_db_app(make_app, tmp_path)
    with flask_app.app_context():
        upgrade(directory=str(MIGRATIONS))
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_upgrade_then_downgrade_leaves_an_empty_database(make_app, tmp_path):
    flask_app = _file_db_app(make_app, tmp_path)
    with flask_app.app_context():
        upgrade(directory=str(MIGRATIONS))
        assert "user_account" in inspect(db.engine).get_table_names()
        downgrade(directory=str(MIGRATIONS), revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}


def test_exactly_one_head_and_file_names_match_revision_ids():
    scripts = ScriptDirectory(str(MIGRATIONS))
    assert len(scripts.get_heads()) == 1
    for revision in scripts.walk_revisions():
        file_name = Path(revision.path).name
        assert re.fullmatch(r"\d{4}_[a-z0-9_]+\.py", file_name), file_name
        assert file_name.startswith(f"{revision.revision}_"), (file_name, revision.revision)


def test_revision_ids_are_sequential():
    scripts = ScriptDirectory(str(MIGRATIONS))
    ids = sorted(int(revision.revision) for revision in scripts.walk_revisions())
    assert ids == list(range(1, len(ids) + 1))


def test_init_db_command_is_idempotent(make_app, tmp_path):
    flask_app = _file_db_app(make_app, tmp_path, "init.db")
    runner = flask_app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        assert "Database is up to date." in result.output
    with flask_app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert {"user_account", "assessment", "rating", "alembic_version"} <= tables


@pytest.mark.postgres
@pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs CERTREADY_TEST_DATABASE_URL (PostgreSQL)")
def test_upgrade_head_matches_the_models_on_postgresql(app):
    db.session.remove()
    db.drop_all()
    try:
        upgrade(directory=str(MIGRATIONS))
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
    finally:
        downgrade(directory=str(MIGRATIONS), revision="base")
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()  # the fixture's teardown drops these again
