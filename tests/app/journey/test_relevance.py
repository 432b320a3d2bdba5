"""Job relevance (issue 14 §1): Lawshe's optional question beside each rating.

"How important is this to your job, or the job you want?" Essential to my job / Useful but not
essential / Not needed for my job, never required, saved with the rating, shown on check answers
and copied, on submission, into the cohort row that the designer's content-validity figures read.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.designer.models import CohortRecord
from app.extensions import db
from app.journey import presenters
from app.journey.forms import NO_RELEVANCE, NO_RELEVANCE_LABEL
from app.models import Rating
from assessments.content_validity import RELEVANCE
from assessments.framework import shipped_frameworks
from tests.app.journey.conftest import domain_form, fresh, give_profile, rate_everything, start, submit
from tests.fixtures.pages import error_messages, summary_messages


@pytest.fixture
def assessment_id(participant_client, participant):
    give_profile(participant)
    return start(participant_client)


def _relevance(assessment_id: int) -> dict[str, str | None]:
    return {row.criterion_id: row.relevance for row in fresh(assessment_id).ratings}


def _post(client, assessment_id, domain, data):
    return client.post(f"/assessments/{assessment_id}/domains/{domain.id}", data=data)


def _checked(page, criterion_id: str) -> list[str]:
    return [radio["value"] for radio in page.select(f"input[name='relevance-{criterion_id}'][checked]")]


# --- The question on the rating page ------------------------------------------------------------


def test_each_criterion_has_the_optional_question_with_lawshes_answers(pages, assessment_id, framework):
    domain = framework.domains[0]
    page = pages.get("journey.rate_domain", assessment_id=assessment_id, domain_id=domain.id)
    for criterion in domain.criteria:
        radios = page.select(f"input[type=radio][name='relevance-{criterion.id}']")
        fieldset = radios[0].find_parent("fieldset")
        legend = fieldset.legend.get_text(" ", strip=True)
        # A screen reader hears the criterion's name; on screen the question says "this".
        assert f"‘{criterion.title}’" in fieldset.legend.select_one(".nhsuk-u-visually-hidden").get_text()
        assert legend.startswith("How important is")
        assert legend.endswith("to your job, or the job you want? (optional)")
        assert fieldset.legend.select_one("[aria-hidden=true]").get_text() == "this"
        labels = [page.find("label", attrs={"for": radio["id"]}).get_text(strip=True) for radio in radios]
        assert [radio["value"] for radio in radios] == [*RELEVANCE, NO_RELEVANCE]
        assert labels == [*RELEVANCE.values(), NO_RELEVANCE_LABEL]
        assert radios[0]["id"] == f"relevance-{criterion.id}"
        # Small inline NHS.UK radios, one light row, and nothing chosen for the person.
        assert {"nhsuk-radios--small", "nhsuk-radios--inline"} <= set(
            radios[0].find_parent(class_="nhsuk-radios")["class"]
        )
        assert _checked(page, criterion.id) == []
        # Not inside the level's fieldset: two questions, two groups.
        assert fieldset.find_parent(id=f"criterion-{criterion.id}") is None


def test_no_relevance_answer_reads_like_a_level_on_the_rating_page(pages, assessment_id, framework):
    """DHLP's level 1 is "Essential": the job-relevance answers under it must not say the same."""
    domain = framework.domains[0]
    page = pages.get("journey.rate_domain", assessment_id=assessment_id, domain_id=domain.id)
    criterion = domain.criteria[0]

    def labels(name: str) -> list[str]:
        radios = page.select(f"input[type=radio][name='{name}']")
        return [page.find("label", attrs={"for": radio["id"]}).get_text(" ", strip=True) for radio in radios]

    levels = labels(f"level-{criterion.id}")
    relevance = labels(f"relevance-{criterion.id}")
    assert any(label.endswith("Essential") for label in levels)
    assert not {answer.casefold() for answer in relevance} & {
        level.casefold() for level in (*levels, *(lvl.label for lvl in framework.levels))
    }


@pytest.mark.parametrize("programme", sorted(shipped_frameworks()))
def test_relevance_labels_never_repeat_a_level_label(programme):
    levels = {level.label.casefold() for level in shipped_frameworks()[programme].levels}
    assert not {label.casefold() for label in RELEVANCE.values()} & levels


