"""Consultation pages: designers run a consultation; anyone with its code takes part.

Designer pages (``role_required`` designers and admins) create, open, tidy and close a
consultation, show its results and export them. Taking part needs only the code: signed-in
people are known by their account, anonymous people by a random token in a signed cookie, so
reloading or opening a new tab never brings a second budget. Looking a code up is rate limited
per address, counting only codes that match nothing, so a whole room joining from one network
is never slowed down while guessing codes is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from app.consultation import charts, exports, pdf, services, tokens
from app.consultation.forms import (
    CodeForm,
    ConsultationForm,
    ImportForm,
    ItemForm,
    JoinForm,
    MergeForm,
    PhaseForm,
    RuleLinkForm,
    vote_form,
    whole_number_of,
)
from app.consultation.models import Consultation, ConsultationItem, ConsultationParticipant
from app.consultation.presenters import (
    PHASE_LABELS,
    SIDE_NAMES,
    SPLIT_LABELS,
    gap_sentence,
    group_label,
    percent,
    points,
)
from app.forms_base import entered
from app.rate_limiting import limiter
from app.security import role_required
from assessments import consultation as domain

bp = Blueprint("consultation", __name__, url_prefix="/consultations")
STAFF = ("designer", "admin")
DEFAULT_JOIN_LIMIT = "20/minute"
MAX_IMPORT_BYTES = 1024 * 1024


def _join_limit() -> str:
    return str(current_app.config.get("CERTREADY_CONSULTATION_JOIN_LIMIT") or DEFAULT_JOIN_LIMIT)


def _code_not_found(response: BaseResponse) -> bool:
    # A code that matches nothing answers 404 (link) or re-renders the code form with an error.
    return response.status_code in (404, 200) and bool(g.get("consultation_code_missed"))


def _missed() -> None:
    g.consultation_code_missed = True


# --------------------------------------------------------------------------- helpers


def _consultation(consultation_id: int) -> Consultation:
    found = services.by_id(consultation_id)
    if found is None:
        abort(404)
    return found


def _item(consultation: Consultation, item_id: int) -> ConsultationItem:
    found = services.item(consultation, item_id)
    if found is None:
        abort(404)
    return found


def _user() -> Any:
    return current_user if current_user.is_authenticated else None


def _participant(consultation: Consultation) -> ConsultationParticipant | None:
    return services.find_participant(consultation, _user(), tokens.read())


def _by_code(code: str) -> Consultation:
    found = services.by_code(code)
    if found is None:
        _missed()
        abort(404)
    return found


def _programme_names() -> dict[str, str]:
    from app.designer.services import programmes

    return {framework_id: framework.name for framework_id, framework in programmes().items()}


def _helpers() -> dict[str, Any]:
    return {
        "phase_labels": PHASE_LABELS,
        "split_labels": SPLIT_LABELS,
        "group_label": group_label,
        "percent": percent,
        "points": points,
        "gap_sentence": gap_sentence,
        "show_code": services.show_code,
        "side_labels": domain.SIDE_LABELS,
        "side_names": SIDE_NAMES,
    }


# --------------------------------------------------------------------------- designer: list, create, import


@bp.get("/")
@role_required(*STAFF)
def list_consultations() -> str:
    return render_template(
        "consultation/list.html",
        consultations=services.consultations(),
        counts=services.participant_counts(),
        **_helpers(),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(*STAFF)
def create_consultation() -> str | BaseResponse:
    names = _programme_names()
    form = ConsultationForm(programmes=names.items())
    if form.validate_on_submit():
        created = services.create(
            current_user,
            proposal=entered(form.proposal),
            framework_id=form.framework_id.data or None,
            vote_budget=whole_number_of(form.vote_budget),
            several_votes_per_item=form.several_votes_per_item.data == "yes",
            min_group=whole_number_of(form.min_group),
        )
        flash("Consultation created. Add any points of your own, then open it for ideas.", "success")
        return redirect(url_for("consultation.manage", consultation_id=created.id))
    return render_template("consultation/new.html", form=form)


@bp.route("/import", methods=["GET", "POST"])
@role_required(*STAFF)
def import_consultation() -> str | BaseResponse:
    form = ImportForm()
    if request.method == "POST" and form.validate():
        upload = form.consultation_file.data
        raw = upload.read(MAX_IMPORT_BYTES + 1)
        try:
            if len(raw) > MAX_IMPORT_BYTES:
                raise domain.ConsultationError(
                    [f"{upload.filename}: the file is larger than the limit of 1 MiB"]
                )
            parsed = domain.parse_consultation_bytes(raw, upload.filename or "the file")
        except domain.ConsultationError as problem:
            form.consultation_file.errors = list(problem.problems)
        else:
            stored = services.import_consultation(parsed, current_user)
            flash(f"Workshop imported: {domain.people(len(parsed.participants))}", "success")
            return redirect(url_for("consultation.results", consultation_id=stored.id))
    return render_template("consultation/import.html", form=form)


# --------------------------------------------------------------------------- designer: running one


@bp.get("/<int:consultation_id>")
@role_required(*STAFF)
def manage(consultation_id: int) -> str:
    consultation = _consultation(consultation_id)
    return _manage_page(consultation)


def _manage_page(consultation: Consultation, *, item_form: ItemForm | None = None) -> str:
    return render_template(
        "consultation/manage.html",
        consultation=consultation,
        items=services.live_items(consultation),
        form=item_form or ItemForm(formdata=None),
        participants=services.participant_counts().get(consultation.id, 0),
        programme=_programme_names().get(consultation.framework_id or ""),
        join_url=url_for("consultation.join_with_code", code=consultation.code, _external=True),
        next_phase=services.NEXT_PHASE.get(consultation.phase),
        **_helpers(),
    )


@bp.post("/<int:consultation_id>/phase")
@role_required(*STAFF)
def advance_phase(consultation_id: int) -> BaseResponse:
    consultation = _consultation(consultation_id)
    form = PhaseForm()
    if not form.validate() or form.phase.data not in services.NEXT_PHASE:
        flash("This page was out of date. Here is where the consultation is now.", "info")
        return redirect(url_for("consultation.manage", consultation_id=consultation.id))
    try:
        moved_to = services.advance(current_user, consultation, form.phase.data)
    except services.WrongPhase as problem:
        flash(str(problem), "info")
        return redirect(url_for("consultation.manage", consultation_id=consultation.id))
    flash(f"The consultation is now: {PHASE_LABELS[moved_to].lower()}", "success")
    if moved_to == "closed":
        return redirect(url_for("consultation.results", consultation_id=consultation.id))
    return redirect(url_for("consultation.manage", consultation_id=consultation.id))


@bp.post("/<int:consultation_id>/items")
@role_required(*STAFF)
def add_item(consultation_id: int) -> str | BaseResponse:
    consultation = _consultation(consultation_id)
    form = ItemForm()
    if form.validate():
        try:
            services.add_item(consultation, form.side.data, entered(form.text), by_designer=True)
        except services.ConsultationProblem as problem:
            form.text.errors = [str(problem)]
        else:
            flash("Point added", "success")
            return redirect(url_for("consultation.manage", consultation_id=consultation.id))
    return _manage_page(consultation, item_form=form)


@bp.route("/<int:consultation_id>/items/<int:item_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_item(consultation_id: int, item_id: int) -> str | BaseResponse:
    consultation = _consultation(consultation_id)
    found = _item(consultation, item_id)
    form = ItemForm(obj=found) if request.method == "GET" else ItemForm()
    if request.method == "POST" and form.validate():
        try:
            services.edit_item(current_user, consultation, found, form.side.data, entered(form.text))
        except services.ConsultationProblem as problem:
            form.text.errors = [str(problem)]
        else:
            flash("Wording saved", "success")
            return redirect(url_for("consultation.manage", consultation_id=consultation.id))
    return render_template("consultation/edit-item.html", consultation=consultation, item=found, form=form)


@bp.route("/<int:consultation_id>/merge", methods=["GET", "POST"])
@role_required(*STAFF)
def merge_items(consultation_id: int) -> str | BaseResponse:
    consultation = _consultation(consultation_id)
    items = services.live_items(consultation)
    form = MergeForm(items=[(i.id, i.text) for i in items])
    if request.method == "POST" and form.validate():
        duplicate = _item(consultation, int(form.duplicate.data))
        kept = _item(consultation, int(form.kept.data))
        try:
            services.merge_items(current_user, consultation, duplicate, kept)
        except services.ConsultationProblem as problem:
            form.kept.errors = [str(problem)]
        else:
            flash("Items merged", "success")
            return redirect(url_for("consultation.manage", consultation_id=consultation.id))
    return render_template("consultation/merge.html", consultation=consultation, items=items, form=form)


@bp.route("/<int:consultation_id>/items/<int:item_id>/requirements", methods=["GET", "POST"])
@role_required(*STAFF)
def link_rules(consultation_id: int, item_id: int) -> str | BaseResponse:
    consultation = _consultation(consultation_id)
    found = _item(consultation, item_id)
    if found.side != "disadvantage":
        abort(404)
    titles = services.rule_titles()
    form = RuleLinkForm(rules=titles.items())
    if request.method == "GET":
        form.rules.data = services.links(consultation).get(found.id, [])
    elif form.validate():
        services.set_links(current_user, consultation, found, form.rules.data or [])
        flash("Requirements linked", "success")
        return redirect(url_for("consultation.results", consultation_id=consultation.id))
    return render_template("consultation/link-rules.html", consultation=consultation, item=found, form=form)


# --------------------------------------------------------------------------- designer: results and exports


@bp.get("/<int:consultation_id>/results")
@role_required(*STAFF)
def results(consultation_id: int) -> str:
    consultation = _consultation(consultation_id)
    counted = services.results(consultation)
    return render_template("consultation/results.html", **_results_context(consultation, counted))


def _results_context(consultation: Consultation, counted: domain.Results) -> dict[str, Any]:
    by_key = {found.key: found for found in consultation.items}
    linked = services.links(consultation)
    titles = services.rule_titles()
    return {
        "consultation": consultation,
        "results": counted,
        "diagram": charts.force_field(counted, width=str(charts.WIDTH)),
        "top": {side: counted.top(side) for side in domain.SIDES},
        "item_ids": {key: found.id for key, found in by_key.items()},
        "linked": {
            key: [titles[rule] for rule in linked.get(found.id, []) if rule in titles]
            for key, found in by_key.items()
        },
        "programme": _programme_names().get(consultation.framework_id or ""),
        **_helpers(),
    }


def _results_pdf(consultation: Consultation) -> bytes:
    counted = services.results(consultation)
    context = _results_context(consultation, counted)
    context["diagram_uri"] = charts.data_uri(charts.force_field(counted))
    return pdf.render("consultation/results-pdf.html", today=date.today().isoformat(), **context)


@dataclass(frozen=True)
class _Export:
    """One download of a consultation: where it is, what it is, and how its body is made."""

    path: str
    """The URL's last segment, after ``/<consultation_id>/``."""
    mimetype: str
    filename: str
    """The attachment's name; ``{id}`` is the consultation's id."""
    body: Callable[[Consultation], str | bytes]


