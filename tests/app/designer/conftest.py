"""Designer test helpers: the blueprint wired in, and a builder for known cohorts.

``add_people`` writes consenting participants with submitted assessments and cohort rows
directly (no journey), so each test states its cohort as plain numbers. The rows are counted
into the programme's tallies as ``certready demo-cohort`` does, so figures are read the way the
dashboard reads them; ``queries.live_group_counts`` reads the rows themselves.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import insert

from app.designer import bp, tallies
from app.designer.fields import RULE_BITS, profile_columns
from app.designer.models import CohortFlag, CohortRecord
from app.extensions import db
from app.journey.services import snapshot_for
from app.models import Assessment, Profile, User
from assessments.framework import shipped_frameworks
from assessments.risks import rule_by_id
from assessments.scoring import band_for

PROGRAMME = "nhs-digital-academy-dhlp"


@pytest.fixture(autouse=True)
def designer_wired(app: Flask) -> Flask:
    """Until the factory registers it, register the blueprint here (a no-op after)."""
    if "designer" not in app.blueprints:
        app.register_blueprint(bp)
    return app


def add_people(
    count: int,
    *,
    answers: dict[str, Any],
    equality: dict[str, Any] | None = None,
    score: float = 50.0,
    flags: dict[str, str] | None = None,
    consent: bool = True,
    framework_id: str = PROGRAMME,
) -> list[int]:
    """``count`` people alike; ``flags`` maps rule id -> severity. Returns their user ids."""
    framework = shipped_frameworks()[framework_id]
    snapshot = snapshot_for(framework)
    db.session.flush()
    flags = flags or {}
    flag_mask = sum(RULE_BITS[rule] for rule, severity in flags.items() if severity != "undetermined")
    high_mask = sum(RULE_BITS[rule] for rule, severity in flags.items() if severity == "high")
    user_ids = []
    record_ids = []
    tallies.start_if_new(framework_id)
    for _ in range(count):
        token = secrets.token_hex(6)
        user = User(email=f"cohort-{token}@example.org", password_hash="!", role="participant")
        db.session.add(user)
        db.session.flush()
        db.session.add(
            Profile(user_id=user.id, answers=answers, equality=equality or {}, consent_aggregate=consent)
        )
        assessment = Assessment(
            user_id=user.id,
            framework_id=framework.id,
            framework_version=framework.version,
            snapshot_id=snapshot.id,
            status="submitted",
            score=score,
            band=band_for(score),
        )
        db.session.add(assessment)
        db.session.flush()
        record = CohortRecord(
            assessment_id=assessment.id,
            user_id=user.id,
            framework_id=framework.id,
            framework_version=framework.version,
            is_latest=True,
            released=True,  # written as a bulk load is: published at once, like a synthetic cohort
            counted=True,
            consented=consent,
            score=score,
            band=band_for(score),
            no_opportunity_count=1,
            answer_count=10,
            flag_mask=flag_mask,
            high_mask=high_mask,
            undetermined_mask=0,
            **profile_columns(answers, equality or {}),
        )
        db.session.add(record)
        db.session.flush()
        record_ids.append(record.id)
        if flags:
            db.session.execute(
                insert(CohortFlag),
                [
                    {
                        "record_id": record.id,
                        "rule": rule,
                        "category": rule_by_id(rule).category,
                        "severity": s,
                    }
                    for rule, s in flags.items()
                ],
            )
        user_ids.append(user.id)
    tallies.add_rows(record_ids)
    db.session.commit()
    return user_ids


def scored_assessment(
    user: User,
    answers: dict[str, Any],
    score: float,
    flags: list[dict[str, Any]],
    *,
    framework_id: str = PROGRAMME,
    equality: dict[str, Any] | None = None,
    band: str | None = None,
    no_opportunity: int = 2,
    unrated: int = 0,
    criteria: int = 5,
) -> Assessment:
    """A submitted, scored assessment as the journey leaves it just before ``record_submission``."""
    framework = shipped_frameworks()[framework_id]
    assessment = Assessment(
        user_id=user.id,
        framework_id=framework_id,
        framework_version=framework.version,
        snapshot=snapshot_for(framework),
        status="submitted",
        score=score,
        band=band or band_for(score),
        result={
            "readiness": {"score": score, "no_opportunity": no_opportunity, "unrated": unrated},
            "criteria": [{}] * criteria,
            "risks": flags,
        },
        profile_snapshot={"answers": answers, "equality": equality or {}, "consent_aggregate": True},
    )
    db.session.add(assessment)
    db.session.flush()
    return assessment


@pytest.fixture
def people() -> Callable[..., list[int]]:
    return add_people
