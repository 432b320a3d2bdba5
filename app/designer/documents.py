"""Designer downloads as files: the EIA as an editable Word document, and the cache for every one.

NHS equality leads edit and circulate EIAs in Word, so the draft is also written as a .docx
(``python-docx``) with the same sections as the page and the PDF, and with empty owner, date
and sign-off cells to fill in.

``DocumentCache`` keeps rendered designer PDFs, Word files and CSV tables on disk, in the same
file cache as the participant's report (``app.reports.cache.FileCache``): the key names the
document kind and the programme and hashes the cohort state (``services.cohort_state``), the
framework's fingerprint, the code and everything else the document prints, so a changed cohort,
framework or template is never served stale. Files are written under a temporary name and moved
into place; every failure to read or write is logged and ignored, and the caller serves the
freshly made file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import os
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from app.designer.eia import SIGN_OFF, Characteristic, Draft
from app.designer.pages.fitness import Fitness
from app.reports.cache import FileCache

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = ROOT / "templates" / "designer"
_KEY = re.compile(r"^[a-z-]+--[a-z0-9-]{1,60}--[0-9a-f]{16,64}$")
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --------------------------------------------------------------------------- the cache


@cache
def code_fingerprint() -> str:
    """Everything that words or counts the documents, hashed once per process.

    The designer templates and modules, the pure domain (suppression, statistics, rules,
    vocabulary) and the migrations (one may rewrite cohort rows): the cache directory outlives
    a deployment, and a new release must never serve a document the old code made.
    """
    digest = hashlib.sha256()
    for path in fingerprinted_sources():
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fingerprinted_sources() -> list[Path]:
    app_dir = ROOT / "app"
    return sorted(
        [
            *TEMPLATES.glob("*.html"),
            *(app_dir / "designer").glob("*.py"),
            *(app_dir / "reports").glob("*.py"),
            *(app_dir / "migrations" / "versions").glob("*.py"),
            *(ROOT / "assessments").rglob("*.py"),
        ]
    )


def document_key(kind: str, framework_id: str, parts: Iterable[object]) -> str:
    """``<kind>--<programme>--<digest>``: kind and programme lead so older versions can be removed."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for part in parts:
        digest.update(b"\x00" + str(part).encode())
    key = f"{kind}--{framework_id}--{digest.hexdigest()[:32]}"
    if not _KEY.match(key):
        raise ValueError(f"not a designer document key: {key!r}")
    return key


class DocumentCache(FileCache):
    """Designer PDFs and Word files under ``<report cache>/designer``, one group per document and programme.

    Only the document kind and programme make the group: the grouping-specific inclusivity
    reports share a kind, so only the latest one per programme stays (a cache, not an archive).
    """

    KEY = _KEY
    SUFFIXES = (".pdf", ".docx", ".csv")
    NAME = "designer document"

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        super().__init__(Path(directory) / "designer")

    @staticmethod
    def group(key: str) -> str:
        return key.rsplit("--", 1)[0] + "--"

    def discard_programme(self, framework_id: str) -> bool:
        """Delete every cached document of one programme, of every kind; False, logged, on failure.

        For a person leaving the figures (withdrawal, erased equality answers, a deleted account):
        the files already made counted them, and while a changed cohort means they are never
        served again, they should not wait on disk for the next download to replace them.
        """
        try:
            for path in self.directory.glob("*--*--*"):
                ours = path.suffix in self.SUFFIXES and self.KEY.match(path.stem)
                if ours and path.stem.rsplit("--", 2)[1] == framework_id:
                    path.unlink(missing_ok=True)
        except OSError as problem:
            logger.warning("%s: cannot remove the files of %s (%s)", self.NAME, framework_id, problem)
            return False
        return True


def mark_synthetic_csv(text: str) -> str:
    """Put "synthetic demonstration data" at the start of every row of a CSV made from a demo cohort."""
    rows = list(csv.reader(io.StringIO(text)))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for index, row in enumerate(rows):
        writer.writerow(["data" if index == 0 else "synthetic demonstration data", *row])
    return buffer.getvalue()


# --------------------------------------------------------------------------- Word

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TEXT_WIDTH = 8640
"""The default template's A4/Letter text width in twentieths of a point (6 inches)."""
RED = "D5281B"


