"""Correlation of area rates with deprivation, with honest uncertainty.

* Pearson and Spearman coefficients, each with naive p-values (independent areas).
* **Dutilleul's modified t-test** (Dutilleul 1993; Dutilleul, Clifford, Richardson and Hémon
  1993), as SpatialPack's ``modified.ttest`` computes it: each variable's autocorrelation
  is estimated in **13 equal-width distance classes** (Moran's I of the pairs of areas whose
  **representative points** fall in the class), giving correlation matrices ``R_x`` and
  ``R_y``; with ``B = I - 11'/n`` the effective sample size is
  ``M = 1 + tr(B R_x) tr(B R_y) / tr(B R_x B R_y)``, and the F test on 1 and ``M - 2``
  degrees of freedom replaces the naive test. Spearman's coefficient gets its own ``M`` from
  the ranks. Neighbouring LSOAs are not independent, so ``M`` is usually well below ``n``.
* Confidence intervals by Fisher's z with the **effective** sample size
  (``se = 1 / sqrt(M - 3)``; Spearman with the Bonett-Wright standard error
  ``sqrt((1 + rho^2 / 2) / (M - 3))``), so an interval and its p-value agree; the naive
  intervals (``n`` in place of ``M``) are kept beside them.
* High-rate outliers (rate above the upper quartile + 3 interquartile ranges; in practice
  town centres with few residents and many incidents) are reported, with the coefficients
  recomputed without them.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats

from geosafety._memo import IdentityMemo


def fisher_interval(r: float, n: float, *, se: float | None = None,
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
    half = _normal_quantile(0.5 + level / 2) * (se if se is not None else 1 / np.sqrt(n - 3))
    return (float(np.tanh(z - half)), float(np.tanh(z + half)))


@lru_cache(maxsize=16)
def _normal_quantile(p: float) -> float:
    """Return the standard normal quantile, worked out once per level (not per interval)."""
    return float(stats.norm.ppf(p))


#: Distance classes of the modified t-test (SpatialPack's default).
DISTANCE_CLASSES = 13


def distance_classes(coords: np.ndarray, n_classes: int = DISTANCE_CLASSES) -> np.ndarray:
    """Class of each pair of points among ``n_classes`` equal-width distance classes.

    The classes split 0 to the longest distance into equal widths; the diagonal (a point
    with itself) is -1.

    Examples
    --------
    >>> distance_classes(np.array([[0, 0], [1, 0], [4, 0]]), n_classes=2).tolist()
    [[-1, 0, 1], [0, -1, 1], [1, 1, -1]]
    """
    coords = np.asarray(coords, float)
    distances = np.sqrt(((coords[:, None, :] - coords[None, :, :]) ** 2).sum(axis=2))
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
    """Dutilleul's effective sample size for the correlation of ``x`` and ``y``.

    ``M = 1 + tr(B R_x) tr(B R_y) / tr(B R_x B R_y)`` with ``B = I - 11'/n`` and ``R``
    each variable's correlation matrix: 1 on the diagonal, the variable's Moran
    autocorrelation in the pair's distance class elsewhere (SpatialPack ``modified.ttest``).

    Parameters
    ----------
    x, y : numpy.ndarray
        The two variables.
    classes : numpy.ndarray
        Pairwise distance classes from :func:`distance_classes`.

    Examples
    --------
    Without autocorrelation (every class's autocorrelation 0), ``M = n``:

    >>> classes = distance_classes(np.array([[0, 0], [0, 1], [1, 0], [1, 1]]), n_classes=2)
    >>> round(effective_sample_size(np.array([1.0, -1, -1, 1]), np.array([1.0, 1, -1, -1]),
    ...                             classes), 6)
    4.0
    """
    n = len(x)
    lookup = _CLASS_LOOKUPS.get([classes], "lookup", lambda: _class_lookup(classes))
    r_x, rows_x = _class_correlations(x, classes, lookup)
    r_y, rows_y = _class_correlations(y, classes, lookup)
    trace_x = n - rows_x.sum() / n
    trace_y = n - rows_y.sum() / n
    trace_xy = (np.sum(r_x * r_y) - 2 * float(rows_x @ rows_y) / n
                + rows_x.sum() * rows_y.sum() / n ** 2)
    if trace_xy <= 0:
        return float(n)
    return float(1 + trace_x * trace_y / trace_xy)


#: Per matrix of distance classes and areas kept (those with both values): the classes of
#: the pairs among the areas kept. The same areas are kept for most measures and rates.
_KEPT_PAIRS = IdentityMemo[np.ndarray](kept=8)
#: Per matrix of distance classes: where each pair's correlation is found (see
#: :func:`_class_lookup`). Many correlations share one matrix.
_CLASS_LOOKUPS = IdentityMemo[np.ndarray](kept=4)
#: Per matrix of distance classes and variable: the variable's correlations by class (1
#: first, for the diagonal) and the row sums of its correlation matrix. A deprivation
#: measure is correlated with every category's rates, and each rate with every measure.
_CLASS_ROWS = IdentityMemo[tuple[np.ndarray, np.ndarray]](kept=64)


def _class_lookup(classes: np.ndarray) -> np.ndarray:
    """Index of each pair's correlation in ``[1, rho_0, rho_1, ...]`` (0 on the diagonal)."""
    return np.where(classes < 0, 0, classes + 1)


def _class_correlations(values: np.ndarray, classes: np.ndarray,
                        lookup: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the correlation matrix ``R`` of ``values`` and its row sums.

    ``R`` is 1 on the diagonal and the variable's autocorrelation in the pair's distance
    class elsewhere; the class autocorrelations and row sums are worked out once per
    variable and matrix of classes, and ``R`` is laid out again from them.
    """
    values = np.ascontiguousarray(values, dtype=float)

    def worked_out() -> tuple[np.ndarray, np.ndarray]:
        rho, _ = class_autocorrelation(values, classes)
        by_class = np.concatenate(([1.0], rho))
        return by_class, by_class.take(lookup).sum(axis=1)

    by_class, rows = _CLASS_ROWS.get([classes], values.tobytes(), worked_out)
    return by_class.take(lookup), rows


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


def _spearman_se(rho: float, n: float) -> float:
    """Bonett-Wright standard error of Fisher's z for Spearman's coefficient."""
    return float(np.sqrt((1 + rho ** 2 / 2) / (n - 3))) if n > 3 else np.nan


def correlate(x: pd.Series, y: pd.Series, *, coords: np.ndarray | None = None,
              classes: np.ndarray | None = None, confidence: float = 0.95) -> dict:
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
    confidence : float
        Level of the intervals.

    Returns
    -------
    dict
        ``n``; for ``pearson`` and ``spearman``: the coefficient, ``_low`` and ``_high``
        (with the effective sample size when coordinates are given, else ``n``),
        ``_low_naive`` and ``_high_naive`` (with ``n``), ``_p`` (naive); and with
        coordinates ``n_effective_pearson``, ``pearson_p_spatial``,
        ``n_effective_spearman`` and ``spearman_p_spatial``.

    Examples
    --------
    >>> x = pd.Series(range(10), dtype=float)
    >>> out = correlate(x, 2 * x + 1)
    >>> out["n"], round(out["pearson"], 6), round(out["spearman"], 6)
    (10, 1.0, 1.0)
    """
    x_all = x.to_numpy(float, na_value=np.nan)
    y_all = y.to_numpy(float, na_value=np.nan)
    keep = ~np.isnan(x_all) & ~np.isnan(y_all)
    xs, ys = x_all[keep], y_all[keep]
    n = len(xs)
    out: dict = {"n": n}
    if n < 4 or np.ptp(xs) == 0 or np.ptp(ys) == 0:
        return out | dict.fromkeys(
            (f"{c}{s}" for c in ("pearson", "spearman")
             for s in ("", "_low", "_high", "_low_naive", "_high_naive", "_p")), np.nan)
    pearson = stats.pearsonr(xs, ys)
    spearman = stats.spearmanr(xs, ys)
    r, rho = float(pearson.statistic), float(spearman.statistic)
    n_pearson = n_spearman = float(n)
    if classes is None and coords is not None:
        classes = distance_classes(coords)
    if classes is not None:
        pairs = classes if keep.all() else _KEPT_PAIRS.get(
            [classes], keep.tobytes(), lambda: classes[keep][:, keep])
        n_pearson = effective_sample_size(xs, ys, pairs)
        n_spearman = effective_sample_size(stats.rankdata(xs), stats.rankdata(ys), pairs)
        out |= {"n_effective_pearson": n_pearson,
                "pearson_p_spatial": modified_t_test(r, n_pearson),
                "n_effective_spearman": n_spearman,
                "spearman_p_spatial": modified_t_test(rho, n_spearman)}
    naive_p = fisher_interval(r, n, level=confidence)
    naive_s = fisher_interval(rho, n, se=_spearman_se(rho, n), level=confidence)
    spatial_p = fisher_interval(r, n_pearson, se=1 / np.sqrt(n_pearson - 3)
                                if n_pearson > 3 else np.nan, level=confidence)
    spatial_s = fisher_interval(rho, n_spearman, se=_spearman_se(rho, n_spearman),
                                level=confidence)
    return out | {
        "pearson": r, "pearson_low": spatial_p[0], "pearson_high": spatial_p[1],
        "pearson_low_naive": naive_p[0], "pearson_high_naive": naive_p[1],
        "pearson_p": float(pearson.pvalue),
        "spearman": rho, "spearman_low": spatial_s[0], "spearman_high": spatial_s[1],
        "spearman_low_naive": naive_s[0], "spearman_high_naive": naive_s[1],
        "spearman_p": float(spearman.pvalue),
    }
