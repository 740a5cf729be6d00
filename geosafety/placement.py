"""Placing point records (fires, crimes, premises) in the study area's areas."""

from __future__ import annotations

import pandas as pd

from geosafety import _validate as v
from geosafety._errors import InputFileError
from geosafety.assign import assign_lsoa
from geosafety.cases import BY_LSOA, UNKNOWN_LSOA, WARD_ONLY, lsoa21_from_codes, match_wards
from geosafety.points import coordinates_look_like, missing_coordinates, points_from_xy
from geosafety.study_area import StudyArea
from geosafety.tables import Field

#: Location fields of point records.
LOCATION_FIELDS = (
    Field("easting", ("eastings", "x", "grid easting", "easting bng", "x coordinate")),
    Field("northing", ("northings", "y", "grid northing", "northing bng", "y coordinate")),
    Field("latitude", ("lat",)),
    Field("longitude", ("lon", "long", "lng")),
    Field("lsoa", ("lsoa code", "lsoa21cd", "lsoa11cd", "lsoa 2021 code", "lsoa 2011 code",
                   "lsoa21", "lsoa11", "lower super output area")),
    Field("ward", ("ward name", "ward code", "electoral ward")),
)
#: Location fields of point records, in the order they are tried.
LOCATION_GROUPS = (("easting", "northing"), ("latitude", "longitude"), ("lsoa",), ("ward",))
BY_COORDINATES = "placed by coordinates"
OUTSIDE = "outside the study area"
#: Placement statuses of records that are in the study area.
PLACED = (BY_COORDINATES, BY_LSOA, WARD_ONLY)


def check_coordinates(table: pd.DataFrame, found: dict[str, str], problems: list[str]) -> None:
    """Add a problem for every coordinate column holding something other than a number."""
    for name in ("easting", "northing", "latitude", "longitude"):
        if name in found:
            v.check_column(table, found[name], v.is_number_or_empty,
                           "a number or an empty cell", problems)


def place_by_coordinates(table: pd.DataFrame, found: dict[str, str], area: StudyArea,
                         label: str) -> pd.DataFrame:
    """Place records by coordinates, falling back to an LSOA code, then a ward name or code.

    Parameters
    ----------
    table : pandas.DataFrame
        The records, every value a string.
    found : dict
        ``{field: column}`` with any of ``easting``/``northing`` (EPSG:27700),
        ``longitude``/``latitude`` (EPSG:4326) and ``ward``.
    area : StudyArea
    label : str
        The file, for messages.

    Returns
    -------
    pandas.DataFrame
        ``lsoa21_code``, ``ward_code``, ``postcode_district`` (None where not placed at that
        level) and ``placement``: "placed by coordinates", "placed by LSOA code" (LSOA 2021
        codes, or 2011 codes through the ONS lookup), "ward only", "outside the study
        area", "LSOA code not in the study area" or "no location".

    Raises
    ------
    InputFileError
        If the coordinates given look like the other coordinate system.
    """
    out = pd.DataFrame({"lsoa21_code": None, "ward_code": None, "postcode_district": None,
                        "placement": "no location"}, index=table.index, dtype=object)
    for x, y in (("easting", "northing"), ("longitude", "latitude")):
        if x in found and y in found:
            crs = "EPSG:27700" if x == "easting" else "EPSG:4326"
            xs, ys = table[found[x]], table[found[y]]
            guessed = coordinates_look_like(xs, ys)
            if guessed not in (None, crs):
                raise InputFileError(label, [
                    f"columns {found[x]!r}/{found[y]!r} look like {guessed} coordinates, not "
                    f"{crs}"], hint="map the columns to the right fields.")
            todo = out["lsoa21_code"].isna() & ~missing_coordinates(xs, ys)
            lsoa = assign_lsoa(points_from_xy(xs[todo], ys[todo], crs=crs), area)
            out.loc[lsoa.index, "placement"] = OUTSIDE
            out.loc[lsoa.dropna().index, "lsoa21_code"] = lsoa.dropna()
            out.loc[lsoa.dropna().index, "placement"] = BY_COORDINATES
    if "lsoa" in found:
        todo = out["placement"].eq("no location")
        codes = table.loc[todo, found["lsoa"]].str.strip().str.upper()
        mapped = lsoa21_from_codes(codes, area)
        out.loc[mapped.dropna().index, "lsoa21_code"] = mapped.dropna()
        out.loc[mapped.dropna().index, "placement"] = BY_LSOA
        out.loc[codes.index[codes.ne("") & mapped.isna()], "placement"] = UNKNOWN_LSOA
    placed = out["lsoa21_code"].notna()
    out.loc[placed, "ward_code"] = area.level_code(out.loc[placed, "lsoa21_code"], "ward")
    out.loc[placed, "postcode_district"] = area.level_code(out.loc[placed, "lsoa21_code"],
                                                           "postcode_district")
    if "ward" in found:
        todo = ~placed & out["placement"].isin(["no location", UNKNOWN_LSOA])
        wards = match_wards(table.loc[todo, found["ward"]], area).dropna()
        out.loc[wards.index, "ward_code"] = wards
        out.loc[wards.index, "placement"] = WARD_ONLY
    return out
