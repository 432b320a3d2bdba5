"""A participant part-way through life with CertReady: profile, equality answers, consent, a submission."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.journey import services as journey
from app.models import User
from assessments.framework import Framework, shipped_frameworks
from tests.app.journey.conftest import PROGRAMME, domain_form, fresh, give_profile, start, submit
from tests.fixtures.users import make_user, signed_in

EVIDENCE = "Led the zebra-quokka rollout <script>alert('x')</script> & more"
EQUALITY = {"age_band": "35-44", "sex": "female", "religion": "prefer-not-to-say"}
RELEVANCE_CYCLE = ("essential", "useful", "not-necessary", None)


def relevance_answer(criterion_index: int) -> str | None:
    """The job-relevance answer ``build_person`` gives the n-th criterion: each answer, and none."""
    return RELEVANCE_CYCLE[criterion_index % len(RELEVANCE_CYCLE)]


@dataclass
class Person:
    user: User
    client: FlaskClient
    assessment_id: int


def build_person(
    app: Flask, *, email: str | None = None, consent: bool = True, evidence: str = EVIDENCE
) -> Person:
    """A participant with a profile, equality answers, consent and one submitted assessment
    (with every job-relevance answer, and none, spread over the criteria)."""
    user = make_user(email=email)
    give_profile(user, equality=EQUALITY)
    journey.set_consent(user, consent)
    client = signed_in(app.test_client(), user)
    assessment_id = start(client)
    framework: Framework = shipped_frameworks()[PROGRAMME]
    position = {criterion.id: index for index, (_, criterion) in enumerate(framework.criteria())}
    for domain in framework.domains:
        data = domain_form(
            domain,
            fresh(assessment_id).version,
            evidence=lambda criterion: f"{evidence} ({criterion.id})",
            relevance=lambda criterion: relevance_answer(position[criterion.id]),
        )
        response = client.post(f"/assessments/{assessment_id}/domains/{domain.id}", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    submit(client, assessment_id)
    return Person(user, client, assessment_id)


@pytest.fixture
def person(app: Flask) -> Person:
    return build_person(app, email="jo.bloggs@example.org")


@pytest.fixture
def bystander(app: Flask) -> Person:
    return build_person(app, email="sam.other@example.org", evidence="Bystander-only wombat evidence")
