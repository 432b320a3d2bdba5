"""Cached designer downloads and figures: the same bytes again, made afresh after any counted change,
never another programme's, and never for someone who may not see them.

A second download must be served from the document cache without parsing the framework or
counting anything, so these tests make ``services.framework_at`` (the only way a download or the
"Fit for purpose" page gets the framework it counts with) fail once the first copy is made.
"""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path
from types import SimpleNamespace

import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from app.designer import services
from app.designer.documents import DocumentCache, document_key
from app.designer.pages import fitness
from app.extensions import db
from app.reports.cache import LatestCache
from assessments.framework import FRAMEWORKS_DIR, shipped_frameworks
from tests.app.designer.conftest import PROGRAMME, add_people
from tests.app.designer.test_fitness import ACUTE_CLINICAL, SAFETY, add_raters
from tests.fixtures.pages import without_csrf_tokens
from tests.fixtures.users import make_user, signed_in

BASE = f"/designer/programmes/{PROGRAMME}"
OTHER = "chime-chcio"
CACHED = [
    "equality-impact.pdf",
    "equality-impact.docx",
    "report.pdf?by=contract",
    "export/groups.csv?by=contract",
    "export/flags.csv?by=staff_group",
    "export/rules.csv",
    "export/equality-impact.csv",
]
EVERY_FIGURE = [*CACHED, "fit-for-purpose", "fit-for-purpose?by=contract"]


@pytest.fixture
def cohort(app):
    add_people(
        30,
        answers={"staff_group": "clinical", "contract": "part-time"},
        flags={"study-time": "high"},
    )
    add_people(20, answers={"staff_group": "non-clinical", "contract": "full-time"}, flags={})
    add_raters(12, ACUTE_CLINICAL, {SAFETY: "essential"})


@pytest.fixture
def framework_reads(monkeypatch):
    """How often the framework was fetched to count or make something; ``refuse()`` makes it fail."""
    calls: list[str] = []
    real = services.framework_at
    refused = False

    def counting(current):
        if refused:
            raise AssertionError(f"{current.id} was parsed to serve something the cache holds")
        calls.append(current.id)
        return real(current)

    def refuse() -> None:
        nonlocal refused
        refused = True

    monkeypatch.setattr(services, "framework_at", counting)
    return SimpleNamespace(calls=calls, refuse=refuse)


def _get(client, path: str):
    response = client.get(f"{BASE}/{path}")
    assert response.status_code == 200, (path, response.status_code)
    return response


def _groups_csv_total(body: bytes) -> int:
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    return sum(int(row["participants"].replace(",", "")) for row in rows if row["participants"][0].isdigit())


@pytest.mark.parametrize("path", CACHED)
def test_a_second_download_is_the_same_bytes_without_counting(
    app, designer_client, cohort, framework_reads, path
):
    first = _get(designer_client, path)
    framework_reads.refuse()
    second = _get(designer_client, path)
    assert second.data == first.data
    assert second.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    assert second.mimetype == first.mimetype


def test_a_second_fit_for_purpose_view_shows_the_same_figures_without_counting(
    app, designer_client, cohort, framework_reads
):
    first = without_csrf_tokens(_get(designer_client, "fit-for-purpose").get_data(as_text=True))
    figures = fitness.build(shipped_frameworks()[PROGRAMME], 10)
    framework_reads.refuse()
    assert without_csrf_tokens(_get(designer_client, "fit-for-purpose").get_data(as_text=True)) == first
    # Another grouping of the same figures is not counted again either.
    assert b"Compare groups by" in _get(designer_client, "fit-for-purpose?by=contract").data
    assert fitness.build(shipped_frameworks()[PROGRAMME], 10) is figures


@pytest.mark.parametrize("path", EVERY_FIGURE)
def test_a_counted_change_makes_the_next_one_afresh(app, designer_client, cohort, framework_reads, path):
    _get(designer_client, path)
    _get(designer_client, path)
    assert framework_reads.calls == [PROGRAMME]
    add_people(10, answers={"staff_group": "clinical", "contract": "full-time"}, flags={})
    _get(designer_client, path)
    assert framework_reads.calls == [PROGRAMME, PROGRAMME]


def test_the_cached_tables_and_page_follow_the_cohort(app, designer_client, cohort):
    before = _groups_csv_total(_get(designer_client, "export/groups.csv?by=contract").data)
    add_people(10, answers={"staff_group": "clinical", "contract": "full-time"}, flags={})
    after = _groups_csv_total(_get(designer_client, "export/groups.csv?by=contract").data)
    assert after == before + 10
    assert fitness.build(shipped_frameworks()[PROGRAMME], 10).panel == 12
    add_raters(8, ACUTE_CLINICAL, {SAFETY: "essential"})
    assert fitness.build(shipped_frameworks()[PROGRAMME], 10).panel == 20
    assert "20 participants who consented" in _get(designer_client, "fit-for-purpose").get_data(as_text=True)


def test_withdrawn_consent_is_not_served_from_the_cache(app, designer_client, cohort):
    rater = add_raters(10, ACUTE_CLINICAL, {SAFETY: "essential"})[0]
    assert fitness.build(shipped_frameworks()[PROGRAMME], 10).panel == 22
    services.set_consent_for_user(rater, False)
    db.session.commit()
    assert fitness.build(shipped_frameworks()[PROGRAMME], 10).panel == 21


