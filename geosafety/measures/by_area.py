"""Counts, rates, ranks, local deciles and shares by area.

Definitions, as the output tables and maps state them:

* ``count``: events in the area (0 where none).
* ``rate``: events per ``per`` of the population at risk (per 1,000 residents for crime
  and ASB), with ``rate_unit`` saying so beside it.
* ``rank``: rank of the rate within the study area, 1 = highest rate; tied areas share
  the best rank ("joint 5th"). Areas without residents have no rate and no rank.
* ``decile``: local (within the study area) decile of the rate, 1 = the tenth of areas with
  the highest rates: ``ceil(10 * m / n)``, where ``m`` is the number of areas whose rate is
  at least this area's and ``n`` the number ranked. Tied areas share the larger decile, so
  areas with no events fall in the lowest deciles, not beside the highest.
* ``share_of_total``: the area's share of the study area's events in that category.
* ``rate_low``, ``rate_high``: the rate's confidence interval (95% unless chosen otherwise,
  named in ``confidence``) by PHE's method: Byar's, exact below 10 events
  (:mod:`geosafety.measures.intervals`).
* ``compared_with_area``: "higher", "similar" or "lower": whether the whole interval lies
  above or below the study area's rate for the same category and period, or includes it.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import pandas as pd

from geosafety._errors import InvalidOptionError
from geosafety._lookup import positions_in
from geosafety.measures.intervals import (
    compare_with_benchmark,
    comparisons,
    confidence_label,
    poisson_count_limits,
    rate_limits,
)

#: Values ranked by :func:`rank_highest_first` and :func:`local_decile`: a series, or a
#: frame whose columns are ranked each on their own.
Ranked = TypeVar("Ranked", pd.Series, pd.DataFrame)

#: A rate and what says how sure it is, in the order tables show them.
RATE_COLUMNS = ["rate", "rate_low", "rate_high", "compared_with_area"]
#: Columns derived from a count that must be hidden with it (smoothed rates included).
DERIVED_COLUMNS = [*RATE_COLUMNS, "rate_eb_global", "rate_eb_spatial", "share_of_total"]

#: How each population at risk is named in a rate's unit.
POPULATION_NAMES = {"residents": "residents", "adults": "adults aged 18+"}


def rate_unit(per: float, population: str = "residents") -> str:
    """Say what a rate is per, e.g. ``"per 1,000 residents"``.

    Examples
    --------
    >>> rate_unit(1000), rate_unit(10_000, "adults")
    ('per 1,000 residents', 'per 10,000 adults aged 18+')
    """
    return f"per {per:,g} {POPULATION_NAMES.get(population, population)}"


def count_events(
    events: pd.DataFrame, area_codes: pd.Index, *, area_col: str, by: list[str],
    weight: str | None = None,
) -> pd.DataFrame:
    """Count events per area and group, with 0 for areas with no events.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event, with ``area_col`` and the ``by`` columns.
    area_codes : pandas.Index
        Every area of the level; all appear in the result.
    area_col : str
        Column of ``events`` holding the area code.
    by : list of str
        Further grouping columns (e.g. ``["category", "period"]``); every combination
        present in ``events`` is crossed with every area.
    weight : str, optional
        Column of ``events`` holding each event's weight (e.g. an aoristic share); the
        count is then the sum of weights.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``area_code`` (each area once per group, in the order of ``area_codes``),
        with the ``by`` columns and ``count``.

    Examples
    --------
    >>> ev = pd.DataFrame({"lsoa": ["A", "A", "B"], "category": ["x", "x", "y"]})
    >>> count_events(ev, pd.Index(["A", "B", "C"]), area_col="lsoa", by=["category"]
    ...              ).pivot(columns="category", values="count")
    ... # doctest: +NORMALIZE_WHITESPACE
    category   x  y
    area_code
    A          2  0
    B          0  1
    C          0  0
    """
    areas = pd.Index(area_codes)
    where = positions_in(areas, events[area_col])
    if (where < 0).any():
        unknown = sorted(set(events.loc[where < 0, area_col]))
        raise InvalidOptionError(f"events name areas that are not in the level: {unknown[:5]}")
    group, keys = group_codes(events, by)
    n_groups = len(next(iter(keys.values()))) if keys else 1
    if weight is None:  # one pass: each event's cell in the area x group grid
        counts = np.bincount(where * n_groups + group, minlength=len(areas) * n_groups)
    else:  # pandas' (compensated) sums, so weighted counts keep their last digits
        sums = events.groupby([where, group])[weight].sum()
        grid = pd.MultiIndex.from_product([range(len(areas)), range(n_groups)])
        counts = sums.reindex(grid, fill_value=0).to_numpy()
    each_area = np.tile(np.arange(n_groups), len(areas))
    return pd.DataFrame({**{c: pd.Series(values).array.take(each_area)  # as pandas infers
                            for c, values in keys.items()},
                         "count": counts}, index=areas.repeat(n_groups).rename("area_code"))


def group_codes(frame: pd.DataFrame, by: list[str]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Give each row its group's number, as ``groupby(by, sort=True, dropna=False)`` orders them.

    Returns each row's group number and, per column, the group's value (for groups
    present only). Categorical columns are numbered by their codes, without looking at
    the labels again.

    Examples
    --------
    >>> frame = pd.DataFrame({"c": ["y", "x", "y"], "p": ["2", "1", "1"]})
    >>> group, keys = group_codes(frame, ["c", "p"])
    >>> group.tolist(), keys["c"].tolist(), keys["p"].tolist()
    ([2, 0, 1], ['x', 'y', 'y'], ['1', '1', '2'])
    """
    codes, labels = [], []
    for column in by:
        code, label = _factorize(frame[column])
        codes.append(code)
        labels.append(label)
    if not by:
        return np.zeros(len(frame), dtype=np.intp), {}
    sizes = [max(len(label), 1) for label in labels]
    cells = int(np.prod(sizes, dtype=float))
    if cells <= max(4 * len(frame), 1 << 16):  # few combinations: number them by a table
        combined = np.ravel_multi_index(codes, sizes)
        present = np.flatnonzero(np.bincount(combined, minlength=cells))
        number = np.zeros(cells, dtype=np.intp)
        number[present] = np.arange(len(present))
        group = number[combined]
        parts = np.unravel_index(present, sizes)
    else:  # many: sort the rows' code tuples
        present_rows, group = np.unique(np.column_stack(codes), axis=0, return_inverse=True)
        group = group.ravel()
        parts = tuple(present_rows.T)
    return group, {column: label[part] for column, label, part in zip(by, labels, parts,
                                                                       strict=True)}


