"""The published cells of a sensitive source, and what a reader knows about how they relate.

A sensitive source (MARAC, CJIT) is published as counts by LSOA, ward and postcode
district, with a total per level, the deprivation-quintile totals, records per category
and records by how they were placed. :func:`source_model` turns these into one
:class:`~geosafety.disclosure.ranges.LinearModel` holding every relation a reader can
know from public lookups and the method notes:

* a ward is the sum of its LSOAs, plus records placed at ward level only when the
  published totals show there are some;
* a postcode district is the sum of the parts of LSOAs its postcodes fall in. Records
  placed by postcode count in their own postcode's district, so an LSOA whose postcodes lie
  in several districts is split into one unpublished part per district (from the public
  postcode directory); records placed otherwise count in the LSOA's best-fit district;
* a deprivation quintile is the sum of its LSOAs; a level's total the sum of its areas;
* records by placement add up to the records of the category that counts every record,
  LSOA-placing reasons to its LSOA total, "ward only" to the ward total less the LSOA total;
* counts of distinct people (victims, individuals) are at most the sum of their parts, at
  least each part, and at most the cases of the same area.

The same model serves protection (true values, :func:`geosafety.disclosure.protect_partner`)
and the audit of written outputs (published values, :func:`geosafety.disclosure.audit_outputs`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geosafety._errors import MissingReferenceDataError
from geosafety.disclosure.ranges import LinearModel
from geosafety.geography import StudyArea
from geosafety.geography.status import Placement

#: Default threshold: counts below 5 are hidden.
THRESHOLD = 5

#: Placement reasons that place a record in an LSOA (and so at every level).
LSOA_REASONS = (Placement.BY_POSTCODE, Placement.BY_LSOA_CODE, Placement.BY_COORDINATES)


@dataclass
class CategoryCells:
    """One category's published (or true) counts.

    Attributes
    ----------
    name : str
        The category, e.g. ``"MARAC cases"``.
    counts : dict of str to pandas.Series
        Count by area code per level (``"lsoa"``, ``"ward"``, ``"postcode_district"``);
        NaN where hidden.
    totals : dict of str to float
        ``placed_<level>`` figures: each level's total (NaN where hidden).
    records : float
        Records of the category (NaN where hidden).
    groups : dict of str to pandas.Series
        Published grouping totals, e.g. ``{"quintile_local": Series(1..5 -> events)}``.
    distinct : bool
        True when the category counts distinct people.
    """

    name: str
    counts: dict[str, pd.Series]
    totals: dict[str, float]
    records: float
    groups: dict[str, pd.Series] = field(default_factory=dict)
    distinct: bool = False


def category_cells(measures: Mapping[str, pd.DataFrame], row: Mapping[str, object], *,
                   published: bool, groups: Mapping[str, pd.Series] | None = None,
                   ) -> CategoryCells:
    """Build one category's cells from its measures and its reconciliation row.

    Parameters
    ----------
    measures : mapping of str to pandas.DataFrame
        Per level, measures with ``category``, ``count`` and ``suppressed``, indexed by area
        code or with an ``area_code`` column (as written).
    row : mapping
        The category's reconciliation row: ``category``, ``records``, ``placed_<level>``
        and ``distinct_people``.
    published : bool
        Take hidden counts as unknown (NaN), as a reader sees them; else the true counts.
    groups : mapping of str to pandas.Series, optional
        Grouping totals (quintiles), see :class:`CategoryCells`.

    Examples
    --------
    >>> ward = pd.DataFrame({"category": "cases", "count": [3, 9], "suppressed": [True, False]},
    ...                     index=["W1", "W2"])
    >>> row = {"category": "cases", "records": 12, "placed_ward": 12}
    >>> category_cells({"ward": ward}, row, published=True).counts["ward"].tolist()
    [nan, 9.0]
    """
    counts = {}
    for level, frame in measures.items():
        rows = frame[frame["category"] == row["category"]]
        if "area_code" in rows.columns:
            rows = rows.set_index("area_code")
        count = rows["count"].astype(float)
        counts[level] = count.where(~rows["suppressed"].astype(bool)) if published else count
    return CategoryCells(
        str(row["category"]), counts,
        {level: _number(row.get(f"placed_{level}")) for level in measures},
        _number(row.get("records")), dict(groups or {}),
        bool(row.get("distinct_people", False)))


@dataclass(frozen=True)
class AreaLinks:
    """Public lookups linking an area's levels: best-fit parents and postcode parts.

    Examples
    --------
    >>> links = AreaLinks.of(StudyArea.sefton())
    >>> len(links.ward), max(len(d) for d in links.districts.values())
    (191, 3)
    """

    ward: pd.Series
    district: pd.Series
    districts: dict[str, tuple[str, ...]]
    groupings: dict[str, pd.Series] = field(default_factory=dict)

    @classmethod
    def of(cls, area: StudyArea, groupings: Mapping[str, pd.Series] | None = None) -> AreaLinks:
        """Lookups of a study area, with the LSOA groupings published (quintiles)."""
        best = area.lsoas["postcode_district"]
        known = set(area.postcode_districts.index)
        try:
            postcodes = area.postcode_lsoas
        except MissingReferenceDataError:  # an area without postcodes: best fit only
            postcodes = pd.Series(dtype=object)
        pairs = pd.DataFrame({"lsoa": postcodes.to_numpy(),
                              "district": postcodes.index.astype(str).str.split(" ").str[0]})
        pairs = pairs[pairs["district"].isin(known) & pairs["lsoa"].isin(best.index)]
        extra = pairs.groupby("lsoa")["district"].agg(lambda d: set(d))
        districts = {lsoa: tuple(sorted({d} | extra.get(lsoa, set())))
                     for lsoa, d in best.items()}
        return cls(area.lsoas["ward_code"], best, districts, dict(groupings or {}))


def _number(value: object) -> float:
    """Return a float, NaN for a missing value of any kind (None, NaN, pandas.NA)."""
    return np.nan if pd.isna(value) else float(value)  # type: ignore[arg-type]


def _cell(prefix: str, level: str, code: object) -> str:
    return f"{prefix}{level}:{code}"


def _has_residual(category: CategoryCells, level: str) -> bool:
    """Whether records may be placed at ``level`` but not in an LSOA, as readers can tell."""
    if category.distinct:
        return True
    low, high = _number(category.totals.get("lsoa")), _number(category.totals.get(level))
    return bool(np.isnan(low) or np.isnan(high) or low != high)


def _add_category(model: LinearModel, values: dict[str, float], category: CategoryCells,
                  links: AreaLinks, prefix: str, by_postcode: bool) -> None:
    link = model.add_at_most_sum if category.distinct else model.add_sum
    for level, series in category.counts.items():
        cells = [_cell(prefix, level, code) for code in series.index]
        values.update(zip(cells, series.astype(float), strict=True))
        total = _cell(prefix, level, "TOTAL")
        values[total] = _number(category.totals.get(level))
        model.add_sum(total, cells)
    values[f"{prefix}records"] = _number(category.records)
    lsoa = category.counts.get("lsoa")
    if lsoa is None:
        return
    for level, parent in (("ward", links.ward), ("postcode_district", links.district)):
        if level not in category.counts:
            continue
        residual = _has_residual(category, level)
        if level == "postcode_district" and by_postcode:
            parts = _district_parts(model, category, links, prefix)
        else:
            parts = {code: [_cell(prefix, "lsoa", c) for c in parent.index[parent == code]
                            if c in lsoa.index] for code in category.counts[level].index}
        for code, children in parts.items():
            cell = _cell(prefix, level, code)
            if residual:
                extra = _cell(prefix, f"{level}_only", code)
                model.add_unpublished(extra)
                children = [*children, extra]
            link(cell, children)
            if category.distinct:
                for child in children:
                    model.add_at_most(child, cell)
    for name, group in category.groups.items():
        grouping = links.groupings.get(name)
        if grouping is None:
            continue
        for key, value in group.items():
            cell = _cell(prefix, name, key)
            values[cell] = float(value)
            model.add_sum(cell, [_cell(prefix, "lsoa", c) for c in grouping.index[
                grouping == key] if c in lsoa.index])


def _district_parts(model: LinearModel, category: CategoryCells, links: AreaLinks,
                    prefix: str) -> dict[str, list[str]]:
    """Split LSOAs over the districts of their postcodes; return each district's parts."""
    lsoa = category.counts["lsoa"]
    parts: dict[str, list[str]] = {code: [] for code in category.counts["postcode_district"].index}
    for code in lsoa.index:
        districts = [d for d in links.districts.get(code, ()) if d in parts]
        if len(districts) == 1:
            parts[districts[0]].append(_cell(prefix, "lsoa", code))
            continue
        names = [_cell(prefix, f"part:{code}", d) for d in districts]
        model.add_unpublished(*names)
        if category.distinct:
            model.add_at_most_sum(_cell(prefix, "lsoa", code), names)
            for name in names:
                model.add_at_most(name, _cell(prefix, "lsoa", code))
        else:
            model.add_sum(_cell(prefix, "lsoa", code), names)
        for district, name in zip(districts, names, strict=True):
            parts[district].append(name)
    return parts


