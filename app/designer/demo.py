"""A synthetic cohort for demonstrations and benchmarks, made through the real engine.

Every synthetic person is marked three ways: an email under ``demo.certready.invalid`` (a
reserved domain that can never receive mail), an unusable password hash, and
``cohort_record.synthetic = true``. The shares below are plausible, modelled figures for the UK
health and care digital workforce (part-time staff, carers, social care, clinical and
non-clinical staff, learning routes); they are not survey data.

Readiness comes from ``assessments.scoring.readiness`` over a pool of rating patterns and flags
from ``assessments.risks.evaluate``, each computed once per distinct pattern or profile and
reused, which is what makes 100,000 people take seconds.
"""

from __future__ import annotations

import json
import random
import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert

from app.designer import tallies
from app.designer.fields import RULE_CATEGORY, masks_for, profile_columns
from app.designer.models import CohortFlag, CohortRecord
from app.extensions import db
from app.models import Assessment, Profile, ProgrammeProgress, User, utcnow
from assessments import risks, scoring
from assessments.framework import Framework
from assessments.profile import Profile as ProfileAnswers
from assessments.ratings import Rating

SYNTHETIC_DOMAIN = "demo.certready.invalid"
UNUSABLE_PASSWORD = "!synthetic-no-sign-in"
BATCH = 5000
PATTERNS = 240

Choice = Sequence[tuple[Any, float]]


def _pick(rng: random.Random, options: Choice) -> Any:
    values = [value for value, _ in options]
    weights = [weight for _, weight in options]
    return rng.choices(values, weights)[0]


CONTRACTS: Choice = (
    ("full-time", 60),
    ("part-time", 24),
    ("compressed-hours", 4),
    ("job-share", 2),
    ("shift-work", 6),
    ("bank-or-locum", 3),
    ("self-employed", 1),
)
SECTORS: Choice = (
    ("nhs-acute", 34),
    ("nhs-mental-health", 9),
    ("nhs-community", 9),
    ("nhs-ambulance", 3),
    ("primary-care", 9),
    ("integrated-care-board", 6),
    ("social-care", 16),
    ("local-authority", 4),
    ("independent-sector", 3),
    ("voluntary-sector", 3),
    ("supplier", 3),
    ("academia", 1),
)
ROUTE_SETS: Choice = (
    (("formal-education",), 22),
    (("formal-education", "employer-training"), 20),
    (("employer-training",), 12),
    (("self-taught", "online-community"), 9),
    (("self-taught",), 8),
    (("formal-education", "professional-network"), 8),
    (("apprenticeship",), 5),
    (("employer-training", "self-taught", "professional-network"), 6),
    (("hackathon", "start-up", "self-taught"), 2),
    ((), 3),
    (None, 5),
)


def _maybe(rng: random.Random, value: Any, unanswered: float = 0.05) -> Any:
    return None if rng.random() < unanswered else value


LOCATIONS: dict[str, tuple[str, ...]] = {
    "england": (
        "London",
        "Leeds",
        "Manchester",
        "Birmingham",
        "Norwich",
        "Carlisle",
        "Truro",
        "TR18 4AA",
        "LS6",
    ),
    "scotland": ("Glasgow", "Edinburgh", "Inverness", "IV2"),
    "wales": ("Cardiff", "Aberystwyth", "LL57"),
    "northern-ireland": ("Belfast", "BT93"),
}
"""Where synthetic people live, by nation: a spread of cities, remote towns and postcodes (modelled)."""


