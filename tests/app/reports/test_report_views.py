"""GET /assessments/<id>/report.pdf: owner only, cached per version, clear pages when it cannot serve."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask, url_for
from pypdf import PdfReader

from app.extensions import db
from app.models import Assessment, FrameworkSnapshot, User
from app.reports import bp, renderer
from tests.app.reports.report_builders import framework, result


@pytest.fixture(autouse=True)
def reports_registered(app: Flask) -> None:
    # The lead registers the blueprint in the factory; until then, register it here.
    if "reports" not in app.blueprints:
        app.register_blueprint(bp)


def make_assessment(user: User, *, status: str = "submitted", score: float = 63.4) -> Assessment:
    fw = framework(domains=3, per_domain=2)
    snapshot = db.session.execute(
        db.select(FrameworkSnapshot).filter_by(fingerprint=fw.fingerprint())
    ).scalar_one_or_none() or FrameworkSnapshot(
        framework_id=fw.id, version=fw.version, fingerprint=fw.fingerprint(), content=fw.to_json()
    )
    submitted = status == "submitted"
    assessment = Assessment(
        user_id=user.id,
        framework_id=fw.id,
        framework_version=fw.version,
        snapshot=snapshot,
        status=status,
        submitted_at=datetime(2026, 11, 25, 14, 30, tzinfo=UTC) if submitted else None,
        score=score if submitted else None,
        band="developing" if submitted else None,
        result=result(fw, score=score) if submitted else None,
    )
    db.session.add(assessment)
    db.session.commit()
    return assessment


@pytest.fixture
def render_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts real renders (the renderer still runs, so responses stay genuine PDFs)."""
    calls: list[str] = []
    real = renderer.render_report

    def spy(inputs):
        calls.append(inputs.reference)
        return real(inputs)

    monkeypatch.setattr(renderer, "render_report", spy)
    return calls


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _report_url(assessment: Assessment) -> str:
    return url_for("reports.download", assessment_id=assessment.id)


def test_owner_downloads_pdf_attachment_named_from_programme_and_date(participant_client, participant):
    assessment = make_assessment(participant)
    response = participant_client.get(_report_url(assessment))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="certready-digital-leaders-programme-2026-11-25.pdf"'
    )
    text = _pdf_text(response.data)
    assert "Test Person" in text
    assert "63 out of 100" in text
    assert f"CR-{assessment.id:06d}" in text


def test_url_is_the_documented_one(app):
    with app.test_request_context():
        assert url_for("reports.download", assessment_id=7) == "/assessments/7/report.pdf"


def test_another_participant_gets_404_not_403(client, signed_in, make_user, participant):
    assessment = make_assessment(participant)
    other = signed_in(client, make_user(display_name="Someone Else"))
    response = other.get(_report_url(assessment))
    assert response.status_code == 404
    assert b"%PDF" not in response.data


def test_missing_assessment_gets_404(participant_client):
    assert participant_client.get("/assessments/999999/report.pdf").status_code == 404


def test_signed_out_visitor_gets_no_pdf(client, participant):
    assessment = make_assessment(participant)
    response = client.get(_report_url(assessment))
    assert response.status_code in (302, 401)
    assert b"%PDF" not in response.data


def test_in_progress_assessment_explains_and_links_to_check_answers(
    participant_client, participant, render_calls
):
    assessment = make_assessment(participant, status="in-progress")
    response = participant_client.get(_report_url(assessment))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Your report is not ready yet" in page
    assert "Check your answers" in page
    assert render_calls == []


def test_second_download_of_unchanged_assessment_is_served_from_cache(
    app, participant_client, participant, render_calls
):
    assessment = make_assessment(participant)
    first = participant_client.get(_report_url(assessment))
    second = participant_client.get(_report_url(assessment))
    assert first.status_code == second.status_code == 200
    assert len(render_calls) == 1
    assert second.data == first.data
    cached = list(Path(app.config["CERTREADY_REPORT_CACHE_DIR"]).iterdir())
    assert [path.name for path in cached] == [
        f"{assessment.id}-v{assessment.version}-" + cached[0].name.split("-")[2]
    ]


def test_edited_assessment_is_rendered_again_and_old_copy_removed(
    app, participant_client, participant, render_calls
):
    assessment = make_assessment(participant)
    participant_client.get(_report_url(assessment))
    version = assessment.version
    assessment.current_step = "check"
    db.session.commit()
    assert assessment.version == version + 1

    response = participant_client.get(_report_url(assessment))
    assert response.status_code == 200
    assert len(render_calls) == 2
    names = [path.name for path in Path(app.config["CERTREADY_REPORT_CACHE_DIR"]).glob("*.pdf")]
    assert len(names) == 1
    assert names[0].startswith(f"{assessment.id}-v{version + 1}-")


def test_renamed_participant_gets_a_fresh_report(participant_client, participant, render_calls):
    assessment = make_assessment(participant)
    participant_client.get(_report_url(assessment))
    participant.display_name = "New Name"
    db.session.commit()
    response = participant_client.get(_report_url(assessment))
    assert len(render_calls) == 2
    assert "New Name" in _pdf_text(response.data)


def test_unwritable_cache_dir_still_serves_the_pdf(
    app, participant_client, participant, render_calls, tmp_path
):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be")
    app.config["CERTREADY_REPORT_CACHE_DIR"] = str(blocker / "reports")
    assessment = make_assessment(participant)
    for _ in range(2):
        response = participant_client.get(_report_url(assessment))
        assert response.status_code == 200
        assert response.data.startswith(b"%PDF")
    assert len(render_calls) == 2


def test_failed_render_shows_clear_page_and_retry_works(
    participant_client, participant, monkeypatch: pytest.MonkeyPatch
):
    assessment = make_assessment(participant)
    real = renderer.render_report

    def broken(inputs):
        raise RuntimeError("pango exploded")

    monkeypatch.setattr(renderer, "render_report", broken)
    failed = participant_client.get(_report_url(assessment))
    assert failed.status_code == 500
    page = failed.get_data(as_text=True)
    assert "Sorry, we could not create your report" in page
    assert re.search(rf'href="[^"]*/assessments/{assessment.id}/report.pdf"', page)
    assert "pango exploded" not in page

    monkeypatch.setattr(renderer, "render_report", real)
    retry = participant_client.get(_report_url(assessment))
    assert retry.status_code == 200
    assert retry.data.startswith(b"%PDF")
