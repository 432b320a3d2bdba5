"""The printed report as a reader meets it: page breaks, tags, glyphs and repetition.

Checked from the PDF itself (pdfminer text positions, pikepdf structure), not from our HTML.
"""

from __future__ import annotations

import dataclasses
import io
import random
import re
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LAParams, LTChar, LTTextLine

from app.reports import renderer
from assessments import engine
from assessments.framework import shipped_frameworks
from assessments.profile import load_profile
from assessments.ratings import Rating
from assessments.results import ELIGIBILITY_LABELS
from tests.app.reports.report_builders import FLAGS, framework, inputs

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
MUTED = (0.259, 0.333, 0.388)  # #425563: descriptions, captions and the "your rating" lines
WORDS = ("led", "the", "ward", "roll-out", "data", "team", "safety", "board", "audit", "clinic")


def rich_inputs(framework_id: str) -> renderer.ReportInputs:
    """A real engine outcome with every criterion rated and evidence of every length (0-160 words)."""
    catalogue = shipped_frameworks()
    fw = catalogue[framework_id]
    rnd = random.Random(framework_id)
    ratings = {}
    for _, criterion in fw.criteria():
        level = rnd.choice([None, *range(fw.max_level + 1)])
        words = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(0, 160)))
        evidence = words if rnd.random() < 0.7 else f"{words}\n\n{words[:200]}"
        ratings[criterion.id] = Rating(level=level, no_opportunity=level is None, evidence=evidence.strip())
    profile = load_profile(EXAMPLES / "profile-part-time-carer.yaml")
    outcome = engine.run(fw, profile, ratings, catalogue=catalogue)
    return renderer.ReportInputs(fw, outcome.to_json(), "CR-000042", date(2026, 12, 4), "Sam Example")


def _lines(element):
    if isinstance(element, LTTextLine):
        yield element
    elif hasattr(element, "__iter__"):
        for child in element:
            yield from _lines(child)


def _describe(line) -> dict | None:
    chars = [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]
    if not chars:
        return None
    colour = chars[0].graphicstate.ncolor
    return {
        "text": line.get_text().strip(),
        "bold": sum("Bold" in c.fontname for c in chars) / len(chars),
        "size": max(c.size for c in chars),
        "muted": isinstance(colour, tuple)
        and all(abs(a - b) < 0.02 for a, b in zip(colour, MUTED, strict=False)),
        "y": line.y1,
    }


def body_lines(pdf: bytes) -> list[list[dict]]:
    """Each page's text lines, top to bottom, without the running header and footer."""
    pages = []
    for page in extract_pages(io.BytesIO(pdf), laparams=LAParams()):
        top, bottom = page.height - 62.4, 56.7  # the @page margins, 22 mm and 20 mm
        lines = [d for d in map(_describe, _lines(page)) if d and bottom < d["y"] < top]
        pages.append(sorted(lines, key=lambda d: -d["y"]))
    return pages


def is_heading(line: dict) -> bool:
    """h2-h4 print bold at 10.5 pt or more; body text is 10 pt, table cells 9.5 pt."""
    return line["bold"] >= 0.8 and line["size"] >= 10.4 and not line["text"].replace(" ", "").isdigit()


def stranded_headings(pdf: bytes) -> list[tuple[int, str]]:
    """Pages whose last text, descriptions aside, is a heading: its content went to the next page."""
    found = []
    for number, lines in enumerate(body_lines(pdf)[1:], start=2):
        content = [line for line in lines if not line["muted"]]
        if content and is_heading(content[-1]):
            found.append((number, content[-1]["text"]))
    return found


@pytest.mark.parametrize("framework_id", sorted(shipped_frameworks()))
def test_no_heading_is_left_at_the_foot_of_a_page(framework_id):
    pdf = renderer.render_report(rich_inputs(framework_id))
    assert stranded_headings(pdf) == []


@pytest.fixture(scope="module")
def tagged():
    fw = framework(domains=4, per_domain=3)
    pdf = renderer.render_report(inputs(fw))
    return pdf, pikepdf.open(io.BytesIO(pdf))


def _reachable(element) -> bool:
    for _ in range(500):
        parent = element.get("/P")
        if parent is None or parent.get("/Type") == "/StructTreeRoot":
            return True
        kids = parent.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        if not any(isinstance(kid, pikepdf.Dictionary) and kid.objgen == element.objgen for kid in kids):
            return False
        element = parent
    return False


