from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from wtforms.fields.core import UnboundField

from app.extensions import db
from app.journey.choices import choices_for
from app.journey.profile_forms import EQUALITY_PAGES, EQUALITY_TOPICS, PAGES, EqualityForm
from app.models import AuditEvent, Profile
from assessments import vocabulary
from assessments.profile import EQUALITY_FIELDS, PREFER_NOT
from tests.app.journey.conftest import BASIC_PROFILE, fresh, give_profile, start
from tests.fixtures.pages import error_messages, summary_messages


def _profile(user) -> Profile | None:
    db.session.expire_all()
    return db.session.scalar(select(Profile).where(Profile.user_id == user.id))


def test_choices_and_their_labels_come_from_the_vocabulary_in_order():
    for declared in vocabulary.ANSWERS:
        if declared.kind in ("choice", "choices", "yes-no"):
            shown = [(choice.value, choice.label) for choice in choices_for(declared.key)]
            assert shown == [(c.value, vocabulary.label(declared.key, c.value)) for c in declared.choices]


def test_each_page_asks_the_answers_the_vocabulary_puts_on_it():
    asked = {}
    for page in PAGES:
        if page.form_class is not None and page.store != "consent":
            for name in _fields(page):
                asked[name] = page.slug
    for declared in vocabulary.ANSWERS:
        slug = asked[declared.key]
        expected = declared.page if not declared.equality else EQUALITY_TOPICS[declared.page][0]
        assert slug == expected, declared.key


def test_number_questions_use_the_declared_bounds():
    for page in PAGES:
        if page.form_class is None:
            continue
        form_fields = page.form_class.__dict__
        for name in _fields(page):
            declared = vocabulary.FIELDS.get(name)
            if declared is not None and declared.kind == "number":
                kwargs = form_fields[name].kwargs
                assert (kwargs["low"], kwargs["high"]) == (declared.low, declared.high), name


def _fields(page) -> list[str]:
    """The page's questions in the order it asks them."""
    declared = [(name, f) for name, f in vars(page.form_class).items() if isinstance(f, UnboundField)]
    return [name for name, _ in sorted(declared, key=lambda item: item[1].creation_counter)]


def test_the_equality_pages_ask_every_equality_question_once_each_with_prefer_not_to_say():
    asked = [name for page in EQUALITY_PAGES for name in _fields(page)]
    assert sorted(asked) == sorted(EQUALITY_FIELDS)
    assert [name for name in EqualityForm.__dict__ if name in EQUALITY_FIELDS] == list(EQUALITY_FIELDS)
    for name in EQUALITY_FIELDS:
        assert PREFER_NOT in [choice.value for choice in choices_for(name)], name


def test_each_equality_page_is_one_topic_or_the_sex_and_gender_pair():
    shapes = {page.slug: _fields(page) for page in EQUALITY_PAGES}
    assert shapes.pop("equality-sex") == ["sex", "gender_same_as_birth"]
    assert all(len(names) == 1 for names in shapes.values()), shapes


