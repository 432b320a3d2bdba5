""" "Fit for purpose" counted per combination of groups and answers gives the per-person figures.

``fitness._build`` reads the counted rows once as numbers (``count_people``) to keep the cold EIA
quick; ``fitness.build_per_person`` makes a ``Rater`` per person and walks them for every
criterion and grouping. On seeded demo cohorts of a few sizes, reshaped so that every path is
taken (an earlier framework version, people who rated nothing, an empty answer, withdrawn
consent, small groups at several thresholds), every figure, wording and suppression decision
must be the same.
"""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select, update

from app.designer import demo
from app.designer.models import CohortRecord
from app.designer.pages import fitness
from app.extensions import db
from app.journey.services import snapshot_for
from assessments.framework import shipped_frameworks
from tests.app.designer.conftest import PROGRAMME

SAFETY = "dhlp.safety-quality-informatics"


def reshape(seed: int) -> None:
    """Give some rows an earlier version (with a retired criterion), no answers, or no consent."""
    rng = random.Random(seed)
    ids = list(db.session.scalars(select(CohortRecord.id).order_by(CohortRecord.id)))
    earlier = rng.sample(ids, len(ids) // 4)
    db.session.execute(
        update(CohortRecord).where(CohortRecord.id.in_(earlier)).values(framework_version="2025.1")
    )
    for record_id in rng.sample(earlier, len(earlier) // 2):
        answer = rng.choice(["essential", "useful", "not-necessary"])
        db.session.execute(
            update(CohortRecord)
            .where(CohortRecord.id == record_id)
            .values(relevance={SAFETY: answer, "dhlp.retired-criterion": "essential"})
        )
    # Rated only a criterion the current version does not have: counted, but not in its panel.
    db.session.execute(
        update(CohortRecord)
        .where(CohortRecord.id.in_(earlier[:5]))
        .values(relevance={"dhlp.retired-criterion": "useful"})
    )
    rest = [record_id for record_id in ids if record_id not in set(earlier)]
    db.session.execute(update(CohortRecord).where(CohortRecord.id.in_(rest[:7])).values(relevance=None))
    db.session.execute(update(CohortRecord).where(CohortRecord.id.in_(rest[7:10])).values(relevance={}))
    db.session.execute(update(CohortRecord).where(CohortRecord.id.in_(rest[10:13])).values(consented=False))
    db.session.commit()


@pytest.mark.parametrize(("people", "seed"), [(30, 3), (160, 7), (700, 11)])
def test_counted_figures_are_the_per_person_figures(app, people, seed):
    framework = shipped_frameworks()[PROGRAMME]
    demo.generate(framework, snapshot_for(framework).id, people, seed=seed)
    db.session.commit()
    for reshaped in (False, True):
        if reshaped:
            reshape(seed)
        for min_cell in (3, 5, 10, 25):
            counted = fitness._build(framework, min_cell)
            assert counted == fitness.build_per_person(framework, min_cell), (people, reshaped, min_cell)
    # The reshaped cohort took the paths it was reshaped for.
    assert {version.version for version in counted.versions} == {"2025.1", framework.version}
    assert counted.counted < people


def test_a_stored_answer_that_is_not_a_mapping_is_an_error_not_a_default(app):
    framework = shipped_frameworks()[PROGRAMME]
    demo.generate(framework, snapshot_for(framework).id, 12, seed=1)
    first = db.session.scalars(select(CohortRecord.id).order_by(CohortRecord.id)).first()
    db.session.execute(update(CohortRecord).where(CohortRecord.id == first).values(relevance=["essential"]))
    db.session.commit()
    with pytest.raises(
        fitness.UnknownRelevance, match=r"holds relevance answers \['essential'\], not a mapping"
    ):
        fitness._build(framework, 10)
