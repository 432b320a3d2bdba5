"""Every designer figure through one suppression path, in words a designer can act on.

Each test renders the page, CSV or JSON a designer gets and checks what a reader can see there.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from app.designer.fields import key_label
from tests.app.designer.conftest import PROGRAMME, add_people

RESIDENTIAL = {"residential-stays": "high"}
CLINICAL_FT = {"staff_group": "clinical", "contract": "full-time"}
CLINICAL_PT = {"staff_group": "clinical", "contract": "part-time"}
TEMPLATES = Path(__file__).parents[3] / "templates" / "designer"


def _csv(client, table: str, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/designer/programmes/{PROGRAMME}/export/{table}.csv{query}")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.text)))


def test_overview_does_not_print_a_share_that_reveals_a_small_group(app, designer_client, pages):
    """12 participants, 10 with a high flag: 83% would say that 2 are not flagged."""
    add_people(10, answers=CLINICAL_FT, flags=RESIDENTIAL)
    add_people(2, answers=CLINICAL_FT)
    pages.client = designer_client
    row = pages.get("/designer/").select_one(f"#programme-{PROGRAMME}")
    cells = [cell.get_text(" ", strip=True) for cell in row.find_all("td")[1:]]
    assert cells[0] == "12"
    assert cells[2:] == ["not shown (small numbers)", "not shown (small numbers)"]
    assert "83%" not in row.get_text()


def test_overview_shows_shares_when_both_sides_are_large(app, designer_client, pages):
    add_people(10, answers=CLINICAL_FT, flags=RESIDENTIAL)
    add_people(30, answers=CLINICAL_FT)
    pages.client = designer_client
    row = pages.get("/designer/").select_one(f"#programme-{PROGRAMME}")
    assert [cell.get_text(strip=True) for cell in row.find_all("td")[1:]] == ["40", "50.0", "25%", "25%"]


def test_no_designer_template_does_arithmetic_on_figures():
    """Figures are printed through the registered filters (people, percent, number, …), never computed."""
    expression = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
    arithmetic = re.compile(r"(?<![*\w])[*/](?![*])|\s[+-]\s*\d")
    offenders = []
    for template in sorted(TEMPLATES.glob("*.html")):
        for block in expression.findall(template.read_text(encoding="utf-8")):
            if arithmetic.search(block.replace("'/", "").replace('"/', "")):
                offenders.append(f"{template.name}: {block}")
    assert offenders == []


def test_a_requirement_that_flags_nearly_everyone_is_not_called_adverse_impact(app, designer_client, pages):
    add_people(90, answers=CLINICAL_FT, flags=RESIDENTIAL)
    add_people(10, answers=CLINICAL_FT)
    add_people(40, answers=CLINICAL_PT, flags=RESIDENTIAL)
    pages.client = designer_client
    page = pages.get(f"/designer/programmes/{PROGRAMME}?by=contract")
    table = page.select_one("#impact-residential-stays tbody").get_text(" ", strip=True)
    assert "Excludes almost everyone, whatever their group" in table
    assert "Adverse impact" not in table
    assert "90% (" in table
    assert "100% (" in table
    note = page.select_one("#nearly-everyone-residential-stays").get_text(" ", strip=True)
    assert "excludes almost everyone" in note
    flags = _csv(designer_client, "flags", "?by=contract")
    rows = [r for r in flags if r["flag"] == key_label("residential-stays")]
    assert {r["verdict"] for r in rows} == {"Excludes almost everyone, whatever their group"}
    assert {r["adverse impact ratio"] for r in rows} == {""}


def test_no_clear_difference_is_not_too_few_to_tell(app, designer_client):
    add_people(30, answers=CLINICAL_FT, flags=RESIDENTIAL)
    add_people(120, answers=CLINICAL_FT)
    add_people(36, answers=CLINICAL_PT, flags=RESIDENTIAL)
    add_people(114, answers=CLINICAL_PT)
    rows = {
        r["group"]: r
        for r in _csv(designer_client, "flags", "?by=contract")
        if r["flag"] == key_label("residential-stays")
    }
    assert rows["Part time"]["verdict"].startswith("No clear difference")
    result = app.test_cli_runner().invoke(
        args=["cohort", "--framework", PROGRAMME, "--by", "contract", "--json"]
    )
    verdict = json.loads(result.output)["groups"][1]["adverse_impact"]["residential-stays"]
    assert verdict["verdict_text"].startswith("No clear difference")


def test_a_hidden_group_says_why_on_the_page_and_in_the_csv(app, designer_client, pages):
    add_people(40, answers=CLINICAL_FT)
    add_people(20, answers=CLINICAL_PT)
    add_people(12, answers={"staff_group": "clinical", "contract": "shift-work"})
    add_people(4, answers={"staff_group": "clinical", "contract": "job-share"})
    pages.client = designer_client
    page = pages.get(f"/designer/programmes/{PROGRAMME}?by=contract")
    text = page.get_text(" ", strip=True)
    reason = (
        "Not shown: this group has fewer than 10 people, or its size would let a group that small "
        "be worked out from the totals."
    )
    assert reason in text
    rows = {r["group"]: r for r in _csv(designer_client, "groups", "?by=contract")}
    assert rows["Job share"]["why not shown"] == reason
    assert rows["Shift work"]["why not shown"] == reason  # protecting and small read the same
    assert rows["Full time"]["why not shown"] == ""


def test_a_group_whose_flag_split_is_small_says_so_without_saying_which(app, designer_client):
    add_people(95, answers=CLINICAL_FT, flags=RESIDENTIAL)
    add_people(5, answers=CLINICAL_FT)
    add_people(30, answers=CLINICAL_PT, flags=RESIDENTIAL)
    add_people(30, answers=CLINICAL_PT)
    add_people(20, answers={"staff_group": "clinical", "contract": "shift-work"})
    rows = {
        r["group"]: r
        for r in _csv(designer_client, "flags", "?by=contract")
        if r["flag"] == key_label("residential-stays")
    }
    assert rows["Full time"]["participants"] == "100"
    assert rows["Full time"]["flagged"] == "not shown (small numbers)"
    assert rows["Full time"]["note"] == (
        "Not shown: in this group the number flagged, or the number not flagged, is below 10, "
        "or would let a number that small be worked out from the totals."
    )


def test_intersections_list_every_pair_in_the_json(app):
    add_people(30, answers=CLINICAL_FT, equality={"sex": "female"})
    add_people(30, answers=CLINICAL_PT, equality={"sex": "female"})
    add_people(30, answers=CLINICAL_FT, equality={"sex": "male"})
    result = app.test_cli_runner().invoke(
        args=["cohort", "--framework", PROGRAMME, "--by", "sex", "--and-by", "contract", "--json"]
    )
    assert result.exit_code == 0, result.output
    groups = {g["group"]: g for g in json.loads(result.output)["groups"]}
    assert set(groups) == {"female × full-time", "female × part-time", "male × full-time", "male × part-time"}
    # Every man works full time: that cell is protected, not shown beside "male × part-time: 0".
    assert groups["male × full-time"]["participants"] is None


def test_cli_refuses_a_min_cell_below_the_deployments_floor(app):
    result = app.test_cli_runner().invoke(
        args=["cohort", "--framework", PROGRAMME, "--by", "contract", "--min-cell", "1"]
    )
    assert result.exit_code != 0
    assert "1 is below this deployment's floor of 10 people (CERTREADY_MIN_CELL_FLOOR)" in result.output
    raised = app.test_cli_runner().invoke(
        args=["cohort", "--framework", PROGRAMME, "--by", "contract", "--min-cell", "20"]
    )
    assert raised.exit_code == 0, raised.output
    assert "Groups under 20 people are not shown" in raised.output


@pytest.mark.app_config(CERTREADY_MIN_CELL_FLOOR=3)
def test_a_deployment_may_set_a_lower_floor(app):
    result = app.test_cli_runner().invoke(
        args=["cohort", "--framework", PROGRAMME, "--by", "contract", "--min-cell", "3"]
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("by", "and_by"), [("sex", None), ("sex", "contract")])
def test_page_csv_and_json_hide_the_same_cells(app, designer_client, pages, by, and_by):
    """One suppression path: the dashboard, its CSV and ``certready cohort --json`` agree cell by cell."""
    add_people(40, answers=CLINICAL_FT, equality={"sex": "female"}, flags=RESIDENTIAL)
    add_people(25, answers=CLINICAL_PT, equality={"sex": "female"})
    add_people(30, answers=CLINICAL_FT, equality={"sex": "male"})
    add_people(6, answers=CLINICAL_PT, equality={"sex": "male"}, flags=RESIDENTIAL)
    add_people(4, answers=CLINICAL_FT, equality={"sex": "prefer-not-to-say"})
    add_people(3, answers=CLINICAL_PT)
    query = f"?by={by}" + (f"&and_by={and_by}" if and_by else "")
    pages.client = designer_client
    page = pages.get(f"/designer/programmes/{PROGRAMME}{query}")
    cells = [row.find("td").get_text(" ", strip=True) for row in page.select("#groups tbody tr")]
    on_page = [text if text.startswith("not shown") else text.split(" (")[0] for text in cells]
    in_csv = [r["participants"] for r in _csv(designer_client, "groups", query)]
    args = ["cohort", "--framework", PROGRAMME, "--by", by, "--json"] + (
        ["--and-by", and_by] if and_by else []
    )
    data = json.loads(app.test_cli_runner().invoke(args=args).output)
    in_json = [
        "not shown (small numbers)" if g["participants"] is None else f"{g['participants']:,}"
        for g in data["groups"]
    ]
    assert on_page == in_csv == in_json
    assert "not shown (small numbers)" in on_page


def test_the_minimum_cell_cannot_be_set_below_the_floor(monkeypatch, tmp_path):
    from app.config import settings

    monkeypatch.setenv("CERTREADY_SECRET_KEY", "x" * 32)
    monkeypatch.setenv("CERTREADY_MIN_CELL", "5")
    assert (settings(tmp_path)["CERTREADY_MIN_CELL"], settings(tmp_path)["CERTREADY_MIN_CELL_FLOOR"]) == (
        5,
        5,
    )
    monkeypatch.setenv("CERTREADY_MIN_CELL_FLOOR", "10")
    with pytest.raises(
        ValueError, match=r"CERTREADY_MIN_CELL \(5\) is below CERTREADY_MIN_CELL_FLOOR \(10\)"
    ):
        settings(tmp_path)
    monkeypatch.setenv("CERTREADY_MIN_CELL", "ten")
    with pytest.raises(ValueError, match="CERTREADY_MIN_CELL must be a whole number of people"):
        settings(tmp_path)
