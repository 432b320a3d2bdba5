"""The privacy notice at /privacy: what, why, the lawful basis, who sees it, how long, rights, contact."""

from __future__ import annotations

import pytest


def _text(page) -> str:
    return page.get_text(" ", strip=True)


def test_notice_has_every_section(pages):
    page = pages.get("main.privacy")
    headings = [heading.get_text(strip=True) for heading in page.select("main h2")]
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


def test_without_a_contact_people_are_told_whom_to_ask(pages):
    contact = pages.get("main.privacy").select_one("#privacy-contact")
    assert "contact the organisation that gave you access to CertReady" in _text(contact)


def test_contact_setting_comes_from_the_environment(monkeypatch, tmp_path):
    from app.config import settings

    monkeypatch.setenv("CERTREADY_PRIVACY_CONTACT", "privacy@example.org")
    assert settings(tmp_path)["CERTREADY_PRIVACY_CONTACT"] == "privacy@example.org"
    monkeypatch.delenv("CERTREADY_PRIVACY_CONTACT")
    assert settings(tmp_path)["CERTREADY_PRIVACY_CONTACT"] is None
