"""Multi-year trends: counts by financial or calendar year, with gaps in the data made visible.

* Periods are financial years (April-March, the CSP convention) or calendar years.
* A period is **complete** only when every one of its months has records; otherwise it is
  flagged with the months it lacks and is left out of every % change, never silently
  under-counted.
* Year-on-year change compares a complete period with the complete period before it, and
  first-to-last change the first and last complete periods.
* Records of every vintage are already on LSOA 2021 (see :mod:`geosafety.geography.locate`), so area
  series cross the 2011/2021 change on one geography.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geosafety._errors import RecordsExcludedWarning
from geosafety.geography import StudyArea, locate_records
from geosafety.measures.categories import category_order, police_uk_events
from geosafety.measures.intervals import rate_limits
from geosafety.measures.periods import period_coverage, period_label


def percent_change(old: float, new: float) -> float:
    """Percentage change from ``old`` to ``new`` (NaN when ``old`` is 0).

    Examples
    --------
    >>> percent_change(100, 293), percent_change(0, 5)
    (193.0, nan)
    """
    return float((new - old) / old * 100) if old else np.nan


def borough_trends(records: pd.DataFrame, *, by: str = "financial-year") -> pd.DataFrame:
    """Count each category per period, with completeness and % changes.

    Parameters
    ----------
    records : pandas.DataFrame
        Located police.uk records (with ``month`` and ``crime_type``).
    by : {"financial-year", "year"}

    Returns
    -------
    pandas.DataFrame
        ``category``, ``period``, ``count``, ``months_present``, ``months_missing``,
        ``complete``, ``change_on_previous_pc`` (vs the previous complete period, complete
        periods only), ``previous_period``.
    """
    events = police_uk_events(records)
    events["period"] = period_label(events["month"], by)
    coverage = period_coverage(records["month"], by)
    counts = events.groupby(["category", "period"]).size().rename("count").reset_index()
    grid = pd.MultiIndex.from_product([counts["category"].unique(), coverage.index],
                                      names=["category", "period"])
    table = counts.set_index(["category", "period"]).reindex(grid, fill_value=0).reset_index()
    table = table.join(coverage, on="period")
    table["months_missing"] = table["months_missing"].map(", ".join)
    changes: list[float] = []
    previous: list[str | None] = []
    for _, rows in table.groupby("category", sort=False):
        last = None
        for row in rows.itertuples():
            if row.complete and last is not None:
                changes.append(percent_change(last[1], row.count))
                previous.append(last[0])
            else:
                changes.append(np.nan)
                previous.append(None)
            if row.complete:
                last = (row.period, row.count)
    table["change_on_previous_pc"] = changes
    table["previous_period"] = previous
    order = {c: i for i, c in enumerate(category_order(table["category"].unique()))}
    return table.sort_values(["category", "period"], key=lambda s: s.map(order)
                             if s.name == "category" else s).reset_index(drop=True)


def first_to_last(trends: pd.DataFrame) -> pd.DataFrame:
    """Change from the first to the last complete period of each category.

    Examples
    --------
    >>> t = pd.DataFrame({"category": ["x"] * 3, "period": ["2018", "2019", "2020"],
    ...                   "count": [100, 10, 150], "complete": [True, False, True]})
    >>> first_to_last(t)[["first_period", "last_period", "change_pc"]].values.tolist()
    [['2018', '2020', 50.0]]
    """
    rows = []
    for category, group in trends[trends["complete"]].groupby("category", sort=False):
        first, last = group.iloc[0], group.iloc[-1]
        rows.append({"category": category, "first_period": first["period"],
                     "first_count": int(first["count"]), "last_period": last["period"],
                     "last_count": int(last["count"]),
                     "change_pc": percent_change(first["count"], last["count"])})
    return pd.DataFrame(rows)


def area_changes(records: pd.DataFrame, areas: pd.DataFrame, *, area_col: str, first: str,
                 last: str, by: str = "financial-year", per: float = 1000,
                 top: int = 5) -> pd.DataFrame:
    """Areas whose rate rose or fell most between two complete periods.

    Returns
    -------
    pandas.DataFrame
        Per category, the ``top`` biggest rises and falls: ``area_code``, ``area_name``,
        counts and rates in both periods with their 95% intervals (PHE's method),
        ``rate_change`` (per ``per`` residents) with its 95% interval (the two counts as
        independent Poisson counts: ``z sqrt(c1 + c2) / population x per``),
        ``change_significant`` (the interval excludes 0) and ``direction`` ("rose" or
        "fell").
    """
    events = police_uk_events(records)
    events["period"] = period_label(events["month"], by)
    events = events[events["period"].isin([first, last])]
    counts = events.groupby(["category", area_col, "period"]).size().unstack("period")
    counts = counts.reindex(columns=[first, last], fill_value=0).fillna(0)
    rows = []
    for category, table in counts.groupby(level="category", sort=False):
        table = table.droplevel("category").reindex(areas.index, fill_value=0)
        rate_first = table[first] / areas["residents"] * per
        rate_last = table[last] / areas["residents"] * per
        limits_first = rate_limits(table[first], areas["residents"], per=per)
        limits_last = rate_limits(table[last], areas["residents"], per=per)
        change = rate_last - rate_first
        half = 1.959964 * np.sqrt(table[first] + table[last]) / areas["residents"].where(
            areas["residents"] > 0) * per
        frame = pd.DataFrame({
            "category": category, "area_code": areas.index,
            "area_name": areas["area_name"].to_numpy(),
            f"count_{first}": table[first].astype(int).to_numpy(),
            f"count_{last}": table[last].astype(int).to_numpy(),
            f"rate_{first}": rate_first.to_numpy(),
            f"rate_{first}_low": limits_first["rate_low"].to_numpy(),
            f"rate_{first}_high": limits_first["rate_high"].to_numpy(),
            f"rate_{last}": rate_last.to_numpy(),
            f"rate_{last}_low": limits_last["rate_low"].to_numpy(),
            f"rate_{last}_high": limits_last["rate_high"].to_numpy(),
            "rate_change": change.to_numpy(),
            "rate_change_low": (change - half).to_numpy(),
            "rate_change_high": (change + half).to_numpy(),
            "change_significant": ((change - half > 0) | (change + half < 0)).to_numpy()})
        rose = frame.nlargest(top, "rate_change").assign(direction="rose")
        fell = frame.nsmallest(top, "rate_change").assign(direction="fell")
        rows += [rose[rose["rate_change"] > 0], fell[fell["rate_change"] < 0]]
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def complete_span(trends: pd.DataFrame) -> tuple[str, str] | None:
    """First and last complete periods (of any category), or None if fewer than two."""
    periods = sorted(trends.loc[trends["complete"], "period"].unique())
    return (periods[0], periods[-1]) if len(periods) >= 2 else None


def choose_basis(by_financial_year: pd.DataFrame, by_year: pd.DataFrame) -> str:
    """Use financial years (the CSP convention) unless calendar years span further."""
    def span(table: pd.DataFrame) -> int:
        ends = complete_span(table)
        return int(ends[1][:4]) - int(ends[0][:4]) if ends else -1

    return "financial-year" if span(by_financial_year) >= span(by_year) else "year"


@dataclass
class Trends:
    """Multi-year series: by financial year, by calendar year, and ward changes.

    ``records`` keeps the located records of every year (LSOA 2021), for hot-spot change.
    """

    by_financial_year: pd.DataFrame
    by_year: pd.DataFrame
    basis: str
    first_to_last: pd.DataFrame
    ward_changes: pd.DataFrame
    span: tuple[str, str] | None
    records: pd.DataFrame | None = field(default=None, repr=False)


def compute_trends(records: pd.DataFrame, area: StudyArea) -> Trends:
    """Compute the trend tables from located police.uk records of several years."""
    financial = borough_trends(records, by="financial-year")
    calendar = borough_trends(records, by="year")
    basis = choose_basis(financial, calendar)
    table = financial if basis == "financial-year" else calendar
    span = complete_span(table)
    changes = (area_changes(records, area.areas("ward"), area_col="ward_code", first=span[0],
                            last=span[1], by=basis) if span else pd.DataFrame())
    return Trends(financial, calendar, basis, first_to_last(table), changes, span, records)


def assess_trends(history: pd.DataFrame, area: StudyArea) -> Trends:
    """Place police.uk records of several years (any LSOA vintage) and compute the trends.

    Records left out (outside the area, no location) are not warned about again here: the
    assessed period's own records report them.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RecordsExcludedWarning)
        located, _ = locate_records(history, area)
    return compute_trends(located, area)