def test_a_new_framework_version_is_never_served_the_old_document(app, designer_client, designer, cohort):
    old = shipped_frameworks()[PROGRAMME].version
    first = Document(io.BytesIO(_get(designer_client, "equality-impact.docx").data))
    assert old in first.core_properties.subject
    text = (Path(FRAMEWORKS_DIR) / f"{PROGRAMME}.yaml").read_text()
    services.upload_framework(
        designer, text.replace(f'version: "{old}"', 'version: "2099.1"', 1).encode(), f"{PROGRAMME}.yaml"
    )

    current = services.programme_version(PROGRAMME)
    assert current.version == "2099.1"
    assert current.fingerprint == services.programme(PROGRAMME).fingerprint()
    again = Document(io.BytesIO(_get(designer_client, "equality-impact.docx").data))
    assert "2099.1" in again.core_properties.subject
    assert "2099.1" in _get(designer_client, "export/rules.csv").headers["Content-Disposition"]


def test_a_cached_document_or_page_is_never_another_programmes(app, designer_client, cohort):
    add_people(12, answers={"staff_group": "clinical", "contract": "part-time"}, framework_id=OTHER)
    for path in EVERY_FIGURE:
        _get(designer_client, path)
    other = f"/designer/programmes/{OTHER}"
    rules = designer_client.get(f"{other}/export/rules.csv")
    assert OTHER in rules.headers["Content-Disposition"]
    assert rules.data != _get(designer_client, "export/rules.csv").data
    docx = Document(io.BytesIO(designer_client.get(f"{other}/equality-impact.docx").data))
    assert shipped_frameworks()[OTHER].name in docx.core_properties.title
    page = designer_client.get(f"{other}/fit-for-purpose").get_data(as_text=True)
    assert shipped_frameworks()[OTHER].name in page
    assert "No participant who consented to anonymous analysis has said" in page
    assert fitness.build(shipped_frameworks()[OTHER], 10).rated is False


@pytest.mark.parametrize("path", EVERY_FIGURE)
def test_someone_who_may_not_see_a_cached_figure_never_gets_it(app, designer_client, cohort, path):
    _get(designer_client, path)
    participant = signed_in(app.test_client(), make_user(role="participant"))
    assert participant.get(f"{BASE}/{path}").status_code == 403
    anonymous = app.test_client().get(f"{BASE}/{path}")
    assert anonymous.status_code == 302
    assert "/login" in anonymous.headers["Location"]


def test_the_scenarios_table_is_not_cached(app, designer_client, designer, cohort):
    """Saving a scenario does not bump the cohort version, so its table is made every time."""
    first = _get(designer_client, "export/scenarios.csv").data
    framework = services.programme(PROGRAMME)
    summary = {"keys": [{"key": "study-time", "before": 30, "after": 0, "lost": 30, "gained": 0}]}
    changes = {"delivery": {"in_person_days": 0.0}, "eligibility": {}}
    services.save_scenario(designer, framework, "Fully online", "contract", changes, summary)
    assert b"Fully online" in _get(designer_client, "export/scenarios.csv").data
    assert b"Fully online" not in first


# --------------------------------------------------------------------------- the caches themselves


@pytest.mark.parametrize(
    ("key", "suffix"),
    [
        ("../reports/12-v1-abcdefab", ".pdf"),
        ("eia-pdf--dhlp--" + "a" * 32, ".exe"),
        ("eia-pdf--DHLP--" + "a" * 32, ".pdf"),
        ("eia-pdf--dhlp/..--" + "a" * 32, ".pdf"),
    ],
)
def test_designer_keys_cannot_name_other_files(tmp_path, key, suffix):
    with pytest.raises(ValueError, match="not a designer document key"):
        DocumentCache(tmp_path).read(key, suffix)


def test_a_new_version_of_a_document_removes_only_that_documents_older_files(tmp_path, app):
    cache = DocumentCache(tmp_path)
    old = document_key("eia-pdf", PROGRAMME, ["state-1"])
    other_kind = document_key("eia-docx", PROGRAMME, ["state-1"])
    other_programme = document_key("eia-pdf", f"{PROGRAMME}-x", ["state-1"])
    cache.write(old, ".pdf", b"old")
    cache.write(other_kind, ".docx", b"word")
    cache.write(other_programme, ".pdf", b"another programme")
    new = document_key("eia-pdf", PROGRAMME, ["state-2"])
    cache.write(new, ".pdf", b"new")
    assert cache.read(old, ".pdf") is None
    assert cache.read(new, ".pdf") == b"new"
    assert cache.read(other_kind, ".docx") == b"word"
    assert cache.read(other_programme, ".pdf") == b"another programme"


@given(st.lists(st.tuples(st.sampled_from("abcd"), st.integers(0, 3)), max_size=40))
def test_the_latest_cache_gives_the_value_made_for_the_key_asked(requests):
    """Like a dict of the newest (key, value) per group, holding at most ``groups`` groups."""
    cache: LatestCache[tuple[str, int, int]] = LatestCache(groups=2)
    made = itertools.count()
    model: dict[str, tuple[int, tuple[str, int, int]]] = {}
    for group, key in requests:
        value, from_cache = cache.get_or_make(group, key, lambda g=group, k=key: (g, k, next(made)))
        assert value[:2] == (group, key)
        remembered = model.get(group)
        assert from_cache == (remembered is not None and remembered[0] == key)
        if from_cache:
            assert value == remembered[1]
        model.pop(group, None)
        model[group] = (key, value)
        while len(model) > 2:
            model.pop(next(iter(model)))
