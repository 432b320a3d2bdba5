"""Hostile input on the account forms: never a 5xx, never a traceback, always a page or a redirect."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.models import User

hostile_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "So"]), max_size=50),
    st.sampled_from(["", " ", "\x00", "a@b", "<script>alert(1)</script>@example.org", "x" * 5000, "é@ü.org"]),
)
form_data = st.dictionaries(
    st.sampled_from(
        ["email", "password", "confirm_password", "display_name", "current_password", "new_password"]
    ),
    hostile_text,
    max_size=6,
)
fuzz = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _is_safe(response) -> bool:
    body = response.get_data(as_text=True)
    return response.status_code in (200, 302) and "Traceback" not in body and "<script>alert" not in body


@fuzz
@given(data=form_data)
def test_register_survives_hostile_input(client, data):
    before = db.session.scalar(db.select(db.func.count()).select_from(User))
    response = client.post("/register", data=data)
    assert _is_safe(response)
    if response.status_code == 200:  # re-rendered with errors: nothing was created
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == before


@fuzz
@given(data=form_data)
def test_sign_in_and_reset_survive_hostile_input(client, data):
    for path in ("/login", "/reset-password"):
        assert _is_safe(client.post(path, data=data))


@fuzz
@given(data=form_data)
def test_change_password_survives_hostile_input(participant_client, data):
    assert _is_safe(participant_client.post("/account/change-password", data=data))
