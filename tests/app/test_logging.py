"""Logs never hold evidence, equality answers, passwords or full email addresses; lines carry request ids."""

from __future__ import annotations

import io
import logging
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from app.extensions import db
from app.logging_setup import EmailMaskingFilter, hide_database_details, mask_emails
from app.models import Rating
from app.security import LOG_FORMAT, RequestIdFilter
from assessments.framework import shipped_frameworks
from tests.app.journey.conftest import BASIC_PROFILE, PROGRAMME, domain_form, fresh, start, submit

EMAIL = "zed.quarantine@example.org"
PASSWORD = "Xylophone Marmalade 4471"
WRONG_PASSWORD = "Pelican Wrong Guess 9931"
NEW_PASSWORD = "Tangerine Harbour Lantern 2208"
EVIDENCE = "Quetzal-evidence-7781: I chaired the EPR board"
EQUALITY = {
    "sexual_orientation": "gay-or-lesbian",
    "religion": "buddhist",
    "disability": "yes-a-lot",
    "marriage_civil_partnership": "married-or-civil-partnership",
    "socio_economic_background": "working-class",
}
SECRETS = [
    EMAIL,
    "zed.quarantine",
    PASSWORD,
    WRONG_PASSWORD,
    NEW_PASSWORD,
    "Quetzal-evidence",
    *EQUALITY.values(),
]
FULL_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{2,}@[A-Za-z0-9-]+\.[A-Za-z]")


def _log_text(record: logging.LogRecord) -> str:
    text = record.getMessage()
    if record.exc_text:
        text += "\n" + record.exc_text
    elif record.exc_info:
        text += "\n" + logging.Formatter().formatException(record.exc_info)
    return text


def _assert_clean(records: list[logging.LogRecord]) -> None:
    for record in records:
        text = _log_text(record)
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} in a log line from {record.name}: {text[:300]!r}"
        assert not FULL_EMAIL.search(text), f"a full email address in {record.name}: {text[:300]!r}"


def _journey(app, client) -> None:
    """Everything a participant does, each through HTTP, with the distinctive values above."""
    register = {"email": EMAIL, "password": PASSWORD, "confirm_password": PASSWORD, "display_name": "Zed"}
    assert client.post("/register", data=register).status_code == 302  # and signed in
    assert client.post("/logout").status_code == 302
    assert client.post("/register", data=register).status_code == 302  # the same again: "exists"
    assert client.post("/login", data={"email": EMAIL, "password": WRONG_PASSWORD}).status_code == 200
    assert client.post("/reset-password", data={"email": EMAIL}).status_code == 302
    assert client.post("/reset-password", data={"email": "nobody." + EMAIL}).status_code == 302
    assert client.post("/login", data={"email": EMAIL, "password": PASSWORD}).status_code == 302

    for slug, fields in (
        ("working-pattern", {"contract": "part-time", "hours_per_week": "22.5", "on_call": "yes"}),
        ("background", {"staff_group": BASIC_PROFILE["staff_group"], "sector": BASIC_PROFILE["sector"]}),
        ("equality", EQUALITY),
        ("consent", {"consent": "yes"}),
    ):
        response = client.post(f"/profile/{slug}", data=fields)
        assert response.status_code == 302, (slug, response.get_data(as_text=True)[:1500])

    assessment_id = start(client)
    framework = shipped_frameworks()[PROGRAMME]
    for domain in framework.domains:
        data = domain_form(domain, fresh(assessment_id).version, evidence=lambda criterion: EVIDENCE)
        assert client.post(f"/assessments/{assessment_id}/domains/{domain.id}", data=data).status_code == 302
    assert client.get(f"/assessments/{assessment_id}/check").status_code == 200
    submit(client, assessment_id)
    assert client.get(f"/assessments/{assessment_id}/results").status_code == 200
    assert client.get(f"/assessments/{assessment_id}/report.pdf").status_code == 200
    assert client.get("/account/data.json").status_code == 200
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    assert client.post("/account/change-password", data=change).status_code == 302
    assert client.post("/account/consent", data={"delete_equality": "y"}).status_code == 302
    assert client.post("/account/delete", data={"password": WRONG_PASSWORD}).status_code == 200
    assert client.post("/account/delete", data={"password": NEW_PASSWORD}).status_code == 302


