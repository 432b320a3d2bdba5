"""Known small cohorts through the SQL path, with figures worked out by hand."""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update

from app.designer import analytics, queries, services
from app.designer.models import CohortRecord
from app.extensions import db
from app.journey import services as journey
from app.models import Profile, User
from app.privacy import services as privacy
from assessments.cohort import SUPPRESSED_TEXT
from assessments.scoring import band_for
from tests.app.designer.conftest import PROGRAMME, add_people

RESIDENTIAL = {"residential-stays": "high"}


def _known_cohort() -> dict[str, list[int]]:
    """Full time 40 (10 flagged), part time 20 (10 flagged), shift work 12 (none), job share 4 (none).

    Job share (4) is below 10 and hidden; shift work (12, the smallest other group) is hidden with
    it, so 4 cannot be worked out from the total (complementary suppression).
    """
    ids: dict[str, list[int]] = {}
    ft = {"staff_group": "clinical", "contract": "full-time"}
    pt = {"staff_group": "clinical", "contract": "part-time", "caring_responsibilities": True}
    ids["full-time"] = add_people(10, answers=ft, score=60.0, flags=RESIDENTIAL) + add_people(
        30, answers=ft, score=60.0
    )
    ids["part-time"] = add_people(10, answers=pt, score=40.0, flags=RESIDENTIAL) + add_people(
        10, answers=pt, score=40.0
    )
    ids["shift-work"] = add_people(
        12, answers={"staff_group": "clinical", "contract": "shift-work"}, score=80.0
    )
    ids["job-share"] = add_people(4, answers={"staff_group": "clinical", "contract": "job-share"}, score=80.0)
    return ids


def _analysis(grouping: str = "contract", **options):
    return analytics.analyse(services.programme(PROGRAMME), grouping, min_cell=10, **options)


def test_group_counts_come_from_sql_with_hand_computed_totals(app):
    _known_cohort()
    groups = {group.group: group for group in queries.group_counts(PROGRAMME, "contract")}
    assert {label: group.n for label, group in groups.items()} == {
        "full-time": 40,
        "part-time": 20,
        "shift-work": 12,
        "job-share": 4,
    }
    assert groups["part-time"].flagged_for("residential-stays") == 10
    assert groups["part-time"].flagged_for("attendance") == 10
    assert groups["part-time"].flagged_for("high:attendance") == 10
    assert groups["full-time"].readiness_sum == pytest.approx(40 * 60.0)
    assert groups["full-time"].median == 60.0
    assert groups["part-time"].bands == {"developing": 20}


def test_shares_ratios_and_likelihood_match_hand_figures(app):
    _known_cohort()
    analysis = _analysis()
    sizes = {summary.group: summary.n for summary in analysis.table.groups}
    assert sizes == {"full-time": 40, "part-time": 20, "shift-work": None, "job-share": None}
    shares = {summary.group: summary.share for summary in analysis.table.groups}
    assert shares["full-time"] == pytest.approx(40 / 76)
    row = analysis.table.row("residential-stays", "part-time")
    assert row.reference == "full-time"  # pass rate 30/40 = 0.75, the highest shown
    assert row.flag_rate == pytest.approx(0.5)
    assert row.impact_ratio == pytest.approx(0.5 / 0.75)
    assert row.relative_likelihood == pytest.approx(0.5 / 0.25)
    assert row.gap_pp == pytest.approx(25.0)
    assert row.below_four_fifths is True
    hidden = analysis.table.row("residential-stays", "job-share")
    assert (hidden.n, hidden.flagged, hidden.verdict) == (None, None, "suppressed")


def test_intersections_list_every_pair_and_hide_small_and_revealing_cells(app):
    """Carers are all part-time here, and every full-timer skipped the caring question.

    Listing "yes × part-time 20" beside "yes × full-time 0" would say every carer works part
    time: a line whose people all share one answer has that cell hidden, with enough others
    that it cannot be worked out. Empty pairs are listed too (as 0 or hidden), never left out.
    """
    _known_cohort()
    analysis = _analysis("caring", second="contract")
    sizes = {summary.group: summary.n for summary in analysis.table.groups}
    assert len(sizes) == 2 * 4  # (yes, not answered) × (full-time, part-time, shift work, job share)
    assert sizes["not-answered × job-share"] is None
    assert sizes["yes × part-time"] is None
    assert sizes["not-answered × full-time"] is None
    assert {label for label, n in sizes.items() if n is not None} <= {"yes × full-time", "yes × shift-work"}


def test_withdrawn_consent_drops_people_at_once(app):
    ids = _known_cohort()
    for user_id in ids["part-time"][:10]:
        privacy.withdraw_consent(db.session.get(User, user_id))
    groups = {group.group: group for group in queries.group_counts(PROGRAMME, "contract")}
    assert groups["part-time"].n == 10
    assert groups["part-time"].flagged_for("residential-stays") == 0
    assert queries.programme_figures()[PROGRAMME].participants == 66


def test_consent_given_again_counts_again_and_rows_follow_the_profile(app):
    ids = _known_cohort()
    people = [db.session.get(User, user_id) for user_id in ids["full-time"][:5]]
    for person in people:
        journey.set_consent(person, False)
    assert queries.programme_figures()[PROGRAMME].participants == 71
    for person in people:
        journey.set_consent(person, True)
    assert queries.programme_figures()[PROGRAMME].participants == 76
    # Every cohort row says what its person's profile says.
    mismatched = db.session.scalar(
        select(func.count())
        .select_from(CohortRecord)
        .join(Profile, Profile.user_id == CohortRecord.user_id)
        .where(CohortRecord.consented != Profile.consent_aggregate)
    )
    assert mismatched == 0