def test_relevance_is_saved_with_the_rating_and_shown_again(
    pages, participant_client, assessment_id, framework
):
    domain = framework.domains[0]
    answers = dict(
        zip((c.id for c in domain.criteria), ["essential", "useful", "not-necessary"], strict=False)
    )
    data = domain_form(domain, fresh(assessment_id).version, relevance=lambda c: answers.get(c.id))
    assert _post(participant_client, assessment_id, domain, data).status_code == 302
    assert _relevance(assessment_id) == {c.id: answers.get(c.id) for c in domain.criteria}
    page = pages.get("journey.rate_domain", assessment_id=assessment_id, domain_id=domain.id)
    for criterion in domain.criteria:
        assert _checked(page, criterion.id) == ([answers[criterion.id]] if criterion.id in answers else [])


def test_no_answer_clears_a_stored_answer(participant_client, assessment_id, framework):
    domain = framework.domains[0]
    target = domain.criteria[0]
    everything_essential = domain_form(domain, fresh(assessment_id).version, relevance=lambda c: "essential")
    _post(participant_client, assessment_id, domain, everything_essential)
    cleared = domain_form(
        domain, fresh(assessment_id).version, relevance=lambda c: NO_RELEVANCE if c is target else "essential"
    )
    assert _post(participant_client, assessment_id, domain, cleared).status_code == 302
    stored = _relevance(assessment_id)
    assert stored[target.id] is None
    assert all(stored[c.id] == "essential" for c in domain.criteria[1:])


def test_the_question_is_never_required(participant_client, assessment_id, framework):
    domain = framework.domains[0]
    response = _post(
        participant_client, assessment_id, domain, domain_form(domain, fresh(assessment_id).version)
    )
    assert response.status_code == 302
    assert set(_relevance(assessment_id).values()) == {None}


RELEVANCE_OR_NOT = st.sampled_from([*RELEVANCE, NO_RELEVANCE, None])
ROUND_TRIP = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@ROUND_TRIP
@given(data=st.data())
def test_what_is_stored_is_what_the_page_sent(participant_client, participant, framework, data):
    """Any mix of answers, "No answer" and nothing ticked: stored exactly, "No answer" and nothing as NULL."""
    if participant.profile is None:
        give_profile(participant)
    assessment_id = start(participant_client)
    domain = framework.domains[1]
    chosen = {c.id: data.draw(RELEVANCE_OR_NOT, label=c.id) for c in domain.criteria}
    form = domain_form(domain, fresh(assessment_id).version, relevance=lambda c: chosen[c.id])
    assert _post(participant_client, assessment_id, domain, form).status_code == 302
    expected = {cid: value if value in RELEVANCE else None for cid, value in chosen.items()}
    assert _relevance(assessment_id) == expected


# --- Refusals: nothing changes, everything typed is kept -----------------------------------------


def test_relevance_without_a_level_is_refused_not_dropped(pages, assessment_id, framework):
    """Saving for later allows a blank level, but a rating row needs one: ask, keep what was given."""
    domain = framework.domains[0]
    target = domain.criteria[1]
    data = domain_form(
        domain,
        fresh(assessment_id).version,
        level=lambda c: None if c is target else 2,
        action="later",
        evidence=lambda c: "Wrote the board paper" if c is target else "",
        relevance=lambda c: "useful" if c is target else None,
    )
    page = pages.post("journey.rate_domain", data, assessment_id=assessment_id, domain_id=domain.id)
    message = error_messages(page)[f"level-{target.id}"]
    assert message == (
        f"Select your level for ‘{target.title}’ so that we can save your evidence "
        "and your answer on how important it is to your job"
    )
    assert summary_messages(page)[f"level-{target.id}"] == message
    assert fresh(assessment_id).ratings == []
    assert _checked(page, target.id) == ["useful"]
    assert (
        page.select_one(f"textarea[name='evidence-{target.id}']").get_text().strip()
        == "Wrote the board paper"
    )


def test_relevance_alone_without_a_level_names_only_the_relevance(pages, assessment_id, framework):
    domain = framework.domains[0]
    target = domain.criteria[0]
    data = domain_form(
        domain,
        fresh(assessment_id).version,
        level=lambda c: None,
        action="later",
        relevance=lambda c: "essential" if c is target else None,
    )
    page = pages.post("journey.rate_domain", data, assessment_id=assessment_id, domain_id=domain.id)
    assert error_messages(page) == {
        f"level-{target.id}": f"Select your level for ‘{target.title}’ so that we can save "
        "your answer on how important it is to your job"
    }
    assert fresh(assessment_id).ratings == []


