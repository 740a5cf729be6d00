"""Small-area smoothing: empirical Bayes rates, and areas whose rate rests on few residents.

A rate of an area with few residents swings with a handful of events. Empirical Bayes
smoothing (Marshall 1991; esda's ``Empirical_Bayes`` and ``Spatial_Empirical_Bayes``)
pulls each area's rate towards a reference rate, the more so the smaller its population:

* **global**: towards the study area's rate;
* **spatial**: towards the rate of the area and its neighbours (queen contiguity).

Both are offered beside the raw rate (``rate_eb_global``, ``rate_eb_spatial``). With
``smooth`` chosen, ranks and local deciles use that smoothed rate (``ranked_by`` names the
column); the raw rate and its interval are always kept.

**Small denominator**: an area whose population is among the smallest tenth of the level's
areas with residents and whose rate is in the highest local decile: its high rate may owe
more to a small or unrepresentative population at risk (a town centre's visitors are not
its residents) than to risk. These are flagged, never hidden.

Sensitive sources (MARAC, CJIT) are not smoothed: a smoothed rate borrows from the
neighbours' counts and could narrow a suppressed one.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geosafety._errors import InvalidOptionError
from geosafety.measures.by_area import (
    group_codes,
    local_decile,
    rank_highest_first,
    repeated_text,
)

if TYPE_CHECKING:
    from libpysal.weights import W

#: The smoothed rates a ranking can use.
SMOOTHING = {"global": "rate_eb_global", "spatial": "rate_eb_spatial"}
#: Share of the level's areas (smallest populations first) that can be small denominators.
SMALL_SHARE = 0.10


def smoothing_column(smooth: str | None) -> str:
    """Name the rate column ranks use for a smoothing choice (None: the raw ``rate``).

    Raises
    ------
    InvalidOptionError
        For an unknown choice.

    Examples
    --------
    >>> smoothing_column(None), smoothing_column("spatial")
    ('rate', 'rate_eb_spatial')
    """
    if smooth is None:
        return "rate"
    if smooth not in SMOOTHING:
        raise InvalidOptionError(f"smoothing {smooth!r} is not one of {sorted(SMOOTHING)}.")
    return SMOOTHING[smooth]


def empirical_bayes(counts: pd.Series, population: pd.Series,
                    weights: W | None = None) -> pd.Series:
    """Empirical Bayes rates (per person): global, or spatial with ``weights``.

    Areas without population get NaN. ``weights`` must have the areas' codes as ids.

    Examples
    --------
    Two areas of 100 people with 1 and 9 events, and a large area at the overall rate:
    the small areas' rates move towards 5%, the large one hardly moves.

    >>> eb = empirical_bayes(pd.Series([1.0, 9.0, 500.0]), pd.Series([100.0, 100.0, 10000.0]))
    >>> (eb * 100).round(2).tolist()
    [4.87, 5.13, 5.0]
    """
    from esda.smoothing import Empirical_Bayes, Spatial_Empirical_Bayes

    keep = population > 0
    out = pd.Series(np.nan, index=counts.index)
    if keep.sum() < 2:
        return out
    e = counts[keep].to_numpy(float)
    b = population[keep].to_numpy(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if weights is None:
            smoothed = Empirical_Bayes(e, b).r
        else:
            subset = weights_among(weights, list(counts.index[keep]))
            subset.transform = "B"
            smoothed = Spatial_Empirical_Bayes(e, b, subset).r
    out[keep] = np.asarray(smoothed, float).ravel()
    return out


def weights_among(weights: W, ids: list[object]) -> W:
    """Keep the weights between ``ids`` only, each area's neighbours in their given order.

    libpysal's ``w_subset`` goes through sets, so its neighbour lists come out in an order
    that changes from run to run, and sums over neighbours with them in their last digits.

    Examples
    --------
    >>> from libpysal.weights import W
    >>> w = W({"a": ["b", "c"], "b": ["a", "c"], "c": ["a", "b"]})
    >>> weights_among(w, ["a", "c"]).neighbors
    {'a': ['c'], 'c': ['a']}
    """
    from libpysal.weights import W as Weights

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands among the subset
        return Weights(_neighbours_among(weights, ids), id_order=list(ids))


def _neighbours_among(weights: W, ids: list[object]) -> dict[object, list[object]]:
    kept = set(ids)
    return {code: [n for n in weights.neighbors.get(code, ()) if n in kept] for code in ids}


def small_denominators(population: pd.Series, decile: pd.Series) -> pd.Series:
    """Flag areas among the smallest tenth by population whose rate is in the top decile.

    Examples
    --------
    >>> small_denominators(pd.Series([300.0] + [1500.0] * 9 + [400.0]),
    ...                    pd.Series([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 5])).tolist()[:2]
    [True, False]
    """
    people = population.to_numpy(float, na_value=np.nan)
    return pd.Series(_small_denominators(people, decile.to_numpy(float, na_value=np.nan),
                                         _small_cut(people)), index=population.index)


def _small_cut(people: np.ndarray) -> float:
    """Return the :data:`SMALL_SHARE` quantile of the populations above 0 (NaN if none)."""
    known = people[people > 0]
    return float(np.quantile(known, SMALL_SHARE)) if known.size else np.nan


def _small_denominators(people: np.ndarray, decile: np.ndarray, cut: float) -> np.ndarray:
    return (people > 0) & (people <= cut) & (decile == 1)


def global_eb_rates(e: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Global empirical Bayes rates (per person), as esda's ``Empirical_Bayes`` gives them.

    The same arithmetic in the same order as esda, without its per-call overhead; every
    population must be positive.

    Examples
    --------
    >>> (global_eb_rates(np.array([1.0, 9.0, 500.0]), np.array([100.0, 100.0, 10000.0]))
    ...  * 100).round(2).tolist()
    [4.87, 5.13, 5.0]
    """
    r_mean = e.sum() / b.sum()
    rate = e / b
    variation = rate - r_mean
    r_var = (b * variation * variation).sum() / b.sum() - r_mean / b.mean()
    weight = r_var / (r_var + r_mean / b)
    return np.asarray(weight * rate + (1.0 - weight) * r_mean, float)