@pytest.mark.parametrize(
    "scores",
    [
        pytest.param([10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0, 0.0], id="odd"),
        pytest.param([12.5, 12.5, 33.3, 33.4, 47.26, 51.04, 60.0, 61.11, 62.5, 99.9], id="even"),
        pytest.param([55.55] * 6 + [70.0] * 5, id="ties"),
    ],
)
def test_median_is_the_median_of_scores_as_shown(app, scores):
    """The SQL histogram gives the median of scores to one decimal place, as participants see them."""
    for score in scores:
        add_people(1, answers={"staff_group": "clinical", "contract": "full-time"}, score=score)
    [group] = queries.group_counts(PROGRAMME, "contract")
    shown = [math.floor(score * 10 + 0.5) / 10 for score in scores]
    assert group.median == pytest.approx(statistics.median(shown), abs=1e-9)
    assert group.readiness_sum == pytest.approx(sum(scores))
    assert group.bands == dict(Counter(band_for(score) for score in scores))


def test_cohort_versions_and_date_come_from_counted_rows_only(app):
    counted_old = add_people(3, answers={"staff_group": "clinical"})
    add_people(2, answers={"staff_group": "clinical"})
    not_counted = add_people(2, answers={"staff_group": "clinical"}, consent=False)
    earlier = datetime(2025, 1, 1, tzinfo=UTC)
    db.session.execute(
        update(CohortRecord)
        .where(CohortRecord.user_id.in_(counted_old))
        .values(framework_version="2025.1", submitted_at=earlier)
    )
    db.session.execute(
        update(CohortRecord)
        .where(CohortRecord.user_id.in_(not_counted))
        .values(framework_version="2027.9", submitted_at=datetime(2027, 1, 1, tzinfo=UTC))
    )
    db.session.commit()
    current = services.programme(PROGRAMME).version
    latest, versions = queries.cohort_versions(PROGRAMME)
    assert versions == tuple(sorted({"2025.1", current}))
    assert latest.replace(tzinfo=UTC) > earlier
    assert latest.year < 2027
    assert queries.cohort_versions("no-such-programme") == (None, ())


def test_people_who_never_consented_are_never_counted(app):
    add_people(15, answers={"staff_group": "clinical", "contract": "full-time"}, consent=False)
    assert queries.group_counts(PROGRAMME, "contract") == []
    assert PROGRAMME not in queries.programme_figures()


def test_prefer_not_to_say_and_not_answered_are_groups_of_their_own(app):
    answers = {"staff_group": "clinical"}
    add_people(12, answers=answers, equality={"sex": "female"})
    add_people(11, answers=answers, equality={"sex": "prefer-not-to-say"})
    add_people(10, answers=answers)
    shares = {summary.group: summary.share for summary in _analysis("sex").table.groups}
    assert shares == pytest.approx({"female": 12 / 33, "prefer-not-to-say": 11 / 33, "not-answered": 10 / 33})


def test_cli_json_nulls_suppressed_values(app):
    _known_cohort()
    result = app.test_cli_runner().invoke(
        args=["cohort", "--framework", PROGRAMME, "--by", "contract", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    groups = {group["group"]: group for group in data["groups"]}
    assert groups["job-share"]["participants"] is None
    assert groups["job-share"]["suppressed"] is True
    assert groups["shift-work"]["participants"] is None
    assert groups["part-time"]["flag_rates"]["attendance"]["rate"] == 0.5
    assert groups["part-time"]["adverse_impact"]["attendance"]["impact_ratio"] == pytest.approx(
        0.667, abs=1e-3
    )


def test_cli_rejects_an_unknown_programme(app):
    result = app.test_cli_runner().invoke(args=["cohort", "--framework", "no-such", "--by", "contract"])
    assert result.exit_code != 0
    assert "unknown framework 'no-such'" in result.output


def test_csv_exports_keep_suppressed_cells_hidden(app, designer_client):
    _known_cohort()
    groups_csv = designer_client.get(f"/designer/programmes/{PROGRAMME}/export/groups.csv?by=contract").text
    rows = {line.split(",")[1]: line for line in groups_csv.splitlines()[1:]}
    assert rows["Job share"].split(",")[2] == SUPPRESSED_TEXT
    assert rows["Shift work"].split(",")[2] == SUPPRESSED_TEXT
    assert rows["Full time"].split(",")[2] == "40"
    flags_csv = designer_client.get(f"/designer/programmes/{PROGRAMME}/export/flags.csv?by=contract").text
    for line in flags_csv.splitlines()[1:]:
        if ",Shift work," in line or ",Job share," in line:
            assert line.split(",")[3] == SUPPRESSED_TEXT
            assert ",12," not in line
            assert ",4," not in line


def test_dashboard_shows_headline_and_chart_with_four_fifths_line(app, designer_client, pages):
    _known_cohort()
    pages.client = designer_client
    page = pages.get(f"/designer/programmes/{PROGRAMME}?by=contract")
    headlines = page.select_one("#headlines").get_text(" ", strip=True)
    assert "Part-time staff are 2.0 times as likely as full-time staff" in headlines
    chart = page.select_one("#category-attendance svg")
    assert chart["role"] == "img"
    # Reference pass rate 0.75: the line is at 1 - 0.8 × 0.75 = 40% flagged.
    assert "Four-fifths line at 40% flagged. Below the line: Part time." in chart.find("desc").get_text()
    assert "Job share: not shown" in chart.find("desc").get_text()
