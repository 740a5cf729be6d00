"""Hot spots: where high (or low) values cluster, on LSOA rates and on a grid of points.

* **Getis-Ord Gi*** (Getis and Ord 1992; Ord and Getis 1995) of each LSOA's rate with its
  queen-contiguous neighbours, and of police.uk point counts in grid cells (see
  :mod:`geosafety.geography.neighbours`; cell size chosen as sfhotspot does), with esda.
* **Local Moran's I** (Anselin 1995) of LSOA rates: high-high and low-low clusters, and
  high-low / low-high outliers.
* **Inference**: conditional permutation (each area's value against its neighbours'
  values drawn at random from the rest, 9,999 permutations, fixed seed), then the
  **Benjamini-Hochberg** false discovery rate over all areas of one category: an area is a
  hot (cold) spot at 99%, 95% or 90% when its q-value is below 0.01, 0.05 or 0.10 and its
  Gi* z-score is positive (negative). On noise, nothing survives; a real cluster does.
* **Hot-spot change** across the complete periods of the trend data (on LSOA 2021, so
  2011-coded years are comparable), classified as sfhotspot and the emerging-hot-spot
  method do, from whether each LSOA is a 95% hot spot in each period:

  - *new*: a hot spot in the last period only;
  - *persistent*: a hot spot in the last period and in at least 80% of the earlier ones,
    its Gi* z-score with no significant trend; *intensifying* / *diminishing* when the
    z-scores rise / fall significantly over the periods (Mann-Kendall test, p < 0.05);
  - *sporadic*: a hot spot in the last period and in some, but under 80%, of the earlier ones;
  - *former*: a hot spot in an earlier period but not in the last;
  - *never*: not a hot spot in any period.

  Categories are analysed where every period has at least one event per LSOA on average.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import stats

if TYPE_CHECKING:
    from libpysal.weights import W

#: Permutations for conditional randomisation (p-values down to 1 / 10,000).
PERMUTATIONS = 9_999
#: Random seed: the same data give the same hot spots.
SEED = 2025
#: q-value cut-offs and the confidence they are reported as.
CLASSES = ((0.01, "99%"), (0.05, "95%"), (0.10, "90%"))
NOT_SIGNIFICANT = "not significant"
#: Hot-spot change: share of earlier periods a persistent hot spot was hot in.
PERSISTENT_SHARE = 0.8
#: Fewest events per area on average (each period) for a category to be analysed.
MIN_EVENTS_PER_AREA = 1.0
#: Fewest events per grid cell on average for a category's grid hot spots.
MIN_EVENTS_PER_CELL = 0.5
#: Hot-spot change classes, in the order a table shows them.
CHANGE_CLASSES = ("new", "intensifying", "persistent", "diminishing", "sporadic", "former",
                  "never")


def hotspot_class(z: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Label each area "hot spot (99%)" ... "cold spot (90%)" or "not significant".

    Examples
    --------
    >>> hotspot_class(np.array([3.0, -2.5, 1.0]), np.array([0.004, 0.03, 0.5])).tolist()
    ['hot spot (99%)', 'cold spot (95%)', 'not significant']
    """
    labels = np.full(len(z), NOT_SIGNIFICANT, dtype=object)
    for cut, name in reversed(CLASSES):
        significant = q < cut
        labels[significant & (z > 0)] = f"hot spot ({name})"
        labels[significant & (z < 0)] = f"cold spot ({name})"
    return labels


#: esda's permutation draws, by (neighbours at most, areas, permutations, seed): the draws
#: and the state of numpy's global generator after them.
_DRAWS: dict[tuple[int, int, int, int], tuple[np.ndarray, Any]] = {}
#: Each draw's first columns, flattened, by (draw identity, columns): the draw is kept too,
#: so its identity cannot be reused while this holds it.
_FLAT_DRAWS: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}


