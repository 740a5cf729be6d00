"""Measures by locality, summed from the published ward measures.

A locality is a group of whole wards (:mod:`geosafety.geography.localities`), so its count
and population are the sums of its wards'. Summing the *published* ward table means a
locality figure tells nobody anything the ward table does not: where any ward of a
locality is suppressed (sensitive sources), the locality is suppressed too, since its
total less the published wards would give the hidden count away.
"""

from __future__ import annotations

import pandas as pd

from geosafety.analysis.partners import PartnerLayer
from geosafety.geography.localities import Localities
from geosafety.measures.by_area import local_decile, rank_highest_first
from geosafety.measures.intervals import compare_with_benchmark, confidence_label, rate_limits


def locality_tables(ward_measures: pd.DataFrame, partners: list[PartnerLayer],
                    localities: Localities, *, confidence: float = 0.95
                    ) -> dict[str, pd.DataFrame]:
    """Locality measures of police.uk and every partner layer reaching wards.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``""`` for police.uk, and each partner layer's file stem (e.g. ``marac_SYNTHETIC``),
        to its table; partner layers are summed from their published (protected) wards.
    """
    tables = {"": locality_measures(ward_measures, localities, population="residents",
                                    per=1000, confidence=confidence)}
    for layer in partners:
        if "ward" in layer.measures:
            table = locality_measures(layer.measures["ward"], localities,
                                      population=layer.spec.population, per=layer.spec.per,
                                      confidence=confidence)
            table.insert(0, "source", layer.label)
            tables[layer.file_stem] = table
    return tables


def locality_measures(ward: pd.DataFrame, localities: Localities, *, population: str,
                      per: float, confidence: float = 0.95) -> pd.DataFrame:
    """Sum ward measures into localities: count, population, rate, interval and rank.

    Parameters
    ----------
    ward : pandas.DataFrame
        Ward measures indexed by ward code, with ``category``, ``period``, ``count``,
        ``rate_unit``, the population column and optionally ``suppressed``.
    localities : Localities
    population : str
        The rate's denominator column (``"residents"`` or ``"adults"``).
    per : float
        Rate per this many of the population.
    confidence : float

    Returns
    -------
    pandas.DataFrame
        Indexed by locality name (``area_code`` as well as ``area_name``), one row per
        locality, category and period, with ``wards``, ``count``, the population,
        ``rate``, ``rate_low``, ``rate_high``, ``compared_with_area`` (against the whole
        area), ``rank``, ``n_areas``, ``decile`` (among the localities shown),
        ``share_of_total``, ``rate_unit``, ``confidence`` and ``suppressed``.

    Examples
    --------
    >>> ward = pd.DataFrame({"category": "All crime", "period": "2025",
    ...                      "count": [10, 30, 60], "residents": [1000, 1000, 2000],
    ...                      "rate_unit": "per 1,000 residents"},
    ...                     index=pd.Index(["W1", "W2", "W3"], name="ward_code"))
    >>> groups = Localities(pd.Series(["North", "North", "South"],
    ...                               index=["W1", "W2", "W3"]), "x.csv")
    >>> found = locality_measures(ward, groups, population="residents", per=1000)
    >>> found[["count", "residents", "rate", "rank"]].to_dict("index")["North"]
    {'count': 40.0, 'residents': 2000, 'rate': 20.0, 'rank': 2}
    """
    frame = ward.copy()
    frame["locality"] = frame.index.map(localities.ward_locality)
    hidden = frame.get("suppressed", pd.Series(False, index=frame.index)).fillna(False)
    frame["hidden"] = hidden.astype(bool) | frame["count"].isna()
    rows = []
    order = {name: i for i, name in enumerate(localities.names)}
    for (category, period), group in frame.groupby(["category", "period"], sort=False):
        sums = group.groupby("locality", sort=False).agg(
            wards=("count", "size"), count=("count", "sum"), hidden=("hidden", "any"),
            population=(population, "sum"))
        sums = sums.loc[sorted(sums.index, key=order.__getitem__)]
        sums["count"] = sums["count"].astype(float).where(~sums["hidden"])
        sums["rate"] = sums["count"] / sums["population"].where(sums["population"] > 0) * per
        limits = rate_limits(sums["count"], sums["population"], per=per, confidence=confidence)
        sums = sums.join(limits)
        total = float(group["count"].sum()) if not group["hidden"].any() else float("nan")
        people = float(group[population].sum())
        area_rate = total / people * per if people else float("nan")
        sums["compared_with_area"] = compare_with_benchmark(sums["rate_low"], sums["rate_high"],
                                                            area_rate)
        shown = sums["rate"].notna()
        sums["rank"] = pd.Series(pd.NA, index=sums.index, dtype="Int64")
        sums.loc[shown, "rank"] = rank_highest_first(sums.loc[shown, "rate"]).astype("Int64")
        sums["n_areas"] = int(shown.sum())
        sums["decile"] = local_decile(sums["rate"].where(shown))
        sums["share_of_total"] = sums["count"] / total if total else float("nan")
        sums.insert(0, "category", category)
        sums.insert(1, "period", period)
        sums["rate_unit"] = group["rate_unit"].iloc[0]
        sums["confidence"] = confidence_label(confidence)
        sums["suppressed"] = sums.pop("hidden")
        rows.append(sums.rename(columns={"population": population}))
    out = pd.concat(rows) if rows else pd.DataFrame()
    out.index.name = "locality"
    out.insert(0, "area_name", out.index)
    return out