def test_pages_come_in_the_journey_order():
    assert [page.slug for page in PAGES] == [
        "working-pattern",
        "time-and-study",
        "attendance-and-travel",
        "context",
        "background",
        "adjustments",
        "equality-information",
        "equality-age",
        "equality-sex",
        "equality-sexual-orientation",
        "equality-ethnic-group",
        "equality-religion",
        "equality-disability",
        "equality-marriage",
        "equality-pregnancy",
        "equality-unpaid-care",
        "equality-background",
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
                "highest_qualification": "level-4",
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
    equality_answers = {
        "equality-sex": {"sex": "female"},
        "equality-religion": {"religion": PREFER_NOT},
        "equality-disability": {"disability": "yes-a-little", "action": "skip"},  # skipped: not saved
    }
    for index, page in enumerate(EQUALITY_PAGES):
        following = EQUALITY_PAGES[index + 1].slug if index + 1 < len(EQUALITY_PAGES) else "consent"
        pages.post(
            "journey.edit_profile",
            equality_answers.get(page.slug, {}),
            slug=page.slug,
            assessment=assessment_id,
            redirects_to=f"/profile/{following}?assessment={assessment_id}",
        )
        assert fresh(assessment_id).current_step == f"profile:{following}"
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
        "highest_qualification": "level-4",
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
    (
        "equality-ethnic-group",
        {"ethnic_group": "martian"},
        "ethnic_group",
        "Select your ethnic group from the list",
    ),
    (
        "equality-sex",
        {"sex": "female", "gender_same_as_birth": "maybe"},
        "gender_same_as_birth",
        "Select whether your gender is the same as your sex registered at birth from the list",
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
        "journey.edit_profile",
        {"age_band": PREFER_NOT},
        slug="equality-age",
        change=1,
        redirects_to="/profile/",
    )
    profile = _profile(participant)
    assert profile.equality == {"age_band": PREFER_NOT, "sex": "male"}
    assert profile.answers == answers_before


EQUALITY_ANSWERS = st.fixed_dictionaries(
    {},
    optional={name: st.sampled_from([c.value for c in choices_for(name)]) for name in EQUALITY_FIELDS},
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    stored=EQUALITY_ANSWERS,
    page=st.sampled_from(EQUALITY_PAGES),
    chosen=EQUALITY_ANSWERS,
    skip=st.booleans(),
)
def test_saving_or_skipping_one_equality_page_changes_only_that_pages_answers(
    participant_client, participant, stored, page, chosen, skip
):
    profile = _profile(participant)
    if profile is not None:  # each example starts from its own stored answers
        profile.equality = {}
        db.session.commit()
    give_profile(participant, equality=stored)
    own = _fields(page)
    data = {name: value for name, value in chosen.items() if name in own}
    if skip:
        data["action"] = "skip"
    response = participant_client.post(f"/profile/{page.slug}", data=data)
    assert response.status_code == 302
    profile = _profile(participant)
    expected = {name: value for name, value in stored.items() if name not in own}
    if not skip:
        expected.update({name: value for name, value in data.items() if name in own})
    assert profile.equality == expected
    assert profile.answers == BASIC_PROFILE


def test_skip_leaves_the_question_unanswered_and_writes_nothing_when_nothing_was_stored(
    pages, participant_client, participant
):
    give_profile(participant, equality={"religion": "buddhist", "sex": "female"})
    pages.post(
        "journey.edit_profile",
        {"religion": "sikh", "action": "skip"},
        slug="equality-religion",
        redirects_to="/profile/equality-disability",
    )
    assert _profile(participant).equality == {"sex": "female"}
    audits = db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == participant.id))
    count = len(list(audits))
    pages.post(
        "journey.edit_profile",
        {"action": "skip"},
        slug="equality-disability",
        redirects_to="/profile/equality-marriage",
    )
    assert _profile(participant).equality == {"sex": "female"}
    audits = db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == participant.id))
    assert len(list(audits)) == count, "skipping an unanswered question wrote something"


@pytest.mark.parametrize("slug", [page.slug for page in EQUALITY_PAGES])
def test_every_equality_page_says_why_offers_prefer_not_to_say_continue_and_skip(
    pages, participant_client, slug
):
    page = pages.get("journey.edit_profile", slug=slug)
    fieldsets = page.select("form fieldset")
    assert len(fieldsets) == len(_fields(next(p for p in EQUALITY_PAGES if p.slug == slug)))
    for fieldset in fieldsets:
        hint = fieldset.select_one(".nhsuk-hint").get_text()
        assert hint.startswith("We ask this") or "Equality Act" in hint, hint
        assert "never affects" in hint
        assert "Prefer not to say" in [label.get_text(strip=True) for label in fieldset.select("label")]
    buttons = {button.get_text(strip=True): button for button in page.select("#profile-form button")}
    assert set(buttons) == {"Continue", "Skip this question"}
    assert (buttons["Skip this question"]["name"], buttons["Skip this question"]["value"]) == (
        "action",
        "skip",
    )
    position = EQUALITY_PAGES.index(next(p for p in EQUALITY_PAGES if p.slug == slug)) + 1
    assert f"{position} of {len(EQUALITY_PAGES)}" in page.select_one("h1").get_text()


