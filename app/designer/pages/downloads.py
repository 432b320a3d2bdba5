"""Every designer download: the CSV tables, the inclusivity report PDF and the EIA as PDF and Word.

PDFs, Word documents and CSV tables come from the designer's document cache, keyed by the
cohort's state, the framework, the threshold and the day, so a second download is read from disk
without parsing the framework or counting anything. A demo
cohort's CSV says on every row that its figures are synthetic.
"""

from __future__ import annotations

from collections.abc import Callable
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
    programme_version,
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


def _cached(
    kind: str,
    suffix: str,
    current: services.ProgrammeVersion,
    parts: tuple[object, ...],
    make: Callable[[Framework], bytes],
) -> bytes:
    """The file from the document cache, or made (the framework parsed only then) and stored.

    A cached download reads the programme's version and cohort state and one file: the key
    hashes the cohort state, the framework's fingerprint, the threshold and ``parts``.
    """
    state = (services.cohort_state(current.id), current.fingerprint, min_cell(), *parts)
    key = documents.document_key(kind, current.id, state)
    body, _ = document_cache().get_or_make(key, suffix, lambda: make(services.framework_at(current)))
    return body


def csv_table(framework_id: str, table: str, grouping: Grouping) -> Download:
    """One of ``CSV_TABLES``; ``grouping`` divides the groups and flags tables.

    Every table but the saved scenarios (whose rows the cohort version does not follow) is cached.
    """
    current = programme_version(framework_id)
    if table not in CSV_TABLES:
        raise Missing(f"no designer table {table!r}")

    def make(framework: Framework) -> bytes:
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
        return text.encode()

    if table == "scenarios":
        body = make(services.framework_at(current))
    else:
        parts = (grouping.by, grouping.second, grouping.reference) if table in ("groups", "flags") else ()
        body = _cached(f"csv-{table}", ".csv", current, parts, make)
    return Download(body, "text/csv", f"{current.id}-{current.version}-{table}.csv", private=False)


def inclusivity_pdf(framework_id: str, grouping: Grouping) -> Download:
    """The dashboard as a PDF report, with the rule catalogue, for the grouping asked for."""
    current = programme_version(framework_id)
    today = date.today().isoformat()

    def make(framework: Framework) -> bytes:
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

    parts = (today, grouping.by, grouping.second, grouping.reference)
    body = _cached("inclusivity-report", ".pdf", current, parts, make)
    return Download(body, "application/pdf", f"inclusivity-{current.id}.pdf", private=True)


def eia_pdf(framework_id: str) -> Download:
    """The drafted equality impact assessment as a PDF."""
    current = programme_version(framework_id)
    today = date.today().isoformat()

    def make(framework: Framework) -> bytes:
        draft = eia.draft(framework, min_cell())
        return pdf.render(
            "designer/equality-impact-pdf.html",
            framework=framework,
            draft=draft,
            synthetic=draft.synthetic,
            sign_off_roles=eia.SIGN_OFF,
            today=today,
        )

    body = _cached("eia-pdf", ".pdf", current, (today,), make)
    return Download(body, "application/pdf", f"equality-impact-{current.id}.pdf", private=True)


def eia_docx(framework_id: str) -> Download:
    """The drafted equality impact assessment as a Word document equality leads can edit."""
    current = programme_version(framework_id)
    today = date.today().isoformat()

    def make(framework: Framework) -> bytes:
        return documents.eia_docx(eia.draft(framework, min_cell()), today=today)

    body = _cached("eia-docx", ".docx", current, (today,), make)
    return Download(body, documents.DOCX_MIMETYPE, f"equality-impact-{current.id}.docx", private=True)
