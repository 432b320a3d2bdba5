"""``certready consultation results`` and ``import``: shares from a file; nothing stored from a bad one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.consultation import services
from app.consultation.models import Consultation, ConsultationParticipant, ConsultationVote
from app.extensions import db

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "consultation-certifying-digital-leaders.yaml"


def test_results_json_prints_the_workshops_published_shares(app):
    result = app.test_cli_runner().invoke(args=["consultation", "results", str(EXAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["participants"] == 40
    assert data["votes"] == {"advantage": 130, "disadvantage": 60}
    assert round(data["advantage_share"] * 100) == 68
    staff = data["by_group"]["staff_group"]
    assert {
        group: (v["participants"], round(v["advantage_share"] * 100), v["suppressed"])
        for group, v in staff.items()
    } == {
        "clinical": (8, 64, False),
        "non-clinical": (32, 70, False),
    }
    assert [item["votes"] for item in data["items"]] == sorted(
        (item["votes"] for item in data["items"]), reverse=True
    )
    assert set(data["items"][0]) == {"id", "side", "text", "votes"}
    assert data["reading"] == "68% of votes favour going ahead; clinical staff 64%, non-clinical staff 70%."


def test_results_text_reads_plainly(app):
    result = app.test_cli_runner().invoke(args=["consultation", "results", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "Clinical staff: 64% of 39 votes (8 people)" in result.output
    assert "Non-clinical staff: 70% of 151 votes (32 people)" in result.output
    assert "Compressed hours: not shown" in result.output


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_import_stores_a_closed_consultation_with_every_vote(app):
    result = app.test_cli_runner().invoke(args=["consultation", "import", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    stored = db.session.scalars(select(Consultation)).one()
    assert (stored.phase, stored.imported) == ("closed", True)
    assert _count(ConsultationParticipant) == 40
    assert db.session.scalar(select(func.sum(ConsultationVote.votes))) == 190
    assert (
        services.results(stored).reading
        == "68% of votes favour going ahead; clinical staff 64%, non-clinical staff 70%."
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "proposal: P\nitems: [{id: a, side: advantage, text: A}]\n"
            "participants: [{staff_group: clinical, votes: {a: 1}},\n"
            "  {staff_group: clinical, votes: {a: 9}}]\n",
            "Error: bad.yaml: participant 2: spends 9 votes (most on ‘a’), over the budget of 5 votes",
        ),
        (
            "proposal: P\nseveral_votes_per_item: false\nitems: [{id: a, side: advantage, text: A}]\n"
            "participants: [{staff_group: clinical, votes: {a: 2}}]\n",
            "Error: bad.yaml: participant 1: puts 2 votes on ‘a’, but this consultation allows one vote",
        ),
        (
            "proposal: P\nitems: [{id: a, side: advantage, text: A}]\n"
            "participants: [{staff_group: clinical, votes: {b: 1}}]\n",
            "Error: bad.yaml: participant 1: votes for ‘b’, which is not an item of this consultation",
        ),
        (
            "proposal: P\nitems: [{id: a, side: upside, text: A}]\n",
            "Error: bad.yaml: item 1 (‘a’), side: must be one of 'advantage' or 'disadvantage'",
        ),
        (
            "proposal: P\nparticipants: [{staff_group: doctors}]\n",
            "Error: bad.yaml: participant 1, staff group: must be one of",
        ),
        ("proposal: [unclosed\n", "Error: bad.yaml: not valid YAML"),
    ],
    ids=["over-budget", "several-votes", "unknown-item", "unknown-side", "unknown-staff-group", "not-yaml"],
)
@pytest.mark.parametrize("command", ["import", "results"])
def test_a_bad_file_is_refused_with_the_participant_and_item_and_nothing_stored(
    app, tmp_path, body, message, command
):
    bad = tmp_path / "bad.yaml"
    bad.write_text(body, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["consultation", command, str(bad)])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert _count(Consultation) == 0


def test_the_certready_entry_point_has_the_command(certready):
    result = certready("consultation", "results", str(EXAMPLE), "--json")
    assert result.exit_code == 0
    assert json.loads(result.output)["participants"] == 40
