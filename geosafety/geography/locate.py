"""Placing records in the study area: LSOA 2021, ward and postcode district for each.

Rules, in order, for each record:

1. An LSOA 2021 code of the study area: kept with that code.
2. An LSOA 2011 code that no longer exists (split, merged or irregular in the ONS lookup):
   one 2021 successor, mapped directly; several (a split), the part holding the record's
   coordinates, or the most populous part when the record has no usable coordinates.
3. Any other LSOA code: outside the study area, excluded.
4. No LSOA code: point in polygon of its coordinates; outside the area is excluded.
5. Neither code nor coordinates (or (0, 0)): excluded as having no location.

Ward and postcode district follow from the LSOA by best fit (see
:mod:`geosafety.geography.assign`). Methods and reasons are
:class:`~geosafety.geography.status.Placement` values.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geosafety._errors import DataQualityWarning, NoRecordsInStudyAreaError, RecordsExcludedWarning
from geosafety._lookup import DistinctValues
from geosafety.geography.assign import (
    assign_postcode_district,
    assign_ward,
    points_in_polygons,
)
from geosafety.geography.authorities import (
    authorities,
    authority_of_lsoas,
    describe_authorities,
)
from geosafety.geography.plausibility import named_lsoa_distances, warn_far_from_named_lsoa
from geosafety.geography.points import points_from_xy, project_xy
from geosafety.geography.status import Placement
from geosafety.io._validate import row_label

if TYPE_CHECKING:
    from geosafety.geography.study_area import StudyArea


@dataclass
class LocationReport:
    """What happened to every record read.

    Attributes
    ----------
    rows_read : int
        Records given.
    excluded : pandas.DataFrame
        One row per record left out: ``source_file``, ``source_row``, ``reason`` and the
        record's identifying columns.
    methods : pandas.Series
        Kept records per location method.
    vintages : pandas.Series
        Detected LSOA vintage per source file.
    identical_asb : int
        Kept ASB rows identical to an earlier one in everything police.uk publishes (kept:
        separate incidents can look alike).
    """

    rows_read: int
    excluded: pd.DataFrame
    methods: pd.Series
    vintages: pd.Series = field(default_factory=lambda: pd.Series(dtype=str))
    identical_asb: int = 0

    @property
    def kept(self) -> int:
        """Records kept."""
        return self.rows_read - len(self.excluded)

    def add_excluded(self, records: pd.DataFrame, reason: str) -> None:
        """Record further records left out before locating (e.g. outside the period)."""
        if records.empty:
            return
        rows = _excluded_rows(records, pd.Series(reason, index=records.index))
        self.excluded = pd.concat([self.excluded, rows], ignore_index=True)
        self.rows_read += len(records)

    def exclusions(self) -> pd.Series:
        """Excluded record counts by reason."""
        return self.excluded["reason"].value_counts()

    def describe_outside(self) -> str:
        """One line naming where the records outside the study area are."""
        outside = self.excluded[self.excluded["reason"] == Placement.OUTSIDE_AREA]
        if outside.empty:
            return "none"
        places = outside.get("lsoa_name", pd.Series("", index=outside.index)).fillna("")
        places = places.map(lambda n: re.sub(r"\s+\d{3}[A-Z]$", "", n) or "unknown LSOA")
        top = places.value_counts().head(6)
        return (
            f"{len(outside):,} records ("
            + ", ".join(f"{name} {n:,}" for name, n in top.items())
            + (", ..." if places.nunique() > len(top) else "")
            + f"); first: {_where(outside)}"
        )


def detect_lsoa_vintage(codes: pd.Series, area: StudyArea) -> str:
    """Say which LSOA vintage a set of codes uses, judged by the study area's changed LSOAs.

    Returns ``"2021"``, ``"2011"``, ``"mixed"`` (codes only in 2011 and only in 2021 both
    occur) or ``"unchanged only"`` (every code exists in both vintages, or none is local).

    Examples
    --------
    >>> from geosafety.geography import StudyArea
    >>> area = StudyArea.sefton()
    >>> detect_lsoa_vintage(pd.Series(["E01006920", "E01006968"]), area)
    '2011'
    >>> detect_lsoa_vintage(pd.Series(["E01033797"]), area)
    '2021'
    """
    old, new = _vintage_flags(codes, area)
    return _vintage_name(bool(old.any()), bool(new.any()))


def _vintage_flags(codes: pd.Series | DistinctValues,
                   area: StudyArea) -> tuple[pd.Series, pd.Series]:
    """Mark codes found only in LSOA 2011 and only in LSOA 2021 (among the area's)."""
    coded = codes if isinstance(codes, DistinctValues) else DistinctValues(codes)
    only_2021 = area.lsoas.index.difference(area.lsoa_lookup["lsoa11_code"])
    return coded.isin(area.lsoa11_only["lsoa11_code"]), coded.isin(only_2021)


def _vintage_name(old: bool, new: bool) -> str:
    return {(True, True): "mixed", (True, False): "2011", (False, True): "2021"}.get(
        (old, new), "unchanged only")


def _split_parts(area: StudyArea, lsoa11: str) -> list[str]:
    lookup = area.lsoa_lookup
    return lookup.loc[lookup["lsoa11_code"] == lsoa11, "lsoa21_code"].tolist()


def _place_lsoa11(records: pd.DataFrame, codes: pd.Series, area: StudyArea,
                  *, x: str, y: str, crs: str) -> tuple[pd.Series, pd.Series]:
    """Map old LSOA 2011 codes to LSOA 2021; return (codes, methods) for those rows."""
    lsoa21 = pd.Series(None, index=codes.index, dtype=object)
    method = pd.Series(None, index=codes.index, dtype=object)
    for old, rows in codes.groupby(codes).groups.items():
        parts = _split_parts(area, old)
        if len(parts) == 1:
            lsoa21[rows], method[rows] = parts[0], Placement.LSOA_2011_LOOKUP
            continue
        points = points_from_xy(records.loc[rows, x], records.loc[rows, y], crs=crs)
        placed = points_in_polygons(points, area.lsoas.loc[parts], nearest_within=100.0)
        largest = area.lsoas.loc[parts, "residents"].idxmax()
        lsoa21[rows] = placed.fillna(largest)
        method[rows] = placed.notna().map({True: Placement.LSOA_2011_SPLIT_BY_POINT,
                                           False: Placement.LSOA_2011_SPLIT_LARGEST})
    return lsoa21, method


def locate_records(
    records: pd.DataFrame,
    area: StudyArea,
    *,
    lsoa_col: str | None = "lsoa_code",
    x: str = "longitude",
    y: str = "latitude",
    crs: str = "EPSG:4326",
) -> tuple[pd.DataFrame, LocationReport]:
    """Give every record an LSOA 2021 code, ward and postcode district, or exclude it.

    Parameters
    ----------
    records : pandas.DataFrame
        Records with an LSOA code column (2011 or 2021 codes) and/or coordinates.
    area : StudyArea
    lsoa_col : str or None
        The LSOA code column; None when records have coordinates only.
    x, y : str
        Coordinate columns.
    crs : str
        CRS of the coordinates: ``"EPSG:4326"`` (longitude/latitude) or ``"EPSG:27700"``
        (British National Grid easting/northing).

    Returns
    -------
    located : pandas.DataFrame
        The kept records with ``lsoa21_code``, ``ward_code``, ``postcode_district`` and
        ``location_method`` added.
    report : LocationReport

    Raises
    ------
    NoRecordsInStudyAreaError
        If no record falls inside the study area; the message says where they are.

    Warns
    -----
    RecordsExcludedWarning
        With the number left out for each reason and the first few.
    DataQualityWarning
        When records in a split LSOA 2011 had no usable coordinates, or a record's
        coordinates are more than 1 km from the LSOA it names.
    """
    codes = (records[lsoa_col].fillna("").astype(str).str.strip() if lsoa_col
             else pd.Series("", index=records.index))
    coded = DistinctValues(codes)
    lsoa21 = codes.where(coded.isin(area.lsoas.index))
    method = pd.Series(Placement.LSOA_CODE, index=records.index, dtype=object).where(
        lsoa21.notna())
    named = lsoa21.notna()
    if named.any() and x in records.columns and y in records.columns:
        xs, ys = project_xy(records.loc[named, x], records.loc[named, y], crs=crs, to_crs=crs)
        warn_far_from_named_lsoa(
            records[named], named_lsoa_distances(xs, ys, lsoa21[named], area, crs=crs),
            lsoa21[named],
            label="police.uk records" if lsoa_col == "lsoa_code" else "records",
            counted="the LSOA named")

    old = coded.isin(area.lsoa11_only["lsoa11_code"])
    if old.any():
        lsoa21[old], method[old] = _place_lsoa11(records, codes[old], area, x=x, y=y, crs=crs)

    no_code = codes.eq("")
    unlocatable = pd.Series(False, index=records.index)
    if no_code.any():
        points = points_from_xy(records.loc[no_code, x], records.loc[no_code, y], crs=crs)
        by_point = points_in_polygons(points, area.lsoas, nearest_within=25.0)
        lsoa21[no_code] = by_point
        method[no_code & lsoa21.notna()] = Placement.POINT_IN_POLYGON
        has_point = points.notna() & ~points.is_empty
        unlocatable[no_code] = ~has_point.to_numpy()

    reason = pd.Series(None, index=records.index, dtype=object)
    reason[lsoa21.isna()] = Placement.OUTSIDE_AREA
    reason[unlocatable] = Placement.NO_CODE_OR_COORDINATES
    keep = reason.isna()
    report = LocationReport(
        rows_read=len(records),
        excluded=_excluded_rows(records, reason),
        methods=method[keep].value_counts(),
        vintages=_vintages(records, coded, area),
    )
    if not keep.any():
        owners = authority_of_lsoas(codes[codes.ne("")]).value_counts()
        choose = (f"The records are in {describe_authorities(owners)}: choose the study area "
                  f"with --area, e.g. --area {authorities().loc[owners.index[0], 'lad_name']!r}."
                  if len(owners) else f"Check that the files are for {area.name}'s police "
                  "force, or give the right study area.")
        raise NoRecordsInStudyAreaError(
            f"None of the {len(records):,} records falls inside {area.name}. "
            f"Outside the study area: {report.describe_outside()}. "
            f"No location: {int((reason == Placement.NO_CODE_OR_COORDINATES).sum()):,}. "
            + choose, report)
    _warn_exclusions(report, area)
    fallback = int((method == Placement.LSOA_2011_SPLIT_LARGEST).sum())
    if fallback:
        warnings.warn(
            f"{fallback:,} records in a split LSOA 2011 had no usable coordinates and were "
            "given the split's most populous LSOA 2021 part.", DataQualityWarning, stacklevel=2,
        )
    located = records[keep].copy()
    located["lsoa21_code"] = lsoa21[keep].astype(str)
    located["ward_code"] = assign_ward(located["lsoa21_code"], area)
    located["postcode_district"] = assign_postcode_district(located["lsoa21_code"], area)
    located["location_method"] = method[keep]
    return located, report


def _where(rows: pd.DataFrame) -> str:
    """Name the first of some records: file and row when known, else its index label."""
    return row_label(rows, rows.index[0])


def _excluded_rows(records: pd.DataFrame, reason: pd.Series) -> pd.DataFrame:
    wanted = ["source_file", "source_row", "month", "crime_type", "lsoa_code", "lsoa_name",
              "falls_within", "longitude", "latitude"]
    present = [c for c in wanted if c in records.columns] or list(records.columns)
    left_out = reason.notna()
    excluded = (records.loc[left_out, present].copy() if left_out.any()
                else records[present].iloc[:0].copy())
    excluded.insert(min(2, excluded.shape[1]), "reason", reason[reason.notna()])
    return excluded


def _vintages(records: pd.DataFrame, coded: DistinctValues, area: StudyArea) -> pd.Series:
    codes = coded.values
    assert isinstance(codes, pd.Series)  # locate_records numbers a series of codes
    if "source_file" not in records.columns:
        return pd.Series({"(records)": detect_lsoa_vintage(codes, area)})
    old, new = _vintage_flags(coded, area)
    file, files = pd.factorize(records["source_file"], sort=True)
    known = file >= 0  # rows without a file name are not any file's
    any_old = np.bincount(file[known], weights=old.to_numpy()[known], minlength=len(files))
    any_new = np.bincount(file[known], weights=new.to_numpy()[known], minlength=len(files))
    return pd.Series([_vintage_name(o > 0, n > 0) for o, n in zip(any_old, any_new,
                                                                  strict=True)],
                     index=pd.Index(files, name="source_file"), name=codes.name)


def _warn_exclusions(report: LocationReport, area: StudyArea) -> None:
    counts = report.exclusions()
    if counts.get(Placement.OUTSIDE_AREA):
        warnings.warn(
            f"{counts[Placement.OUTSIDE_AREA]:,} of {report.rows_read:,} records fall outside "
            f"{area.name} and were left out: {report.describe_outside()}.",
            RecordsExcludedWarning, stacklevel=3,
        )
    unlocatable = counts.get(Placement.NO_CODE_OR_COORDINATES)
    if unlocatable:
        first = _where(report.excluded[
            report.excluded["reason"] == Placement.NO_CODE_OR_COORDINATES])
        warnings.warn(
            f"{unlocatable:,} records have neither an LSOA code nor usable "
            f"coordinates and were left out (first: {first}).", RecordsExcludedWarning,
            stacklevel=3,
        )


def files_read(records: pd.DataFrame, report: LocationReport) -> pd.DataFrame:
    """One row per file read: its records, first and last month, and LSOA vintage.

    Files with no record in the period show the vintage "(none in period)".
    """
    files = records.groupby("source_file", sort=True).agg(
        records=("source_row", "size"), first_month=("month", "min"), last_month=("month", "max")
    )
    files["lsoa_vintage"] = report.vintages.reindex(files.index).fillna("(none in period)")
    return files.reset_index()
