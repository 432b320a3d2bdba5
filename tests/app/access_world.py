"""Real objects to fill every URL of the app with: the access matrix and hardening tests share them.

The owner has a submitted, consented assessment (so results, the report and a row in the
designer's cohort exist); the other people have nothing of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, url_for

from app.auth.services import make_reset_token
from app.models import User
from assessments import risks
from assessments.framework import shipped_frameworks
from tests.app.journey.conftest import PROGRAMME
from tests.app.privacy.conftest import build_person
from tests.fixtures.users import make_user

ROLES = ("anonymous", "owner", "other", "designer", "admin")


@dataclass
class World:
    users: dict[str, User | None]
    values: dict[str, Any]
    query: dict[str, dict[str, Any]]


def _consultation(designer: User) -> tuple[int, int, str]:
    """A consultation gathering ideas, with one disadvantage: (its id, the item's id, its code)."""
    from app.consultation import services as consultations

    found = consultations.create(
        designer,
        proposal="Certify digital leaders",
        framework_id=None,
        vote_budget=5,
        several_votes_per_item=True,
        min_group=5,
    )
    item = consultations.add_item(found, "disadvantage", "Could exclude some people", by_designer=True)
    consultations.advance(designer, found, "draft")
    return found.id, item.id, found.code


def build_world(app: Flask) -> World:
    owner = build_person(app, email="owner@example.org")
    framework = shipped_frameworks()[PROGRAMME]
    designer = make_user(role="designer", email="designer@example.org")
    consultation_id, item_id, code = _consultation(designer)
    return World(
        users={
            "anonymous": None,
            "owner": owner.user,
            "other": make_user(email="other@example.org"),
            "designer": designer,
            "admin": make_user(role="admin", email="admin@example.org"),
        },
        values={
            "assessment_id": owner.assessment_id,
            "domain_id": framework.domains[0].id,
            "slug": "working-pattern",
            "token": make_reset_token(owner.user),
            "framework_id": PROGRAMME,
            "table": "groups",
            "scenario_id": 987654,
            "rule_id": risks.RULES[0].id,
            "consultation_id": consultation_id,
            "item_id": item_id,
            "code": code,
        },
        # A profile page reached from an assessment names it: the id must not work for others.
        query={"journey.edit_profile": {"assessment": owner.assessment_id}},
    )


def url_for_rule(app: Flask, endpoint: str, world: World) -> str:
    arguments = next(rule.arguments for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    unknown = set(arguments) - set(world.values)
    assert not unknown, f"{endpoint}: give tests/app/access_world.py a value for {sorted(unknown)}"
    values = {name: world.values[name] for name in arguments}
    return url_for(endpoint, **values, **world.query.get(endpoint, {}))
