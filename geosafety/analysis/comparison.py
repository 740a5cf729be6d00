"""How authorities compare: counts, rates and ranks of every category, and the force area.

For the authorities assessed together (``--area Merseyside``, or several ``--area``), the
other authorities of their police force areas, and similar authorities (see
:mod:`geosafety.analysis.similar`) whose force's police.uk files are in the data:

* counts of every category in the period (police.uk records, by the authority holding each
  record's LSOA; LSOA 2011 codes through the ONS lookup), rates per 1,000 Census 2021
  residents with their confidence intervals (PHE's method, :mod:`geosafety.measures.intervals`),
  and each authority's rank among them (1 = highest rate);
* the police force area's own count and rate, when the data covers every one of its
  authorities, each authority's rate ratio to it, and whether the authority's interval lies
  above it, around it or below it (``compared_with_force``);
* notes where an authority's Community Safety Partnership is not one-to-one with it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from geosafety.analysis.funnel import Funnel, funnel
from geosafety.geography import (
    authorities,
    authority_of_lsoas,
    community_safety_partnerships,
)
from geosafety.geography.reference import read_lsoa_table
from geosafety.measures.by_area import rank_highest_first, rate, rate_unit
from geosafety.measures.categories import category_order, police_uk_events
from geosafety.measures.crime import RATE_PER
from geosafety.measures.intervals import compare_with_benchmark, confidence_label, rate_limits
from geosafety.measures.periods import Period

AUTHORITY = "Local authority"
FORCE = "Police force area"


@dataclass
class Comparison:
    """Authorities side by side for one period.

    Attributes
    ----------
    period : Period
    table : pandas.DataFrame
        One row per category and area: ``category``, ``area_code``, ``area_name``,
        ``area_type`` (local authority or police force area), ``assessed`` (an authority
        assessed in this run), ``comparator`` (a similar authority), ``count``,
        ``residents``, ``rate``, ``rate_low``, ``rate_high``, ``rate_unit``, ``rank`` and
        ``n_areas`` (among the authorities), ``rate_ratio_to_force``,
        ``compared_with_force`` ("higher", "similar" or "lower") and ``confidence``.
    notes : list of str
        What a reader should know (incomplete force areas, partnerships that are not one
        authority, records without an LSOA code).
    """

    period: Period
    table: pd.DataFrame = field(repr=False)
    notes: list[str] = field(default_factory=list)

    def funnels(self) -> list[tuple[str, Funnel]]:
        """Build a funnel per category: the authorities against their force area's rate.

        The target is the (first) police force area's rate when the data covers it,
        otherwise the pooled rate of the authorities compared. Needs five authorities.
        """
        out = []
        forces = self.table[self.table["area_type"] == FORCE].set_index("category")["rate"]
        for category, rows in self.table[self.table["area_type"] == AUTHORITY].groupby(
                "category", sort=False):
            if len(rows) < 5 or rows["count"].sum() <= 0:
                continue
            indexed = rows.set_index("area_code")
            target = forces.get(category)
            out.append((str(category), funnel(
                indexed["count"], indexed["residents"], indexed["area_name"], per=RATE_PER,
                unit=str(indexed["rate_unit"].iloc[0]), title=str(category),
                target=None if target is None or pd.isna(target) else float(
                    target if not isinstance(target, pd.Series) else target.iloc[0]))))
        return out

    @property
    def force_names(self) -> list[str]:
        """The police force areas compared against."""
        rows = self.table[self.table["area_type"] == FORCE]
        return list(dict.fromkeys(rows["area_name"]))


def partnership_notes(lad_codes: list[str]) -> list[str]:
    """Say where an authority's Community Safety Partnership is not the authority alone.

    Examples
    --------
    >>> partnership_notes(["E08000014"])
    []
    >>> import textwrap
    >>> for note in partnership_notes(["E06000058"]):
    ...     print(textwrap.fill(note, 88))
    Bournemouth, Christchurch and Poole is in 3 Community Safety Partnerships (Bournemouth,
    Dorset, Poole), which follow former districts.
    Community Safety Partnership Dorset covers 2 authorities: Bournemouth, Christchurch and
    Poole; Dorset.
    """
    csps = community_safety_partnerships()
    names = authorities()["lad_name"]
    notes = []
    for code in lad_codes:
        own = csps[csps["lad_code"] == code]
        if len(own) > 1:
            notes.append(f"{names[code]} is in {len(own)} Community Safety Partnerships ("
                         + ", ".join(sorted(own["csp_name"])) + "), which follow former "
                         "districts.")
        for csp_code, csp_name in zip(own["csp_code"], own["csp_name"], strict=True):
            members = csps.loc[csps["csp_code"] == csp_code, "lad_code"].unique()
            if len(members) > 1:
                notes.append(f"Community Safety Partnership {csp_name} covers {len(members)} "
                             "authorities: " + "; ".join(names[m] for m in sorted(members))
                             + ".")
    return list(dict.fromkeys(notes))


def _force_key(name: str) -> str:
    return re.sub(r"[^a-z]+", " ", name.casefold().replace("&", " and ")).strip()


def forces_in_data(records: pd.DataFrame) -> set[str]:
    """Name the police force areas whose police.uk files the records come from.

    police.uk names the force whose data a record is in ("Falls within", e.g. "Merseyside
    Police"); a force area is covered when that name starts with the area's name. Records a
    force holds for a neighbouring authority do not make that authority covered.

    Examples
    --------
    >>> forces_in_data(pd.DataFrame({"falls_within": ["Merseyside Police"]}))
    {'Merseyside'}
    """
    given = {_force_key(str(n)) for n in records.get("falls_within", pd.Series(dtype=str))
             .dropna().unique()}
    areas = authorities()["police_force_area"].unique()
    return {str(a) for a in areas if any(g.startswith(_force_key(str(a))) for g in given)}


def compare_authorities(records: pd.DataFrame, period: Period, lad_codes: list[str], *,
                        comparators: Sequence[str] = (), confidence: float = 0.95,
                        ) -> Comparison:
    """Compare the authorities assessed with their force areas' others and comparators.

    Parameters
    ----------
    records : pandas.DataFrame
        police.uk records as read (``month``, ``crime_type``, ``lsoa_code``), any authority.
    period : Period
    lad_codes : list of str
        The authorities assessed.
    comparators : list of str
        Similar authorities (or a partnership's own list): those whose police force's files
        are in the data (:func:`forces_in_data`) join the comparison.
    confidence : float
        Level of the rates' intervals.

    Returns
    -------
    Comparison
    """
    table = authorities()
    forces = table.loc[lad_codes, "police_force_area"].unique()
    covered = forces_in_data(records)
    joining = [c for c in comparators if table.loc[c, "police_force_area"] in covered]
    compared = list(dict.fromkeys(
        table.index[table["police_force_area"].isin(forces)].tolist() + joining))
    chosen = records[period.contains(records["month"])]
    owner = authority_of_lsoas(chosen["lsoa_code"].fillna(""))
    notes = []
    unplaced = int(owner.isna().sum())
    if unplaced:
        notes.append(f"{unplaced:,} records have no LSOA code of an English authority and are "
                     "not compared.")
    strays = owner[owner.notna() & ~owner.isin(compared)].value_counts()
    if len(strays):
        names = table["lad_name"]
        notes.append(f"{int(strays.sum()):,} records in authorities not compared ("
                     + ", ".join(f"{names[c]} {n:,}" for c, n in strays.head(5).items())
                     + (", ..." if len(strays) > 5 else "") + "): a force holds a few records "
                     "of its neighbours, which are not their whole picture.")
    events = police_uk_events(chosen.assign(lad_code=owner)[owner.notna()])
    counts = events.groupby(["category", "lad_code"]).size()
    present = set(owner.dropna())
    residents = read_lsoa_table(compared).groupby("lad_code")["residents"].sum()
    categories = category_order(events["category"].unique())
    rows = []
    for category in categories:
        for code in compared:
            if code not in present:
                continue
            rows.append({"category": category, "area_code": code,
                         "area_name": table.loc[code, "lad_name"], "area_type": AUTHORITY,
                         "assessed": code in lad_codes, "comparator": code in comparators,
                         "count": int(counts.get((category, code), 0)),
                         "residents": int(residents[code]),
                         "force": table.loc[code, "police_force_area"]})
    frame = pd.DataFrame(rows)
    frame["rate"] = rate(frame["count"], frame["residents"], per=RATE_PER)
    frame["rank"] = rank_highest_first(frame["rate"], frame[["category"]]).astype(int)
    frame["n_areas"] = frame.groupby("category")["rate"].transform("count").astype(int)
    force_rows = []
    for force in forces:
        members = table.index[table["police_force_area"] == force]
        missing = [table.loc[m, "lad_name"] for m in members if m not in present]
        if missing:
            notes.append(f"The data has no records for {', '.join(missing)}, so {force} police "
                         "force area is not shown as a whole.")
            continue
        of_force = frame[frame["force"] == force].groupby("category")[["count",
                                                                        "residents"]].sum()
        for category, row in of_force.iterrows():
            force_rows.append({"category": category,
                               "area_code": table.loc[members[0], "police_force_area_code"],
                               "area_name": force, "area_type": FORCE, "assessed": False,
                               "comparator": False,
                               "count": int(row["count"]), "residents": int(row["residents"]),
                               "force": force})
    forces_frame = pd.DataFrame(force_rows)
    if not forces_frame.empty:
        forces_frame["rate"] = rate(forces_frame["count"], forces_frame["residents"],
                                    per=RATE_PER)
        force_rate = forces_frame.set_index(["force", "category"])["rate"]
        benchmark = pd.Series([force_rate.get((f, c), float("nan")) for f, c in zip(
            frame["force"], frame["category"], strict=True)], index=frame.index)
        frame["rate_ratio_to_force"] = frame["rate"] / benchmark
        forces_frame["rate_ratio_to_force"] = 1.0
    else:
        benchmark = pd.Series(float("nan"), index=frame.index)
        frame["rate_ratio_to_force"] = float("nan")
    out = pd.concat([frame, forces_frame], ignore_index=True)
    out[["rate_low", "rate_high"]] = rate_limits(out["count"], out["residents"], per=RATE_PER,
                                                 confidence=confidence)
    out["compared_with_force"] = compare_with_benchmark(
        out["rate_low"], out["rate_high"], benchmark.reindex(out.index))
    out["confidence"] = confidence_label(confidence)
    out["rate_unit"] = rate_unit(RATE_PER)
    order = {c: i for i, c in enumerate(categories)}
    out = out.sort_values(["category", "area_type", "rank", "area_code"],
                          key=lambda s: s.map(order) if s.name == "category" else s,
                          na_position="last", ignore_index=True)
    columns = ["category", "area_code", "area_name", "area_type", "assessed", "comparator",
               "count", "residents", "rate", "rate_low", "rate_high", "rate_unit", "rank",
               "n_areas", "rate_ratio_to_force", "compared_with_force", "confidence"]
    out["rank"] = out["rank"].astype("Int64")
    out["n_areas"] = out["n_areas"].astype("Int64")
    return Comparison(period, out[columns], notes + partnership_notes(lad_codes))