_EXPORTS: dict[str, _Export] = {
    "results_csv": _Export(
        "results.csv",
        "text/csv",
        "consultation-{id}-results.csv",
        lambda consultation: exports.results_csv(services.results(consultation)),
    ),
    "export_yaml": _Export(
        "consultation.yaml",
        "application/yaml",
        "consultation-{id}.yaml",
        lambda consultation: exports.as_yaml(services.as_mapping(consultation)),
    ),
    "export_json": _Export(
        "consultation.json",
        "application/json",
        "consultation-{id}.json",
        lambda consultation: exports.as_json(services.as_mapping(consultation)),
    ),
    "results_pdf": _Export("results.pdf", "application/pdf", "consultation-{id}.pdf", _results_pdf),
}
"""Every download a designer can take of a consultation, by endpoint: one view serves them all."""


@role_required(*STAFF)
def download(consultation_id: int) -> Response:
    """The export named by the endpoint the request came in on (``_EXPORTS``)."""
    export = _EXPORTS[(request.endpoint or "").removeprefix(f"{bp.name}.")]
    consultation = _consultation(consultation_id)
    response = Response(export.body(consultation), mimetype=export.mimetype)
    filename = export.filename.format(id=consultation.id)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


for _endpoint, _export in _EXPORTS.items():
    bp.add_url_rule(f"/<int:consultation_id>/{_export.path}", _endpoint, download, methods=["GET"])


