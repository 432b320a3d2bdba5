"""``certready content-validity``: the example panel, JSON and table output, and bad panel files."""

import json
from pathlib import Path

import pytest

from assessments import content_validity as cv
from assessments.framework import shipped_frameworks

PANEL = str(Path(__file__).resolve().parent.parent / "examples" / "panel-dhlp.yaml")
DHLP = "nhs-digital-academy-dhlp"


def test_json_on_the_example_panel(certready):
    result = certready("content-validity", "--framework", DHLP, "--panel", PANEL, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    framework = shipped_frameworks()[DHLP]
    assert data["framework"] == DHLP
    assert data["panel_size"] == 24
    assert [item["id"] for item in data["criteria"]] == list(framework.criteria_by_id)
    # Recount one criterion straight from the file.
    raters = cv.load_panel(PANEL, framework)
    safety = next(item for item in data["criteria"] if item["id"] == "dhlp.safety-quality-informatics")
    essential = sum(rater.ratings["dhlp.safety-quality-informatics"] == "essential" for rater in raters)
    assert (safety["raters"], safety["essential"]) == (24, essential)
    assert safety["cvr"] == round((essential - 12) / 12, 3)
    assert safety["critical_cvr"] == round(5 / 12, 3)  # 24 raters need 17 essential
    assert safety["verdict"] == ("essential" if essential >= 17 else "not-shown-essential")
    # One rater skipped the strategic theme: 23 raters beside the panel's 24 would single that
    # rater out, so none of its figures is shown.
    theme = next(item for item in data["criteria"] if item["id"] == "dhlp.strategic-theme")
    assert (theme["raters"], theme["critical_cvr"], theme["verdict"]) == (None, None, None)
    assert set(safety["by_group"]) == {"contract", "staff_group", "sector"}
    clinical = {group["group"]: group for group in safety["by_group"]["staff_group"]}["clinical"]
    assert clinical["raters"] == 12
    # Clinical's essential answers are hidden (a count of them, or of the others, is small).
    assert (clinical["essential"], clinical["cvr"], clinical["p_value"]) == (None, None, None)
    # Most criteria are essential to nearly every rater: their CVRs, and so the index, are hidden.
    kept = [item for item in data["criteria"] if item["verdict"] == "essential"]
    assert any(item["cvr"] is None for item in kept)
    assert (data["cvi"], data["cvi_hidden"]) == (None, True)


def test_small_groups_are_hidden_with_the_limit_given(certready):
    result = certready(
        "content-validity", "--framework", DHLP, "--panel", PANEL, "--json", "--min-cell", "13"
    )
    data = json.loads(result.output)
    first = data["criteria"][0]
    assert all(group["raters"] is None for group in first["by_group"]["staff_group"])
    assert first["raters"] == 24


def test_table_uses_criterion_titles_and_verdict_words(certready):
    result = certready("content-validity", "--framework", DHLP, "--panel", PANEL)
    assert result.exit_code == 0
    assert "Safety, quality and informatics" in result.output
    assert "dhlp.safety-quality-informatics" not in result.output
    assert "Essential by consensus" in result.output
    assert "Staff group: Clinical: 12 raters" in result.output
    assert "Content validity index" in result.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("raters: []\n", "Error: panel.yaml: the panel is empty"),
        (
            "raters:\n  - ratings: {dhlp.evaluation: essential}\n  - ratings: {dhlp.nope: useful}\n",
            "Error: panel.yaml: rater 2: 'dhlp.nope' is not a criterion of nhs-digital-academy-dhlp",
        ),
        (
            "raters:\n  - sector: hospital\n    ratings: {dhlp.evaluation: essential}\n",
            "Error: panel.yaml: rater 1: 'hospital' is not a declared value of sector",
        ),
        (
            "raters:\n  - ratings: {dhlp.evaluation: crucial}\n",
            "Error: panel.yaml: rater 1, criterion 'dhlp.evaluation': 'crucial' is not an answer",
        ),
        ("raters: [\n", "Error: panel.yaml"),
    ],
)
def test_bad_panel_files_exit_1_with_a_clear_error(certready, tmp_path, text, message):
    path = tmp_path / "panel.yaml"
    path.write_text(text)
    result = certready("content-validity", "--framework", DHLP, "--panel", str(path))
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_missing_file_and_an_unknown_framework_are_errors(certready, tmp_path):
    result = certready("content-validity", "--framework", DHLP, "--panel", str(tmp_path / "none.yaml"))
    assert result.exit_code == 1
    assert "Error: none.yaml: cannot be read" in result.output
    result = certready("content-validity", "--framework", "no-such-programme", "--panel", PANEL)
    assert result.exit_code == 1
    assert "Error: unknown framework 'no-such-programme'" in result.output


def test_without_a_panel_on_a_database_never_set_up_it_says_so(certready):
    result = certready("content-validity", "--framework", DHLP)
    assert result.exit_code == 1
    assert "Error: could not read participants' answers from the database" in result.output
    assert "run `certready init-db` first" in result.output
    assert "Traceback" not in result.output
