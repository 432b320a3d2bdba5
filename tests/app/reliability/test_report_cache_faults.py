"""The disk for cached reports is full, read-only or holds junk: the report is still served.

A failed render (clear page, retry works, nothing cached) is covered by
``tests/app/reports/test_report_views.py::test_failed_render_shows_clear_page_and_retry_works``,
an unusable cache directory there too, and the cache's own atomic writes in
``tests/app/reports/test_report_cache.py``. These go through the download view with a real
submitted assessment and a real PDF, and add a full disk, a read-only disk and an unreadable
cached file, checking that no partial file is left behind.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import pytest
from flask import Flask

from tests.app.journey.conftest import give_profile, rate_everything, start, submit


@pytest.fixture
def submitted(participant_client, participant, framework) -> int:
    give_profile(participant)
    assessment_id = start(participant_client)
    rate_everything(participant_client, assessment_id, framework)
    submit(participant_client, assessment_id)
    return assessment_id


def _raise(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


FAULTS = {
    "disk full on write": ("os.replace", errno.ENOSPC),
    "disk full on flush": ("os.fsync", errno.ENOSPC),
    "read-only disk": ("tempfile.mkstemp", errno.EROFS),
}


@pytest.mark.parametrize("fault", list(FAULTS), ids=list(FAULTS))
def test_report_is_served_when_the_cache_cannot_be_written(
    app: Flask, participant_client, submitted: int, monkeypatch: pytest.MonkeyPatch, fault: str
):
    target, code = FAULTS[fault]
    module, name = target.split(".")
    monkeypatch.setattr({"os": os, "tempfile": tempfile}[module], name, _raise(code))
    cache_dir = Path(app.config["CERTREADY_REPORT_CACHE_DIR"])
    for _ in range(2):  # and again: a failed store must not make the next download fail either
        response = participant_client.get(f"/assessments/{submitted}/report.pdf")
        assert response.status_code == 200
        assert response.data.startswith(b"%PDF")
        assert response.data.rstrip().endswith(b"%%EOF")
    left = list(cache_dir.iterdir()) if cache_dir.exists() else []
    assert left == [], f"a partial or broken file was left in the cache: {left}"


def test_an_unreadable_cached_file_is_rendered_again_and_served(
    app: Flask, participant_client, submitted: int
):
    first = participant_client.get(f"/assessments/{submitted}/report.pdf")
    assert first.status_code == 200
    cache_dir = Path(app.config["CERTREADY_REPORT_CACHE_DIR"])
    (cached,) = cache_dir.glob("*.pdf")
    cached.unlink()
    cached.mkdir()  # reading it now fails with EISDIR, and so does moving a new copy over it
    again = participant_client.get(f"/assessments/{submitted}/report.pdf")
    assert again.status_code == 200
    assert again.data.startswith(b"%PDF")
    assert not [path for path in cache_dir.iterdir() if path.name.startswith(".partial-")]
