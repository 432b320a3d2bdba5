"""Fit for purpose: participants' relevance answers as a content-validity panel for designers.

Cohorts are built by hand (``add_raters``), so each figure can be checked by counting; the page,
the CLI without ``--panel``, the EIA (page, PDF, Word) and the designer PDF show the same figures
through the same suppression path.
"""

from __future__ import annotations

import io
import json
from fractions import Fraction
from typing import Any

import pytest
from bs4 import BeautifulSoup
from docx import Document
from pdfminer.high_level import extract_text
from sqlalchemy import update

from app.designer import analytics, demo
from app.designer.models import CohortRecord
from app.designer.pages import fitness
from app.extensions import db
from app.journey.services import snapshot_for
from assessments import vocabulary
from assessments.framework import shipped_frameworks
from tests.app.designer.conftest import PROGRAMME, add_people
from tests.app.designer.test_eia import _visible_text, _wording_problems

BASE = f"/designer/programmes/{PROGRAMME}"
SAFETY = "dhlp.safety-quality-informatics"
EVALUATION = "dhlp.evaluation"
ACUTE_CLINICAL = {"staff_group": "clinical", "contract": "full-time", "sector": "nhs-acute"}
SOCIAL_CARE = {"staff_group": "non-clinical", "contract": "full-time", "sector": "social-care"}


def framework():
    return shipped_frameworks()[PROGRAMME]


def add_raters(count: int, answers: dict[str, Any], relevance: dict[str, str] | None) -> list[int]:
    """``count`` consenting people alike, each with these relevance answers on their cohort row."""
    user_ids = add_people(count, answers=answers)
    db.session.execute(
        update(CohortRecord).where(CohortRecord.user_id.in_(user_ids)).values(relevance=relevance)
    )
    db.session.commit()
    return user_ids


def row(figures: fitness.Fitness, criterion: str) -> fitness.CriterionRow:
    return next(found for found in figures.rows if found.id == criterion)


def groups(found: fitness.CriterionRow, grouping: str) -> dict[str, fitness.GroupRow]:
    return {group.group: group for group in found.groups[grouping]}


# --------------------------------------------------------------------------- the figures


def test_nine_of_ten_essential_is_essential_by_consensus(app):
    add_raters(9, ACUTE_CLINICAL, {SAFETY: "essential", EVALUATION: "useful"})
    add_raters(1, ACUTE_CLINICAL, {SAFETY: "useful", EVALUATION: "essential"})
    figures = fitness.build(framework(), min_cell=10)
    safety = row(figures, SAFETY)
    # The verdict and the critical value are shown; nₑ and the CVR are not: "9 of 10" would say
    # exactly 1 person did not answer "essential".
    assert (safety.overall.raters, safety.overall.essential, safety.overall.cvr) == (10, None, None)
    assert safety.overall.critical_cvr == Fraction(4, 5)  # 10 raters need 9 (Ayre and Scally)
    assert safety.overall.verdict == "essential"
    evaluation = row(figures, EVALUATION)
    assert evaluation.overall.cvr is None
    assert evaluation.overall.verdict == "not-shown-essential"
    assert figures.panel == 10
    # The index is the CVR of the one criterion kept: shown, it would give that CVR away.
    assert figures.cvi is None
    assert figures.cvi_hidden
    assert figures.cvi_text.startswith("Content validity index: not shown (small numbers).")
    assert figures.essential_text == (
        "1 criterion is essential by consensus: ‘Safety, quality and informatics’."
    )
    assert "‘Evaluating a digital change’" in figures.not_shown_text
    # Nobody rated the other criteria: too few, and not even their number is shown.
    others = [found for found in figures.rows if found.id not in (SAFETY, EVALUATION)]
    assert {found.overall.verdict for found in others} == {"too-few-raters"}
    assert {found.overall.raters for found in others} == {None}


def test_fewer_raters_than_the_limit_show_no_figure_at_all(app):
    add_raters(9, ACUTE_CLINICAL, {SAFETY: "essential"})
    add_people(5, answers=ACUTE_CLINICAL)  # counted, but gave no relevance answer
    figures = fitness.build(framework(), min_cell=10)
    safety = row(figures, SAFETY)
    assert safety.overall.verdict == "too-few-raters"
    # Neither the count nor the critical CVR (which would narrow the count down) nor the CVR.
    assert (safety.overall.raters, safety.overall.essential) == (None, None)
    assert (safety.overall.cvr, safety.overall.critical_cvr) == (None, None)
    assert figures.panel is None
    assert figures.panel_text.startswith("Fewer than 10 participants")
    assert all(group.judgement.raters is None for group in safety.groups["staff_group"])
    data = fitness.database_json(framework(), 10)
    assert data["panel_size"] is None
    item = next(item for item in data["criteria"] if item["id"] == SAFETY)
    assert (item["raters"], item["cvr"], item["critical_cvr"]) == (None, None, None)


