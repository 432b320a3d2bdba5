"""Views read validated values through typed readers that refuse a form nothing validated.

``whole_number_of`` (the consultation's numbers) and ``VersionedForm.expected_version`` (the
journey's stale-page check) stand where a view used to read an attribute that may be missing or None.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from app.consultation.forms import ConsultationForm, whole_number_of
from app.journey.forms import SubmitForm


@pytest.fixture
def form_context() -> Iterator[None]:
    with Flask(__name__).app_context():
        yield


def _consultation(**data: str) -> ConsultationForm:
    base = {"proposal": "Shorter residentials", "vote_budget": "7", "min_group": "12"}
    base |= {"several_votes_per_item": "yes"}
    return ConsultationForm(formdata=MultiDict(base | data), meta={"csrf": False})


def test_whole_number_of_reads_the_parsed_numbers(form_context):
    form = _consultation()
    assert form.validate(), form.errors
    assert (whole_number_of(form.vote_budget), whole_number_of(form.min_group)) == (7, 12)


def test_whole_number_of_refuses_a_form_not_validated(form_context):
    form = _consultation()
    with pytest.raises(ValueError, match="'vote_budget' holds no whole number"):
        whole_number_of(form.vote_budget)


def test_expected_version_is_the_submitted_version(form_context):
    form = SubmitForm(formdata=MultiDict({"version": "4"}), meta={"csrf": False})
    assert form.validate(), form.errors
    assert form.expected_version == 4


def test_expected_version_refuses_a_form_without_one(form_context):
    form = SubmitForm(formdata=MultiDict({}), meta={"csrf": False})
    assert not form.validate()
    with pytest.raises(ValueError, match="version is read from a form that was not validated"):
        _ = form.expected_version