class SpatialEB:
    """Spatial empirical Bayes rates for many count columns over one set of areas.

    Gives what esda's ``Spatial_Empirical_Bayes`` gives with binary weights (the same
    arithmetic in the same order, so the same floating-point numbers), with the weights
    subset and the neighbour lists prepared once rather than for every category.

    Parameters
    ----------
    weights : libpysal.weights.W
        Contiguity weights with area codes as ids.
    ids : list
        The areas (all with population), in the order of the counts given later.
    """

    def __init__(self, weights: W, ids: list[object]) -> None:
        from scipy.sparse import csr_matrix

        position = {code: i for i, code in enumerate(ids)}
        neighbours = [[position[k] for k in found]
                      for found in _neighbours_among(weights, ids).values()]
        counts = np.array([len(found) for found in neighbours], dtype=int)
        # The binary matrix libpysal builds for the subset (W.sparse), entry for entry: esda
        # lags with it both for the local rate and for the neighbourhood's population.
        self._lag = csr_matrix(
            (np.ones(counts.sum()),
             (np.repeat(np.arange(len(ids)), counts),
              np.fromiter((j for found in neighbours for j in found), int, counts.sum()))),
            shape=(len(ids), len(ids)))
        # esda sums each area's neighbours in the order W lists them, then the area itself.
        self._centre = np.repeat(np.arange(len(ids)), counts + 1)
        self._member = np.fromiter((j for i, found in enumerate(neighbours) for j in [*found, i]),
                                   int, len(self._centre))
        self._sizes = (counts + 1).astype(float)

    def rates(self, e: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Spatial EB rates (per person) of counts ``e`` over populations ``b``."""
        r_mean = (e + self._lag @ e) / (b + self._lag @ b)
        rate = e / b
        spread = np.square(rate[self._member] - r_mean[self._centre]) * b[self._member]
        r_var_left = np.bincount(self._centre, weights=spread, minlength=len(e))
        bi = self._lag @ b + b
        r_var = r_var_left / bi - r_mean / (bi / self._sizes)
        r_var[r_var < 0] = 0.0
        return np.asarray(r_mean + (rate - r_mean) * (r_var / (r_var + (r_mean / b))), float)


def add_smoothed_rates(frame: pd.DataFrame, weights: W, *, population_col: str, per: float,
                       by: list[str], smooth: str | None = None,
                       grid_areas: int | None = None) -> None:
    """Add ``rate_eb_global``, ``rate_eb_spatial``, ``small_denominator`` and ``ranked_by``.

    ``frame`` holds area measures (one row per area and group ``by``, indexed by area code,
    with ``count``, the population, ``rate``, ``rank`` and ``decile``); it is changed in
    place. With ``smooth``, ``rank`` and ``decile`` are recomputed from that smoothed rate.
    The small-denominator flag always looks at the raw rate. The rates equal
    :func:`empirical_bayes` group by group (tested); the weights are prepared once for
    groups over the same areas.

    ``grid_areas`` says ``frame`` is, unchanged, what
    :func:`~geosafety.measures.by_area.area_measures` gave for that many areas: its rows go
    area by area, each once per group, and its deciles are of the raw rate, so neither is
    worked out again from the ``by`` columns.
    """
    column = smoothing_column(smooth)
    eb_global = np.full(len(frame), np.nan)
    eb_spatial = np.full(len(frame), np.nan)
    small = np.zeros(len(frame), dtype=bool)
    if grid_areas is None:
        group = group_codes(frame, by)[0]
        numbered = pd.DataFrame({"group": group}, index=frame.index)
        raw_decile = local_decile(frame["rate"], numbered).to_numpy(float, na_value=np.nan)
    else:
        group = np.tile(np.arange(len(frame) // grid_areas if grid_areas else 0), grid_areas)
        raw_decile = frame["decile"].to_numpy(float, na_value=np.nan)
    all_counts = frame["count"].to_numpy(float, na_value=np.nan)
    all_people = frame[population_col].to_numpy(float, na_value=np.nan)
    codes = frame.index.to_numpy()
    spatial: dict[tuple[object, ...], SpatialEB] = {}
    small_cut: dict[bytes, float] = {}  # groups over the same areas share their populations
    order = np.argsort(group, kind="stable")
    for rows in np.split(order, np.cumsum(np.bincount(group))[:-1]) if len(group) else []:
        counts, people = all_counts[rows], all_people[rows]
        keep = people > 0
        key = people.tobytes()
        if key not in small_cut:
            small_cut[key] = _small_cut(people)
        small[rows] = _small_denominators(people, raw_decile[rows], small_cut[key])
        if keep.sum() < 2:
            continue
        kept = rows[keep]
        ids = tuple(codes[kept])
        if ids not in spatial:
            spatial[ids] = SpatialEB(weights, list(ids))
        e, b = counts[keep], people[keep]
        with np.errstate(divide="ignore", invalid="ignore"):  # no events: 0 / 0 is NaN
            eb_global[kept] = global_eb_rates(e, b) * per
            eb_spatial[kept] = spatial[ids].rates(e, b) * per
    at = (frame.columns.get_loc("compared_with_area") + 1 if "compared_with_area" in frame
          else len(frame.columns))
    for offset, (name, values) in enumerate((("rate_eb_global", eb_global),
                                             ("rate_eb_spatial", eb_spatial),
                                             ("small_denominator", small))):
        frame.insert(int(at) + offset, name, values)
    if smooth is not None:
        frame["rank"] = rank_highest_first(frame[column], frame[by]).astype("Int64")
        frame["decile"] = local_decile(frame[column], frame[by]).astype("Int64")
    frame["ranked_by"] = repeated_text(column, len(frame))
