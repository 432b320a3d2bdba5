"""A designer's uploaded version of a programme is what new assessments use; old ones keep theirs."""

from pathlib import Path

from app.designer.services import upload_framework
from app.journey import services
from assessments.framework import FRAMEWORKS_DIR, shipped_frameworks
from tests.app.journey.conftest import PROGRAMME, fresh, start


def _upload_new_version(designer) -> str:
    text = (Path(FRAMEWORKS_DIR) / f"{PROGRAMME}.yaml").read_text()
    old = shipped_frameworks()[PROGRAMME].version
    changed = text.replace(f'version: "{old}"', 'version: "2027.1"', 1)
    assert changed != text, "the shipped file's version line has changed shape"
    upload_framework(designer, changed.encode(), f"{PROGRAMME}.yaml")
    return "2027.1"


def test_new_assessments_use_the_uploaded_version_and_earlier_ones_keep_theirs(participant_client, make_user):
    earlier = start(participant_client)
    new_version = _upload_new_version(make_user(role="designer"))

    assert services.catalogue()[PROGRAMME].version == new_version
    later = start(participant_client)
    assert fresh(later).framework_version == new_version
    assert fresh(earlier).framework_version == shipped_frameworks()[PROGRAMME].version
    assert fresh(earlier).snapshot_id != fresh(later).snapshot_id


def test_programmes_page_shows_the_uploaded_version(pages, participant_client, make_user):
    new_version = _upload_new_version(make_user(role="designer"))
    page = pages.get("journey.choose_programme")
    assert new_version in page.get_text()
