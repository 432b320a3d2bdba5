"""The drafted equality impact assessment: only the programme's requirements, NHS template shape,
plain words on every designer page, Word and PDF exports, synthetic cohorts marked, documents cached."""

from __future__ import annotations

import io
import random
import re
import typing

import pytest
from bs4 import BeautifulSoup
from docx import Document
from pdfminer.high_level import extract_text
from sqlalchemy import select

from app.designer import demo, eia, pdf, services
from app.designer.forms import ScenarioForm
from app.designer.models import DesignerScenario
from app.extensions import db
from app.journey.services import snapshot_for
from assessments import risks
from assessments.framework import shipped_frameworks
from assessments.profile import Profile
from tests.app.designer.conftest import PROGRAMME, add_people
from tests.fixtures.users import DEFAULT_PASSWORD

BASE = f"/designer/programmes/{PROGRAMME}"
SECTIONS = [
    "1. Summary",
    "2. Impact on each protected characteristic",
    "3. Impact on working patterns and circumstances",
    "4. Justification of each requirement",
    "5. Actions",
    "6. Monitoring",
    "7. Sign-off",
]


def _codes() -> set[str]:
    """Every stored code a designer must never read: hyphenated answer values, rule and category ids."""
    found: set[str] = set()
    for info in Profile.model_fields.values():
        stack = [info.annotation]
        while stack:
            annotation = stack.pop()
            if typing.get_origin(annotation) is typing.Literal:
                found.update(str(value) for value in typing.get_args(annotation))
            else:
                stack.extend(typing.get_args(annotation))
    found.update(rule.id for rule in risks.RULES)
    found.update(risks.CATEGORIES)
    found.add("not-answered")
    ordinary = {
        "part-time",
        "full-time",
        "self-employed",
        "non-clinical",
        "job-share",
        "shift-work",
        "start-up",
    }
    return {code for code in found if "-" in code and code not in ordinary}


def _wording_problems(text: str) -> list[str]:
    problems = [
        f"code {code!r}" for code in sorted(_codes()) if re.search(rf"(?<![\w-]){code}(?![\w-])", text)
    ]
    problems += [f"field path {m!r}" for m in re.findall(r"\b(?:delivery|eligibility)\.[a-z_]+", text)]
    problems += [f"double full stop near {m!r}" for m in re.findall(r".{0,20}\.\.(?!\.).{0,5}", text)]
    problems += [
        f"singular plural {m!r}"
        for m in re.findall(r"\b1 (?:hours|people|requirements|groups|percentage points|days|years)\b", text)
    ]
    return problems


def _visible_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "title", "desc"]):
        hidden.decompose()
    return soup.get_text(" ", strip=True)


@pytest.fixture
def cohort(app):
    """A real-looking cohort: part-time carers flagged for study time far more than full-time staff."""
    add_people(
        40,
        answers={"staff_group": "clinical", "contract": "part-time", "caring_responsibilities": True},
        equality={"sex": "female", "ethnic_group": "mixed"},
        flags={"study-time": "high"},
    )
    add_people(
        12,
        answers={"staff_group": "non-clinical", "contract": "part-time", "sector": "nhs-acute"},
        equality={"sex": "male", "ethnic_group": "white"},
        flags={"study-time": "medium"},
    )
    add_people(
        60,
        answers={"staff_group": "non-clinical", "contract": "full-time", "sector": "nhs-acute"},
        equality={"sex": "male", "ethnic_group": "white"},
        flags={},
    )


# --------------------------------------------------------------------------- which requirements


@pytest.mark.parametrize("framework_id", sorted(shipped_frameworks()))
def test_every_rule_that_fires_for_anyone_is_a_listed_requirement(framework_id):
    """The probe misses nothing: 400 plausible people never raise a flag the EIA would leave out."""
    framework = shipped_frameworks()[framework_id]
    listed = {requirement.id for requirement in eia.requirements(framework)}
    rng = random.Random(framework_id)
    for _ in range(400):
        answers, _equality = demo.synthetic_profile(rng)
        profile = Profile.model_validate(answers)
        fired = {flag.rule for flag in risks.evaluate(profile, framework) if flag.severity != "undetermined"}
        assert fired <= listed, fired - listed