def test_a_group_difference_is_worded_for_the_summary(app):
    add_raters(20, ACUTE_CLINICAL, {SAFETY: "essential"})
    add_raters(10, SOCIAL_CARE, {SAFETY: "essential"})
    add_raters(20, SOCIAL_CARE, {SAFETY: "not-necessary"})
    figures = fitness.build(framework(), min_cell=10)
    by_sector = groups(row(figures, SAFETY), "sector")
    assert by_sector["social-care"].judgement.cvr == Fraction(-1, 3)
    assert by_sector["nhs-acute"].judgement.cvr == 1
    assert by_sector["social-care"].difference == Fraction(-1, 3) - 1
    assert by_sector["social-care"].p_value < 0.05
    sentences = [difference.sentence for difference in figures.differences]
    assert (
        "Social care staff do not rate ‘Safety, quality and informatics’ as essential "
        "(CVR −0.33 against 1.00 for staff in NHS acute trusts)."
    ) in sentences
    # The same people split by staff group tell the same story in the group's own words.
    assert (
        "Non-clinical staff do not rate ‘Safety, quality and informatics’ as essential "
        "(CVR −0.33 against 1.00 for clinical staff)."
    ) in sentences


def test_groups_the_dashboard_hides_are_hidden_here_too(app):
    """Set beside the dashboard's group sizes, the rater counts must not reveal a hidden group."""
    add_raters(30, ACUTE_CLINICAL, {SAFETY: "essential"})
    add_raters(12, SOCIAL_CARE, {SAFETY: "essential"})
    add_people(4, answers={**ACUTE_CLINICAL, "sector": "primary-care"})  # small, and no ratings
    # People who rated nothing, enough that the non-raters' counts need no protecting of their own.
    add_people(10, answers=ACUTE_CLINICAL)
    add_people(10, answers=SOCIAL_CARE)
    dashboard = analytics.analyse(framework(), "sector", min_cell=10)
    hidden_there = {group.group for group in dashboard.table.groups if group.n is None}
    assert hidden_there == {"primary-care", "social-care"}
    figures = fitness.build(framework(), min_cell=10)
    by_sector = groups(row(figures, SAFETY), "sector")
    # Social care has 12 raters, enough on its own, but showing its size would give away the 4 as
    # 66 - 40 - 22: it is hidden as on the dashboard, and primary care is listed as hidden though
    # none of its people rated, so the two hidden groups could hold anything between them.
    assert by_sector["social-care"].judgement.raters is None
    assert by_sector["primary-care"].judgement.raters is None
    assert by_sector["nhs-acute"].judgement.raters == 30
    shown = {group.group for group in row(figures, SAFETY).groups["sector"] if group.judgement.raters}
    assert not shown & hidden_there


def test_one_cvi_per_framework_version(app):
    add_raters(10, ACUTE_CLINICAL, {SAFETY: "essential", EVALUATION: "essential"})
    earlier = add_raters(12, ACUTE_CLINICAL, {SAFETY: "essential", "dhlp.retired-criterion": "useful"})
    db.session.execute(
        update(CohortRecord).where(CohortRecord.user_id.in_(earlier)).values(framework_version="2025.1")
    )
    db.session.commit()
    figures = fitness.build(framework(), min_cell=10)
    versions = {version.version: version for version in figures.versions}
    assert set(versions) == {"2025.1", framework().version}
    assert versions["2025.1"].raters == 12
    assert (versions["2025.1"].kept, versions["2025.1"].judged) == (1, 2)
    assert versions["2025.1"].cvi == 1
    assert versions[framework().version].cvi == 1
    assert versions[framework().version].kept_text == "2 of the 2 criteria with enough raters"
    # The current version's table pools both versions' answers about its own criteria.
    assert row(figures, SAFETY).overall.raters == 22


def test_a_small_version_is_hidden_with_another(app):
    add_raters(30, ACUTE_CLINICAL, {SAFETY: "essential"})
    earlier = add_raters(3, ACUTE_CLINICAL, {SAFETY: "useful"})
    db.session.execute(
        update(CohortRecord).where(CohortRecord.user_id.in_(earlier)).values(framework_version="2025.1")
    )
    db.session.commit()
    versions = fitness.build(framework(), min_cell=10).versions
    assert [version.raters for version in versions] == [None, None]
    assert [version.cvi_text for version in versions] == ["not shown (small numbers)"] * 2


