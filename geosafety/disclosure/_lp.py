"""Minimising one linear objective after another over the same constraints, with HiGHS.

Disclosure control bounds every hidden cell by two linear programs that share their
constraints and bounds and differ only in the objective. :func:`scipy.optimize.linprog`
checks and converts its inputs, builds HiGHS's model and reads its answer back again for
every call, which on Sefton's 1,386 small programs costs nearly as long again as HiGHS
itself. :class:`Rows` holds the constraints, built once; :class:`Polytope` adds the
bounds and hands the model to the HiGHS that SciPy bundles
(``scipy.optimize._highspy``) with the options ``linprog(method="highs")`` sets, so every
solution is the one ``linprog`` finds: the same optimum, the same vertex among tied optima,
the same bound multipliers. Where that module is missing or has changed (an older or newer
SciPy), it calls ``linprog`` instead, and the answers are the same, only slower.

Examples
--------
Minimise and maximise ``a`` where ``a + b = 10``, ``b <= 8`` and ``a, b >= 1``:

>>> import numpy as np
>>> from scipy.sparse import csr_matrix
>>> rows = Rows(2, a_eq=csr_matrix([[1.0, 1.0]]), b_eq=np.array([10.0]))
>>> box = rows.within(np.array([1.0, 1.0]), np.array([np.inf, 8.0]))
>>> box.minimise(np.array([1.0, 0.0])).fun, -box.minimise(np.array([-1.0, 0.0])).fun
(2.0, 9.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csc_array, csr_matrix, vstack

#: ``linprog``'s status codes, which :class:`Solution` reports too.
OPTIMAL, INFEASIBLE, UNBOUNDED, OTHER = 0, 2, 3, 4


@dataclass(frozen=True)
class Solution:
    """What one minimisation found.

    Attributes
    ----------
    status : int
        As ``linprog`` reports it: 0 optimal, 2 infeasible, 3 unbounded, 4 anything else.
    message : str
        HiGHS's word for the outcome.
    fun : float or None
        The minimum (None unless optimal).
    x : ndarray or None
        A minimising point.
    lower_marginals, upper_marginals : ndarray or None
        The objective's sensitivity to each variable's lower and upper bound (zero where
        the bound does not bind).
    """

    status: int
    message: str
    fun: float | None = None
    x: np.ndarray | None = None
    lower_marginals: np.ndarray | None = None
    upper_marginals: np.ndarray | None = None

    def bounds_binding(self, tolerance: float = 1e-9) -> np.ndarray:
        """Return which variables' bounds bind the optimum (a non-zero multiplier).

        Examples
        --------
        >>> Solution(0, "Optimal", 1.0, np.array([1.0, 2.0]), np.array([1.0, 0.0]),
        ...          np.array([0.0, 0.0])).bounds_binding()
        array([ True, False])
        """
        if self.lower_marginals is None or self.upper_marginals is None:
            raise ValueError(f"no optimum was found ({self.message})")
        return ((np.abs(self.lower_marginals) > tolerance)
                | (np.abs(self.upper_marginals) > tolerance))


def _bundled_highs() -> Any | None:
    """Return SciPy's own HiGHS module, or None where this SciPy does not have it."""
    try:
        from scipy.optimize._highspy import _core
        needed = ("HighsLp", "HighsOptions", "_Highs", "HighsModelStatus", "HighsBasisStatus",
                  "MatrixFormat", "HighsDebugLevel", "simplex_constants")
        if all(hasattr(_core, name) for name in needed):
            return _core
    except ImportError:
        pass
    return None


#: SciPy's HiGHS module, or None (then every program goes through ``linprog``).
_HIGHS: Any = _bundled_highs()


def uses_bundled_highs() -> bool:
    """Tell whether programs go straight to SciPy's bundled HiGHS (else through linprog).

    Examples
    --------
    >>> isinstance(uses_bundled_highs(), bool)
    True
    """
    return _HIGHS is not None


@dataclass(frozen=True, eq=False)
class Rows:
    """Constraint rows ``a_ub @ x <= b_ub`` and ``a_eq @ x == b_eq``, for many bounds.

    Parameters
    ----------
    columns : int
        Number of variables.
    a_ub, a_eq : sparse matrix, optional
        Inequality and equality rows (None: no such rows).
    b_ub, b_eq : ndarray, optional
        Their right-hand sides.
    """

    columns: int
    a_ub: csr_matrix | None = None
    b_ub: np.ndarray | None = None
    a_eq: csr_matrix | None = None
    b_eq: np.ndarray | None = None

    @cached_property
    def _stacked(self) -> tuple[csc_array, np.ndarray, np.ndarray]:
        """All rows as ``linprog`` hands them to HiGHS: inequalities, then equalities."""
        blocks = [a for a in (self.a_ub, self.a_eq) if a is not None]
        matrix = csc_array(vstack(blocks)) if blocks else csc_array((0, self.columns))
        ub = np.zeros(0) if self.b_ub is None else np.asarray(self.b_ub, dtype=float)
        eq = np.zeros(0) if self.b_eq is None else np.asarray(self.b_eq, dtype=float)
        return matrix, np.concatenate((np.full(ub.size, -np.inf), eq)), np.concatenate((ub, eq))

    def within(self, lower: np.ndarray, upper: np.ndarray) -> Polytope:
        """Return the polytope of these rows and the bounds ``lower <= x <= upper``."""
        return Polytope(self, np.asarray(lower, dtype=float), np.asarray(upper, dtype=float))


