"""CERTREADY_RELEASE_BATCH: a whole number of people, 1 or more; by default the minimum cell."""

from __future__ import annotations

import logging

import pytest

from app.config import release_batch_warning, settings

SETTINGS = ("CERTREADY_RELEASE_BATCH", "CERTREADY_MIN_CELL", "CERTREADY_MIN_CELL_FLOOR", "CERTREADY_ENV")
REFUSED = "CERTREADY_RELEASE_BATCH must be a whole number of people, 1 or more"


@pytest.fixture
def environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CERTREADY_SECRET_KEY", "config-tests")
    for name in (
        "CERTREADY_RELEASE_BATCH",
        "CERTREADY_MIN_CELL",
        "CERTREADY_MIN_CELL_FLOOR",
        "CERTREADY_ENV",
    ):
        monkeypatch.delenv(name, raising=False)
    return lambda: settings(tmp_path)


def test_the_batch_defaults_to_the_minimum_cell(environment, monkeypatch):
    assert environment()["CERTREADY_RELEASE_BATCH"] == 10
    monkeypatch.setenv("CERTREADY_MIN_CELL", "15")
    assert environment()["CERTREADY_RELEASE_BATCH"] == 15


def test_a_batch_set_in_the_environment_is_used(environment, monkeypatch):
    monkeypatch.setenv("CERTREADY_RELEASE_BATCH", "25")
    assert environment()["CERTREADY_RELEASE_BATCH"] == 25


@pytest.mark.parametrize("value", ["0", "-3", "2.5", "ten", " "])
def test_a_batch_that_is_not_a_whole_number_of_people_is_refused(environment, monkeypatch, value):
    monkeypatch.setenv("CERTREADY_RELEASE_BATCH", value)
    with pytest.raises(
        ValueError, match="CERTREADY_RELEASE_BATCH must be a whole number of people, 1 or more"
    ):
        environment()


def test_production_warns_about_a_batch_below_the_minimum_cell(environment, monkeypatch, caplog):
    monkeypatch.setenv("CERTREADY_RELEASE_BATCH", "3")
    monkeypatch.setenv("CERTREADY_ENV", "production")
    with caplog.at_level(logging.WARNING, logger="app.config"):
        environment()
    assert [record.getMessage() for record in caplog.records] == [
        "CERTREADY_RELEASE_BATCH (3) is below CERTREADY_MIN_CELL (10): comparing the designer figures "
        "before and after a batch can show the answers of fewer people than the smallest group the "
        "figures show (see docs/inclusivity-statistics.md)"
    ]


def test_development_and_a_batch_at_or_above_the_minimum_cell_do_not_warn(environment, monkeypatch, caplog):
    monkeypatch.setenv("CERTREADY_RELEASE_BATCH", "3")
    with caplog.at_level(logging.WARNING, logger="app.config"):
        environment()  # development: the suite and a laptop run with small batches
    monkeypatch.setenv("CERTREADY_ENV", "production")
    monkeypatch.setenv("CERTREADY_RELEASE_BATCH", "10")
    with caplog.at_level(logging.WARNING, logger="app.config"):
        environment()
    assert caplog.records == []
    assert release_batch_warning({"CERTREADY_RELEASE_BATCH": 12, "CERTREADY_MIN_CELL": 10}) is None