def _factorize(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes and labels of values in groupby's sorted order, missing values last."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # grouped in the categories' order
        code = values.cat.codes.to_numpy().astype(np.intp)
        label = np.asarray(values.cat.categories, dtype=object)
        if (code < 0).any():
            code[code < 0] = len(label)
            label = np.append(label, np.nan)
        return code, label
    code, found = pd.factorize(values, sort=True, use_na_sentinel=False)
    return code, np.asarray(found)


def rate(e: pd.Series, b: pd.Series, *, per: float = 1000) -> pd.Series:
    """Events ``e`` per ``per`` of the population at risk ``b``; NaN where ``b`` is 0.

    Examples
    --------
    >>> rate(pd.Series([5, 0, 3]), pd.Series([1000, 500, 0])).tolist()
    [5.0, 0.0, nan]
    """
    b = b.astype(float)
    return e.astype(float) / b.where(b > 0) * per


def rank_highest_first(values: Ranked, groups: pd.DataFrame | None = None) -> Ranked:
    """Rank values (1 = highest) within groups; ties share the best rank; NaN stays NaN.

    Without ``groups``, a frame's columns are each ranked on their own.

    Examples
    --------
    >>> rank_highest_first(pd.Series([2.0, 9.0, 2.0, 0.0, np.nan])).tolist()
    [2.0, 1.0, 2.0, 4.0, nan]
    """
    if groups is None:
        return values.rank(ascending=False, method="min")
    return values.groupby([groups[c] for c in groups.columns]).rank(ascending=False, method="min")


def local_decile(values: Ranked, groups: pd.DataFrame | None = None) -> Ranked:
    """Local decile of each value, 1 = the highest tenth; ties share the larger decile.

    Without ``groups``, a frame's columns each have their own deciles.

    Examples
    --------
    >>> local_decile(pd.Series([10.0, 9, 8, 7, 6, 5, 4, 3, 2, 1])).tolist()
    [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    >>> local_decile(pd.Series([5.0, 0, 0, 0, 0])).tolist()
    [2.0, 10.0, 10.0, 10.0, 10.0]
    """
    if groups is None:
        at_least, ranked = values.rank(ascending=False, method="max"), values.notna().sum()
    else:
        keys = [groups[c] for c in groups.columns]
        at_least = values.groupby(keys).rank(ascending=False, method="max")
        ranked = values.notna().groupby(keys).transform("sum")
    return np.ceil(10 * at_least / ranked)


def add_rate_intervals(frame: pd.DataFrame, *, population_col: str, per: float,
                       confidence: float, by: list[str]) -> None:
    """Add ``rate_low``, ``rate_high``, ``compared_with_area`` and ``confidence`` in place.

    The benchmark of each group (``by``) is its total count over its total population; it is
    unknown, and so is every comparison with it, where any count of the group is unknown
    (suppressed at source).

    Examples
    --------
    >>> frame = pd.DataFrame({"category": "x", "count": [30, 2, 10],
    ...                       "residents": [1000, 1000, 1000]})
    >>> add_rate_intervals(frame, population_col="residents", per=1000, confidence=0.95,
    ...                    by=["category"])
    >>> frame["compared_with_area"].tolist(), frame["confidence"].iloc[0]
    (['higher', 'lower', 'similar'], '95%')
    """
    limits = rate_limits(frame["count"], frame[population_col], per=per, confidence=confidence)
    frame["rate_low"] = limits["rate_low"]
    frame["rate_high"] = limits["rate_high"]
    groups = [frame[c] for c in by]
    totals = frame.groupby(groups)["count"].transform("sum")
    unknown = frame["count"].isna().groupby(groups).transform("any")
    population = frame[population_col].where(frame["count"].notna()).groupby(groups).transform(
        "sum")
    benchmark = (totals / population.where(population > 0) * per).where(~unknown)
    frame["compared_with_area"] = compare_with_benchmark(frame["rate_low"], frame["rate_high"],
                                                         benchmark)
    frame["confidence"] = confidence_label(confidence)


def area_measures(
    events: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    area_col: str,
    by: tuple[str, ...] = ("category", "period"),
    population_col: str = "residents",
    per: float = 1000,
    weight: str | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Compute count, rate with interval, rank, decile and share per area x group.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event with ``area_col`` and the ``by`` columns.
    areas : pandas.DataFrame
        Every area of the level, indexed by code, with ``area_name`` and the population.
    area_col : str
        Column of ``events`` with the area code.
    by : tuple of str
        Grouping columns.
    population_col : str
        Column of ``areas`` with the population at risk.
    per : float
        Rate multiplier (1,000 for rates per 1,000 residents).
    weight : str, optional
        Column of ``events`` with a weight per event; counts are sums of weights.
    confidence : float
        Level of the rates' confidence intervals (0.95, or e.g. 99.8 as a percentage).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``area_code`` (each area once per group, in the order of ``areas``):
        ``area_name``, the ``by`` columns, ``count``, the population, ``rate``,
        ``rate_low``, ``rate_high``, ``compared_with_area``, ``rank``, ``n_areas`` (areas
        ranked), ``decile``, ``share_of_total``, ``rate_unit`` (e.g. "per 1,000
        residents") and ``confidence`` (e.g. "95%").

    Examples
    --------
    >>> areas = pd.DataFrame({"area_name": ["North", "South", "East"],
    ...                       "residents": [1000, 2000, 500]}, index=["N", "S", "E"])
    >>> ev = pd.DataFrame({"area": ["N"] * 4 + ["S"] * 4, "category": "x", "period": "p"})
    >>> m = area_measures(ev, areas, area_col="area")
    >>> print(m[["count", "rate", "rank", "share_of_total"]].to_string())
    ... # doctest: +NORMALIZE_WHITESPACE
               count  rate  rank  share_of_total
    area_code
    N              4   4.0     1             0.5
    S              4   2.0     2             0.5
    E              0   0.0     3             0.0
    >>> m["rate_unit"].iloc[0]
    'per 1,000 residents'
    """
    groups_by = list(by)
    counts = count_events(events, areas.index, area_col=area_col, by=groups_by, weight=weight)
    # count_events lays the rows out area by area, each area once per group: on that grid
    # (areas x groups) every "within the group" step is a column operation.
    n_areas = len(areas)
    n_groups = len(counts) // n_areas if n_areas else 0
    count = counts["count"].to_numpy().reshape(n_areas, n_groups)
    population = areas[population_col]
    people = population.to_numpy(float, na_value=np.nan)
    at_risk = np.where(people > 0, people, np.nan)[:, None]
    low, high = poisson_count_limits(count, confidence)
    totals = column_sums(count)
    everyone = column_sums(people[:, None])[0]
    benchmark = totals / everyone * per if everyone > 0 else np.full(n_groups, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = count / at_risk * per
        share = count / np.where(totals > 0, totals, np.nan)
    by_group = pd.DataFrame(rates)  # one column per group: ranked each on its own
    rate_low, rate_high = (low / at_risk * per).ravel(), (high / at_risk * per).ravel()
    rows = len(counts)
    return pd.DataFrame({
        "area_name": areas["area_name"].to_numpy().repeat(n_groups),
        **{c: counts[c].array for c in groups_by},
        "count": count.ravel(),
        population_col: population.to_numpy().repeat(n_groups),
        "rate": rates.ravel(),
        "rate_low": rate_low,
        "rate_high": rate_high,
        "compared_with_area": comparisons(rate_low, rate_high, np.tile(benchmark, n_areas)),
        "rank": _whole_numbers(rank_highest_first(by_group).to_numpy().ravel()),
        "n_areas": np.tile(by_group.count().to_numpy(), n_areas).astype(int),
        "decile": _whole_numbers(local_decile(by_group).to_numpy().ravel()),
        "share_of_total": share.ravel(),
        "rate_unit": repeated_text(rate_unit(per, population_col), rows),
        "confidence": repeated_text(confidence_label(confidence), rows),
    }, index=counts.index)


def _whole_numbers(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole numbers held as floats (NaN for none) as a nullable Int64 array."""
    missing = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype("int64"), missing)


def repeated_text(text: str, rows: int) -> pd.api.extensions.ExtensionArray:
    """Return one string repeated ``rows`` times, as pandas' default string array.

    Examples
    --------
    >>> list(repeated_text("per 1,000 residents", 2))
    ['per 1,000 residents', 'per 1,000 residents']
    """
    return pd.array([text], dtype="str").take(np.zeros(rows, dtype=np.intp))


def column_sums(grid: np.ndarray) -> np.ndarray:
    """Sum each column of a 2-D array, skipping NaN, as a pandas group sum would.

    Whole numbers are summed exactly; fractional ones with pandas' compensated summation
    in row order, so a column's sum has the same last digit as a ``groupby().sum()``.

    Examples
    --------
    >>> column_sums(np.array([[1, 2], [3, 4]])).tolist()
    [4, 6]
    >>> column_sums(np.array([[0.1, np.nan], [0.2, 1.0]])).round(12).tolist()
    [0.3, 1.0]
    """
    if grid.dtype.kind in "iub":
        return grid.sum(axis=0)
    finite = grid[np.isfinite(grid)]
    if np.array_equal(finite, np.round(finite)) and np.abs(finite).sum() < 2 ** 52:
        return np.nansum(grid, axis=0)  # whole numbers add up exactly in any order
    return pd.DataFrame(grid).groupby(np.zeros(len(grid), dtype=int)).sum().to_numpy()[0] \
        if len(grid) else np.zeros(grid.shape[1])


def rank_visible(frame: pd.DataFrame) -> None:
    """Rank and decile among the areas whose count is shown; blank what hidden counts give.

    ``frame`` holds measures (``count``, the :data:`RATE_COLUMNS`, ``share_of_total``,
    ``category``, ``period``) and a boolean ``suppressed`` column: counts suppressed at
    source or by disclosure control. Their count, rate, interval and share become NaN;
    ``rank``, ``n_areas`` and ``decile`` are set (or reset) among the visible areas only.
    The frame is changed in place.

    Examples
    --------
    >>> frame = pd.DataFrame({"category": "x", "period": "p", "count": [9.0, 3.0, 6.0],
    ...                       "rate": [9.0, 3.0, 6.0], "share_of_total": [0.5, 0.2, 0.3],
    ...                       "suppressed": [False, True, False]}, index=["A", "B", "C"])
    >>> rank_visible(frame)
    >>> frame[["count", "rank", "n_areas"]].astype(object).values.tolist()
    [[9, 1, 2], [<NA>, <NA>, 2], [6, 2, 2]]
    """
    hide = frame["suppressed"]
    derived = [c for c in DERIVED_COLUMNS if c in frame.columns]
    frame.loc[hide, ["count", *derived]] = np.nan
    frame["count"] = frame["count"].astype("Int64")
    basis = str(frame["ranked_by"].iloc[0]) if "ranked_by" in frame and len(frame) else "rate"
    visible = frame[basis].where(~hide)
    groups = frame[["category", "period"]]
    frame["rank"] = rank_highest_first(visible, groups).astype("Int64")
    frame["n_areas"] = visible.groupby([groups["category"], groups["period"]]).transform(
        "count").astype(int)
    frame["decile"] = local_decile(visible, groups).astype("Int64")
