"""PDF readiness reports: the renderer (Flask-free), its fetcher, charts, cache and download view."""

from flask import Blueprint

from app.reports import views

bp = Blueprint("reports", __name__)
bp.add_url_rule(
    "/assessments/<int:assessment_id>/report.pdf",
    endpoint="download",
    view_func=views.download,
    methods=["GET"],
)
