"""Which cells to hide so that no small count can be worked out from everything published together.

Every table a designer sees describes the same people: one grouping's sizes add up to the cohort,
an intersection's cells add up to both of its groupings' sizes, bands and flags add up to the
group. Hiding each small cell on its own (and a second cell beside it) is not enough: an outsider
who sets those sums side by side can solve for a hidden cell (``docs/inclusivity-statistics.md``,
"Small numbers"). So suppression is decided over *linked* tables, with two tools:

* ``protect_listed``: a one-way list of groups whose total is known and whose listed groups are
  known to be non-empty. Hidden groups are added, smallest first, until each hidden group could,
  for all the reader can tell, hold anything from 1 to at least ``min_cell`` people.
* ``protect_grid``: a two-way table (rows × columns) whose row and column totals are known, or
  hidden in another table. A hidden count can be worked out exactly when no other hidden cells
  can absorb a change to it: moving one person into a cell must be balanced by moving one out
  of another hidden cell in the same column, into another in that cell's row, and so on back to
  the start (an alternating cycle of hidden cells; a cell can only give up people it has). Every
  small cell must be able to move both ways; cells that would reveal that everyone in a group
  shares one answer must be able to lose people. Where that is not so, the cheapest cells that
  close such a cycle are hidden too. Rows (or columns) whose own total is hidden elsewhere are
  hidden whole, and count as one row whose total is the sum of theirs.

Several grids over the same cells (the flagged and not-flagged counts of one flag; the four
readiness bands) share one pattern of hidden cells, so that each is protected and none gives away
another's hidden cells through the cell's own total. ``tests/assessments/test_cohort_disclosure.py``
audits the result as an attacker would, with linear programmes over every table of random cohorts.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

Label = TypeVar("Label", bound=Hashable)
Cell = tuple[str, str]
"""(row, column): a group of one grouping and a group of the other, or a group and a band."""

_HIDDEN_ROWS = ("hidden rows",)
_HIDDEN_COLUMNS = ("hidden columns",)


def protect_listed(
    values: Mapping[Label, int],
    min_cell: int,
    *,
    total_shown: bool = True,
    forced: Collection[Label] = (),
) -> set[Label]:
    """The groups to hide in a one-way list whose total is published and whose groups are non-empty.

    Small groups (1 to ``min_cell - 1``) are hidden, then the next smallest, until at least two
    are hidden and every hidden group could hold ``min_cell`` people for all a reader can tell:
    knowing the hidden groups add up to S and each has at least 1 person, any one of k hidden
    groups holds between 1 and S - (k - 1). If the total itself is not published, nothing is
    (a cohort smaller than ``min_cell``). ``forced`` groups are hidden whatever their size (a
    group another table about the same people hides), and protected like the small ones.
    """
    if not total_shown:
        return set(values)
    nonzero = {label: value for label, value in values.items() if value > 0}
    hidden = {label for label, value in nonzero.items() if value < min_cell}
    hidden |= {label for label in forced if label in values}
    if not hidden:
        return hidden
    shown = sorted((label for label in nonzero if label not in hidden), key=lambda x: (nonzero[x], repr(x)))
    while shown and (len(hidden) < 2 or sum(values[x] for x in hidden) - (len(hidden) - 1) < min_cell):
        hidden.add(shown.pop(0))
    return hidden


@dataclass(frozen=True)
class Grid:
    """One two-way table: its counts and which row and column totals a reader knows."""

    values: Mapping[Cell, int]
    known_rows: Collection[str]
    known_columns: Collection[str]

    def node(self, cell: Cell) -> tuple[tuple[Hashable, ...], tuple[Hashable, ...]]:
        row, column = cell
        return (
            ("row", row) if row in self.known_rows else _HIDDEN_ROWS,
            ("column", column) if column in self.known_columns else _HIDDEN_COLUMNS,
        )


def protect_grid(
    grids: Sequence[Grid],
    min_cell: int,
    *,
    forced: Iterable[Cell] = (),
    attribute: bool = False,
) -> set[Cell]:
    """The cells to hide in grids over the same cells (one shared pattern); see the module docstring.

    ``forced`` cells are hidden whatever their values. Cells in a row or column whose total is
    not known are hidden too, so that the table never shows what the other table hid. With
    ``attribute``, a known row or column whose people all fall in one cell (every other cell 0)
    has that cell hidden and protected, so the table does not say that everyone in a group
    shares an answer.
    """
    cells = sorted({cell for grid in grids for cell in grid.values}, key=repr)
    hidden = set(forced)
    for grid in grids:
        for cell in cells:
            rows, columns = grid.node(cell)
            if rows == _HIDDEN_ROWS or columns == _HIDDEN_COLUMNS:
                hidden.add(cell)
    needs: list[tuple[int, Cell, str]] = []
    for index, grid in enumerate(grids):
        for cell in cells:
            value = grid.values.get(cell, 0)
            if 0 < value < min_cell:
                hidden.add(cell)
                needs += [(index, cell, "up"), (index, cell, "down")]
        if attribute:
            for cell in _lone_cells(grid, cells):
                hidden.add(cell)
                needs.append((index, cell, "down"))
    nodes = [{cell: grid.node(cell) for cell in cells} for grid in grids]
    everything = [_edges(grid, cells, nodes[index]) for index, grid in enumerate(grids)]
    met: set[tuple[int, Cell, str]] = set()
    changed = True
    while changed:
        changed = False
        for grid in grids:
            for line in _lines(grid, cells):
                added = _close_line(line, grid.values, hidden, min_cell)
                if added:
                    hidden |= added
                    changed = True
        # Hiding more cells only adds moves, so a need met once stays met.
        movable = [_edges(grid, [c for c in cells if c in hidden], nodes[i]) for i, grid in enumerate(grids)]
        for need in needs:
            index, cell, direction = need
            if need in met:
                continue
            ends = _ends(nodes[index][cell], direction)
            if _reaches(movable[index], *ends, skip=cell):
                met.add(need)
                continue
            path = _cheapest_cycle(grids[index], everything[index], hidden, cell, *ends)
            if path is None:  # no cycle even through every cell: nothing in these grids can be shown
                return set(cells)
            hidden |= path
            movable = [
                _edges(grid, [c for c in cells if c in hidden], nodes[i]) for i, grid in enumerate(grids)
            ]
            met.add(need)
            changed = True
    return hidden


def _lines(grid: Grid, cells: Sequence[Cell]) -> list[list[Cell]]:
    """Rows and columns whose totals a reader knows."""
    lines: dict[tuple[int, Hashable], list[Cell]] = {}
    for cell in cells:
        if cell[0] in grid.known_rows:
            lines.setdefault((0, cell[0]), []).append(cell)
        if cell[1] in grid.known_columns:
            lines.setdefault((1, cell[1]), []).append(cell)
    return list(lines.values())


def _close_line(
    line: Sequence[Cell], values: Mapping[Cell, int], hidden: set[Cell], min_cell: int
) -> set[Cell]:
    """Cells to add so the line's hidden cells sum to 0, or are two or more holding ``min_cell`` people."""
    hidden_here = [cell for cell in line if cell in hidden]
    count, total = len(hidden_here), sum(values.get(cell, 0) for cell in hidden_here)
    shown = sorted((cell for cell in line if cell not in hidden), key=lambda c: (values.get(c, 0), repr(c)))
    added: set[Cell] = set()
    while shown and total != 0 and (count < 2 or total < min_cell):
        nonzero = [cell for cell in shown if values.get(cell, 0) > 0]
        if total < min_cell and not nonzero:  # the whole line holds fewer than min_cell: hide all of it
            added.update(shown)
            break
        pick = shown[0] if total >= min_cell else nonzero[0]
        shown.remove(pick)
        added.add(pick)
        count, total = count + 1, total + values.get(pick, 0)
    return added


