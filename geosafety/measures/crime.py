"""police.uk crime and ASB by area: counts, rates, ranks and deciles at every level.

Each record counts once under its crime type and, unless it is ASB, once under "All crime"
(:func:`~geosafety.measures.categories.police_uk_events`). Every level's counts are
reconciled with the records: the sum over areas equals the records kept, or it is an error.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geosafety._levels import LEVELS
from geosafety.geography import AREA_COLUMNS, StudyArea
from geosafety.measures.by_area import area_measures, group_codes
from geosafety.measures.categories import ALL_CRIME, ASB, category_order
from geosafety.measures.periods import Period
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
                       per=RATE_PER, by=["category", "period"], smooth=smooth,
                       grid_areas=len(areas))
    if level == "lsoa":
        measures.insert(1, "ward_code", areas["ward_code"].reindex(measures.index).to_numpy())
        measures.insert(2, "ward_name", areas["ward_name"].reindex(measures.index).to_numpy())
    category, labels = pd.factorize(measures["category"])
    reading_order = labels.get_indexer(category_order(labels))
    ranks = np.empty(len(labels), dtype=int)
    ranks[reading_order] = np.arange(len(labels))
    return measures.take(np.lexsort((pd.factorize(measures.index, sort=True)[0],
                                     ranks[category],
                                     pd.factorize(measures["period"], sort=True)[0])))


def reconcile(events: pd.DataFrame, measures: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Reconcile records per category and period with the sum of area counts at each level.

    Raises
    ------
    RuntimeError
        If any level's counts do not add up to the records (a bug, never a data problem).
    """
    by = ["category", "period"]
    group, keys = group_codes(events, by)
    n_groups = len(keys["category"])
    table = {"category": pd.array(keys["category"], dtype=str),
             "period": pd.array(keys["period"], dtype=str),
             "records": np.bincount(group, minlength=n_groups)}
    agree = np.ones(n_groups, dtype=bool)
    for level, frame in measures.items():
        in_level, level_keys = group_codes(frame, by)
        sums = frame["count"].groupby(in_level).sum()  # keeps the counts' integer type
        numbered = {pair: i for i, pair in enumerate(zip(level_keys["category"],
                                                         level_keys["period"], strict=True))}
        where = [numbered.get(pair, -1) for pair in zip(keys["category"], keys["period"],
                                                         strict=True)]
        table[f"sum_{level}"] = sums.reindex(where).to_numpy()
        agree &= table[f"sum_{level}"] == table["records"]
    table["reconciles"] = agree
    found = pd.DataFrame(table)
    if not agree.all():
        raise RuntimeError(f"Counts do not reconcile with records:\n{found[~agree]}")
    return found


def coded_events(located: pd.DataFrame, periods: list[Period],
                 columns: list[str]) -> pd.DataFrame:
    """Expand records into the events of :func:`police_uk_events` in each period, coded.

    The same rows as ``with_periods(police_uk_events(located), periods)`` (in another
    order), with only ``category``, ``period`` and ``columns``, each categorical: every
    label is read once, and the levels' counts then work on integer codes.

    Examples
    --------
    >>> records = pd.DataFrame({"crime_type": ["Burglary", ASB], "lsoa": ["A", "B"],
    ...                         "month": pd.PeriodIndex(["2025-01", "2025-02"], freq="M")})
    >>> from geosafety.measures.periods import parse_period
    >>> events = coded_events(records, [parse_period("2025")], ["lsoa"])
    >>> events.astype(str).values.tolist()
    [['Burglary', '2025', 'A'], ['Anti-social behaviour', '2025', 'B'], ['All crime', '2025', 'A']]
    """
    crime_type = pd.Categorical(located["crime_type"])
    labels = pd.Index(sorted({*crime_type.categories, ALL_CRIME}))
    own = labels.get_indexer(crime_type.categories)[crime_type.codes]
    own[crime_type.codes < 0] = -1
    crime = np.flatnonzero(located["crime_type"].ne(ASB).to_numpy())
    rows = np.concatenate([np.arange(len(located)), crime])
    category = np.concatenate([own, np.full(len(crime), labels.get_loc(ALL_CRIME))])
    months = located["month"]
    in_period = [np.flatnonzero(p.contains(months).to_numpy()[rows]) for p in periods]
    take = np.concatenate(in_period) if in_period else np.zeros(0, dtype=int)
    period_labels = pd.Index(sorted({p.label for p in periods}))
    period = np.repeat(period_labels.get_indexer([p.label for p in periods]),
                       [len(i) for i in in_period])
    frame = {"category": pd.Categorical.from_codes(category[take], labels),
             "period": pd.Categorical.from_codes(period, period_labels)}
    for column in columns:
        codes, uniques = pd.factorize(located[column])
        frame[column] = pd.Categorical.from_codes(codes[rows[take]], uniques)
    return pd.DataFrame(frame)


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
    events = coded_events(located, periods, [AREA_COLUMNS[level] for level in LEVELS])
    measures = {level: level_measures(events, area, level, confidence=confidence,
                                      smooth=smooth) for level in LEVELS}
    return measures, reconcile(events, measures)