def test_every_marked_content_id_belongs_to_the_structure_tree(tagged):
    _, document = tagged
    nums = document.Root.StructTreeRoot.ParentTree.Nums
    mapping = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for number, page in enumerate(document.pages):
        for operands, operator in pikepdf.parse_content_stream(page):
            if (
                str(operator) == "BDC"
                and isinstance(operands[1], pikepdf.Dictionary)
                and "/MCID" in operands[1]
            ):
                element = mapping[number][int(operands[1].MCID)]
                assert isinstance(element, pikepdf.Dictionary), (number, int(operands[1].MCID))
                assert _reachable(element), (
                    f"page {number + 1}: MCID {int(operands[1].MCID)} is outside the tree"
                )


def test_running_headers_and_footers_are_pagination_artifacts(tagged):
    pdf, document = tagged
    for number, page in enumerate(document.pages):
        pagination = [
            operands
            for operands, operator in pikepdf.parse_content_stream(page)
            if str(operator) == "BDC"
            and operands[0] == pikepdf.Name.Artifact
            and operands[1].get("/Type") == pikepdf.Name.Pagination
        ]
        # Header (programme, reference) and footer (name, "Page N of M"); the cover has no header.
        assert len(pagination) == (2 if number == 0 else 4), number + 1
    text = "".join(page.extract_text() for page in __import__("pypdf").PdfReader(io.BytesIO(pdf)).pages)
    assert f"Page 2 of {len(document.pages)}" in text


def test_xmp_metadata_states_the_language(tagged):
    _, document = tagged
    xmp = document.Root.Metadata.read_bytes().decode()
    assert re.search(r"<dc:language>\s*<rdf:Bag>\s*<rdf:li>en-GB</rdf:li>", xmp), xmp
    assert re.search(r"pdfuaid:part(?:>|=\")1", xmp)


MIXED = "Emoji 😀👍🏽 and 中文字 then हिन्दी ਪੰਜਾਬੀ العربية Ελληνικά end"


def test_printable_replaces_runs_the_fonts_lack_with_a_visible_mark():
    text, replaced = renderer.printable(MIXED)
    assert replaced
    assert "中" not in text
    assert "🏽" not in text
    assert "and [?] then" in text
    for kept in ("हिन्दी", "ਪੰਜਾਬੀ", "العربية", "Ελληνικά"):
        assert kept in text
    assert renderer.printable("Plain – “quoted” £4,000") == ("Plain – “quoted” £4,000", False)


def test_scripts_without_a_font_print_a_mark_and_a_note_never_empty_boxes():
    fw = framework(domains=2, per_domain=1)
    report = inputs(fw, evidence={"d1.c1": MIXED})
    pdf = renderer.render_report(report)
    document = pikepdf.open(io.BytesIO(pdf))
    fonts = set()
    for page in document.pages:
        for font in page.Resources.get("/Font", {}).values():
            fonts.add(str(font.BaseFont).split("+", 1)[1])
    # Devanagari and Gurmukhi come from the pinned Noto fonts, Greek and Arabic from DejaVu Sans.
    assert {"CertReady-Devanagari", "CertReady-Gurmukhi", "CertReady-Fallback"} <= fonts, fonts
    text = "".join(page.get_text() for page in extract_pages_text(pdf))
    assert "[?]" in text
    assert "中" not in text
    assert "Some characters cannot be printed in this report" in " ".join(text.split())
    # Without such text there is no note.
    plain = " ".join(
        " ".join(p.get_text() for p in extract_pages_text(renderer.render_report(inputs(fw)))).split()
    )
    assert "cannot be printed" not in plain


def extract_pages_text(pdf: bytes):
    from pdfminer.layout import LTTextContainer

    for page in extract_pages(io.BytesIO(pdf)):
        yield from (element for element in page if isinstance(element, LTTextContainer))


