"""The designer's "Fit for purpose" page: which criteria participants judge essential to the job.

Its route is on the designer blueprint (this module is imported at the end of ``views``), so the
blueprint's staff-only check covers it; the view parses the grouping and calls
``app.designer.pages.fitness`` alone.
"""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from wtforms.validators import Optional

from app.designer.pages import fitness
from app.designer.views import STAFF, bp
from app.forms_base import BaseForm, SelectChoice, SelectOne
from app.security import role_required


class FitnessGroupingForm(BaseForm):
    """The page's GET form: which kind of leader to split the panel by."""

    class Meta:
        csrf = False

    by = SelectOne(
        "Compare groups by",
        choices=[SelectChoice(key, label) for key, label in fitness.grouping_choices()],
        what="a grouping",
        validators=[Optional()],
    )


@bp.get("/programmes/<string:framework_id>/fit-for-purpose")
@role_required(*STAFF)
def fit_for_purpose(framework_id: str) -> str:
    form = FitnessGroupingForm(request.args, meta={"csrf": False})
    grouping = fitness.DEFAULT_GROUPING
    if request.args and form.validate() and form.by.data:
        grouping = form.by.data
    else:
        form.by.data = grouping if not form.errors else form.by.data
    try:
        view = fitness.page(framework_id, grouping, int(current_app.config.get("CERTREADY_MIN_CELL", 10)))
    except fitness.UnknownProgramme:
        abort(404)
    return render_template(
        "designer/fitness.html",
        form=form,
        page=view,
        framework=view.framework,
        fitness=view.fitness,
        synthetic=view.fitness.synthetic,
    )
