"""Impact over time: figures from repeat submissions, the designer's page and ``certready impact``."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from scipy import stats
from sqlalchemy import select, update

from app.designer import analytics, queries, services, tallies
from app.designer.models import CohortRecord
from app.designer.pages import impact
from app.extensions import db
from app.models import Assessment, ProgrammeProgress
from assessments.framework import shipped_frameworks
from assessments.impact import CAVEAT, COMPLETERS, NON_COMPLETERS
from assessments.scoring import band_for
from tests.app.designer.conftest import PROGRAMME, add_people

FRAMEWORK = shipped_frameworks()[PROGRAMME]
DOMAINS = [domain.id for domain in FRAMEWORK.domains]
LATEST = datetime(2026, 6, 15, tzinfo=UTC)
FIRST = datetime(2025, 6, 15, tzinfo=UTC)


def _repeat(user_ids: list[int], *, first: float) -> None:
    """Give each person an earlier submission scoring ``first`` (their latest stays as it is)."""
    for user_id in user_ids:
        record = db.session.scalar(
            select(CohortRecord).where(CohortRecord.user_id == user_id, CohortRecord.is_latest.is_(True))
        )
        record.submitted_at = LATEST
        record.domain_scores = dict.fromkeys(DOMAINS, record.score)
        earlier = Assessment(
            user_id=user_id,
            framework_id=PROGRAMME,
            framework_version=FRAMEWORK.version,
            snapshot_id=db.session.get(Assessment, record.assessment_id).snapshot_id,
            status="submitted",
            score=first,
            band=band_for(first),
            submitted_at=FIRST,
        )
        db.session.add(earlier)
        db.session.flush()
        columns = {
            column.key: getattr(record, column.key)
            for column in CohortRecord.__table__.columns
            if column.key not in ("id", "assessment_id")
        }
        changed = {
            "assessment_id": earlier.id,
            "is_latest": False,
            "counted": False,
            "submitted_at": FIRST,
            "score": first,
            "band": band_for(first),
            "domain_scores": dict.fromkeys(DOMAINS, first),
        }
        db.session.add(CohortRecord(**(columns | changed)))
    db.session.commit()


def _completed(user_ids: list[int], year: int = 2026, month: int = 1) -> None:
    for user_id in user_ids:
        db.session.add(
            ProgrammeProgress(
                user_id=user_id, framework_id=PROGRAMME, status="completed", year=year, month=month
            )
        )
    db.session.commit()


FT = {"staff_group": "clinical", "contract": "full-time"}
PT = {"staff_group": "clinical", "contract": "part-time"}


def _cohort() -> dict[str, list[int]]:
    """30 full-time (20 repeat: 12 completers +10, 8 others +2), 15 part-time (4 repeat, +1)."""
    ft = add_people(30, answers=FT, score=60.0)
    pt = add_people(15, answers=PT, score=40.0)
    _repeat(ft[:12], first=50.0)
    _repeat(ft[12:20], first=58.0)
    _repeat(pt[:4], first=39.0)
    _completed(ft[:12])
    return {"ft": ft, "pt": pt}


def test_figures_from_repeat_submissions(app):
    _cohort()
    figures = impact.impact_figures(FRAMEWORK, "contract", min_cell=10)
    report = figures.report
    assert report.people == 24
    changes = [10.0] * 12 + [2.0] * 8 + [1.0] * 4
    expected = stats.ttest_1samp(changes, 0).confidence_interval(0.95)
    assert report.overall.mean == pytest.approx(sum(changes) / 24)
    assert report.overall.ci == (pytest.approx(expected.low), pytest.approx(expected.high))
    assert [row.n for row in report.domains] == [24] * len(DOMAINS)
    progress = {row.key: row for row in report.progress}
    assert progress[COMPLETERS].n == 12
    assert progress[COMPLETERS].change.mean == pytest.approx(10.0)
    assert progress[NON_COMPLETERS].n == 12
    assert report.comparison.difference == pytest.approx(10.0 - (8 * 2 + 4) / 12)
    # Part time: 4 repeat and 11 took it once: 4 is small, so it is hidden, and full time with it
    # (the only other group: 24 in all less full time's 20 would give away the 4).
    groups = {row.key: row for row in report.groups}
    assert groups["part-time"].suppressed
    assert groups["full-time"].suppressed


def test_only_consenting_people_count_and_the_dashboard_still_counts_people_not_submissions(app):
    ids = _cohort()
    analysis = analytics.analyse(FRAMEWORK, "contract", min_cell=10)
    sizes = {group.group: group.n for group in analysis.table.groups}
    assert sizes == {"full-time": 30, "part-time": 15}
    assert tallies.check([PROGRAMME]) == []
    services.set_consent_for_user(ids["ft"][0], False)
    db.session.commit()
    assert impact.impact_figures(FRAMEWORK, None, min_cell=10).report.people == 23


def test_too_few_repeaters_shows_nothing(app, designer_client):
    ids = add_people(20, answers=FT, score=60.0)
    _repeat(ids[:9], first=50.0)
    page = designer_client.get(f"/designer/programmes/{PROGRAMME}/impact").text
    assert "Fewer than 10 consenting people have submitted this assessment twice or more" in page
    assert "+10.0" not in page
    # No figures, so no note about how to read them.
    assert 'id="caveat"' not in page


def test_when_few_assessed_once_the_page_and_command_say_why_nothing_is_shown(app, designer_client):
    # 23 of the dashboard's 25 repeated: "23" beside the dashboard's "25" would say 2 assessed once.
    ids = add_people(25, answers=FT, score=60.0)
    _repeat(ids[:23], first=50.0)
    page = designer_client.get(f"/designer/programmes/{PROGRAMME}/impact").text
    assert "would give away the few (fewer than 10) who assessed only once" in page
    assert "23 people" not in page
    assert 'id="caveat"' not in page
    assert "+10.0" not in page
    result = app.test_cli_runner().invoke(args=["impact", "--framework", PROGRAMME, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["people"] is None
    assert "assessed only once" in data["withheld"]
    text = app.test_cli_runner().invoke(args=["impact", "--framework", PROGRAMME]).output
    assert "assessed only once" in text
    assert "23" not in text


def test_the_page_shows_figures_caveat_and_no_ids(app, designer_client, pages):
    ids = _cohort()
    pages.client = designer_client
    page = pages.get(f"/designer/programmes/{PROGRAMME}/impact?by=contract")
    text = page.get_text(" ", strip=True)
    assert page.h1.get_text(strip=True) == f"{FRAMEWORK.name}: impact over time"
    assert CAVEAT in text
    assert "observational and self-rated" in text.lower()
    assert "24 people have submitted this assessment twice or more" in text
    rows = {
        row.th.get_text(strip=True): [cell.get_text(strip=True) for cell in row.find_all("td")]
        for row in page.select("#by-programme tbody tr")
    }
    assert rows["Completed the programme between their first and latest assessment"][:2] == ["12", "+10.0"]
    assert "Welch" in page.select_one("#comparison").get_text()
    group_cells = [cell.get_text(strip=True) for cell in page.select("#by-group tbody td")]
    assert "not shown (small numbers)" in group_cells
    # Nothing on the page names a person, an id or a stored code.
    for user_id in ids["ft"][:3]:
        assert not re.search(rf"\buser[ _-]?{user_id}\b", str(page))
    for code in ("completed-between", "not-completed", "full-time", "part-time", "user_id"):
        assert code not in text
    nav = page.select_one('nav[aria-label="Programme review"]')
    assert nav.find("a", string="Impact over time")


def test_the_grouping_selector_rejects_unknown_values(app, designer_client, pages):
    pages.client = designer_client
    page = pages.get(f"/designer/programmes/{PROGRAMME}/impact?by=shoe-size", status=400)
    assert (
        page.select_one(".nhsuk-error-summary")
        .get_text(" ", strip=True)
        .endswith("Select a grouping from the list")
    )


def test_participants_get_403_and_unknown_programmes_404(app, participant, signed_in, designer_client):
    participant_client = signed_in(app.test_client(), participant)
    assert participant_client.get(f"/designer/programmes/{PROGRAMME}/impact").status_code == 403
    assert designer_client.get("/designer/programmes/no-such/impact").status_code == 404


def test_the_page_marks_a_synthetic_cohort(app, designer_client):
    ids = _cohort()
    db.session.execute(
        update(CohortRecord).where(CohortRecord.user_id == ids["ft"][0]).values(synthetic=True)
    )
    db.session.commit()
    page = designer_client.get(f"/designer/programmes/{PROGRAMME}/impact").text
    assert "Synthetic demonstration data" in page


# --------------------------------------------------------------------------- certready impact


def test_impact_command_json_shape(app):
    _cohort()
    result = app.test_cli_runner().invoke(
        args=["impact", "--framework", PROGRAMME, "--by", "contract", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {
        "framework",
        "framework_version",
        "grouping",
        "synthetic",
        "min_cell",
        "people",
        "withheld",
        "caveat",
        "overall",
        "domains",
        "by_group",
        "by_programme",
        "completers_vs_non_completers",
    }
    assert data["people"] == 24
    assert data["withheld"] is None
    assert data["caveat"] == CAVEAT
    assert data["overall"]["mean_change"] == pytest.approx(5.833, abs=1e-3)
    assert len(data["overall"]["ci"]) == 2
    assert {row["id"] for row in data["domains"]} == set(DOMAINS)
    assert all(row["title"] for row in data["domains"])
    assert [(row["label"], row["n"]) for row in data["by_group"]] == [
        ("Full time", None),
        ("Part time", None),
    ]
    assert [row["n"] for row in data["by_programme"]] == [12, 12]
    comparison = data["completers_vs_non_completers"]
    assert comparison["difference"] == pytest.approx(8.333, abs=1e-3)
    assert 0 <= comparison["p_value"] <= 1


def test_impact_command_text(app):
    _cohort()
    result = app.test_cli_runner().invoke(args=["impact", "--framework", PROGRAMME])
    assert result.exit_code == 0, result.output
    assert "People with two or more assessments: 24" in result.output
    assert "observational and self-rated" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--framework", "no-such"], "Error: unknown framework 'no-such'; known frameworks:"),
        (["--framework", PROGRAMME, "--by", "shoe-size"], "Error: unknown grouping 'shoe-size' for --by"),
        (["--framework", PROGRAMME, "--min-cell", "0"], "is below this deployment's floor"),
    ],
)
def test_impact_command_errors_are_clear(app, args, message):
    result = app.test_cli_runner().invoke(args=["impact", *args])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_impact_command_respects_the_min_cell_floor(app):
    app.config["CERTREADY_MIN_CELL_FLOOR"] = 10
    result = app.test_cli_runner().invoke(args=["impact", "--framework", PROGRAMME, "--min-cell", "5"])
    assert result.exit_code == 1
    assert "below this deployment's floor of 10 people (CERTREADY_MIN_CELL_FLOOR)" in result.output


# --------------------------------------------------------------------------- demo-cohort --repeat-share


def test_demo_cohort_repeat_share_adds_marked_earlier_submissions_and_completions(app):
    result = app.test_cli_runner().invoke(
        args=["demo-cohort", "--framework", PROGRAMME, "--n", "600", "--seed", "5", "--repeat-share", "0.3"]
    )
    assert result.exit_code == 0, result.output
    assert "MODELLED change" in result.output
    rows = db.session.execute(
        select(
            CohortRecord.user_id,
            CohortRecord.is_latest,
            CohortRecord.synthetic,
            CohortRecord.submitted_at,
            CohortRecord.score,
            CohortRecord.domain_scores,
        )
    ).all()
    latest = {row.user_id: row for row in rows if row.is_latest}
    earlier = [row for row in rows if not row.is_latest]
    assert len(latest) == 600
    # 30% of 600 is 180; a binomial count this far off would happen less than once in 10,000 runs.
    assert 130 <= len(earlier) <= 230
    assert len({row.user_id for row in earlier}) == len(earlier)
    assert all(row.synthetic for row in rows)
    assert all(row.domain_scores for row in rows)
    assert all(row.submitted_at < latest[row.user_id].submitted_at for row in earlier)
    said = db.session.scalars(select(ProgrammeProgress)).all()
    assert {row.status for row in said} == {"enrolled", "completed"}
    assert {row.user_id for row in said} <= {row.user_id for row in earlier}
    # Every other figure still counts each person once, from their latest submission.
    assert sum(group.n for group in queries.group_counts(PROGRAMME, "contract")) == 600
    assert sum(group.n for group in queries.live_group_counts(PROGRAMME, "sector")) == 600
    assert tallies.check([PROGRAMME]) == []
    figures = impact.impact_figures(FRAMEWORK, None, min_cell=10)
    assert figures.synthetic
    assert figures.report.people == len(earlier)
    progress = {row.key: row for row in figures.report.progress}
    # The modelled completion effect shows: completers gain more than non-completers.
    assert progress[COMPLETERS].change.mean > progress[NON_COMPLETERS].change.mean + 3


def test_repeats_do_not_change_the_latest_rows_a_seed_makes(app):
    from app.designer import demo
    from app.journey.services import snapshot_for

    snapshot = snapshot_for(FRAMEWORK)
    db.session.commit()
    demo.generate(FRAMEWORK, snapshot.id, 50, seed=9)
    plain = db.session.scalars(select(CohortRecord.score).order_by(CohortRecord.id)).all()
    db.session.execute(CohortRecord.__table__.delete())
    db.session.commit()
    demo.generate(FRAMEWORK, snapshot.id, 50, seed=9, repeat_share=0.5)
    with_repeats = db.session.scalars(
        select(CohortRecord.score).where(CohortRecord.is_latest.is_(True)).order_by(CohortRecord.id)
    ).all()
    assert with_repeats == plain


def test_demo_cohort_refuses_a_repeat_share_outside_0_to_1(app):
    result = app.test_cli_runner().invoke(
        args=["demo-cohort", "--framework", PROGRAMME, "--n", "10", "--repeat-share", "1.5"]
    )
    assert result.exit_code == 2
    assert "1.5 is not in the range 0<=x<=1" in result.output
