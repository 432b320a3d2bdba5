"""Who may see designer pages, recording submissions, what-if against the engine, uploads."""

from __future__ import annotations

import io
from collections import defaultdict

import pytest
from flask import url_for
from sqlalchemy import select

from app.designer import demo, queries, services, whatif
from app.designer.fields import keys_in_mask, masks_for
from app.designer.forms import ScenarioForm
from app.designer.models import CohortRecord, DesignerScenario
from app.extensions import db
from app.journey.services import snapshot_for
from app.models import Assessment, FrameworkSnapshot, Profile, User
from assessments import risks
from assessments.framework import shipped_frameworks
from assessments.profile import Profile as ProfileAnswers
from tests.app.designer.conftest import PROGRAMME, add_people, scored_assessment


def _designer_urls(app) -> list[tuple[str, str]]:
    values = {"framework_id": PROGRAMME, "table": "groups", "scenario_id": 1, "rule_id": "residential-stays"}
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("designer."):
            continue
        url = url_for(rule.endpoint, **{key: values[key] for key in rule.arguments})
        urls += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return urls


def test_every_designer_url_is_403_for_a_participant(app, participant_client):
    urls = _designer_urls(app)
    assert len(urls) >= 15
    for method, url in urls:
        assert participant_client.open(url, method=method).status_code == 403, (method, url)


def test_every_designer_url_sends_an_anonymous_visitor_to_sign_in(app, client):
    for method, url in _designer_urls(app):
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert "/login" in response.location


