"""What-if: try a redesign on the same cohort, watch it run, save it as a scenario, compare scenarios.

The results page is streamed: ``what_if`` fetches the cohort's combinations of answers before the
first byte, and its ``steps`` work through them while the template is being sent, so the page
shows a progress line every tenth of the way and then the figures, without JavaScript and
without a job store shared between workers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.designer import queries, services, whatif
from app.designer.models import DesignerScenario
from app.designer.pages.common import Labels, Missing, min_cell, programme
from app.models import User
from assessments.framework import Framework


@dataclass(frozen=True)
class WhatIfForm:
    """The what-if form's page: the programme as it is (the form starts from it)."""

    framework: Framework
    labels: Labels


def what_if_form(framework_id: str) -> WhatIfForm:
    return WhatIfForm(framework=programme(framework_id), labels=Labels())


@dataclass(frozen=True)
class Progress:
    """How far the what-if has got: combinations of answers checked, of all the cohort has."""

    done: int
    total: int
    percent: int


class Steps:
    """The what-if while it runs: iterate for its progress; ``result`` once the iteration has ended."""

    def __init__(self, steps: Iterator[tuple[int, int, whatif.WhatIfResult | None]]) -> None:
        self._steps = steps
        self._result: whatif.WhatIfResult | None = None

    def __iter__(self) -> Iterator[Progress]:
        for done, total, finished in self._steps:
            if finished is None:
                yield Progress(done=done, total=total, percent=done * 100 // total)
            else:
                self._result = finished

    @property
    def result(self) -> whatif.WhatIfResult:
        if self._result is None:
            raise RuntimeError("the what-if's result was read before its progress had been read to the end")
        return self._result


@dataclass(frozen=True)
class WhatIfResults:
    framework: Framework
    changes: list[str]
    """The changes tried, as sentences."""
    steps: Steps
    scenario_fields: list[tuple[str, str]]
    """The what-if form as it was sent, carried by the "Save this scenario" form."""
    scenario_name: str
    labels: Labels


def what_if(
    framework: Framework,
    changes: Mapping[str, Mapping[str, Any]],
    grouping: str,
    *,
    scenario_fields: Sequence[tuple[str, str]],
    scenario_name: str,
) -> WhatIfResults:
    """Start a what-if: the cohort is read now; ``steps`` runs the engine as the page is sent."""
    modified = whatif.apply_changes(framework, changes)
    combos = queries.rule_combinations(framework.id, grouping)
    return WhatIfResults(
        framework=framework,
        changes=whatif.describe_changes(changes),
        steps=Steps(whatif.run_steps(framework, modified, grouping, combos, min_cell=min_cell())),
        scenario_fields=list(scenario_fields),
        scenario_name=scenario_name,
        labels=Labels.grouped(grouping),
    )


def save(
    user: User, framework: Framework, name: str, grouping: str, changes: Mapping[str, Mapping[str, Any]]
) -> None:
    """Run the what-if again (nothing is kept between requests) and store it with its summary."""
    result = whatif.run(framework, whatif.apply_changes(framework, changes), grouping, min_cell=min_cell())
    services.save_scenario(user, framework, name, grouping, dict(changes), result.summary())


@dataclass(frozen=True)
class Scenarios:
    framework: Framework
    saved: list[DesignerScenario]
    shown: list[DesignerScenario]
    """The scenarios compared side by side: those chosen, or the latest three."""
    keys: list[str]
    """Every flag any shown scenario changes, in the order they first appear."""
    by_key: dict[int, dict[str, dict[str, Any]]]
    """Per shown scenario, its summary's change for each flag."""
    describe: Callable[[Mapping[str, Mapping[str, Any]]], list[str]]
    labels: Labels


def scenarios(framework_id: str, chosen: set[int]) -> Scenarios:
    framework = programme(framework_id)
    saved = services.scenarios(framework.id)
    shown = [s for s in saved if s.id in chosen] or saved[-3:]
    keys: list[str] = []
    for scenario in shown:
        for change in scenario.summary.get("keys", []):
            if change["key"] not in keys:
                keys.append(change["key"])
    by_key = {
        scenario.id: {change["key"]: change for change in scenario.summary.get("keys", [])}
        for scenario in shown
    }
    return Scenarios(
        framework=framework,
        saved=saved,
        shown=shown,
        keys=keys,
        by_key=by_key,
        describe=whatif.describe_changes,
        labels=Labels(),
    )


def delete(user: User, framework_id: str, scenario_id: int) -> str:
    """Delete one saved scenario of the programme; returns its name for the confirmation."""
    framework = programme(framework_id)
    found = services.scenario(framework.id, scenario_id)
    if found is None:
        raise Missing(f"no scenario {scenario_id} of {framework.id!r}")
    services.delete_scenario(user, found)
    return found.name