def test_version_indexes_are_hidden_when_beside_the_pooled_table_they_would_split_it_small(app):
    # Safety pooled: 77 of 120 essential. The earlier version's index is its CVR there (60 of
    # 100), which would leave the current version's 17 essential and 3 other answers.
    add_raters(17, ACUTE_CLINICAL, {SAFETY: "essential"})
    add_raters(3, ACUTE_CLINICAL, {SAFETY: "useful"})
    earlier = add_raters(60, ACUTE_CLINICAL, {SAFETY: "essential"})
    earlier += add_raters(40, ACUTE_CLINICAL, {SAFETY: "useful"})
    db.session.execute(
        update(CohortRecord).where(CohortRecord.user_id.in_(earlier)).values(framework_version="2025.1")
    )
    db.session.commit()
    figures = fitness.build(framework(), min_cell=10)
    assert (row(figures, SAFETY).overall.raters, row(figures, SAFETY).overall.essential) == (120, 77)
    assert [version.cvi for version in figures.versions] == [None, None]
    assert {version.cvi_text for version in figures.versions} == {"not shown (small numbers)"}


def test_an_unknown_stored_answer_is_an_error_not_a_default(app):
    add_raters(10, ACUTE_CLINICAL, {SAFETY: "vital"})
    with pytest.raises(fitness.UnknownRelevance, match=r"'vital' for 'dhlp\.safety-quality-informatics'"):
        fitness.build(framework(), min_cell=10)


def test_withdrawn_and_earlier_submissions_do_not_count(app):
    add_raters(10, ACUTE_CLINICAL, {SAFETY: "essential"})
    withdrawn = add_raters(10, ACUTE_CLINICAL, {SAFETY: "not-necessary"})
    db.session.execute(
        update(CohortRecord).where(CohortRecord.user_id.in_(withdrawn)).values(consented=False)
    )
    db.session.commit()
    assert row(fitness.build(framework(), min_cell=10), SAFETY).overall.cvr == 1


# --------------------------------------------------------------------------- the page


@pytest.fixture
def disagreeing(app):
    # Every count (and every count less another) is 0 or at least 10, so every figure is shown.
    add_raters(20, ACUTE_CLINICAL, {SAFETY: "essential", EVALUATION: "essential"})
    add_raters(10, SOCIAL_CARE, {SAFETY: "essential", EVALUATION: "essential"})
    add_raters(20, SOCIAL_CARE, {SAFETY: "not-necessary", EVALUATION: "essential"})


def test_page_leads_with_a_plain_summary_and_uses_titles(app, designer_client, pages, disagreeing):
    pages.client = designer_client
    page = pages.get(f"{BASE}/fit-for-purpose")
    assert page.h1.get_text(strip=True) == f"{framework().name}: fit for purpose"
    summary = page.select_one("#summary").get_text(" ", strip=True)
    assert "50 participants who consented" in summary
    assert "essential by consensus: ‘Evaluating a digital change’" in summary
    assert "Social care staff do not rate ‘Safety, quality and informatics’ as essential" in summary
    assert "not proof" in summary
    table = page.select_one("#fitness-criteria")
    titles = [th.get_text(strip=True) for th in table.select("tbody th")]
    assert titles == [criterion.title for criterion in framework().criteria_by_id.values()]
    evaluation = table.select("tbody tr")[titles.index("Evaluating a digital change")]
    assert [td.get_text(strip=True) for td in evaluation.select("td")] == [
        "50",
        "50",
        "1.00",
        "0.28",
        "Essential by consensus",
    ]
    text = _visible_text(str(page))
    assert _wording_problems(text) == []
    assert "dhlp." not in text
    assert "not-shown-essential" not in text
    contents = [link["href"] for link in page.select("#fitness-contents a")]
    assert contents == ["#criteria-section", "#groups-section", "#versions-section", "#method"]
    assert "Lawshe 1975" in page.select_one("#method").get_text(" ", strip=True)
    assert "Ayre and Scally 2014" in page.select_one("#method").get_text(" ", strip=True)
    assert not page.select("#synthetic-cohort")


