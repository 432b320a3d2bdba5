from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask import url_for
from sqlalchemy import func, select

from app.extensions import db
from app.models import Assessment, User
from tests.app.journey.conftest import fresh, give_profile, rate_everything, start, submit


def _assessment_urls(app, assessment_id: int, framework) -> list[tuple[str, str]]:
    """Every URL about one assessment (the journey's and any other blueprint's), with its methods."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "assessment_id" not in rule.arguments:
            continue
        values = {"assessment_id": assessment_id}
        if "domain_id" in rule.arguments:
            values["domain_id"] = framework.domains[0].id
        url = url_for(rule.endpoint, **values, _external=False)
        urls.extend((method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return urls


@pytest.fixture
def someone_elses_submitted(app, make_user, signed_in, framework):
    owner = make_user()
    give_profile(owner)
    owner_client = signed_in(app.test_client(), owner)
    assessment_id = start(owner_client)
    rate_everything(owner_client, assessment_id, framework)
    submit(owner_client, assessment_id)
    return assessment_id


def test_every_assessment_url_is_404_for_another_participant(
    app, participant_client, someone_elses_submitted, framework
):
    urls = _assessment_urls(app, someone_elses_submitted, framework)
    assert {url for _, url in urls} >= {
        f"/assessments/{someone_elses_submitted}/",
        f"/assessments/{someone_elses_submitted}/check",
        f"/assessments/{someone_elses_submitted}/results",
        f"/assessments/{someone_elses_submitted}/domains/{framework.domains[0].id}",
    }
    before = fresh(someone_elses_submitted).result
    for method, url in urls:
        response = participant_client.open(url, method=method, data={"version": "1"})
        assert response.status_code == 404, (method, url, response.status_code)
    assert fresh(someone_elses_submitted).result == before


def test_a_missing_assessment_is_404_too(app, participant_client, framework):
    for method, url in _assessment_urls(app, 987654, framework):
        assert participant_client.open(url, method=method).status_code == 404, (method, url)


def test_journey_pages_need_sign_in(app, client, framework):
    paths = ["/assessments/", "/programmes", "/profile/", "/profile/working-pattern"]
    paths += [url for _, url in _assessment_urls(app, 1, framework)]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/login" in response.location, path


def test_demo_data_creates_a_participant_with_finished_assessments(app):
    runner = CliRunner()
    from app.journey.commands import DEMO_EMAIL, demo_data

    result = runner.invoke(demo_data, [], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"Demo participant: {DEMO_EMAIL}" in result.output
    password = result.output.split("Password: ")[1].strip()
    assert len(password) >= 12
    user = db.session.scalar(select(User).where(User.email == DEMO_EMAIL))
    submitted = db.session.scalars(
        select(Assessment).where(Assessment.user_id == user.id, Assessment.status == "submitted")
    ).all()
    assert len(submitted) == 2
    assert all(a.result and a.result["readiness"]["score"] == a.score for a in submitted)

    again = runner.invoke(demo_data, [], catch_exceptions=False)
    assert again.exit_code == 0
    assert "already exists" in again.output
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email == DEMO_EMAIL)) == 1