def _add_placement(model: LinearModel, values: dict[str, float], placement: pd.Series,
                   category: CategoryCells, prefix: str) -> None:
    """Link records by placement to the category that counts every record."""
    cells = {reason: f"placement:{reason}" for reason in placement.index}
    values.update({cells[r]: float(v) for r, v in placement.items()})
    model.add_sum(f"{prefix}records", [c for r, c in cells.items()
                                       if r != Placement.OUTSIDE_PERIOD])
    levels = category.counts
    if "lsoa" in levels:
        placing = [c for r, c in cells.items() if r in LSOA_REASONS]
        model.add_sum(_cell(prefix, "lsoa", "TOTAL"), placing)
        for level, reason in (("ward", Placement.WARD_ONLY),
                              ("postcode_district", Placement.DISTRICT_ONLY)):
            if level in levels:
                model.add_sum(_cell(prefix, level, "TOTAL"), [
                    _cell(prefix, "lsoa", "TOTAL"), *([cells[reason]] if reason in cells else [])])


def placement_consistent(placement: pd.Series, category: CategoryCells) -> bool:
    """Tell whether placement counts add up to the category's records and level totals."""
    counts = placement.astype(float)
    in_period = counts.drop(Placement.OUTSIDE_PERIOD, errors="ignore").sum()
    if in_period != category.records:
        return False
    placed = counts.reindex(list(LSOA_REASONS)).fillna(0).sum()
    if "lsoa" in category.counts and placed != category.totals.get("lsoa"):
        return False
    return all(category.totals.get(level) == placed + counts.get(reason, 0)
               for level, reason in (("ward", Placement.WARD_ONLY),
                                     ("postcode_district", Placement.DISTRICT_ONLY))
               if level in category.counts and "lsoa" in category.counts)