# --------------------------------------------------------------------------- taking part


@bp.route("/join", methods=["GET", "POST"])
@limiter.limit(_join_limit, key_func=get_remote_address, methods=["POST"], deduct_when=_code_not_found)
def join() -> str | BaseResponse:
    form = CodeForm()
    if form.validate_on_submit():
        found = services.by_code(entered(form.code))
        if found is not None:
            return redirect(url_for("consultation.join_with_code", code=found.code))
        _missed()
        form.code.errors = ["No consultation has that code. Check it with the person running the session"]
    return render_template("consultation/join.html", form=form)


@bp.route("/join/<string:code>", methods=["GET", "POST"])
@limiter.limit(_join_limit, key_func=get_remote_address, deduct_when=_code_not_found)
def join_with_code(code: str) -> str | BaseResponse:
    consultation = _by_code(code)
    if code != consultation.code:
        return redirect(url_for("consultation.join_with_code", code=consultation.code))
    if _participant(consultation) is not None:
        return redirect(url_for("consultation.take_part", code=consultation.code))
    if consultation.phase not in ("gather", "vote"):
        return render_template("consultation/not-open.html", consultation=consultation, **_helpers())
    form = JoinForm()
    if form.validate_on_submit():
        try:
            joined = services.join(
                consultation, _user(), form.staff_group.data, form.working_pattern.data or None
            )
        except services.AlreadyJoined:
            return redirect(url_for("consultation.take_part", code=consultation.code))
        except services.WrongPhase as problem:
            form.staff_group.errors = [str(problem)]
            return render_template("consultation/join-about-you.html", consultation=consultation, form=form)
        response = redirect(url_for("consultation.take_part", code=consultation.code))
        return tokens.remember(response, joined.token) if joined.token else response
    return render_template("consultation/join-about-you.html", consultation=consultation, form=form)


