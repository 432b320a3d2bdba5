"""One declared access matrix for every route: a route or method added without an entry fails here.

Each entry says what five people get from one URL: nobody signed in, the participant who owns the
assessment in the URL, another participant, a programme designer and an administrator. URLs are
filled with real objects: the owner has a submitted assessment (so results and the report exist).

Rules the matrix itself must keep:
* someone else's assessment, profile or report is 404 for every other person, never 403, so an id
  never reveals that something exists;
* designer pages are 403 for participants (``app.designer.views._staff_only``) and send anonymous
  visitors to sign in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from app.extensions import db
from app.models import User
from tests.app.access_world import World, build_world, url_for_rule
from tests.fixtures.users import signed_in

LOGIN = "redirect-to-login"


@dataclass(frozen=True)
class Access:
    anonymous: int | str
    owner: int | str
    other: int | str
    designer: int | str
    admin: int | str

    def __getitem__(self, role: str) -> int | str:
        return getattr(self, role)


def everyone(status: int) -> Access:
    return Access(status, status, status, status, status)


def signed_in_only(status: int = 200) -> Access:
    """``login_required`` pages about the person themselves (no id in the URL)."""
    return Access(LOGIN, status, status, status, status)


OWNER_ONLY = Access(LOGIN, 200, 404, 404, 404)
"""A page about the owner's assessment: everyone else gets 404, staff included."""

STAFF = Access(LOGIN, 403, 403, 200, 200)
"""A designer page."""

ANONYMOUS_ONLY = Access(200, 302, 302, 302, 302)
"""Sign in and register: signed-in people are sent on to their assessments."""

# endpoint -> method -> who gets what. GET and POST are declared separately when a route has both.
MATRIX: dict[str, dict[str, Access]] = {
    # Public pages
    "main.home": {"GET": everyone(200)},
    "main.privacy": {"GET": everyone(200)},
    "main.healthz": {"GET": everyone(200)},
    # Accounts. An empty POST re-renders the form with errors (200).
    "auth.register": {"GET": ANONYMOUS_ONLY, "POST": ANONYMOUS_ONLY},
    "auth.login": {"GET": ANONYMOUS_ONLY, "POST": ANONYMOUS_ONLY},
    # Where every registration goes: About you if it signed someone in, else sign in.
    "auth.registered": {"GET": signed_in_only(302)},
    "auth.logout": {"POST": everyone(302)},
    "auth.request_password_reset": {"GET": everyone(200), "POST": everyone(200)},
    # The token is the credential here: whoever holds a valid link may use it.
    "auth.reset_password": {"GET": everyone(200), "POST": everyone(200)},
    "auth.account": {"GET": signed_in_only()},
    "auth.change_password": {"GET": signed_in_only(), "POST": signed_in_only()},
    # Privacy: always the signed-in person's own data. An empty withdrawal POST withdraws (302);
    # an empty delete POST asks for the password (200).
    "privacy.your_data": {"GET": signed_in_only()},
    "privacy.download_data": {"GET": signed_in_only()},
    "privacy.withdraw_consent": {"GET": signed_in_only(), "POST": signed_in_only(302)},
    "privacy.delete_account": {"GET": signed_in_only(), "POST": signed_in_only()},
    # The journey: lists and profile pages show the signed-in person's own answers.
    "journey.list_assessments": {"GET": signed_in_only()},
    "journey.choose_programme": {"GET": signed_in_only()},
    "journey.start_assessment": {"POST": signed_in_only(400)},  # no programme chosen
    "journey.show_profile": {"GET": signed_in_only()},
    "journey.start_profile": {"GET": signed_in_only(302)},
    # Reached with ?assessment=<the owner's id>: the id must not work for anyone else.
    "journey.edit_profile": {"GET": OWNER_ONLY, "POST": Access(LOGIN, 302, 404, 404, 404)},
    # The owner's submitted assessment: its pages send the owner on to the results (302).
    "journey.resume_assessment": {"GET": Access(LOGIN, 302, 404, 404, 404)},
    "journey.rate_domain": {
        "GET": Access(LOGIN, 302, 404, 404, 404),
        "POST": Access(LOGIN, 302, 404, 404, 404),
    },
    "journey.check_answers": {
        "GET": Access(LOGIN, 302, 404, 404, 404),
        "POST": Access(LOGIN, 302, 404, 404, 404),
    },
    "journey.show_results": {"GET": OWNER_ONLY},
    # An empty POST re-renders the owner's form with errors (200).
    "journey.programme_progress": {"GET": OWNER_ONLY, "POST": OWNER_ONLY},
    "reports.download": {"GET": OWNER_ONLY},
    # Designer pages (app/designer). An empty POST re-renders with errors (200); deleting a scenario
    # that does not exist is 404 for staff.
    "designer.index": {"GET": STAFF},
    "designer.dashboard": {"GET": STAFF},
    "designer.export_csv": {"GET": STAFF},
    "designer.report_pdf": {"GET": STAFF},
    "designer.rules": {"GET": STAFF},
    "designer.what_if": {"GET": STAFF, "POST": STAFF},
    "designer.save_scenario": {"POST": STAFF},
    "designer.scenarios": {"GET": STAFF},
    "designer.delete_scenario": {"POST": Access(LOGIN, 403, 403, 404, 404)},
    "designer.equality_impact": {"GET": STAFF},
    "designer.equality_impact_pdf": {"GET": STAFF},
    "designer.equality_impact_docx": {"GET": STAFF},
    "designer.fit_for_purpose": {"GET": STAFF},
    "designer.justify_requirement": {"GET": STAFF, "POST": STAFF},
    "designer.upload": {"GET": STAFF, "POST": STAFF},
    "designer.impact_over_time": {"GET": STAFF},
    # Consultations (app/consultation). Running one is for staff: an empty phase POST is a stale
    # page (sent back, 302) and an empty rule-link POST links nothing (302). Taking part needs only
    # the code: the world's consultation is gathering ideas and nobody in it has joined, so its
    # pages send everyone to join (302).
    "consultation.list_consultations": {"GET": STAFF},
    "consultation.create_consultation": {"GET": STAFF, "POST": STAFF},
    "consultation.import_consultation": {"GET": STAFF, "POST": STAFF},
    "consultation.manage": {"GET": STAFF},
    "consultation.advance_phase": {"POST": Access(LOGIN, 403, 403, 302, 302)},
    "consultation.add_item": {"POST": STAFF},
    "consultation.edit_item": {"GET": STAFF, "POST": STAFF},
    "consultation.merge_items": {"GET": STAFF, "POST": STAFF},
    "consultation.link_rules": {"GET": STAFF, "POST": Access(LOGIN, 403, 403, 302, 302)},
    "consultation.results": {"GET": STAFF},
    "consultation.results_csv": {"GET": STAFF},
    "consultation.export_yaml": {"GET": STAFF},
    "consultation.export_json": {"GET": STAFF},
    "consultation.results_pdf": {"GET": STAFF},
    "consultation.join": {"GET": everyone(200), "POST": everyone(200)},
    "consultation.join_with_code": {"GET": everyone(200), "POST": everyone(200)},
    "consultation.take_part": {"GET": everyone(302)},
    "consultation.add_idea": {"POST": everyone(302)},
    "consultation.cast_votes": {"POST": everyone(302)},
}