def _lone_cells(grid: Grid, cells: Sequence[Cell]) -> list[Cell]:
    """Cells holding every person of a known row or column that has other (empty) cells."""
    lone = []
    for line in _lines(grid, cells):
        full = [cell for cell in line if grid.values.get(cell, 0) > 0]
        if len(line) > 1 and len(full) == 1:
            lone.append(full[0])
    return lone


Node = tuple[Hashable, ...]
Edges = dict[Node, list[tuple[Node, Cell]]]


def _edges(grid: Grid, cells: Iterable[Cell], nodes: Mapping[Cell, tuple[Node, Node]]) -> Edges:
    """Directed moves: row → column adds a person to a cell; column → row takes one out (if it has one)."""
    edges: Edges = {}
    for cell in cells:
        row, column = nodes[cell]
        edges.setdefault(row, []).append((column, cell))
        if grid.values.get(cell, 0) > 0:
            edges.setdefault(column, []).append((row, cell))
    return edges


def _ends(node: tuple[Node, Node], direction: str) -> tuple[Node, Node]:
    row, column = node
    # One more person in the cell needs one fewer elsewhere in its column, and so on back to its row.
    return (column, row) if direction == "up" else (row, column)


def _reaches(edges: Edges, start: Node, goal: Node, *, skip: Cell) -> bool:
    """Whether moves through hidden cells other than ``skip`` lead from ``start`` to ``goal``."""
    seen = {start}
    stack = [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        for neighbour, cell in edges.get(node, ()):
            if cell != skip and neighbour not in seen:
                seen.add(neighbour)
                stack.append(neighbour)
    return False


def _cheapest_cycle(
    grid: Grid, edges: Edges, hidden: set[Cell], cell: Cell, start: Node, goal: Node
) -> set[Cell] | None:
    """The shown cells to hide so the cell can move: fewest first, then the fewest people."""
    total = sum(grid.values.values()) + 1
    best: dict[Node, float] = {start: 0.0}
    came: dict[Node, tuple[Node, Cell]] = {}
    queue: list[tuple[float, str, Node]] = [(0.0, repr(start), start)]
    while queue:
        cost, _, node = heapq.heappop(queue)
        if node == goal:
            path: set[Cell] = set()
            while node != start:
                node, used = came[node]
                if used not in hidden:
                    path.add(used)
            return path
        if cost > best.get(node, float("inf")):
            continue
        for neighbour, used in edges.get(node, ()):
            if used == cell:
                continue
            step = 0.0 if used in hidden else 1.0 + grid.values.get(used, 0) / total
            if cost + step < best.get(neighbour, float("inf")):
                best[neighbour] = cost + step
                came[neighbour] = (node, used)
                heapq.heappush(queue, (cost + step, repr(neighbour), neighbour))
    return None
