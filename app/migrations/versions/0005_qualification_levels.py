"""Qualifications by level: stored qualification answers move to one scale of levels.

``highest_qualification`` used to mix a *level* (GCSEs, a degree, ...) with a *route*
("apprenticeship"). It is now the level on the RQF scale (England, Wales, Northern Ireland; the
SCQF equivalents are in the labels), and how the person learned stays in ``learning_routes``:

    none -> none, gcse -> level-1-2, a-level -> level-3, degree -> level-6,
    masters -> level-7, doctorate -> level-8.

An old ``apprenticeship`` answer says which route but not which level (apprenticeships run from
level 2 to level 7), so no level can be given without a guess: this migration moves it to the
apprenticeship learning route (added to ``learning_routes`` if it was not there) and leaves the
level unanswered. Those people are asked again by the "Your background" page's qualification
question, and until they answer, a programme with a minimum qualification lists that rule as
undetermined for them rather than deciding it.

Rewritten: profile answers, the profile snapshot of every assessment, the cohort rows (their
qualification column and apprenticeship route), framework snapshots' ``min_qualification``
(with their fingerprint, which is a hash of the content) and saved what-if scenarios' changes.
A framework or scenario that requires ``apprenticeship`` as a minimum has no level to move to, so
the upgrade stops with a message naming it instead of choosing one. Any value outside the old
list also stops the upgrade. The cohort tallies are emptied, because the groups by qualification
and learning route change; ``certready init-db`` (which runs this upgrade) rebuilds them, and
until then figures are counted from the rows.

Downgrade maps the levels back; ``level-4`` and ``level-5`` have no old value, so a downgrade
meeting one stops with a message. An apprenticeship route added by the upgrade is left in place
(it cannot be told apart from one the person chose).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 18:30:00

"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OLD_TO_NEW: dict[str, str | None] = {
    "none": "none",
    "gcse": "level-1-2",
    "a-level": "level-3",
    "apprenticeship": None,
    "degree": "level-6",
    "masters": "level-7",
    "doctorate": "level-8",
}
NEW_TO_OLD: dict[str, str] = {new: old for old, new in OLD_TO_NEW.items() if new is not None}
ROUTE_ORDER = (
    "formal-education",
    "apprenticeship",
    "employer-training",
    "self-taught",
    "start-up",
    "hackathon",
    "online-community",
    "professional-network",
)
"""The learning routes as declared when this migration was written (frozen here on purpose)."""


class QualificationMigrationError(RuntimeError):
    """A stored value this migration cannot move without guessing."""


profile = sa.table("profile", sa.column("id", sa.Integer), sa.column("answers", sa.JSON))
assessment = sa.table("assessment", sa.column("id", sa.Integer), sa.column("profile_snapshot", sa.JSON))
framework_snapshot = sa.table(
    "framework_snapshot",
    sa.column("id", sa.Integer),
    sa.column("framework_id", sa.String),
    sa.column("fingerprint", sa.String),
    sa.column("content", sa.Text),
)
scenario = sa.table(
    "designer_scenario",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("changes", sa.JSON),
)
cohort = sa.table(
    "cohort_record",
    sa.column("highest_qualification", sa.String),
    sa.column("learning_routes_answered", sa.Boolean),
    sa.column("route_apprenticeship", sa.Boolean),
)


def upgrade_answers(answers: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Profile answers with the qualification as a level (and an apprenticeship as a route)."""
    result = dict(answers)
    if "highest_qualification" not in result:
        return result
    old = result["highest_qualification"]
    if old not in OLD_TO_NEW:
        raise QualificationMigrationError(f"{where}: highest_qualification {old!r} is not a known value")
    new = OLD_TO_NEW[old]
    if new is None:
        del result["highest_qualification"]
        routes = set(result.get("learning_routes") or ()) | {"apprenticeship"}
        result["learning_routes"] = [route for route in ROUTE_ORDER if route in routes]
    else:
        result["highest_qualification"] = new
    return result


def downgrade_answers(answers: Mapping[str, Any], where: str) -> dict[str, Any]:
    result = dict(answers)
    if "highest_qualification" in result:
        result["highest_qualification"] = _old_level(result["highest_qualification"], where)
    return result


def _old_level(value: Any, where: str) -> str:
    if value not in NEW_TO_OLD:
        raise QualificationMigrationError(
            f"{where}: the qualification level {value!r} has no value before revision 0005; "
            "change it before downgrading"
        )
    return NEW_TO_OLD[value]