def synthetic_profile(rng: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
    """(profile answers, equality answers) for one plausible person."""
    staff_group = "clinical" if rng.random() < 0.55 else "non-clinical"
    contract = _pick(rng, CONTRACTS)
    reduced = contract in ("part-time", "job-share", "compressed-hours")
    hours = 37.5 if not reduced else rng.choice((15.0, 22.5, 30.0))
    carer_chance = 0.45 if reduced else 0.22
    answers: dict[str, Any] = {
        "staff_group": staff_group,
        "contract": contract,
        "hours_per_week": hours,
        "on_call": _maybe(rng, rng.random() < (0.3 if staff_group == "clinical" else 0.08)),
        "caring_responsibilities": _maybe(rng, rng.random() < carer_chance, 0.08),
        "study_hours_per_week_available": _maybe(
            rng, rng.choice((2, 3, 4, 6, 8, 10)) * (0.6 if reduced else 1)
        ),
        "study_leave_days_per_year": _maybe(rng, rng.choice((0, 3, 5, 10, 15)), 0.15),
        "can_attend_in_person": _maybe(rng, _pick(rng, (("yes", 78), ("with-support", 12), ("no", 10)))),
        "max_travel_hours": _maybe(rng, rng.choice((1.0, 1.5, 2.0, 3.0, 4.0)), 0.1),
        "nation": _pick(rng, (("england", 84), ("scotland", 8), ("wales", 5), ("northern-ireland", 3))),
        "employer_support": _maybe(rng, _pick(rng, (("yes", 50), ("unsure", 30), ("no", 20)))),
        "sector": _pick(rng, SECTORS),
        "role_level": _pick(
            rng,
            (
                ("aspiring", 18),
                ("middle-manager", 40),
                ("senior-manager", 28),
                ("director", 11),
                ("board", 3),
            ),
        ),
        "highest_qualification": _maybe(
            rng,
            _pick(
                rng,
                (
                    ("level-1-2", 6),
                    ("level-3", 10),
                    ("level-4", 3),
                    ("level-5", 3),
                    ("level-6", 45),
                    ("level-7", 28),
                    ("level-8", 5),
                ),
            ),
        ),
        "years_in_digital": _maybe(rng, float(rng.choice((0, 1, 2, 3, 4, 5, 7, 10, 15)))),
        "years_in_leadership": _maybe(rng, float(rng.choice((0, 1, 2, 3, 5, 8, 12)))),
        "employer_funding": _maybe(
            rng, _pick(rng, (("full", 35), ("partial", 20), ("none", 30), ("unknown", 15)))
        ),
        "needs_adjustments": _maybe(rng, rng.random() < 0.08, 0.1),
        "professional_registration": staff_group == "clinical" and rng.random() < 0.92,
    }
    if answers["sector"] == "social-care":
        answers["employer_funding"] = _maybe(
            rng, _pick(rng, (("full", 10), ("partial", 15), ("none", 60), ("unknown", 15)))
        )
    answers["location"] = _maybe(rng, rng.choice(LOCATIONS[answers["nation"]]), 0.12)
    routes = _pick(rng, ROUTE_SETS)
    if routes is not None:
        answers["learning_routes"] = list(routes)
    memberships = _pick(rng, ((None, 55), ((), 25), (("BCS",), 10), (("FCI",), 6), (("CHIME",), 4)))
    if memberships is not None:
        answers["memberships"] = list(memberships)
    answers = {key: value for key, value in answers.items() if value is not None}
    equality = {
        "age_band": _pick(
            rng,
            (("25-34", 18), ("35-44", 32), ("45-54", 32), ("55-64", 12), ("prefer-not-to-say", 3), (None, 3)),
        ),
        "sex": _pick(rng, (("female", 62), ("male", 33), ("prefer-not-to-say", 3), (None, 2))),
        "ethnic_group": _pick(
            rng,
            (
                ("white", 72),
                ("asian", 12),
                ("black", 7),
                ("mixed", 3),
                ("other", 2),
                ("prefer-not-to-say", 2),
                (None, 2),
            ),
        ),
        "disability": _pick(
            rng, (("no", 82), ("yes-a-little", 8), ("yes-a-lot", 3), ("prefer-not-to-say", 4), (None, 3))
        ),
        "unpaid_care_hours": _pick(
            rng, (("no", 68), ("1-19", 18), ("20-34", 5), ("35-49", 2), ("prefer-not-to-say", 3), (None, 4))
        ),
    }
    return answers, {key: value for key, value in equality.items() if value is not None}


@dataclass(frozen=True)
class Pattern:
    score: float
    band: str
    no_opportunity: int
    answers: int
    domains: tuple[tuple[str, float], ...] = ()
    """(domain id, readiness) as the real scoring gave them, for ``cohort_record.domain_scores``."""


def rating_patterns(framework: Framework, rng: random.Random, count: int = PATTERNS) -> list[Pattern]:
    """A pool of plausible rating sets, each scored once by the real scoring code.

    Sorted by how many "no opportunity" answers they hold, so people held back by access to
    experience can be given patterns from the top of the list.
    """
    criteria = [criterion for _, criterion in framework.criteria()]
    top = framework.max_level
    patterns = []
    for index in range(count):
        ability = index / count
        no_opportunity_chance = rng.choice((0.0, 0.05, 0.1, 0.2, 0.35))
        ratings = {}
        for criterion in criteria:
            if rng.random() < no_opportunity_chance:
                ratings[criterion.id] = Rating(no_opportunity=True)
            else:
                level = round(criterion.required_level - 2 + ability * 3 + rng.gauss(0, 0.8))
                ratings[criterion.id] = Rating(level=max(0, min(top, level)))
        readiness = scoring.readiness(framework, ratings)
        patterns.append(
            Pattern(
                round(readiness.score, 1),
                readiness.band,
                readiness.no_opportunity,
                len(criteria) - readiness.unrated,
                tuple((domain.id, round(domain.score, 1)) for domain in readiness.domains),
            )
        )
    return sorted(patterns, key=lambda pattern: pattern.no_opportunity)


CLINICAL_WORDS = ("clinical", "patient", "safety")
"""A criterion whose id or title holds one of these is treated as clinical by the modelled answers."""
CARE_OUTSIDE_NHS = ("social-care", "local-authority", "voluntary-sector")
SKIPS_RELEVANCE = 0.12
"""Share of synthetic people who leave the optional relevance question unanswered throughout."""


def _essential_chance(criterion_id: str, title: str, answers: dict[str, Any]) -> float:
    """Modelled, not survey data: how likely this person is to call a criterion essential.

    Most criteria are judged essential by about three in four; a clinical criterion (by its
    words, ``CLINICAL_WORDS``) much less often by leaders outside the NHS (social care, local
    authorities, the voluntary sector) and by non-clinical staff, so a demo cohort shows group
    differences on the fit-for-purpose page.
    """
    # A stable per-criterion base between 0.62 and 0.86, so criteria differ from one another.
    base = 0.62 + (sum(map(ord, criterion_id)) % 25) / 100
    if not any(word in f"{criterion_id} {title}".lower() for word in CLINICAL_WORDS):
        return base
    if answers.get("sector") in CARE_OUTSIDE_NHS:
        return 0.3
    return 0.9 if answers.get("staff_group") == "clinical" else 0.55


def synthetic_relevance(framework: Framework, answers: dict[str, Any], rng: random.Random) -> dict[str, str]:
    """One synthetic person's relevance answers (criterion id -> answer); modelled, see above."""
    if rng.random() < SKIPS_RELEVANCE:
        return {}
    given: dict[str, str] = {}
    for _, criterion in framework.criteria():
        if rng.random() < 0.04:  # the question is optional for each criterion too
            continue
        chance = _essential_chance(criterion.id, criterion.title, answers)
        draw = rng.random()
        if draw < chance:
            given[criterion.id] = "essential"
        else:  # of the rest, seven in ten say useful
            given[criterion.id] = "useful" if draw < chance + (1 - chance) * 0.7 else "not-necessary"
    return given


def _profile_key(answers: dict[str, Any]) -> str:
    return json.dumps(answers, sort_keys=True)


def generate(
    framework: Framework,
    snapshot_id: int,
    n: int,
    *,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
    repeat_share: float = 0.0,
) -> int:
    """Insert ``n`` synthetic consenting participants with submitted assessments; returns people written.

    With ``repeat_share``, that share of them also get an earlier submission and some say they
    took the programme in between (``add_repeats``: a modelled effect, not data).
    """
    if not 0 <= repeat_share <= 1:
        raise ValueError(f"repeat_share must be from 0 to 1 (got {repeat_share!r})")
    rng = random.Random(seed)
    # Its own stream, so adding relevance answers leaves every other synthetic answer as it was.
    relevance_rng = random.Random(f"relevance-{seed}")
    # Its own generator, so a cohort made with repeats has the same people as one made without.
    repeat_rng = random.Random(f"repeats-{seed}")
    patterns = rating_patterns(framework, rng)
    flags_cache: dict[str, list[dict[str, Any]]] = {}
    run = secrets.token_hex(3)
    now = utcnow()
    written = 0
    tallies.start_if_new(framework.id)
    for start in range(0, n, BATCH):
        size = min(BATCH, n - start)
        people = [synthetic_profile(rng) for _ in range(size)]
        users = [
            {
                "email": f"synthetic-{run}-{start + index + 1:07d}@{SYNTHETIC_DOMAIN}",
                "password_hash": UNUSABLE_PASSWORD,
                "display_name": None,
                "role": "participant",
                "session_token": secrets.token_hex(32),
                "created_at": now,
            }
            for index in range(size)
        ]
        user_ids = list(
            db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), users)
        )
        db.session.execute(
            insert(Profile),
            [
                {
                    "user_id": user_id,
                    "answers": answers,
                    "equality": equality,
                    "consent_aggregate": True,
                    "consent_changed_at": now,
                    "updated_at": now,
                    "version": 1,
                }
                for user_id, (answers, equality) in zip(user_ids, people, strict=True)
            ],
        )
        chosen = [_pattern_for(rng, patterns, answers) for answers, _ in people]
        flag_lists = [_flags(framework, answers, flags_cache) for answers, _ in people]
        assessment_rows = []
        for user_id, (answers, equality), pattern, flags in zip(
            user_ids, people, chosen, flag_lists, strict=True
        ):
            assessment_rows.append(
                {
                    "user_id": user_id,
                    "framework_id": framework.id,
                    "framework_version": framework.version,
                    "snapshot_id": snapshot_id,
                    "status": "submitted",
                    "current_step": "results",
                    "created_at": now,
                    "updated_at": now,
                    "submitted_at": now,
                    "score": pattern.score,
                    "band": pattern.band,
                    "result": {
                        "schema": 1,
                        "synthetic": True,
                        "framework": framework.id,
                        "readiness": {
                            "score": pattern.score,
                            "band": pattern.band,
                            "no_opportunity": pattern.no_opportunity,
                        },
                        "risks": flags,
                    },
                    "profile_snapshot": {"answers": answers, "equality": equality, "consent_aggregate": True},
                    "version": 1,
                }
            )
        assessment_ids = list(
            db.session.scalars(
                insert(Assessment).returning(Assessment.id, sort_by_parameter_order=True), assessment_rows
            )
        )
        record_rows = list(_records(framework, user_ids, assessment_ids, people, chosen, flag_lists, now))
        for row, (answers, _) in zip(record_rows, people, strict=True):
            row["relevance"] = synthetic_relevance(framework, answers, relevance_rng)
        record_ids = _insert_records(record_rows, flag_lists)
        if repeat_share:
            add_repeats(repeat_rng, repeat_share, assessment_rows, record_rows, flag_lists, now)
        tallies.add_rows(record_ids)
        db.session.commit()
        written += size
        if progress:
            progress(size)
    return written


