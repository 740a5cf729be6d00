"""Counts, rates and ranks for every LSOA and authority in England, from a bulk read.

One pass over a year of police.uk (about 6 million rows read by
:func:`geosafety.io.bulk.read_police_uk_bulk`): records are counted by LSOA and category in
Arrow, LSOA 2011 codes are moved onto LSOA 2021 (a split LSOA to its most populous part, as
records without coordinates are placed for one authority), and the few hundred thousand
counts are turned into rates per 1,000 Census 2021 residents with PHE intervals, ranks and
deciles within each authority, and ranks among England's LSOAs and authorities. Every LSOA
gets a row for every category, 0 when it had no records.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from geosafety.geography.authorities import authorities
from geosafety.geography.reference import lsoa11_successors, national_table
from geosafety.io.police_uk import ASB
from geosafety.measures.by_area import (
    add_rate_intervals,
    local_decile,
    rank_highest_first,
    rate,
    rate_unit,
)
from geosafety.measures.categories import ALL_CRIME, category_order


@dataclass(frozen=True)
class NationalMeasures:
    """Measures for every LSOA and authority in England.

    Attributes
    ----------
    lsoa : pandas.DataFrame
        One row per LSOA 2021 and category: ``lsoa_code``, ``lad_code``, ``category``,
        ``count``, ``residents``, ``rate`` (with ``rate_unit``), ``rate_low``/``rate_high``,
        ``compared_with_area`` (against its authority), ``rank`` and ``decile`` within its
        authority (1 = highest), ``n_areas`` and ``national_rank`` among England's LSOAs.
    authority : pandas.DataFrame
        One row per authority and category: ``lad_code``, ``lad_name``,
        ``police_force_area``, ``category``, ``count``, ``residents``, ``rate`` with its
        interval and comparison with England, ``rank`` among the authorities.
    not_placed : int
        Records whose LSOA code is empty or not an English LSOA (Welsh LSOAs, or LSOAs of
        areas outside England); counted here, in no area.
    """

    lsoa: pd.DataFrame
    authority: pd.DataFrame
    not_placed: int


def lsoa21_of(codes: pd.Index) -> pd.Series:
    """Map LSOA codes (2011 or 2021) to the English LSOA 2021 they count in; NaN if none.

    A 2021 code maps to itself; a 2011 code to its 2021 successor, a split one to its most
    populous part.

    Examples
    --------
    >>> lsoa21_of(pd.Index(["E01006920", "E01028341", "E01028040", "W01000001", ""])).tolist()
    ['E01006920', 'E01033770', 'E01033769', nan, nan]
    """
    lsoa21 = national_table("england_lsoa21_table")["lsoa21_code"]
    return pd.Series(codes.where(codes.isin(lsoa21), codes.map(lsoa11_successors())),
                     index=codes, dtype=object)


def _counts(table: pa.Table) -> tuple[pd.DataFrame, int]:
    """Count records by LSOA 2021 and crime type; return the counts and those not placed."""
    counted = table.group_by(["lsoa_code", "crime_type"]).aggregate(
        [("crime_type", "count")]).to_pandas()
    counted = counted.rename(columns={"crime_type_count": "count"})
    codes = pd.Index(counted["lsoa_code"].fillna("").unique())
    counted["lsoa21_code"] = counted["lsoa_code"].fillna("").map(lsoa21_of(codes))
    not_placed = int(counted.loc[counted["lsoa21_code"].isna(), "count"].sum())
    counts = counted.dropna(subset=["lsoa21_code"]).groupby(
        ["lsoa21_code", "crime_type"])["count"].sum()
    return counts.unstack("crime_type", fill_value=0), not_placed


def national_measures(table: pa.Table, *, per: int = 1000,
                      confidence: float = 0.95) -> NationalMeasures:
    """Count, rate and rank every category in every English LSOA and authority.

    Parameters
    ----------
    table : pyarrow.Table
        Records with ``lsoa_code`` and ``crime_type`` (a
        :class:`~geosafety.io.bulk.BulkRead`'s table).
    per : int
        Rates per this many residents.
    confidence : float
        Level of the rate intervals.

    Examples
    --------
    >>> from geosafety.io.bulk import read_police_uk_bulk
    >>> from geosafety.io.datasets import get_path
    >>> found = national_measures(read_police_uk_bulk(get_path("police_uk_2025")).table)
    >>> sefton = found.authority.set_index(["lad_code", "category"]).loc["E08000014"]
    >>> int(sefton.loc["All crime", "count"]), round(float(sefton.loc["All crime", "rate"]), 1)
    (21699, 77.7)
    >>> lsoa = found.lsoa[found.lsoa["category"] == "All crime"]
    >>> len(lsoa), int(lsoa["count"].sum())
    (33755, 21699)
    """
    wide, not_placed = _counts(table)
    lsoas = national_table("england_lsoa21_table").set_index("lsoa21_code")
    wide = wide.reindex(lsoas.index, fill_value=0)
    crime_types = [c for c in wide.columns if c != ASB]
    wide[ALL_CRIME] = wide[crime_types].sum(axis=1)
    if ASB not in wide:
        wide[ASB] = 0
    wide = wide[category_order(list(wide.columns))]
    long = wide.rename_axis("lsoa_code").rename_axis("category", axis=1).stack()
    frame = long.rename("count").reset_index()
    frame["lad_code"] = frame["lsoa_code"].map(lsoas["lad_code"])
    frame["residents"] = frame["lsoa_code"].map(lsoas["residents"])
    frame = _rated(frame, ["lad_code", "category"], per=per, confidence=confidence)
    frame["national_rank"] = rank_highest_first(frame["rate"], frame[["category"]])
    frame["decile"] = local_decile(frame["rate"], frame[["lad_code", "category"]])

    by_authority = frame.groupby(["lad_code", "category"], sort=False)[
        ["count", "residents"]].sum().reset_index()
    names = authorities()
    by_authority.insert(1, "lad_name", by_authority["lad_code"].map(names["lad_name"]))
    by_authority.insert(2, "police_force_area",
                        by_authority["lad_code"].map(names["police_force_area"]))
    by_authority = _rated(by_authority, ["category"], per=per, confidence=confidence)
    return NationalMeasures(frame, by_authority, not_placed)


def _rated(frame: pd.DataFrame, within: list[str], *, per: int,
           confidence: float) -> pd.DataFrame:
    """Add rates with intervals, the comparison with ``within``'s rate and ranks within it."""
    frame["rate"] = rate(frame["count"], frame["residents"], per=per)
    frame["rate_unit"] = rate_unit(per)
    add_rate_intervals(frame, population_col="residents", per=per, confidence=confidence,
                       by=within)
    frame["rank"] = rank_highest_first(frame["rate"], frame[within])
    frame["n_areas"] = frame.groupby(within)["rate"].transform("count")
    return frame


__all__ = ["NationalMeasures", "lsoa21_of", "national_measures"]
