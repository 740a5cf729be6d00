"""Statistical disclosure control for sensitive sources (MARAC, CJIT).

Counts by area are published at three linked levels (LSOA, ward, postcode district) with
borough totals, and wards and districts are sums of LSOAs. So suppressing the small cells is
not enough: a hidden cell must not be recoverable from the others. geosafety treats every
published figure as a cell and every "parent = sum of children" relation as a linear
equation, and calls a hidden cell *recoverable* when the equations and the visible cells
determine it exactly (it lies in the row space of the equations restricted to hidden cells).

* **Primary suppression**: counts from 1 to ``threshold - 1`` are hidden (0 is shown).
* **Secondary suppression**: while any hidden cell is recoverable, the smallest visible cell
  sharing an equation with it is hidden too. This is the CJIT reports' "a second cell in the
  row" rule, generalised to linked tables.
* Every figure derived from a hidden count (rate, rank, decile, share) is hidden with it,
  and ranks and deciles are computed among the visible areas only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.linalg import null_space

#: Default threshold: counts below 5 are hidden.
THRESHOLD = 5


@dataclass(frozen=True, eq=True)
class Equation:
    """``parent = sum(children)``; every name is a cell id."""

    parent: str
    children: tuple[str, ...]


def _hidden_system(hidden: Sequence[str], equations: Sequence[Equation]
                   ) -> tuple[np.ndarray, list[int]]:
    """Rows of the equations restricted to hidden cells, and which equation each row is."""
    position = {cell: i for i, cell in enumerate(hidden)}
    rows, used = [], []
    for number, equation in enumerate(equations):
        row = np.zeros(len(hidden))
        for cell, coefficient in [(equation.parent, -1.0)] + [(c, 1.0) for c in equation.children]:
            if cell in position:
                row[position[cell]] += coefficient
        if row.any():
            rows.append(row)
            used.append(number)
    return (np.array(rows) if rows else np.zeros((0, len(hidden)))), used


def recoverable(
    hidden: Iterable[str], equations: Sequence[Equation], *, tol: float = 1e-9
) -> set[str]:
    """Return the hidden cells that visible cells and the equations determine exactly.

    Parameters
    ----------
    hidden : iterable of str
        Cells whose values are not published (suppressed, or never published).
    equations : sequence of Equation
        Linear relations between cells; cells not in ``hidden`` are known.

    Returns
    -------
    set of str

    Examples
    --------
    >>> eq = [Equation("T", ("a", "b", "c"))]
    >>> sorted(recoverable({"a"}, eq))       # T, b, c visible: a = T - b - c
    ['a']
    >>> sorted(recoverable({"a", "b"}, eq))  # two hidden in one row: neither recoverable
    []
    """
    hidden = sorted(set(hidden))
    if not hidden:
        return set()
    matrix, _ = _hidden_system(hidden, equations)
    if not len(matrix):
        return set()
    basis = null_space(matrix)
    if basis.size == 0:
        return set(hidden)
    free = np.abs(basis).max(axis=1) > tol
    return {cell for cell, is_free in zip(hidden, free, strict=True) if not is_free}


def _recovering_equations(cell: str, hidden: Sequence[str],
                          equations: Sequence[Equation]) -> list[Equation]:
    """Return the equations whose combination recovers ``cell`` (a disclosure certificate)."""
    hidden = sorted(hidden)
    matrix, used = _hidden_system(hidden, equations)
    target = np.zeros(len(hidden))
    target[hidden.index(cell)] = 1.0
    weights = np.linalg.lstsq(matrix.T, target, rcond=None)[0]
    return [equations[used[i]] for i in np.flatnonzero(np.abs(weights) > 1e-9)]


def protect(
    values: Mapping[str, float],
    equations: Sequence[Equation],
    *,
    threshold: int = THRESHOLD,
    unpublished: Iterable[str] = (),
) -> set[str]:
    """Choose the published cells to suppress: primary, then secondary until none is recoverable.

    Parameters
    ----------
    values : mapping of str to float
        Every cell's true value (NaN for a cell already unknown, e.g. suppressed at source).
    equations : sequence of Equation
    threshold : int
        Counts from 1 to ``threshold - 1`` are suppressed.
    unpublished : iterable of str
        Cells that are never published (e.g. records placed only at ward level); they are
        unknown to readers but are never candidates for suppression.

    Returns
    -------
    set of str
        Published cells to hide.

    Notes
    -----
    Each step takes one recoverable cell and the equations that recover it; of their visible
    cells (smallest non-zero area count first, zeros next, totals last) the first whose
    suppression makes that cell unrecoverable is hidden, or, when no single cell does, the
    most preferred, and the search goes on. A final pass shows again, largest first, any
    secondary cell the protection turns out not to need. The result is safe (no hidden cell
    is recoverable), not necessarily the smallest possible.

    Examples
    --------
    >>> eq = [Equation("T", ("a", "b", "c", "d"))]
    >>> sorted(protect({"T": 30, "a": 3, "b": 12, "c": 7, "d": 8}, eq))
    ['a', 'c']
    """
    never = set(unpublished)
    suppressed = {c for c, x in values.items()
                  if c not in never and (pd.isna(x) or 0 < x < threshold)}
    parents = {e.parent for e in equations}

    def preference(c: str) -> tuple:
        return (c in parents, values[c] == 0, values[c], c)

    primary = set(suppressed)
    while True:
        hidden = suppressed | never
        exposed = recoverable(hidden, equations) & suppressed
        if not exposed:
            return _prune(suppressed, primary, never, values, equations)
        cell = min(exposed)
        involved = _recovering_equations(cell, sorted(hidden), equations)
        candidates = sorted({c for e in involved for c in (e.parent, *e.children)
                             if c not in hidden}, key=preference)
        if not candidates:
            raise RuntimeError(f"cannot protect {cell!r}: no visible cell to suppress")

        suppressed.add(next((c for c in candidates
                             if cell not in recoverable(hidden | {c}, equations)),
                            candidates[0]))


def _prune(suppressed: set[str], primary: set[str], never: set[str],
           values: Mapping[str, float], equations: Sequence[Equation]) -> set[str]:
    """Show again secondary cells (largest first) whose suppression protects nothing."""
    kept = set(suppressed)
    for cell in sorted(suppressed - primary, key=lambda c: (-values[c], c)):
        trial = kept - {cell}
        if not recoverable(trial | never, equations) & trial:
            kept = trial
    return kept


def linked_cells(
    counts: Mapping[str, pd.Series],
    *,
    lsoa_parent: Mapping[str, pd.Series],
) -> tuple[dict[str, float], list[Equation], set[str]]:
    """Build cells and equations for counts published at linked levels with totals.

    Parameters
    ----------
    counts : mapping of level to pandas.Series
        Counts by area code for ``"lsoa"`` and any parent levels (``"ward"``,
        ``"postcode_district"``). Cell ids are ``"<level>:<code>"``; totals are
        ``"<level>:TOTAL"``.
    lsoa_parent : mapping of level to pandas.Series
        The parent area of each LSOA at each parent level (best fit).

    Returns
    -------
    values, equations, unpublished
        ``unpublished`` holds the per-area residuals (records placed at a parent level but
        not at LSOA level), which readers cannot see; when the totals show no such records
        the residuals are known to be zero and are left out.
    """
    values: dict[str, float] = {}
    equations: list[Equation] = []
    unpublished: set[str] = set()
    for level, series in counts.items():
        for code, value in series.items():
            values[f"{level}:{code}"] = float(value) if pd.notna(value) else np.nan
        values[f"{level}:TOTAL"] = float(series.sum()) if series.notna().all() else np.nan
        equations.append(Equation(f"{level}:TOTAL", tuple(f"{level}:{c}" for c in series.index)))
    lsoa = counts.get("lsoa")
    if lsoa is None:
        return values, equations, unpublished
    for level, parents in lsoa_parent.items():
        if level not in counts:
            continue
        residual = counts[level] - lsoa.groupby(parents.reindex(lsoa.index)).sum().reindex(
            counts[level].index, fill_value=0)
        has_residual = bool(residual.fillna(1).abs().sum() > 0)
        for code in counts[level].index:
            children = [f"lsoa:{c}" for c in parents.index[parents == code] if c in lsoa.index]
            if has_residual:
                children.append(f"{level}:residual:{code}")
                values[f"{level}:residual:{code}"] = float(residual.get(code, np.nan))
                unpublished.add(f"{level}:residual:{code}")
            equations.append(Equation(f"{level}:{code}", tuple(children)))
    return values, equations, unpublished
