"""Designer downloads as files: the EIA as an editable Word document, and the cache for every one.

NHS equality leads edit and circulate EIAs in Word, so the draft is also written as a .docx
(``python-docx``) with the same sections as the page and the PDF, and with empty owner, date
and sign-off cells to fill in.

``DocumentCache`` keeps rendered designer PDFs and Word files on disk like the participant's
report cache (``app.reports.cache``): the key names the document kind and the programme and
hashes the cohort state (``services.cohort_state``), the framework's fingerprint, the template
and everything else the document prints, so a changed cohort, framework or template is never
served stale. Files are written under a temporary name and moved into place; every failure to
read or write is logged and ignored, and the caller serves the freshly made file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import os
import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Pt, RGBColor

from app.designer.eia import SIGN_OFF, Characteristic, Draft
from app.designer.pages.fitness import Fitness
from app.reports.cache import write_atomically

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates" / "designer"
_KEY = re.compile(r"^[a-z-]+--[a-z0-9-]{1,60}--[0-9a-f]{16,64}$")
SUFFIXES = {"pdf": ".pdf", "docx": ".docx"}
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --------------------------------------------------------------------------- the cache


@cache
def code_fingerprint() -> str:
    """The designer templates and the modules that word the documents, hashed once per process."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    sources = sorted(TEMPLATES.glob("*.html")) + [
        here / name for name in ("eia.py", "documents.py", "analytics.py", "charts.py", "pdf.py")
    ]
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def document_key(kind: str, framework_id: str, parts: Iterable[object]) -> str:
    """``<kind>--<programme>--<digest>``: kind and programme lead so older versions can be removed."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for part in parts:
        digest.update(b"\x00" + str(part).encode())
    key = f"{kind}--{framework_id}--{digest.hexdigest()[:32]}"
    if not _KEY.match(key):
        raise ValueError(f"not a designer document key: {key!r}")
    return key


class DocumentCache:
    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory) / "designer"

    def _path(self, key: str, suffix: str) -> Path:
        if not _KEY.match(key) or suffix not in SUFFIXES.values():
            raise ValueError(f"not a designer document key: {key!r}")
        return self.directory / f"{key}{suffix}"

    def get(self, key: str, suffix: str) -> bytes | None:
        try:
            return self._path(key, suffix).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as problem:
            logger.warning("designer document cache: cannot read %s (%s)", key, problem)
            return None

    def put(self, key: str, suffix: str, content: bytes) -> bool:
        try:
            write_atomically(self.directory, self._path(key, suffix), content, suffix)
        except OSError as problem:
            logger.warning("designer document cache: cannot store %s (%s)", key, problem)
            return False
        self._remove_older(key, suffix)
        return True

    def get_or_make(self, key: str, suffix: str, make: Callable[[], bytes]) -> tuple[bytes, bool]:
        """(content, from_cache): the stored file, or a fresh one stored for next time."""
        found = self.get(key, suffix)
        if found is not None:
            return found, True
        content = make()
        self.put(key, suffix, content)
        return content, False

    def _remove_older(self, key: str, suffix: str) -> None:
        """Other versions of the same document for the same programme can never be served again.

        Only the document kind and programme are compared: the grouping-specific inclusivity
        reports share a kind, so only the latest one per programme stays (a cache, not an archive).
        """
        prefix = key.rsplit("--", 1)[0] + "--"
        try:
            for path in self.directory.glob(f"{prefix}*{suffix}"):
                if path.stem != key:
                    path.unlink(missing_ok=True)
        except OSError as problem:
            logger.warning("designer document cache: cannot tidy old versions of %s (%s)", key, problem)


def mark_synthetic_csv(text: str) -> str:
    """Put "synthetic demonstration data" at the start of every row of a CSV made from a demo cohort."""
    rows = list(csv.reader(io.StringIO(text)))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for index, row in enumerate(rows):
        writer.writerow(["data" if index == 0 else "synthetic demonstration data", *row])
    return buffer.getvalue()


# --------------------------------------------------------------------------- Word


def _table(document: object, header: list[str], rows: Iterable[list[str]], caption: str) -> None:
    doc = document  # python-docx has no type hints; keep the calls plain
    doc.add_paragraph(caption, style="Caption")  # type: ignore[attr-defined]
    table = doc.add_table(rows=1, cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def _characteristics(document: object, characteristics: Iterable[Characteristic]) -> None:
    doc = document
    for c in characteristics:
        doc.add_heading(f"{c.label}: {c.summary}", level=3)  # type: ignore[attr-defined]
        if c.notable:
            _table(
                doc,
                ["Requirement", "Impact", "Evidence", "Size", "Confidence"],
                (
                    [line.requirement.title, line.direction_label, line.evidence, line.size, line.confidence]
                    for line in c.notable
                ),
                f"{c.label}: impact of each requirement",
            )
        clear = [line.requirement.title for line in c.lines if line.direction == "neutral"]
        unknown = [line.requirement.title for line in c.lines if line.direction == "not-known"]
        if clear:
            doc.add_paragraph("No clear difference between groups for: " + "; ".join(clear) + ".")  # type: ignore[attr-defined]
        if unknown:
            doc.add_paragraph("Too few people in each group to tell for: " + "; ".join(unknown) + ".")  # type: ignore[attr-defined]
        if not c.lines:
            doc.add_paragraph("No requirement flags anyone in this group yet, or no one answered.")  # type: ignore[attr-defined]


def _content_validity(document: object, fitness: Fitness) -> None:
    """The EIA's appendix, as ``templates/designer/_fitness-section.html`` prints it."""
    doc = document
    doc.add_heading("Appendix: is each criterion essential to the job?", level=1)  # type: ignore[attr-defined]
    doc.add_paragraph(  # type: ignore[attr-defined]
        "Evidence for each requirement’s legitimate aim: participants’ answers to “How important is "
        "this to your job, or the job you want?”, read as a job-analysis panel (Lawshe’s content "
        "validity ratio, CVR)."
    )
    doc.add_paragraph(fitness.panel_text)  # type: ignore[attr-defined]
    if fitness.anyone:
        lines = [fitness.essential_text, fitness.not_shown_text, fitness.too_few_text]
        lines += [difference.sentence for difference in fitness.summary_differences]
        for line in [*lines, fitness.cvi_text]:
            if line:
                doc.add_paragraph(line, style="List Bullet")  # type: ignore[attr-defined]
        _table(
            doc,
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
            "Content validity of each criterion",
        )
    doc.add_paragraph(  # type: ignore[attr-defined]
        "Self-selected participants who consented, not an expert panel: modelled evidence of relevance, "
        "not proof. A criterion is essential by consensus when its CVR reaches the critical value for its "
        "number of raters (the exact binomial test at the 5% level; Lawshe 1975, Ayre and Scally 2014). "
        f"Figures about fewer than {fitness.min_cell} people are hidden."
    )


