"""Correlation of area rates with deprivation, with honest uncertainty.

* Pearson and Spearman coefficients with 95% confidence intervals from Fisher's z
  (Spearman with the Bonett-Wright standard error ``sqrt((1 + rho^2 / 2) / (n - 3))``).
* Naive p-values (independent areas), and beside them **Dutilleul's modified t-test**: the
  Clifford-Richardson-Hemon effective sample size for two spatially autocorrelated
  variables, ``n_eff = 1 + n^2 / trace(R_x R_y)``, where ``R`` holds each variable's Moran-type
  autocorrelation in distance classes (Sturges' number of equal-width classes). Neighbouring
  LSOAs are not independent, so ``n_eff`` is usually well below ``n`` and the p-value larger.
* High-rate outliers (rate above the upper quartile + 3 interquartile ranges; in practice
  town centres with few residents and many incidents) are reported, with the coefficients
  recomputed without them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def fisher_interval(r: float, n: int, *, se: float | None = None,
                    level: float = 0.95) -> tuple[float, float]:
    """Confidence interval for a correlation by Fisher's z transformation.

    Examples
    --------
    >>> tuple(round(v, 3) for v in fisher_interval(0.5, 103))
    (0.339, 0.632)
    """
    if n <= 3 or not np.isfinite(r) or abs(r) >= 1:
        return (np.nan, np.nan)
    z = np.arctanh(r)
    half = stats.norm.ppf(0.5 + level / 2) * (se if se is not None else 1 / np.sqrt(n - 3))
    return (float(np.tanh(z - half)), float(np.tanh(z + half)))


def distance_classes(coords: np.ndarray) -> np.ndarray:
    """Class of each pair of points: Sturges' number of equal-width distance classes.

    The diagonal (a point with itself) is -1.
    """
    coords = np.asarray(coords, float)
    distances = np.sqrt(((coords[:, None, :] - coords[None, :, :]) ** 2).sum(axis=2))
    n_classes = int(np.ceil(np.log2(len(coords)) + 1))
    edges = np.linspace(0, distances.max() * (1 + 1e-9), n_classes + 1)
    classes = np.digitize(distances, edges) - 1
    np.fill_diagonal(classes, -1)
    return classes


def class_autocorrelation(values: np.ndarray, classes: np.ndarray) -> tuple[np.ndarray,
                                                                          np.ndarray]:
    """Moran-type autocorrelation of ``values`` in each distance class.

    Returns
    -------
    rho, pairs : numpy.ndarray
        Per class: the mean of ``(x_i - x_bar)(x_j - x_bar)`` over its pairs divided by the
        variance, and the number of (ordered) pairs.
    """
    centred = np.asarray(values, float) - np.mean(values)
    variance = np.mean(centred ** 2)
    labels = classes.ravel()
    valid = labels >= 0
    products = np.outer(centred, centred).ravel()[valid]
    pairs = np.bincount(labels[valid])
    sums = np.bincount(labels[valid], weights=products, minlength=len(pairs))
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = np.where(pairs > 0, sums / pairs, 0.0) / variance if variance > 0 else \
            np.zeros(len(pairs))
    return rho, pairs


def effective_sample_size(x: np.ndarray, y: np.ndarray, classes: np.ndarray) -> float:
    """Clifford-Richardson-Hemon effective sample size (Dutilleul 1993).

    ``n_eff = 1 + n^2 / trace(R_x R_y)``; with ``R`` constant within disjoint distance
    classes, ``trace(R_x R_y) = n + sum_k pairs_k rho_x,k rho_y,k``.

    Parameters
    ----------
    x, y : numpy.ndarray
        The two variables.
    classes : numpy.ndarray
        Pairwise distance classes from :func:`distance_classes`.
    """
    n = len(x)
    rho_x, pairs = class_autocorrelation(x, classes)
    rho_y, _ = class_autocorrelation(y, classes)
    trace = n + float(np.sum(pairs * rho_x * rho_y))
    return float(min(n, 1 + n ** 2 / trace)) if trace > 0 else float(n)


def modified_t_test(r: float, n_eff: float) -> float:
    """p-value of a correlation given an effective sample size (F test on 1, n_eff - 2 df)."""
    if not np.isfinite(r) or n_eff <= 2 or abs(r) >= 1:
        return np.nan
    f = (n_eff - 2) * r ** 2 / (1 - r ** 2)
    return float(stats.f.sf(f, 1, n_eff - 2))


def high_rate_outliers(rates: pd.Series, *, most: float = 0.05) -> pd.Index:
    """Return the few areas whose rate is above the upper quartile plus three IQRs.

    None are returned when the interquartile range is 0 (mostly zeros) or when more than
    ``most`` of the areas qualify: then the distribution is skewed, not driven by a few.

    Examples
    --------
    >>> rates = pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
    ...                    19, 200], index=[f"a{i}" for i in range(20)])
    >>> high_rate_outliers(rates).tolist()
    ['a19']
    >>> high_rate_outliers(pd.Series([0.0] * 18 + [4, 9])).tolist()
    []
    """
    q1, q3 = rates.quantile([0.25, 0.75])
    if q3 - q1 <= 0:
        return rates.index[:0]
    found = rates.index[rates > q3 + 3 * (q3 - q1)]
    return found if len(found) <= most * len(rates) else rates.index[:0]


def correlate(x: pd.Series, y: pd.Series, *, coords: np.ndarray | None = None,
              classes: np.ndarray | None = None) -> dict:
    """Pearson and Spearman correlation with intervals, naive and spatial p-values.

    Parameters
    ----------
    x, y : pandas.Series
        Aligned values (e.g. a deprivation measure and a rate); pairs with a missing value
        are dropped.
    coords : numpy.ndarray, optional
        ``(n, 2)`` coordinates aligned to ``x``, for the spatial test.
    classes : numpy.ndarray, optional
        Precomputed :func:`distance_classes` of ``coords`` (saves time over many calls).

    Returns
    -------
    dict
        ``n``, ``pearson``, ``pearson_low``, ``pearson_high``, ``pearson_p``,
        ``spearman``, ``spearman_low``, ``spearman_high``, ``spearman_p``, and with
        ``coords``: ``n_effective_pearson``, ``pearson_p_spatial``, ``n_effective_spearman``,
        ``spearman_p_spatial``.

    Examples
    --------
    >>> x = pd.Series(range(10), dtype=float)
    >>> out = correlate(x, 2 * x + 1)
    >>> out["n"], round(out["pearson"], 6), round(out["spearman"], 6)
    (10, 1.0, 1.0)
    """
    keep = x.notna() & y.notna()
    xs, ys = x[keep].to_numpy(float), y[keep].to_numpy(float)
    n = len(xs)
    out: dict = {"n": n}
    if n < 4 or np.ptp(xs) == 0 or np.ptp(ys) == 0:
        return out | dict.fromkeys(
            ("pearson", "pearson_low", "pearson_high", "pearson_p", "spearman",
             "spearman_low", "spearman_high", "spearman_p"), np.nan)
    pearson = stats.pearsonr(xs, ys)
    spearman = stats.spearmanr(xs, ys)
    rho = float(spearman.statistic)
    out |= {
        "pearson": float(pearson.statistic),
        "pearson_low": fisher_interval(pearson.statistic, n)[0],
        "pearson_high": fisher_interval(pearson.statistic, n)[1],
        "pearson_p": float(pearson.pvalue),
        "spearman": rho,
        "spearman_low": fisher_interval(rho, n, se=np.sqrt((1 + rho ** 2 / 2) / (n - 3)))[0],
        "spearman_high": fisher_interval(rho, n, se=np.sqrt((1 + rho ** 2 / 2) / (n - 3)))[1],
        "spearman_p": float(spearman.pvalue),
    }
    if classes is None and coords is not None:
        classes = distance_classes(coords)
    if classes is not None:
        mask = keep.to_numpy()
        pairs = classes[mask][:, mask]
        n_eff = effective_sample_size(xs, ys, pairs)
        rank_x, rank_y = stats.rankdata(xs), stats.rankdata(ys)
        n_eff_rank = effective_sample_size(rank_x, rank_y, pairs)
        out |= {"n_effective_pearson": n_eff,
                "pearson_p_spatial": modified_t_test(out["pearson"], n_eff),
                "n_effective_spearman": n_eff_rank,
                "spearman_p_spatial": modified_t_test(rho, n_eff_rank)}
    return out
