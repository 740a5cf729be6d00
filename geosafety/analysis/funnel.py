"""Funnel plots: each area's rate against its population, with control limits around a target.

The target is the study area's rate (for authorities: the police force area's). An area of
population ``n`` expects ``E = target x n`` events and shows ``O``.

* **Poisson limits** (no over-dispersion): the exact 95% and 99.8% limits of a Poisson
  count with mean ``E`` (chi-squared form, as FunnelPlotR draws them), over ``n``.
* **Over-dispersion** (Spiegelhalter 2005, "Handling over-dispersion of performance
  indicators", BMJ Qual Saf 14:347; as FunnelPlotR and NHS/PHE funnel plots do it): each
  area's z-score on the square-root scale, ``z = 2 (sqrt(O) - sqrt(E))``, is Winsorised at
  its 10th and 90th percentiles and ``phi = mean(z^2)``. Over-dispersion is present when
  ``N phi`` exceeds the 95th percentile of chi-squared on ``N - 1`` degrees of freedom.
  Then

  - **multiplicative** limits widen the Poisson ones by ``sqrt(phi)``:
    ``(1 +/- z_p sqrt(phi) s)^2`` on the ratio ``O / E``, with ``s = 1 / (2 sqrt(E))``;
  - **additive** (random-effects) limits add a between-area variance
    ``tau^2 = (N phi - (N - 1)) / (sum w - sum w^2 / sum w)``, ``w = 1 / s^2``:
    ``(1 +/- z_p sqrt(s^2 + tau^2))^2``.

  Adjusted limits are never drawn inside the Poisson ones. Areas are judged against the
  additive limits (the method CQC and FunnelPlotR use by default), or the Poisson limits
  when there is no over-dispersion; and, because the square-root scale is an approximation
  that fails for tiny counts (an area with 0 events where 3 are expected is not unusual),
  an area is only outside a limit when its count is also outside it by the exact Poisson
  test (one-sided tail probability below 2.5% or 0.1%). Each area is "above 99.8%",
  "above 95%", "within", "below 95%" or "below 99.8%".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

#: Control limits drawn and judged against: two-sided 95% and 99.8%.
LIMITS = {"95": 0.95, "99.8": 0.998}
#: Winsorising of the z-scores before phi is estimated (each end).
WINSOR = 0.10
#: Verdicts, most extreme high first.
VERDICTS = ("above 99.8%", "above 95%", "within", "below 95%", "below 99.8%")


@dataclass
class Funnel:
    """One funnel: areas, target, dispersion and the limits drawn.

    Attributes
    ----------
    title : str
        What is plotted (e.g. "All crime, LSOAs").
    target : float
        The target rate (per ``per``).
    per : float
    unit : str
    phi : float
        Dispersion of the Winsorised z-scores (1 = Poisson).
    tau2 : float
        Between-area variance of the additive model (0 without over-dispersion).
    overdispersed : bool
        Whether ``N phi`` exceeds chi-squared(0.95; N - 1).
    areas : pandas.DataFrame
        Per area: ``area_name``, ``count``, ``population``, ``rate``, ``expected``, ``z``,
        the limits at its population (``poisson_95_low`` ... ``additive_99.8_high``) and
        ``verdict``.
    curve : pandas.DataFrame
        The limits over a range of populations, for drawing.
    """

    title: str
    target: float
    per: float
    unit: str
    phi: float
    tau2: float
    overdispersed: bool
    areas: pd.DataFrame = field(repr=False)
    curve: pd.DataFrame = field(repr=False)

    @property
    def outside(self) -> pd.DataFrame:
        """Areas outside the 95% limits, highest z first."""
        rows = self.areas[self.areas["verdict"] != "within"]
        return rows.sort_values("z", ascending=False)


def _ratio_limits(expected: np.ndarray, level: float, extra: float) -> tuple[np.ndarray,
                                                                             np.ndarray]:
    """Limits of O/E on the square-root scale: (1 +/- z sqrt(s^2 + extra))^2, floored at 0."""
    z = stats.norm.ppf(0.5 + level / 2)
    s2 = 1 / (4 * expected)
    half = z * np.sqrt(s2 + extra)
    return np.clip(1 - half, 0, None) ** 2, (1 + half) ** 2


def _multiplicative(expected: np.ndarray, level: float, phi: float) -> tuple[np.ndarray,
                                                                             np.ndarray]:
    z = stats.norm.ppf(0.5 + level / 2)
    half = z * np.sqrt(phi) / (2 * np.sqrt(expected))
    return np.clip(1 - half, 0, None) ** 2, (1 + half) ** 2


def _poisson(expected: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    tail = (1 - level) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(expected > 0, stats.chi2.ppf(tail, 2 * expected) / 2, 0.0)
        high = stats.chi2.ppf(1 - tail, 2 * (expected + 1)) / 2
    return low / expected, high / expected


def dispersion_of(observed: np.ndarray, expected: np.ndarray) -> tuple[float, float, bool]:
    """Spiegelhalter's phi (Winsorised), tau^2 and whether over-dispersion is significant.

    Examples
    --------
    Counts exactly as expected have no dispersion:

    >>> dispersion_of(np.array([10.0, 20, 40]), np.array([10.0, 20, 40]))
    (0.0, 0.0, False)
    """
    z = 2 * (np.sqrt(observed) - np.sqrt(expected))
    low, high = np.quantile(z, [WINSOR, 1 - WINSOR])
    phi = float(np.mean(np.clip(z, low, high) ** 2))
    n = len(z)
    overdispersed = bool(n * phi > stats.chi2.ppf(0.95, n - 1)) if n > 1 else False
    w = 4 * expected
    denominator = w.sum() - (w ** 2).sum() / w.sum()
    tau2 = max(0.0, (n * phi - (n - 1)) / denominator) if overdispersed and denominator > 0 \
        else 0.0
    return phi, float(tau2), overdispersed


def _limit_columns(expected: np.ndarray, phi: float, tau2: float) -> dict[str, np.ndarray]:
    columns: dict[str, np.ndarray] = {}
    for name, level in LIMITS.items():
        p_low, p_high = _poisson(expected, level)
        for method, (low, high) in {
            "poisson": (p_low, p_high),
            "multiplicative": _multiplicative(expected, level, max(phi, 1.0)),
            "additive": _ratio_limits(expected, level, tau2),
        }.items():
            columns[f"{method}_{name}_low"] = np.minimum(low, p_low)
            columns[f"{method}_{name}_high"] = np.maximum(high, p_high)
    return columns


def funnel(counts: pd.Series, population: pd.Series, names: pd.Series, *, per: float,
           unit: str, title: str, target: float | None = None) -> Funnel:
    """Build a funnel of area rates against population.

    Parameters
    ----------
    counts, population, names : pandas.Series
        Indexed by area code. Areas without population are left out.
    per : float
        Rate multiplier (1,000 for rates per 1,000 residents).
    unit, title : str
        What the rates are per, and what the funnel shows.
    target : float, optional
        Target rate (per ``per``); default the pooled rate of the areas.

    Examples
    --------
    Twenty areas at the target and one far above it:

    >>> codes = [f"a{i}" for i in range(21)]
    >>> counts = pd.Series([50.0] * 20 + [120.0], index=codes)
    >>> people = pd.Series([1000.0] * 21, index=codes)
    >>> f = funnel(counts, people, pd.Series(codes, index=codes), per=1000, unit="per 1,000",
    ...            title="toy", target=50.0)
    >>> f.outside.index.tolist(), f.outside["verdict"].tolist()
    (['a20'], ['above 99.8%'])
    """
    keep = population > 0
    counts, population = counts[keep].astype(float), population[keep].astype(float)
    rate = counts.sum() / population.sum() if target is None else target / per
    expected = (population * rate).to_numpy()
    observed = counts.to_numpy()
    phi, tau2, overdispersed = dispersion_of(observed, expected)
    judged = "additive" if overdispersed else "poisson"
    ratio = observed / expected
    areas = pd.DataFrame({
        "area_name": names.reindex(counts.index).to_numpy(), "count": observed,
        "population": population.to_numpy(), "rate": ratio * rate * per,
        "expected": expected, "z": 2 * (np.sqrt(observed) - np.sqrt(expected))},
        index=counts.index)
    for column, values in _limit_columns(expected, phi, tau2).items():
        areas[column] = values * rate * per
    verdict = np.full(len(areas), "within", dtype=object)
    upper_tail = stats.poisson.sf(observed - 1, expected)  # P(X >= O)
    lower_tail = stats.poisson.cdf(observed, expected)     # P(X <= O)
    for name, level in LIMITS.items():
        tail = (1 - level) / 2
        verdict[(areas["rate"] > areas[f"{judged}_{name}_high"]) & (upper_tail < tail)] = \
            f"above {name}%"
        verdict[(areas["rate"] < areas[f"{judged}_{name}_low"]) & (lower_tail < tail)] = \
            f"below {name}%"
    areas["verdict"] = verdict
    areas["judged_against"] = judged
    grid = np.geomspace(max(1.0, population.min() * 0.8), population.max() * 1.2, 200)
    curve = pd.DataFrame({"population": grid})
    for column, values in _limit_columns(grid * rate, phi, tau2).items():
        curve[column] = values * rate * per
    return Funnel(title, rate * per, per, unit, phi, tau2, overdispersed, areas, curve)
