"""Designer pages: programmes, the inclusivity dashboard, exports, what-if, EIA and uploads.

Access: designers and admins only. A signed-in participant gets 403 on every designer URL and an
anonymous visitor is sent to sign in (``before_request`` below, so a new route cannot forget it;
each view also carries ``role_required`` for the access-matrix test).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
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
    url_for,
)
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import MultiDict

from app.designer import (
    analytics,
    documents,
    eia,
    exports,
    formatters,
    impact_views,
    pdf,
    queries,
    services,
    whatif,
)
from app.designer.fields import DEFAULT_GROUPING, GROUPINGS, key_label, labeller
from app.designer.forms import GroupingForm, JustificationForm, SaveScenarioForm, ScenarioForm, UploadForm
from app.extensions import login_manager
from app.security import role_required
from assessments import risks
from assessments.cohort import SUPPRESSED_TEXT, CohortError, ReferenceHidden
from assessments.framework import Framework

bp = Blueprint("designer", __name__, url_prefix="/designer")
bp.record_once(lambda state: formatters.register(state.app))
STAFF = ("designer", "admin")
CSV_TABLES = ("groups", "flags", "rules", "equality-impact", "scenarios")
impact_views.register(bp, STAFF)


@bp.before_request
def _staff_only() -> Any:
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role not in STAFF:
        abort(403)
    return None


def _min_cell() -> int:
    return int(current_app.config.get("CERTREADY_MIN_CELL", 10))


def _no_grouping(value: str) -> str:
    raise LookupError(f"a page without a grouping asked for the label of the group {value!r}")


def _programme(framework_id: str) -> Framework:
    try:
        return services.programme(framework_id)
    except services.UnknownProgramme:
        abort(404)


def _documents() -> documents.DocumentCache:
    return documents.DocumentCache(current_app.config["CERTREADY_REPORT_CACHE_DIR"])


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _template_helpers(grouping: str | None = None, second: str | None = None) -> dict[str, Any]:
    """Functions the designer templates call; ``value_label`` labels groups of ``grouping``."""
    return {
        "value_label": labeller(grouping, second) if grouping else _no_grouping,
        "key_label": key_label,
        "verdict_label": analytics.verdict_label,
        "suppressed_text": SUPPRESSED_TEXT,
        "cell": whatif.cell,
    }


@bp.get("/")
@role_required(*STAFF)
def index() -> str:
    return render_template(
        "designer/index.html",
        programmes=services.programmes(),
        figures=analytics.overview(_min_cell()),
        min_cell=_min_cell(),
    )


def services_figures() -> dict[str, Any]:
    return queries.programme_figures()


def _grouping_args() -> tuple[GroupingForm, str, str | None, str | None]:
    form = GroupingForm(request.args, meta={"csrf": False})
    if not request.args:
        form.by.data = DEFAULT_GROUPING
    valid = form.validate() if request.args else True
    by = form.by.data if valid and form.by.data in GROUPINGS else DEFAULT_GROUPING
    second = form.and_by.data if valid and form.and_by.data in GROUPINGS else None
    reference = form.reference.data if valid and form.reference.data else None
    return form, by, second, reference


def _analysis(framework: Framework, form: GroupingForm, by: str, second: str | None, reference: str | None):
    try:
        return analytics.analyse(framework, by, second=second, reference=reference, min_cell=_min_cell())
    except (ReferenceHidden, CohortError) as problem:
        form.reference.errors = [*form.reference.errors, "; ".join(problem.problems)]
        return analytics.analyse(framework, by, second=second, min_cell=_min_cell())


@bp.get("/programmes/<string:framework_id>")
@role_required(*STAFF)
def dashboard(framework_id: str) -> str:
    framework = _programme(framework_id)
    form, by, second, reference = _grouping_args()
    analysis = _analysis(framework, form, by, second, reference)
    charts = {key: analytics.chart_for(analysis, key) for key in analysis.category_keys}
    return render_template(
        "designer/dashboard.html",
        framework=framework,
        form=form,
        analysis=analysis,
        charts=charts,
        most_affected=analytics.most_affected(analysis),
        synthetic=services.cohort_is_synthetic(framework.id),
        min_cell=_min_cell(),
        csv_args={k: v for k, v in request.args.items() if k in ("by", "and_by", "reference")},
        **_template_helpers(by, second),
    )


def _csv_response(text: str, name: str) -> Response:
    response = Response(text, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/programmes/<string:framework_id>/export/<string:table>.csv")
@role_required(*STAFF)
def export_csv(framework_id: str, table: str) -> Response:
    framework = _programme(framework_id)
    if table not in CSV_TABLES:
        abort(404)
    name = f"{framework.id}-{framework.version}-{table}.csv"
    if table in ("groups", "flags"):
        form, by, second, reference = _grouping_args()
        analysis = _analysis(framework, form, by, second, reference)
        text = exports.groups_csv(analysis) if table == "groups" else exports.impact_csv(analysis)
    elif table == "rules":
        text = exports.catalogue_csv(analytics.catalogue(framework, _min_cell()))
    elif table == "equality-impact":
        text = _eia_csv(framework)
    else:
        text = exports.scenarios_csv(services.scenarios(framework.id))
    if services.cohort_is_synthetic(framework.id):
        text = documents.mark_synthetic_csv(text)
    return _csv_response(text, name)


def _cohort_date(framework: Framework) -> str:
    figures = services_figures().get(framework.id)
    return figures.cohort_date.date().isoformat() if figures and figures.cohort_date else "no submissions yet"


def _eia_csv(framework: Framework) -> str:
    entries = analytics.equality_impact(framework, _min_cell())
    return exports.eia_csv(entries, framework_version=framework.version, cohort_date=_cohort_date(framework))


@bp.get("/programmes/<string:framework_id>/report.pdf")
@role_required(*STAFF)
def report_pdf(framework_id: str) -> Response:
    framework = _programme(framework_id)
    form, by, second, reference = _grouping_args()
    today = date.today().isoformat()
    key = documents.document_key(
        "inclusivity-report",
        framework.id,
        (
            services.cohort_state(framework.id),
            framework.fingerprint(),
            _min_cell(),
            today,
            by,
            second,
            reference,
            form.errors,
        ),
    )

    def make() -> bytes:
        analysis = _analysis(framework, form, by, second, reference)
        charts = {key: analytics.chart_for(analysis, key) for key in analysis.category_keys}
        return pdf.render(
            "designer/report-pdf.html",
            framework=framework,
            analysis=analysis,
            charts=charts,
            catalogue=analytics.catalogue(framework, _min_cell()),
            min_cell=_min_cell(),
            today=today,
            cohort_date=_cohort_date(framework),
            synthetic=services.cohort_is_synthetic(framework.id),
            **(_template_helpers() | {"value_label": analytics.labeller(analysis.grouping, analysis.second)}),
        )

    body, _ = _documents().get_or_make(key, ".pdf", make)
    return _download(body, "application/pdf", f"inclusivity-{framework.id}.pdf")


@bp.get("/programmes/<string:framework_id>/rules")
@role_required(*STAFF)
def rules(framework_id: str) -> str:
    framework = _programme(framework_id)
    return render_template(
        "designer/rules.html",
        framework=framework,
        catalogue=analytics.catalogue(framework, _min_cell()),
        justifications=services.justifications(framework.id),
        requirements={requirement.id: requirement for requirement in eia.requirements(framework)},
        synthetic=services.cohort_is_synthetic(framework.id),
        **_template_helpers(),
    )


# --------------------------------------------------------------------------- what-if


@bp.route("/programmes/<string:framework_id>/what-if", methods=["GET", "POST"])
@role_required(*STAFF)
def what_if(framework_id: str) -> Any:
    framework = _programme(framework_id)
    if request.method == "GET":
        grouping = request.args.get("by") if request.args.get("by") in GROUPINGS else DEFAULT_GROUPING
        form = ScenarioForm(formdata=MultiDict(_multidict(ScenarioForm.prefill(framework, grouping))))
        return render_template("designer/what-if.html", framework=framework, form=form, **_template_helpers())
    form = ScenarioForm()
    if not form.validate():
        return render_template("designer/what-if.html", framework=framework, form=form, **_template_helpers())
    changes = form.changes(framework)
    modified = whatif.apply_changes(framework, changes)
    return Response(_stream_what_if(framework, modified, form, changes), mimetype="text/html")


def _stream_what_if(
    framework: Framework, modified: Framework, form: ScenarioForm, changes: dict[str, Any]
) -> Iterator[str]:
    """The results page, sent as it is made: a progress line every tenth of the way, then the figures.

    Streaming needs no JavaScript and no job store shared between workers. Everything that needs
    the request (the SQL, the page around the figures, URLs) is done before the first byte, so
    the generator itself runs without a request context.
    """
    described = whatif.describe_changes(changes)
    page = render_template(
        "designer/what-if-results.html",
        framework=framework,
        form=form,
        changes=described,
        **_template_helpers(),
    )
    head, _, tail = page.partition("<!--results-->")
    combos = queries.rule_combinations(framework.id, form.grouping.data)
    figures = current_app.jinja_env.get_template("designer/_what-if-figures.html")
    progress = current_app.jinja_env.get_template("designer/_what-if-progress.html")
    context = {
        "framework": framework,
        "changes": described,
        "again_url": url_for("designer.what_if", framework_id=framework.id),
        "save_url": url_for("designer.save_scenario", framework_id=framework.id),
        "csrf": generate_csrf(),
        "scenario_fields": [
            (key, value) for key, value in request.form.items(multi=True) if key not in ("name", "csrf_token")
        ],
        "scenario_name": form.name.data or "",
        **_template_helpers(form.grouping.data),
    }
    grouping, min_cell = form.grouping.data, _min_cell()

    def generate() -> Iterator[str]:
        yield head
        for done, total, finished in whatif.run_steps(
            framework, modified, grouping, combos, min_cell=min_cell
        ):
            if finished is None:
                yield progress.render(done=done, total=total, percent=done * 100 // total)
            else:
                yield figures.render(result=finished, **context)
        yield tail

    return generate()


@bp.post("/programmes/<string:framework_id>/scenarios")
@role_required(*STAFF)
def save_scenario(framework_id: str) -> Any:
    framework = _programme(framework_id)
    form = SaveScenarioForm()
    if not form.validate():
        return render_template("designer/what-if.html", framework=framework, form=form, **_template_helpers())
    changes = form.changes(framework)
    result = whatif.run(
        framework, whatif.apply_changes(framework, changes), form.grouping.data, min_cell=_min_cell()
    )
    services.save_scenario(
        current_user, framework, form.name.data.strip(), form.grouping.data, changes, result.summary()
    )
    flash(f"Scenario ‘{form.name.data.strip()}’ saved", "success")
    return redirect(url_for("designer.scenarios", framework_id=framework.id))


@bp.get("/programmes/<string:framework_id>/scenarios")
@role_required(*STAFF)
def scenarios(framework_id: str) -> str:
    framework = _programme(framework_id)
    saved = services.scenarios(framework.id)
    chosen = {int(value) for value in request.args.getlist("compare") if value.isdigit()}
    shown = [s for s in saved if s.id in chosen] or saved[-3:]
    keys: list[str] = []
    for scenario in shown:
        for change in scenario.summary.get("keys", []):
            if change["key"] not in keys:
                keys.append(change["key"])
    by_key = {
        scenario.id: {change["key"]: change for change in scenario.summary.get("keys", [])}
        for scenario in shown
    }
    return render_template(
        "designer/scenarios.html",
        framework=framework,
        saved=saved,
        shown=shown,
        keys=keys,
        by_key=by_key,
        describe=whatif.describe_changes,
        **_template_helpers(),
    )


@bp.post("/programmes/<string:framework_id>/scenarios/<int:scenario_id>/delete")
@role_required(*STAFF)
def delete_scenario(framework_id: str, scenario_id: int) -> Any:
    framework = _programme(framework_id)
    found = services.scenario(framework.id, scenario_id)
    if found is None:
        abort(404)
    services.delete_scenario(current_user, found)
    flash(f"Scenario ‘{found.name}’ deleted", "success")
    return redirect(url_for("designer.scenarios", framework_id=framework.id))


# --------------------------------------------------------------------------- equality impact assessment


@bp.get("/programmes/<string:framework_id>/equality-impact")
@role_required(*STAFF)
def equality_impact(framework_id: str) -> str:
    framework = _programme(framework_id)
    draft = eia.draft(framework, _min_cell())
    return render_template(
        "designer/equality-impact.html",
        framework=framework,
        draft=draft,
        synthetic=draft.synthetic,
        sign_off_roles=eia.SIGN_OFF,
    )


def _eia_key(framework: Framework, kind: str, today: str) -> str:
    state = services.cohort_state(framework.id)
    return documents.document_key(kind, framework.id, (state, framework.fingerprint(), _min_cell(), today))


@bp.get("/programmes/<string:framework_id>/equality-impact.pdf")
@role_required(*STAFF)
def equality_impact_pdf(framework_id: str) -> Response:
    framework = _programme(framework_id)
    today = date.today().isoformat()

    def make() -> bytes:
        draft = eia.draft(framework, _min_cell())
        return pdf.render(
            "designer/equality-impact-pdf.html",
            framework=framework,
            draft=draft,
            synthetic=draft.synthetic,
            sign_off_roles=eia.SIGN_OFF,
            today=today,
        )

    body, _ = _documents().get_or_make(_eia_key(framework, "eia-pdf", today), ".pdf", make)
    return _download(body, "application/pdf", f"equality-impact-{framework.id}.pdf")


@bp.get("/programmes/<string:framework_id>/equality-impact.docx")
@role_required(*STAFF)
def equality_impact_docx(framework_id: str) -> Response:
    framework = _programme(framework_id)
    today = date.today().isoformat()

    def make() -> bytes:
        return documents.eia_docx(eia.draft(framework, _min_cell()), today=today)

    body, _ = _documents().get_or_make(_eia_key(framework, "eia-docx", today), ".docx", make)
    return _download(body, documents.DOCX_MIMETYPE, f"equality-impact-{framework.id}.docx")


@bp.route("/programmes/<string:framework_id>/requirements/<string:rule_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def justify_requirement(framework_id: str, rule_id: str) -> Any:
    framework = _programme(framework_id)
    try:
        rule = risks.rule_by_id(rule_id)
    except KeyError:
        abort(404)
    existing = services.justifications(framework.id).get(rule.id)
    form = JustificationForm(obj=existing) if request.method == "GET" else JustificationForm()
    if request.method == "POST" and form.validate():
        services.save_justification(
            current_user,
            framework.id,
            rule.id,
            legitimate_aim=form.legitimate_aim.data,
            proportionality=form.proportionality.data,
            mitigations=form.mitigations.data or "",
        )
        flash(f"Justification for ‘{rule.title}’ saved", "success")
        return redirect(url_for("designer.equality_impact", framework_id=framework.id))
    requirement = next((r for r in eia.requirements(framework) if r.id == rule.id), None)
    return render_template(
        "designer/justify.html", framework=framework, rule=rule, form=form, requirement=requirement
    )


# --------------------------------------------------------------------------- upload


@bp.route("/upload", methods=["GET", "POST"])
@role_required(*STAFF)
def upload() -> Any:
    form = UploadForm()
    if request.method == "POST" and form.validate():
        upload_file = form.framework_file.data
        raw = upload_file.read(services.MAX_FRAMEWORK_BYTES + 1)
        try:
            outcome = services.upload_framework(current_user, raw, upload_file.filename)
        except services.UploadRejected as problem:
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


def _multidict(data: dict[str, Any]) -> list[tuple[str, Any]]:
    pairs: list[tuple[str, Any]] = []
    for key, value in data.items():
        if isinstance(value, list):
            pairs += [(key, item) for item in value]
        else:
            pairs.append((key, value))
    return pairs