def eia_docx(draft: Draft, *, today: str) -> bytes:
    """The drafted EIA as an editable Word document, section by section as on the page."""
    framework = draft.framework
    doc = Document()
    doc.core_properties.title = f"Equality impact assessment (draft): {framework.name}"
    doc.core_properties.subject = f"{framework.name} version {framework.version}"
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_heading(f"Equality impact assessment (draft): {framework.name}", level=0)
    if draft.synthetic:
        warning = doc.add_paragraph()
        run = warning.add_run(
            "Synthetic demonstration data. This cohort includes synthetic people made by "
            "certready demo-cohort: the figures are not evidence about real applicants."
        )
        run.bold = True
        run.font.color.rgb = RGBColor(0xD5, 0x28, 0x1B)
    doc.add_paragraph(
        f"{framework.provider}. Framework version {framework.version}. "
        f"Cohort as of {draft.cohort_date_text}; drafted {today}."
    )

    doc.add_heading("1. Summary", level=1)
    doc.add_heading("What the programme is", level=2)
    doc.add_paragraph(
        f"{framework.name}, run by {framework.provider} (framework version {framework.version}). "
        f"{framework.summary}"
    )
    doc.add_paragraph(draft.requirements_sentence)
    for requirement in draft.requirements:
        doc.add_paragraph(f"{requirement.title}: {requirement.text}", style="List Bullet")
    doc.add_heading("Who was counted", level=2)
    doc.add_paragraph(
        f"{draft.counted_text} Any figure about fewer than {draft.min_cell} people is hidden, "
        "with others hidden where they would give it away."
    )
    doc.add_heading("The biggest risks", level=2)
    if draft.risks:
        for sentence in draft.risks:
            doc.add_paragraph(sentence, style="List Number")
    else:
        doc.add_paragraph(
            "No requirement has a clear negative impact on any group, or the groups are too small to tell."
        )
    if draft.most_affected:
        doc.add_heading("Groups most affected", level=2)
        for name in draft.most_affected:
            doc.add_paragraph(name, style="List Bullet")

    doc.add_heading("2. Impact on each protected characteristic", level=1)
    _characteristics(doc, draft.protected)
    doc.add_heading("3. Impact on working patterns and circumstances", level=1)
    _characteristics(doc, draft.working)

    doc.add_heading("4. Justification of each requirement", level=1)
    doc.add_paragraph(
        "Each requirement is a “provision, criterion or practice” under the Equality Act 2010: "
        "lawful only where it is a proportionate means of achieving a legitimate aim."
    )
    _table(
        doc,
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
        "Justification of each requirement",
    )

    doc.add_heading("5. Actions", level=1)
    if draft.actions:
        _table(
            doc,
            ["Requirement", "Groups affected", "Action", "Owner", "Date"],
            ([a.requirement.title, "; ".join(a.groups), a.action, a.owner, a.due] for a in draft.actions),
            "Actions, with owner and date",
        )
    else:
        doc.add_paragraph(
            "No requirement has a negative or possibly negative impact, so no action is drafted."
        )

    doc.add_heading("6. Monitoring", level=1)
    for line in draft.monitoring:
        doc.add_paragraph(line, style="List Bullet")

    doc.add_heading("7. Sign-off", level=1)
    _table(doc, ["Role", "Name", "Date"], ([role, "", ""] for role in SIGN_OFF), "Sign-off")
    if draft.content_validity is not None:
        _content_validity(doc, draft.content_validity)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