class Polytope:
    """The points meeting some :class:`Rows` within bounds; see :meth:`Rows.within`."""

    def __init__(self, rows: Rows, lower: np.ndarray, upper: np.ndarray) -> None:
        self.rows, self.lower, self.upper = rows, lower, upper
        self._model = None if _HIGHS is None else self._highs_model()

    def _highs_model(self) -> Any:
        matrix, row_lower, row_upper = self.rows._stacked
        model = _HIGHS.HighsLp()
        model.num_col_ = model.a_matrix_.num_col_ = matrix.shape[1]
        model.num_row_ = model.a_matrix_.num_row_ = matrix.shape[0]
        model.a_matrix_.format_ = _HIGHS.MatrixFormat.kColwise
        model.a_matrix_.start_ = matrix.indptr
        model.a_matrix_.index_ = matrix.indices
        model.a_matrix_.value_ = matrix.data
        model.col_lower_ = self.lower
        model.col_upper_ = self.upper
        model.row_lower_ = row_lower
        model.row_upper_ = row_upper
        return model

    def minimise(self, objective: np.ndarray, *, presolve: bool = True) -> Solution:
        """Return the minimum of ``objective @ x`` and where it is reached.

        ``presolve=False`` turns HiGHS's presolve off (it can call an unbounded problem
        infeasible).
        """
        if self._model is None:
            return self._through_linprog(objective, presolve)
        self._model.col_cost_ = np.asarray(objective, dtype=float)
        highs = _HIGHS._Highs()
        highs.passOptions(_options(presolve))
        highs.passModel(self._model)
        highs.run()
        status = highs.getModelStatus()
        message = highs.modelStatusToString(status)
        outcome = {_HIGHS.HighsModelStatus.kOptimal: OPTIMAL,
                   _HIGHS.HighsModelStatus.kInfeasible: INFEASIBLE,
                   _HIGHS.HighsModelStatus.kUnbounded: UNBOUNDED}.get(status, OTHER)
        if outcome != OPTIMAL:
            return Solution(outcome, message)
        solution = highs.getSolution()
        column_status = highs.getBasis().col_status
        basis = np.fromiter(map(int, column_status), np.int8, len(column_status))
        duals = np.asarray(solution.col_dual, dtype=float)
        lower = np.where(basis == int(_HIGHS.HighsBasisStatus.kLower), duals, 0.0)
        upper = np.where(basis == int(_HIGHS.HighsBasisStatus.kUpper), duals, 0.0)
        return Solution(outcome, message, highs.getInfo().objective_function_value,
                        np.array(solution.col_value), lower, upper)

    def _through_linprog(self, objective: np.ndarray, presolve: bool) -> Solution:
        bounds = list(zip(self.lower.tolist(),
                          [None if np.isinf(u) else u for u in self.upper.tolist()],
                          strict=True))
        rows = self.rows
        result = linprog(objective, A_ub=rows.a_ub, b_ub=rows.b_ub, A_eq=rows.a_eq,
                         b_eq=rows.b_eq, bounds=bounds, method="highs",
                         options={"presolve": presolve})
        if result.status != OPTIMAL:
            return Solution(int(result.status), str(result.message))
        return Solution(OPTIMAL, str(result.message), float(result.fun), result.x,
                        result.lower.marginals, result.upper.marginals)


_OPTIONS: dict[bool, Any] = {}


def _options(presolve: bool) -> Any:
    """Return the options ``linprog(method="highs")`` gives HiGHS (built once each)."""
    if presolve not in _OPTIONS:
        options = _HIGHS.HighsOptions()
        options.presolve = "on" if presolve else "off"
        options.highs_debug_level = _HIGHS.HighsDebugLevel.kHighsDebugLevelNone
        options.log_to_console = False
        options.output_flag = False
        options.simplex_strategy = _HIGHS.simplex_constants.SimplexStrategy.kSimplexStrategyDual
        _OPTIONS[presolve] = options
    return _OPTIONS[presolve]


__all__ = ["Polytope", "Rows", "Solution", "uses_bundled_highs"]