def test_a_run_of_blank_lines_in_evidence_prints_as_one():
    fw = framework(domains=2, per_domain=1)
    evidence = "BEFORE-BLANKS" + "\n" * 31 + "AFTER-BLANKS\r\n\r\n\r\n\r\nLAST-LINE"
    assert renderer.tidy_evidence(evidence) == "BEFORE-BLANKS\n\nAFTER-BLANKS\n\nLAST-LINE"
    pdf = renderer.render_report(inputs(fw, evidence={"d1.c1": evidence}))
    positions = {}
    for page_number, lines in enumerate(body_lines(pdf)):
        for line in lines:
            if line["text"] in ("BEFORE-BLANKS", "AFTER-BLANKS"):
                positions[line["text"]] = (page_number, line["y"])
    assert positions["BEFORE-BLANKS"][0] == positions["AFTER-BLANKS"][0]
    gap = positions["BEFORE-BLANKS"][1] - positions["AFTER-BLANKS"][1]
    assert gap < 3 * 14, f"{gap:.0f} pt between the lines: the blank lines were kept"


def test_mitigations_print_once_and_criterion_ids_never():
    fw = framework(domains=3, per_domain=2)
    report = inputs(fw)
    pdf = renderer.render_report(report)
    text = " ".join(" ".join(element.get_text() for element in extract_pages_text(pdf)).split())
    for flag in FLAGS:
        for mitigation in flag["mitigations"]:
            assert text.count(mitigation) == 1, mitigation
    assert "Reducing exclusion risks" in text
    for criterion in report.result["criteria"]:
        assert criterion["id"] not in text, criterion["id"]


def test_domain_chart_is_the_bar_chart_with_its_table_and_readable_labels():
    fw = framework(domains=5, per_domain=2)
    context = renderer.report_context(inputs(fw))
    assert "radar" not in context
    svg = __import__("urllib.parse").parse.unquote(context["bar"]["src"])
    sizes = [int(size) for size in re.findall(r'font-size="(\d+)"', svg)]
    # The 640-unit-wide chart prints 176 mm wide (0.78 pt per unit): 12 units is 9.4 pt.
    assert min(sizes) >= 12, sizes
    html = renderer.build_html(inputs(fw))
    for domain in context["domains"]:
        assert f"<td>{domain['title']}</td>" in html


def test_fallback_fonts_are_pinned_and_served_by_the_fetcher():
    fetcher = renderer.engine().fetcher()
    for _, path, _ in renderer.FALLBACK_FONTS:
        assert path.is_file(), f"{path}: install fonts-noto-core and fonts-dejavu-core (scripts/install.sh)"
        assert fetcher.fetch(path.as_uri()).read(4) in (b"\x00\x01\x00\x00", b"OTTO")
    with pytest.raises(Exception, match="outside the report's static files"):
        fetcher.fetch(Path("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf").as_uri())


def test_dataclass_inputs_unchanged_by_printable_pass():
    """Making text printable works on the view model only: the stored result is untouched."""
    fw = framework(domains=2, per_domain=1)
    report = inputs(fw, evidence={"d1.c1": MIXED})
    before = dataclasses.replace(report).result["criteria"][0]["evidence"]
    renderer.report_context(report)
    assert report.result["criteria"][0]["evidence"] == before == MIXED


def _boxes_text(pdf: bytes) -> str:
    """The PDF's text with all whitespace removed, read box by box (a table cell stays together)."""
    return re.sub(r"\s+", "", extract_text(io.BytesIO(pdf)))


def test_the_comparison_table_says_each_programmes_eligibility_beside_its_readiness():
    """As the results and comparison pages do: every row says eligible, not settled or not eligible."""
    report = rich_inputs("nhs-digital-academy-dhlp")
    text = _boxes_text(renderer.render_report(report))
    start = text.index("Howotherprogrammescompare")
    section = text[start : text.index("Aboutthisreport", start)]
    assert "Eligibility" in section
    statuses = [estimate["eligibility"]["status"] for estimate in report.result["estimates"]]
    assert len(set(statuses)) == 3, "the example should show all three answers"
    for status, label in ELIGIBILITY_LABELS.items():
        assert section.count(label.replace(" ", "")) == statuses.count(status), label


def test_a_result_stored_before_eligibility_says_so_in_the_comparison_table():
    report = rich_inputs("nhs-digital-academy-dhlp")
    for estimate in report.result["estimates"]:
        del estimate["eligibility"]
    text = _boxes_text(renderer.render_report(report))
    assert text.count("Notrecordedinthisresult") == len(report.result["estimates"])
