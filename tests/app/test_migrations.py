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


def test_the_heads_read_without_alembic_are_alembics_heads():
    """``init-db`` skips Alembic when the database is at ``head_revisions()``: it must be Alembic's head.

    A migration written in a form the plain reading does not know (say a merge with a tuple of
    parents) makes ``head_revisions`` give up (``None``), and this test fail until it is taught.
    """
    from app.migrating import head_revisions

    assert head_revisions() == frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


def test_the_plain_reading_gives_up_on_a_migration_it_does_not_understand(tmp_path, monkeypatch):
    import app.migrating

    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "0001_a.py").write_text('revision = "0001"\ndown_revision = None\n')
    (versions / "0002_b.py").write_text('revision = "0002"\ndown_revision = "0001"\n')
    (versions / "0003_c.py").write_text('revision = "0003"\ndown_revision = "0001"\n')
    monkeypatch.setattr(app.migrating, "MIGRATIONS", tmp_path)
    assert app.migrating.head_revisions() == {"0002", "0003"}  # two heads, as Alembic would say
    (versions / "0004_merge.py").write_text('revision = "0004"\ndown_revision = ("0002", "0003")\n')
    assert app.migrating.head_revisions() is None
    (versions / "0004_merge.py").write_text('revision = "0004"\nrevision = "0005"\ndown_revision = "0003"\n')
    assert app.migrating.head_revisions() is None


def test_at_head_only_when_the_version_table_holds_the_head(make_app, tmp_path):
    from app.migrating import at_head

    flask_app = _file_db_app(make_app, tmp_path, "head.db")
    (head,) = ScriptDirectory(str(MIGRATIONS)).get_heads()
    with flask_app.app_context():
        assert not at_head()  # no version table
        upgrade(directory=str(MIGRATIONS))
        assert at_head()
        downgrade(directory=str(MIGRATIONS))
        assert not at_head()  # one revision back
        upgrade(directory=str(MIGRATIONS))
        with db.engine.begin() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