def _runs(text: str, *, bold: bool = False, color: str | None = None) -> str:
    """One run's XML: escaped text, line breaks kept, any character XML cannot hold shown as "�"."""
    properties = ("<w:b/>" if bold else "") + (f'<w:color w:val="{color}"/>' if color else "")
    lines = _NOT_XML.sub("\ufffd", text).split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
    return f"<w:r>{f'<w:rPr>{properties}</w:rPr>' if properties else ''}{body}</w:r>"


class _Body:
    """The document body as WordprocessingML, written as text and parsed once.

    python-docx's ``add_paragraph(style=...)`` looks the style up by name through every style
    of the template, and ``table.add_row`` copies a row at a time: together nearly all of the
    1.4 s a 10,000-person EIA took. Writing the same elements (the template's own styles, a
    ``Table Grid`` table with a bold header row that repeats on each page) takes milliseconds.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []

    def paragraph(
        self, text: str, style: str | None = None, *, bold: bool = False, color: str | None = None
    ) -> None:
        properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        self.parts.append(f"<w:p>{properties}{_runs(text, bold=bold, color=color)}</w:p>")

    def heading(self, text: str, level: int) -> None:
        self.paragraph(text, "Title" if level == 0 else f"Heading{level}")

    def table(
        self, caption: str, header: list[str], rows: Iterable[list[str]], widths: tuple[int, ...]
    ) -> None:
        """A captioned table; ``widths`` are the columns' shares of the text width (any units)."""
        if len(widths) != len(header):
            raise ValueError(f"{caption}: {len(header)} columns but {len(widths)} widths")
        twips = [TEXT_WIDTH * width // sum(widths) for width in widths]
        self.paragraph(caption, "Caption")
        grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in twips)
        out = [
            '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="pct" w:w="5000"/>'
            '<w:jc w:val="left"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
            f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        ]
        for index, row in enumerate([header, *rows]):
            if len(row) != len(header):
                raise ValueError(f"{caption}: a row has {len(row)} cells, the header {len(header)}")
            out.append("<w:tr><w:trPr><w:tblHeader/></w:trPr>" if index == 0 else "<w:tr>")
            for width, text in zip(twips, row, strict=True):
                run = _runs(text, bold=index == 0) if text else ""
                out.append(
                    f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr><w:p>{run}</w:p></w:tc>'
                )
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.parts.append("".join(out))

    def write_into(self, document: Any) -> None:
        """Put the elements into the document's body, before its section properties."""
        from docx.oxml import parse_xml  # python-docx and lxml load only when a Word file is made

        parsed = parse_xml(f'<w:body xmlns:w="{_W}">{"".join(self.parts)}</w:body>')
        end = document.element.body.sectPr
        for element in list(parsed):
            end.addprevious(element)


IMPACT_COLUMNS = ["Requirement", "Impact", "Evidence", "Size", "Confidence"]


def _characteristics(body: _Body, characteristics: Iterable[Characteristic]) -> None:
    for c in characteristics:
        body.heading(f"{c.label}: {c.summary}", 3)
        if c.notable:
            body.table(
                f"{c.label}: impact of each requirement",
                IMPACT_COLUMNS,
                (
                    [line.requirement.title, line.direction_label, line.evidence, line.size, line.confidence]
                    for line in c.notable
                ),
                (17, 12, 27, 26, 18),
            )
        if c.quiet_text:
            body.paragraph(c.quiet_text)
        if not c.lines:
            body.paragraph("No requirement flags anyone in this group yet, or no one answered.")


def _content_validity(body: _Body, fitness: Fitness) -> None:
    """The EIA's appendix, as ``templates/designer/_fitness-section.html`` prints it."""
    body.heading("Appendix: is each criterion essential to the job?", 1)
    body.paragraph(
        "Evidence for each requirement’s legitimate aim: participants’ answers to “How important is "
        "this to your job, or the job you want?”, read as a job-analysis panel (Lawshe’s content "
        "validity ratio, CVR)."
    )
    body.paragraph(fitness.panel_text)
    if fitness.anyone:
        lines = [fitness.essential_text, fitness.not_shown_text, fitness.too_few_text]
        lines += [difference.sentence for difference in fitness.summary_differences]
        for line in [*lines, fitness.cvi_text]:
            if line:
                body.paragraph(line, "ListBullet")
        body.table(
            "Content validity of each criterion",
            ["Criterion", "Raters (N)", "Essential (nₑ)", "CVR", "Critical CVR", "Verdict"],
            (
                [
                    row.title,
                    row.raters_text,
                    row.essential_text,
                    row.cvr_text,
                    row.critical_text,
                    row.verdict_text,
                ]
                for row in fitness.rows
            ),
            (40, 10, 12, 10, 12, 16),
        )
    body.paragraph(
        "Self-selected participants who consented, not an expert panel: modelled evidence of relevance, "
        "not proof. A criterion is essential by consensus when its CVR reaches the critical value for its "
        "number of raters (the exact binomial test at the 5% level; Lawshe 1975, Ayre and Scally 2014). "
        f"Figures about fewer than {fitness.min_cell} people are hidden."
    )


