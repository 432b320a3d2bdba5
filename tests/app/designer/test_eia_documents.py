"""The EIA's PDF and Word file carry every figure of the draft, whatever their layout.

The PDF lists each requirement's impact at full width (faster to lay out than five narrow
columns) and the Word file is written as WordprocessingML directly (faster than python-docx's
per-paragraph style look-ups); both must still say everything the page says.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from docx import Document
from pdfminer.high_level import extract_text

from app.designer import documents, eia, services
from tests.app.designer.conftest import PROGRAMME, add_people

BASE = f"/designer/programmes/{PROGRAMME}"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def cohort(app):
    add_people(
        40,
        answers={"staff_group": "clinical", "contract": "part-time", "caring_responsibilities": True},
        equality={"sex": "female", "ethnic_group": "mixed"},
        flags={"study-time": "high", "residential-stays": "medium"},
    )
    add_people(
        25,
        answers={"staff_group": "non-clinical", "contract": "full-time"},
        equality={"sex": "male", "ethnic_group": "white"},
        flags={"residential-stays": "high"},
    )
    add_people(60, answers={"staff_group": "non-clinical", "contract": "full-time"}, equality={"sex": "male"})


def _notable_lines(draft: eia.Draft) -> list[eia.ImpactLine]:
    return [line for c in (*draft.protected, *draft.working) for line in c.notable]


def test_the_pdf_says_every_figure_of_the_draft(app, designer_client, cohort):
    draft = eia.draft(services.programme(PROGRAMME), 10)
    lines = _notable_lines(draft)
    assert lines, "the cohort should give the EIA something to say"
    text = _flat(extract_text(io.BytesIO(designer_client.get(f"{BASE}/equality-impact.pdf").data)))
    for line in lines:
        assert _flat(f"{line.requirement.title}: {line.direction_label}") in text
        assert _flat(f"Evidence: {line.evidence}") in text
        if line.size != "–":
            assert _flat(f"Size: {line.size}.") in text
        assert _flat(f"Confidence: {line.confidence}") in text
    for c in (*draft.protected, *draft.working):
        assert _flat(f"{c.label}: {c.summary}") in text
        if c.quiet_text:
            assert _flat(c.quiet_text) in text
    for section in ("1. Summary", "5. Actions", "6. Monitoring", "7. Sign-off"):
        assert section in text


def test_the_word_file_has_one_impact_row_per_notable_line(app, designer_client, cohort):
    draft = eia.draft(services.programme(PROGRAMME), 10)
    document = Document(io.BytesIO(designer_client.get(f"{BASE}/equality-impact.docx").data))
    rows = [
        [cell.text for cell in row.cells]
        for table in document.tables
        if [cell.text for cell in table.rows[0].cells] == documents.IMPACT_COLUMNS
        for row in table.rows[1:]
    ]
    expected = [
        [line.requirement.title, line.direction_label, line.evidence, line.size, line.confidence]
        for line in _notable_lines(draft)
    ]
    assert rows == expected
    # Headings keep the template's styles, so Word's navigation pane lists the sections.
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "Caption", "List Bullet"} <= styles
    # Header rows repeat on each page and are bold.
    first = document.tables[0].rows[0]
    assert first._tr.trPr is not None
    assert first._tr.trPr.find(f"{{{W}}}tblHeader") is not None
    assert all(run.bold for cell in first.cells for run in cell.paragraphs[0].runs)


def test_a_justification_with_line_breaks_and_control_characters_goes_into_the_word_file(app, designer):
    services.save_justification(
        designer,
        PROGRAMME,
        "study-time",
        legitimate_aim="Depth of study\nover a year <and> more & more",
        proportionality="Part-time \x01route",
        mitigations="",
    )
    data = documents.eia_docx(eia.draft(services.programme(PROGRAMME), 10), today=date.today().isoformat())
    cells = [
        cell.text for table in Document(io.BytesIO(data)).tables for row in table.rows for cell in row.cells
    ]
    assert "Depth of study\nover a year <and> more & more" in cells
    assert "Part-time \ufffdroute" in cells


def test_every_requirement_too_few_to_tell_is_said_once():
    requirement = eia.Requirement(rule=eia.risks.RULES[0], text="x")
    unknown = eia.ImpactLine(requirement, "not-known", "", "–", "", ())
    clear = eia.ImpactLine(requirement, "neutral", "", "–", "", ())
    assert (
        eia.Characteristic("sex", "Sex", True, (unknown, unknown, unknown)).quiet_text
        == "Too few people in each group to tell for any of the 3 requirements."
    )
    title = requirement.title
    assert eia.Characteristic("sex", "Sex", True, (clear, unknown)).quiet_text == (
        f"No clear difference between groups for: {title}. Too few people in each group to tell for: {title}."
    )
    assert eia.Characteristic("sex", "Sex", True, ()).quiet_text == ""


def test_cached_documents_are_keyed_by_the_code_that_counts_and_words_them():
    """A release that changes suppression, statistics, wording or cohort rows makes every file again."""
    names = {path.relative_to(documents.ROOT).as_posix() for path in documents.fingerprinted_sources()}
    for expected in (
        "assessments/cohort.py",
        "app/designer/eia.py",
        "app/designer/analytics.py",
        "templates/designer/_eia-sections.html",
        "templates/designer/equality-impact-pdf.html",
        "app/migrations/versions/0010_cohort_version.py",
    ):
        assert expected in names
