"""The English Indices of Deprivation: editions, IMD rebuilt, quintiles, summaries.

* IoD2025 is on LSOA 2021; IoD2019 is on LSOA 2011 and is carried onto LSOA 2021 with the
  ONS lookup (a split LSOA's parts share its 2011 values; see
  :meth:`geosafety.geography.StudyArea.iod`). The edition follows the police data's LSOA
  vintage: 2021 codes -> IoD2025, 2011 codes -> IoD2019.
* The IMD score is the weighted sum of exponentially transformed domain ranks:
  ``R = (N - rank + 1) / N`` (rank 1 = most deprived), ``X = -23 ln(1 - R (1 - e^(-100/23)))``,
  weights Income 22.5%, Employment 22.5%, Education 13.5%, Health 13.5%, Crime 9.3%,
  Barriers to Housing and Services 9.3%, Living Environment 9.3% (as published they sum to
  99.9%, and the published scores use them as they are). Dropping a domain and rescaling
  the remaining weights to the same total gives, e.g., "IMD without crime" on the IMD's
  scale, which removes the circularity of correlating crime with an index containing crime.
* Summaries for wards and the borough are population weighted (IoD technical report):
  average score, extent and local concentration; never a plain mean of ranks.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from geosafety._errors import InvalidOptionError
from geosafety.geography import StudyArea

#: Domain weights (MHCLG).
WEIGHTS = {"Income": 0.225, "Employment": 0.225, "Education": 0.135, "Health": 0.135,
           "Crime": 0.093, "Housing_and_Services": 0.093, "Environment": 0.093}
DOMAIN_NAMES = {
    "IMD": "Index of Multiple Deprivation", "Income": "Income",
    "Employment": "Employment", "Education": "Education, Skills and Training",
    "Health": "Health Deprivation and Disability", "Crime": "Crime",
    "Housing_and_Services": "Barriers to Housing and Services",
    "Environment": "Living Environment",
}
#: LSOAs in England in each edition.
NATIONAL_LSOAS = {2025: 33_755, 2019: 32_844}


def exponential_transform(rank: pd.Series, n: int) -> pd.Series:
    """Transform domain ranks (1 = most deprived of ``n``) to the 0-100 exponential scale.

    Examples
    --------
    >>> exponential_transform(pd.Series([1, 33755]), 33755).round(3).tolist()
    [100.0, 0.001]
    """
    r = (n - rank + 1) / n
    return -23 * np.log(1 - r * (1 - np.exp(-100 / 23)))


def imd_score(ranks: pd.DataFrame, n: int, *, without: Iterable[str] = ()) -> pd.Series:
    """Rebuild the IMD score from domain ranks, optionally without some domains.

    Parameters
    ----------
    ranks : pandas.DataFrame
        Columns ``<domain>_rank`` for the seven domains (national ranks, 1 = most deprived).
    n : int
        Number of LSOAs nationally.
    without : iterable of str
        Domains to drop (e.g. ``["Crime"]``); the remaining weights are rescaled to the
        published total (0.999), so the score stays on the IMD's scale.

    Examples
    --------
    >>> ranks = pd.DataFrame({f"{d}_rank": [1] for d in WEIGHTS})
    >>> float(imd_score(ranks, 100, without=["Crime"]).round(6).iloc[0])
    99.9
    """
    dropped = set(without)
    unknown = dropped - set(WEIGHTS)
    if unknown:
        raise InvalidOptionError(
            f"Unknown domain(s) {sorted(unknown)}; domains are {list(WEIGHTS)}.")
    kept = {d: w for d, w in WEIGHTS.items() if d not in dropped}
    scale = sum(WEIGHTS.values()) / sum(kept.values())
    return sum(w * scale * exponential_transform(ranks[f"{d}_rank"], n) for d, w in kept.items())


def iod_for_area(area: StudyArea, edition: int) -> pd.DataFrame:
    """Return an IoD edition on the study area's LSOA 2021s, with the measures analysed.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``lsoa21_code``: ``IMD_score``, ``IMD_rank``, ``IMD_decile``, each
        domain's ``_rank`` and ``_decile`` (and ``_score`` for 2025), ``IMD_without_crime``
        (rebuilt), ``national_quintile`` (1 = most deprived fifth of England) and
        ``local_quintile`` (1 = most deprived fifth of the study area's LSOAs by IMD score);
        ``attrs["edition"]`` holds the edition.

    Raises
    ------
    MissingReferenceDataError
        If the area has no figures of that edition for some of its LSOAs.

    Examples
    --------
    >>> iod = iod_for_area(StudyArea.sefton(), 2025)
    >>> len(iod), int(iod["local_quintile"].value_counts().min())
    (191, 38)
    """
    table = area.iod(edition).copy()
    table["IMD_without_crime"] = imd_score(table, NATIONAL_LSOAS[edition], without=["Crime"])
    table["national_quintile"] = np.ceil(table["IMD_decile"] / 2).astype(int)
    order = table["IMD_score"].rank(ascending=False, method="first")
    table["local_quintile"] = np.ceil(5 * order / len(table)).astype(int)
    table.attrs["edition"] = edition
    return table


def edition_for(vintages: Iterable[str]) -> int:
    """Choose the IoD edition for data of these LSOA vintages (2011 -> 2019, else 2025).

    Examples
    --------
    >>> edition_for(["2011", "unchanged only"]), edition_for(["2021"])
    (2019, 2025)
    """
    return 2019 if "2011" in set(vintages) else 2025


def extent_weight(national_rank: pd.Series, n: int) -> pd.Series:
    """IoD "extent" weight of each LSOA by its national percentile (IoD technical report).

    The percentile is ``ceil(100 rank / n)`` (1 = the most deprived hundredth). Weight 1 up to
    the 10th percentile; from 0.95 at the 11th down to 0.05 at the 30th in 19 equal steps;
    0 beyond. With these weights and Census 2021 residents, geosafety's extent for every
    English authority is within 0.7 percentage points of MHCLG's published figure (mean
    difference 0.09 points; MHCLG weights by mid-2022 population).

    Examples
    --------
    >>> extent_weight(pd.Series([100, 1001, 2000, 3000, 3001]), 10000).round(4).tolist()
    [1.0, 0.95, 0.5237, 0.05, 0.0]
    """
    percentile = np.ceil(100 * national_rank / n)
    stepped = 0.95 - (percentile - 11) * 0.9 / 19
    return pd.Series(np.where(percentile <= 10, 1.0, np.where(percentile <= 30, stepped, 0.0)),
                     index=national_rank.index)


def local_concentration(national_rank: pd.Series, population: pd.Series) -> float:
    """Population-weighted mean national rank of the most deprived LSOAs holding 10% of people.

    The LSOA that crosses the 10% line counts for the part of its population inside it.

    Examples
    --------
    >>> local_concentration(pd.Series([10, 20, 30]), pd.Series([5, 5, 90]))
    15.0
    """
    order = national_rank.sort_values().index
    people = population.loc[order].astype(float)
    target = 0.1 * people.sum()
    taken = np.minimum(people, np.maximum(0, target - (people.cumsum() - people)))
    return float((national_rank.loc[order] * taken).sum() / taken.sum())


def summaries(iod: pd.DataFrame, population: pd.Series, groups: pd.Series, *,
              edition: int) -> pd.DataFrame:
    """Population-weighted IMD summaries for groups of LSOAs (wards, the borough).

    Returns
    -------
    pandas.DataFrame
        One row per group: ``residents``, ``average_score`` (population-weighted mean IMD
        score), ``extent`` (share of residents in the most deprived 30% nationally, weighted
        as in the IoD technical report), ``local_concentration`` (population-weighted mean
        national rank of the most deprived LSOAs holding 10% of residents; lower is more
        deprived) and ``share_most_deprived_20pc`` (residents in national quintile 1).
    """
    n = NATIONAL_LSOAS[edition]
    rows = {}
    for group, members in groups.groupby(groups).groups.items():
        people = population.loc[members].astype(float)
        rows[group] = {
            "residents": int(people.sum()),
            "average_score": float(np.average(iod.loc[members, "IMD_score"], weights=people)),
            "extent": float(np.average(extent_weight(iod.loc[members, "IMD_rank"], n),
                                       weights=people)),
            "local_concentration": local_concentration(iod.loc[members, "IMD_rank"], people),
            "share_most_deprived_20pc": float(
                people[iod.loc[members, "national_quintile"] == 1].sum() / people.sum()),
        }
    return pd.DataFrame.from_dict(rows, orient="index")
