"""Designer pages: programmes, the inclusivity dashboard, exports, what-if, EIA and uploads.

Access: designers and admins only. A signed-in participant gets 403 on every designer URL and an
anonymous visitor is sent to sign in (``before_request`` below, so a new route cannot forget it;
each view also carries ``role_required`` for the access-matrix test).

How a designer page is built (a new page follows the same pattern, in its own modules):

1. A page module under ``app/designer/pages/`` (``pages/fit.py``, say) has one function per view that
   returns a frozen dataclass, the page's view model: everything its template shows, figures already
   through the suppression path, labels already read through the vocabulary. It looks the
   programme up with ``pages.common.programme`` and raises ``pages.common.Missing`` for anything the
   address names that is not there (the blueprint turns that into the site's 404).
2. The view is HTTP only: it parses the request (``app.designer.forms``), calls that one page
   module, then renders with ``render_page(template, view_model, form=form)``, streams with
   ``stream_page`` (the what-if's progress), sends a download with ``send_download``, or flashes
   and redirects. It carries ``@bp.get``/``@bp.post``/``@bp.route`` on this blueprint ``bp`` and
   ``@role_required(*STAFF)``. A page's routes may live in their own module
   (say ``app/designer/fit_views.py``) that imports ``bp``, ``STAFF`` and ``render_page`` from here;
   import that module at the end of this one, so its routes are on ``bp`` before it is registered.
3. The template reads the view model's fields by name (``common.template_context``), formats
   numbers with the registered filters (``app.designer.formatters``) and does no arithmetic on
   counts. No HTML is written in Python.

``tests/test_architecture.py`` checks points 1 and 2 on every designer module with routes, and
that no HTML is written in them or in ``app/designer/pages/``.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_template,
    url_for,
)
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound

from app.designer import formatters
from app.designer.fields import DEFAULT_GROUPING, GROUPINGS
from app.designer.forms import GroupingForm, JustificationForm, SaveScenarioForm, ScenarioForm, UploadForm
from app.designer.pages import common, downloads, overview, uploads
from app.designer.pages import dashboard as dashboard_page
from app.designer.pages import equality_impact as eia_page
from app.designer.pages import rules as rules_page
from app.designer.pages import scenarios as scenarios_page
from app.designer.pages.common import Grouping
from app.extensions import login_manager
from app.forms_base import entered
from app.security import role_required

bp = Blueprint("designer", __name__, url_prefix="/designer")
bp.record_once(lambda state: formatters.register(state.app))
STAFF = ("designer", "admin")


@bp.before_request
def _staff_only() -> Any:
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role not in STAFF:
        abort(403)
    return None


@bp.errorhandler(common.Missing)
def _missing(error: common.Missing) -> Any:
    """A page module found no such programme, requirement or scenario: the site's 404 page."""
    return current_app.handle_http_exception(NotFound())


def render_page(template: str, page: Any, **request_parts: Any) -> str:
    """Render a page's view model; ``request_parts`` are the forms the view parsed from the request."""
    return render_template(template, **common.template_context(page), **request_parts)


def stream_page(template: str, page: Any) -> Response:
    """Send a page as its template renders it, in the request's context (``stream_template``).

    A page module's view model may hold a lazy part (the what-if's ``steps``) that does its work
    while the body is being sent, so what comes first reaches the browser first.
    """
    return Response(stream_template(template, **common.template_context(page)), mimetype="text/html")


@bp.get("/")
@role_required(*STAFF)
def index() -> str:
    return render_page("designer/index.html", overview.overview())


def _grouping_args() -> tuple[GroupingForm, Grouping]:
    """The dashboard's grouping from the query string; anything unusable falls back to the default."""
    form = GroupingForm(request.args, meta={"csrf": False})
    if not request.args:
        form.by.data = DEFAULT_GROUPING
    valid = form.validate() if request.args else True
    return form, Grouping(
        by=form.by.data if valid and form.by.data in GROUPINGS else DEFAULT_GROUPING,
        second=form.and_by.data if valid and form.and_by.data in GROUPINGS else None,
        reference=form.reference.data if valid and form.reference.data else None,
    )


@bp.get("/programmes/<string:framework_id>")
@role_required(*STAFF)
def dashboard(framework_id: str) -> str:
    form, grouping = _grouping_args()
    csv_args = {k: v for k, v in request.args.items() if k in ("by", "and_by", "reference")}
    page = dashboard_page.dashboard(framework_id, grouping, csv_args)
    if page.reference_problem:
        form.reference.errors = [*form.reference.errors, page.reference_problem]
    return render_page("designer/dashboard.html", page, form=form)


