"""The privacy notice at /privacy: what, why, the lawful basis, who sees it, how long, rights, contact."""

from __future__ import annotations

import logging

import pytest


def _text(page) -> str:
    return page.get_text(" ", strip=True)


def test_notice_has_every_section(pages):
    page = pages.get("main.privacy")
    sections = page.select("main h2:not(.nhsuk-warning-callout__label)")
    headings = [heading.get_text(strip=True) for heading in sections]
    assert headings == [
        "Who is responsible for your information",
        "What we collect",
        "Why we collect it",
        "The law that allows us to use it",
        "Equality answers are special category data",
        "Who can see your information",
        "How long we keep it",
        "Your rights",
        "Cookies",
    ]


def test_notice_states_the_lawful_basis_for_ordinary_and_equality_data(pages):
    text = _text(pages.get("main.privacy"))
    assert "Article 6(1)(e)" in text
    assert "Article 9(2)(a)" in text
    assert "explicit consent" in text
    assert "Schedule 1, Part 2, paragraph 8" in text
    assert "must confirm which of these applies" in text


def test_notice_states_retention_as_a_policy_to_confirm(pages):
    text = _text(pages.get("main.privacy"))
    assert "until you delete your account" in text
    assert "for 6 years" in text
    assert "policy the organisation running CertReady should confirm" in text


def test_notice_links_to_each_right_the_person_can_use_themselves(pages):
    page = pages.get("main.privacy")
    links = {link.get_text(strip=True): link["href"] for link in page.select("main a")}
    assert links["Download your data"] == "/account/data"
    assert links["Withdraw consent for analysis"] == "/account/consent"
    assert links["Delete your account"] == "/account/delete"


@pytest.mark.app_config(CERTREADY_MIN_CELL=15)
def test_notice_gives_the_configured_smallest_group(pages):
    text = _text(pages.get("main.privacy"))
    assert "groups of at least 15 people" in text
    assert "smaller than 15 people are hidden" in text


@pytest.mark.app_config(CERTREADY_PRIVACY_CONTACT="dpo@trust.example.org")
def test_an_email_contact_is_a_mailto_link(pages):
    contact = pages.get("main.privacy").select_one("#privacy-contact")
    assert contact.a["href"] == "mailto:dpo@trust.example.org"
    assert contact.a.get_text(strip=True) == "dpo@trust.example.org"


@pytest.mark.app_config(CERTREADY_PRIVACY_CONTACT="Write to the Data Protection Officer, <Trust HQ>, Leeds")
def test_a_sentence_contact_is_shown_as_text(pages):
    contact = pages.get("main.privacy").select_one("#privacy-contact")
    assert contact.a is None
    assert "Write to the Data Protection Officer, <Trust HQ>, Leeds" in _text(contact)


@pytest.mark.app_config(CERTREADY_ENV="production")
def test_without_a_contact_people_are_told_whom_to_ask(pages):
    contact = pages.get("main.privacy").select_one("#privacy-contact")
    assert "contact the organisation that gave you access to CertReady" in _text(contact)


def test_contact_setting_comes_from_the_environment(monkeypatch, tmp_path):
    from app.config import settings

    monkeypatch.setenv("CERTREADY_PRIVACY_CONTACT", "privacy@example.org")
    assert settings(tmp_path)["CERTREADY_PRIVACY_CONTACT"] == "privacy@example.org"
    monkeypatch.delenv("CERTREADY_PRIVACY_CONTACT")
    assert settings(tmp_path)["CERTREADY_PRIVACY_CONTACT"] is None


# --- The controller, DPO, lawful basis and retention as deployment settings --------------------

DEPLOYED = {
    "CERTREADY_CONTROLLER_NAME": "Leeds Teaching Hospitals NHS Trust",
    "CERTREADY_PRIVACY_CONTACT": "privacy@trust.example.nhs.uk",
    "CERTREADY_DPO_CONTACT": "dpo@trust.example.nhs.uk",
    "CERTREADY_LAWFUL_BASIS": "public-task",
    "CERTREADY_BACKUP_RETENTION_DAYS": 35,
}


