"""What an attacker can work out about hidden cells: feasible ranges by linear programming.

Suppressing small counts is only safe if the published figures do not pin the hidden ones
down. This module models what a reader knows, as statistical disclosure control does
(tau-Argus's audit, Hundepool et al. 2012, *Statistical Disclosure Control*, ch. 4):

* every count is a non-negative integer;
* every published cell (area counts, totals, quintile totals, placement counts) is known;
* a hidden cell is at least 1, because zeros are published (geosafety never hides a zero);
* how cells relate: a ward is the sum of its LSOAs plus records placed at ward level only, a
  postcode district is the sum of the LSOA parts its postcodes fall in (a postcode-placed
  record counts in its own postcode's district, which need not be its LSOA's best fit), a
  quintile is the sum of its LSOAs, a total the sum of its areas; counts of distinct people
  are bounded by, not equal to, the sums of their parts and by the cases of the same area.

The **feasible range** of a hidden cell is its minimum and maximum over every table
consistent with that knowledge: two linear programs, solved by HiGHS exactly as
:func:`scipy.optimize.linprog` solves them (:mod:`geosafety.disclosure._lp`),
with the bounds rounded inwards to integers. A hidden cell is **protected** when its range
is at least ``threshold`` wide and not wholly inside ``1 .. threshold - 1``: the
*protection-interval* rule, under which a reader can neither tell a small count from a
larger one nor narrow it to fewer values than suppression hides.

Examples
--------
A total of 10 over three areas, two of them hidden and a zero shown:

>>> model = LinearModel()
>>> model.add_sum("T", ["a", "b", "c"])
>>> ranges = model.ranges({"T": 10, "a": 2, "b": 8, "c": 0}, hidden={"a", "b"})
>>> ranges["a"].low, ranges["a"].high, ranges["a"].protected(5)
(1.0, 9.0, True)
>>> model.ranges({"T": 6, "a": 2, "b": 4, "c": 0}, hidden={"a", "b"})["a"].protected(5)
False
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix

from geosafety.disclosure._lp import INFEASIBLE, OPTIMAL, UNBOUNDED, Rows

logger = logging.getLogger(__name__)

#: Most ranges re-solved when showing again secondary cells not needed (two LPs each).
PRUNE_BUDGET = 150
#: Tolerance when rounding LP bounds to integers.
_ROUNDING = 1e-6


@dataclass(frozen=True)
class FeasibleRange:
    """The values a hidden cell can take given everything published.

    Attributes
    ----------
    low, high : float
        Integer bounds (``high`` may be ``inf``).
    binding : tuple of str
        Published cells whose values limit the range: hiding one of them is the most direct
        way to widen it.
    witnesses : dict, optional
        ``{"low": x, "high": x}``: tables (one value per :attr:`LinearModel.variables`)
        attaining each bound; any cell equal in both to a value can be fixed at that value
        without narrowing this range.
    """

    low: float
    high: float
    binding: tuple[str, ...] = ()
    witnesses: dict[str, np.ndarray] | None = field(default=None, repr=False, compare=False)

    @property
    def width(self) -> float:
        """``high - low``."""
        return self.high - self.low

    def protected(self, threshold: int) -> bool:
        """Tell whether the range is at least ``threshold`` wide and not within 1..threshold-1.

        Examples
        --------
        >>> FeasibleRange(1, 6).protected(5), FeasibleRange(3, 5).protected(5)
        (True, False)
        """
        inside_small = self.low >= 1 and self.high <= threshold - 1
        return self.width >= threshold and not inside_small

    def __str__(self) -> str:
        high = "unbounded" if math.isinf(self.high) else f"{self.high:g}"
        return f"{self.low:g} to {high}"


@dataclass
class LinearModel:
    """Cells and the linear relations a reader knows hold between them.

    Variables are named: published cells (area counts, totals, quintile totals, placement
    counts) and unpublished parts (records placed at ward level only, the part of an LSOA in
    each postcode district). Every variable is non-negative.

    Attributes
    ----------
    equalities : list of dict
        ``{variable: coefficient}`` with ``sum = 0``.
    inequalities : list of dict
        ``{variable: coefficient}`` with ``sum <= 0``.
    unpublished : set of str
        Variables that are never published (never candidates for suppression).
    """

    equalities: list[dict[str, float]] = field(default_factory=list)
    inequalities: list[dict[str, float]] = field(default_factory=list)
    unpublished: set[str] = field(default_factory=set)
    #: The variables and constraint matrices, built once for as many relations as there are
    #: (relations are only ever added, so their numbers name the version).
    _built: dict[tuple[int, int, int], tuple[list[str], dict[str, int], Rows]] = field(
        default_factory=dict, repr=False, compare=False)

    def add_sum(self, parent: str, children: Iterable[str]) -> None:
        """Record ``parent = sum(children)``."""
        row = {parent: -1.0}
        for child in children:
            row[child] = row.get(child, 0.0) + 1.0
        self.equalities.append(row)

    def add_at_most_sum(self, parent: str, children: Iterable[str]) -> None:
        """Record ``parent <= sum(children)`` (distinct people counted in several parts)."""
        row = {parent: 1.0}
        for child in children:
            row[child] = row.get(child, 0.0) - 1.0
        self.inequalities.append(row)

    def add_at_most(self, smaller: str, larger: str) -> None:
        """Record ``smaller <= larger``."""
        if smaller != larger:
            self.inequalities.append({smaller: 1.0, larger: -1.0})

    def add_unpublished(self, *names: str) -> None:
        """Declare parts no table shows."""
        self.unpublished.update(names)

    @property
    def variables(self) -> list[str]:
        """Every variable named in a relation, sorted."""
        names = {name for row in (*self.equalities, *self.inequalities) for name in row}
        return sorted(names | self.unpublished)

    def _matrix(self, rows: list[dict[str, float]], position: dict[str, int]) -> csr_matrix:
        data, indices, pointers = [], [], [0]
        for row in rows:
            for name, coefficient in row.items():
                indices.append(position[name])
                data.append(coefficient)
            pointers.append(len(indices))
        return csr_matrix((data, indices, pointers), shape=(len(rows), len(position)))

    def _prepared(self) -> tuple[list[str], dict[str, int], Rows]:
        """Return the variables, their positions and the constraint rows, built once."""
        key = (len(self.equalities), len(self.inequalities), len(self.unpublished))
        if key not in self._built:
            names = self.variables
            position = {name: i for i, name in enumerate(names)}
            rows = Rows(
                len(names),
                a_ub=self._matrix(self.inequalities, position) if self.inequalities else None,
                b_ub=np.zeros(len(self.inequalities)) if self.inequalities else None,
                a_eq=self._matrix(self.equalities, position) if self.equalities else None,
                b_eq=np.zeros(len(self.equalities)) if self.equalities else None)
            self._built = {key: (names, position, rows)}
        return self._built[key]

    def ranges(
        self,
        values: Mapping[str, float],
        hidden: Iterable[str],
        *,
        cells: Iterable[str] | None = None,
        hidden_at_least: float = 1.0,
    ) -> dict[str, FeasibleRange]:
        """Return the feasible range of hidden cells.

        Parameters
        ----------
        values : mapping of str to float
            Published value of every cell (hidden cells' values are ignored; a cell missing
            from the mapping, or NaN, is treated as hidden).
        hidden : iterable of str
            Cells not published.
        cells : iterable of str, optional
            The hidden cells to bound (default: every hidden cell).
        hidden_at_least : float
            Lower bound of a hidden published cell (1 when zeros are always shown).

        Returns
        -------
        dict of str to FeasibleRange
        """
        names, position, rows = self._prepared()
        hidden = set(hidden)
        value = np.array([values.get(name, np.nan) for name in names], dtype=float)
        unknown = np.isnan(value) | np.array([name in hidden for name in names], dtype=bool)
        unpublished = np.array([name in self.unpublished for name in names], dtype=bool)
        lower = np.where(unpublished, 0.0, np.where(unknown, hidden_at_least, value))
        upper = np.where(unpublished | unknown, np.inf, value)
        polytope = rows.within(lower, upper)
        targets = sorted(hidden if cells is None else set(cells))
        out = {}
        for cell in targets:
            if cell not in position:
                out[cell] = FeasibleRange(hidden_at_least, math.inf)
                continue
            sides: list[tuple[float, tuple[str, ...], np.ndarray | None]] = []
            for sign in (1.0, -1.0):
                objective = np.zeros(len(names))
                objective[position[cell]] = sign
                found = polytope.minimise(objective)
                if found.status == INFEASIBLE:
                    # HiGHS's presolve can call an unbounded problem infeasible (seen with
                    # every cell of a one-record table hidden); solve it again without.
                    found = polytope.minimise(objective, presolve=False)
                if found.status == UNBOUNDED:
                    sides.append((math.inf if sign < 0 else -math.inf, (), None))
                    continue
                if found.status != OPTIMAL or found.fun is None:
                    raise ValueError(f"the published figures are inconsistent ({cell}): "
                                     f"{found.message}")
                fixed = np.flatnonzero(found.bounds_binding())
                binding = tuple(names[i] for i in fixed
                                if names[i] not in self.unpublished and lower[i] == upper[i])
                sides.append((sign * found.fun, binding, found.x))
            low = math.ceil(sides[0][0] - _ROUNDING)
            high = sides[1][0] if math.isinf(sides[1][0]) else math.floor(sides[1][0] + _ROUNDING)
            binding = tuple(sorted(set(sides[0][1]) | set(sides[1][1])))
            witnesses = ({"low": sides[0][2], "high": sides[1][2]}
                         if sides[0][2] is not None and sides[1][2] is not None else None)
            out[cell] = FeasibleRange(float(low), float(high), binding, witnesses)
        return out


def unprotected(model: LinearModel, values: Mapping[str, float], hidden: Iterable[str], *,
                threshold: int, cells: Iterable[str] | None = None,
                ) -> dict[str, FeasibleRange]:
    """Return the hidden cells whose feasible range breaks the protection-interval rule."""
    ranges = model.ranges(values, hidden, cells=cells)
    return {cell: r for cell, r in ranges.items() if not r.protected(threshold)}


def protect_ranges(
    model: LinearModel,
    values: Mapping[str, float],
    *,
    threshold: int,
    candidates: Iterable[str] | None = None,
    totals: Iterable[str] = (),
) -> set[str]:
    """Choose cells to hide so every hidden cell's feasible range is protected.

    Parameters
    ----------
    model : LinearModel
    values : mapping of str to float
        True value of every published cell.
    threshold : int
        Counts from 1 to ``threshold - 1`` are hidden (primary suppression); every hidden
        cell then needs a range at least ``threshold`` wide, not within 1..threshold-1.
    candidates : iterable of str, optional
        Cells that may be hidden to protect others (default: every published non-zero cell).
    totals : iterable of str
        Cells hidden only when nothing else will do.

    Returns
    -------
    set of str
        Cells to hide. Zeros are never hidden, so readers know a hidden cell is at least 1.

    Notes
    -----
    Hiding a cell only ever widens the other ranges (the true table stays feasible and the
    published constraints loosen), so each hidden cell is checked until it passes: when it
    fails, the published cell that binds its range and is cheapest to lose (not a total,
    smallest value) is hidden too, and the check repeats. When no published cell binds, the
    whole table is hidden. A last pass shows again, largest first, any secondary cell the
    others turn out not to need. The result is safe, not necessarily the smallest.

    Examples
    --------
    >>> model = LinearModel()
    >>> model.add_sum("T", ["a", "b", "c", "d"])
    >>> sorted(protect_ranges(model, {"T": 30, "a": 3, "b": 12, "c": 7, "d": 8}, threshold=5))
    ['a', 'c']
    """
    published = sorted(c for c in values if c not in model.unpublished)
    allowed = set(published if candidates is None else candidates)
    totals = set(totals)
    hidden = {c for c in published if 0 < values[c] < threshold or np.isnan(values[c])}
    primary = set(hidden)
    passed: dict[str, FeasibleRange] = {}
    queue = sorted(hidden)
    while queue:
        cell = queue.pop(0)
        found = model.ranges(values, hidden, cells=[cell])[cell]
        if found.protected(threshold):
            passed[cell] = found
            continue
        options = [c for c in found.binding
                   if c not in hidden and c in allowed and values[c] > 0]
        if not options:
            options = [c for c in allowed if c not in hidden and values[c] > 0
                       and any(c in row and cell in row for row in
                               (*model.equalities, *model.inequalities))]
        if not options:
            logger.info("no cell binds %s; hiding every cell", cell)
            return {c for c in published if values[c] != 0 or c in totals}
        choice = min(options, key=lambda c: (c in totals, values[c], c))
        hidden.add(choice)
        queue = [cell, choice, *queue]
    return _show_unneeded(model, values, hidden, primary, passed, threshold)


def _still_witnessed(found: FeasibleRange, at: int | None, value: float) -> bool:
    """Tell whether both witness tables of a range give variable ``at`` this value."""
    if at is None or found.witnesses is None:
        return False
    return all(abs(w[at] - value) <= 1e-6 for w in found.witnesses.values())


def _show_unneeded(model: LinearModel, values: Mapping[str, float], hidden: set[str],
                   primary: set[str], passed: dict[str, FeasibleRange],
                   threshold: int) -> set[str]:
    """Show again, largest first, secondary cells the others turn out not to need.

    A hidden cell's range is re-solved only when a witness table of its bounds gives the
    candidate a value other than its own; otherwise the witnesses stay feasible when the
    candidate is shown, so the range still holds.
    """
    position = model._prepared()[1]
    hidden = set(hidden)
    budget = PRUNE_BUDGET
    for candidate in sorted(hidden - primary, key=lambda c: (-values[c], c)):
        trial = hidden - {candidate}
        at = position.get(candidate)
        recheck = [c for c in sorted(trial) if not _still_witnessed(passed[c], at,
                                                                    values[candidate])]
        if len(recheck) > budget:
            continue
        found = {}
        for cell in recheck:
            budget -= 1
            found[cell] = model.ranges(values, trial, cells=[cell])[cell]
            if not found[cell].protected(threshold):
                break
        else:
            hidden = trial
            passed.update(found)
    return hidden


__all__ = ["FeasibleRange", "LinearModel", "protect_ranges", "unprotected"]