def _reused_draws(draw: Any) -> Any:
    """Wrap esda's ``vec_permutations`` so each (size, seed) is drawn once per process."""

    def reused(max_card: int, n: int, k_replications: int, seed: int) -> np.ndarray:
        key = (int(max_card), int(n), int(k_replications), int(seed))
        if key not in _DRAWS:
            drawn = draw(max_card, n, k_replications, seed)
            drawn.setflags(write=False)
            if len(_DRAWS) >= 8:  # each is permutations x neighbours: under 1 MB
                _DRAWS.pop(next(iter(_DRAWS)))
                _FLAT_DRAWS.clear()
            _DRAWS[key] = (drawn, np.random.get_state())
        drawn, state = _DRAWS[key]
        np.random.set_state(state)
        return drawn

    return reused


def _flat_draws(permuted_ids: np.ndarray, cardinality: int) -> np.ndarray:
    """Return ``permuted_ids[:, :cardinality].flatten()``, made once per draw and width."""
    key = (id(permuted_ids), cardinality)
    found = _FLAT_DRAWS.get(key)
    if found is None or found[0] is not permuted_ids:
        found = (permuted_ids, permuted_ids[:, :cardinality].flatten())
        _FLAT_DRAWS[key] = found
    return found[1]


def _quick_prepare(prepare: Any) -> Any:
    """Wrap esda's ``_prepare_univariate``: the same neighbour values, gathered faster.

    esda flattens the draw's first columns for every area and masks the area out of the
    values; here the flattened columns are kept per draw and the values without the area
    are two slices. The array returned holds the same numbers in the same layout, so the
    statistics esda computes from it are the same to the last bit.
    """

    def prepared(i: int, z: np.ndarray, permuted_ids: np.ndarray,
                 weights_i: np.ndarray) -> tuple[Any, np.ndarray]:
        if z.ndim != 1:
            return prepare(i, z, permuted_ids, weights_i)
        cardinality = len(weights_i)
        without_i = np.concatenate((z[:i], z[i + 1:]))
        flat = _flat_draws(permuted_ids, cardinality)
        return z[i], without_i.take(flat).reshape(-1, cardinality)

    return prepared


def _quick_chunk(chunk: Any) -> Any:
    """Wrap esda's ``compute_chunk``: its loop, with the folded p-value counted directly.

    Only the serial, keep-nothing, ``"directed"`` case (what :func:`getis_ord` and
    :func:`local_moran` ask for) is taken here; any other goes to esda. The count of
    simulated statistics at or above the observed one, folded to the smaller tail, is what
    esda's ``_permutation_significance`` counts, and the p-value is stored in single
    precision as esda stores it.
    """

    def computed(chunk_start: int, z_chunk: np.ndarray, z: np.ndarray, observed: np.ndarray,
                 cardinalities: np.ndarray, self_weights: np.ndarray,
                 other_weights: np.ndarray, permuted_ids: np.ndarray, scaling: Any,
                 keep: bool, stat_func: Any, island_weight: float,
                 alternative: str = "directed") -> tuple[np.ndarray, np.ndarray]:
        if keep or alternative != "directed":
            return chunk(chunk_start, z_chunk, z, observed, cardinalities, self_weights,
                         other_weights, permuted_ids, scaling, keep, stat_func,
                         island_weight, alternative=alternative)
        permutations = permuted_ids.shape[0]
        p_sims = np.zeros(z_chunk.shape[0], dtype=np.float32)
        start = 0
        for i, cardinality in enumerate(cardinalities.tolist()):
            if cardinality == 0:  # an island: one neighbour of the island weight
                weights_i = np.array([0.0, island_weight], dtype=other_weights.dtype)
            else:
                weights_i = np.empty(cardinality + 1, dtype=other_weights.dtype)
                weights_i[0] = self_weights[i]
                weights_i[1:] = other_weights[start:start + cardinality]
            start += cardinality
            simulated = stat_func(chunk_start + i, z, permuted_ids, weights_i, scaling)
            larger = int(np.count_nonzero(simulated >= observed[i]))
            larger = min(larger, permutations - larger)
            p_sims[i] = (larger + 1.0) / (permutations + 1.0)
        return p_sims, np.empty((1, 1))

    return computed


