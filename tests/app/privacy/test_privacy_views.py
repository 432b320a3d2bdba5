"""Download your data, withdraw consent, delete your account (UK GDPR Art. 15, 17, 20 and 7(3))."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, or_, select

from app.extensions import db
from app.models import Assessment, AuditEvent, Profile, Rating, User
from app.reports.cache import ReportCache, cache_key
from tests.app.privacy.conftest import EQUALITY, EVIDENCE, Person
from tests.fixtures.pages import error_messages, summary_messages
from tests.fixtures.users import DEFAULT_PASSWORD, make_user, signed_in


def _profile(user_id: int) -> Profile | None:
    db.session.expire_all()
    return db.session.scalar(select(Profile).where(Profile.user_id == user_id))


def _count(model: type, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


# --- The account page ---------------------------------------------------------------------------


def test_account_page_links_to_the_three_privacy_pages(pages, participant_client):
    page = pages.get("auth.account")
    links = {a.get_text(strip=True): a["href"] for a in page.select("main a")}
    assert links["Download your data"] == "/account/data"
    assert links["Withdraw consent for analysis"] == "/account/consent"
    assert links["Delete your account"] == "/account/delete"


@pytest.mark.parametrize(
    "path", ["/account/data", "/account/data.json", "/account/consent", "/account/delete"]
)
def test_privacy_pages_need_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    assert client.post(path).status_code in (302, 405)


# --- Download -----------------------------------------------------------------------------------


def test_data_page_says_what_the_file_holds_and_links_to_it(pages, participant_client):
    page = pages.get("privacy.your_data")
    assert page.h1.get_text(strip=True) == "Download your data"
    button = page.find("a", string="Download your data (JSON)")
    assert button["href"] == "/account/data.json"
    assert "equality answers" in page.get_text()


def test_download_holds_everything_about_the_person(app, person: Person):
    response = person.client.get("/account/data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="certready-your-data.json"'
    assert "no-store" in response.headers["Cache-Control"]
    data = json.loads(response.get_data(as_text=True))

    assert data["format"] == "certready-personal-data"
    assert data["account"]["email"] == "jo.bloggs@example.org"
    assert data["account"]["role"] == "participant"
    assert "password" not in json.dumps(data["account"])
    assert data["profile"]["equality"] == EQUALITY
    assert data["profile"]["answers"]["staff_group"] == "clinical"
    assert data["profile"]["consent_aggregate"] is True

    [assessment] = data["assessments"]
    stored = db.session.get(Assessment, person.assessment_id)
    assert assessment["id"] == person.assessment_id
    assert assessment["status"] == "submitted"
    assert assessment["score"] == stored.score
    assert assessment["result"] == stored.result
    assert assessment["profile_when_submitted"]["equality"] == EQUALITY
    ratings = {rating["criterion"]: rating for rating in assessment["ratings"]}
    assert set(ratings) == {rating.criterion_id for rating in stored.ratings}
    some_id, some = next(iter(ratings.items()))
    assert some["evidence"] == f"{EVIDENCE} ({some_id})"  # exactly as written, unescaped

    actions = [event["action"] for event in data["audit_events"]]
    assert {"assessment.started", "assessment.submitted", "consent.given", "profile.equality-updated"} <= set(
        actions
    )
    assert all(event["by"] == "you" for event in data["audit_events"])


def test_download_holds_nothing_about_anyone_else(app, person: Person, bystander: Person):
    admin = make_user(role="admin", email="the.admin@example.org")
    # An administrator acting on the person: the event is theirs to see, the admin's id is not.
    db.session.add(
        AuditEvent(
            actor_id=admin.id, action="user.role-checked", target_type="user", target_id=person.user.id
        )
    )
    db.session.commit()

    text = person.client.get("/account/data.json").get_data(as_text=True)
    data = json.loads(text)
    assert "sam.other@example.org" not in text
    assert "the.admin@example.org" not in text
    assert "Bystander-only wombat evidence" not in text
    assert [a["id"] for a in data["assessments"]] == [person.assessment_id]
    checked = [event for event in data["audit_events"] if event["action"] == "user.role-checked"]
    assert checked == [
        {
            "at": checked[0]["at"],
            "action": "user.role-checked",
            "by": "someone else",
            "target_type": "user",
            "target_id": person.user.id,
            "detail": {},
        }
    ]
    bystander_targets = {("user", bystander.user.id), ("assessment", bystander.assessment_id)}
    assert _count(AuditEvent, AuditEvent.actor_id == bystander.user.id) > 0
    assert not [
        event
        for event in data["audit_events"]
        if (event["target_type"], event["target_id"]) in bystander_targets
    ]


def test_download_for_a_new_account_has_no_profile_or_assessments(participant_client):
    data = participant_client.get("/account/data.json").get_json()
    assert data["profile"] is None
    assert data["assessments"] == []
    assert data["other_records"] == {}


# --- Withdraw consent ---------------------------------------------------------------------------


def test_consent_page_explains_withdrawal_when_consent_was_given(pages, person: Person, signed_in):
    signed_in(pages.client, person.user)
    page = pages.get("privacy.withdraw_consent")
    assert page.h1.get_text(strip=True) == "Withdraw consent for analysis"
    assert "taken out of every programme-level figure straight away" in page.get_text()
    assert page.find("button", string="Withdraw consent") is not None
    assert page.select_one("input[name=delete_equality]") is not None


def test_withdrawing_consent_stops_analysis_at_once_and_keeps_results(pages, person: Person, signed_in):
    signed_in(pages.client, person.user)
    before = db.session.get(Assessment, person.assessment_id).result
    pages.post("privacy.withdraw_consent", {}, redirects_to="/account")
    profile = _profile(person.user.id)
    assert profile.consent_aggregate is False
    assert profile.consent_changed_at is not None
    assert profile.equality == EQUALITY  # kept unless the person asks
    assert db.session.get(Assessment, person.assessment_id).result == before
    assert (
        _count(AuditEvent, AuditEvent.action == "consent.withdrawn", AuditEvent.actor_id == person.user.id)
        == 1
    )
    page = pages.get("auth.account")
    assert "You have withdrawn your consent" in page.get_text()


def test_withdrawing_consent_can_delete_equality_answers_everywhere(pages, person: Person, signed_in):
    signed_in(pages.client, person.user)
    pages.post("privacy.withdraw_consent", {"delete_equality": "y"}, redirects_to="/account")
    profile = _profile(person.user.id)
    assert profile.consent_aggregate is False
    assert profile.equality == {}
    assert profile.answers["staff_group"] == "clinical"
    snapshot = db.session.get(Assessment, person.assessment_id).profile_snapshot
    assert snapshot["equality"] == {}
    assert snapshot["answers"]["staff_group"] == "clinical"
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "profile.equality-deleted")
    ).all()
    assert [(event.actor_id, event.detail) for event in events] == [(person.user.id, {})]


def test_consent_page_without_consent_has_nothing_to_withdraw(pages, participant_client):
    page = pages.get("privacy.withdraw_consent")
    assert "There is nothing to withdraw" in page.get_text()
    assert page.find("button", string="Withdraw consent") is None
    assert page.find("a", string="change your consent choice")["href"] == "/profile/consent"


# --- Delete the account -------------------------------------------------------------------------


def test_delete_page_says_what_goes_and_asks_for_the_password(pages, participant_client):
    page = pages.get("privacy.delete_account")
    assert page.h1.get_text(strip=True) == "Delete your account"
    assert "This cannot be undone" in page.get_text()
    assert page.select_one("input[type=password][name=password]") is not None
    assert page.find("a", string="download your data")["href"] == "/account/data"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "Enter your password"),
        ("not my password at all", "The password is not right"),
        ("p" * 129, "Your password must be 128 characters or fewer"),
    ],
    ids=["empty", "wrong", "too-long"],
)
def test_delete_with_a_bad_password_deletes_nothing(pages, person: Person, signed_in, password, message):
    signed_in(pages.client, person.user)
    page = pages.post("privacy.delete_account", {"password": password})
    assert error_messages(page) == {"password": message}
    assert summary_messages(page) == {"password": message}
    assert db.session.get(User, person.user.id) is not None
    assert _count(Rating) > 0


def test_delete_erases_everything_and_keeps_one_anonymous_audit_line(
    app, pages, person: Person, bystander: Person, signed_in
):
    cache_dir = Path(app.config["CERTREADY_REPORT_CACHE_DIR"])
    for who in (person, bystander):
        assert who.client.get(f"/assessments/{who.assessment_id}/report.pdf").status_code == 200
    assert {path.name.split("-")[0] for path in cache_dir.glob("*.pdf")} == {
        str(person.assessment_id),
        str(bystander.assessment_id),
    }
    user_id, profile_id = person.user.id, _profile(person.user.id).id
    events_before = _count(AuditEvent)
    bystander_events = _count(AuditEvent, AuditEvent.actor_id == bystander.user.id)

    signed_in(pages.client, person.user)
    pages.post("privacy.delete_account", {"password": DEFAULT_PASSWORD}, redirects_to="/")

    db.session.expire_all()
    assert db.session.get(User, user_id) is None
    assert _count(Profile, Profile.user_id == user_id) == 0
    assert _count(Assessment, Assessment.user_id == user_id) == 0
    assert _count(Rating, Rating.assessment_id == person.assessment_id) == 0
    assert [path.name.split("-")[0] for path in cache_dir.glob("*.pdf")] == [str(bystander.assessment_id)]
    # The trail about them is gone; one line says an account was deleted, and nothing more.
    about = or_(
        AuditEvent.actor_id == user_id,
        (AuditEvent.target_type == "user") & (AuditEvent.target_id == user_id),
        (AuditEvent.target_type == "assessment") & (AuditEvent.target_id == person.assessment_id),
        (AuditEvent.target_type == "profile") & (AuditEvent.target_id == profile_id),
    )
    assert _count(AuditEvent, about) == 0
    [deleted] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "account-deleted")).all()
    assert (deleted.actor_id, deleted.target_type, deleted.target_id, deleted.detail) == (
        None,
        None,
        None,
        {},
    )
    assert "jo.bloggs" not in json.dumps([e.detail for e in db.session.scalars(select(AuditEvent))])
    assert _count(AuditEvent) < events_before
    # Nobody else's data was touched.
    assert db.session.get(User, bystander.user.id) is not None
    assert _count(AuditEvent, AuditEvent.actor_id == bystander.user.id) == bystander_events
    assert bystander.client.get(f"/assessments/{bystander.assessment_id}/results").status_code == 200
    # Signed out, and the account cannot sign in again.
    assert "Your account and everything in it have been deleted." in pages.get("main.home").get_text()
    assert pages.client.get("/account").status_code == 302
    response = pages.client.post(
        "/login", data={"email": "jo.bloggs@example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200


def test_delete_leaves_no_row_anywhere_pointing_at_the_account(app, person: Person, signed_in, client):
    """Drift guard: every table with a foreign key to the account, including ones added later."""
    user_id = person.user.id
    signed_in(client, person.user)
    assert client.post("/account/delete", data={"password": DEFAULT_PASSWORD}).status_code == 302
    users = db.metadata.tables["user_account"]
    referencing = [
        (table, key.parent)
        for table in db.metadata.sorted_tables
        for key in table.foreign_keys
        if key.column.table is users
    ]
    assert {table.name for table, _ in referencing} >= {"profile", "assessment", "audit_event"}
    for table, column in referencing:
        left = db.session.scalar(select(func.count()).select_from(table).where(column == user_id))
        assert left == 0, f"{table.name}.{column.name} still points at the deleted account"


def test_delete_works_without_the_database_enforcing_cascades(app, person: Person, signed_in, client):
    """The erasure deletes row by row, so a database without ON DELETE CASCADE leaves nothing behind."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite is the database whose foreign keys can be switched off per connection")
    from sqlalchemy import event

    def no_foreign_keys(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")

    event.listen(db.engine, "connect", no_foreign_keys)
    db.session.execute(db.text("PRAGMA foreign_keys=OFF"))
    try:
        signed_in(client, person.user)
        assert client.post("/account/delete", data={"password": DEFAULT_PASSWORD}).status_code == 302
        assert _count(Rating) == 0
        assert _count(Assessment) == 0
        assert _count(Profile) == 0
    finally:
        event.remove(db.engine, "connect", no_foreign_keys)


@pytest.mark.app_config(RATELIMIT_ENABLED=True)
def test_delete_password_guesses_are_limited(app, person: Person):
    statuses = [
        person.client.post("/account/delete", data={"password": f"guess number {n}!"}).status_code
        for n in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    assert db.session.get(User, person.user.id) is not None


def test_staff_can_delete_their_own_account(app, client):
    designer = make_user(role="designer")
    signed_in(client, designer)
    assert client.post("/account/delete", data={"password": DEFAULT_PASSWORD}).status_code == 302
    assert _count(User, User.id == designer.id) == 0


# --- The report cache ---------------------------------------------------------------------------


def test_report_cache_discard_removes_every_version_of_one_assessment_only(tmp_path):
    cache = ReportCache(tmp_path)
    for assessment_id, version in ((12, 1), (12, 2), (123, 1), (1, 1)):
        cache.put(cache_key(assessment_id, version, "ab" * 8), b"%PDF-")
    # put() tidies older versions of the same assessment, so write version 1 back by hand
    (tmp_path / f"{cache_key(12, 1, 'cd' * 8)}.pdf").write_bytes(b"%PDF-")
    assert cache.discard(12) is True
    assert sorted(path.name.split("-")[0] for path in tmp_path.glob("*.pdf")) == ["1", "123"]
    assert cache.discard(999) is True  # nothing to remove is not a failure


def test_report_cache_discard_reports_failure(tmp_path, monkeypatch):
    cache = ReportCache(tmp_path)
    cache.put(cache_key(5, 1, "ab" * 8), b"%PDF-")

    def refuse(self, missing_ok=False):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(Path, "unlink", refuse)
    assert cache.discard(5) is False