def test_the_grouping_selector_works_without_javascript(app, designer_client, pages, disagreeing):
    pages.client = designer_client
    form = pages.get(f"{BASE}/fit-for-purpose").select_one("#fitness-grouping-form")
    assert form["method"] == "get"
    assert [option["value"] for option in form.select("option")] == list(fitness.GROUPINGS)
    page = pages.get(f"{BASE}/fit-for-purpose?by=sector")
    assert page.select_one("#by option[selected]")["value"] == "sector"
    safety = framework().criteria_by_id[SAFETY].title
    details = next(d for d in page.select("#groups-section details") if safety in d.summary.get_text())
    assert details.summary.get_text(strip=True) == f"{safety} by sector"
    labels = [tr.th.get_text(strip=True) for tr in details.select("tbody tr")]
    assert labels == [vocabulary.designer_label("sector", "nhs-acute"), "Social care"]
    unrated = page.select("#groups-section details")[0]
    assert unrated.get_text(" ", strip=True).endswith("No one has rated this criterion yet.")
    social = next(tr for tr in details.select("tbody tr") if tr.th.get_text(strip=True) == "Social care")
    cells = [td.get_text(strip=True) for td in social.select("td")]
    assert cells[:4] == ["30", "10", "−0.33", "Not shown to be essential"]
    assert cells[4] == "−1.33"


def test_an_unknown_grouping_is_refused_in_words(app, designer_client, pages, disagreeing):
    pages.client = designer_client
    page = pages.get(f"{BASE}/fit-for-purpose?by=shoe_size")
    assert "Select a grouping from the list" in page.select_one(".nhsuk-error-summary").get_text()
    assert page.select_one("#by option[selected]")["value"] == fitness.DEFAULT_GROUPING


def test_an_unknown_programme_is_not_found(app, designer_client):
    assert designer_client.get("/designer/programmes/no-such-programme/fit-for-purpose").status_code == 404


def test_a_programme_nobody_rated_says_so(app, designer_client, pages):
    add_people(12, answers=ACUTE_CLINICAL)
    pages.client = designer_client
    page = pages.get(f"{BASE}/fit-for-purpose")
    assert "has said how important this programme's criteria are to their job yet" in page.get_text()
    assert not page.select("#fitness-criteria")


def test_the_dashboard_and_every_programme_page_link_to_it(app, designer_client, pages, disagreeing):
    pages.client = designer_client
    for url in (BASE, f"{BASE}/rules", f"{BASE}/equality-impact"):
        links = [a["href"] for a in pages.get(url).select("a")]
        assert f"{BASE}/fit-for-purpose" in links, url


def test_a_demo_cohort_shows_group_differences_and_is_marked(app, designer_client, pages):
    framework_ = framework()
    demo.generate(framework_, snapshot_for(framework_).id, 400, seed=5)
    db.session.commit()
    figures = fitness.build(framework_, min_cell=10)
    assert figures.synthetic
    assert any(
        difference.sentence.startswith("Social care staff do not rate ‘Safety, quality and informatics’")
        for difference in figures.differences
    )
    pages.client = designer_client
    page = pages.get(f"{BASE}/fit-for-purpose")
    assert page.select_one("#synthetic-cohort")


# --------------------------------------------------------------------------- the CLI without --panel


def test_cli_reads_consented_answers_in_the_panel_files_shape(app, disagreeing):
    result = app.test_cli_runner().invoke(args=["content-validity", "--framework", PROGRAMME, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"framework", "framework_version", "panel_size", "criteria", "cvi", "cvi_hidden"}
    assert data["panel_size"] == 50
    safety = next(item for item in data["criteria"] if item["id"] == SAFETY)
    assert set(safety) == {"id", "raters", "essential", "cvr", "critical_cvr", "verdict", "by_group"}
    assert (safety["raters"], safety["essential"], safety["verdict"]) == (50, 30, "not-shown-essential")
    assert set(safety["by_group"]) == set(fitness.GROUPINGS)
    social = {group["group"]: group for group in safety["by_group"]["sector"]}["social-care"]
    assert (social["raters"], social["cvr"], social["cvr_difference"]) == (30, -0.333, -1.333)
    assert data["cvi"] == 1.0
    assert data["cvi_hidden"] is False
    table = app.test_cli_runner().invoke(args=["content-validity", "--framework", PROGRAMME])
    assert table.exit_code == 0
    assert "from a panel of 50 raters" in table.output
    assert "Evaluating a digital change" in table.output


def test_cli_hides_what_the_page_hides(app):
    add_raters(9, ACUTE_CLINICAL, {SAFETY: "essential"})
    result = app.test_cli_runner().invoke(args=["content-validity", "--framework", PROGRAMME, "--json"])
    data = json.loads(result.output)
    assert data["panel_size"] is None
    assert {item["raters"] for item in data["criteria"]} == {None}
    raised = app.test_cli_runner().invoke(
        args=["content-validity", "--framework", PROGRAMME, "--json", "--min-cell", "20"]
    )
    assert raised.exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--framework", "no-such-programme"], "Error: unknown framework 'no-such-programme'"),
        (
            ["--framework", PROGRAMME, "--min-cell", "3"],
            "Error: --min-cell 3 is below this deployment's floor of 10 people (CERTREADY_MIN_CELL_FLOOR)",
        ),
    ],
)
def test_cli_errors_are_plain_and_exit_1(app, args, message):
    result = app.test_cli_runner().invoke(args=["content-validity", *args])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_refuses_a_stored_answer_it_does_not_know(app):
    add_raters(10, ACUTE_CLINICAL, {SAFETY: "vital"})
    result = app.test_cli_runner().invoke(args=["content-validity", "--framework", PROGRAMME])
    assert result.exit_code == 1
    assert (
        "Error: a cohort row of nhs-digital-academy-dhlp holds the relevance answer 'vital'"
    ) in result.output