NOT_CHECKED = {"static"}  # files only; their headers are checked in tests/app/test_hardening.py
CHECKED_METHODS = {"GET", "POST"}
OWNED_ARGUMENTS = {"assessment_id"}
"""URL arguments that name something a participant owns: the matrix must answer 404 for others."""


def _routes(app: Flask) -> dict[str, tuple[set[str], set[str]]]:
    """endpoint -> (methods, URL arguments), for every rule except static files."""
    routes: dict[str, tuple[set[str], set[str]]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_CHECKED:
            continue
        methods, arguments = routes.setdefault(rule.endpoint, (set(), set()))
        methods |= (rule.methods or set()) & CHECKED_METHODS
        arguments |= set(rule.arguments)
    return routes


def test_every_route_and_method_has_an_entry(app):
    missing = []
    for endpoint, (methods, _) in sorted(_routes(app).items()):
        declared = MATRIX.get(endpoint, {})
        missing += [f"{method} {endpoint}" for method in sorted(methods - set(declared))]
    assert not missing, (
        "Routes without an entry in the access matrix (tests/app/test_access_matrix.py): "
        + ", ".join(missing)
    )


def test_the_matrix_names_no_route_that_does_not_exist(app):
    routes = _routes(app)
    registered = set(app.blueprints)
    stale = [
        f"{method} {endpoint}"
        for endpoint, methods in MATRIX.items()
        # A blueprint another team has not registered yet is checked once it is.
        if endpoint.partition(".")[0] in registered
        for method in methods
        if method not in routes.get(endpoint, (set(), set()))[0]
    ]
    assert not stale, f"Entries for routes that do not exist: {stale}"


def test_other_people_get_404_never_403_for_owned_things(app):
    for endpoint, (_, arguments) in _routes(app).items():
        if not arguments & OWNED_ARGUMENTS and endpoint != "journey.edit_profile":
            continue
        for method, access in MATRIX.get(endpoint, {}).items():
            assert (access.other, access.designer, access.admin) == (404, 404, 404), (method, endpoint)


def test_designer_pages_are_403_for_participants_and_sign_in_for_anonymous(app):
    for endpoint, methods in MATRIX.items():
        if endpoint.startswith("designer."):
            for method, access in methods.items():
                assert (access.anonymous, access.owner, access.other) == (LOGIN, 403, 403), (method, endpoint)


# --- Running the matrix -------------------------------------------------------------------------


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def _outcome(response: Any) -> int | str:
    if response.status_code == 302 and (response.location or "").startswith("/login"):
        return LOGIN
    return response.status_code


def _client_for(app: Flask, user: User | None) -> Any:
    client = app.test_client()
    if user is not None:
        db.session.refresh(user)  # sign-out rotates the session token
        signed_in(client, user)
    return client


def test_every_route_answers_as_the_matrix_says(app, world):
    wrong = []
    # The owner goes last, so what the owner's requests change cannot affect anyone else's answer.
    order: tuple[str, ...] = ("anonymous", "other", "designer", "admin", "owner")
    for endpoint, (methods, _) in sorted(_routes(app).items()):
        url = url_for_rule(app, endpoint, world)
        for method in sorted(methods):
            access = MATRIX.get(endpoint, {}).get(method)
            if access is None:
                continue  # reported by test_every_route_and_method_has_an_entry
            for role in order:
                client = _client_for(app, world.users[role])
                response = client.open(url, method=method, data={})
                got = _outcome(response)
                response.close()
                if got != access[role]:
                    wrong.append(f"{method} {url} ({endpoint}) as {role}: expected {access[role]}, got {got}")
    assert not wrong, "Access matrix mismatches:\n" + "\n".join(wrong)