def test_no_answer_without_a_level_is_not_a_problem(participant_client, assessment_id, framework):
    """ "No answer" gives nothing to keep, so a blank level may be saved for later as before."""
    domain = framework.domains[0]
    data = domain_form(
        domain,
        fresh(assessment_id).version,
        level=lambda c: None,
        action="later",
        relevance=lambda c: NO_RELEVANCE,
    )
    assert _post(participant_client, assessment_id, domain, data).status_code == 302
    assert fresh(assessment_id).ratings == []


BAD_ANSWERS = [
    ("vital", "Select how important ‘{title}’ is to your job from the list"),
    ("Essential", "Select how important ‘{title}’ is to your job from the list"),
    ("", "Select how important ‘{title}’ is to your job from the list"),
    (["essential", "useful"], "Select one answer for how important ‘{title}’ is to your job"),
]


@pytest.mark.parametrize(("value", "message"), BAD_ANSWERS, ids=["unknown", "label", "empty", "two"])
def test_an_unknown_answer_gets_a_clear_error_and_changes_nothing(
    pages, participant_client, assessment_id, framework, value, message
):
    domain = framework.domains[0]
    target = domain.criteria[0]
    _post(participant_client, assessment_id, domain, domain_form(domain, fresh(assessment_id).version))
    before = (fresh(assessment_id).version, _relevance(assessment_id))
    data = domain_form(domain, before[0], relevance=lambda c: "essential")
    data[f"relevance-{target.id}"] = value
    page = pages.post("journey.rate_domain", data, assessment_id=assessment_id, domain_id=domain.id)
    field_id = f"relevance-{target.id}"
    assert error_messages(page)[field_id] == message.format(title=target.title)
    assert summary_messages(page)[field_id] == message.format(title=target.title)
    assert (fresh(assessment_id).version, _relevance(assessment_id)) == before


def test_an_answer_for_a_criterion_not_on_the_page_is_refused(pages, assessment_id, framework):
    domain = framework.domains[0]
    other = framework.domains[1].criteria[0]
    data = domain_form(domain, fresh(assessment_id).version)
    data[f"relevance-{other.id}"] = "essential"
    page = pages.post("journey.rate_domain", data, assessment_id=assessment_id, domain_id=domain.id)
    summary = page.select_one(".nhsuk-error-summary").get_text(" ", strip=True)
    assert f"‘{other.id}’" in summary
    assert "Nothing was saved" in summary
    assert fresh(assessment_id).ratings == []


def test_a_stale_page_cannot_change_relevance(pages, participant_client, assessment_id, framework):
    domain = framework.domains[0]
    opened_at = fresh(assessment_id).version
    _post(
        participant_client,
        assessment_id,
        domain,
        domain_form(domain, opened_at, relevance=lambda c: "essential"),
    )
    # Another tab, opened at the same time, says the opposite.
    page = pages.post(
        "journey.rate_domain",
        domain_form(domain, opened_at, relevance=lambda c: "not-necessary"),
        assessment_id=assessment_id,
        domain_id=domain.id,
    )
    assert "changed in another window or tab" in page.select_one(".nhsuk-error-summary").get_text()
    assert set(_relevance(assessment_id).values()) == {"essential"}
    # What the person sent stays on the page, to be saved knowingly against the latest version.
    assert all(_checked(page, c.id) == ["not-necessary"] for c in domain.criteria)


def test_the_same_page_sent_twice_saves_once(participant_client, assessment_id, framework):
    """A double click or a resent form: the second copy carries a version that has moved on."""
    domain = framework.domains[0]
    data = domain_form(domain, fresh(assessment_id).version, relevance=lambda c: "useful")
    assert _post(participant_client, assessment_id, domain, data).status_code == 302
    after_first = fresh(assessment_id).version
    second = _post(participant_client, assessment_id, domain, data)
    assert second.status_code == 200
    assert "changed in another window or tab" in second.get_data(as_text=True)
    assert fresh(assessment_id).version == after_first
    assert set(_relevance(assessment_id).values()) == {"useful"}
    assert len(fresh(assessment_id).ratings) == len(domain.criteria)


# --- Check answers ------------------------------------------------------------------------------


