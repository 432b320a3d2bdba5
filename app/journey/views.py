"""Views for the journey: parse the request, call a service, redirect (or re-render with errors).

Every page about one assessment loads it through ``_own_assessment``, which answers 404
for anyone else's id, never 403, so ids do not reveal that an assessment exists.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.forms_base import entered, field_errors
from app.journey import presenters, programme_cards, progress, services
from app.journey.forms import (
    EVIDENCE_HINT,
    NO_OPPORTUNITY_LABEL,
    RELEVANCE_QUESTION,
    StartForm,
    SubmitForm,
    rating_form_class,
)
from app.journey.presenters import SummarySection
from app.journey.profile_forms import (
    ALL_EQUALITY,
    EQUALITY_PAGES,
    EQUALITY_SUMMARY,
    PAGES,
    PAGES_BY_SLUG,
    ConsentForm,
    ProfileForm,
    equality_position,
    page_after,
    page_before,
)
from app.journey.progress_forms import ProgressForm
from app.models import Assessment, utcnow
from assessments import risks
from assessments.framework import Domain, Framework
from assessments.ratings import MAX_EVIDENCE_CHARS
from assessments.results import eligibility_statement, whole_score

bp = Blueprint("journey", __name__)


def _own_assessment(assessment_id: int) -> Assessment:
    assessment = services.assessment_of(current_user, assessment_id)
    if assessment is None:
        abort(404)
    return assessment


def _domain(framework: Framework, domain_id: str) -> tuple[int, Domain]:
    for position, domain in enumerate(framework.domains, start=1):
        if domain.id == domain_id:
            return position, domain
    abort(404)


def _step_url(assessment: Assessment, step: str | None) -> str:
    """Where the continue link goes: exactly the step the person stopped at."""
    if assessment.status == "submitted":
        return url_for("journey.show_results", assessment_id=assessment.id)
    kind, _, rest = (step or "").partition(":")
    if kind == "profile" and rest in PAGES_BY_SLUG:
        return url_for("journey.edit_profile", slug=rest, assessment=assessment.id)
    if step == services.CHECK_STEP:
        return url_for("journey.check_answers", assessment_id=assessment.id)
    framework = services.framework_of(assessment)
    known = {domain.id for domain in framework.domains}
    domain_id = rest if kind == "domain" and rest in known else framework.domains[0].id
    return url_for("journey.rate_domain", assessment_id=assessment.id, domain_id=domain_id)


# --- Programmes and the list of assessments -----------------------------------------------------


@bp.route("/assessments/")
@login_required
def list_assessments() -> str:
    assessments = services.assessments_of(current_user)
    names = {framework.id: framework.name for framework in services.catalogue().values()}
    return render_template(
        "journey/assessments.html",
        assessments=assessments,
        names=names,
        step_url=_step_url,
        in_progress=[a for a in assessments if a.status == "in-progress"],
        submitted=[a for a in assessments if a.status == "submitted"],
        date=services.as_local_date,
        whole=whole_score,
        band_and_eligibility=presenters.band_and_eligibility,
    )


@bp.route("/programmes")
@login_required
def choose_programme() -> tuple[str, int] | str:
    catalogue = services.catalogue()
    form = StartForm(programme_ids=list(catalogue), formdata=None)
    chosen = programme_cards.parse_filter(request.args)
    form.form_errors.extend(chosen.problems)
    page = _programmes_page(catalogue, form, chosen)
    return (page, 400) if chosen.problems else page


def _programmes_page(
    catalogue: dict[str, Framework], form: StartForm, chosen: programme_cards.ProgrammeFilter | None = None
) -> str:
    chosen = chosen or programme_cards.ProgrammeFilter()
    return render_template(
        "journey/programmes.html",
        cards=programme_cards.cards(list(catalogue.values()), chosen),
        total=len(catalogue),
        chosen=chosen,
        format_labels=programme_cards.FORMAT_LABELS,
        cost_bands=programme_cards.COST_BANDS,
        form=form,
        role_names=presenters.role_names,
    )


@bp.route("/assessments/new", methods=["POST"])
@login_required
def start_assessment() -> Response | tuple[str, int]:
    catalogue = services.catalogue()
    form = StartForm(programme_ids=list(catalogue))
    if form.validate_on_submit():
        try:
            assessment = services.start_assessment(current_user, entered(form.framework_id))
        except services.UnknownProgramme:
            field_errors(form.framework_id).append("Choose a programme from the list")
        else:
            return redirect(url_for("journey.resume_assessment", assessment_id=assessment.id))
    return _programmes_page(catalogue, form), 400


@bp.route("/assessments/<int:assessment_id>/")
@login_required
def resume_assessment(assessment_id: int) -> Response:
    assessment = _own_assessment(assessment_id)
    return redirect(_step_url(assessment, assessment.current_step))


# --- Rate yourself ------------------------------------------------------------------------------


@bp.route("/assessments/<int:assessment_id>/domains/<string:domain_id>", methods=["GET", "POST"])
@login_required
def rate_domain(assessment_id: int, domain_id: str) -> Response | str:
    assessment = _own_assessment(assessment_id)
    framework = services.framework_of(assessment)
    position, domain = _domain(framework, domain_id)
    if assessment.status != "in-progress":
        return redirect(url_for("journey.show_results", assessment_id=assessment.id))
    form_class = rating_form_class(framework, assessment.snapshot.fingerprint, domain)
    changing = request.args.get("change") == "1"
    if request.method == "POST":
        form = form_class()
        if form.validate():
            if changing and not form.saving_for_later:
                next_step = services.CHECK_STEP
            elif form.saving_for_later:
                next_step = services.domain_step(domain.id)
            else:
                next_step = services.step_after(framework, domain)
            try:
                services.save_domain_ratings(
                    assessment,
                    domain,
                    form.answers(),
                    expected_version=form.expected_version,
                    next_step=next_step,
                )
            except services.EditConflict as conflict:
                form.form_errors.append(str(conflict))
                form.show_version(_own_assessment(assessment_id).version)
            else:
                if form.saving_for_later:
                    flash("Your answers have been saved. You can come back to them at any time.", "success")
                    return redirect(url_for("journey.list_assessments"))
                return redirect(_step_url(assessment, next_step))
    else:
        rows = services.ratings_by_criterion(assessment)
        form = form_class(formdata=None, data=form_class.initial_data(rows, assessment.version))
    return render_template(
        "journey/domain.html",
        form=form,
        assessment=assessment,
        framework=framework,
        domain=domain,
        position=position,
        total=len(framework.domains),
        changing=changing,
        no_opportunity_label=NO_OPPORTUNITY_LABEL,
        evidence_hint=EVIDENCE_HINT,
        evidence_limit=MAX_EVIDENCE_CHARS,
        relevance_question=RELEVANCE_QUESTION.partition("{this}"),
    )


# --- Check your answers and submit -------------------------------------------------------------


def _change_profile_url(assessment_id: int) -> Any:
    def change_url(slug: str, anchor: str) -> str:
        return url_for("journey.edit_profile", slug=slug, assessment=assessment_id, change=1, _anchor=anchor)

    return change_url


@bp.route("/assessments/<int:assessment_id>/check", methods=["GET", "POST"])
@login_required
def check_answers(assessment_id: int) -> Response | str:
    assessment = _own_assessment(assessment_id)
    if assessment.status != "in-progress":
        return redirect(url_for("journey.show_results", assessment_id=assessment.id))
    form = (
        SubmitForm()
        if request.method == "POST"
        else SubmitForm(formdata=None, data={"version": assessment.version})
    )
    problems: list[tuple[str, str]] = []
    if request.method == "POST" and form.validate():
        try:
            services.submit(current_user, assessment, expected_version=form.expected_version)
        except services.EditConflict as conflict:
            form.form_errors.append(str(conflict))
            assessment = _own_assessment(assessment_id)
            form.show_version(assessment.version)
        except services.NotReady as not_ready:
            problems = not_ready.problems
            for message, _ in problems:
                form.form_errors.append(message)
        else:
            flash("Your assessment has been submitted.", "success")
            return redirect(url_for("journey.show_results", assessment_id=assessment.id))
    framework = services.framework_of(assessment)
    profile = services.profile_of(current_user)
    sections = _summary_sections(profile, _change_profile_url(assessment.id))
    rows = services.ratings_by_criterion(assessment)
    return render_template(
        "journey/check.html",
        form=form,
        assessment=assessment,
        framework=framework,
        sections=sections,
        rows=rows,
        rating_text=presenters.rating_text,
        relevance_text=presenters.relevance_text,
        relevance_summary=presenters.RELEVANCE_SUMMARY,
        problem_links=[(message, _problem_url(assessment.id, target)) for message, target in problems],
    )


def _problem_url(assessment_id: int, target: str) -> str:
    kind, _, rest = target.partition(":")
    if kind == "profile":
        return url_for("journey.edit_profile", slug=rest, assessment=assessment_id, change=1)
    domain_id, _, criterion_id = rest.partition("#")
    return url_for(
        "journey.rate_domain",
        assessment_id=assessment_id,
        domain_id=domain_id,
        change=1,
        _anchor=f"criterion-{criterion_id}" if criterion_id else None,
    )


# --- Results ------------------------------------------------------------------------------------


@bp.route("/assessments/<int:assessment_id>/results")
@login_required
def show_results(assessment_id: int) -> Response | str:
    assessment = _own_assessment(assessment_id)
    if assessment.status != "submitted" or not assessment.result:
        return redirect(_step_url(assessment, assessment.current_step))
    result = assessment.result
    previous = services.previous_submitted(assessment)
    framework = services.framework_of(assessment)
    report_url = None
    if "reports.download" in current_app.view_functions:
        report_url = url_for("reports.download", assessment_id=assessment.id)
    taken = presenters.taken_programmes(
        [other for other in services.assessments_of(current_user) if other.id != assessment.id]
    )
    return render_template(
        "journey/results.html",
        assessment=assessment,
        result=result,
        framework=framework,
        bars=presenters.domain_bars(result, previous.result if previous else None),
        previous=previous,
        opportunity=presenters.opportunity_message(result),
        actions=presenters.criterion_actions(framework),
        severity_labels=presenters.SEVERITY_LABELS,
        category_label=risks.category_label,
        severity_tags=presenters.SEVERITY_TAGS,
        percent=presenters.percent,
        eligibility=eligibility_statement(result),
        comparison=presenters.comparison_rows(
            result, assessment.framework_id, taken, _COMPARISON_URLS, utcnow()
        ),
        whole=whole_score,
        report_url=report_url,
        date=services.as_local_date,
        programme_progress=progress.describe(progress.progress_of(current_user, assessment.framework_id)),
    )


@bp.route("/assessments/<int:assessment_id>/programme-progress", methods=["GET", "POST"])
@login_required
def programme_progress(assessment_id: int) -> Response | str:
    """Whether the person has enrolled in or completed the programme, and when (or prefers not to say)."""
    assessment = _own_assessment(assessment_id)
    now = utcnow()
    form = ProgressForm(now=(now.year, now.month))
    if form.validate_on_submit():
        if form.clears:
            progress.clear_progress(current_user, assessment.framework_id)
        else:
            progress.save_progress(
                current_user,
                assessment.framework_id,
                form.status.data,
                int(entered(form.year)),
                int(entered(form.month)),
            )
        return redirect(
            url_for("journey.show_results", assessment_id=assessment.id, _anchor="programme-progress")
        )
    stored = progress.progress_of(current_user, assessment.framework_id)
    if request.method == "GET" and stored is not None:
        form.status.data, form.month.data, form.year.data = stored.status, str(stored.month), str(stored.year)
    return render_template(
        "journey/programme-progress.html",
        form=form,
        assessment=assessment,
        programme_name=services.framework_of(assessment).name,
    )


_COMPARISON_URLS = {
    "results": lambda assessment_id: url_for("journey.show_results", assessment_id=assessment_id),
    "resume": lambda assessment_id: url_for("journey.resume_assessment", assessment_id=assessment_id),
    "start": lambda framework_id: url_for("journey.choose_programme", _anchor=f"programme-{framework_id}"),
}


# --- About you ----------------------------------------------------------------------------------


def _profile_context() -> tuple[Assessment | None, bool]:
    """The assessment a profile page was reached from (``?assessment=``), and ``?change=1``.

    Loaded without its ratings (``services.assessment_for_profile``): the pages need only its
    id and status; 404 for anyone else's, as ``_own_assessment``.
    """
    raw = request.args.get("assessment")
    assessment = None
    if raw is not None:
        if not raw.isdigit() or len(raw) > 12:
            abort(404)
        assessment = services.assessment_for_profile(current_user, int(raw))
        if assessment is None:
            abort(404)
    return assessment, request.args.get("change") == "1"


def _profile_url(slug: str, assessment: Assessment | None, changing: bool) -> str:
    return url_for(
        "journey.edit_profile",
        slug=slug,
        assessment=assessment.id if assessment else None,
        change=1 if changing else None,
    )


def _summary_sections(profile: Any, change_url: Any) -> list[SummarySection]:
    """The "About you" answers, one section per page, the equality pages together in one section."""
    sections = presenters.profile_summary(
        dict(profile.answers or {}) if profile else {},
        dict(profile.equality or {}) if profile else {},
        bool(profile and profile.consent_aggregate),
        change_url,
    )
    grouped: list[SummarySection] = []
    for section in sections:
        if section.page.store != "equality":
            grouped.append(section)
        elif grouped and grouped[-1].page is EQUALITY_SUMMARY:
            grouped[-1].rows.extend(section.rows)
        else:
            grouped.append(SummarySection(EQUALITY_SUMMARY, list(section.rows)))
    return grouped


@bp.route("/profile/")
@login_required
def show_profile() -> str:
    profile = services.profile_of(current_user)
    sections = _summary_sections(
        profile, lambda slug, anchor: url_for("journey.edit_profile", slug=slug, change=1, _anchor=anchor)
    )
    return render_template(
        "journey/profile/summary.html",
        sections=sections,
        has_assessments=bool(services.assessments_of(current_user)),
    )


@bp.route("/profile/start")
@login_required
def start_profile() -> Response:
    """Where a new account goes: the first "About you" page."""
    return redirect(_profile_url(PAGES[0].slug, None, False))


@bp.route("/profile/<string:slug>", methods=["GET", "POST"])
@login_required
def edit_profile(slug: str) -> Response | str:
    page = PAGES_BY_SLUG.get(slug)
    if page is None:
        abort(404)
    assessment, changing = _profile_context()
    following = page_after(slug)
    before = page_before(slug)
    back_url = _profile_url(before.slug, assessment, changing) if before else None
    if page.form_class is None:
        if request.method == "POST":
            abort(405)
        return render_template(
            "journey/profile/equality-information.html",
            page=page,
            step=presenters.profile_step(page),
            continue_url=_profile_url(EQUALITY_PAGES[0].slug, assessment, changing),
            skip_url=_profile_url("consent", assessment, changing),
            back_url=back_url,
        )
    if page is ALL_EQUALITY and request.method == "GET":
        return redirect(_profile_url(EQUALITY_PAGES[0].slug, assessment, changing))
    profile = services.profile_of(current_user)
    if request.method == "POST":
        form = page.form_class()
    else:
        form = page.form_class(formdata=None, data=_stored(page.store, profile))
    skipping = request.method == "POST" and page.store == "equality" and request.form.get("action") == "skip"
    if skipping or (request.method == "POST" and form.validate()):
        # Where to go and where the continue link points, worked out before the one commit
        # (which expires every loaded object: reading them afterwards would reload them).
        target, step = _after_profile_page(following, assessment, changing)
        try:
            if isinstance(form, ConsentForm):
                services.set_consent(current_user, form.consent_given, profile=profile, step=step)
            else:
                assert isinstance(form, ProfileForm)
                answers = _skipped_answers(form, profile) if skipping else form.answers()
                if page is ALL_EQUALITY and not skipping:
                    answers = {name: value for name, value in answers.items() if name in request.form}
                if answers:
                    services.save_profile_answers(
                        current_user, answers, equality=page.store == "equality", profile=profile, step=step
                    )
                elif step is not None:
                    services.record_step(step)
        except services.ProfileConflict as conflict:
            form.form_errors.append(str(conflict))
        else:
            _flash_after_profile_page(assessment, changing, following)
            return redirect(target)
    return render_template(
        "journey/profile/page.html",
        form=form,
        action=_profile_url(slug, assessment, changing),
        page=page,
        assessment=assessment,
        back_url=back_url,
        changing=changing,
        equality_position=equality_position(slug),
        step=presenters.profile_step(page),
        skip_equality_url=_profile_url("consent", assessment, changing) if page.store == "equality" else None,
    )


def _skipped_answers(form: Any, profile: Any) -> dict[str, None]:
    """ "Skip this question": the page's stored answers become unanswered; nothing else is touched."""
    stored = dict(profile.equality or {}) if profile else {}
    return dict.fromkeys(name for name in form.answers() if name in stored)


def _stored(store: str, profile: Any) -> dict[str, Any]:
    if profile is None:
        return {}
    if store == "consent":
        return {"consent": "yes" if profile.consent_aggregate else "no"}
    return dict((profile.equality if store == "equality" else profile.answers) or {})


def _after_profile_page(
    following: Any, assessment: Assessment | None, changing: bool
) -> tuple[str, services.StepUpdate | None]:
    """Where a saved profile page goes, and the step to record on its assessment (if any)."""
    if changing:
        if assessment is not None:
            return url_for("journey.check_answers", assessment_id=assessment.id), None
        return url_for("journey.show_profile"), None
    if following is None:
        if assessment is None:
            return url_for("journey.show_profile"), None
        step = services.next_step_after_profile(assessment)
        target = _step_url(assessment, step)
    else:
        step = f"profile:{following.slug}"
        target = _profile_url(following.slug, assessment, changing)
    if assessment is None or assessment.status != "in-progress" or assessment.current_step == step:
        return target, None
    return target, services.StepUpdate(assessment.id, step)


def _flash_after_profile_page(assessment: Assessment | None, changing: bool, following: Any) -> None:
    if assessment is None and (changing or following is None):
        flash("Your answers have been saved.", "success")