def test_a_full_journey_logs_no_personal_data_and_every_line_has_a_request_id(app, client, caplog):
    # SQLAlchemy's statement log is on too, as an operator might turn it on: parameters would show there.
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.INFO, logger="sqlalchemy.engine"):
        _journey(app, client)
    records = caplog.records
    assert any(record.name == "app.auth.services" for record in records), "the journey should log something"
    assert any(record.name.startswith("sqlalchemy.engine") for record in records), "statement log is on"
    _assert_clean(records)
    ours = [record for record in records if record.name.startswith("app.")]
    assert ours
    for record in ours:
        assert re.fullmatch(r"[0-9a-f]{16}", record.request_id), (record.name, record.getMessage())
        line = logging.Formatter(LOG_FORMAT).format(record)
        assert f"[{record.request_id}]" in line


@pytest.mark.app_config(PROPAGATE_EXCEPTIONS=False)
def test_a_database_error_logs_no_parameter_values(app, client, caplog):
    """SQLAlchemy would put evidence into the error message; the logged traceback must not have it."""

    def broken_save() -> str:
        db.session.add(Rating(assessment_id=424242, criterion_id="x", level=99, evidence=EVIDENCE))
        db.session.commit()
        return "unreachable"

    app.add_url_rule("/broken-save", "broken_save", broken_save)
    with caplog.at_level(logging.INFO):
        response = client.get("/broken-save")
    assert response.status_code == 500
    assert EVIDENCE not in response.get_data(as_text=True)
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert errors, "the unhandled error is logged, for us to investigate"
    assert "IntegrityError" in _log_text(errors[0])
    _assert_clean(caplog.records)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("jo.bloggs@example.org", "j***@example.org"),
        ("from <Jo.Bloggs+cv@nhs.net> to x", "from <J***@nhs.net> to x"),
        ("two: a@b.co, bee@example.co.uk", "two: a***@b.co, b***@example.co.uk"),
        ("j…@example.test#1a2b3c", "j…@example.test#1a2b3c"),  # already a reference, left as it is
        ("no address here @ all", "no address here @ all"),
    ],
)
def test_mask_emails(text, masked):
    assert mask_emails(text) == masked


@given(
    address=st.emails(),
    before=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
    after=st.sampled_from(["", " ", ", ", ">", ")", " said hello"]),
)
def test_no_address_survives_masking(address, before, after):
    """Whatever surrounds it, an address keeps at most its first character and its domain."""
    local, _, domain = address.rpartition("@")
    # "*@x.org" masks to "****@x.org", which contains the original only because it is all stars.
    assume(set(local) != {"*"})
    masked = mask_emails(f"{before} {address}{after}")
    assert address not in masked
    assert f"{local[0]}***@{domain}" in masked


def test_every_handler_masks_an_email_a_library_logs(app):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(EmailMaskingFilter())
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logger = logging.getLogger("some.library")
    logger.addHandler(handler)
    try:
        logger.warning("could not deliver to %s", EMAIL)
        try:
            raise ValueError(f"bad recipient {EMAIL}")
        except ValueError:
            logger.exception("sending failed")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert EMAIL not in output
    assert "could not deliver to z***@example.org" in output
    assert "ValueError: bad recipient z***@example.org" in output


def test_the_app_installs_masking_on_root_handlers(app):
    handlers = logging.getLogger().handlers
    assert handlers
    assert all(any(isinstance(f, EmailMaskingFilter) for f in handler.filters) for handler in handlers)
    assert db.engine.hide_parameters is True


def test_database_detail_lines_are_hidden():
    message = (
        'psycopg.errors.CheckViolation: new row violates check constraint "ck_rating_level_range"\n'
        "DETAIL:  Failing row contains (1, 424242, x, 99, f, Quetzal-evidence, 2026-11-25).\n"
        "[SQL: INSERT INTO rating ...]"
    )
    hidden = hide_database_details(message)
    assert "Quetzal" not in hidden
    assert "DETAIL: (hidden: it can quote personal data)" in hidden
    assert hidden.startswith("psycopg.errors.CheckViolation")
