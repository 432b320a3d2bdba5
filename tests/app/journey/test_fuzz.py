"""Hostile form values never produce a 5xx and never store anything on a failed save."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app.journey.profile_forms import PAGES
from tests.app.journey.conftest import fresh, give_profile, start

hostile_text = st.one_of(
    st.text(max_size=300),
    # Long values built cheaply (a repeated character), so hypothesis spends no entropy on them.
    st.builds(lambda c, n: c * n, st.characters(blacklist_categories=("Cs",)), st.integers(4990, 5200)),
    st.sampled_from(
        [
            "",
            " ",
            "nan",
            "inf",
            "-0",
            "1e309",
            "0x10",
            "\x00",
            "‮",
            "9" * 40,
            "no-opportunity",
            "essential",
            "no-answer",
        ]
    ),
)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(
    values=st.lists(
        st.tuples(
            st.sampled_from(["level", "evidence", "relevance", "version", "action", "junk"]), hostile_text
        ),
        max_size=12,
    )
)
def test_rating_page_survives_hostile_posts(participant_client, participant, framework, values):
    if participant.profile is None:
        give_profile(participant)
    assessment_id = start(participant_client)
    domain = framework.domains[0]
    criterion_ids = [c.id for c in domain.criteria]
    data: list[tuple[str, str]] = []
    for index, (kind, value) in enumerate(values):
        criterion = criterion_ids[index % len(criterion_ids)]
        key = {
            "level": f"level-{criterion}",
            "evidence": f"evidence-{criterion}",
            "relevance": f"relevance-{criterion}",
        }.get(kind, kind)
        data.append((key, value))
    response = participant_client.post(
        f"/assessments/{assessment_id}/domains/{domain.id}", data=MultiDict(data)
    )
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert "There is a problem" in response.get_data(as_text=True)
        assert fresh(assessment_id).ratings == []


@FUZZ
@given(
    slug=st.sampled_from([page.slug for page in PAGES if page.form_class is not None]),
    values=st.dictionaries(
        st.sampled_from(
            [
                "contract",
                "hours_per_week",
                "staff_group",
                "memberships",
                "learning_routes",
                "sex",
                "consent",
                "location",
                "max_travel_hours",
                "needs_adjustments",
            ]
        ),
        hostile_text,
        max_size=6,
    ),
)
def test_profile_pages_survive_hostile_posts(participant_client, slug, values):
    response = participant_client.post(f"/profile/{slug}", data=values)
    assert response.status_code in (200, 302), response.status_code