def eia_docx(draft: Draft, *, today: str) -> bytes:
    """The drafted EIA as an editable Word document, section by section as on the page."""
    framework = draft.framework
    from docx import Document  # loaded here, not at start-up: commands and most pages never need it
    from docx.shared import Pt

    document = Document()
    document.core_properties.title = f"Equality impact assessment (draft): {framework.name}"
    document.core_properties.subject = f"{framework.name} version {framework.version}"
    document.styles["Normal"].font.size = Pt(10)
    body = _Body()
    body.heading(f"Equality impact assessment (draft): {framework.name}", 0)
    if draft.synthetic:
        body.paragraph(
            "Synthetic demonstration data. This cohort includes synthetic people made by "
            "certready demo-cohort: the figures are not evidence about real applicants.",
            bold=True,
            color=RED,
        )
    body.paragraph(
        f"{framework.provider}. Framework version {framework.version}. "
        f"Cohort as of {draft.cohort_date_text}; drafted {today}."
    )

    body.heading("1. Summary", 1)
    body.heading("What the programme is", 2)
    body.paragraph(
        f"{framework.name}, run by {framework.provider} (framework version {framework.version}). "
        f"{framework.summary}"
    )
    body.paragraph(draft.requirements_sentence)
    for requirement in draft.requirements:
        body.paragraph(f"{requirement.title}: {requirement.text}", "ListBullet")
    body.heading("Who was counted", 2)
    body.paragraph(
        f"{draft.counted_text} Any figure about fewer than {draft.min_cell} people is hidden, "
        "with others hidden where they would give it away."
    )
    body.heading("The biggest risks", 2)
    if draft.risks:
        for sentence in draft.risks:
            body.paragraph(sentence, "ListNumber")
    else:
        body.paragraph(
            "No requirement has a clear negative impact on any group, or the groups are too small to tell."
        )
    if draft.most_affected:
        body.heading("Groups most affected", 2)
        for name in draft.most_affected:
            body.paragraph(name, "ListBullet")

    body.heading("2. Impact on each protected characteristic", 1)
    _characteristics(body, draft.protected)
    body.heading("3. Impact on working patterns and circumstances", 1)
    _characteristics(body, draft.working)

    body.heading("4. Justification of each requirement", 1)
    body.paragraph(
        "Each requirement is a “provision, criterion or practice” under the Equality Act 2010: "
        "lawful only where it is a proportionate means of achieving a legitimate aim."
    )
    body.table(
        "Justification of each requirement",
        ["Requirement", "Legitimate aim", "Proportionality", "Mitigations"],
        (
            [
                f"{j.requirement.title}: {j.requirement.text}",
                j.legitimate_aim or "Not recorded yet",
                j.proportionality or "Not recorded yet",
                j.mitigations or "None recorded yet",
            ]
            for j in draft.justifications
        ),
        (1, 1, 1, 1),
    )

    body.heading("5. Actions", 1)
    if draft.actions:
        body.table(
            "Actions, with owner and date",
            ["Requirement", "Groups affected", "Action", "Owner", "Date"],
            ([a.requirement.title, "; ".join(a.groups), a.action, a.owner, a.due] for a in draft.actions),
            (20, 32, 28, 10, 10),
        )
    else:
        body.paragraph("No requirement has a negative or possibly negative impact, so no action is drafted.")

    body.heading("6. Monitoring", 1)
    for line in draft.monitoring:
        body.paragraph(line, "ListBullet")

    body.heading("7. Sign-off", 1)
    body.table("Sign-off", ["Role", "Name", "Date"], ([role, "", ""] for role in SIGN_OFF), (44, 36, 20))
    if draft.content_validity is not None:
        _content_validity(body, draft.content_validity)

    body.write_into(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