def source_model(
    categories: list[CategoryCells],
    links: AreaLinks,
    *,
    placement: pd.Series | None = None,
    by_postcode: bool = False,
) -> tuple[LinearModel, dict[str, float], set[str]]:
    """Build the cells and relations of one sensitive source, all categories together.

    Parameters
    ----------
    categories : list of CategoryCells
        The first category that does not count distinct people is the one counting every
        record; distinct-people categories are bounded by it area by area.
    links : AreaLinks
    placement : pandas.Series, optional
        Records by placement reason (NaN where hidden), linked to the record category.
    by_postcode : bool
        True when records were placed by postcode (districts then come from postcodes).

    Returns
    -------
    model, values, totals
        ``values`` holds every published cell (NaN where hidden); ``totals`` the cells that
        are totals (hidden only when nothing else will do).

    Examples
    --------
    >>> area = StudyArea.sefton()
    >>> lsoa = pd.Series(0.0, index=area.lsoas.index)
    >>> lsoa.iloc[:2] = [3, 9]
    >>> cases = CategoryCells("cases", {"lsoa": lsoa}, {"lsoa": 12.0}, 12.0)
    >>> model, values, totals = source_model([cases], AreaLinks.of(area))
    >>> values["c0|lsoa:TOTAL"], sorted(totals)
    (12.0, ['c0|lsoa:TOTAL', 'c0|records'])
    """
    model = LinearModel()
    values: dict[str, float] = {}
    records = next((i for i, c in enumerate(categories) if not c.distinct), None)
    for number, category in enumerate(categories):
        prefix = f"c{number}|"
        _add_category(model, values, category, links, prefix, by_postcode)
        if category.distinct and records is not None:
            for level, series in category.counts.items():
                if level in categories[records].counts:
                    for code in series.index.intersection(categories[records].counts[level].index):
                        model.add_at_most(_cell(prefix, level, code),
                                          _cell(f"c{records}|", level, code))
    if placement is not None and len(placement) and records is not None:
        _add_placement(model, values, placement, categories[records], f"c{records}|")
    totals = {c for c in values if c.endswith(":TOTAL") or c.endswith("records")}
    return model, values, totals


__all__ = ["THRESHOLD", "AreaLinks", "CategoryCells", "category_cells", "placement_consistent",
           "source_model"]
