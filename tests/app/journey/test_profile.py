from __future__ import annotations

from typing import get_args

import pytest
from sqlalchemy import select

from app.extensions import db
from app.journey.choices import LABELS, LITERALS, QUESTION_LABELS, choices_for
from app.journey.profile_forms import PAGES, EqualityForm
from app.models import AuditEvent, Profile
from assessments.profile import EQUALITY_FIELDS, PREFER_NOT
from tests.app.journey.conftest import fresh, give_profile, start
from tests.fixtures.pages import error_messages, summary_messages


def _profile(user) -> Profile | None:
    db.session.expire_all()
    return db.session.scalar(select(Profile).where(Profile.user_id == user.id))


def test_every_choice_value_has_a_written_label():
    for question, literal in LITERALS.items():
        for value in get_args(literal):
            assert value in LABELS or (question, value) in QUESTION_LABELS, (question, value)


def test_choices_come_from_the_domain_types_in_order():
    assert [choice.value for choice in choices_for("contract")] == list(get_args(LITERALS["contract"]))


def test_equality_form_asks_every_equality_field_each_with_prefer_not_to_say():
    form_fields = [name for name in EqualityForm.__dict__ if name in EQUALITY_FIELDS]
    assert sorted(form_fields) == sorted(EQUALITY_FIELDS)
    for name in EQUALITY_FIELDS:
        assert PREFER_NOT in [choice.value for choice in choices_for(name)], name


def test_pages_come_in_the_journey_order():
    assert [page.slug for page in PAGES] == [
        "working-pattern",
        "time-and-study",
        "attendance-and-travel",
        "context",
        "background",
        "adjustments",
        "equality-information",
        "equality",
        "consent",
    ]


@pytest.mark.parametrize("slug", [page.slug for page in PAGES])
def test_every_about_you_page_renders_with_hints(pages, participant_client, slug):
    page = pages.get("journey.edit_profile", slug=slug)
    if slug != "equality-information":
        hints = page.select("form .nhsuk-hint:not(.nhsuk-radios__hint):not(.nhsuk-checkboxes__hint)")
        questions = page.select("form fieldset, form .nhsuk-form-group > label")
        assert len(hints) >= len(questions) > 0


def test_walking_the_pages_in_an_assessment_saves_everything_and_lands_on_domain_one(
    pages, participant_client, participant, framework
):
    assessment_id = start(participant_client)
    steps = [
        ("working-pattern", {"contract": "compressed-hours", "hours_per_week": "37.5"}),
        (
            "time-and-study",
            {
                "study_hours_per_week_available": "3",
                "study_leave_days_per_year": "0",
                "on_call": "yes",
                "caring_responsibilities": "no",
            },
        ),
        (
            "attendance-and-travel",
            {"can_attend_in_person": "with-support", "max_travel_hours": "1.5", "location": "Cardiff"},
        ),
        (
            "context",
            {
                "nation": "wales",
                "sector": "social-care",
                "employer_support": "unsure",
                "digital_time_percent": "25",
            },
        ),
        (
            "background",
            {
                "staff_group": "non-clinical",
                "profession": "Analyst",
                "professional_registration": "no",
                "role_level": "middle-manager",
                "years_in_digital": "4",
                "years_in_leadership": "1",
                "highest_qualification": "apprenticeship",
                "learning_routes": ["start-up", "hackathon"],
                "employer_funding": "unknown",
                "memberships": "BCS, FEDIP",
            },
        ),
        ("adjustments", {"needs_adjustments": "yes"}),
    ]
    for index, (slug, data) in enumerate(steps):
        following = steps[index + 1][0] if index + 1 < len(steps) else "equality-information"
        pages.post(
            "journey.edit_profile",
            data,
            slug=slug,
            assessment=assessment_id,
            redirects_to=f"/profile/{following}?assessment={assessment_id}",
        )
        # Leaving here and coming back resumes on the next page.
        assert fresh(assessment_id).current_step == f"profile:{following}"
    explainer = pages.get("journey.edit_profile", slug="equality-information", assessment=assessment_id)
    assert "never affect" in explainer.get_text()
    pages.post(
        "journey.edit_profile",
        {"sex": "female", "religion": PREFER_NOT},
        slug="equality",
        assessment=assessment_id,
        redirects_to=f"/profile/consent?assessment={assessment_id}",
    )
    pages.post(
        "journey.edit_profile",
        {"consent": "no"},
        slug="consent",
        assessment=assessment_id,
        redirects_to=f"/assessments/{assessment_id}/domains/{framework.domains[0].id}",
    )

    profile = _profile(participant)
    assert profile.answers == {
        "contract": "compressed-hours",
        "hours_per_week": 37.5,
        "study_hours_per_week_available": 3.0,
        "study_leave_days_per_year": 0.0,
        "on_call": True,
        "caring_responsibilities": False,
        "can_attend_in_person": "with-support",
        "max_travel_hours": 1.5,
        "location": "Cardiff",
        "nation": "wales",
        "sector": "social-care",
        "employer_support": "unsure",
        "digital_time_percent": 25.0,
        "staff_group": "non-clinical",
        "profession": "Analyst",
        "professional_registration": False,
        "role_level": "middle-manager",
        "years_in_digital": 4.0,
        "years_in_leadership": 1.0,
        "highest_qualification": "apprenticeship",
        "learning_routes": ["start-up", "hackathon"],
        "employer_funding": "unknown",
        "memberships": ["BCS", "FEDIP"],
        "needs_adjustments": True,
    }
    assert profile.equality == {"sex": "female", "religion": PREFER_NOT}
    assert profile.consent_aggregate is False


