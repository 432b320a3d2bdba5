"""The attacker of the disclosure audits: what a reader can tell about a hidden count.

Each audit (``test_cohort_disclosure.py``, ``test_impact_disclosure.py``,
``test_content_validity_disclosure.py``) models the *people* behind one page: a
``PeopleModel`` holds an unknown per kind of person (most of them whole counts), and every
published figure is a linear ``Form`` over those unknowns. ``Published`` collects what a reader
learns (shown figures as equalities, verdicts and means as ranges, hidden figures as targets);
the ``Attacker`` bounds each target with ``scipy.optimize.linprog`` and, where the rational bounds
break the protection rule, ``milp`` for whole-number bounds. The protection rule is the one of
``docs/inclusivity-statistics.md``: the reader's range for a count of 1 to ``min_cell - 1``
people spans at least three whole numbers, or includes 0, or includes ``min_cell`` or more
(Hundepool et al., *Statistical Disclosure Control*, ch. 4).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations, product
from typing import Any, Generic, Protocol, TypeVar

import numpy as np
from hypothesis import HealthCheck, settings
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix, vstack

from assessments.cohort import GroupCounts, cohort_table, intersection, overview_figures

Form = dict[int, float]
"""A linear function of the model's unknowns: unknown's index → coefficient."""
Place = Mapping[str, str]
"""Which people a figure is about: grouping → group (an empty place is everyone)."""


class PeopleModel(Protocol):
    """The reader's unknowns, what the true cohort makes them, and what holds whatever is shown."""

    @property
    def names(self) -> Sequence[object]:
        """One name per unknown, in index order."""
        ...

    @property
    def integer(self) -> Sequence[bool]:
        """Whether each unknown is a whole number (a count of people) or not (a sum of scores)."""
        ...

    def value(self, form: Form) -> float:
        """The form's value for the true cohort."""
        ...

    def structure(self) -> tuple[list[Form], list[Form]]:
        """What holds whatever is published: (forms equal to 0, forms at most 0)."""
        ...


M = TypeVar("M", bound=PeopleModel)


@dataclass
class Published(Generic[M]):
    """Everything a reader learns: shown figures as equalities or ranges, hidden counts as targets."""

    model: M
    equal: list[tuple[Form, float]] = field(default_factory=list)
    ranges: list[tuple[Form, float, float]] = field(default_factory=list)
    hidden: dict[str, Form] = field(default_factory=dict)

    def count(self, name: str, form: Form, shown: int | None) -> None:
        """A figure shown (it must be the true count) or hidden (a target for the attacker)."""
        if shown is None:
            self.hidden.setdefault(name, form)
            return
        assert shown == round(self.model.value(form)), (name, shown, self.model.value(form))
        self.equal.append((form, shown))

    def at_least(self, form: Form, low: float) -> None:
        self.ranges.append((form, low, math.inf))


class CellModel:
    """People per cell (one answer to each grouping) and kind, all whole counts, with no structure.

    For pages whose figures are plain counts of people: every link between them is a published
    figure, so nothing holds beyond counts being 0 or more.
    """

    def __init__(
        self,
        groupings: Sequence[str],
        labels: Mapping[str, Sequence[str]],
        kinds: Sequence[Any],
        people: Sequence[tuple[tuple[str, ...], Any]],
    ) -> None:
        """``labels`` per grouping, every ``kind`` a person can be, and each person's (cell, kind)."""
        self.groupings = tuple(groupings)
        self.labels = {g: list(labels[g]) for g in self.groupings}
        self.names: list[tuple[Any, ...]] = []
        self.index: dict[tuple[Any, ...], int] = {}
        for cell in product(*self.labels.values()):
            for kind in kinds:
                self.index[(cell, kind)] = len(self.names)
                self.names.append((cell, kind))
        self.integer = [True] * len(self.names)
        self.truth = [0.0] * len(self.names)
        for cell, kind in people:
            self.truth[self.index[(cell, kind)]] += 1

    def people(self, place: Place, test: Callable[[Any], bool] = lambda _: True) -> Form:
        """Everyone in ``place`` whose kind passes ``test``."""
        where = self.groupings
        return {
            i: 1.0
            for (cell, kind), i in self.index.items()
            if all(cell[where.index(g)] == v for g, v in place.items()) and test(kind)
        }

    def value(self, form: Form) -> float:
        return sum(self.truth[i] * c for i, c in form.items())

    def structure(self) -> tuple[list[Form], list[Form]]:
        return [], []