@bp.get("/join/<string:code>/take-part")
@limiter.limit(_join_limit, key_func=get_remote_address, deduct_when=_code_not_found)
def take_part(code: str) -> str | BaseResponse:
    consultation = _by_code(code)
    participant = _participant(consultation)
    if participant is None:
        return redirect(url_for("consultation.join_with_code", code=consultation.code))
    return _take_part_page(consultation, participant)


def _take_part_page(
    consultation: Consultation,
    participant: ConsultationParticipant,
    *,
    form: Any = None,
) -> str:
    items = services.live_items(consultation)
    context: dict[str, Any] = {"consultation": consultation, "items": items, **_helpers()}
    if consultation.phase == "gather":
        context["form"] = form or ItemForm(formdata=None)
        return render_template("consultation/gather.html", **context)
    if consultation.phase == "vote":
        saved = services.votes_of(participant)
        if form is None:
            form = vote_form(
                [(i.id, i.text) for i in items],
                participant.vote_budget,
                consultation.several_votes_per_item,
                formdata=None,
                data={f"votes-{item_id}": str(count) for item_id, count in saved.items()},
            )
        spent = sum(saved.values())
        context |= {
            "form": form,
            "budget": participant.vote_budget,
            "spent": spent,
            "left": participant.vote_budget - spent,
        }
        context["fields"] = {
            side: [form[f"votes-{i.id}"] for i in items if i.side == side] for side in domain.SIDES
        }
        return render_template("consultation/vote.html", **context)
    context["results"] = services.results(consultation) if consultation.phase == "closed" else None
    return render_template("consultation/finished.html", **context)


@bp.post("/join/<string:code>/ideas")
@limiter.limit(_join_limit, key_func=get_remote_address, deduct_when=_code_not_found)
def add_idea(code: str) -> str | BaseResponse:
    consultation = _by_code(code)
    participant = _participant(consultation)
    if participant is None:
        return redirect(url_for("consultation.join_with_code", code=consultation.code))
    if consultation.phase != "gather":
        flash("Ideas are no longer being gathered.", "info")
        return redirect(url_for("consultation.take_part", code=consultation.code))
    form = ItemForm()
    if form.validate():
        try:
            services.add_item(consultation, form.side.data, entered(form.text))
        except services.ConsultationProblem as problem:
            form.text.errors = [str(problem)]
        else:
            flash("Thank you: your point was added", "success")
            return redirect(url_for("consultation.take_part", code=consultation.code))
    return _take_part_page(consultation, participant, form=form)


@bp.post("/join/<string:code>/votes")
@limiter.limit(_join_limit, key_func=get_remote_address, deduct_when=_code_not_found)
def cast_votes(code: str) -> str | BaseResponse:
    consultation = _by_code(code)
    participant = _participant(consultation)
    if participant is None:
        return redirect(url_for("consultation.join_with_code", code=consultation.code))
    if consultation.phase != "vote":
        flash("Voting is not open, so your votes were not changed.", "info")
        return redirect(url_for("consultation.take_part", code=consultation.code))
    items = services.live_items(consultation)
    form = vote_form(
        [(i.id, i.text) for i in items], participant.vote_budget, consultation.several_votes_per_item
    )
    if form.validate():
        try:
            services.set_votes(consultation, participant, form.chosen())
        except services.WrongPhase as problem:
            flash(str(problem), "info")
            return redirect(url_for("consultation.take_part", code=consultation.code))
        except services.ConsultationProblem as problem:
            fields = form.item_fields()
            if fields:
                fields[0].errors = [str(problem)]
        else:
            total = sum(form.chosen().values())
            flash(f"Your votes are saved: {total} of {participant.vote_budget} spent", "success")
            return redirect(url_for("consultation.take_part", code=consultation.code))
    return _take_part_page(consultation, participant, form=form)
