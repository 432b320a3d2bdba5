"""The report download: owner only, cached per assessment version, never a stack trace."""

from __future__ import annotations

import logging

from flask import Response, abort, current_app, render_template, url_for
from flask_login import current_user, login_required

from app.reports import services

log = logging.getLogger(__name__)

# Endpoints the journey blueprint may give its check-answers and results pages, in order of preference.
_CHECK_ENDPOINTS = ("journey.check_answers", "journey.check", "journey.review")
_RESULTS_ENDPOINTS = ("journey.show_results", "journey.results")


def _journey_url(endpoints: tuple[str, ...], assessment_id: int) -> str | None:
    for endpoint in endpoints:
        if endpoint in current_app.view_functions:
            try:
                return url_for(endpoint, assessment_id=assessment_id)
            except Exception:  # built in parallel: an endpoint with other arguments is not ours to guess
                continue
    return None


@login_required
def download(assessment_id: int) -> Response | tuple[str, int]:
    """``GET /assessments/<id>/report.pdf``: 404 for anyone but the owner (never 403: no hint it exists)."""
    assessment = services.owned_assessment(current_user, assessment_id)
    if assessment is None:
        abort(404)
    if not services.is_reportable(assessment):
        return (
            render_template(
                "reports/not-submitted.html",
                check_url=_journey_url(_CHECK_ENDPOINTS, assessment_id) or "/assessments/",
            ),
            409,
        )
    try:
        report = services.get_report(assessment, current_app.config["CERTREADY_REPORT_CACHE_DIR"])
    except Exception:
        # Nothing was cached, so trying again renders again.
        log.exception("report render failed for assessment %s", assessment_id)
        return (
            render_template(
                "reports/render-failed.html",
                retry_url=url_for("reports.download", assessment_id=assessment_id),
                results_url=_journey_url(_RESULTS_ENDPOINTS, assessment_id),
            ),
            500,
        )
    response = Response(report.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