def _new_minimum(value: Any, where: str) -> str:
    new = OLD_TO_NEW.get(value) if isinstance(value, str) else None
    if new is None:
        raise QualificationMigrationError(
            f"{where}: min_qualification {value!r} has no qualification level (an apprenticeship is a "
            "route, from level 2 to level 7); set the level it means before upgrading"
        )
    return new


def _fingerprint(content: Mapping[str, Any]) -> str:
    """As ``Framework.fingerprint``: a hash of the content's canonical JSON."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _rewrite(
    answers: Callable[[Mapping[str, Any], str], dict[str, Any]], minimum: Callable[[Any, str], str]
) -> None:
    bind = op.get_bind()
    for row in bind.execute(sa.select(profile.c.id, profile.c.answers)).all():
        if row.answers:
            changed = answers(row.answers, f"profile {row.id}")
            if changed != row.answers:
                bind.execute(profile.update().where(profile.c.id == row.id).values(answers=changed))
    for row in bind.execute(sa.select(assessment.c.id, assessment.c.profile_snapshot)).all():
        snapshot = row.profile_snapshot
        if snapshot and snapshot.get("answers"):
            changed = answers(snapshot["answers"], f"assessment {row.id} (profile when submitted)")
            if changed != snapshot["answers"]:
                bind.execute(
                    assessment.update()
                    .where(assessment.c.id == row.id)
                    .values(profile_snapshot={**snapshot, "answers": changed})
                )
    for row in bind.execute(sa.select(framework_snapshot)).all():
        content = json.loads(row.content)
        eligibility = content.get("eligibility") or {}
        if "min_qualification" not in eligibility:
            continue
        where = f"framework snapshot {row.id} ({row.framework_id})"
        new_minimum = minimum(eligibility["min_qualification"], where)
        if new_minimum == eligibility["min_qualification"]:
            continue
        content["eligibility"] = {**eligibility, "min_qualification": new_minimum}
        bind.execute(
            framework_snapshot.update()
            .where(framework_snapshot.c.id == row.id)
            .values(content=json.dumps(content), fingerprint=_fingerprint(content))
        )
    for saved in bind.execute(sa.select(scenario.c.id, scenario.c.name, scenario.c.changes)).all():
        eligibility = (saved.changes or {}).get("eligibility") or {}
        if "min_qualification" in eligibility:
            where = f"saved scenario {saved.id} ({saved.name})"
            changed = {**eligibility, "min_qualification": minimum(eligibility["min_qualification"], where)}
            bind.execute(
                scenario.update()
                .where(scenario.c.id == saved.id)
                .values(changes={**saved.changes, "eligibility": changed})
            )


def _check_cohort_values(allowed: set[str], when: str) -> None:
    found = op.get_bind().execute(sa.select(cohort.c.highest_qualification).distinct()).scalars().all()
    unknown = sorted(str(value) for value in found if value is not None and value not in allowed)
    if unknown:
        raise QualificationMigrationError(
            f"cohort_record holds qualification values {', '.join(map(repr, unknown))}, unknown {when}"
        )


def _empty_tallies() -> None:
    # Groups by qualification and learning route change; init-db rebuilds the tallies from the rows.
    for table in ("cohort_tally_flag", "cohort_tally", "cohort_tally_state"):
        op.execute(sa.text(f"DELETE FROM {table}"))


def upgrade() -> None:
    _check_cohort_values(set(OLD_TO_NEW), "before revision 0005")
    _rewrite(upgrade_answers, _new_minimum)
    op.execute(
        cohort.update()
        .where(cohort.c.highest_qualification == "apprenticeship")
        .values(highest_qualification=None, route_apprenticeship=True, learning_routes_answered=True)
    )
    for old, new in OLD_TO_NEW.items():
        if new is not None and new != old:
            op.execute(
                cohort.update().where(cohort.c.highest_qualification == old).values(highest_qualification=new)
            )
    _empty_tallies()


def downgrade() -> None:
    _check_cohort_values(set(NEW_TO_OLD), "before downgrading revision 0005")
    _rewrite(downgrade_answers, _old_level)
    for new, old in NEW_TO_OLD.items():
        if new != old:
            op.execute(
                cohort.update().where(cohort.c.highest_qualification == new).values(highest_qualification=old)
            )
    _empty_tallies()
