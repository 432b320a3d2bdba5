"""Consultation pages: a designer runs one from start to finish; participants join, add points and vote."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest
from flask import url_for
from sqlalchemy import func, select

from app.consultation import services
from app.consultation.models import Consultation, ConsultationItem, ConsultationParticipant, ConsultationVote
from app.extensions import db
from tests.app.consultation.conftest import item_ids, make_consultation
from tests.fixtures.pages import Pages, error_messages, summary_messages
from tests.fixtures.users import make_user, signed_in


def designer_pages(app) -> Pages:
    client = app.test_client()
    signed_in(client, make_user(role="designer"))
    return Pages(client)


def anonymous_pages(app) -> Pages:
    return Pages(app.test_client())


def join(pages: Pages, consultation: Consultation, staff_group: str = "clinical", **extra: str) -> None:
    pages.post(
        "consultation.join_with_code",
        {"staff_group": staff_group, **extra},
        code=consultation.code,
        redirects_to=f"/consultations/join/{consultation.code}/take-part",
    )


# --- The designer's side ------------------------------------------------------------------------------


def test_create_consultation_stores_it_as_a_draft_and_shows_its_code(app):
    pages = designer_pages(app)
    page = pages.get("consultation.create_consultation")
    assert page.select_one("#vote_budget")["value"] == "5"
    pages.post(
        "consultation.create_consultation",
        {
            "proposal": "Certify digital leaders",
            "framework_id": "",
            "vote_budget": "3",
            "several_votes_per_item": "no",
            "min_group": "4",
        },
        redirects_to="/consultations/1",
    )
    stored = db.session.scalars(select(Consultation)).one()
    assert (stored.phase, stored.vote_budget, stored.several_votes_per_item, stored.min_group) == (
        "draft",
        3,
        False,
        4,
    )
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{10}", stored.code)
    page = pages.get("consultation.manage", consultation_id=stored.id)
    assert services.show_code(stored.code) in page.text
    assert page.select_one("#phase-form button").text.strip() == "Open for ideas"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("proposal", "", "Enter what you are proposing"),
        ("vote_budget", "0", "The votes each person can spend must be between 1 and 100"),
        ("vote_budget", "five", "The votes each person can spend must be a whole number, like 3"),
        ("min_group", "", "Enter the smallest group shown separately"),
        (
            "several_votes_per_item",
            "maybe",
            "Select whether a person can put several votes on one item from the list",
        ),
        ("framework_id", "no-such-programme", "Select a programme from the list"),
    ],
)
def test_create_consultation_refuses_bad_answers_with_a_message(app, field, value, message):
    pages = designer_pages(app)
    data = {
        "proposal": "P",
        "framework_id": "",
        "vote_budget": "5",
        "several_votes_per_item": "yes",
        "min_group": "5",
    }
    page = pages.post("consultation.create_consultation", data | {field: value})
    assert error_messages(page)[field] == message
    assert summary_messages(page)[field] == message
    assert db.session.scalar(select(func.count()).select_from(Consultation)) == 0


def test_a_designer_runs_a_whole_consultation(app):
    designer = designer_pages(app)
    consultation = make_consultation(items=[("advantage", "Formalises a career path")])
    designer.post(
        "consultation.advance_phase",
        {"phase": "draft"},
        consultation_id=consultation.id,
        redirects_to=f"/consultations/{consultation.id}",
    )
    # Two people join and add points; one says the same as the other.
    people = [anonymous_pages(app) for _ in range(6)]
    for number, person in enumerate(people):
        join(person, consultation, "clinical" if number < 5 else "non-clinical")
    people[0].post(
        "consultation.add_idea",
        {"side": "disadvantage", "text": "Could exclude some people"},
        code=consultation.code,
        redirects_to=f"/consultations/join/{consultation.code}/take-part",
    )
    people[1].post(
        "consultation.add_idea",
        {"side": "disadvantage", "text": "Might exclude people"},
        code=consultation.code,
        redirects_to=f"/consultations/join/{consultation.code}/take-part",
    )
    ids = item_ids(consultation)
    designer.post(
        "consultation.merge_items",
        {"duplicate": str(ids["Might exclude people"]), "kept": str(ids["Could exclude some people"])},
        consultation_id=consultation.id,
        redirects_to=f"/consultations/{consultation.id}",
    )
    designer.post(
        "consultation.edit_item",
        {"side": "disadvantage", "text": "Could exclude some groups of staff"},
        consultation_id=consultation.id,
        item_id=ids["Could exclude some people"],
        redirects_to=f"/consultations/{consultation.id}",
    )
    kept = db.session.get(ConsultationItem, ids["Could exclude some people"])
    db.session.refresh(kept)
    assert (kept.text, kept.suggestions) == ("Could exclude some groups of staff", 2)
    designer.post(
        "consultation.advance_phase",
        {"phase": "gather"},
        consultation_id=consultation.id,
        redirects_to=f"/consultations/{consultation.id}",
    )
    career, excludes = ids["Formalises a career path"], ids["Could exclude some people"]
    for number, person in enumerate(people):
        page = person.get("consultation.take_part", code=consultation.code)
        assert page.select_one("#votes-left").text.strip() == "You have 5 of 5 votes left."
        votes = (
            {f"votes-{career}": "4", f"votes-{excludes}": "1"} if number < 5 else {f"votes-{excludes}": "5"}
        )
        person.post(
            "consultation.cast_votes",
            votes,
            code=consultation.code,
            redirects_to=f"/consultations/join/{consultation.code}/take-part",
        )
    page = people[0].get("consultation.take_part", code=consultation.code)
    assert page.select_one("#votes-left").text.strip() == "You have 0 of 5 votes left."
    assert page.select_one(f"#votes-{career}")["value"] == "4"
    designer.post(
        "consultation.advance_phase",
        {"phase": "vote"},
        consultation_id=consultation.id,
        redirects_to=f"/consultations/{consultation.id}/results",
    )
    page = designer.get("consultation.results", consultation_id=consultation.id)
    # 20 of 30 votes on advantages; 5 clinical people shown, the lone non-clinical person is not,
    # so the clinical group is hidden too (it would give the other away by subtraction).
    assert page.select_one("#reading p").text.strip() == (
        "67% of votes favour going ahead. Staff groups are not split out where that would show the votes "
        "of fewer than 5 people."
    )
    rows = [[c.text.strip() for c in row.select("th, td")] for row in page.select("#by-staff-group tbody tr")]
    assert rows == [
        ["Clinical staff", "not shown (small group)"],
        ["Non-clinical staff", "not shown (small group)"],
    ]
    assert page.select_one("svg[role=img] title").text.startswith("Force-field diagram")
    assert [li.text.split(" (")[0].strip() for li in page.select("#top-disadvantage li")] == [
        "Could exclude some groups of staff"
    ]
    pdf = designer.client.get(f"/consultations/{consultation.id}/results.pdf")
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")
    # The designer documents' pipeline: PDF/UA-1 with the language in the XMP.
    with pikepdf.open(io.BytesIO(pdf.data)) as document:
        xmp = document.Root.Metadata.read_bytes().decode()
    assert re.search(r"<dc:language>\s*<rdf:Bag>\s*<rdf:li>en-GB</rdf:li>", xmp), xmp
    assert re.search(r"pdfuaid:part(?:>|=\")1", xmp)


def test_results_split_groups_at_or_over_min_group(app):
    consultation = make_consultation(phase="vote", min_group=2)
    ids = item_ids(consultation)
    career, excludes = ids["Formalises a career path"], ids["Could exclude some people"]
    for staff_group, votes in [
        ("clinical", (3, 2)),
        ("clinical", (3, 2)),
        ("non-clinical", (5, 0)),
        ("non-clinical", (4, 1)),
    ]:
        person = anonymous_pages(app)
        join(person, consultation, staff_group)
        person.post(
            "consultation.cast_votes",
            {f"votes-{career}": str(votes[0]), f"votes-{excludes}": str(votes[1])},
            code=consultation.code,
            redirects_to=f"/consultations/join/{consultation.code}/take-part",
        )
    page = designer_pages(app).get("consultation.results", consultation_id=consultation.id)
    rows = [[c.text.strip() for c in row.select("th, td")] for row in page.select("#by-staff-group tbody tr")]
    assert rows == [["Clinical staff", "2", "10", "60%"], ["Non-clinical staff", "2", "10", "90%"]]
    gap = "Gap between groups: 30.0 percentage points (non-clinical staff 90%, clinical staff 60%)."
    assert gap in page.text
    assert page.select_one("#reading p").text.strip() == (
        "75% of votes favour going ahead; clinical staff 60%, non-clinical staff 90%."
    )


# --- Taking part ---------------------------------------------------------------------------------------


def test_join_by_code_accepts_lower_case_and_hyphens(app):
    consultation = make_consultation(phase="gather")
    pages = anonymous_pages(app)
    typed = services.show_code(consultation.code).lower()
    pages.post(
        "consultation.join", {"code": f" {typed} "}, redirects_to=f"/consultations/join/{consultation.code}"
    )


def test_an_unknown_code_gets_a_message_and_an_unknown_link_404(app):
    pages = anonymous_pages(app)
    page = pages.post("consultation.join", {"code": "ABCD-EFGH-JK"})
    assert (
        error_messages(page)["code"]
        == "No consultation has that code. Check it with the person running the session"
    )
    pages.get("consultation.join_with_code", code="ABCDEFGHJK", status=404)


@pytest.mark.app_config(RATELIMIT_ENABLED=True, CERTREADY_CONSULTATION_JOIN_LIMIT="3/minute")
def test_guessing_codes_is_rate_limited_but_a_room_joining_is_not(app):
    consultation = make_consultation(phase="gather")
    client = app.test_client()
    for _ in range(8):  # a whole room on one network, all with the right code
        assert client.get(f"/consultations/join/{consultation.code}").status_code == 200
    answers = [client.get("/consultations/join/ABCDEFGHJK").status_code for _ in range(4)]
    assert answers == [404, 404, 404, 429]


def test_joining_needs_a_staff_group(app):
    consultation = make_consultation(phase="gather")
    page = anonymous_pages(app).post(
        "consultation.join_with_code", {"working_pattern": "nights"}, code=consultation.code
    )
    assert error_messages(page) == {
        "staff_group": "Select your staff group, or prefer not to say",
        "working_pattern": "Select your working pattern from the list",
    }
    assert db.session.scalar(select(func.count()).select_from(ConsultationParticipant)) == 0


def test_a_draft_consultation_cannot_be_joined(app):
    consultation = make_consultation(phase="draft")
    page = anonymous_pages(app).get("consultation.join_with_code", code=consultation.code)
    assert page.h1.text == "This consultation has not opened yet"


def test_reloading_never_brings_a_second_budget(app):
    consultation = make_consultation(phase="vote")
    pages = anonymous_pages(app)
    join(pages, consultation, "prefer-not-to-say", working_pattern="part-time")
    # Coming back to the join link goes straight to voting, with the same participant.
    pages.get_redirect(
        "consultation.join_with_code",
        code=consultation.code,
        redirects_to=f"/consultations/join/{consultation.code}/take-part",
    )
    assert db.session.scalar(select(func.count()).select_from(ConsultationParticipant)) == 1
    # A forged cookie is worth nothing: no participant, back to the join page.
    stranger = app.test_client()
    stranger.set_cookie(
        "certready_consultations", "forged.value", domain="localhost.test", path="/consultations/join"
    )
    response = stranger.get(f"/consultations/join/{consultation.code}/take-part")
    assert response.status_code == 302
    assert response.location.endswith(f"/consultations/join/{consultation.code}")


def test_a_signed_in_person_is_known_by_their_account(app):
    consultation = make_consultation(phase="gather")
    person = make_user()
    first, second = app.test_client(), app.test_client()
    signed_in(first, person)
    join(Pages(first), consultation)
    signed_in(second, person)
    response = second.get(f"/consultations/join/{consultation.code}")
    assert response.status_code == 302
    stored = db.session.scalars(select(ConsultationParticipant)).one()
    assert (stored.user_id, stored.token_hash) == (person.id, None)


@pytest.mark.parametrize(
    ("votes", "message"),
    [
        ({"career": "4", "excludes": "2"}, "You have given 6 votes but have 5 to spend: take 1 away"),
        ({"career": "-1"}, "The votes for ‘Formalises a career path’ must be a whole number, like 3"),
        ({"career": "6"}, "The votes for ‘Formalises a career path’ must be between 0 and 5"),
    ],
)
def test_votes_over_budget_or_malformed_are_refused_and_nothing_changes(app, votes, message):
    consultation = make_consultation(phase="vote")
    ids = item_ids(consultation)
    names = {"career": ids["Formalises a career path"], "excludes": ids["Could exclude some people"]}
    pages = anonymous_pages(app)
    join(pages, consultation)
    page = pages.post(
        "consultation.cast_votes", {f"votes-{names[k]}": v for k, v in votes.items()}, code=consultation.code
    )
    assert message in error_messages(page).values()
    assert db.session.scalar(select(func.count()).select_from(ConsultationVote)) == 0


def test_one_vote_per_item_when_several_are_not_allowed(app):
    consultation = make_consultation(phase="vote", several=False)
    career = item_ids(consultation)["Formalises a career path"]
    pages = anonymous_pages(app)
    join(pages, consultation)
    page = pages.post("consultation.cast_votes", {f"votes-{career}": "2"}, code=consultation.code)
    assert (
        error_messages(page)[f"votes-{career}"]
        == "The votes for ‘Formalises a career path’ must be between 0 and 1"
    )


def test_votes_change_until_voting_closes_and_not_after(app):
    consultation = make_consultation(phase="vote")
    career = item_ids(consultation)["Formalises a career path"]
    pages = anonymous_pages(app)
    join(pages, consultation)
    target = f"/consultations/join/{consultation.code}/take-part"
    pages.post(
        "consultation.cast_votes", {f"votes-{career}": "5"}, code=consultation.code, redirects_to=target
    )
    pages.post(
        "consultation.cast_votes", {f"votes-{career}": "2"}, code=consultation.code, redirects_to=target
    )
    assert db.session.scalar(select(ConsultationVote.votes)) == 2
    consultation.phase = "closed"
    db.session.commit()
    pages.post(
        "consultation.cast_votes", {f"votes-{career}": "5"}, code=consultation.code, redirects_to=target
    )
    assert db.session.scalar(select(ConsultationVote.votes)) == 2
    page = pages.get("consultation.take_part", code=consultation.code)
    assert page.h1.text == "Voting has closed"


def test_a_stale_phase_button_does_not_skip_a_step(app):
    consultation = make_consultation(phase="vote")
    designer_pages(app).post(
        "consultation.advance_phase",
        {"phase": "draft"},
        consultation_id=consultation.id,
        redirects_to=f"/consultations/{consultation.id}",
    )
    db.session.refresh(consultation)
    assert consultation.phase == "vote"


def test_wording_cannot_change_once_voting_opens(app):
    consultation = make_consultation(phase="vote")
    career = item_ids(consultation)["Formalises a career path"]
    page = designer_pages(app).post(
        "consultation.edit_item",
        {"side": "advantage", "text": "Something else"},
        consultation_id=consultation.id,
        item_id=career,
    )
    assert error_messages(page)["text"].startswith("Wording can only change before voting opens")


def test_linking_rules_to_a_disadvantage_shows_their_titles(app):
    from assessments import risks

    consultation = make_consultation(phase="closed")
    excludes = item_ids(consultation)["Could exclude some people"]
    pages = designer_pages(app)
    rule = risks.RULES[0]
    page = pages.get("consultation.link_rules", consultation_id=consultation.id, item_id=excludes)
    assert rule.title in page.text
    assert rule.id not in page.select_one("main").text
    pages.post(
        "consultation.link_rules",
        {"rules": [rule.id]},
        consultation_id=consultation.id,
        item_id=excludes,
        redirects_to=f"/consultations/{consultation.id}/results",
    )
    assert services.links(consultation) == {excludes: [rule.id]}
    page = pages.post(
        "consultation.link_rules",
        {"rules": ["not-a-rule"]},
        consultation_id=consultation.id,
        item_id=excludes,
    )
    assert error_messages(page)["rules"] == "Select requirements from the list"


def test_exports_give_the_file_format_and_a_csv(app, tmp_path):
    consultation = make_consultation(phase="vote")
    career = item_ids(consultation)["Formalises a career path"]
    person = anonymous_pages(app)
    join(person, consultation, working_pattern="full-time")
    person.post(
        "consultation.cast_votes",
        {f"votes-{career}": "3"},
        code=consultation.code,
        redirects_to=f"/consultations/join/{consultation.code}/take-part",
    )
    pages = designer_pages(app)
    exported = pages.client.get(f"/consultations/{consultation.id}/consultation.yaml")
    from assessments.consultation import parse_consultation_bytes

    parsed = parse_consultation_bytes(exported.data, "export.yaml")
    assert parsed.participants[0].votes == {"formalises-a-career-path": 3}
    assert parsed.participants[0].working_pattern == "full-time"
    as_json = pages.client.get(f"/consultations/{consultation.id}/consultation.json")
    assert parse_consultation_bytes(as_json.data, "export.json") == parsed
    table = pages.client.get(f"/consultations/{consultation.id}/results.csv").get_data(as_text=True)
    assert "Formalises a career path" in table
    assert "Staff group,Clinical staff,,not shown" in table


@pytest.mark.parametrize(
    ("endpoint", "path", "mimetype", "filename"),
    [
        ("consultation.results_csv", "results.csv", "text/csv", "consultation-{id}-results.csv"),
        ("consultation.export_yaml", "consultation.yaml", "application/yaml", "consultation-{id}.yaml"),
        ("consultation.export_json", "consultation.json", "application/json", "consultation-{id}.json"),
        ("consultation.results_pdf", "results.pdf", "application/pdf", "consultation-{id}.pdf"),
    ],
)
def test_each_export_is_an_attachment_with_its_own_name_and_type(app, endpoint, path, mimetype, filename):
    consultation = make_consultation(phase="vote")
    pages = designer_pages(app)
    with app.test_request_context():
        url = url_for(endpoint, consultation_id=consultation.id)
    assert url == f"/consultations/{consultation.id}/{path}"
    response = pages.client.get(url)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    expected = filename.format(id=consultation.id)
    assert response.headers["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert response.data
    assert pages.client.get(f"/consultations/{consultation.id + 1000}/{path}").status_code == 404


def test_import_page_stores_a_file_and_refuses_a_bad_one(app):
    import io
    from pathlib import Path

    pages = designer_pages(app)
    bad = (
        b"proposal: P\nitems: [{id: a, side: advantage, text: A}]\n"
        b"participants: [{staff_group: clinical, votes: {a: 9}}]\n"
    )
    response = pages.client.post(
        "/consultations/import",
        data={"consultation_file": (io.BytesIO(bad), "w.yaml")},
        content_type="multipart/form-data",
    )
    assert "participant 1: spends 9 votes" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Consultation)) == 0
    example = (
        Path(__file__).resolve().parents[3] / "examples" / "consultation-certifying-digital-leaders.yaml"
    )
    response = pages.client.post(
        "/consultations/import",
        data={"consultation_file": (io.BytesIO(example.read_bytes()), example.name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    stored = db.session.scalars(select(Consultation)).one()
    page = pages.get("consultation.results", consultation_id=stored.id)
    assert page.select_one("#reading p").text.strip() == (
        "68% of votes favour going ahead; clinical staff 64%, non-clinical staff 70%."
    )


def test_erasing_an_account_unlinks_its_votes_and_keeps_the_results(app):
    from tests.fixtures.users import DEFAULT_PASSWORD

    consultation = make_consultation(phase="vote")
    career = item_ids(consultation)["Formalises a career path"]
    person = make_user()
    client = app.test_client()
    signed_in(client, person)
    pages = Pages(client)
    join(pages, consultation)
    pages.post(
        "consultation.cast_votes",
        {f"votes-{career}": "4"},
        code=consultation.code,
        redirects_to=f"/consultations/join/{consultation.code}/take-part",
    )
    assert client.post("/account/delete", data={"password": DEFAULT_PASSWORD}).status_code == 302
    db.session.expire_all()
    stored = db.session.scalars(select(ConsultationParticipant)).one()
    assert (stored.user_id, stored.votes_spent) == (None, 4)
    assert services.results(consultation).advantage_votes == 4


def test_a_consultation_holds_no_more_items_than_the_file_format(app, monkeypatch):
    from assessments import consultation as domain

    monkeypatch.setattr(domain, "MAX_ITEMS", 2)
    consultation = make_consultation(phase="gather")
    pages = anonymous_pages(app)
    join(pages, consultation)
    page = pages.post(
        "consultation.add_idea", {"side": "advantage", "text": "One more"}, code=consultation.code
    )
    assert error_messages(page)["text"].startswith("This consultation already has 2 points")
    assert len(item_ids(consultation)) == 2


def test_the_pdf_prints_what_people_wrote_as_text_never_as_markup(app):
    import io

    from pypdf import PdfReader

    hostile = '<img src="file:///etc/passwd"> <a href="http://example.invalid/">click</a>'
    consultation = make_consultation(phase="closed", items=[("disadvantage", hostile)])
    response = designer_pages(app).client.get(f"/consultations/{consultation.id}/results.pdf")
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert '<img src="file:///etc/passwd">' in text.replace("\n", " ")


def test_results_of_a_programmes_consultation_point_to_its_equality_impact_assessment(app):
    consultation = make_consultation(phase="closed")
    consultation.framework_id = "nhs-digital-academy-dhlp"
    db.session.commit()
    page = designer_pages(app).get("consultation.results", consultation_id=consultation.id)
    link = page.find("a", string="equality impact assessment")
    assert link["href"] == "/designer/programmes/nhs-digital-academy-dhlp/equality-impact"
