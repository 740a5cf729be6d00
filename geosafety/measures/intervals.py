"""Confidence intervals for counts and rates, as Public Health England computes them.

A count of events is treated as Poisson. Its 100(1 - a)% limits are
(PHE/OHID Fingertips technical guidance, "Rates"; PHEindicatormethods ``phe_rate``):

* **10 events or more, Byar's method** (Breslow and Day 1987):
  ``O_low = O (1 - 1/(9O) - z/(3 sqrt(O)))^3`` and
  ``O_high = (O + 1) (1 - 1/(9(O + 1)) + z/(3 sqrt(O + 1)))^3``, with ``z`` the
  ``1 - a/2`` point of the standard normal distribution;
* **fewer than 10, the exact method** from the link between the Poisson and chi-squared
  distributions (Armitage and Berry 2002): ``O_low = chi2(a/2; 2O) / 2`` and
  ``O_high = chi2(1 - a/2; 2O + 2) / 2`` (``O_low = 0`` when ``O = 0``).

A rate's limits are the count's limits over the population, times the multiplier. An area's
rate is **higher** (or **lower**) than a benchmark rate (the study area's) when its whole
interval lies above (or below) the benchmark, and **similar** otherwise: the comparison
Fingertips makes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from geosafety._errors import InvalidOptionError

#: Below this many events the exact method is used, from it Byar's (PHE's rule).
EXACT_BELOW = 10

#: How an area's rate compares with the benchmark's, in the order they sort.
COMPARISONS = ("higher", "similar", "lower")


def confidence_level(confidence: float) -> float:
    """Return a confidence level as a fraction, accepting 0.9-0.999 or 90-99.9 (per cent).

    Raises
    ------
    InvalidOptionError
        If the level is outside 90% to 99.9%.

    Examples
    --------
    >>> confidence_level(95), confidence_level(0.998)
    (0.95, 0.998)
    """
    level = float(confidence) / 100 if float(confidence) > 1 else float(confidence)
    if not 0.9 <= level <= 0.999:
        raise InvalidOptionError(
            f"confidence level {confidence!r} is not between 90% and 99.9%; give e.g. 95 "
            "or 99.8.")
    return round(level, 6)


def confidence_label(confidence: float) -> str:
    """Say a confidence level the way a report does, e.g. ``"95%"`` or ``"99.8%"``.

    Examples
    --------
    >>> confidence_label(0.95), confidence_label(99.8)
    ('95%', '99.8%')
    """
    return f"{confidence_level(confidence) * 100:g}%"


def poisson_count_limits(counts: np.ndarray | pd.Series | float,
                         confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper confidence limits of Poisson counts (PHE: Byar's, exact below 10).

    Parameters
    ----------
    counts : array-like
        Observed events (0 or more; a weighted count may be fractional). NaN stays NaN.
    confidence : float
        Confidence level, as a fraction or a percentage.

    Returns
    -------
    lower, upper : numpy.ndarray

    Examples
    --------
    65 events (Byar's method) and 3 events (exact):

    >>> low, high = poisson_count_limits([65, 3, 0])
    >>> low.round(4).tolist(), high.round(4).tolist()
    ([50.1632, 0.6187, 0.0], [82.8491, 8.7673, 3.6889])
    """
    level = confidence_level(confidence)
    observed = np.asarray(counts, dtype=float)
    z = stats.norm.ppf(0.5 + level / 2)
    tail = (1 - level) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = observed * (1 - 1 / (9 * observed) - z / (3 * np.sqrt(observed))) ** 3
        upper = (observed + 1) * (1 - 1 / (9 * (observed + 1))
                                  + z / (3 * np.sqrt(observed + 1))) ** 3
    small = observed < EXACT_BELOW
    if small.any():  # the exact limits, worked out once for each distinct small count
        few, where = np.unique(observed[small], return_inverse=True)
        exact_low = np.where(few > 0, stats.chi2.ppf(tail, 2 * few) / 2, 0.0)
        exact_high = stats.chi2.ppf(1 - tail, 2 * few + 2) / 2
        lower[small] = exact_low[where.ravel()]
        upper[small] = exact_high[where.ravel()]
    missing = np.isnan(observed)
    return np.where(missing, np.nan, lower), np.where(missing, np.nan, upper)


def rate_limits(counts: pd.Series, population: pd.Series, *, per: float,
                confidence: float = 0.95) -> pd.DataFrame:
    """Confidence limits of rates ``counts / population * per``; NaN where no population.

    Examples
    --------
    >>> limits = rate_limits(pd.Series([65, 3]), pd.Series([10_000, 2_000]), per=1000)
    >>> limits.round(4).values.tolist()
    [[5.0163, 8.2849], [0.3093, 4.3836]]
    """
    lower, upper = poisson_count_limits(counts.to_numpy(float), confidence)
    denominator = population.astype(float).where(population > 0).to_numpy()
    return pd.DataFrame({"rate_low": lower / denominator * per,
                         "rate_high": upper / denominator * per}, index=counts.index)


def compare_with_benchmark(low: pd.Series, high: pd.Series,
                           benchmark: pd.Series | float) -> pd.Series:
    """Whether each interval lies above, around or below the benchmark value.

    Returns "higher", "similar" or "lower" (missing where the interval is).

    Examples
    --------
    >>> compare_with_benchmark(pd.Series([5.0, 1.0, 0.5]), pd.Series([8.0, 3.0, 1.5]),
    ...                        2.0).tolist()
    ['higher', 'similar', 'lower']
    """
    bench = (benchmark.to_numpy(float, na_value=np.nan) if isinstance(benchmark, pd.Series)
             else float(benchmark))
    return pd.Series(comparisons(low.to_numpy(float, na_value=np.nan),
                                 high.to_numpy(float, na_value=np.nan), bench), index=low.index)


def comparisons(lows: np.ndarray, highs: np.ndarray,
                benchmark: np.ndarray | float) -> pd.arrays.StringArray:
    """:func:`compare_with_benchmark` on arrays: a string array, missing where unknown.

    Examples
    --------
    >>> list(comparisons(np.array([5.0, 1.0, np.nan]), np.array([8.0, 3.0, 1.0]), 2.0))
    ['higher', 'similar', <NA>]
    """
    said = np.where(lows > benchmark, 0, np.where(highs < benchmark, 2, 1))
    said[np.isnan(lows) | np.isnan(highs)] = -1
    return _COMPARISON_LABELS.take(said, allow_fill=True)


#: The labels :func:`comparisons` picks from.
_COMPARISON_LABELS = pd.array(list(COMPARISONS), dtype="string")
