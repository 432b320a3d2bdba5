"""The designer's "Impact over time" page: one view, one service (``app.designer.pages.impact``).

Its route is on the designer blueprint (this module is imported at the end of ``views``), so it
sits behind the blueprint's staff-only check like every designer page, and carries
``role_required`` for the access-matrix test.
"""

from __future__ import annotations

from flask import abort, current_app, render_template, request

from app.designer.forms import ImpactForm
from app.designer.pages import impact
from app.designer.views import STAFF, bp
from app.security import role_required
from assessments.cohort import SUPPRESSED_TEXT
from assessments.impact import COMPLETERS, NON_COMPLETERS, PROGRESS_GROUPS


@bp.get("/programmes/<string:framework_id>/impact")
@role_required(*STAFF)
def impact_over_time(framework_id: str) -> tuple[str, int] | str:
    try:
        framework = impact.programme(framework_id)
    except impact.UnknownProgramme:
        abort(404)
    form = ImpactForm(request.args, meta={"csrf": False})
    valid = form.validate() if request.args else True
    grouping = form.by.data if valid and form.by.data else None
    figures = impact.impact_figures(
        framework, grouping, int(current_app.config.get("CERTREADY_MIN_CELL", 10))
    )
    page = render_template(
        "designer/impact.html",
        framework=framework,
        form=form,
        figures=figures,
        report=figures.report,
        synthetic=figures.synthetic,
        progress_labels=PROGRESS_GROUPS,
        completers=PROGRESS_GROUPS[COMPLETERS],
        non_completers=PROGRESS_GROUPS[NON_COMPLETERS],
        suppressed_text=SUPPRESSED_TEXT,
    )
    return (page, 400) if not valid else page
