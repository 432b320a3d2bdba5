"""``certready demo-data``: a demo participant with a profile and finished assessments.

Made through the same services the web pages use, so the demo shows exactly what a real
person would see.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

import click
from flask.cli import with_appcontext

from assessments.ratings import Rating

if TYPE_CHECKING:
    from assessments.framework import Framework

DEMO_EMAIL = "demo.participant@example.org"
DEMO_PROGRAMMES = ("nhs-digital-academy-dhlp", "fedip-senior-practitioner")
DEMO_ANSWERS = {
    "contract": "part-time",
    "hours_per_week": 30,
    "on_call": True,
    "caring_responsibilities": True,
    "study_hours_per_week_available": 5,
    "study_leave_days_per_year": 5,
    "can_attend_in_person": "with-support",
    "max_travel_hours": 2,
    "location": "Leeds",
    "nation": "england",
    "sector": "nhs-community",
    "employer_support": "unsure",
    "digital_time_percent": 40,
    "staff_group": "clinical",
    "profession": "Nurse",
    "professional_registration": True,
    "role_level": "middle-manager",
    "years_in_digital": 3,
    "years_in_leadership": 2,
    "highest_qualification": "level-6",
    "learning_routes": ["employer-training", "hackathon", "online-community"],
    "employer_funding": "partial",
}


def demo_ratings(framework: Framework) -> dict[str, Rating]:
    """A plausible spread: some strengths, some gaps, and a few "no opportunity yet"."""
    ratings = {}
    for index, (_, criterion) in enumerate(framework.criteria()):
        if index % 5 == 3:
            ratings[criterion.id] = Rating(no_opportunity=True)
        else:
            level = max(0, min(framework.max_level, criterion.required_level + (index % 3) - 1))
            evidence = "Led a ward's move to e-observations; ran a hackathon team." if index % 4 == 0 else ""
            ratings[criterion.id] = Rating(level=level, evidence=evidence)
    return ratings


@click.command("demo-data")
@with_appcontext
@click.option("--email", default=DEMO_EMAIL, show_default=True, help="Email address of the demo participant.")
def demo_data(email: str) -> None:
    """Create a demo participant with a profile and a finished assessment for two programmes."""
    # Imported here: ``certready --help`` imports this module only to list the command.
    from app.auth import services as accounts
    from app.journey import services

    email = email.strip().lower()
    if accounts.find_user(email) is not None:
        click.echo(f"A demo participant already exists: {email}. Nothing was changed.")
        return
    password = "demo-" + secrets.token_urlsafe(12)
    user = accounts.create_user(email, password, display_name="Demo Participant")
    services.save_profile_answers(user, DEMO_ANSWERS)
    services.set_consent(user, False)
    catalogue = services.catalogue()
    chosen = [framework_id for framework_id in DEMO_PROGRAMMES if framework_id in catalogue]
    chosen = chosen or list(catalogue)[:2]
    for framework_id in chosen:
        assessment = services.start_assessment(user, framework_id)
        framework = services.framework_of(assessment)
        for domain in framework.domains:
            answers = {criterion.id: demo_ratings(framework)[criterion.id] for criterion in domain.criteria}
            services.save_domain_ratings(
                assessment,
                domain,
                answers,
                expected_version=assessment.version,
                next_step=services.step_after(framework, domain),
            )
        services.submit(user, assessment, expected_version=assessment.version)
        click.echo(f"Finished assessment for {framework.name}: {assessment.score} ({assessment.band}).")
    click.echo(f"Demo participant: {email}")
    click.echo(f"Password: {password}")