@contextmanager
def _esda_quickened() -> Iterator[None]:
    """Let esda's conditional permutation run faster, with exactly its own answers.

    * esda draws the same neighbour sets for every statistic of the same size and seed
      (its ``vec_permutations``), and without numba that draw is most of a Gi* or local
      Moran's time. Every category, period and statistic of one set of areas shares it
      here: the same draws, read-only, and numpy's global generator left as the draw leaves
      it, so the p-values are exactly those of a fresh draw.
    * Without numba, esda's per-area loop spends most of its time flattening the draw and
      masking the values again for every area; :func:`_quick_prepare` and
      :func:`_quick_chunk` do that work once and compute the same statistics from the
      same arrays.

    A test compares the p-values with esda's own, areas with ties and islands included.
    The block holds a lock: esda's functions are swapped for the block's length, so two
    threads must not swap them at once.
    """
    from esda import crand, getisord, moran

    with _ESDA_SWAPPED:
        originals = (crand.vec_permutations, crand.compute_chunk,
                     getisord._prepare_univariate, moran._prepare_univariate)
        draw, chunk, prepare, _ = originals
        crand.vec_permutations = _reused_draws(draw)
        crand.compute_chunk = _quick_chunk(chunk)
        getisord._prepare_univariate = moran._prepare_univariate = _quick_prepare(prepare)
        try:
            yield
        finally:
            (crand.vec_permutations, crand.compute_chunk, getisord._prepare_univariate,
             moran._prepare_univariate) = originals


#: Held while esda's functions are swapped by :func:`_esda_quickened`.
_ESDA_SWAPPED = threading.Lock()


def _bh(p: np.ndarray) -> np.ndarray:
    return stats.false_discovery_control(p) if len(p) else p


def getis_ord(values: pd.Series, weights: W, *, permutations: int = PERMUTATIONS,
              seed: int = SEED) -> pd.DataFrame:
    """Gi* of ``values`` (indexed by the weights' ids) with permutation p and BH q-values.

    Returns
    -------
    pandas.DataFrame
        ``gi_z`` (standardised Gi*), ``gi_p`` (pseudo p-value, one-sided folded as esda
        reports it), ``gi_q`` (Benjamini-Hochberg over the areas) and ``hotspot``.

    Examples
    --------
    A 3 x 3 block of high values in a 10 x 10 grid of noise: its centre and the block
    cells with most of the block around them are hot spots at 95%, nothing else is.

    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from geosafety.geography.neighbours import grid_weights
    >>> cells = gpd.GeoDataFrame({"cell_size": 1.0}, geometry=[
    ...     box(x, y, x + 1, y + 1) for y in range(10) for x in range(10)],
    ...     index=[f"c{i}" for i in range(100)], crs="EPSG:27700")
    >>> rng = np.random.default_rng(1)
    >>> y = pd.Series(rng.poisson(5, 100).astype(float), index=cells.index)
    >>> block = [f"c{10 * r + c}" for r in (4, 5, 6) for c in (4, 5, 6)]
    >>> y[block] += 15
    >>> found = getis_ord(y, grid_weights(cells))
    >>> hot = found.index[found["gi_q"] < 0.05]
    >>> "c55" in hot, set(hot) <= set(block), len(hot)
    (True, True, 5)
    """
    from esda import G_Local

    ordered = values.reindex(weights.id_order).astype(float)
    with warnings.catch_warnings(), _esda_quickened():
        warnings.simplefilter("ignore")
        g = G_Local(ordered.to_numpy(), weights, transform="B", star=True,
                    permutations=permutations, seed=seed, n_jobs=1, keep_simulations=False)
    p = np.asarray(g.p_sim, float)
    z = np.asarray(g.Zs, float)
    q = _bh(p)
    return pd.DataFrame({"gi_z": z, "gi_p": p, "gi_q": q, "hotspot": hotspot_class(z, q)},
                        index=ordered.index)


