from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.journey import services
from app.models import Assessment, AuditEvent
from assessments import engine, risks
from assessments.framework import shipped_frameworks
from assessments.profile import parse_profile
from assessments.ratings import Rating
from assessments.results import whole_score
from tests.app.journey.conftest import (
    BASIC_PROFILE,
    PROGRAMME,
    domain_form,
    fresh,
    give_profile,
    level_for_required,
    rate_everything,
    start,
    submit,
)

_EVERY_THIRD = {
    c.id for index, (_, c) in enumerate(shipped_frameworks()[PROGRAMME].criteria()) if index % 3 == 0
}


def _gappy(criterion):
    """Below the requirement on some criteria, "no opportunity" on others, so results have content."""
    if criterion.id in _EVERY_THIRD:
        return "no-opportunity"
    return max(0, criterion.required_level - 1)


@pytest.fixture
def rated(participant_client, participant, framework):
    give_profile(participant)
    assessment_id = start(participant_client)
    rate_everything(participant_client, assessment_id, framework, _gappy)
    return assessment_id


def test_check_page_shows_profile_and_every_rating_with_change_links(
    pages, participant_client, rated, framework
):
    page = pages.get("journey.check_answers", assessment_id=rated)
    links = [a["href"] for a in page.select(".nhsuk-summary-list__actions a")]
    for domain, criterion in framework.criteria():
        assert f"/assessments/{rated}/domains/{domain.id}?change=1#criterion-{criterion.id}" in links
        assert criterion.title in page.get_text()
    assert f"/profile/working-pattern?assessment={rated}&change=1#contract" in links
    assert f"/profile/equality-age?assessment={rated}&change=1#age_band" in links
    assert page.select_one("#submit-form input[name=version]")["value"] == str(fresh(rated).version)


def test_change_link_from_check_returns_to_check(pages, participant_client, rated, framework):
    domain = framework.domains[1]
    pages.post(
        f"/assessments/{rated}/domains/{domain.id}?change=1",
        domain_form(domain, fresh(rated).version),
        redirects_to=f"/assessments/{rated}/check",
    )
    pages.post(
        f"/profile/working-pattern?assessment={rated}&change=1",
        {"contract": "job-share"},
        redirects_to=f"/assessments/{rated}/check",
    )


def test_submit_stores_exactly_what_the_engine_computes(participant_client, participant, rated, framework):
    submit(participant_client, rated)
    assessment = fresh(rated)
    computed = engine.run(
        framework,
        parse_profile(BASIC_PROFILE),
        {
            c.id: Rating(no_opportunity=True) if _gappy(c) == "no-opportunity" else Rating(level=_gappy(c))
            for _, c in framework.criteria()
        },
        shipped_frameworks(),
    ).to_json()
    expected = json.loads(json.dumps(computed))  # as stored: tuples become lists
    assert assessment.status == "submitted"
    assert assessment.submitted_at is not None
    assert assessment.result == expected
    assert assessment.score == expected["readiness"]["score"]
    assert assessment.band == expected["readiness"]["band"]
    assert assessment.profile_snapshot == {
        "answers": BASIC_PROFILE,
        "equality": {},
        "consent_aggregate": False,
    }
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "assessment.submitted")
        )
        == 1
    )


def test_submit_with_unrated_criteria_lists_them_and_saves_nothing(
    pages, participant_client, participant, framework
):
    give_profile(participant)
    assessment_id = start(participant_client)
    page = pages.post(
        "journey.check_answers", {"version": fresh(assessment_id).version}, assessment_id=assessment_id
    )
    summary = page.select_one(".nhsuk-error-summary")
    first = framework.domains[0].criteria[0]
    link = summary.find("a", string=f"Rate yourself for ‘{first.title}’")
    assert (
        link["href"]
        == f"/assessments/{assessment_id}/domains/{framework.domains[0].id}?change=1#criterion-{first.id}"
    )
    assert fresh(assessment_id).status == "in-progress"
    assert fresh(assessment_id).result is None


