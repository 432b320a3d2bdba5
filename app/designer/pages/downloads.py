"""Every designer download: the CSV tables, the inclusivity report PDF and the EIA as PDF and Word.

PDFs and Word documents come from the designer's document cache, keyed by the cohort's state,
the framework, the threshold and the day, so a second download is read from disk. A demo
cohort's CSV says on every row that its figures are synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.designer import analytics, documents, eia, exports, pdf, services
from app.designer.pages import fitness
from app.designer.pages.common import (
    Grouping,
    Labels,
    Missing,
    analysis,
    charts,
    cohort_date,
    document_cache,
    min_cell,
    programme,
    template_context,
)
from assessments.framework import Framework

CSV_TABLES = ("groups", "flags", "rules", "equality-impact", "scenarios")


@dataclass(frozen=True)
class Download:
    body: bytes | str
    mimetype: str
    filename: str
    private: bool
    """Sent with ``Cache-Control: private, no-store`` and ``nosniff`` (the PDFs and Word documents)."""


def csv_table(framework_id: str, table: str, grouping: Grouping) -> Download:
    """One of ``CSV_TABLES``; ``grouping`` divides the groups and flags tables."""
    framework = programme(framework_id)
    if table not in CSV_TABLES:
        raise Missing(f"no designer table {table!r}")
    if table in ("groups", "flags"):
        found, _ = analysis(framework, grouping)
        text = exports.groups_csv(found) if table == "groups" else exports.impact_csv(found)
    elif table == "rules":
        text = exports.catalogue_csv(analytics.catalogue(framework, min_cell()))
    elif table == "equality-impact":
        entries = analytics.equality_impact(framework, min_cell())
        text = exports.eia_csv(
            entries, framework_version=framework.version, cohort_date=cohort_date(framework)
        )
    else:
        text = exports.scenarios_csv(services.scenarios(framework.id))
    if services.cohort_is_synthetic(framework.id):
        text = documents.mark_synthetic_csv(text)
    return Download(text, "text/csv", f"{framework.id}-{framework.version}-{table}.csv", private=False)


def inclusivity_pdf(framework_id: str, grouping: Grouping) -> Download:
    """The dashboard as a PDF report, with the rule catalogue, for the grouping asked for."""
    framework = programme(framework_id)
    today = date.today().isoformat()
    state = (services.cohort_state(framework.id), framework.fingerprint(), min_cell(), today)
    key = documents.document_key(
        "inclusivity-report", framework.id, (*state, grouping.by, grouping.second, grouping.reference)
    )

    def make() -> bytes:
        found, _ = analysis(framework, grouping)
        return pdf.render(
            "designer/report-pdf.html",
            framework=framework,
            analysis=found,
            charts=charts(found),
            catalogue=analytics.catalogue(framework, min_cell()),
            min_cell=min_cell(),
            today=today,
            cohort_date=cohort_date(framework),
            synthetic=services.cohort_is_synthetic(framework.id),
            fitness=fitness.build(framework, min_cell()),
            **template_context(Labels.grouped(found.grouping, found.second)),
        )

    body, _ = document_cache().get_or_make(key, ".pdf", make)
    return Download(body, "application/pdf", f"inclusivity-{framework.id}.pdf", private=True)


def _eia_key(framework: Framework, kind: str, today: str) -> str:
    state = services.cohort_state(framework.id)
    return documents.document_key(kind, framework.id, (state, framework.fingerprint(), min_cell(), today))


def eia_pdf(framework_id: str) -> Download:
    """The drafted equality impact assessment as a PDF."""
    framework = programme(framework_id)
    today = date.today().isoformat()

    def make() -> bytes:
        draft = eia.draft(framework, min_cell())
        return pdf.render(
            "designer/equality-impact-pdf.html",
            framework=framework,
            draft=draft,
            synthetic=draft.synthetic,
            sign_off_roles=eia.SIGN_OFF,
            today=today,
        )

    body, _ = document_cache().get_or_make(_eia_key(framework, "eia-pdf", today), ".pdf", make)
    return Download(body, "application/pdf", f"equality-impact-{framework.id}.pdf", private=True)


def eia_docx(framework_id: str) -> Download:
    """The drafted equality impact assessment as a Word document equality leads can edit."""
    framework = programme(framework_id)
    today = date.today().isoformat()

    def make() -> bytes:
        return documents.eia_docx(eia.draft(framework, min_cell()), today=today)

    body, _ = document_cache().get_or_make(_eia_key(framework, "eia-docx", today), ".docx", make)
    return Download(body, documents.DOCX_MIMETYPE, f"equality-impact-{framework.id}.docx", private=True)
