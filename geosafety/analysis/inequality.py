"""Deprivation gradients: quintile rate ratios and the slope and relative indices of inequality.

* **Quintile rates** are events over population summed across the quintile's LSOAs,
  quintile 1 being the most deprived. Quintiles are **local** (fifths of the study area's
  LSOAs ranked by IMD score) or **national** (fifths of England's LSOAs: IMD deciles 1-2,
  3-4, ...).
* **Rate ratio** of quintile 1 to quintile 5, from a **quasi-Poisson** regression of LSOA
  counts on quintile with log population as offset (McCullagh and Nelder 1989, section
  6.2): the ratio is the pooled one, and its interval is the Poisson interval widened by
  the square root of the dispersion (Pearson chi-squared over residual degrees of freedom),
  because LSOA counts of crime vary far more than Poisson counts do.
* **Slope index of inequality (SII)** as PHE computes it (PHEindicatormethods ``phe_sii``;
  Low and Low 2004): each quintile gets the midpoint of its share of the cumulative
  population; the regression ``y sqrt(a) = b0 sqrt(a) + b1 x sqrt(a)`` (``a`` the
  quintile's population share) gives a population-weighted line, and the SII is its slope.
  geosafety orders ``x`` from the least (0) to the most (1) deprived, so a positive SII is
  the modelled excess rate at the most deprived end; PHE orders the other way round, so
  its SII has the opposite sign. The interval comes from simulation: each quintile's log
  rate is drawn from a normal distribution with the standard error of its 95% interval
  (Byar's, widened by the same dispersion as the rate ratio), 100,000 times.
* **Relative index (RII)** as PHE defines it: the ratio of the fitted rates at the two ends,
  most deprived over least, ``(b0 + b1) / b0``, with the simulation's interval; and beside
  it a **log-linear RII**: ``exp(slope)`` of a quasi-Poisson regression of LSOA counts on
  each LSOA's relative deprivation rank (0 least, 1 most deprived, population weighted).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from geosafety.measures.intervals import rate_limits

#: Simulations for the SII interval (PHE's default).
SII_REPETITIONS = 100_000


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


def dispersion(counts: pd.Series, population: pd.Series, groups: pd.Series) -> float:
    """Pearson dispersion of area counts about their group rates: 1 for Poisson counts.

    ``sum((O - E)^2 / E) / (n - k)``, with ``E`` the area's population times its group's
    pooled rate, over the ``n`` areas with population and the ``k`` groups. Values below 1
    are reported as 1 (an interval is never narrowed below Poisson).

    Examples
    --------
    >>> dispersion(pd.Series([10, 30, 5, 15]), pd.Series([100] * 4), pd.Series([1, 1, 2, 2]))
    7.5
    """
    keep = population > 0
    counts, population, groups = counts[keep], population[keep], groups[keep]
    rates = counts.groupby(groups).transform("sum") / population.groupby(groups).transform("sum")
    expected = rates * population
    used = expected > 0
    residual_df = int(used.sum()) - groups[used].nunique()
    if residual_df <= 0:
        return 1.0
    chi2 = float((((counts - expected) ** 2)[used] / expected[used]).sum())
    return max(1.0, chi2 / residual_df)


def rate_ratio(a: float, pa: float, b: float, pb: float, *, scale: float = 1.0,
               confidence: float = 0.95) -> tuple[float, float, float]:
    """Ratio of rates ``(a / pa) / (b / pb)`` with a (quasi-)Poisson interval.

    ``exp(ln RR +/- z sqrt(scale (1/a + 1/b)))``; ``scale`` is the dispersion
    (:func:`dispersion`; 1 for Poisson counts). This is the interval of the quasi-Poisson
    regression of area counts on their group.

    Examples
    --------
    >>> tuple(round(v, 2) for v in rate_ratio(300, 1000, 100, 1000))
    (3.0, 2.39, 3.76)
    >>> tuple(round(v, 2) for v in rate_ratio(300, 1000, 100, 1000, scale=4))
    (3.0, 1.91, 4.72)
    """
    if a <= 0 or b <= 0:
        return (np.nan, np.nan, np.nan) if b <= 0 else (0.0, np.nan, np.nan)
    rr = (a / pa) / (b / pb)
    z = stats.norm.ppf(0.5 + confidence / 2)
    half = z * np.sqrt(scale * (1 / a + 1 / b))
    return (float(rr), float(rr * np.exp(-half)), float(rr * np.exp(half)))


def relative_rank(deprivation: pd.Series, population: pd.Series) -> pd.Series:
    """Midpoint of each area's (or group's) share of the cumulative population.

    Areas are ordered from the least deprived (lowest ``deprivation``) to the most; the
    result runs from near 0 at the least to near 1 at the most deprived end (PHE's
    ``FindXValues``, ordered this way). Ties keep their given order.

    Examples
    --------
    Quintiles, 1 the most deprived, in equal fifths:

    >>> quintile = pd.Series([1, 2, 3, 4, 5], index=[1, 2, 3, 4, 5])
    >>> relative_rank(-quintile, pd.Series([100] * 5, index=quintile.index)).round(2).tolist()
    [0.9, 0.7, 0.5, 0.3, 0.1]
    """
    ordered = population.loc[deprivation.sort_values(kind="stable").index]
    share = ordered / ordered.sum()
    return (share.cumsum() - share / 2).reindex(population.index)


def slope_index(rates: pd.Series, population: pd.Series, *, events: pd.Series | None = None,
                scale: float = 1.0, repetitions: int = SII_REPETITIONS, seed: int = 2025,
                confidence: float = 0.95) -> dict[str, float]:
    """Slope and relative index of inequality (PHE's ``phe_sii``), most deprived end first.

    Parameters
    ----------
    rates, population : pandas.Series
        Indexed by quintile, 1 (most deprived) to 5 (least).
    events : pandas.Series, optional
        Events per quintile: their Byar's intervals give each rate's standard error for the
        simulation (without them the interval is not computed).
    scale : float
        Dispersion widening each rate's standard error by ``sqrt(scale)`` (1 = Poisson).
    repetitions, seed : int
        Simulations for the interval, and the random seed that makes them repeatable.
    confidence : float
        Level of the simulated interval.

    Returns
    -------
    dict
        ``sii``, ``sii_low``, ``sii_high``, ``rii``, ``rii_low``, ``rii_high``, and the
        line's fitted rates at the two ends, ``fitted_least_deprived`` (x = 0) and
        ``fitted_most_deprived`` (x = 1). When the fitted least deprived end is near 0 the
        RII (a ratio to it) is unstable and its interval can include 0 or negative values.

    Examples
    --------
    A perfect line from 10 (least deprived) to 50 (most deprived) in equal fifths:

    >>> out = slope_index(pd.Series([50.0, 40, 30, 20, 10], index=[1, 2, 3, 4, 5]),
    ...                   pd.Series([100] * 5, index=[1, 2, 3, 4, 5]))
    >>> round(out["sii"], 6), round(out["rii"], 6)
    (50.0, 11.0)
    """
    quintile = pd.Series(rates.index, index=rates.index)
    x = relative_rank(-quintile, population).to_numpy(float)
    share = (population / population.sum()).to_numpy(float)
    root = np.sqrt(share)
    design = np.column_stack([root, x * root])  # PHE's sqrt(a) and b sqrt(a)
    solve = np.linalg.pinv(design)
    intercept, slope = solve @ (rates.to_numpy(float) * root)
    out = {"sii": float(slope), "rii": float((intercept + slope) / intercept),
           "fitted_least_deprived": float(intercept),
           "fitted_most_deprived": float(intercept + slope),
           "sii_low": np.nan, "sii_high": np.nan, "rii_low": np.nan, "rii_high": np.nan}
    if events is None or (events <= 0).any():
        return out
    limits = rate_limits(events, population, per=1.0, confidence=0.95)
    per = float(np.nanmean(rates / (events / population)))  # the rates' multiplier
    se = (np.log(limits["rate_high"]) - np.log(limits["rate_low"])) / (
        2 * stats.norm.ppf(0.975)) * np.sqrt(scale)
    rng = np.random.default_rng(seed)
    draws = np.exp(rng.normal(np.log(rates.to_numpy(float) / per)[:, None],
                              se.to_numpy(float)[:, None], size=(len(rates), repetitions))) * per
    fitted = solve @ (draws * root[:, None])
    tail = 100 * (1 - confidence) / 2
    sii = np.percentile(fitted[1], [tail, 100 - tail])
    rii = np.percentile((fitted[0] + fitted[1]) / fitted[0], [tail, 100 - tail])
    out |= {"sii_low": float(sii[0]), "sii_high": float(sii[1]),
            "rii_low": float(rii[0]), "rii_high": float(rii[1])}
    return out


def loglinear_rii(counts: pd.Series, population: pd.Series, deprivation: pd.Series, *,
                  confidence: float = 0.95) -> dict[str, float]:
    """Log-linear relative index of inequality from a quasi-Poisson regression of areas.

    Each area's relative rank (:func:`relative_rank` of its deprivation, higher = more
    deprived) is regressed against its count with log population as offset; the RII is
    ``exp(slope)``: the modelled rate at the most deprived end over the least deprived
    end. The interval allows for over-dispersion (scale = Pearson chi-squared / df).

    Examples
    --------
    >>> rank = pd.Series(np.arange(100.0))
    >>> out = loglinear_rii(pd.Series(np.round(20 * np.exp(np.log(3) * rank / 99))),
    ...                     pd.Series([1000.0] * 100), rank)
    >>> round(out["rii_loglinear"], 1)
    3.0
    """
    import statsmodels.api as sm

    keep = (population > 0) & counts.notna() & deprivation.notna()
    counts, population, deprivation = counts[keep], population[keep], deprivation[keep]
    empty = {"rii_loglinear": np.nan, "rii_loglinear_low": np.nan,
             "rii_loglinear_high": np.nan, "dispersion_loglinear": np.nan}
    if len(counts) < 3 or counts.sum() <= 0:
        return empty
    x = relative_rank(deprivation, population)
    model = sm.GLM(counts.to_numpy(float), sm.add_constant(x.to_numpy(float)),
                   family=sm.families.Poisson(), offset=np.log(population.to_numpy(float)))
    fit = model.fit(scale="X2")
    slope, se = float(fit.params[1]), float(fit.bse[1])
    z = stats.norm.ppf(0.5 + confidence / 2)
    return {"rii_loglinear": float(np.exp(slope)),
            "rii_loglinear_low": float(np.exp(slope - z * se)),
            "rii_loglinear_high": float(np.exp(slope + z * se)),
            "dispersion_loglinear": float(fit.scale)}