def test_a_uk_programme_has_no_us_law_or_test_centre_requirement():
    dhlp = eia.requirements(shipped_frameworks()[PROGRAMME])
    assert {"us-content", "exam-centre-only"}.isdisjoint(r.id for r in dhlp)
    chime = {r.id: r for r in eia.requirements(shipped_frameworks()["chime-chcio"])}
    # CHCIO International is the international version (its content is not US law), but it is
    # sat at test centres: listed, in the rule's own words for this framework, never a field path.
    assert "us-content" not in chime
    assert "exam-centre-only" in chime
    assert "delivery." not in chime["exam-centre-only"].text
    assert all("delivery." not in r.text and "eligibility." not in r.text for r in dhlp)


def test_a_rule_the_cohort_carries_is_kept_even_if_the_framework_no_longer_has_it():
    framework = shipped_frameworks()[PROGRAMME]
    kept = eia.requirements(framework, flagged=["us-content"])
    assert "us-content" in {r.id for r in kept}


# --------------------------------------------------------------------------- the page


def test_eia_page_is_shaped_like_the_nhs_template(app, designer_client, cohort):
    html = designer_client.get(f"{BASE}/equality-impact").get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    headings = [h.get_text(" ", strip=True) for h in soup.select("main h2")]
    assert [h for h in headings if h[:1].isdigit()] == SECTIONS
    contents = [a["href"] for a in soup.select("#eia-contents a")]
    assert contents == [f"#{s['id']}" for s in soup.select("main section")]
    # The summary leads with who was counted and the biggest risk, in plain English.
    summary = soup.select_one("#summary").get_text(" ", strip=True)
    assert "112 people who agreed" in summary
    risks_list = [li.get_text(" ", strip=True) for li in soup.select("#eia-risks li")]
    assert risks_list
    assert risks_list[0].startswith("Study time needed is more than the time you have")
    assert "Part time" in " ".join(risks_list)
    # Only requirements the programme has: US law and test centres are not DHLP's.
    justified = [th.get_text(" ", strip=True) for th in soup.select("#justifications tbody th")]
    assert len(justified) == len(eia.requirements(shipped_frameworks()[PROGRAMME]))
    assert not any("US law" in row or "test centre" in row for row in justified)
    # Details work without JavaScript: each characteristic is a <details>.
    assert soup.select("#protected details.nhsuk-details")
    assert soup.select("#working details.nhsuk-details")
    # Actions with owner and date columns; sign-off with empty name and date.
    header = [th.get_text(strip=True) for th in soup.select("#eia-actions thead th")]
    assert header == ["Requirement", "Groups affected", "Action", "Owner", "Date"]
    assert len(soup.select("#sign-off-table tbody tr")) == len(eia.SIGN_OFF)
    assert not soup.select("#synthetic-cohort")  # real people: no synthetic mark


def test_designer_pages_read_in_plain_words(app, designer_client, cohort):
    urls = [
        f"{BASE}/equality-impact",
        f"{BASE}?by=contract",
        f"{BASE}?by=contract&and_by=caring",
        f"{BASE}?by=ethnic_group",
        f"{BASE}/rules",
        f"{BASE}/requirements/study-time",
    ]
    for url in urls:
        text = _visible_text(designer_client.get(url).get_data(as_text=True))
        assert _wording_problems(text) == [], url
    # Mixed is an ethnic group here, not a mix of learning routes, on every surface.
    page = _visible_text(designer_client.get(f"{BASE}/equality-impact").get_data(as_text=True))
    assert "Formal and informal routes (ethnic group)" not in page
    by_ethnic_group = _visible_text(designer_client.get(f"{BASE}?by=ethnic_group").get_data(as_text=True))
    assert "Mixed or multiple ethnic groups" in by_ethnic_group
    assert "Formal and informal routes" not in by_ethnic_group
    csv_text = designer_client.get(f"{BASE}/export/groups.csv?by=ethnic_group").text
    assert "Mixed or multiple ethnic groups" in csv_text
    assert "Formal and informal routes" not in csv_text
    # An intersection reads each part in its own question: part-time carers, not "part time × yes".
    crossed = _visible_text(designer_client.get(f"{BASE}?by=contract&and_by=caring").get_data(as_text=True))
    assert "Part time × Carers" in crossed


def test_wording_check_catches_what_the_issue_reported():
    assert _wording_problems("reads delivery.study_hours_per_week") != []
    assert _wording_problems("Bank-or-locum staff in nhs-acute trusts") != []
    assert _wording_problems("about 1 hours a week") != []
    assert _wording_problems("Not recorded yet.. ok") != []
    assert _wording_problems("Part-time staff: about 2 hours a week.") == []