def test_submit_without_staff_group_asks_for_it(pages, participant_client, participant, framework):
    give_profile(participant, {"contract": "full-time"})
    assessment_id = start(participant_client)
    rate_everything(participant_client, assessment_id, framework)
    page = pages.post(
        "journey.check_answers", {"version": fresh(assessment_id).version}, assessment_id=assessment_id
    )
    link = page.select_one(".nhsuk-error-summary").find("a", string="Tell us which staff group you belong to")
    assert link["href"] == f"/profile/background?assessment={assessment_id}&change=1"
    assert fresh(assessment_id).status == "in-progress"


def test_submit_from_a_stale_page_is_refused(pages, participant_client, rated):
    page = pages.post("journey.check_answers", {"version": fresh(rated).version - 1}, assessment_id=rated)
    assert "changed in another window or tab" in page.select_one(".nhsuk-error-summary").get_text()
    assert fresh(rated).status == "in-progress"


def test_submitted_assessment_cannot_be_rated_again(participant_client, rated, framework):
    submit(participant_client, rated)
    before = fresh(rated).result
    domain = framework.domains[0]
    response = participant_client.post(
        f"/assessments/{rated}/domains/{domain.id}",
        data=domain_form(domain, fresh(rated).version, lambda c: 0),
    )
    assert response.location.endswith(f"/assessments/{rated}/results")
    assert fresh(rated).result == before
    assert participant_client.get(f"/assessments/{rated}/").location.endswith(f"/assessments/{rated}/results")


def test_results_page_shows_score_domains_flags_fit_and_estimates(
    pages, participant_client, rated, framework
):
    submit(participant_client, rated)
    result = fresh(rated).result
    page = pages.get("journey.show_results", assessment_id=rated)
    assert page.select_one("#readiness-score").get_text(strip=True) == str(
        whole_score(result["readiness"]["score"])
    )
    assert page.select_one("#readiness-band").get_text(strip=True) == result["readiness"]["band_label"]
    assert framework.version in page.select_one("#framework-version").get_text()
    for domain in result["readiness"]["domains"]:
        row = page.select_one(f"#domain-{domain['id']}")
        assert row.select_one("td").get_text(strip=True) == str(whole_score(domain["score"]))
        assert row.select_one("svg[aria-hidden=true] rect:nth-of-type(2)")["width"] == str(domain["score"])
    gaps = [c for c in result["criteria"] if c["gap"] > 0]
    no_opportunity = [c for c in gaps if c["no_opportunity"]]
    assert f"{len(no_opportunity)} of your {len(gaps)} gaps are about opportunity, not ability" in (
        page.select_one("#opportunity").get_text()
    )
    for index, flag in enumerate(result["risks"], start=1):
        card = page.select_one(f"#risk-{index}").get_text(" ", strip=True)
        assert flag["requirement"] in card
        heading = page.select_one(f"#risk-{index} h3").get_text(strip=True)
        assert heading == risks.category_label(flag["category"])
        assert "-" not in heading
        for mitigation in flag["mitigations"]:
            assert mitigation in card
    estimates = page.select("#compare-table tbody tr")
    assert len(estimates) == len(shipped_frameworks())
    own = page.select_one(f"#estimate-{PROGRAMME}").get_text()
    assert "This result" in own
    others = [row.get_text() for row in estimates if row["id"] != f"estimate-{PROGRAMME}"]
    assert all("Estimate" in text for text in others)
    if result["fit"]["percent"] is not None:
        assert page.select_one("#fit-percent").get_text() == f"{round(result['fit']['percent'])}%"


def test_results_page_links_the_pdf_only_when_the_report_endpoint_exists(
    pages, participant_client, rated, app
):
    submit(participant_client, rated)
    page = pages.get("journey.show_results", assessment_id=rated)
    link = page.select_one("#download-report")
    if "reports.download" in app.view_functions:
        assert link["href"] == f"/assessments/{rated}/report.pdf"
    else:
        assert link is None


