from __future__ import annotations

import io

import pytest
from sqlalchemy import update

from app.extensions import db
from app.journey import services
from app.models import Assessment
from assessments.framework import parse_framework
from assessments.ratings import MAX_EVIDENCE_CHARS
from tests.app.journey.conftest import domain_form, fresh, give_profile, start
from tests.fixtures.pages import error_messages, summary_messages


@pytest.fixture
def assessment_id(participant_client, participant):
    give_profile(participant)
    return start(participant_client)


def _stored(assessment_id):
    return {r.criterion_id: (r.level, r.no_opportunity, r.evidence) for r in fresh(assessment_id).ratings}


def test_domain_page_shows_progress_levels_and_no_opportunity(
    pages, participant_client, assessment_id, framework
):
    domain = framework.domains[2]
    page = pages.get("journey.rate_domain", assessment_id=assessment_id, domain_id=domain.id)
    assert (
        page.select_one("#progress").get_text(strip=True).startswith(f"Domain 3 of {len(framework.domains)}")
    )
    assert page.h1.get_text(" ", strip=True).endswith(domain.title)
    for criterion in domain.criteria:
        group = page.find(id=f"criterion-{criterion.id}")
        assert criterion.title in group.legend.get_text()
        assert criterion.description in group.get_text(" ", strip=True)
        values = [radio["value"] for radio in group.select("input[type=radio]")]
        assert values == [str(level.value) for level in framework.levels] + ["no-opportunity"]
        hints = [hint.get_text(strip=True) for hint in group.select(".nhsuk-radios__hint")]
        described = [level.description for level in framework.levels if level.description]
        assert hints[: len(described)] == described
        textarea = page.select_one(f"textarea[name='evidence-{criterion.id}']")
        hint = page.find(id=f"evidence-{criterion.id}-hint").get_text()
        assert textarea is not None
        assert "hackathons" in hint
        assert "start-ups" in hint
    assert page.select_one("input[name=version]")["value"] == str(fresh(assessment_id).version)
    buttons = {b.get_text(strip=True): b.get("value") for b in page.select("form#rating-form button")}
    assert buttons == {"Save and continue": "continue", "Save and come back later": "later"}


def test_saving_a_domain_stores_ratings_and_goes_to_the_next(participant_client, assessment_id, framework):
    first, second = framework.domains[0], framework.domains[1]
    version = fresh(assessment_id).version
    data = domain_form(
        first,
        version,
        level=lambda c: "no-opportunity" if c is first.criteria[0] else 1,
        evidence=lambda c: "Ran a hackathon <b>team</b>",
    )
    response = participant_client.post(f"/assessments/{assessment_id}/domains/{first.id}", data=data)
    assert response.location.endswith(f"/assessments/{assessment_id}/domains/{second.id}")
    stored = _stored(assessment_id)
    assert stored[first.criteria[0].id] == (None, True, "Ran a hackathon <b>team</b>")
    assert all(stored[c.id] == (1, False, "Ran a hackathon <b>team</b>") for c in first.criteria[1:])
    assessment = fresh(assessment_id)
    assert assessment.current_step == f"domain:{second.id}"
    assert assessment.version == version + 1


def test_saving_again_updates_rows_instead_of_adding(participant_client, assessment_id, framework):
    domain = framework.domains[0]
    for level in (1, 2):
        participant_client.post(
            f"/assessments/{assessment_id}/domains/{domain.id}",
            data=domain_form(domain, fresh(assessment_id).version, level=lambda c, level=level: level),
        )
    stored = _stored(assessment_id)
    assert len(stored) == len(domain.criteria)
    assert {level for level, _, _ in stored.values()} == {2}


def test_evidence_is_escaped_when_shown_again(pages, participant_client, assessment_id, framework):
    domain = framework.domains[0]
    participant_client.post(
        f"/assessments/{assessment_id}/domains/{domain.id}",
        data=domain_form(
            domain, fresh(assessment_id).version, evidence=lambda c: "<script>alert(1)</script>"
        ),
    )
    response = participant_client.get(f"/assessments/{assessment_id}/domains/{domain.id}")
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.get_data(as_text=True)