Cells = TypeVar("Cells", bound=CellModel)


def publish_dashboard(found: Published[Cells], answers: Sequence[Mapping[str, str]], min_cell: int) -> None:
    """The dashboard a designer sees beside any other page, through ``assessments.cohort``.

    Its participants, every grouping's one-way sizes (a listed group has someone in it) and every
    two-way intersection. ``answers`` holds each person's group in every grouping of the model.
    """
    model = found.model
    overview = overview_figures(len(answers), {}, min_cell)
    found.count("dashboard participants", model.people({}), overview.participants)
    for grouping in model.groupings:
        counts = Counter(answer[grouping] for answer in answers)
        table = cohort_table([GroupCounts(g, n) for g, n in sorted(counts.items())], [], min_cell=min_cell)
        for summary in table.groups:
            form = model.people({grouping: summary.group})
            found.count(f"dashboard {grouping} {summary.group}", form, summary.n)
            found.at_least(form, 1)
    for first, second in combinations(model.groupings, 2):
        pairs = Counter((answer[first], answer[second]) for answer in answers)
        table = cohort_table(
            [GroupCounts(intersection(*pair), n, parts=pair) for pair, n in sorted(pairs.items())],
            [],
            min_cell=min_cell,
        )
        shown = {summary.group: summary.n for summary in table.groups}
        for a in model.labels[first]:
            for b in model.labels[second]:
                place = model.people({first: a, second: b})
                found.count(f"dashboard {a} × {b}", place, shown[intersection(a, b)])


@dataclass(frozen=True)
class Finding:
    """A hidden count and what a reader can tell about it."""

    name: str
    true: int
    low: int
    high: int


def protected(low: int, high: int, min_cell: int) -> bool:
    """The protection rule: a range of at least three whole numbers, or one that includes 0 or min_cell."""
    return high - low >= 2 or low == 0 or high >= min_cell