def test_undetermined_flags_say_we_could_not_check(pages, participant_client, participant, framework):
    # Only the required answer: most rules cannot decide.
    give_profile(participant, {"staff_group": "clinical"})
    assessment_id = start(participant_client)
    rate_everything(participant_client, assessment_id, framework)
    submit(participant_client, assessment_id)
    result = fresh(assessment_id).result
    undetermined = [flag for flag in result["risks"] if flag["severity"] == "undetermined"]
    assert undetermined, "expected the rules to find something they could not decide"
    page = pages.get("journey.show_results", assessment_id=assessment_id)
    text = page.select_one("#risks").find_next("div").parent.get_text(" ", strip=True)
    assert "We could not check this" in text
    assert undetermined[0]["circumstance"] in text


def test_retake_keeps_the_earlier_result_and_shows_change_per_domain(
    pages, participant_client, rated, framework
):
    submit(participant_client, rated)
    first_result = fresh(rated).result
    # Months later: the same programme again, now meeting every requirement.
    again = start(participant_client)
    assert again != rated
    rate_everything(participant_client, again, framework, level_for_required)
    submit(participant_client, again)
    assert fresh(rated).result == first_result
    assert (
        db.session.scalar(
            select(func.count()).select_from(Assessment).where(Assessment.status == "submitted")
        )
        == 2
    )
    page = pages.get("journey.show_results", assessment_id=again)
    second_result = fresh(again).result
    before = {d["id"]: whole_score(d["score"]) for d in first_result["readiness"]["domains"]}
    for domain in second_result["readiness"]["domains"]:
        change = whole_score(domain["score"]) - before[domain["id"]]
        points = f"{abs(change)} point{'' if abs(change) == 1 else 's'}"
        expected = "No change" if change == 0 else f"{'Up' if change > 0 else 'Down'} {points}"
        assert expected in page.select_one(f"#domain-{domain['id']}").get_text()
    # The first result has nothing earlier to compare with.
    first_page = pages.get("journey.show_results", assessment_id=rated)
    assert "Change since last time" not in first_page.get_text()


def test_equality_answers_do_not_change_the_result(
    participant_client, participant, make_user, signed_in, client, framework
):
    results = []
    for equality in (
        {},
        {"sex": "female", "ethnic_group": "black", "disability": "yes-a-lot", "age_band": "55-64"},
    ):
        person = make_user()
        give_profile(person, equality=equality)
        person_client = signed_in(client.application.test_client(), person)
        assessment_id = start(person_client)
        rate_everything(person_client, assessment_id, framework, _gappy)
        submit(person_client, assessment_id)
        results.append(fresh(assessment_id))
    without, with_equality = results
    assert without.result == with_equality.result
    assert (without.score, without.band) == (with_equality.score, with_equality.band)
    assert without.profile_snapshot["equality"] == {}
    assert with_equality.profile_snapshot["equality"]["sex"] == "female"


def test_results_before_submitting_go_back_to_the_journey(participant_client, rated):
    response = participant_client.get(f"/assessments/{rated}/results")
    assert response.location.endswith(f"/assessments/{rated}/check")


def test_previous_submitted_is_for_the_same_person_and_programme(participant, rated, participant_client):
    submit(participant_client, rated)
    assessment = fresh(rated)
    assert services.previous_submitted(assessment) is None


# --- Readiness beside eligibility, the comparison, whole numbers ---------------------------------


def _works_for_a_supplier(user) -> None:
    """The DHLP admits NHS organisations and commissioned NHS services, never a supplier."""
    give_profile(user, {**BASIC_PROFILE, "sector": "supplier"})