def test_blank_optional_answers_are_stored_as_not_answered(pages, participant_client, participant):
    give_profile(participant, {"staff_group": "clinical", "hours_per_week": 30, "contract": "part-time"})
    pages.post(
        "journey.edit_profile",
        {"contract": "", "hours_per_week": "  "},
        slug="working-pattern",
        redirects_to="/profile/time-and-study",
    )
    assert _profile(participant).answers == {"staff_group": "clinical"}


BAD_INPUT = [
    (
        "working-pattern",
        {"hours_per_week": "lots"},
        "hours_per_week",
        "Hours a week must be a number, like 37.5",
    ),
    ("working-pattern", {"hours_per_week": "0"}, "hours_per_week", "Hours a week must be between 1 and 100"),
    (
        "working-pattern",
        {"hours_per_week": "101"},
        "hours_per_week",
        "Hours a week must be between 1 and 100",
    ),
    (
        "working-pattern",
        {"hours_per_week": "nan"},
        "hours_per_week",
        "Hours a week must be a number, like 37.5",
    ),
    (
        "working-pattern",
        {"hours_per_week": "inf"},
        "hours_per_week",
        "Hours a week must be a number, like 37.5",
    ),
    ("working-pattern", {"contract": "zero-hours"}, "contract", "Select your working pattern from the list"),
    ("time-and-study", {"on_call": "maybe"}, "on_call", "Select whether you work on call from the list"),
    (
        "time-and-study",
        {"study_leave_days_per_year": "400"},
        "study_leave_days_per_year",
        "Study leave days a year must be between 0 and 365",
    ),
    (
        "attendance-and-travel",
        {"location": "x" * 121},
        "location",
        "Where you are based must be 120 characters or fewer",
    ),
    (
        "attendance-and-travel",
        {"max_travel_hours": "-1"},
        "max_travel_hours",
        "Travel time must be between 0 and 24",
    ),
    ("context", {"nation": "france"}, "nation", "Select the nation you work in from the list"),
    (
        "context",
        {"digital_time_percent": "150"},
        "digital_time_percent",
        "The share of your time on digital work must be between 0 and 100",
    ),
    ("background", {}, "staff_group", "Select whether you are clinical or non-clinical staff"),
    (
        "background",
        {"staff_group": "both"},
        "staff_group",
        "Select whether you are clinical or non-clinical staff from the list",
    ),
    (
        "background",
        {"staff_group": "clinical", "learning_routes": ["hackathon", "telepathy"]},
        "learning_routes",
        "Select how you learned your digital skills from the list",
    ),
    (
        "background",
        {"staff_group": "clinical", "memberships": "BCS, " + "y" * 61},
        "memberships",
        "Each of your memberships must be 60 characters or fewer (‘yyyyyyyyyyyyyyyyyyyy…’ is 61)",
    ),
    (
        "background",
        {"staff_group": "clinical", "profession": "p" * 121},
        "profession",
        "Your profession must be 120 characters or fewer",
    ),
    (
        "adjustments",
        {"needs_adjustments": "1"},
        "needs_adjustments",
        "Select whether you would need reasonable adjustments from the list",
    ),
    ("equality", {"ethnic_group": "martian"}, "ethnic_group", "Select your ethnic group from the list"),
    ("consent", {}, "consent", "Select whether we can include your answers"),
    ("consent", {"consent": "perhaps"}, "consent", "Select yes or no from the list"),
]


