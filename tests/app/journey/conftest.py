"""Journey helpers: a programme, a profile, and form data for a domain page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.journey import services
from app.models import Assessment, User
from assessments.framework import Domain, Framework, shipped_frameworks

PROGRAMME = "nhs-digital-academy-dhlp"

BASIC_PROFILE: dict[str, Any] = {
    "contract": "part-time",
    "hours_per_week": 22.5,
    "on_call": True,
    "study_hours_per_week_available": 4,
    "staff_group": "clinical",
    "nation": "england",
    "sector": "social-care",
}


@pytest.fixture
def framework() -> Framework:
    return shipped_frameworks()[PROGRAMME]


def give_profile(
    user: User, answers: dict[str, Any] | None = None, equality: dict[str, Any] | None = None
) -> None:
    services.save_profile_answers(user, dict(BASIC_PROFILE if answers is None else answers))
    if equality:
        services.save_profile_answers(user, equality, equality=True)


def fresh(assessment_id: int) -> Assessment:
    """The assessment as stored now (requests use their own sessions)."""
    db.session.expire_all()
    return db.session.scalars(select(Assessment).where(Assessment.id == assessment_id)).one()


def start(client: FlaskClient, framework_id: str = PROGRAMME) -> int:
    response = client.post("/assessments/new", data={"framework_id": framework_id})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    # /assessments/<id>/
    return int(response.location.rstrip("/").split("/")[-1])


def level_for_required(criterion: Any) -> Any:
    return criterion.required_level


def domain_form(
    domain: Domain,
    version: int,
    level: Callable[[Any], Any] = level_for_required,
    action: str = "continue",
    evidence: Callable[[Any], str] | None = None,
    relevance: Callable[[Any], str | None] | None = None,
) -> dict[str, Any]:
    """A domain page as a browser sends it; ``relevance`` gives a radio value, or ``None`` for none ticked."""
    data: dict[str, Any] = {"version": str(version), "action": action}
    for criterion in domain.criteria:
        value = level(criterion)
        if value is not None:
            data[f"level-{criterion.id}"] = str(value)
        data[f"evidence-{criterion.id}"] = evidence(criterion) if evidence else ""
        answer = relevance(criterion) if relevance else None
        if answer is not None:
            data[f"relevance-{criterion.id}"] = answer
    return data


def rate_everything(
    client: FlaskClient,
    assessment_id: int,
    framework: Framework,
    level: Callable[[Any], Any] = level_for_required,
) -> None:
    for domain in framework.domains:
        version = fresh(assessment_id).version
        response = client.post(
            f"/assessments/{assessment_id}/domains/{domain.id}", data=domain_form(domain, version, level)
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def submit(client: FlaskClient, assessment_id: int) -> None:
    response = client.post(
        f"/assessments/{assessment_id}/check", data={"version": fresh(assessment_id).version}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert response.location.endswith(f"/assessments/{assessment_id}/results")