def test_results_say_eligibility_beside_readiness_in_words(pages, participant_client, participant, rated):
    _works_for_a_supplier(participant)
    submit(participant_client, rated)
    result = fresh(rated).result
    assert result["eligibility"]["status"] == "not-eligible"
    card = pages.get("journey.show_results", assessment_id=rated).select_one("#readiness")
    headline = card.select_one("#eligibility").get_text(" ", strip=True)
    band = result["readiness"]["band_label"].lower()
    assert headline.startswith(f"Your skills are {band}; you are not currently eligible for this programme")
    reasons = card.select_one("#eligibility-reasons").get_text(" ", strip=True)
    flags = {flag["rule"]: flag for flag in result["risks"]}
    for rule in result["eligibility"]["blocking"]:
        assert flags[rule]["requirement"].rstrip(".") in reasons
        assert flags[rule]["circumstance"].rstrip(".") in reasons
    for rule in result["eligibility"]["blocking"]:
        assert rule not in card.get_text(" ", strip=True).lower().split()


def test_assessments_list_shows_whole_scores_and_eligibility_beside_the_band(
    pages, participant_client, participant, rated
):
    _works_for_a_supplier(participant)
    submit(participant_client, rated)
    stored = fresh(rated)
    item = pages.get("journey.list_assessments").select_one("#submitted li")
    score = item.select_one(".certready-finished-score").get_text(" ", strip=True)
    band = stored.result["readiness"]["band_label"]
    assert score == f"Readiness {whole_score(stored.score)} out of 100: {band}, not currently eligible."
    assert item.select_one("a")["href"] == f"/assessments/{rated}/results"


def test_comparison_shows_real_scores_for_programmes_taken_and_links_every_row(
    pages, participant_client, participant, rated
):
    _works_for_a_supplier(participant)
    submit(participant_client, rated)
    # The same person has also taken the Topol fellowship's own assessment, and opened the CHCIO one.
    topol = shipped_frameworks()["topol-digital-fellowship"]
    topol_id = start(participant_client, topol.id)
    rate_everything(participant_client, topol_id, topol)
    submit(participant_client, topol_id)
    chcio_id = start(participant_client, "chime-chcio")
    topol_stored = fresh(topol_id)

    page = pages.get("journey.show_results", assessment_id=rated)
    topol_row = page.select_one("#estimate-topol-digital-fellowship")
    cells = topol_row.select("td")
    assert cells[0].get_text(" ", strip=True) == (
        f"{whole_score(topol_stored.score)} Your score, {topol_stored.submitted_at.strftime('%-d %B')}"
    )
    assert topol_row.select_one("a")["href"] == f"/assessments/{topol_id}/results"
    chcio_link = page.select_one("#estimate-chime-chcio a")
    assert chcio_link["href"] == f"/assessments/{chcio_id}/"
    assert chcio_link.get_text(" ", strip=True).startswith("Continue your assessment")
    fedip_row = page.select_one("#estimate-fedip-practitioner")
    assert "Estimate" in fedip_row.select("td")[0].get_text()
    assert fedip_row.select_one("a")["href"] == "/programmes#programme-fedip-practitioner"
    assert fedip_row.select_one("a").get_text(" ", strip=True).startswith("Start this assessment")
    assert page.select_one(f"#estimate-{PROGRAMME} a") is None
    order_text = page.select_one("#compare-order").get_text()
    assert "those whose entry requirements you meet come first" in order_text
    statuses = [row.select("td")[2].get_text(strip=True) for row in page.select("#compare-table tbody tr")]
    order = {"Eligible": 0, "Not settled: check what decides it": 1, "Not currently eligible": 2}
    assert [order[status] for status in statuses] == sorted(order[status] for status in statuses)
    assert "Not currently eligible" in page.select_one(f"#estimate-{PROGRAMME}").get_text()


def test_pages_show_scores_as_whole_numbers(pages, participant_client, rated):
    submit(participant_client, rated)
    page = pages.get("journey.show_results", assessment_id=rated)
    numbers = [
        cell.get_text(" ", strip=True).split()[0]
        for cell in page.select(
            "#domain-table td.nhsuk-table__cell--numeric, #compare-table td:first-of-type"
        )
    ]
    assert numbers
    assert all(number.isdigit() for number in numbers), numbers
    assert page.select_one("#readiness-score").get_text(strip=True).isdigit()