@pytest.mark.parametrize(
    ("slug", "data", "field", "message"),
    BAD_INPUT,
    ids=[f"{slug}-{field}-{i}" for i, (slug, _, field, _) in enumerate(BAD_INPUT)],
)
def test_bad_profile_input_gets_a_specific_message_and_changes_nothing(
    pages, participant_client, participant, slug, data, field, message
):
    give_profile(participant, {"staff_group": "clinical", "contract": "full-time", "hours_per_week": 37.5})
    before = dict(_profile(participant).answers), dict(_profile(participant).equality)
    page = pages.post("journey.edit_profile", data, slug=slug)
    assert error_messages(page)[field] == message
    assert summary_messages(page)[field] == message
    assert page.title.get_text().startswith("Error: ")
    profile = _profile(participant)
    assert (profile.answers, profile.equality) == before


def test_equality_answers_change_on_their_own_page_without_touching_the_rest(
    pages, participant_client, participant
):
    give_profile(participant, equality={"age_band": "35-44", "sex": "male"})
    answers_before = dict(_profile(participant).answers)
    pages.post(
        "journey.edit_profile", {"age_band": PREFER_NOT}, slug="equality", change=1, redirects_to="/profile/"
    )
    profile = _profile(participant)
    assert profile.equality == {"age_band": PREFER_NOT}
    assert profile.answers == answers_before


def test_equality_page_says_why_and_that_answers_never_affect_results(pages, participant_client):
    page = pages.get("journey.edit_profile", slug="equality")
    for fieldset in page.select("form fieldset"):
        assert "never affects" in fieldset.select_one(".nhsuk-hint").get_text()
        assert "Prefer not to say" in [label.get_text(strip=True) for label in fieldset.select("label")]


def test_adjustments_question_says_exactly_how_it_is_used(pages, participant_client):
    page = pages.get("journey.edit_profile", slug="adjustments")
    hint = page.select_one("#needs_adjustments-hint").get_text()
    assert "for one thing only" in hint
    assert "do not say they offer reasonable adjustments" in hint


def test_consent_defaults_to_no(pages, participant_client, participant):
    page = pages.get("journey.edit_profile", slug="consent")
    assert page.select_one("input[name=consent][checked]")["value"] == "no"
    assert _profile(participant) is None or _profile(participant).consent_aggregate is False


def test_consent_change_is_timestamped_and_audited(pages, participant_client, participant):
    pages.post("journey.edit_profile", {"consent": "yes"}, slug="consent", redirects_to="/profile/")
    profile = _profile(participant)
    assert profile.consent_aggregate is True
    first_change = profile.consent_changed_at
    assert first_change is not None
    pages.post("journey.edit_profile", {"consent": "no"}, slug="consent", redirects_to="/profile/")
    profile = _profile(participant)
    assert profile.consent_aggregate is False
    assert profile.consent_changed_at >= first_change
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.actor_id == participant.id).order_by(AuditEvent.id)
    ).all()
    assert [a for a in actions if a.startswith("consent.")] == ["consent.given", "consent.withdrawn"]
    # Audit details never carry equality answers.
    details = db.session.scalars(select(AuditEvent.detail)).all()
    assert all("female" not in str(detail) for detail in details)


def test_profile_is_reused_by_a_later_assessment(participant_client, participant, framework):
    give_profile(participant)
    first = start(participant_client)
    second = start(participant_client, "fedip-practitioner")
    for assessment_id in (first, second):
        response = participant_client.get(f"/assessments/{assessment_id}/")
        assert "/domains/" in response.location


def test_profile_summary_has_change_links_for_every_answer(pages, participant_client, participant):
    give_profile(participant)
    page = pages.get("journey.show_profile")
    change_links = [a["href"] for a in page.select(".nhsuk-summary-list__actions a")]
    assert "/profile/working-pattern?change=1#hours_per_week" in change_links
    assert "/profile/equality?change=1#sex" in change_links
    assert "/profile/consent?change=1#consent" in change_links
    assert "22.5" in page.get_text()


def test_profile_page_with_someone_elses_assessment_is_404(
    pages, participant_client, make_user, signed_in, client
):
    other = make_user()
    give_profile(other)
    other_client = signed_in(client.application.test_client(), other)
    other_assessment = start(other_client)
    pages.get("journey.edit_profile", status=404, slug="working-pattern", assessment=other_assessment)
    pages.get("/profile/working-pattern?assessment=abc", status=404)
