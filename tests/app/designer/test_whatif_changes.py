"""A what-if change to the membership words carries the bodies those words name."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from werkzeug.datastructures import MultiDict

from app.designer.fields import DEFAULT_GROUPING
from app.designer.forms import ScenarioForm
from app.designer.whatif import apply_changes, describe_changes
from assessments.framework import shipped_frameworks


@pytest.mark.parametrize(
    ("words", "bodies", "others"),
    [
        ("BCS, The Chartered Institute for IT", ["bcs"], False),
        ("CHIME International", ["chime-international"], False),
        ("A local leadership network", [], True),
    ],
)
def test_new_membership_words_replace_the_frameworks_bodies(app, words, bodies, others):
    framework = shipped_frameworks()["chime-chcio"]
    assert framework.eligibility.membership_bodies == ("chime", "chime-international")
    data = ScenarioForm.prefill(framework, "contract") | {"membership_required": words}
    with app.test_request_context():
        form = ScenarioForm(MultiDict(data), meta={"csrf": False})
        assert form.validate(), form.errors
        changes = form.changes(framework)
    assert changes["eligibility"]["membership_required"] == words
    assert changes["eligibility"]["membership_bodies"] == bodies
    assert changes["eligibility"].get("membership_other_bodies", False) is others
    assert apply_changes(framework, changes).eligibility.membership_bodies == tuple(bodies)
    assert describe_changes(changes) == [f"{ScenarioForm.membership_required.args[0]}: {words}"]


def test_unchanged_or_cleared_membership_words_keep_or_drop_the_requirement(app):
    framework = shipped_frameworks()["chime-chcio"]
    data = ScenarioForm.prefill(framework, "contract")
    with app.test_request_context():
        form = ScenarioForm(MultiDict(data), meta={"csrf": False})
        assert form.validate(), form.errors
        assert "membership_bodies" not in form.changes(framework)["eligibility"]
        cleared = ScenarioForm(MultiDict(data | {"membership_required": ""}), meta={"csrf": False})
        assert cleared.validate(), cleared.errors
        assert cleared.changes(framework)["eligibility"]["membership_required"] is None


@pytest.mark.parametrize(
    ("query", "chosen"),
    [("?by=nation", "nation"), ("?by=no-such-grouping", DEFAULT_GROUPING), ("", DEFAULT_GROUPING)],
)
def test_what_if_page_starts_with_the_grouping_asked_for_or_the_default(designer_client, query, chosen):
    page = designer_client.get(f"/designer/programmes/chime-chcio/what-if{query}")
    assert page.status_code == 200
    selected = BeautifulSoup(page.get_data(as_text=True), "html.parser").select("#grouping option[selected]")
    assert [option["value"] for option in selected] == [chosen]