def local_moran(values: pd.Series, weights: W, *, permutations: int = PERMUTATIONS,
                seed: int = SEED) -> pd.DataFrame:
    """Local Moran's I with permutation p, BH q-values and cluster labels.

    Returns
    -------
    pandas.DataFrame
        ``moran_i``, ``moran_p``, ``moran_q`` and ``cluster``: "high-high", "low-low",
        "high-low", "low-high" (q < 0.05) or "not significant".
    """
    from esda import Moran_Local

    ordered = values.reindex(weights.id_order).astype(float)
    with warnings.catch_warnings(), _esda_quickened():
        warnings.simplefilter("ignore")
        m = Moran_Local(ordered.to_numpy(), weights, transformation="r",
                        permutations=permutations, seed=seed, n_jobs=1,
                        keep_simulations=False)
    p = np.asarray(m.p_sim, float)
    q = _bh(p)
    names = np.array(["", "high-high", "low-high", "low-low", "high-low"], dtype=object)
    cluster = np.where(q < 0.05, names[np.asarray(m.q, int)], NOT_SIGNIFICANT)
    return pd.DataFrame({"moran_i": np.asarray(m.Is, float), "moran_p": p, "moran_q": q,
                         "cluster": cluster}, index=ordered.index)


def area_hotspots(rates: pd.DataFrame, weights: W) -> pd.DataFrame:
    """Gi* and local Moran of each category's LSOA rates.

    Parameters
    ----------
    rates : pandas.DataFrame
        LSOA measures of one period (indexed by LSOA code) with ``category``,
        ``area_name``, ``count`` and ``rate``.
    weights : libpysal.weights.W
        Contiguity of the LSOAs.

    Returns
    -------
    pandas.DataFrame
        Per category and LSOA: ``category``, ``area_name``, ``count``, ``rate`` and the
        columns of :func:`getis_ord` and :func:`local_moran`.
    """
    parts = []
    for category, group in rates.groupby("category", sort=False):
        if group["count"].sum() < MIN_EVENTS_PER_AREA * len(group):
            continue
        values = group["rate"].fillna(0.0)
        found = getis_ord(values, weights).join(local_moran(values, weights))
        found.insert(0, "category", category)
        found.insert(1, "area_name", group["area_name"].reindex(found.index).to_numpy())
        if "ward_name" in group:
            found.insert(2, "ward_name", group["ward_name"].reindex(found.index).to_numpy())
        found.insert(len(found.columns) - 7, "count",
                     group["count"].reindex(found.index).to_numpy())
        for column in ("rate", "rate_low", "rate_high"):
            if column in group:
                found.insert(len(found.columns) - 7, column,
                             group[column].reindex(found.index).to_numpy())
        parts.append(found)
    return pd.concat(parts).rename_axis("area_code") if parts else pd.DataFrame()


@dataclass
class GridHotspots:
    """Gi* of point counts in grid cells, per category."""

    cells: gpd.GeoDataFrame = field(repr=False)
    table: pd.DataFrame = field(repr=False)
    cell_size: float = 0.0


def grid_hotspots(points: pd.DataFrame, cells: gpd.GeoDataFrame,
                  weights: W) -> GridHotspots:
    """Count points (``category``, ``easting``, ``northing``) per cell and find hot spots.

    Categories with fewer than :data:`MIN_EVENTS_PER_CELL` events per cell on average are
    left out.
    """
    size = float(cells["cell_size"].iloc[0])
    minx, miny = cells.total_bounds[:2]
    keys = pd.Series({(int(round((g.bounds[0] - minx) / size)),
                       int(round((g.bounds[1] - miny) / size))): code
                      for code, g in zip(cells.index, cells.geometry, strict=True)})
    column = np.floor((points["easting"] - minx) / size).astype(int)
    row = np.floor((points["northing"] - miny) / size).astype(int)
    cell = pd.Series(list(zip(column, row, strict=True)), index=points.index).map(keys)
    parts = []
    for category, rows in points.assign(cell=cell).groupby("category", sort=False):
        counts = rows["cell"].dropna().value_counts().reindex(cells.index, fill_value=0)
        if counts.sum() < MIN_EVENTS_PER_CELL * len(cells):
            continue
        found = getis_ord(counts.astype(float), weights)
        found.insert(0, "category", category)
        found.insert(1, "count", counts.reindex(found.index).to_numpy())
        parts.append(found)
    table = pd.concat(parts).rename_axis("cell_id") if parts else pd.DataFrame()
    return GridHotspots(cells, table, size)