# --------------------------------------------------------------------------- exports


def test_eia_word_document_has_the_sections_tables_and_figures(app, designer_client, cohort):
    response = designer_client.get(f"{BASE}/equality-impact.docx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "attachment" in response.headers["Content-Disposition"]
    document = Document(io.BytesIO(response.data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [h for h in headings if h[:1].isdigit()] == SECTIONS
    text = "\n".join(p.text for p in document.paragraphs)
    assert "112 people who agreed" in text
    assert "Synthetic demonstration data" not in text
    tables = {
        table.rows[0].cells[0].text + "|" + table.rows[0].cells[-1].text: table for table in document.tables
    }
    justification = tables["Requirement|Mitigations"]
    assert len(justification.rows) == 1 + len(eia.requirements(shipped_frameworks()[PROGRAMME]))
    actions = tables["Requirement|Date"]
    assert [c.text for c in actions.rows[0].cells] == [
        "Requirement",
        "Groups affected",
        "Action",
        "Owner",
        "Date",
    ]
    assert all(row.cells[3].text == "" and row.cells[4].text == "" for row in actions.rows[1:])
    signoff = tables["Role|Date"]
    assert [row.cells[0].text for row in signoff.rows[1:]] == list(eia.SIGN_OFF)
    # Figures: the working-pattern table carries the same flag rates as the page.
    impact_rows = [
        [cell.text for cell in row.cells]
        for table in document.tables
        if table.rows[0].cells[2].text == "Evidence"
        for row in table.rows[1:]
    ]
    study = [row for row in impact_rows if row[0] == "Study time needed is more than the time you have"]
    assert any(
        "Part time: 100% flagged, against 0% of the reference group (Full time)" in row[2] for row in study
    )
    page = designer_client.get(f"{BASE}/equality-impact").get_data(as_text=True)
    assert "Part time: 100% flagged, against 0% of the reference group (Full time)" in page


def test_synthetic_cohorts_are_marked_on_every_page_and_file(app, designer_client):
    framework = shipped_frameworks()[PROGRAMME]
    demo.generate(framework, snapshot_for(framework).id, 80, seed=11)
    db.session.commit()
    for url in (BASE, f"{BASE}/equality-impact", f"{BASE}/rules"):
        soup = BeautifulSoup(designer_client.get(url).get_data(as_text=True), "html.parser")
        assert soup.select_one("#synthetic-cohort"), url
    for table in ("groups", "flags", "rules", "equality-impact"):
        lines = designer_client.get(f"{BASE}/export/{table}.csv").text.splitlines()
        assert lines[0].startswith("data,"), table
        assert all(line.startswith("synthetic demonstration data,") for line in lines[1:]), table
    docx = Document(io.BytesIO(designer_client.get(f"{BASE}/equality-impact.docx").data))
    assert "Synthetic demonstration data" in "\n".join(p.text for p in docx.paragraphs)
    for url in (f"{BASE}/equality-impact.pdf", f"{BASE}/report.pdf"):
        text = extract_text(io.BytesIO(designer_client.get(url).data))
        assert "Synthetic demonstration data" in text, url


def test_designer_documents_are_cached_until_the_cohort_changes(app, designer_client, cohort, monkeypatch):
    calls: list[str] = []
    real = pdf.render

    def counting(template, **context):
        calls.append(template)
        return real(template, **context)

    monkeypatch.setattr(pdf, "render", counting)
    first = designer_client.get(f"{BASE}/equality-impact.pdf").data
    second = designer_client.get(f"{BASE}/equality-impact.pdf").data
    assert first == second
    assert calls == ["designer/equality-impact-pdf.html"]
    designer_client.get(f"{BASE}/report.pdf?by=contract")
    designer_client.get(f"{BASE}/report.pdf?by=contract")
    assert calls.count("designer/report-pdf.html") == 1
    # Someone new is counted: the next download is made afresh.
    add_people(10, answers={"staff_group": "clinical", "contract": "full-time"}, flags={})
    designer_client.get(f"{BASE}/equality-impact.pdf")
    assert calls.count("designer/equality-impact-pdf.html") == 2
    # A justification is recorded: the Word file changes too.
    designer_client.get(f"{BASE}/equality-impact.docx")  # cached before the change
    designer_client.post(
        f"{BASE}/requirements/study-time",
        data={
            "legitimate_aim": "Depth of study",
            "proportionality": "Part-time route offered",
            "mitigations": "",
        },
    )
    after = Document(io.BytesIO(designer_client.get(f"{BASE}/equality-impact.docx").data))
    assert "Depth of study" in "\n".join(cell.text for t in after.tables for r in t.rows for cell in r.cells)


def test_cohort_state_changes_when_equality_answers_are_erased(app, cohort):
    from app.models import User
    from app.privacy import services as privacy

    before = services.cohort_state(PROGRAMME)
    person = db.session.scalars(select(User).where(User.email.like("cohort-%"))).first()
    privacy.erase_equality_answers(person)
    assert services.cohort_state(PROGRAMME) != before


# --------------------------------------------------------------------------- sign-in and what-if


@pytest.mark.parametrize(
    ("role", "lands_on"),
    [("designer", "/designer/"), ("admin", "/designer/"), ("participant", "/assessments/")],
)
def test_sign_in_lands_on_the_home_for_the_role(app, client, make_user, role, lands_on):
    user = make_user(role=role)
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response.location.endswith(lands_on)


def test_what_if_results_offer_saving_and_refuse_an_empty_name(app, designer_client):
    framework = shipped_frameworks()[PROGRAMME]
    demo.generate(framework, snapshot_for(framework).id, 60, seed=4)
    data = ScenarioForm.prefill(framework, "contract") | {"in_person_days": "0"}
    body = designer_client.post(f"{BASE}/what-if", data=data).get_data(as_text=True)
    soup = BeautifulSoup(body, "html.parser")
    # The progress comes first and is hidden by the stylesheet once the results follow it.
    progress, results = soup.select_one("#progress"), soup.select_one("#whatif-results")
    assert "whatif-progress" in progress["class"]
    assert "whatif-results" in results["class"]
    assert progress.find_next_sibling(id="whatif-results") is not None
    assert results.select_one("#whatif-keys")
    form = results.select_one("#save-scenario-form")
    assert form.select_one("button").get_text(strip=True) == "Save this scenario"
    carried = {i["name"]: i["value"] for i in form.select("input[type=hidden]") if i["name"] != "csrf_token"}
    assert carried["in_person_days"] == "0"
    for name in ("", "   "):
        page = designer_client.post(f"{BASE}/scenarios", data=carried | {"name": name})
        assert page.status_code == 200
        assert "Enter a name for the scenario" in page.get_data(as_text=True)
    assert db.session.scalars(select(DesignerScenario)).first() is None
    saved = designer_client.post(f"{BASE}/scenarios", data=carried | {"name": "Fully online"})
    assert saved.status_code == 302
    assert db.session.scalars(select(DesignerScenario)).one().changes["delivery"] == {"in_person_days": 0.0}


def test_scenario_changes_read_as_the_form_asks_them(app, designer_client):
    framework = shipped_frameworks()[PROGRAMME]
    demo.generate(framework, snapshot_for(framework).id, 40, seed=8)
    data = ScenarioForm.prefill(framework, "contract") | {
        "protected_time_fte": "0",
        "sectors": ["nhs-acute", "social-care"],
        "name": "Open to social care",
    }
    assert designer_client.post(f"{BASE}/scenarios", data=data).status_code == 302
    text = _visible_text(designer_client.get(f"{BASE}/scenarios").get_data(as_text=True))
    assert "Protected time required (share of full time, 0 to 1): 0" in text
    assert "Sectors accepted: NHS acute trust, Social care" in text
    assert _wording_problems(text) == []
    assert "Protected time fte" not in text


def test_a_requirement_that_excludes_almost_everyone_is_named_as_such(app, designer_client):
    for contract, flagged, clear in (("part-time", 110, 10), ("full-time", 108, 12)):
        answers = {"staff_group": "clinical", "contract": contract}
        add_people(flagged, answers=answers, flags={"study-time": "high"})
        add_people(clear, answers=answers, flags={})
    draft = eia.draft(shipped_frameworks()[PROGRAMME], 10)
    working = {c.key: c for c in draft.working}["contract"]
    (line,) = [line for line in working.lines if line.requirement.id == "study-time"]
    assert line.direction == "everyone"
    assert line.direction_label == "Negative for almost everyone, whatever their group"
    assert "90% to 92% of each group shown" in line.evidence
    assert draft.risks[0].startswith("Study time needed is more than the time you have: The requirement")
    assert sum("Study time needed" in sentence for sentence in draft.risks) == 1
    (action,) = [a for a in draft.actions if a.requirement.id == "study-time"]
    assert action.groups == (eia.EVERYONE,)