def test_check_answers_shows_the_answer_in_words_with_the_change_link(
    pages, participant_client, assessment_id, framework
):
    criteria = [c for _, c in framework.criteria()]
    said = {criteria[0].id: "essential", criteria[1].id: "useful", criteria[2].id: "not-necessary"}
    for domain in framework.domains:
        data = domain_form(domain, fresh(assessment_id).version, relevance=lambda c: said.get(c.id))
        assert _post(participant_client, assessment_id, domain, data).status_code == 302
    page = pages.get("journey.check_answers", assessment_id=assessment_id)
    for domain, criterion in framework.criteria():
        row = next(
            row
            for row in page.select(".nhsuk-summary-list__row")
            if row.select_one(".nhsuk-summary-list__key").get_text(strip=True) == criterion.title
        )
        value = row.select_one(".nhsuk-summary-list__value").get_text("\n", strip=True).splitlines()
        expected = RELEVANCE[said[criterion.id]] if criterion.id in said else "Not answered"
        assert f"Importance to your job: {expected}" in value
        link = row.select_one(".nhsuk-summary-list__actions a")["href"]
        assert link.endswith(f"/domains/{domain.id}?change=1#criterion-{criterion.id}")
    # No code reaches the page.
    assert "not-necessary" not in page.get_text()


def test_an_unknown_stored_answer_is_an_error_not_a_default():
    row = Rating(criterion_id="c1", level=1, relevance="vital")
    with pytest.raises(ValueError, match="unknown relevance answer 'vital'"):
        presenters.relevance_text(row)
    assert presenters.relevance_text(None) == "Not answered"
    assert presenters.relevance_text(Rating(criterion_id="c1", level=1)) == "Not answered"


# --- Submission: the cohort row keeps the answers, against the version --------------------------


def _cohort_rows(user_id: int) -> list[CohortRecord]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(CohortRecord).where(CohortRecord.user_id == user_id).order_by(CohortRecord.id)
        )
    )


def _answer_all(client, assessment_id, framework, said):
    for domain in framework.domains:
        data = domain_form(domain, fresh(assessment_id).version, relevance=lambda c: said.get(c.id))
        assert _post(client, assessment_id, domain, data).status_code == 302


def test_submission_copies_the_answers_into_the_cohort_row(
    participant_client, participant, assessment_id, framework
):
    criteria = [c for _, c in framework.criteria()]
    said = {criteria[0].id: "essential", criteria[3].id: "not-necessary", criteria[4].id: NO_RELEVANCE}
    _answer_all(participant_client, assessment_id, framework, said)
    submit(participant_client, assessment_id)
    [record] = _cohort_rows(participant.id)
    assert record.relevance == {criteria[0].id: "essential", criteria[3].id: "not-necessary"}
    assert record.framework_version == fresh(assessment_id).framework_version == framework.version
    assert record.assessment_id == assessment_id


def test_a_retake_with_a_changed_answer_updates_the_latest_cohort_row(
    participant_client, participant, assessment_id, framework
):
    criterion = framework.domains[0].criteria[0]
    _answer_all(participant_client, assessment_id, framework, {criterion.id: "essential"})
    submit(participant_client, assessment_id)
    retake = start(participant_client)
    _answer_all(participant_client, retake, framework, {criterion.id: "not-necessary"})
    submit(participant_client, retake)
    first, latest = _cohort_rows(participant.id)
    assert (first.assessment_id, first.is_latest, first.relevance) == (
        assessment_id,
        False,
        {criterion.id: "essential"},
    )
    assert (latest.assessment_id, latest.is_latest, latest.relevance) == (
        retake,
        True,
        {criterion.id: "not-necessary"},
    )


def test_a_submitted_assessment_keeps_its_answers(participant_client, participant, framework):
    """After submission the page cannot change them: the cohort row and the rating stay as sent."""
    give_profile(participant)
    assessment_id = start(participant_client)
    rate_everything(participant_client, assessment_id, framework)
    submit(participant_client, assessment_id)
    domain = framework.domains[0]
    data = domain_form(domain, fresh(assessment_id).version, relevance=lambda c: "essential")
    response = _post(participant_client, assessment_id, domain, data)
    assert response.status_code == 302
    assert response.location.endswith(f"/assessments/{assessment_id}/results")
    assert set(_relevance(assessment_id).values()) == {None}
    assert _cohort_rows(participant.id)[0].relevance == {}
