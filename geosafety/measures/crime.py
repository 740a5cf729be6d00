"""police.uk crime and ASB by area: counts, rates, ranks and deciles at every level.

Each record counts once under its crime type and, unless it is ASB, once under "All crime"
(:func:`~geosafety.measures.categories.police_uk_events`). Every level's counts are
reconciled with the records: the sum over areas equals the records kept, or it is an error.
"""

from __future__ import annotations

import pandas as pd

from geosafety._levels import LEVELS
from geosafety.geography import AREA_COLUMNS, StudyArea
from geosafety.measures.by_area import area_measures
from geosafety.measures.categories import category_order, police_uk_events
from geosafety.measures.periods import Period, with_periods
from geosafety.measures.smoothing import add_smoothed_rates

#: Crime and ASB rates are per 1,000 residents.
RATE_PER = 1000


def level_measures(events: pd.DataFrame, area: StudyArea, level: str, *,
                   confidence: float = 0.95, smooth: str | None = None) -> pd.DataFrame:
    """Measures of one level for events with ``category`` and ``period``, indexed by area.

    Rates carry their interval at ``confidence`` and empirical Bayes smoothed rates beside
    them (:mod:`~geosafety.measures.smoothing`); with ``smooth`` ranks use the smoothed rate.

    LSOA rows also carry their ward (``ward_code``, ``ward_name``). Rows are ordered by
    period, category (All crime, ASB, then A-Z) and area code.
    """
    areas = area.areas(level)
    measures = area_measures(events, areas, area_col=AREA_COLUMNS[level], per=RATE_PER,
                             confidence=confidence)
    add_smoothed_rates(measures, area.neighbours(level), population_col="residents",
                       per=RATE_PER, by=["category", "period"], smooth=smooth)
    if level == "lsoa":
        measures.insert(1, "ward_code", areas["ward_code"].reindex(measures.index).to_numpy())
        measures.insert(2, "ward_name", areas["ward_name"].reindex(measures.index).to_numpy())
    order = {c: i for i, c in enumerate(category_order(measures["category"].unique()))}
    return measures.sort_values(
        ["period", "category", "area_code"],
        key=lambda s: s.map(order) if s.name == "category" else s,
    )


def reconcile(events: pd.DataFrame, measures: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Reconcile records per category and period with the sum of area counts at each level.

    Raises
    ------
    RuntimeError
        If any level's counts do not add up to the records (a bug, never a data problem).
    """
    table = events.groupby(["category", "period"]).size().rename("records").to_frame()
    for level, frame in measures.items():
        table[f"sum_{level}"] = frame.groupby(["category", "period"])["count"].sum()
    sums = table.filter(like="sum_")
    table["reconciles"] = sums.eq(table["records"], axis=0).all(axis=1)
    if not table["reconciles"].all():
        raise RuntimeError(f"Counts do not reconcile with records:\n{table[~table['reconciles']]}")
    return table.reset_index()


def measure_police_uk(located: pd.DataFrame, area: StudyArea, periods: list[Period], *,
                      confidence: float = 0.95, smooth: str | None = None,
                      ) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Count, rate (with its interval at ``confidence``) and rank police.uk records.

    Every level, every period.

    Returns
    -------
    measures : dict of str to pandas.DataFrame
        Per level, indexed by area code (see :func:`level_measures`).
    reconciliation : pandas.DataFrame
        See :func:`reconcile`.
    """
    events = with_periods(police_uk_events(located), periods)
    measures = {level: level_measures(events, area, level, confidence=confidence,
                                      smooth=smooth) for level in LEVELS}
    return measures, reconcile(events, measures)