def test_every_designer_view_declares_its_roles(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("designer."):
            view = app.view_functions[rule.endpoint]
            assert getattr(view, "required_roles", None) == ("designer", "admin"), rule.endpoint


@pytest.mark.parametrize("role", ["designer", "admin"])
def test_staff_see_the_programme_list(app, make_user, signed_in, pages, role):
    pages.client = signed_in(app.test_client(), make_user(role=role))
    page = pages.get("designer.index")
    assert page.select_one(f"#programme-{PROGRAMME}") is not None


def _submitted(user: User, answers: dict, score: float, flags: list[dict]) -> Assessment:
    return scored_assessment(user, answers, score, flags, equality={"sex": "female"}, band="developing")


def test_record_submission_keeps_only_the_latest_per_programme(app, make_user):
    user = make_user()
    db.session.add(Profile(user_id=user.id, answers={}, equality={}, consent_aggregate=True))
    flag = {"rule": "residential-stays", "category": "attendance", "severity": "high"}
    first = services.record_submission(_submitted(user, {"staff_group": "clinical"}, 40.0, [flag]))
    db.session.commit()
    second = services.record_submission(
        _submitted(user, {"staff_group": "clinical", "contract": "part-time"}, 55.0, [])
    )
    db.session.commit()
    rows = {row.id: row for row in db.session.scalars(select(CohortRecord))}
    assert rows[first.id].is_latest is False
    assert rows[second.id].is_latest is True
    assert rows[second.id].consented is True  # copied from the profile when the row is written
    assert rows[first.id].high_mask != 0
    assert rows[second.id].flag_mask == 0
    assert (rows[second.id].contract, rows[second.id].sex, rows[second.id].answer_count) == (
        "part-time",
        "female",
        5,
    )


def test_record_submission_of_someone_who_has_not_consented_is_not_counted(app, make_user):
    user = make_user()
    db.session.add(Profile(user_id=user.id, answers={}, equality={}, consent_aggregate=False))
    record = services.record_submission(_submitted(user, {"staff_group": "clinical"}, 40.0, []))
    db.session.commit()
    assert record.consented is False
    assert queries.group_counts(PROGRAMME, "contract") == []


def test_deleting_the_account_removes_cohort_rows(app, make_user):
    user = make_user()
    db.session.add(Profile(user_id=user.id, answers={}, equality={}, consent_aggregate=True))
    services.record_submission(_submitted(user, {"staff_group": "clinical"}, 40.0, []))
    db.session.commit()
    db.session.delete(user)
    db.session.commit()
    assert db.session.scalars(select(CohortRecord)).all() == []


def test_what_if_matches_re_running_the_engine_for_every_person(app):
    framework = shipped_frameworks()[PROGRAMME]
    demo.generate(framework, snapshot_for(framework).id, 400, seed=7)
    changes = {
        "delivery": {
            "part_time_pathway": True,
            "residential": False,
            "in_person_days": 2.0,
            "bursaries": True,
        },
        "eligibility": {"min_qualification": "none", "recognises_prior_learning": True},
    }
    modified = whatif.apply_changes(framework, changes)
    result = whatif.run(framework, modified, "contract", min_cell=1)
    expected_after: dict[tuple[str, str], int] = defaultdict(int)
    expected_lost: dict[tuple[str, str], int] = defaultdict(int)
    for answers in db.session.scalars(select(Profile.answers)):
        profile = ProfileAnswers.model_validate(answers)
        before = keys_in_mask(*masks_for(f.to_dict() for f in risks.evaluate(profile, framework))[:2])
        after = keys_in_mask(*masks_for(f.to_dict() for f in risks.evaluate(profile, modified))[:2])
        group = answers.get("contract", "not-answered")
        for key in after:
            expected_after[(group, key)] += 1
        for key in before - after:
            expected_lost[(group, key)] += 1
    assert result.participants == 400
    sizes = {summary.group: summary.n for summary in result.after.groups}
    for change in result.groups:
        assert change.lost == expected_lost[(change.group, change.key)], change
        if change.rate_after is not None:
            assert change.rate_after * sizes[change.group] == pytest.approx(
                expected_after[(change.group, change.key)]
            )
    assert any(change.lost for change in result.groups), "the redesign should remove some flags"


def test_what_if_page_streams_progress_and_figures(app, designer_client):
    framework = shipped_frameworks()[PROGRAMME]
    demo.generate(framework, snapshot_for(framework).id, 120, seed=3)
    data = ScenarioForm.prefill(framework, "contract") | {"part_time_pathway": "yes"}
    response = designer_client.post(f"/designer/programmes/{PROGRAMME}/what-if", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Checked " in body
    assert "combinations of answers" in body
    assert 'id="whatif-keys"' in body
    assert "Part-time pathway: yes" in body
    # Hidden figures in the flags table are explained once, in words, and only when there are any.
    keys_table = body.split('id="whatif-keys"', 1)[1].split("</table>", 1)[0]
    assert "not shown (small numbers)" in keys_table
    assert body.count('id="whatif-hidden-note"') == 1
    assert "figures after the change are not shown either" in body


def test_a_what_if_with_nothing_hidden_has_no_note_about_hidden_figures(app, designer_client):
    framework = shipped_frameworks()[PROGRAMME]
    demo.generate(framework, snapshot_for(framework).id, 40, seed=3)
    app.config["CERTREADY_MIN_CELL"] = 1
    app.config["CERTREADY_MIN_CELL_FLOOR"] = 1
    data = ScenarioForm.prefill(framework, "contract") | {"part_time_pathway": "yes"}
    body = designer_client.post(f"/designer/programmes/{PROGRAMME}/what-if", data=data).get_data(as_text=True)
    assert 'id="whatif-keys"' in body
    assert "not shown (small numbers)" not in body
    assert 'id="whatif-hidden-note"' not in body


def test_saving_and_exporting_a_scenario(app, designer_client):
    framework = shipped_frameworks()[PROGRAMME]
    demo.generate(framework, snapshot_for(framework).id, 60, seed=5)
    data = ScenarioForm.prefill(framework, "contract") | {"in_person_days": "0", "name": "Fully online"}
    response = designer_client.post(f"/designer/programmes/{PROGRAMME}/scenarios", data=data)
    assert response.status_code == 302
    saved = db.session.scalars(select(DesignerScenario)).one()
    assert saved.changes == {"delivery": {"in_person_days": 0.0}, "eligibility": {}}
    text = designer_client.get(f"/designer/programmes/{PROGRAMME}/export/scenarios.csv").text
    # A demo cohort: every row says the figures are synthetic.
    assert text.splitlines()[0].startswith("data,scenario,framework version,changes")
    assert text.splitlines()[1].startswith("synthetic demonstration data,")
    assert "Fully online" in text


def test_what_if_form_rejects_bad_numbers_with_clear_messages(app, designer_client, pages):
    framework = shipped_frameworks()[PROGRAMME]
    pages.client = designer_client
    data = ScenarioForm.prefill(framework, "contract") | {"in_person_days": "lots", "protected_time_fte": "2"}
    page = pages.post(f"/designer/programmes/{PROGRAMME}/what-if", data)
    errors = {link["href"]: link.get_text(strip=True) for link in page.select(".nhsuk-error-summary a")}
    assert errors["#in_person_days"] == "The in-person days must be a number, like 5 or 2.5"
    assert errors["#protected_time_fte"] == "The protected time must be between 0 and 1"


VALID = shipped_frameworks()[PROGRAMME].model_dump(mode="json")


def _upload(client, text: str, name: str = "framework.yaml"):
    return client.post(
        "/designer/upload",
        data={"framework_file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        ("id: [unclosed", "bad.yaml", "bad.yaml: not valid YAML"),
        ("id: x\n", "small.yaml", "small.yaml: "),
        ("", "empty.yaml", "empty.yaml: the file is empty"),
        ("id: x", "notes.txt", "The framework file must be a YAML file ending in .yaml or .yml"),
        ("!!python/object:os.system {}", "tag.yaml", "tag.yaml: not valid YAML"),
    ],
)
def test_upload_shows_clear_errors(app, designer_client, pages, text, name, message):
    response = _upload(designer_client, text, name)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert (
        db.session.scalars(select(FrameworkSnapshot).where(FrameworkSnapshot.uploaded.is_(True))).all() == []
    )


def test_a_changed_upload_needs_a_new_version_and_becomes_current(app, designer_client):
    import yaml

    changed = dict(VALID) | {"summary": "A changed summary for the test."}
    response = _upload(designer_client, yaml.safe_dump(changed))
    assert "give the changed file a new version" in response.get_data(as_text=True)
    response = _upload(designer_client, yaml.safe_dump(changed | {"version": "2027.1"}))
    assert response.status_code == 302
    assert services.programme(PROGRAMME).version == "2027.1"
    stored = db.session.scalars(select(FrameworkSnapshot).where(FrameworkSnapshot.uploaded.is_(True))).one()
    assert stored.version == "2027.1"


def test_justification_is_saved_and_appears_in_the_eia_csv(app, designer_client):
    add_people(
        12, answers={"staff_group": "clinical", "contract": "part-time"}, flags={"residential-stays": "high"}
    )
    add_people(12, answers={"staff_group": "clinical", "contract": "full-time"})
    response = designer_client.post(
        f"/designer/programmes/{PROGRAMME}/requirements/residential-stays",
        data={
            "legitimate_aim": "Peer learning in person",
            "proportionality": "Two days only",
            "mitigations": "Carer costs",
        },
    )
    assert response.status_code == 302
    text = designer_client.get(f"/designer/programmes/{PROGRAMME}/export/equality-impact.csv").text
    line = next(line for line in text.splitlines() if "Overnight stays" in line and "Working pattern" in line)
    assert "Legitimate aim: Peer learning in person" in line
    assert "Carer costs" in line
    assert ",Part time," in line
    assert ",Negative," in line