def test_save_and_come_back_later_then_continue_lands_on_the_same_domain(
    pages, participant_client, assessment_id, framework
):
    first, second, third = framework.domains[:3]
    participant_client.post(
        f"/assessments/{assessment_id}/domains/{first.id}",
        data=domain_form(first, fresh(assessment_id).version),
    )
    # Half of the second domain answered, then "Save and come back later".
    half = {c.id for c in second.criteria[: len(second.criteria) // 2 or 1]}
    data = domain_form(
        second, fresh(assessment_id).version, level=lambda c: 1 if c.id in half else None, action="later"
    )
    pages.post(
        "journey.rate_domain",
        data,
        redirects_to="/assessments/",
        assessment_id=assessment_id,
        domain_id=second.id,
    )
    assert set(_stored(assessment_id)) == {c.id for c in first.criteria} | half

    listing = pages.get("journey.list_assessments")
    continue_link = listing.select_one("#in-progress a")["href"]
    pages.get_redirect(continue_link, redirects_to=f"/assessments/{assessment_id}/domains/{second.id}")
    page = pages.get(f"/assessments/{assessment_id}/domains/{second.id}")
    checked = {radio["name"].removeprefix("level-") for radio in page.select("input[type=radio][checked]")}
    assert checked == half
    assert third.id not in fresh(assessment_id).current_step


def test_resume_after_the_last_domain_goes_to_check(participant_client, assessment_id, framework):
    for domain in framework.domains:
        participant_client.post(
            f"/assessments/{assessment_id}/domains/{domain.id}",
            data=domain_form(domain, fresh(assessment_id).version),
        )
    response = participant_client.get(f"/assessments/{assessment_id}/")
    assert response.location.endswith(f"/assessments/{assessment_id}/check")


BAD_LEVELS = [
    ("9", "must be from 0 to"),
    ("-1", "must be from 0 to"),
    ("three", "from the list"),
    ("2.5", "from the list"),
]


@pytest.mark.parametrize(("value", "message"), BAD_LEVELS, ids=[v for v, _ in BAD_LEVELS])
def test_bad_level_gets_a_field_error_and_saves_nothing(
    pages, participant_client, assessment_id, framework, value, message
):
    domain = framework.domains[0]
    target = domain.criteria[0]
    before = fresh(assessment_id).version
    data = domain_form(domain, before, level=lambda c: value if c is target else 1)
    page = pages.post("journey.rate_domain", data, assessment_id=assessment_id, domain_id=domain.id)
    field_id = f"level-{target.id}"
    assert message in error_messages(page)[field_id]
    assert target.title in error_messages(page)[field_id]
    assert summary_messages(page)[field_id] == error_messages(page)[field_id]
    assert _stored(assessment_id) == {}
    assert fresh(assessment_id).version == before


def test_too_long_evidence_gets_a_field_error_and_saves_nothing(
    pages, participant_client, assessment_id, framework
):
    domain = framework.domains[0]
    target = domain.criteria[1]
    data = domain_form(
        domain,
        fresh(assessment_id).version,
        evidence=lambda c: "x" * (MAX_EVIDENCE_CHARS + 1) if c is target else "fine",
    )
    page = pages.post("journey.rate_domain", data, assessment_id=assessment_id, domain_id=domain.id)
    assert error_messages(page)[f"evidence-{target.id}"] == (
        f"Your evidence for ‘{target.title}’ must be {MAX_EVIDENCE_CHARS} characters or fewer"
    )
    # What the person typed is kept on the page so they can shorten it.
    assert page.select_one(f"textarea[name='evidence-{target.id}']").get_text().strip() == "x" * (
        MAX_EVIDENCE_CHARS + 1
    )
    assert _stored(assessment_id) == {}


def test_evidence_at_the_limit_is_accepted(participant_client, assessment_id, framework):
    domain = framework.domains[0]
    data = domain_form(domain, fresh(assessment_id).version, evidence=lambda c: "y" * MAX_EVIDENCE_CHARS)
    response = participant_client.post(f"/assessments/{assessment_id}/domains/{domain.id}", data=data)
    assert response.status_code == 302
    assert all(len(evidence) == MAX_EVIDENCE_CHARS for _, _, evidence in _stored(assessment_id).values())


def test_unknown_criterion_id_is_refused_and_saves_nothing(
    pages, participant_client, assessment_id, framework
):
    domain = framework.domains[0]
    data = domain_form(domain, fresh(assessment_id).version)
    other = framework.domains[1].criteria[0]
    data["level-made.up"] = "2"
    data[f"evidence-{other.id}"] = "from another domain"
    page = pages.post("journey.rate_domain", data, assessment_id=assessment_id, domain_id=domain.id)
    summary = page.select_one(".nhsuk-error-summary").get_text(" ", strip=True)
    assert "‘made.up’" in summary
    assert f"‘{other.id}’" in summary
    assert "Nothing was saved" in summary
    assert _stored(assessment_id) == {}


def test_continue_with_an_unanswered_criterion_asks_for_it(
    pages, participant_client, assessment_id, framework
):
    domain = framework.domains[0]
    target = domain.criteria[-1]
    data = domain_form(domain, fresh(assessment_id).version, level=lambda c: None if c is target else 1)
    page = pages.post("journey.rate_domain", data, assessment_id=assessment_id, domain_id=domain.id)
    assert error_messages(page)[f"level-{target.id}"].startswith(f"Select your level for ‘{target.title}’")
    assert _stored(assessment_id) == {}


def test_evidence_without_a_level_is_not_silently_dropped(
    pages, participant_client, assessment_id, framework
):
    domain = framework.domains[0]
    target = domain.criteria[0]
    data = domain_form(
        domain,
        fresh(assessment_id).version,
        level=lambda c: None,
        action="later",
        evidence=lambda c: "notes" if c is target else "",
    )
    page = pages.post("journey.rate_domain", data, assessment_id=assessment_id, domain_id=domain.id)
    assert "so that we can save your evidence" in error_messages(page)[f"level-{target.id}"]
    assert _stored(assessment_id) == {}


@pytest.mark.parametrize("version", ["", "abc"])
def test_missing_or_mangled_version_is_refused(pages, participant_client, assessment_id, framework, version):
    domain = framework.domains[0]
    data = domain_form(domain, 1)
    data["version"] = version
    page = pages.post("journey.rate_domain", data, assessment_id=assessment_id, domain_id=domain.id)
    assert "This page is out of date" in page.select_one(".nhsuk-error-summary").get_text()
    assert _stored(assessment_id) == {}


def test_stale_version_from_another_tab_is_refused_with_a_clear_message(
    pages, participant_client, assessment_id, framework
):
    domain = framework.domains[0]
    opened_at = fresh(assessment_id).version
    # Tab 1 saves first ...
    participant_client.post(
        f"/assessments/{assessment_id}/domains/{domain.id}",
        data=domain_form(domain, opened_at, level=lambda c: 1),
    )
    saved = _stored(assessment_id)
    # ... then tab 2, opened at the same time, sends different answers.
    page = pages.post(
        "journey.rate_domain",
        domain_form(domain, opened_at, level=lambda c: 3),
        assessment_id=assessment_id,
        domain_id=domain.id,
    )
    summary = page.select_one(".nhsuk-error-summary").get_text(" ", strip=True)
    assert "This assessment was changed in another window or tab" in summary
    assert _stored(assessment_id) == saved
    # The page now carries the latest version, so saving again is a deliberate choice.
    assert page.select_one("input[name=version]")["value"] == str(fresh(assessment_id).version)


def test_a_save_racing_another_is_refused_by_the_version_column(
    participant, participant_client, assessment_id, framework
):
    """The stale-data path: our read happened before another writer's commit."""
    domain = framework.domains[0]
    assessment = services.assessment_of(participant, assessment_id)
    loaded_version = assessment.version
    # Another worker commits between our read and our write.
    with db.engine.begin() as connection:
        connection.execute(
            update(Assessment).where(Assessment.id == assessment_id).values(version=Assessment.version + 1)
        )
    answers = {criterion.id: None for criterion in domain.criteria}
    answers[domain.criteria[0].id] = services.RatingAnswer(level=2)
    with pytest.raises(services.EditConflict):
        services.save_domain_ratings(
            assessment, domain, answers, expected_version=loaded_version, next_step="check"
        )
    assert _stored(assessment_id) == {}


def test_unknown_domain_is_404(pages, participant_client, assessment_id):
    pages.get("journey.rate_domain", status=404, assessment_id=assessment_id, domain_id="no-such-domain")


def test_rating_page_reads_the_assessment_and_ratings_in_one_query(
    participant_client, assessment_id, framework
):
    from sqlalchemy import event

    domain = framework.domains[1]
    participant_client.post(
        f"/assessments/{assessment_id}/domains/{framework.domains[0].id}",
        data=domain_form(framework.domains[0], fresh(assessment_id).version),
    )
    participant_client.get(f"/assessments/{assessment_id}/domains/{domain.id}")  # warm the framework cache
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = participant_client.get(f"/assessments/{assessment_id}/domains/{domain.id}")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    touching_assessment = [s for s in statements if "FROM assessment" in s or "FROM rating" in s]
    assert len(touching_assessment) == 1, touching_assessment


def test_framework_text_is_escaped_once_on_the_rating_page(participant, participant_client, framework):
    """Level labels come from designers' uploads and the radios are printed with autoescape off."""
    data = framework.model_dump(mode="json")
    data["id"] = "uploaded-test"
    data["levels"][1]["label"] = "Aware <b>&</b> learning"
    data["levels"][1]["description"] = "<script>alert(1)</script>"
    data["domains"][0]["criteria"][0]["title"] = "Title with <i>markup</i>"
    uploaded = parse_framework(data, "uploaded-test")
    snapshot = services.snapshot_for(uploaded)
    assessment = Assessment(
        user_id=participant.id,
        framework_id=uploaded.id,
        framework_version=uploaded.version,
        snapshot=snapshot,
        status="in-progress",
    )
    db.session.add(assessment)
    db.session.commit()
    html = participant_client.get(f"/assessments/{assessment.id}/domains/{uploaded.domains[0].id}").get_data(
        as_text=True
    )
    assert "1: Aware &lt;b&gt;&amp;&lt;/b&gt; learning" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Title with &lt;i&gt;markup&lt;/i&gt;" in html
    assert "<script>alert" not in html
    assert "<b>" not in html
    assert "&amp;lt;" not in html


def test_a_multipart_part_without_a_usable_name_is_ignored_not_a_crash(
    participant_client, assessment_id, framework
):
    # werkzeug reads a file part named "a\nb" as a form field whose name is None (found by fuzzing).
    domain = framework.domains[0]
    data = {key: str(value) for key, value in domain_form(domain, fresh(assessment_id).version).items()}
    data["a\nb"] = (io.BytesIO(b"x"), "x.txt")
    response = participant_client.post(
        f"/assessments/{assessment_id}/domains/{domain.id}", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    assert len(_stored(assessment_id)) == len(domain.criteria)


def test_evidence_with_a_null_character_is_refused_and_nothing_saved(
    pages, participant_client, assessment_id, framework
):
    # PostgreSQL cannot store U+0000; the form says so instead of failing at the database.
    domain = framework.domains[0]
    first = domain.criteria[0]
    evidence = {first.id: "led\x00it"}
    data = domain_form(domain, fresh(assessment_id).version, evidence=lambda c: evidence.get(c.id, ""))
    page = pages.post("journey.rate_domain", data, assessment_id=assessment_id, domain_id=domain.id)
    assert "contains a null character, which cannot be stored" in error_messages(page)[f"evidence-{first.id}"]
    assert _stored(assessment_id) == {}


def test_evidence_boxes_are_nhsuk_character_counts_that_work_without_javascript(
    pages, participant_client, assessment_id, framework
):
    domain = framework.domains[0]
    page = pages.get("journey.rate_domain", assessment_id=assessment_id, domain_id=domain.id)
    for criterion in domain.criteria:
        box = page.find(id=f"evidence-{criterion.id}")
        group = box.find_parent("div")
        assert group["data-module"] == "nhsuk-character-count"
        assert group["data-maxlength"] == str(MAX_EVIDENCE_CHARS)
        assert "nhsuk-js-character-count" in box["class"]
        message = page.find(id=f"evidence-{criterion.id}-info")
        assert "nhsuk-character-count__message" in message["class"]
        # Without JavaScript the message is a hint the textarea points at.
        assert message.get_text(strip=True) == f"You can enter up to {MAX_EVIDENCE_CHARS:,} characters"
        assert f"evidence-{criterion.id}-info" in box["aria-describedby"].split()


def test_too_long_evidence_keeps_the_text_and_says_how_long_it_is(
    pages, participant_client, assessment_id, framework
):
    domain = framework.domains[0]
    target = domain.criteria[0]
    typed = "Led the rollout. " * 300  # 5,100 characters
    data = domain_form(domain, fresh(assessment_id).version, evidence=lambda c: typed if c is target else "")
    page = pages.post("journey.rate_domain", data, assessment_id=assessment_id, domain_id=domain.id)
    # Browsers drop the newline that follows <textarea>; html.parser keeps it.
    assert page.find(id=f"evidence-{target.id}").get_text().removeprefix("\n") == typed.strip()
    assert page.find(id=f"evidence-{target.id}-info").get_text(strip=True) == (
        f"You can enter up to {MAX_EVIDENCE_CHARS:,} characters. You have entered {len(typed.strip()):,}"
    )


def test_line_breaks_count_as_one_character_as_the_live_count_shows(
    participant_client, assessment_id, framework
):
    # Browsers send each line break as CR LF; the count in the page counts it as one character.
    domain = framework.domains[0]
    lines = "x\r\n" * (MAX_EVIDENCE_CHARS // 2)  # 5,000 characters as counted, 7,500 as sent
    data = domain_form(domain, fresh(assessment_id).version, evidence=lambda c: lines)
    response = participant_client.post(f"/assessments/{assessment_id}/domains/{domain.id}", data=data)
    assert response.status_code == 302
    stored = {evidence for _, _, evidence in _stored(assessment_id).values()}
    assert stored == {lines.replace("\r\n", "\n").strip()}
