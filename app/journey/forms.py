"""Forms for choosing a programme, rating yourself one domain at a time, and submitting.

Beside each criterion's level, an optional question in Lawshe's terms asks how important the
criterion is to the person's job (``assessments.relevance.RELEVANCE``); the answer is
saved with the rating; beyond the person themselves, only the designer's consented, suppressed
content-validity figures use it.

The rating form is built per framework snapshot and domain (its fields are the domain's
criteria) and the class is cached, so a page with 40 criteria costs one dict lookup to
define. WTForms validates; ``templates/journey/_criterion.html`` renders, because WTForms'
own radio widgets are several times slower than a plain macro.
"""

from __future__ import annotations

from dataclasses import dataclass
from threading import Lock
from typing import Any, ClassVar, cast

from markupsafe import escape
from wtforms import Field, Form, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import Optional, StopValidation, ValidationError
from wtforms.widgets import HiddenInput

from app.forms_base import BaseForm, Chosen, NoLongerThan, SelectChoice, field_errors, no_pre_validate
from assessments.framework import Domain, Framework
from assessments.ratings import MAX_EVIDENCE_CHARS, NO_OPPORTUNITY
from assessments.ratings import Rating as RatingAnswer
from assessments.relevance import RELEVANCE, Relevance

LEVEL_PREFIX = "level-"
EVIDENCE_PREFIX = "evidence-"
RELEVANCE_PREFIX = "relevance-"
RELEVANCE_QUESTION = "How important is {this} to your job, or the job you want?"
"""Lawshe's question; ``{this}`` is "this" on screen and the criterion's title for screen readers."""
# Radios cannot be unticked, so an optional radio question needs an answer that means "none"
# (the NHS.UK and GOV.UK radios guidance: do not pre-select, and offer "none" where it is valid).
# "No answer" is that way back to saying nothing: it is stored as NULL, like never answering,
# so nothing is ticked when the page is shown again and check answers says "Not answered".
NO_RELEVANCE = "no-answer"
NO_RELEVANCE_LABEL = "No answer"
NO_OPPORTUNITY_LABEL = "I have not had the opportunity to show this"
NO_OPPORTUNITY_HINT = (
    "Choose this if your role has not given you the chance yet. It counts as a gap, "
    "but we report it apart from gaps in ability."
)
EVIDENCE_HINT = (
    "Optional. What have you done that shows this? Informal learning counts as much as courses: "
    "start-ups, hackathons, online communities, side projects, volunteering or work outside your job title."
)
STALE_PAGE = "This page is out of date. Reload it and try again."


class _VersionPresent:
    """The hidden version is ours; a missing or mangled one means a forged or very old page."""

    def __call__(self, form: Form, field: Field) -> None:
        if field.data is None or field.process_errors:
            field.process_errors = []
            field_errors(field)[:] = []
            raise StopValidation(STALE_PAGE)


class VersionField(IntegerField):
    widget = HiddenInput()


class VersionedForm(BaseForm):
    """A form that carries the assessment's version, so a save from a stale page is refused."""

    version = VersionField(validators=[_VersionPresent()])

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        # A hidden field cannot be fixed by the person: say it at the top, not next to nothing.
        if self.version.errors:
            self.form_errors.extend(self.version.errors)
            self.version.errors = []
        return valid

    @property
    def expected_version(self) -> int:
        """The version the page was made from; ``_VersionPresent`` has made sure there is one."""
        if self.version.data is None:
            raise ValueError("The assessment's version is read from a form that was not validated")
        return self.version.data

    def show_version(self, version: int) -> None:
        """After a conflict: the next save is made knowingly against the latest version."""
        self.version.data = version
        self.version.raw_data = [str(version)]


_Action = no_pre_validate(RadioField)


class _Level(no_pre_validate(RadioField)):  # type: ignore[misc]
    """A criterion's level: "0".."top" or ``no-opportunity``; the message names the criterion."""

    def __init__(
        self, *args: Any, title: str = "", top: int = 0, allowed: frozenset[str], **kwargs: Any
    ) -> None:
        self.title, self.top, self.allowed = title, top, allowed
        super().__init__(*args, **kwargs)


class _LevelAllowed:
    def __call__(self, form: Form, field: _Level) -> None:
        raw = field.raw_data or []
        if not raw:
            return
        if len(raw) > 1:
            raise StopValidation(f"Select one answer for ‘{field.title}’")
        value = str(raw[0]).strip()
        if value in field.allowed:
            return
        if value.lstrip("-").isdigit():
            raise StopValidation(
                f"The level for ‘{field.title}’ must be from 0 to {field.top}, or ‘{NO_OPPORTUNITY_LABEL}’"
            )
        raise StopValidation(f"Select a level for ‘{field.title}’ from the list")