def send_download(download: downloads.Download) -> Response:
    response = Response(download.body, mimetype=download.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    if download.private:
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/programmes/<string:framework_id>/export/<string:table>.csv")
@role_required(*STAFF)
def export_csv(framework_id: str, table: str) -> Response:
    _, grouping = _grouping_args()
    return send_download(downloads.csv_table(framework_id, table, grouping))


@bp.get("/programmes/<string:framework_id>/report.pdf")
@role_required(*STAFF)
def report_pdf(framework_id: str) -> Response:
    _, grouping = _grouping_args()
    return send_download(downloads.inclusivity_pdf(framework_id, grouping))


@bp.get("/programmes/<string:framework_id>/rules")
@role_required(*STAFF)
def rules(framework_id: str) -> str:
    return render_page("designer/rules.html", rules_page.rules(framework_id))


# --------------------------------------------------------------------------- what-if


@bp.route("/programmes/<string:framework_id>/what-if", methods=["GET", "POST"])
@role_required(*STAFF)
def what_if(framework_id: str) -> Any:
    page = scenarios_page.what_if_form(framework_id)
    if request.method == "GET":
        asked = request.args.get("by", DEFAULT_GROUPING)
        grouping = asked if asked in GROUPINGS else DEFAULT_GROUPING
        prefill = ScenarioForm.prefill(page.framework, grouping)
        return render_page(
            "designer/what-if.html", page, form=ScenarioForm(formdata=MultiDict(_pairs(prefill)))
        )
    form = ScenarioForm()
    if not form.validate():
        return render_page("designer/what-if.html", page, form=form)
    results = scenarios_page.what_if(
        page.framework,
        form.changes(page.framework),
        form.grouping.data,
        scenario_fields=[
            (key, value) for key, value in request.form.items(multi=True) if key not in ("name", "csrf_token")
        ],
        scenario_name=form.name.data or "",
    )
    return stream_page("designer/what-if-results.html", results)


@bp.post("/programmes/<string:framework_id>/scenarios")
@role_required(*STAFF)
def save_scenario(framework_id: str) -> Any:
    page = scenarios_page.what_if_form(framework_id)
    form = SaveScenarioForm()
    if not form.validate():
        return render_page("designer/what-if.html", page, form=form)
    name = entered(form.name).strip()
    scenarios_page.save(current_user, page.framework, name, form.grouping.data, form.changes(page.framework))
    flash(f"Scenario ‘{name}’ saved", "success")
    return redirect(url_for("designer.scenarios", framework_id=page.framework.id))


@bp.get("/programmes/<string:framework_id>/scenarios")
@role_required(*STAFF)
def scenarios(framework_id: str) -> str:
    chosen = {int(value) for value in request.args.getlist("compare") if value.isdigit()}
    return render_page("designer/scenarios.html", scenarios_page.scenarios(framework_id, chosen))


@bp.post("/programmes/<string:framework_id>/scenarios/<int:scenario_id>/delete")
@role_required(*STAFF)
def delete_scenario(framework_id: str, scenario_id: int) -> Any:
    name = scenarios_page.delete(current_user, framework_id, scenario_id)
    flash(f"Scenario ‘{name}’ deleted", "success")
    return redirect(url_for("designer.scenarios", framework_id=framework_id))


# --------------------------------------------------------------------------- equality impact assessment


@bp.get("/programmes/<string:framework_id>/equality-impact")
@role_required(*STAFF)
def equality_impact(framework_id: str) -> str:
    return render_page("designer/equality-impact.html", eia_page.equality_impact(framework_id))


@bp.get("/programmes/<string:framework_id>/equality-impact.pdf")
@role_required(*STAFF)
def equality_impact_pdf(framework_id: str) -> Response:
    return send_download(downloads.eia_pdf(framework_id))


@bp.get("/programmes/<string:framework_id>/equality-impact.docx")
@role_required(*STAFF)
def equality_impact_docx(framework_id: str) -> Response:
    return send_download(downloads.eia_docx(framework_id))


@bp.route("/programmes/<string:framework_id>/requirements/<string:rule_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def justify_requirement(framework_id: str, rule_id: str) -> Any:
    page = eia_page.justify(framework_id, rule_id)
    form = JustificationForm(obj=page.existing) if request.method == "GET" else JustificationForm()
    if request.method == "POST" and form.validate():
        eia_page.save_justification(
            current_user,
            page,
            legitimate_aim=entered(form.legitimate_aim),
            proportionality=entered(form.proportionality),
            mitigations=form.mitigations.data or "",
        )
        flash(f"Justification for ‘{page.rule.title}’ saved", "success")
        return redirect(url_for("designer.equality_impact", framework_id=page.framework.id))
    return render_page("designer/justify.html", page, form=form)


# --------------------------------------------------------------------------- upload


@bp.route("/upload", methods=["GET", "POST"])
@role_required(*STAFF)
def upload() -> Any:
    form = UploadForm()
    if request.method == "POST" and form.validate():
        upload_file = form.framework_file.data
        try:
            outcome = uploads.upload(current_user, upload_file.stream, upload_file.filename)
        except uploads.UploadRejected as problem:
            form.framework_file.errors = list(problem.problems)
        else:
            if outcome.created:
                flash(f"{outcome.framework.name} version {outcome.framework.version} uploaded", "success")
            else:
                flash(
                    f"{outcome.framework.name} version {outcome.framework.version} was already stored",
                    "success",
                )
            return redirect(url_for("designer.dashboard", framework_id=outcome.framework.id))
    return render_template("designer/upload.html", form=form)


def _pairs(data: dict[str, Any]) -> list[tuple[str, Any]]:
    pairs: list[tuple[str, Any]] = []
    for key, value in data.items():
        if isinstance(value, list):
            pairs += [(key, item) for item in value]
        else:
            pairs.append((key, value))
    return pairs


# Pages whose routes live in their own modules (see the docstring): imported last, so ``bp`` exists.
from app.designer import fitness_views, impact_views  # noqa: E402, F401