@pytest.mark.app_config(**DEPLOYED)
def test_a_configured_notice_names_the_controller_dpo_basis_and_backup_retention(pages):
    page = pages.get("main.privacy")
    assert "Leeds Teaching Hospitals NHS Trust runs this CertReady service and is the controller" in _text(
        page.select_one("#privacy-controller")
    )
    assert page.select_one("#privacy-contact a")["href"] == "mailto:privacy@trust.example.nhs.uk"
    assert page.select_one("#privacy-dpo a")["href"] == "mailto:dpo@trust.example.nhs.uk"
    basis = _text(page.select_one("#privacy-lawful-basis"))
    assert "Article 6(1)(e)" in basis
    assert "Article 6(1)(f)" not in basis
    assert "must confirm which of these applies" not in _text(page)
    assert "Our backups keep information for 35 days" in _text(page.select_one("#privacy-backups"))
    assert page.select_one("#privacy-placeholders") is None
    assert page.select(".certready-placeholder") == []


@pytest.mark.app_config(CERTREADY_LAWFUL_BASIS="legitimate-interests")
def test_legitimate_interests_is_stated_alone(pages):
    basis = _text(pages.get("main.privacy").select_one("#privacy-lawful-basis"))
    assert "Article 6(1)(f)" in basis
    assert "Article 6(1)(e)" not in basis


def test_in_development_every_unset_setting_shows_an_obvious_placeholder(pages):
    page = pages.get("main.privacy")
    callout = _text(page.select_one("#privacy-placeholders"))
    assert "Not finished: development placeholders" in callout
    assert (
        "has not yet set the data controller's name, how to contact the data controller, the lawful basis "
        "for ordinary personal data and how long backups keep deleted information."
    ) in callout
    placeholders = [_text(tag) for tag in page.select(".certready-placeholder")]
    assert "[Data controller’s name not set]" in placeholders
    assert "[contact details not set]" in placeholders
    assert page.select_one("#privacy-dpo") is None  # optional: no placeholder


@pytest.mark.app_config(CERTREADY_ENV="production")
def test_in_production_unset_settings_show_no_placeholder(pages):
    page = pages.get("main.privacy")
    assert page.select_one("#privacy-placeholders") is None
    assert page.select(".certready-placeholder") == []
    assert "The organisation that runs this CertReady service is the controller" in _text(page)


def test_production_start_up_warns_about_unset_privacy_settings(make_app, caplog):
    caplog.set_level(logging.WARNING, logger="app.main.views")
    make_app(TESTING=False, CERTREADY_ENV="production")
    warnings = [r.getMessage() for r in caplog.records if "privacy notice is incomplete" in r.getMessage()]
    assert warnings == [
        "The privacy notice is incomplete: set CERTREADY_CONTROLLER_NAME, CERTREADY_PRIVACY_CONTACT, "
        "CERTREADY_LAWFUL_BASIS, CERTREADY_BACKUP_RETENTION_DAYS (see docs/configuration.md)"
    ]
    caplog.clear()
    make_app(TESTING=False, CERTREADY_ENV="production", **DEPLOYED)
    assert not [r for r in caplog.records if "privacy notice" in r.getMessage()]


def test_an_unknown_lawful_basis_stops_the_app_starting(make_app):
    from app.config import SettingError

    with pytest.raises(SettingError, match="CERTREADY_LAWFUL_BASIS must be one of"):
        make_app(CERTREADY_LAWFUL_BASIS="consent")


def test_backup_retention_must_be_whole_days(monkeypatch, tmp_path):
    from app.config import SettingError, settings

    monkeypatch.setenv("CERTREADY_BACKUP_RETENTION_DAYS", "a month")
    with pytest.raises(SettingError, match="CERTREADY_BACKUP_RETENTION_DAYS must be a whole number"):
        settings(tmp_path)
    monkeypatch.setenv("CERTREADY_BACKUP_RETENTION_DAYS", "30")
    assert settings(tmp_path)["CERTREADY_BACKUP_RETENTION_DAYS"] == 30
