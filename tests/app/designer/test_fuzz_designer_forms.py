"""Hostile bodies for every designer form: never a 5xx, never a traceback, never a stray write.

The participant forms are fuzzed in ``tests/app/test_fuzz_forms.py``; this reuses its strategies.
A valid-looking what-if body may legitimately answer 200 with figures, so the check here is the
part that must hold for every body: a clear answer, no trace, and data changed only by a save that
redirected.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

import pytest
from flask import Flask
from hypothesis import given
from sqlalchemy import func, select

from app.designer import forms as designer_forms
from app.designer.models import DesignerScenario, RequirementJustification
from app.extensions import db
from app.models import FrameworkSnapshot
from tests.app.designer.conftest import PROGRAMME
from tests.app.test_fuzz_forms import FUZZ, TRACE_MARKERS, _post, bodies, field_names
from tests.fixtures.users import make_user, signed_in

BASE = f"/designer/programmes/{PROGRAMME}"
TARGETS = {
    "what-if": (f"{BASE}/what-if", field_names(designer_forms.ScenarioForm)),
    "save-scenario": (f"{BASE}/scenarios", field_names(designer_forms.SaveScenarioForm)),
    "justify": (f"{BASE}/requirements/sector", field_names(designer_forms.JustificationForm)),
    "upload": ("/designer/upload", field_names(designer_forms.UploadForm)),
}


def _counts() -> tuple[int, int, int]:
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count()).select_from(DesignerScenario)),
        db.session.scalar(select(func.count()).select_from(RequirementJustification)),
        db.session.scalar(select(func.count()).select_from(FrameworkSnapshot)),
    )


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_designer_forms_answer_hostile_bodies_clearly(app: Flask, name: str):
    path, fields = TARGETS[name]
    designer = make_user(role="designer", email="designer-fuzz@example.org")

    @FUZZ
    @given(body=bodies(fields))
    def check(body: tuple[str, Any]) -> None:
        kind, pairs = body
        client = signed_in(app.test_client(), designer)
        before = _counts()
        response = _post(client, path, kind, pairs)
        text = response.get_data(as_text=True)
        assert response.status_code in (200, 302, 303, 400, 413), (name, response.status_code)
        for marker in TRACE_MARKERS:
            assert marker not in text, f"{name}: {marker!r} in the response"
        if response.status_code in (302, 303):
            assert urllib.parse.urlsplit(response.location).path.startswith("/")
        else:
            assert _counts() == before, f"{name}: a refused body changed data"

    check()
