"""The on-disk report cache never holds a broken file and never stops a download."""

from __future__ import annotations

import errno
import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.reports.cache import ReportCache, cache_key
from app.reports.services import report_filename


def test_put_then_get_returns_the_same_bytes(tmp_path: Path):
    cache = ReportCache(tmp_path / "reports")
    key = cache_key(12, 3, "abcdef0123456789")
    assert cache.get(key) is None
    assert cache.put(key, b"%PDF-1.7 one")
    assert cache.get(key) == b"%PDF-1.7 one"


def test_storing_a_new_version_removes_older_ones_of_that_assessment_only(tmp_path: Path):
    cache = ReportCache(tmp_path)
    cache.put(cache_key(12, 1, "aaaaaaaa"), b"old")
    cache.put(cache_key(123, 1, "aaaaaaaa"), b"another assessment")
    cache.put(cache_key(12, 2, "bbbbbbbb"), b"new")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["12-v2-bbbbbbbb.pdf", "123-v1-aaaaaaaa.pdf"]


def test_failed_move_leaves_no_file_and_no_partial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    cache = ReportCache(tmp_path)
    key = cache_key(5, 1, "cccccccc")

    def crash(*args, **kwargs):
        raise OSError(errno.EIO, "input/output error")

    monkeypatch.setattr(os, "replace", crash)
    assert cache.put(key, b"%PDF whole") is False
    assert list(tmp_path.iterdir()) == []
    assert cache.get(key) is None


def test_full_disk_is_reported_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    cache = ReportCache(tmp_path)
    real_fsync = os.fsync

    def full(fd):
        real_fsync(fd)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert cache.put(cache_key(5, 1, "dddddddd"), b"%PDF") is False
    assert list(tmp_path.iterdir()) == []


def test_unusable_directory_is_reported_not_raised(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = ReportCache(blocker / "reports")
    key = cache_key(1, 1, "eeeeeeee")
    assert cache.put(key, b"%PDF") is False
    assert cache.get(key) is None


@pytest.mark.parametrize("key", ["../etc/passwd", "12-v1-ABC", "12-v1-zz/../x", ""])
def test_keys_cannot_name_other_files(tmp_path: Path, key: str):
    with pytest.raises(ValueError, match="not a report cache key"):
        ReportCache(tmp_path).get(key)


@pytest.mark.parametrize(
    ("programme", "expected"),
    [
        (
            "Digital Health Leadership Programme",
            "certready-digital-health-leadership-programme-2026-11-25.pdf",
        ),
        ("Café & Santé: Niveau 2", "certready-cafe-sante-niveau-2-2026-11-25.pdf"),
        ("数字领导力", "certready-programme-2026-11-25.pdf"),
        ('"; rm -rf / ;\r\nX-Header: 1', "certready-rm-rf-x-header-1-2026-11-25.pdf"),
    ],
)
def test_filename_is_an_ascii_slug_of_programme_and_date(programme: str, expected: str):
    assert report_filename(programme, date(2026, 11, 25)) == expected


@given(st.text(max_size=300))
def test_filename_is_always_safe_for_a_content_disposition_header(programme: str):
    name = report_filename(programme, date(2026, 1, 2))
    assert name.isascii()
    assert set(name) <= set("abcdefghijklmnopqrstuvwxyz0123456789-.")
    assert name.startswith("certready-")
    assert name.endswith("-2026-01-02.pdf")
    assert len(name) <= 90
