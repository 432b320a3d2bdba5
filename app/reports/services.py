"""Reports for stored assessments: who may have one, what it shows, and the on-disk cache.

Reads the database through ``app.models`` only; renders through the Flask-free renderer.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from app.extensions import db
from app.models import Assessment, User
from app.reports import renderer
from app.reports.cache import ReportCache, cache_key
from app.reports.renderer import ReportError, ReportInputs
from assessments.framework import framework_from_json


class AssessmentNotSubmitted(ReportError):
    """Reports exist only for submitted assessments: an in-progress one has no result yet."""


def owned_assessment(user: User, assessment_id: int) -> Assessment | None:
    """The assessment if ``user`` owns it; ``None`` otherwise, so the view answers 404 either way."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or assessment.user_id != user.id:
        return None
    return assessment


def is_reportable(assessment: Assessment) -> bool:
    return assessment.status == "submitted" and bool(assessment.result)


def report_inputs(assessment: Assessment) -> ReportInputs:
    if not is_reportable(assessment):
        raise AssessmentNotSubmitted(
            f"assessment {renderer.reference_for(assessment.id)} is not submitted yet, so it has no report"
        )
    framework = framework_from_json(assessment.snapshot.content)
    assert assessment.result is not None
    return ReportInputs(
        framework=framework,
        result=assessment.result,
        reference=renderer.reference_for(assessment.id),
        assessed_on=_assessed_on(assessment),
        participant=assessment.user.display_name,
    )


def _assessed_on(assessment: Assessment) -> date:
    assessed_at = assessment.submitted_at or assessment.updated_at
    return assessed_at.date() if assessed_at else date.today()


def _key_digest(assessment: Assessment) -> str:
    """What a report prints besides the assessment row itself, hashed.

    The result, status and dates live on the assessment row, whose version bumps on every
    change; the framework is an immutable snapshot; the person's name is on another row, so
    it goes into the key. Cheap on purpose: a cached download must not parse the framework.
    """
    digest = hashlib.sha256(renderer.template_fingerprint().encode())
    digest.update(assessment.snapshot.fingerprint.encode())
    digest.update((assessment.user.display_name or "").encode())
    # Ids can be reused after an account is deleted (SQLite): the creation time tells the
    # new assessment from an old one whose cached file could not be removed.
    digest.update(str(assessment.created_at).encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Report:
    pdf: bytes
    filename: str
    from_cache: bool


def report_filename(programme: str, day: date) -> str:
    """``certready-<programme-slug>-<yyyy-mm-dd>.pdf``: ASCII only, so every browser keeps it."""
    ascii_name = unicodedata.normalize("NFKD", programme).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-") or "programme"
    return f"certready-{slug}-{day.isoformat()}.pdf"


def get_report(assessment: Assessment, cache_dir: str) -> Report:
    """The cached PDF for this version of the assessment, or a fresh render stored for next time."""
    if not is_reportable(assessment):
        raise AssessmentNotSubmitted(
            f"assessment {renderer.reference_for(assessment.id)} is not submitted yet, so it has no report"
        )
    programme = json.loads(assessment.snapshot.content)["name"]
    filename = report_filename(programme, _assessed_on(assessment))
    cache = ReportCache(cache_dir)
    key = cache_key(assessment.id, assessment.version, _key_digest(assessment))
    cached = cache.get(key)
    if cached is not None:
        return Report(cached, filename, from_cache=True)
    pdf = renderer.render_report(report_inputs(assessment))
    cache.put(key, pdf)
    return Report(pdf, filename, from_cache=False)


def render_for_assessment(assessment_id: int) -> bytes:
    """For ``certready report --assessment ID`` (run inside an app context)."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        raise ReportError(f"there is no assessment with id {assessment_id}")
    return renderer.render_report(report_inputs(assessment))
