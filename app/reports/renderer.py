"""The readiness report: stored result + framework → HTML → tagged A4 PDF.

Flask-free on purpose, so ``certready report`` and the web download produce the same
bytes from the same inputs. WeasyPrint is imported once per process, on first use
(importing it costs about 0.4 s), together with one ``FontConfiguration`` and the
pre-parsed report stylesheet, which every later render reuses.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from app.reports import charts
from assessments.areas import CAPABILITY_AREAS
from assessments.errors import InputError
from assessments.framework import Framework
from assessments.results import (
    ELIGIBILITY_LABELS,
    Eligibility,
    eligibility_of,
    eligibility_statement,
    whole_score,
)

_HERE = Path(__file__).resolve().parent
TEMPLATE_DIR = _HERE.parent.parent / "templates" / "reports"
STATIC_DIR = _HERE.parent / "static" / "reports"
FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
"""Debian's fonts-liberation2 (SIL Open Font Licence); scripts/install.sh installs it."""
FONT_FILES: tuple[Path, ...] = tuple(
    FONT_DIR / f"LiberationSans-{face}.ttf" for face in ("Regular", "Bold", "Italic", "BoldItalic")
)
NOTO_DIR = Path("/usr/share/fonts/truetype/noto")
FALLBACK_FONTS: tuple[tuple[str, Path, str], ...] = (
    ("CertReady Fallback", Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"), "normal"),
    ("CertReady Fallback", Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"), "bold"),
    *(
        (f"CertReady {script}", NOTO_DIR / f"NotoSans{script}-{face}.ttf", weight)
        for script in (
            "Arabic",
            "Bengali",
            "Devanagari",
            "Gujarati",
            "Gurmukhi",
            "Hebrew",
            "Sinhala",
            "Tamil",
            "Thai",
        )
        for face, weight in (("Regular", "normal"), ("Bold", "bold"))
    ),
    ("CertReady Symbols", NOTO_DIR / "NotoSansSymbols2-Regular.ttf", "normal"),
)
"""Fonts for characters Liberation Sans lacks: DejaVu Sans (fonts-dejavu-core) for Greek, Cyrillic
and symbols, Noto Sans (fonts-noto-core) for the scripts of the UK's most spoken languages after
English. Chinese, Japanese, Korean and emoji fonts are left out for size (fonts-noto-cjk is 91 MB
installed): those characters print as ``UNPRINTABLE_MARK``, with a note, never as empty boxes."""
PINNED_FONT_FILES: tuple[Path, ...] = FONT_FILES + tuple(path for _, path, _ in FALLBACK_FONTS)
"""Every font file the report may read; the fetcher serves exactly these."""
UNPRINTABLE_MARK = "[?]"
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1"}
LANGUAGE = "en-GB"
RESULT_SCHEMA = 1
RENDERER_VERSION = "4"
"""Bump when a code change alters the report's content, so cached PDFs are made again."""

BAND_MEANINGS = {
    "ready": "Your self-assessment meets the programme's expected level in most of its criteria: "
    "you look ready to apply.",
    "nearly-ready": "You meet much of what the programme expects; a few focused development steps "
    "would close the remaining gaps.",
    "developing": "You have a good base, with several areas to develop before the programme's "
    "expected level.",
    "not-yet": "There are substantial gaps against the programme's expected level today; the "
    "development plan below suggests where to start.",
}
SEVERITY_LABELS = {
    "high": "High risk",
    "medium": "Medium risk",
    "low": "Low risk",
    "undetermined": "Not yet known",
}


class ReportError(InputError):
    """The inputs cannot make a report (for example a result from another framework).

    An ``InputError``, so ``certready report`` prints it as a plain message, not a traceback.
    """

    def __init__(self, message: str) -> None:
        super().__init__([message])


@dataclass(frozen=True)
class ReportInputs:
    """Everything a report shows. ``result`` is ``assessments.engine.Outcome.to_json()``."""

    framework: Framework
    result: Mapping[str, Any]
    reference: str
    assessed_on: date
    participant: str | None = None
    """The name the person chose to show; ``None`` or blank prints "Anonymous"."""
    facts: Sequence[tuple[str, str]] = field(default_factory=tuple)
    """Extra label/value pairs for the cover, e.g. ("Criteria rated", "58 of 60")."""


def reference_for(assessment_id: int) -> str:
    """The reference printed on reports and quoted to support: ``CR-000123``."""
    return f"CR-{assessment_id:06d}"


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


# --------------------------------------------------------------------------- HTML


@functools.cache
def _jinja() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def build_html(inputs: ReportInputs) -> str:
    """The report as one self-contained HTML document (styles come from ``report.css``)."""
    return _jinja().get_template("report.html").render(**report_context(inputs))


def _level_text(framework: Framework, level: int) -> str:
    return f"{level} – {framework.level_label(level)}"


def _rating_text(framework: Framework, criterion: Mapping[str, Any]) -> str:
    if criterion.get("no_opportunity"):
        return "No opportunity yet"
    if criterion.get("level") is None:
        return "Not rated"
    return _level_text(framework, int(criterion["level"]))


def _gap_text(gap: int) -> str:
    if gap <= 0:
        return "Met"
    return f"{gap} level{'s' if gap != 1 else ''} short"


_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+\n")


def tidy_evidence(text: str) -> str:
    """Evidence as written, but a run of blank lines prints as one (30 blank lines are 30 lines)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _BLANK_LINES.sub("\n\n", text).strip("\n")


@functools.cache
def printable_characters() -> frozenset[int]:
    """Code points the pinned fonts can draw (read from their character maps once per process)."""
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for path in PINNED_FONT_FILES:
        with TTFont(path, lazy=True) as font:
            points.update(font.getBestCmap())
    return frozenset(points)


_INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"}
"""Controls, joiners, spaces and combining marks: never drawn as a box on their own (a combining
mark or variation selector after an unprintable character joins that character's marker)."""


def printable(text: str) -> tuple[str, bool]:
    """``text`` with each run of characters no pinned font has replaced by ``UNPRINTABLE_MARK``.

    Returns the text and whether anything was replaced.
    """
    known = printable_characters()
    if all(ord(char) in known or char in "\n\t" for char in text):
        return text, False
    out: list[str] = []
    in_run = False
    for char in text:
        if ord(char) in known or char in "\n\t":
            out.append(char)
            in_run = False
        elif unicodedata.category(char) in _INVISIBLE:
            if not in_run:
                out.append(char)
        elif not in_run:
            out.append(UNPRINTABLE_MARK)
            in_run = True
    return "".join(out), True


def _printable_context(value: Any, replaced: list[bool]) -> Any:
    """Every string in the view model made printable (chart images and CSS are left alone)."""
    if isinstance(value, str):
        if value.startswith("data:"):
            return value
        text, changed = printable(value)
        if changed:
            replaced.append(True)
        return text
    if isinstance(value, dict):
        return {
            key: value if key == "fonts_css" else _printable_context(item, replaced)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(_printable_context(item, replaced) for item in value)
    return value


def _check_result(framework: Framework, result: Mapping[str, Any]) -> None:
    problems = []
    if result.get("schema") != RESULT_SCHEMA:
        problems.append(f"result schema {result.get('schema')!r} is not {RESULT_SCHEMA}")
    if result.get("framework") != framework.id:
        problems.append(f"the result is for framework {result.get('framework')!r}, not {framework.id!r}")
    missing = [
        key
        for key in ("readiness", "criteria", "priorities", "strengths", "fit", "risks")
        if key not in result
    ]
    if missing:
        problems.append(f"the result has no {', '.join(missing)}")
    if problems:
        raise ReportError("cannot make a report: " + "; ".join(problems))


def report_context(inputs: ReportInputs) -> dict[str, Any]:
    """The template's view model: every decision about wording and grouping is made here."""
    framework, result = inputs.framework, inputs.result
    _check_result(framework, result)
    readiness = result["readiness"]
    by_id = framework.criteria_by_id
    top = framework.max_level

    def criterion_view(item: Mapping[str, Any]) -> dict[str, Any]:
        source = by_id.get(item["id"])
        return {
            "title": item["title"],
            "description": source.description if source else "",
            "rating": _rating_text(framework, item),
            "required": _level_text(framework, int(item["required_level"])),
            "gap": int(item["gap"]),
            "gap_text": _gap_text(int(item["gap"])),
            "no_opportunity": bool(item.get("no_opportunity")),
            "unrated": bool(item.get("unrated")),
            "evidence": tidy_evidence(item.get("evidence") or ""),
            "area": CAPABILITY_AREAS[item["area"]].title if item.get("area") in CAPABILITY_AREAS else "",
            "actions": list(source.actions) if source else [],
        }

    domains = []
    series = []
    for number, domain in enumerate(readiness["domains"], start=1):
        domains.append(
            {
                "number": number,
                "title": domain["title"],
                "score": str(whole_score(domain["score"])),
                "you": f"{domain['mean_level']:.1f}",
                "required": f"{domain['mean_required']:.1f}",
            }
        )
        label, _ = printable(domain["title"])
        series.append(charts.Series(label, domain["mean_level"], domain["mean_required"]))
    bar_svg = charts.bar_chart(series, top)

    criteria_views = [criterion_view(item) for item in result["criteria"]]
    grouped: list[dict[str, Any]] = []
    for domain in framework.domains:
        items = [
            view
            for view, raw in zip(criteria_views, result["criteria"], strict=True)
            if raw["domain_id"] == domain.id
        ]
        if items:
            grouped.append(
                {"title": domain.title, "description": domain.description or "", "criteria": items}
            )

    plan: dict[str, dict[str, Any]] = {}
    for item in result["priorities"]:
        view = criterion_view(item)
        area = CAPABILITY_AREAS.get(item.get("area", ""))
        key = item.get("area", "")
        group = plan.setdefault(
            key,
            {
                "title": area.title if area else "Other",
                "description": area.description if area else "",
                "entries": [],
            },
        )
        group["entries"].append(view)

    risks = [
        {
            "severity": flag["severity"],
            "severity_label": SEVERITY_LABELS.get(flag["severity"], flag["severity"]),
            "category": flag.get("category", ""),
            "requirement": flag["requirement"],
            "circumstance": flag["circumstance"],
            "explanation": flag.get("explanation", ""),
            "mitigations": list(flag.get("mitigations") or ()),
        }
        for flag in result["risks"]
    ]
    counts = result.get("risk_counts") or {}
    fit = result["fit"]
    estimates = [
        {
            "name": estimate["framework_name"],
            "provider": estimate["provider"],
            "readiness": str(whole_score(estimate["readiness"])),
            "band": _band_label(estimate["band"]),
            "fit": "–" if estimate.get("fit") is None else f"{estimate['fit']:.0f}%",
            "high_flags": estimate["high_flags"],
            "flags": estimate["flags"],
            "basis": f"{estimate['basis'] * 100:.0f}%",
            "eligibility": _estimate_eligibility(estimate),
            "is_estimate": bool(estimate.get("is_estimate", True)),
        }
        for estimate in result.get("estimates") or ()
    ]
    participant = (inputs.participant or "").strip() or "Anonymous"
    delivery = framework.delivery
    replaced: list[bool] = []
    context = _printable_context(
        {
            "title": f"Readiness report: {framework.name} – {inputs.reference}",
            "programme": framework.name,
            "provider": framework.provider,
            "framework_version": framework.version,
            "participant": participant,
            "reference": inputs.reference,
            "date_text": long_date(inputs.assessed_on),
            "date_iso": inputs.assessed_on.isoformat(),
            "facts": list(inputs.facts),
            "score": str(whole_score(readiness["score"])),
            "eligibility": eligibility_statement(result),
            "eligibility_short": ELIGIBILITY_LABELS[eligibility_of(result).status],
            "band": readiness["band"],
            "band_label": readiness.get("band_label") or _band_label(readiness["band"]),
            "band_meaning": BAND_MEANINGS.get(readiness["band"], ""),
            "max_level": top,
            "levels": [{"value": level.value, "label": level.label} for level in framework.levels],
            "criteria_count": len(result["criteria"]),
            "gaps": readiness.get("gaps", 0),
            "no_opportunity": readiness.get("no_opportunity", 0),
            "unrated": readiness.get("unrated", 0),
            "strengths": [criterion_view(item) for item in result["strengths"][:3]],
            "top_priorities": [criterion_view(item) for item in result["priorities"][:3]],
            "risk_counts": [
                {"severity": key, "label": SEVERITY_LABELS[key], "count": int(counts.get(key, 0))}
                for key in SEVERITY_LABELS
            ],
            "risk_total": len(risks),
            "fit_percent": None if fit.get("percent") is None else f"{fit['percent']:.0f}%",
            "fit_areas": [
                {
                    "title": area["title"],
                    "need": f"{area['need'] * 100:.0f}%",
                    "coverage": f"{area['coverage'] * 100:.0f}%",
                }
                for area in fit.get("areas") or ()
                if area.get("need", 0) > 0
            ],
            "domains": domains,
            "bar": {"src": charts.data_uri(bar_svg), "alt": charts.describe(series, top, "Bar chart")},
            "criteria_groups": grouped,
            "risks": risks,
            "plan": list(plan.values()),
            "risk_actions": [risk for risk in risks if risk["mitigations"]],
            "estimates": estimates,
            "modelled": framework.modelled,
            "modelled_notes": list(framework.modelled_notes),
            "fees_published": delivery.fees_published,
            "source": framework.source,
            "sources": [{"title": source.title, "url": source.url} for source in framework.sources],
            "fonts_css": _fonts_css(),
            "unprintable_mark": UNPRINTABLE_MARK,
        },
        replaced,
    )
    context["unprintable"] = bool(replaced)
    return context


def _estimate_eligibility(estimate: dict[str, Any]) -> str:
    """Eligibility beside readiness, as the comparison page says it; results stored before it say so."""
    stored = estimate.get("eligibility")
    if stored is None:
        return "Not recorded in this result"
    return ELIGIBILITY_LABELS[Eligibility.from_json(stored).status]


def _band_label(band: str) -> str:
    from assessments.results import BAND_LABELS

    return BAND_LABELS.get(band, band)


@functools.cache
def _fonts_css() -> str:
    """@font-face rules for the pinned fonts, by absolute file URL (the fetcher allows exactly these)."""
    faces = {
        "Regular": ("normal", "normal"),
        "Bold": ("bold", "normal"),
        "Italic": ("normal", "italic"),
        "BoldItalic": ("bold", "italic"),
    }
    rules = []
    for path in FONT_FILES:
        weight, style = faces[path.stem.split("-")[-1]]
        rules.append(
            f'@font-face {{ font-family: "CertReady Sans"; src: url("{path.as_uri()}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    for family, path, weight in FALLBACK_FONTS:
        rules.append(
            f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); font-weight: {weight}; }}'
        )
    families = ", ".join(dict.fromkeys(f'"{family}"' for family, _, _ in FALLBACK_FONTS))
    rules.append(f'html {{ font-family: "CertReady Sans", {families}, sans-serif; }}')
    return "\n".join(rules)


# --------------------------------------------------------------------------- PDF


@dataclass
class Engine:
    """WeasyPrint and what is worth building only once per process."""

    weasyprint: Any
    font_config: Any
    stylesheet: Any
    lock: threading.Lock

    def fetcher(self) -> Any:
        from app.reports.fetcher import StaticOnlyFetcher

        return StaticOnlyFetcher(roots=[STATIC_DIR], files=PINNED_FONT_FILES)

    def html(self, html: str, fetcher: Any) -> Any:
        return self.weasyprint.HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)

    def write_pdf(self, document: Any) -> bytes:
        pdf = document.write_pdf(font_config=self.font_config, stylesheets=[self.stylesheet], **PDF_OPTIONS)
        return finish_pdf(pdf)


def finish_pdf(pdf: bytes) -> bytes:
    """Two PDF/UA repairs WeasyPrint 70 leaves to us.

    * Running headers and footers (the page margin boxes) are marked content whose structure
      elements no parent lists, so a screen reader meets them nowhere and a checker flags them.
      They are pagination, not content: mark them ``/Artifact`` and drop them from the parent tree.
    * The XMP metadata gets ``dc:language`` (the catalog's ``/Lang`` alone is not enough for PDF/UA).
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        tree = document.Root.get("/StructTreeRoot")
        if tree is not None:
            listed = _listed_elements(tree)
            nums = tree.ParentTree.Nums
            for index in range(0, len(nums), 2):
                page_number, mapping = int(nums[index]), nums[index + 1]
                if not isinstance(mapping, pikepdf.Array):
                    continue
                unlisted = {
                    mcid
                    for mcid, element in enumerate(mapping)
                    if isinstance(element, pikepdf.Dictionary) and element.objgen not in listed
                }
                if unlisted:
                    _mark_as_artifacts(document.pages[page_number], unlisted)
                    for mcid in unlisted:
                        mapping[mcid] = None
        with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as metadata:
            metadata["dc:language"] = [LANGUAGE]
        out = io.BytesIO()
        document.save(out)
    return out.getvalue()


def _listed_elements(tree: Any) -> set[tuple[int, int]]:
    """Every structure element reachable from the tree root through the parents' ``/K`` lists."""
    import pikepdf

    found: set[tuple[int, int]] = set()
    stack = [tree]
    while stack:
        kids = stack.pop().get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/MCR" and kid.objgen not in found:
                found.add(kid.objgen)
                stack.append(kid)
    return found


_MARKED = re.compile(rb"/[A-Za-z0-9]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")


def _mark_as_artifacts(page: Any, mcids: set[int]) -> None:
    """Rewrite ``/Tag <</MCID n>> BDC`` as a pagination artifact for each listed ``n``.

    A pattern over the content stream's bytes, not a full parse: parsing every operator of a
    20-page report costs about a second; WeasyPrint writes each marked-content start the same way.
    """
    import pikepdf

    def replace(match: re.Match[bytes]) -> bytes:
        if int(match[1]) in mcids:
            return b"/Artifact <</Type /Pagination>> BDC"
        return match[0]

    contents = page.obj.Contents
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    for stream in streams:
        data = stream.read_bytes()
        changed = _MARKED.sub(replace, data)
        if changed != data:
            stream.write(changed)


_engine_lock = threading.Lock()
_engine: Engine | None = None


def engine() -> Engine:
    """Import WeasyPrint and parse the stylesheet (with its fonts) once per process."""
    global _engine
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                _engine = _start_engine()
    return _engine


def _start_engine() -> Engine:
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from app.reports.fetcher import StaticOnlyFetcher

    font_config = FontConfiguration()
    css = _fonts_css() + "\n" + (TEMPLATE_DIR / "report.css").read_text(encoding="utf-8")
    stylesheet = weasyprint.CSS(
        string=css,
        base_url=STATIC_DIR.as_uri() + "/",
        url_fetcher=StaticOnlyFetcher(roots=[STATIC_DIR], files=PINNED_FONT_FILES),
        font_config=font_config,
    )
    return Engine(weasyprint, font_config, stylesheet, threading.Lock())


def render_html(html: str, fetcher: Any | None = None) -> bytes:
    """Render report HTML to PDF bytes through the restrictive fetcher.

    One render at a time per process: the shared FontConfiguration is not documented as
    thread-safe, and a worker process renders one request at a time anyway.
    """
    current = engine()
    with current.lock:
        return current.write_pdf(current.html(html, fetcher or current.fetcher()))


def render_report(inputs: ReportInputs) -> bytes:
    """The whole report path: view model, HTML, charts and PDF."""
    return render_html(build_html(inputs))


@functools.cache
def template_fingerprint() -> str:
    """A hash of everything that shapes a report besides its data, for cache keys."""
    digest = hashlib.sha256(RENDERER_VERSION.encode())
    for path in [*sorted(TEMPLATE_DIR.rglob("*")), _HERE / "charts.py", Path(__file__)]:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    try:
        from importlib.metadata import version

        digest.update(version("weasyprint").encode())
    except Exception:  # pragma: no cover - metadata missing only in odd installs
        pass
    return digest.hexdigest()[:12]


# --------------------------------------------------------------------------- CLI entry points


def render_from_files(framework_id_or_file: str, profile_path: str | Path, ratings_path: str | Path) -> bytes:
    """``certready report --framework --profile --ratings``: the same inputs as ``certready assess``."""
    from assessments import engine as assessment_engine

    outcome = assessment_engine.run_files(framework_id_or_file, profile_path, ratings_path)
    inputs = ReportInputs(
        framework=outcome.framework,
        result=outcome.to_json(),
        reference="CR-LOCAL",
        assessed_on=date.today(),
        participant=None,
    )
    return render_report(inputs)


def render_for_assessment(assessment_id: int) -> bytes:
    """``certready report --assessment ID``: needs an app context (the CLI has one)."""
    from app.reports import services

    return services.render_for_assessment(assessment_id)