def test_the_explainer_continues_to_the_first_question_and_skips_straight_to_consent(
    pages, participant_client, participant, framework
):
    assessment_id = start(participant_client)
    page = pages.get("journey.edit_profile", slug="equality-information", assessment=assessment_id)
    text = page.get_text(" ", strip=True)
    for promise in ("optional", "never affect", "only if you agree", "groups of 10 people or more"):
        assert promise in text, promise
    links = {a.get_text(strip=True): a["href"] for a in page.select("main a")}
    assert links["Continue"] == f"/profile/equality-age?assessment={assessment_id}"
    assert links["Skip these questions"] == f"/profile/consent?assessment={assessment_id}"
    # Skipping them all: the consent question, then rating, with no equality answer stored.
    consent = pages.get(links["Skip these questions"])
    assert consent.select_one("input[name=consent][checked]")["value"] == "no"
    pages.post(
        links["Skip these questions"],
        {"consent": "no"},
        redirects_to=f"/assessments/{assessment_id}/domains/{framework.domains[0].id}",
    )
    assert _profile(participant).equality == {}


def test_the_old_all_in_one_address_goes_to_the_first_question_and_saves_only_what_it_is_sent(
    pages, participant_client, participant
):
    give_profile(participant, equality={"religion": "jewish", "age_band": "25-34"})
    pages.get_redirect(
        "journey.edit_profile", slug="equality", change=1, redirects_to="/profile/equality-age?change=1"
    )
    pages.post(
        "journey.edit_profile",
        {"age_band": PREFER_NOT, "sex": "male"},
        slug="equality",
        redirects_to="/profile/consent",
    )
    assert _profile(participant).equality == {"religion": "jewish", "age_band": PREFER_NOT, "sex": "male"}


def test_a_stored_step_on_the_old_equality_page_resumes_at_the_first_question(
    participant_client, participant
):
    assessment_id = start(participant_client)
    assessment = fresh(assessment_id)
    assessment.current_step = "profile:equality"
    db.session.commit()
    response = participant_client.get(f"/assessments/{assessment_id}/")
    assert response.location == f"/profile/equality?assessment={assessment_id}"
    response = participant_client.get(response.location)
    assert response.location == f"/profile/equality-age?assessment={assessment_id}"


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
    assert "/profile/consent?change=1#consent" in change_links
    assert "22.5" in page.get_text()
    for equality_page in EQUALITY_PAGES:
        for name in _fields(equality_page):
            assert f"/profile/{equality_page.slug}?change=1#{name}" in change_links
    headings = [h2.get_text(strip=True) for h2 in page.select("main h2")]
    assert headings.count("Equality information") == 1, headings


@pytest.mark.parametrize(
    ("skip", "expected"),
    [
        (False, {"sex": "female", "gender_same_as_birth": "yes", "religion": "hindu"}),
        (True, {"religion": "hindu"}),
    ],
)
def test_change_links_for_equality_answers_return_to_the_summary(
    pages, participant_client, participant, skip, expected
):
    give_profile(participant, equality={"sex": "male", "religion": "hindu"})
    summary = pages.get("journey.show_profile")
    href = next(
        a["href"] for a in summary.select(".nhsuk-summary-list__actions a") if a["href"].endswith("#sex")
    )
    change = pages.get(href.partition("#")[0])
    assert change.select_one("input[name=sex][checked]")["value"] == "male"
    data = {"action": "skip"} if skip else {"sex": "female", "gender_same_as_birth": "yes"}
    pages.post(href.partition("#")[0], data, redirects_to="/profile/")
    assert _profile(participant).equality == expected
    assert _profile(participant).answers == BASIC_PROFILE


def test_change_link_from_check_your_answers_returns_there(pages, participant_client, participant):
    give_profile(participant, equality={"ethnic_group": "white"})
    assessment_id = start(participant_client)
    pages.post(
        "journey.edit_profile",
        {"ethnic_group": "mixed"},
        slug="equality-ethnic-group",
        assessment=assessment_id,
        change=1,
        redirects_to=f"/assessments/{assessment_id}/check",
    )
    assert _profile(participant).equality == {"ethnic_group": "mixed"}


def test_profile_page_with_someone_elses_assessment_is_404(
    pages, participant_client, make_user, signed_in, client
):
    other = make_user()
    give_profile(other)
    other_client = signed_in(client.application.test_client(), other)
    other_assessment = start(other_client)
    pages.get("journey.edit_profile", status=404, slug="working-pattern", assessment=other_assessment)
    pages.get("/profile/working-pattern?assessment=abc", status=404)
