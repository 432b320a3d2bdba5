"""``init-db``'s first look (``migrating.up_to_date``): Core alone, and never "up to date" when it is not.

Its answer must be what the full path would find: at Alembic's head, and no programme with cohort
rows but no tallies (``tallies.rebuild_missing``). Each state a database can be in is built with
the real commands and asked both ways: on the bound app's engine and, as ``certready init-db``
does, from an app whose database is not bound.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import delete

from app import create_app
from app.designer import tallies
from app.designer.models import CohortTallyState
from app.extensions import db
from app.migrating import MIGRATIONS, at_head, init_migrate, up_to_date
from tests.fixtures.app import settings_for_tests


def _unbound(tmp_path: Path, url: str):
    return create_app(settings_for_tests(tmp_path, SQLALCHEMY_DATABASE_URI=url), pages=False, database=False)


def _answers(flask_app, unbound) -> tuple[bool, bool, bool]:
    """(the full path's answer, up_to_date on the bound app, up_to_date on the unbound one)."""
    with flask_app.app_context():
        full = at_head() and not (tallies.programmes_with_rows() - tallies.built())
        bound = up_to_date(flask_app)
        db.session.remove()
    with unbound.app_context():
        return full, bound, up_to_date(unbound)


def test_up_to_date_agrees_with_the_full_path_in_every_state(make_app, tmp_path):
    url = f"sqlite:///{tmp_path / 'states.db'}"
    flask_app = make_app(SQLALCHEMY_DATABASE_URI=url)
    with flask_app.app_context():
        db.drop_all()
    unbound = _unbound(tmp_path, url)
    runner = flask_app.test_cli_runner()

    assert _answers(flask_app, unbound) == (False, False, False)  # no version table
    with flask_app.app_context():
        upgrade(directory=str(MIGRATIONS))
    assert _answers(flask_app, unbound) == (True, True, True)  # at the head, no rows

    added = runner.invoke(args=["demo-cohort", "--framework", "fedip-practitioner", "--n", "3"])
    assert added.exit_code == 0, added.output
    assert _answers(flask_app, unbound) == (True, True, True)  # rows, tallies built

    with flask_app.app_context():
        db.session.execute(delete(CohortTallyState))
        db.session.commit()
    assert _answers(flask_app, unbound) == (False, False, False)  # rows without tallies
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "Counted the designer's tallies for fedip-practitioner." in result.output
    assert _answers(flask_app, unbound) == (True, True, True)

    with flask_app.app_context():
        downgrade(directory=str(MIGRATIONS))
    assert _answers(flask_app, unbound) == (False, False, False)  # one revision behind


def test_a_relative_sqlite_path_is_read_where_flask_sqlalchemy_opens_it(tmp_path):
    """Flask-SQLAlchemy opens ``sqlite:///name.db`` in the instance folder, not the working one."""
    bound = create_app(settings_for_tests(tmp_path, SQLALCHEMY_DATABASE_URI="sqlite:///relative-check.db"))
    unbound = _unbound(tmp_path, "sqlite:///relative-check.db")
    init_migrate(bound)
    file = Path(bound.instance_path) / "relative-check.db"
    try:
        with bound.app_context():
            assert Path(db.engine.url.database) == file
            upgrade(directory=str(MIGRATIONS))
            db.engine.dispose()
        with unbound.app_context():
            assert up_to_date(unbound)
    finally:
        file.unlink(missing_ok=True)
        for extra in ("-wal", "-shm"):
            file.with_name(file.name + extra).unlink(missing_ok=True)


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite:///file:x?mode=memory&uri=true"])
def test_an_in_memory_database_is_never_up_to_date(tmp_path, url):
    unbound = _unbound(tmp_path, url)
    with unbound.app_context():
        assert not up_to_date(unbound)


def test_a_missing_database_file_is_not_up_to_date_and_is_not_created(tmp_path):
    file = tmp_path / "not-yet.db"
    unbound = _unbound(tmp_path, f"sqlite:///{file}")
    with unbound.app_context():
        assert not up_to_date(unbound)
    assert not file.exists()


def test_init_db_binds_the_database_it_needs(tmp_path):
    """An unbound app (as ``certready init-db`` gets) is bound when there is work, and migrated."""
    file = tmp_path / "fresh.db"
    unbound = _unbound(tmp_path, f"sqlite:///{file}")
    assert "sqlalchemy" not in unbound.extensions
    from app.cli import register_cli

    register_cli(unbound)
    result = unbound.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "sqlalchemy" in unbound.extensions
    with unbound.app_context():
        assert up_to_date(unbound)
        db.engine.dispose()


def test_the_web_app_cannot_be_built_without_its_database(tmp_path):
    with pytest.raises(ValueError, match="needs its database"):
        create_app(settings_for_tests(tmp_path), database=False)
