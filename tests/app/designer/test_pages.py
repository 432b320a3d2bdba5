"""The designer's views through their page modules: the streamed what-if, and 404s for what is not there."""

from __future__ import annotations

import pytest

from app.designer import demo, whatif
from app.designer.forms import ScenarioForm
from app.designer.pages.scenarios import Steps
from app.journey.services import snapshot_for
from assessments.framework import shipped_frameworks
from tests.app.designer.conftest import PROGRAMME

BASE = f"/designer/programmes/{PROGRAMME}"
WORKED_OUT = object()


def test_what_if_sends_its_progress_before_it_works_out_the_results(app, designer_client, monkeypatch):
    framework = shipped_frameworks()[PROGRAMME]
    demo.generate(framework, snapshot_for(framework).id, 120, seed=3)
    events: list[object] = []
    finish = whatif._finish

    def finishing(*args, **kwargs):
        events.append(WORKED_OUT)
        return finish(*args, **kwargs)

    monkeypatch.setattr(whatif, "_finish", finishing)
    data = ScenarioForm.prefill(framework, "contract") | {"part_time_pathway": "yes"}
    response = designer_client.post(f"{BASE}/what-if", data=data)
    assert response.status_code == 200
    assert events == [], "nothing is worked out before the page starts to be sent"
    for chunk in response.response:
        events.append(chunk.decode())

    at = events.index(WORKED_OUT)
    sent_before, sent_after = "".join(events[:at]), "".join(events[at + 1 :])
    assert "<h1>What if: " in sent_before
    assert "Part-time pathway: yes" in sent_before
    assert 'id="progress"' in sent_before
    assert sent_before.count("whatif-progress__line") >= 2
    assert "Checked " in sent_before
    assert "combinations of answers" in sent_before
    assert "whatif-results" not in sent_before
    assert 'id="whatif-results"' in sent_after
    assert "Checked " not in sent_after

    body = sent_before + sent_after
    order = [
        'id="progress"',
        "Checked ",
        "</div>",
        'id="whatif-results"',
        'id="whatif-keys"',
        "Save this scenario",
    ]
    positions = [body.index(marker, body.index('id="progress"')) for marker in order]
    assert positions == sorted(positions)
    assert body.rstrip().endswith("</html>")


def test_a_what_ifs_result_cannot_be_read_before_its_progress():
    steps = Steps(iter([(1, 2, None), (2, 2, "the result")]))
    with pytest.raises(RuntimeError, match="before its progress"):
        _ = steps.result
    assert [(p.done, p.total, p.percent) for p in steps] == [(1, 2, 50)]
    assert steps.result == "the result"


@pytest.mark.parametrize(
    "url",
    [
        "/designer/programmes/no-such-programme",
        "/designer/programmes/no-such-programme/rules",
        "/designer/programmes/no-such-programme/what-if",
        "/designer/programmes/no-such-programme/equality-impact",
        "/designer/programmes/no-such-programme/equality-impact.pdf",
        "/designer/programmes/no-such-programme/export/groups.csv",
        f"{BASE}/export/no-such-table.csv",
        f"{BASE}/requirements/no-such-rule",
    ],
)
def test_what_is_not_there_is_the_sites_page_not_found(app, designer_client, url):
    response = designer_client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_deleting_a_scenario_that_is_not_there_is_not_found(app, designer_client):
    response = designer_client.post(f"{BASE}/scenarios/999/delete")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