class Attacker:
    """The reader's integer programme over everything published."""

    def __init__(self, found: Published[Any]) -> None:
        model: PeopleModel = found.model
        self.model = model
        size = len(model.names)
        equal, at_most = model.structure()
        rows_eq = [(f, 0.0) for f in equal] + found.equal
        self.a_eq = self._matrix([f for f, _ in rows_eq], size)
        self.b_eq = np.array([v for _, v in rows_eq])
        ranges = [(f, -math.inf, 0.0) for f in at_most] + found.ranges
        self.a_ub = self._matrix([f for f, _, _ in ranges], size)
        self.ub_low = np.array([lo for _, lo, _ in ranges])
        self.ub_high = np.array([hi for _, _, hi in ranges])
        self.integrality = np.array(model.integer, dtype=int)
        self.size = size
        # linprog takes A_ub x <= b_ub: both sides of each range as rows.
        upper = np.isfinite(self.ub_high)
        lower = np.isfinite(self.ub_low)
        self.lp_ub = vstack([self.a_ub[upper], -self.a_ub[lower]]).tocsr()
        self.lp_b_ub = np.concatenate([self.ub_high[upper], -self.ub_low[lower]])

    @staticmethod
    def _matrix(forms: Sequence[Form], size: int) -> csr_matrix:
        rows, cols, data = [], [], []
        for r, form in enumerate(forms):
            for c, v in form.items():
                rows.append(r)
                cols.append(c)
                data.append(v)
        return csr_matrix((data, (rows, cols)), shape=(len(forms), size))

    def _vector(self, form: Form, sign: float = 1.0) -> np.ndarray:
        objective = np.zeros(self.size)
        for i, c in form.items():
            objective[i] = sign * c
        return objective

    def lp(self, objective: np.ndarray) -> Any:
        result = linprog(
            objective,
            A_ub=self.lp_ub,
            b_ub=self.lp_b_ub,
            A_eq=self.a_eq,
            b_eq=self.b_eq,
            bounds=(0, None),
            method="highs",
        )
        assert result.status == 0, result.message
        return result

    def whole(self, objective: np.ndarray) -> Any:
        result = milp(
            objective,
            constraints=[
                LinearConstraint(self.a_eq, self.b_eq, self.b_eq),
                LinearConstraint(self.a_ub, self.ub_low, self.ub_high),
            ],
            integrality=self.integrality,
            bounds=Bounds(0, np.inf),
        )
        assert result.status == 0, result.message
        return result

    def audit(self, targets: Mapping[str, Form], min_cell: int) -> list[Finding]:
        """Every target the protection rule does not hold for, with its whole-number bounds."""
        truth = {name: round(self.model.value(form)) for name, form in targets.items()}
        seen = {name: (truth[name], truth[name]) for name in targets}
        vectors = {name: self._vector(form) for name, form in targets.items()}
        open_ = [n for n in targets if not protected(*seen[n], min_cell)]
        rng = np.random.default_rng(0)
        # Solutions that move many targets at once settle most of them: the true counts are one
        # solution, each further one widens the range (rounded inwards) a reader cannot rule out.
        for sign in (1, -1) * 4:
            if not open_:
                break
            objective = sum((sign * rng.uniform(0.5, 1.5) * vectors[n] for n in open_), np.zeros(self.size))
            x = self.lp(objective).x
            for n in open_:
                value = float(vectors[n] @ x)
                seen[n] = (
                    min(seen[n][0], math.ceil(value - 1e-6)),
                    max(seen[n][1], math.floor(value + 1e-6)),
                )
            open_ = [n for n in open_ if not protected(*seen[n], min_cell)]
        findings = []
        for name in open_:
            ends = []
            for sign in (1, -1):
                result = self.lp(sign * vectors[name])
                ends.append(sign * result.fun)
            low, high = math.ceil(ends[0] - 1e-6), math.floor(ends[1] + 1e-6)
            if not protected(low, high, min_cell):
                # Confirmed in whole numbers, which can only narrow the range (and give exact bounds).
                low = round(self.whole(vectors[name]).fun)
                high = round(-self.whole(-vectors[name]).fun)
            if not protected(low, high, min_cell):
                findings.append(Finding(name, truth[name], low, high))
        return findings


def small_counts(model: PeopleModel, targets: Mapping[str, Form], min_cell: int) -> dict[str, Form]:
    """The targets of 1 to ``min_cell - 1`` people, each count once (the first name it has)."""
    small: dict[str, Form] = {}
    forms: set[frozenset[tuple[int, float]]] = set()
    for name, form in targets.items():
        value = round(model.value(form))
        signature = frozenset(form.items())
        if 0 < value < min_cell and signature not in forms:  # the same count under another name
            forms.add(signature)
            small[name] = form
    return small


def attack(
    found: Published[Any], min_cell: int, targets: Mapping[str, Form] | None = None
) -> tuple[list[Finding], int]:
    """Findings for every count of 1 to min_cell - 1 people, and how many such counts there were.

    The counts are ``targets`` where given (whatever a reader might want), else the hidden figures.
    """
    small = small_counts(found.model, found.hidden if targets is None else targets, min_cell)
    return (Attacker(found).audit(small, min_cell) if small else []), len(small)


def audit_settings(max_examples: int) -> Callable[[Any], Any]:
    """Hypothesis settings for an audit: reproducible, slow examples allowed, no example database."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        deadline=None,
        database=None,
    )
