from __future__ import annotations

import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import Assessment, FrameworkSnapshot
from assessments.framework import shipped_frameworks
from tests.app.journey.conftest import PROGRAMME, fresh, give_profile, start


def test_programmes_lists_every_shipped_framework_with_its_facts(pages, participant_client):
    page = pages.get("journey.choose_programme")
    for framework in shipped_frameworks().values():
        card = page.select_one(f"#programme-{framework.id}")
        assert card is not None, framework.id
        text = card.get_text(" ", strip=True)
        assert framework.name in text
        assert framework.provider in text
        assert card.select_one(f"a[href='{framework.source}']") is not None
        assert ("Fee not published: modelled" in text) == (not framework.delivery.fees_published)
        assert card.select_one("form input[name=framework_id]")["value"] == framework.id


def test_programmes_needs_sign_in(client, app):
    response = client.get("/programmes")
    assert response.status_code == 302
    assert "/login" in response.location


def test_start_creates_an_assessment_pinned_to_a_snapshot(participant_client, participant):
    assessment_id = start(participant_client)
    assessment = fresh(assessment_id)
    framework = shipped_frameworks()[PROGRAMME]
    assert assessment.user_id == participant.id
    assert assessment.status == "in-progress"
    assert assessment.framework_version == framework.version
    assert assessment.snapshot.fingerprint == framework.fingerprint()
    assert assessment.snapshot.content == framework.to_json()


def test_start_reuses_the_snapshot_row_for_unchanged_content(participant_client):
    first = start(participant_client)
    second = start(participant_client)
    assert first != second
    assert fresh(first).snapshot_id == fresh(second).snapshot_id
    assert db.session.scalar(select(func.count()).select_from(FrameworkSnapshot)) == 1


def test_start_without_a_profile_begins_with_about_you(participant_client):
    assessment_id = start(participant_client)
    response = participant_client.get(f"/assessments/{assessment_id}/")
    assert response.location.endswith(f"/profile/working-pattern?assessment={assessment_id}")


def test_start_with_a_profile_goes_straight_to_the_first_domain(participant_client, participant, framework):
    give_profile(participant)
    assessment_id = start(participant_client)
    response = participant_client.get(f"/assessments/{assessment_id}/")
    assert response.location.endswith(f"/assessments/{assessment_id}/domains/{framework.domains[0].id}")


def test_start_unknown_programme_is_refused_with_a_message(pages, participant_client):
    page = pages.post("journey.start_assessment", {"framework_id": "no-such-programme"}, status=400)
    assert "Choose a programme from the list" in page.select_one(".nhsuk-error-summary").get_text()
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 0


def test_assessments_list_shows_continue_and_results_links(pages, participant_client, participant):
    give_profile(participant)
    assessment_id = start(participant_client)
    page = pages.get("journey.list_assessments")
    link = page.select_one("#in-progress a")
    assert link["href"] == f"/assessments/{assessment_id}/"
    assert page.find("a", string="Start another assessment")["href"] == "/programmes"


def test_programmes_say_what_was_modelled_from_each_files_provenance(pages, participant_client):
    page = pages.get("journey.choose_programme")
    for framework in shipped_frameworks().values():
        card = page.select_one(f"#programme-{framework.id}")
        details = card.select_one("details.nhsuk-details")
        assert details is not None, framework.id
        if framework.modelled_notes:
            assert details.select_one("h3").get_text(strip=True) == "What was modelled"
        notes = [item.get_text(" ", strip=True) for item in details.select("li")]
        assert notes == list(framework.modelled_notes)
        # Participants never see field paths such as "delivery.fee_gbp".
        assert not re.search(r"\b(?:delivery|eligibility|provenance)\.\w+|\w+_\w+", card.get_text(" "))


def test_programme_duration_says_hour_for_one_hour_a_week(pages, participant_client):
    page = pages.get("journey.choose_programme")
    card = page.select_one("#programme-fci-core-competency").get_text(" ", strip=True)
    assert "about 1 hour a week" in card
    assert "about 12.5 hours a week" in page.select_one("#programme-nhs-digital-academy-dhlp").get_text(" ")


# --- Short cards and filters ------------------------------------------------------------------


def test_each_card_is_short_with_the_modelled_notes_behind_details(pages, participant_client):
    page = pages.get("journey.choose_programme")
    for framework in shipped_frameworks().values():
        card = page.select_one(f"#programme-{framework.id}")
        keys = [key.get_text(strip=True) for key in card.select("dt")]
        assert keys == ["Who it is for", "Format", "Time", "Cost"]
        details = card.select_one("details")
        assert framework.summary in details.get_text(" ", strip=True)
        # Outside the details the card holds only its first sentence, not the whole summary.
        details.extract()
        description = card.select_one(".nhsuk-card__description").get_text(strip=True)
        assert framework.summary.startswith(description)
        assert "What was modelled" not in card.get_text()
        assert len(description) < len(framework.summary)


def test_format_labels_name_every_delivery_format():
    from typing import get_args

    from app.journey.programme_cards import FORMAT_LABELS
    from assessments.framework import DeliveryFormat

    assert list(FORMAT_LABELS) == list(get_args(DeliveryFormat))


def _shown(page) -> set[str]:
    return {card["id"].removeprefix("programme-") for card in page.select("div.nhsuk-card[id^=programme-]")}


def test_filters_are_a_get_form_that_works_without_javascript(pages, participant_client):
    page = pages.get("journey.choose_programme")
    form = page.select_one("#programme-filters")
    assert (form["method"], form["action"]) == ("get", "/programmes")
    assert {select["name"] for select in form.select("select")} == {"format", "cost"}
    assert _shown(page) == set(shipped_frameworks())


def test_filtering_by_format_and_cost_shows_only_matching_programmes(pages, participant_client):
    frameworks = shipped_frameworks().values()
    page = pages.get("journey.choose_programme", format="blended")
    assert _shown(page) == {f.id for f in frameworks if f.delivery.format == "blended"}
    page = pages.get("journey.choose_programme", cost="no-fee")
    free = {f.id for f in frameworks if f.delivery.fee_gbp == 0 and f.delivery.annual_fee_gbp == 0}
    assert _shown(page) == free
    assert page.select_one("#filter-cost option[selected]")["value"] == "no-fee"
    assert f"Showing {len(free)} of {len(frameworks)} programmes" in page.select_one("#programme-count").text
    both = pages.get("journey.choose_programme", format="self-paced", cost="up-to-500")
    assert _shown(both) == {
        f.id
        for f in frameworks
        if f.delivery.format == "self-paced" and f.delivery.fee_gbp + f.delivery.annual_fee_gbp <= 500
    }


def test_an_unknown_filter_value_is_refused_with_a_message(pages, participant_client):
    response = participant_client.get("/programmes?format=teleport&cost=cheap")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Choose a format from the list" in text
    assert "Choose a cost from the list" in text
    assert "<title>Error: " in text


def test_card_facts_use_correct_plurals():
    from app.journey.programme_cards import card

    core = card(shipped_frameworks()["digital-leadership-core"])
    assert core.time.startswith("1 month, ")
    fci = card(shipped_frameworks()["fci-core-competency"])
    assert fci.time.endswith("about 1 hour a week")
