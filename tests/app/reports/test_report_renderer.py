"""The PDF says what the result says: read back with pypdf, not by inspecting our HTML."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from app.reports import renderer
from app.reports.renderer import ReportError, ReportInputs
from tests.app.reports.report_builders import FLAGS, framework, inputs, result

LONG_EVIDENCE = " ".join(f"word{n:04d}" for n in range(700)) + " END-OF-LONG-EVIDENCE"
UNBROKEN = "z" * 1500
HOSTILE = '<script>alert(1)</script> & <b>bold</b> "quoted"'


def _flat(text: str) -> str:
    """Text with all whitespace removed, so line and page breaks do not matter."""
    return re.sub(r"\s+", "", text)


def _read(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def sample():
    fw = framework(domains=5, per_domain=4)
    report_inputs = inputs(
        fw,
        levels={"d1.c1": None, "d2.c2": 4},
        evidence={"d1.c2": LONG_EVIDENCE, "d1.c3": UNBROKEN, "d2.c1": HOSTILE},
    )
    pdf = renderer.render_report(report_inputs)
    reader, text = _read(pdf)
    return report_inputs, pdf, reader, text


def test_report_shows_score_band_and_cover_facts(sample):
    _report_inputs, _, reader, text = sample
    assert "63 out of 100" in text
    assert "63.4" not in text  # a self-rating does not justify a decimal place
    assert "Developing" in text
    for fact in ("Alex Example", "Digital Leaders Programme", "Test Academy", "2026.1", "25 November 2026"):
        assert fact in text
    cover = reader.pages[0].extract_text()
    assert cover.count("Digital Leaders Programme") == 1, "the cover names the programme once"
    assert cover.count("Test Academy") == 1, "the cover names the provider once"
    assert "CR-000123" in text


def test_report_lists_every_criterion_with_rating_required_and_gap(sample):
    report_inputs, _, _, text = sample
    flat = _flat(text)
    for criterion in report_inputs.result["criteria"]:
        assert _flat(criterion["title"]) in flat, criterion["title"]
    assert "No opportunity yet" in text
    assert "4 – Expert" in text
    assert "3 levels short" in text
    assert "Met" in text


def _in_order(words: list[str], text: str) -> bool:
    """Every word appears, in order (page headers and footers may sit between them)."""
    position = 0
    for word in words:
        position = text.find(word, position)
        if position < 0:
            return False
        position += len(word)
    return True


def test_report_prints_long_evidence_whole_and_escaped(sample):
    _, _, _, text = sample
    flat = _flat(text)
    assert _in_order(_flat(LONG_EVIDENCE.replace(" ", "|")).split("|"), flat)
    assert UNBROKEN in flat
    assert _flat(HOSTILE) in flat


def test_report_shows_every_flag_with_mitigations_or_none_found(sample):
    _, _, _, text = sample
    flat = _flat(text)
    for flag in FLAGS:
        assert _flat(flag["requirement"]) in flat
        assert _flat(flag["circumstance"]) in flat
        for mitigation in flag["mitigations"]:
            assert _flat(mitigation) in flat
    assert "High risk" in text
    assert "None found" in text


def test_report_has_plan_actions_estimates_and_about(sample):
    report_inputs, _, _, text = sample
    flat = _flat(text)
    for priority in report_inputs.result["priorities"]:
        criterion = report_inputs.framework.criteria_by_id[priority["id"]]
        for action in criterion.actions:
            assert _flat(action) in flat
    assert "Other Leadership Award" in text
    assert "Estimate" in text
    assert "Your result (this assessment)" in text
    assert "https://example.org/handbook.pdf" in text
    assert _flat("is never used to work out your readiness") in flat


def test_report_is_a4_multi_page_with_page_x_of_y(sample):
    _, _, reader, text = sample
    pages = len(reader.pages)
    assert pages > 1
    assert f"Page 2 of {pages}" in text
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)


def test_report_is_tagged_pdf_ua_with_title_and_language(sample):
    _, _pdf, reader, _ = sample
    assert reader.metadata.title == "Readiness report: Digital Leaders Programme – CR-000123"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfuaid:part(?:>|=\")1", xmp), xmp[:400]


def _alt_texts(node, found: list[str], depth: int = 0) -> None:
    if depth > 60:
        return
    node = node.get_object()
    if isinstance(node, dict):
        if "/Alt" in node:
            found.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                _alt_texts(kid, found, depth + 1)
    elif isinstance(node, list):
        for kid in node:
            _alt_texts(kid, found, depth + 1)


def test_charts_keep_their_text_alternative_in_the_tagged_pdf(sample):
    report_inputs, _, reader, _ = sample
    alts: list[str] = []
    _alt_texts(reader.trailer["/Root"]["/StructTreeRoot"], alts)
    first_domain = report_inputs.result["readiness"]["domains"][0]
    assert any(alt.startswith("Bar chart of the average of your ratings") for alt in alts), alts
    assert any(first_domain["title"] in alt for alt in alts)


def test_report_embeds_the_pinned_font(sample):
    _, _, reader, _ = sample
    fonts = set()
    for page in reader.pages[:3]:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    # WeasyPrint names embedded @font-face fonts after the family: ours, not a system fallback.
    assert {name.split("+", 1)[1] for name in fonts} == {
        "CertReady-Sans",
        "CertReady-Sans-Bold",
        "CertReady-Sans-Italic",
    }


def test_anonymous_when_no_name_and_no_flags_says_so():
    fw = framework(domains=2, per_domain=2)
    pdf = renderer.render_report(inputs(fw, participant="  ", flags=()))
    _, text = _read(pdf)
    assert "Anonymous" in text
    assert "We found no exclusion risks" in text


def test_framework_text_is_escaped_in_html():
    fw = framework(domains=3, per_domain=1, name='Evil <img src="http://127.0.0.1:9/x"> Programme')
    html = renderer.build_html(inputs(fw))
    assert '<img src="http://127.0.0.1:9/x">' not in html
    assert "&lt;img src=" in html


def test_result_for_another_framework_is_refused_clearly():
    fw = framework()
    other = result(fw) | {"framework": "someone-else"}
    with pytest.raises(ReportError, match="the result is for framework 'someone-else', not 'test-programme'"):
        renderer.build_html(ReportInputs(fw, other, "CR-000001", date(2026, 1, 1)))


def test_reference_and_filename_helpers():
    assert renderer.reference_for(123) == "CR-000123"
    assert renderer.long_date(date(2026, 3, 5)) == "5 March 2026"


def test_report_from_files_matches_the_engine_outcome():
    """The CLI path, on a shipped framework and the example files: shapes from engine.run, not by hand."""
    from assessments import engine
    from assessments.framework import resolve_framework, shipped_frameworks
    from assessments.profile import load_profile
    from assessments.ratings import load_ratings
    from assessments.results import eligibility_statement, whole_score

    root = renderer.TEMPLATE_DIR.parent.parent / "examples"
    args = ("nhs-digital-academy-dhlp", root / "profile-part-time-carer.yaml", root / "ratings-dhlp.yaml")
    fw = resolve_framework(args[0])
    outcome = engine.run(fw, load_profile(args[1]), load_ratings(args[2], fw), catalogue=shipped_frameworks())
    expected = outcome.to_json()

    reader, text = _read(renderer.render_from_files(*args))
    flat = _flat(text)

    assert f"{whole_score(expected['readiness']['score'])} out of 100" in text
    # The example person works in social care: the DHLP admits them only if their service is
    # NHS-commissioned, which CertReady cannot tell: undetermined, said beside the band.
    statement = eligibility_statement(expected)
    assert statement.status == "undetermined"
    assert _flat(statement.headline) in flat
    for reason in statement.reasons:
        assert _flat(reason) in flat
    assert "Not settled: check what decides it" in text
    for criterion in expected["criteria"]:
        assert _flat(criterion["title"]) in flat
    assert expected["risks"], "the example profile should raise flags"
    for flag in expected["risks"]:
        assert _flat(flag["requirement"]) in flat
        for mitigation in flag["mitigations"]:
            assert _flat(mitigation) in flat
    assert len(reader.pages) > 1


def test_report_lists_what_was_modelled_from_the_frameworks_provenance(sample):
    report_inputs, _, _, text = sample
    notes = report_inputs.framework.modelled_notes
    assert notes == ("Everything in this test programme is made up.",)
    about = _flat(text.split("What was modelled", 1)[1].split("Sources", 1)[0])
    assert all(_flat(note) in about for note in notes)


def test_domain_chart_and_table_say_what_each_number_is(sample):
    _report_inputs, _, _, text = sample
    flat = _flat(text)
    for words in (
        "Average of your ratings",
        "Average level asked for",
        "Domain score out of 100",
        "a domain can score below 100 even when the average of your ratings is above the average asked for",
    ):
        assert _flat(words) in flat, words