class _Relevance(no_pre_validate(RadioField)):  # type: ignore[misc]
    """How important the criterion is to the person's job: one of ``RELEVANCE``, or "No answer"."""

    def __init__(self, *args: Any, title: str = "", **kwargs: Any) -> None:
        self.title = title
        super().__init__(*args, **kwargs)

    @property
    def answer(self) -> Relevance | None:
        """The validated answer; ``None`` for "No answer" or nothing chosen."""
        return cast(Relevance, self.data) if self.data in RELEVANCE else None


_RELEVANCE_ITEMS = (*RELEVANCE.items(), (NO_RELEVANCE, NO_RELEVANCE_LABEL))
_RELEVANCE_ALLOWED = frozenset(value for value, _ in _RELEVANCE_ITEMS)


class _RelevanceAllowed:
    def __call__(self, form: Form, field: _Relevance) -> None:
        raw = field.raw_data or []
        if not raw:
            return
        if len(raw) > 1:
            raise StopValidation(f"Select one answer for how important ‘{field.title}’ is to your job")
        if str(raw[0]).strip() not in _RELEVANCE_ALLOWED:
            raise StopValidation(f"Select how important ‘{field.title}’ is to your job from the list")


class _ActionKnown:
    def __call__(self, form: Form, field: Field) -> None:
        if field.data not in ("continue", "later"):
            raise StopValidation("Choose ‘Save and continue’ or ‘Save and come back later’")


@dataclass(frozen=True)
class CriterionView:
    """What the criterion macro needs, computed once per cached form class."""

    id: str
    title: str
    description: str
    level_name: str
    evidence_name: str
    relevance_name: str


class RatingForm(VersionedForm):
    """Base for the per-domain classes ``rating_form_class`` builds."""

    action = _Action(
        choices=[
            SelectChoice("continue", "Save and continue"),
            SelectChoice("later", "Save and come back later"),
        ],
        default="continue",
        validators=[Optional(), _ActionKnown()],
    )

    criteria: ClassVar[tuple[CriterionView, ...]] = ()
    level_items: ClassVar[tuple[tuple[str, str, str], ...]] = ()
    """``(value, label, hint)`` for every radio, shared by every criterion on the page, HTML-escaped."""
    relevance_items: ClassVar[tuple[tuple[str, str], ...]] = tuple(
        (value, str(escape(label))) for value, label in _RELEVANCE_ITEMS
    )
    """``(value, label)`` for the job-relevance radios, HTML-escaped like ``level_items``."""

    def process(self, formdata: Any = None, obj: Any = None, data: Any = None, **kwargs: Any) -> None:
        formdata = self.meta.wrap_formdata(self, formdata)
        # A hand-made multipart body can carry a part with no name (key None): not an answer.
        keys = formdata.keys() if formdata is not None else []
        self._posted_keys = [key for key in keys if isinstance(key, str)]
        super().process(formdata, obj, data, **kwargs)

    @property
    def saving_for_later(self) -> bool:
        return self.action.data == "later"

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        # The action comes from the page's buttons, which have no field to link to: say it at the top.
        if self.action.errors:
            self.form_errors.extend(self.action.errors)
            self.action.errors = []
        unknown = sorted(
            {
                key.removeprefix(LEVEL_PREFIX).removeprefix(EVIDENCE_PREFIX).removeprefix(RELEVANCE_PREFIX)
                for key in self._posted_keys
                if key.startswith((LEVEL_PREFIX, EVIDENCE_PREFIX, RELEVANCE_PREFIX))
                and key not in self._fields
            }
        )
        if unknown:
            shown = ", ".join(f"‘{criterion_id[:60]}’" for criterion_id in unknown[:3])
            more = f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
            self.form_errors.append(
                f"The page sent answers for {shown}{more}, which {'is' if len(unknown) == 1 else 'are'} not "
                "in this part of the assessment. Nothing was saved. Reload the page and try again."
            )
            valid = False
        for criterion in self.criteria:
            level = self[criterion.level_name]
            if level.errors or level.data:
                continue
            if not self.saving_for_later:
                level.errors = [f"Select your level for ‘{criterion.title}’, or ‘{NO_OPPORTUNITY_LABEL}’"]
                valid = False
                continue
            # Saving for later allows a blank level, but a rating row needs one: anything else the
            # person gave for this criterion is kept on the page and asked about, never dropped.
            unsaved = self._given_without_level(criterion)
            if unsaved:
                level.errors = [f"Select your level for ‘{criterion.title}’ so that we can save {unsaved}"]
                valid = False
        return valid

    def _given_without_level(self, criterion: CriterionView) -> str:
        """What a blank level would lose: "your evidence", "your answer on how important ...", both, or ""."""
        evidence = self[criterion.evidence_name]
        relevance = self[criterion.relevance_name]
        given = []
        if evidence.data and not evidence.errors:
            given.append("your evidence")
        if not relevance.errors and relevance.answer is not None:
            given.append("your answer on how important it is to your job")
        return " and ".join(given)

    def answers(self) -> dict[str, RatingAnswer | None]:
        """Validated answers by criterion id; ``None`` where the question was left blank."""
        answers: dict[str, RatingAnswer | None] = {}
        for criterion in self.criteria:
            value = self[criterion.level_name].data
            evidence = self[criterion.evidence_name].data or ""
            relevance = self[criterion.relevance_name].answer
            if not value:
                answers[criterion.id] = None
            elif value == NO_OPPORTUNITY:
                answers[criterion.id] = RatingAnswer(
                    no_opportunity=True, evidence=evidence, relevance=relevance
                )
            else:
                answers[criterion.id] = RatingAnswer(level=int(value), evidence=evidence, relevance=relevance)
        return answers

    @classmethod
    def initial_data(cls, rows: dict[str, Any], version: int) -> dict[str, Any]:
        """Form data for a GET, from stored ``app.models.Rating`` rows by criterion id."""
        data: dict[str, Any] = {"version": version}
        for criterion in cls.criteria:
            row = rows.get(criterion.id)
            if row is None:
                continue
            data[criterion.level_name] = NO_OPPORTUNITY if row.no_opportunity else str(row.level)
            data[criterion.evidence_name] = row.evidence
            if row.relevance is not None:
                data[criterion.relevance_name] = row.relevance
        return data


