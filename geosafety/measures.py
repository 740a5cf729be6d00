"""Counts, rates, ranks, local deciles and shares by area.

Definitions, as the output tables and maps state them:

* ``count``: events in the area (0 where none).
* ``rate``: events per ``per`` residents (per 1,000 for crime and ASB).
* ``rank``: rank of the rate within the study area, 1 = highest rate; tied areas share
  the best rank ("joint 5th"). Areas without residents have no rate and no rank.
* ``decile``: local (within the study area) decile of the rate, 1 = the tenth of areas with
  the highest rates: ``ceil(10 * m / n)``, where ``m`` is the number of areas whose rate is
  at least this area's and ``n`` the number ranked. Tied areas share the larger decile, so
  areas with no events fall in the lowest deciles, not beside the highest.
* ``share_of_total``: the area's share of the study area's events in that category.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


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
        Columns ``area_code``, ``by``..., ``count``.

    Examples
    --------
    >>> ev = pd.DataFrame({"lsoa": ["A", "A", "B"], "category": ["x", "x", "y"]})
    >>> count_events(ev, pd.Index(["A", "B", "C"]), area_col="lsoa", by=["category"]
    ...              ).pivot(index="area_code", columns="category", values="count")
    ... # doctest: +NORMALIZE_WHITESPACE
    category   x  y
    area_code
    A          2  0
    B          0  1
    C          0  0
    """
    unknown = set(events[area_col]) - set(area_codes)
    if unknown:
        raise ValueError(f"events name areas that are not in the level: {sorted(unknown)[:5]}")
    groups = events[by].drop_duplicates().sort_values(by).reset_index(drop=True)
    grid = pd.MultiIndex.from_tuples(
        [(a, *g) for a in area_codes for g in groups.itertuples(index=False)],
        names=["area_code", *by],
    )
    grouped = events.groupby([area_col, *by])
    counts = grouped.size() if weight is None else grouped[weight].sum()
    counts.index = counts.index.set_names(["area_code", *by])
    return counts.reindex(grid, fill_value=0).rename("count").reset_index()


def rate(e: pd.Series, b: pd.Series, *, per: float = 1000) -> pd.Series:
    """Events ``e`` per ``per`` of the population at risk ``b``; NaN where ``b`` is 0.

    Examples
    --------
    >>> rate(pd.Series([5, 0, 3]), pd.Series([1000, 500, 0])).tolist()
    [5.0, 0.0, nan]
    """
    b = b.astype(float)
    return e.astype(float) / b.where(b > 0) * per


def rank_highest_first(values: pd.Series, groups: pd.DataFrame | None = None) -> pd.Series:
    """Rank values (1 = highest) within groups; ties share the best rank; NaN stays NaN.

    Examples
    --------
    >>> rank_highest_first(pd.Series([2.0, 9.0, 2.0, 0.0, np.nan])).tolist()
    [2.0, 1.0, 2.0, 4.0, nan]
    """
    if groups is None:
        return values.rank(ascending=False, method="min")
    return values.groupby([groups[c] for c in groups.columns]).rank(ascending=False, method="min")


def local_decile(values: pd.Series, groups: pd.DataFrame | None = None) -> pd.Series:
    """Local decile of each value, 1 = the highest tenth; ties share the larger decile.

    Examples
    --------
    >>> local_decile(pd.Series([10.0, 9, 8, 7, 6, 5, 4, 3, 2, 1])).tolist()
    [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    >>> local_decile(pd.Series([5.0, 0, 0, 0, 0])).tolist()
    [2.0, 10.0, 10.0, 10.0, 10.0]
    """
    def one(group: pd.Series) -> pd.Series:
        at_least = group.rank(ascending=False, method="max")
        return np.ceil(10 * at_least / group.notna().sum())

    if groups is None:
        return one(values)
    return values.groupby([groups[c] for c in groups.columns], group_keys=False).transform(one)


def area_measures(
    events: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    area_col: str,
    by: tuple[str, ...] = ("category", "period"),
    population_col: str = "residents",
    per: float = 1000,
    weight: str | None = None,
) -> pd.DataFrame:
    """Compute count, rate, rank, decile and share for every area x group.

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

    Returns
    -------
    pandas.DataFrame
        ``area_code``, ``area_name``, the ``by`` columns, ``count``, the population,
        ``rate``, ``rank``, ``n_areas`` (areas ranked), ``decile``, ``share_of_total``.

    Examples
    --------
    >>> areas = pd.DataFrame({"area_name": ["North", "South", "East"],
    ...                       "residents": [1000, 2000, 500]}, index=["N", "S", "E"])
    >>> ev = pd.DataFrame({"area": ["N"] * 4 + ["S"] * 4, "category": "x", "period": "p"})
    >>> m = area_measures(ev, areas, area_col="area")
    >>> print(m[["area_code", "count", "rate", "rank", "share_of_total"]].to_string(index=False))
    area_code  count  rate  rank  share_of_total
            N      4   4.0     1             0.5
            S      4   2.0     2             0.5
            E      0   0.0     3             0.0
    """
    by = list(by)
    counts = count_events(events, areas.index, area_col=area_col, by=by, weight=weight)
    counts["area_name"] = counts["area_code"].map(areas["area_name"])
    counts[population_col] = counts["area_code"].map(areas[population_col])
    counts["rate"] = rate(counts["count"], counts[population_col], per=per)
    groups = counts[by]
    counts["rank"] = rank_highest_first(counts["rate"], groups).astype("Int64")
    counts["n_areas"] = counts.groupby(by)["rate"].transform("count").astype(int)
    counts["decile"] = local_decile(counts["rate"], groups).astype("Int64")
    totals = counts.groupby(by)["count"].transform("sum")
    counts["share_of_total"] = counts["count"] / totals.where(totals > 0)
    columns = ["area_code", "area_name", *by, "count", population_col, "rate", "rank",
               "n_areas", "decile", "share_of_total"]
    return counts[columns]