def mann_kendall(z: np.ndarray) -> tuple[float, float]:
    """Kendall's tau of a series against time, and its p-value (NaN with under 3 points).

    Examples
    --------
    >>> tau, p = mann_kendall(np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
    >>> round(tau, 6), round(p, 4)
    (1.0, 0.0167)
    """
    if len(z) < 3:
        return (np.nan, np.nan)
    result = stats.kendalltau(np.arange(len(z)), z)
    return float(result.statistic), float(result.pvalue)


def classify_change(hot: pd.DataFrame, z: pd.DataFrame) -> pd.Series:
    """Classify each area's hot-spot history (columns: periods, oldest first).

    Examples
    --------
    >>> hot = pd.DataFrame({"p1": [False, True, True, True, False],
    ...                     "p2": [True, True, False, False, False]}, index=list("abcde"))
    >>> classify_change(hot, hot.astype(float)).tolist()
    ['new', 'persistent', 'former', 'former', 'never']
    """
    last = hot.iloc[:, -1]
    earlier = hot.iloc[:, :-1]
    share = earlier.mean(axis=1) if earlier.shape[1] else pd.Series(0.0, index=hot.index)
    out = pd.Series("never", index=hot.index, dtype=object)
    out[earlier.any(axis=1) & ~last] = "former"
    out[last & ~earlier.any(axis=1)] = "new"
    out[last & earlier.any(axis=1) & (share < PERSISTENT_SHARE)] = "sporadic"
    persistent = last & (share >= PERSISTENT_SHARE) & earlier.any(axis=1)
    out[persistent] = "persistent"
    for code in hot.index[persistent]:
        tau, p = mann_kendall(z.loc[code].to_numpy(float))
        if np.isfinite(p) and p < 0.05:
            out[code] = "intensifying" if tau > 0 else "diminishing"
    return out


def hotspot_change(counts: pd.DataFrame, residents: pd.Series, weights: W,
                   *, per: float = 1000) -> pd.DataFrame:
    """Hot-spot history of LSOA rates across periods, per category.

    Parameters
    ----------
    counts : pandas.DataFrame
        ``category``, ``period``, ``area_code`` and ``count`` (periods sort oldest first).
    residents : pandas.Series
        Population per LSOA (the weights' ids).
    weights : libpysal.weights.W

    Returns
    -------
    pandas.DataFrame
        Per category and LSOA: ``gi_z_<period>`` and ``hot_<period>`` for each period, and
        ``change`` (see the module notes). Categories without enough events in some period
        are left out.
    """
    parts = []
    for category, rows in counts.groupby("category", sort=False):
        table = rows.pivot_table(index="area_code", columns="period", values="count",
                                 aggfunc="sum").reindex(residents.index).fillna(0)
        table = table.reindex(columns=sorted(table.columns))
        if table.shape[1] < 2 or (table.sum() < MIN_EVENTS_PER_AREA * len(table)).any():
            continue
        z, hot = {}, {}
        for period in table.columns:
            found = getis_ord(table[period] / residents * per, weights)
            z[period] = found["gi_z"]
            hot[period] = found["hotspot"].isin(["hot spot (99%)", "hot spot (95%)"])
        z_frame, hot_frame = pd.DataFrame(z), pd.DataFrame(hot)
        out = pd.concat([z_frame.add_prefix("gi_z_"), hot_frame.add_prefix("hot_")], axis=1)
        out.insert(0, "category", category)
        out["change"] = classify_change(hot_frame, z_frame)
        parts.append(out)
    return pd.concat(parts).rename_axis("area_code") if parts else pd.DataFrame()