_classes: dict[tuple[str, str], type[RatingForm]] = {}
_classes_lock = Lock()


def rating_form_class(framework: Framework, fingerprint: str, domain: Domain) -> type[RatingForm]:
    """The form class for one domain of one framework snapshot, built once per process."""
    key = (fingerprint, domain.id)
    cached = _classes.get(key)
    if cached is not None:
        return cached
    with _classes_lock:
        cached = _classes.get(key)
        if cached is None:
            cached = _build_rating_form(framework, domain)
            _classes[key] = cached
    return cached


def _build_rating_form(framework: Framework, domain: Domain) -> type[RatingForm]:
    top = framework.max_level
    items = (
        *(
            (str(level.value), f"{level.value}: {level.label}", level.description or "")
            for level in framework.levels
        ),
        (NO_OPPORTUNITY, NO_OPPORTUNITY_LABEL, NO_OPPORTUNITY_HINT),
    )
    # Escaped once here, because the macro prints them ~300 times a page with autoescape off
    # (framework text comes from designers' uploads: it is never trusted as HTML).
    escaped_items = tuple((value, str(escape(label)), str(escape(hint))) for value, label, hint in items)
    # SelectChoice, not tuples: WTForms 3.3 warns on tuples, and this runs ~40 times a request.
    choices = [SelectChoice(value, label) for value, label, _ in items]
    allowed = frozenset(value for value, _, _ in items)
    relevance_choices = [SelectChoice(value, label) for value, label in _RELEVANCE_ITEMS]
    attributes: dict[str, Any] = {"level_items": escaped_items}
    criteria = []
    for criterion in domain.criteria:
        view = CriterionView(
            id=criterion.id,
            title=criterion.title,
            description=criterion.description,
            level_name=LEVEL_PREFIX + criterion.id,
            evidence_name=EVIDENCE_PREFIX + criterion.id,
            relevance_name=RELEVANCE_PREFIX + criterion.id,
        )
        criteria.append(view)
        attributes[view.level_name] = _Level(
            criterion.title,
            choices=choices,
            title=criterion.title,
            top=top,
            allowed=allowed,
            validators=[_LevelAllowed()],
        )
        # Before the evidence: the page shows it there, and the error summary follows field order.
        attributes[view.relevance_name] = _Relevance(
            f"How important ‘{criterion.title}’ is to your job",
            choices=relevance_choices,
            title=criterion.title,
            validators=[_RelevanceAllowed()],
        )
        attributes[view.evidence_name] = TextAreaField(
            f"Evidence for ‘{criterion.title}’",
            filters=[_one_character_line_breaks],
            validators=[
                Optional(),
                NoLongerThan(MAX_EVIDENCE_CHARS, f"your evidence for ‘{criterion.title}’"),
            ],
        )
    attributes["criteria"] = tuple(criteria)
    return type(f"RatingForm_{domain.id.replace('-', '_')}", (RatingForm,), attributes)


def _one_character_line_breaks(text: Any) -> Any:
    """Browsers send a textarea's line breaks as CR LF: count and keep each as one character, as the
    live character count does, so text the count accepts is never refused for its line breaks."""
    return text.replace("\r\n", "\n") if isinstance(text, str) else text


class SubmitForm(VersionedForm):
    """Check your answers: the version makes a submit from a stale page fail safely."""


class StartForm(BaseForm):
    """Start an assessment; the view passes the programme ids it offers."""

    framework_id = StringField(validators=[Chosen("a programme"), NoLongerThan(60, "the programme id")])

    def __init__(self, *args: Any, programme_ids: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme_ids = programme_ids

    def validate_framework_id(self, field: Field) -> None:
        if field.data not in self.programme_ids:
            raise ValidationError("Choose a programme from the list")
