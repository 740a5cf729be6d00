"""Deprivation quintile comparisons: rate ratios, shares and the slope index of inequality.

* Quintile rates are events over population summed across the quintile's LSOAs, quintile 1
  being the most deprived. Quintiles are **local** (fifths of the study area's LSOAs ranked
  by IMD score) or **national** (fifths of England's LSOAs: IMD deciles 1-2, 3-4, ...).
* Rate ratio of quintile 1 to quintile 5 with a 95% interval from the Poisson log method:
  ``exp(ln RR +/- 1.96 sqrt(1/a + 1/b))``.
* Slope index of inequality (SII): the slope of a population-weighted least-squares line of
  quintile rate on the midpoint of each quintile's cumulative population share, ordered from
  least (0) to most (1) deprived: the modelled rate gap between the most and least deprived
  ends. 95% interval from the regression's standard error on 3 degrees of freedom. Relative
  index (RII) = SII / overall rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def quintile_rates(counts: pd.Series, population: pd.Series, quintile: pd.Series, *,
                   per: float) -> pd.DataFrame:
    """Events, population and rate per quintile (1 = most deprived).

    Examples
    --------
    >>> q = quintile_rates(pd.Series([10, 5]), pd.Series([1000, 1000]), pd.Series([1, 5]),
    ...                    per=1000)
    >>> q["rate"].tolist()
    [10.0, 5.0]
    """
    table = pd.DataFrame({"events": counts, "population": population, "quintile": quintile})
    grouped = table.groupby("quintile")[["events", "population"]].sum()
    grouped["rate"] = grouped["events"] / grouped["population"] * per
    return grouped


def rate_ratio(a: float, pa: float, b: float, pb: float) -> tuple[float, float, float]:
    """Ratio of rates ``(a / pa) / (b / pb)`` with a 95% Poisson interval.

    Examples
    --------
    >>> tuple(round(v, 2) for v in rate_ratio(300, 1000, 100, 1000))
    (3.0, 2.39, 3.76)
    """
    if a <= 0 or b <= 0:
        return (np.nan, np.nan, np.nan) if b <= 0 else (0.0, np.nan, np.nan)
    rr = (a / pa) / (b / pb)
    half = 1.959964 * np.sqrt(1 / a + 1 / b)
    return (float(rr), float(rr * np.exp(-half)), float(rr * np.exp(half)))


def slope_index(rates: pd.Series, population: pd.Series) -> dict:
    """Slope and relative index of inequality over quintiles ordered most deprived first.

    Parameters
    ----------
    rates, population : pandas.Series
        Indexed by quintile 1 (most deprived) to 5.

    Returns
    -------
    dict
        ``sii``, ``sii_low``, ``sii_high``, ``rii``.

    Examples
    --------
    >>> out = slope_index(pd.Series([50.0, 40, 30, 20, 10], index=[1, 2, 3, 4, 5]),
    ...                   pd.Series([100] * 5, index=[1, 2, 3, 4, 5]))
    >>> round(out["sii"], 6), round(out["rii"], 6)
    (50.0, 1.666667)
    """
    order = population.sort_index(ascending=False)  # least deprived (5) first
    share = order / order.sum()
    ridit = (share.cumsum() - share / 2).to_numpy()
    y = rates.reindex(order.index).to_numpy(float)
    w = share.to_numpy()
    x_bar, y_bar = np.average(ridit, weights=w), np.average(y, weights=w)
    sxx = np.sum(w * (ridit - x_bar) ** 2)
    slope = np.sum(w * (ridit - x_bar) * (y - y_bar)) / sxx
    residual = y - (y_bar + slope * (ridit - x_bar))
    dof = len(y) - 2
    if dof > 0:  # weighted least squares: var(slope) = sum(w e^2) / dof / sum(w (x - x_bar)^2)
        half = stats.t.ppf(0.975, dof) * np.sqrt(np.sum(w * residual ** 2) / dof / sxx)
    else:
        half = np.nan
    overall = np.average(y, weights=w)
    return {"sii": float(slope), "sii_low": float(slope - half), "sii_high": float(slope + half),
            "rii": float(slope / overall) if overall else np.nan}