def _pattern_for(rng: random.Random, patterns: list[Pattern], answers: dict[str, Any]) -> Pattern:
    # People on reduced hours and in social care more often lack the chance to show experience.
    held_back = (
        answers.get("contract") in ("part-time", "job-share") or answers.get("sector") == "social-care"
    )
    if held_back and rng.random() < 0.6:
        return rng.choice(patterns[len(patterns) // 2 :])
    return rng.choice(patterns)


def _flags(
    framework: Framework, answers: dict[str, Any], cache: dict[str, list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    key = _profile_key(answers)
    found = cache.get(key)
    if found is None:
        profile = ProfileAnswers.model_validate(answers)
        found = [
            {"rule": flag.rule, "category": flag.category, "severity": flag.severity}
            for flag in risks.evaluate(profile, framework)
        ]
        cache[key] = found
    return found


def _records(
    framework: Framework,
    user_ids: Sequence[int],
    assessment_ids: Sequence[int],
    people: Sequence[tuple[dict[str, Any], dict[str, Any]]],
    chosen: Sequence[Pattern],
    flag_lists: Sequence[list[dict[str, Any]]],
    now: Any,
) -> Iterator[dict[str, Any]]:
    for user_id, assessment_id, (answers, equality), pattern, flags in zip(
        user_ids, assessment_ids, people, chosen, flag_lists, strict=True
    ):
        flag_mask, high_mask, undetermined_mask = masks_for(flags)
        yield {
            "assessment_id": assessment_id,
            "user_id": user_id,
            "framework_id": framework.id,
            "framework_version": framework.version,
            "submitted_at": now,
            "is_latest": True,
            # Synthetic rows are published at once: there is nobody whose answers a release
            # batch would protect.
            "released": True,
            "counted": True,
            "consented": True,  # every synthetic profile consents (above)
            "synthetic": True,
            "score": pattern.score,
            "band": pattern.band,
            "no_opportunity_count": pattern.no_opportunity,
            "answer_count": pattern.answers,
            "flag_mask": flag_mask,
            "high_mask": high_mask,
            "undetermined_mask": undetermined_mask,
            "domain_scores": dict(pattern.domains) or None,
            **profile_columns(answers, equality),
        }


# --------------------------------------------------------------------------- repeat assessments
#
# MODELLED, NOT DATA. For "Impact over time" a share of synthetic people also took the assessment
# 6 to 24 months earlier, and some say they enrolled in or completed the programme. Their earlier
# readiness is their latest minus a modelled gain: everyone gains a little (experience, and
# rating the same criteria a second time), people who completed the programme in between gain
# more, and people held back by reduced hours or social care gain less from it, so the page has
# group differences to show. The figures demonstrate the page; they say nothing about any real
# programme.

DRIFT_GAIN = (2.0, 5.0)
"""Mean and spread of everyone's modelled change, in readiness points."""
COMPLETION_GAIN = (8.0, 4.0)
"""Mean and spread of the extra modelled change for completing the programme in between."""
HELD_BACK_FACTOR = 0.6
"""Share of the completion gain modelled for people on reduced hours or in social care."""
ENROLLED_SHARE = 0.45
COMPLETED_SHARE_OF_ENROLLED = 0.6
COMPLETED_BEFORE_SHARE = 0.05


def _months_before(moment: datetime, months: int) -> datetime:
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    return moment.replace(year=year, month=month + 1, day=min(moment.day, 28))


def _between(rng: random.Random, first: datetime, latest: datetime) -> tuple[int, int]:
    """A month from ``first``'s to ``latest``'s, as (year, month)."""
    start, end = first.year * 12 + first.month - 1, latest.year * 12 + latest.month - 1
    year, month = divmod(rng.randint(start, end), 12)
    return year, month + 1


def _lower(value: float, gain: float) -> float:
    # A modelled score stays on the 0-100 scale: the gain is capped at what the score allows.
    return round(min(100.0, max(0.0, value - gain)), 1)


def _insert_records(rows: Sequence[dict[str, Any]], flag_lists: Sequence[list[dict[str, Any]]]) -> list[int]:
    """Cohort rows and each row's flags, in bulk; the rows' ids in the order given."""
    record_ids = list(
        db.session.scalars(
            insert(CohortRecord).returning(CohortRecord.id, sort_by_parameter_order=True), rows
        )
    )
    flag_rows = [
        {
            "record_id": record_id,
            "rule": flag["rule"],
            "category": flag["category"],
            "severity": flag["severity"],
        }
        for record_id, flags in zip(record_ids, flag_lists, strict=True)
        for flag in flags
    ]
    if flag_rows:
        db.session.execute(insert(CohortFlag), flag_rows)
    return record_ids


def add_repeats(
    rng: random.Random,
    share: float,
    assessment_rows: Sequence[dict[str, Any]],
    record_rows: Sequence[dict[str, Any]],
    flag_lists: Sequence[list[dict[str, Any]]],
    now: datetime,
) -> int:
    """Give ``share`` of a batch an earlier submission, and some of them a programme answer.

    The latest rows (already written) stay the ones every other designer figure counts; the
    earlier ones are written with ``is_latest = false`` (released, not counted). Returns the
    number of people given one.
    """
    earlier_assessments: list[dict[str, Any]] = []
    earlier_records: list[dict[str, Any]] = []
    earlier_flags: list[list[dict[str, Any]]] = []
    progress_rows: list[dict[str, Any]] = []
    for assessment, record, flags in zip(assessment_rows, record_rows, flag_lists, strict=True):
        if rng.random() >= share:
            continue
        first = _months_before(now, rng.randint(6, 24))
        status, when = None, None
        if rng.random() < ENROLLED_SHARE:
            if rng.random() < COMPLETED_SHARE_OF_ENROLLED:
                status = "completed"
                when = _between(rng, first, now)
                if rng.random() < COMPLETED_BEFORE_SHARE:
                    when = (first.year - 1, first.month)
            else:
                status, when = "enrolled", _between(rng, first, now)
        gain = rng.gauss(*DRIFT_GAIN)
        if status == "completed" and when is not None and when >= (first.year, first.month):
            held_back = (
                record.get("contract") in ("part-time", "job-share") or record.get("sector") == "social-care"
            )
            gain += rng.gauss(*COMPLETION_GAIN) * (HELD_BACK_FACTOR if held_back else 1.0)
        score = _lower(record["score"], gain)
        domains = {
            domain: _lower(value, gain + rng.gauss(0, 3))
            for domain, value in (record["domain_scores"] or {}).items()
        }
        earlier_assessments.append(
            assessment
            | {
                "created_at": first,
                "updated_at": first,
                "submitted_at": first,
                "score": score,
                "band": scoring.band_for(score),
                "result": assessment["result"]
                | {
                    "readiness": assessment["result"]["readiness"]
                    | {"score": score, "band": scoring.band_for(score)}
                },
            }
        )
        earlier_records.append(
            record
            | {
                "submitted_at": first,
                "is_latest": False,
                "counted": False,
                "score": score,
                "band": scoring.band_for(score),
                "domain_scores": domains or None,
            }
        )
        earlier_flags.append(flags)
        if status is not None and when is not None:
            year, month = when
            progress_rows.append(
                {
                    "user_id": record["user_id"],
                    "framework_id": record["framework_id"],
                    "status": status,
                    "year": year,
                    "month": month,
                    "updated_at": now,
                }
            )
    if not earlier_assessments:
        return 0
    assessment_ids = list(
        db.session.scalars(
            insert(Assessment).returning(Assessment.id, sort_by_parameter_order=True), earlier_assessments
        )
    )
    for row, assessment_id in zip(earlier_records, assessment_ids, strict=True):
        row["assessment_id"] = assessment_id
    _insert_records(earlier_records, earlier_flags)
    if progress_rows:
        db.session.execute(insert(ProgrammeProgress), progress_rows)
    return len(earlier_assessments)


__all__ = [
    "RULE_CATEGORY",
    "SYNTHETIC_DOMAIN",
    "add_repeats",
    "generate",
    "rating_patterns",
    "synthetic_profile",
]
