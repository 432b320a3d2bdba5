"""A person who leaves the figures leaves the designer's cached files too, not only future ones.

Cached designer downloads (CSVs, PDFs, Word) are keyed by the cohort's state, so after a
withdrawal or deletion they are never served again; these tests check they are also removed
from disk at once, for the person's programmes only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.designer.documents import DocumentCache, document_key
from tests.app.journey.conftest import PROGRAMME
from tests.app.privacy.conftest import build_person
from tests.fixtures.users import DEFAULT_PASSWORD, make_user, signed_in

OTHER = "fedip-practitioner"


def _programmes_on_disk(app) -> list[str]:
    folder = Path(app.config["CERTREADY_REPORT_CACHE_DIR"]) / "designer"
    return sorted(
        path.stem.rsplit("--", 2)[1] for path in folder.glob("*--*--*") if path.suffix in (".csv", ".pdf")
    )


def _download_and_plant(app) -> None:
    """A real cached download of the person's programme, and a file of another programme."""
    designer = signed_in(app.test_client(), make_user(role="designer"))
    assert designer.get(f"/designer/programmes/{PROGRAMME}/export/groups.csv").status_code == 200
    cache = DocumentCache(app.config["CERTREADY_REPORT_CACHE_DIR"])
    assert cache.write(document_key("csv-groups", OTHER, ["x"]), ".csv", b"group,people\r\n")
    assert _programmes_on_disk(app) == sorted([PROGRAMME, OTHER])


@pytest.mark.app_config(CERTREADY_MIN_CELL=1)
@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/account/delete", {"password": DEFAULT_PASSWORD}),
        ("/account/consent", {}),
        ("/account/consent", {"delete_equality": "y"}),
    ],
    ids=["deleting the account", "withdrawing consent", "withdrawing and erasing equality answers"],
)
def test_leaving_removes_the_cached_files_of_the_persons_programmes(app, path, data):
    person = build_person(app, email="jo@example.org")
    build_person(app, email="sam@example.org")
    _download_and_plant(app)
    assert person.client.post(path, data=data).status_code == 302
    assert _programmes_on_disk(app) == [OTHER]


@pytest.mark.app_config(CERTREADY_MIN_CELL=1)
def test_a_person_without_cohort_rows_leaves_every_cached_file_alone(app):
    build_person(app, email="jo@example.org")
    _download_and_plant(app)
    bystander = signed_in(app.test_client(), make_user(email="new@example.org"))
    assert bystander.post("/account/delete", data={"password": DEFAULT_PASSWORD}).status_code == 302
    assert _programmes_on_disk(app) == sorted([PROGRAMME, OTHER])


def test_discard_programme_removes_one_programmes_files_of_every_kind(tmp_path):
    cache = DocumentCache(tmp_path)
    for kind, suffix in (("csv-groups", ".csv"), ("eia-pdf", ".pdf"), ("eia-docx", ".docx")):
        for programme in ("fedip-practitioner", "fedip-senior-practitioner", "practitioner"):
            assert cache.write(document_key(kind, programme, [kind]), suffix, b"x")
    stray = cache.directory / "notes--fedip-practitioner--x.txt"
    stray.write_text("not ours")
    assert cache.discard_programme("fedip-practitioner") is True
    left = sorted(path.stem.rsplit("--", 2)[1] for path in cache.directory.glob("*--*--*.*") if path != stray)
    assert left == ["fedip-senior-practitioner"] * 3 + ["practitioner"] * 3
    assert stray.exists()
    assert cache.discard_programme("no-such-programme") is True


def test_discard_programme_reports_failure(tmp_path, monkeypatch):
    cache = DocumentCache(tmp_path)
    cache.write(document_key("eia-pdf", OTHER, []), ".pdf", b"x")

    def refuse(self, missing_ok=False):
        raise PermissionError("read-only")

    monkeypatch.setattr(Path, "unlink", refuse)
    assert cache.discard_programme(OTHER) is False