@pytest.mark.app_config(CERTREADY_MIN_CELL_FLOOR=3, CERTREADY_MIN_CELL=3)
def test_a_deployment_with_a_lower_floor_may_show_smaller_panels(app):
    add_raters(5, ACUTE_CLINICAL, {SAFETY: "essential"})
    result = app.test_cli_runner().invoke(
        args=["content-validity", "--framework", PROGRAMME, "--json", "--min-cell", "5"]
    )
    assert result.exit_code == 0, result.output
    safety = next(item for item in json.loads(result.output)["criteria"] if item["id"] == SAFETY)
    assert (safety["raters"], safety["verdict"]) == (5, "essential")


# --------------------------------------------------------------------------- the EIA and the PDF


def test_eia_page_pdf_and_word_carry_the_content_validity_appendix(app, designer_client, disagreeing):
    page = BeautifulSoup(designer_client.get(f"{BASE}/equality-impact").get_data(as_text=True), "html.parser")
    section = page.select_one("#content-validity")
    assert section.h2.get_text(strip=True) == "Appendix: is each criterion essential to the job?"
    assert "#content-validity" in [a["href"] for a in page.select("#eia-contents a")]
    assert "Social care staff do not rate" in section.get_text(" ", strip=True)
    assert section.select_one("#fitness-criteria")

    response = designer_client.get(f"{BASE}/equality-impact.pdf")
    text = " ".join(extract_text(io.BytesIO(response.data)).split())
    assert "Appendix: is each criterion essential to the job?" in text
    assert "Evaluating a digital change" in text
    assert "Essential by consensus" in text

    document = Document(io.BytesIO(designer_client.get(f"{BASE}/equality-impact.docx").data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[-1] == "Appendix: is each criterion essential to the job?"
    words = "\n".join(p.text for p in document.paragraphs)
    assert "Social care staff do not rate ‘Safety, quality and informatics’ as essential" in words
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Criterion")
    evaluation = next(r for r in table.rows if r.cells[0].text == "Evaluating a digital change")
    assert [cell.text for cell in evaluation.cells[1:]] == [
        "50",
        "50",
        "1.00",
        "0.28",
        "Essential by consensus",
    ]


def test_designer_pdf_carries_the_section(app, designer_client, disagreeing):
    response = designer_client.get(f"{BASE}/report.pdf")
    assert response.status_code == 200
    text = " ".join(extract_text(io.BytesIO(response.data)).split())
    assert "Appendix: is each criterion essential to the job?" in text
    assert "Social care staff do not rate ‘Safety, quality and informatics’ as essential" in text


def test_a_chance_level_difference_is_in_the_table_but_not_the_summary(app):
    """p = 0.037 in four tests of eight is what chance gives: the summary allows for that."""
    add_raters(30, ACUTE_CLINICAL, {SAFETY: "essential", EVALUATION: "essential"})
    add_raters(10, ACUTE_CLINICAL, {SAFETY: "useful", EVALUATION: "essential"})
    add_raters(20, SOCIAL_CARE, {SAFETY: "essential", EVALUATION: "essential"})
    add_raters(20, SOCIAL_CARE, {SAFETY: "useful", EVALUATION: "essential"})
    figures = fitness.build(framework(), min_cell=10)
    social = groups(row(figures, SAFETY), "sector")["social-care"]
    assert social.p_value == pytest.approx(0.0368, abs=1e-4)
    assert social.judgement.verdict == "not-shown-essential"
    assert not social.differs
    assert figures.differences == ()
