"""Placing point records (fires, crimes, premises) in the study area's areas."""

from __future__ import annotations

import pandas as pd

from geosafety import _validate as v
from geosafety._errors import InputFileError
from geosafety.assign import assign_lsoa
from geosafety.cases import WARD_ONLY, match_wards
from geosafety.points import coordinates_look_like, missing_coordinates, points_from_xy
from geosafety.study_area import StudyArea
from geosafety.tables import Field

#: Location fields of point records.
LOCATION_FIELDS = (
    Field("easting", ("eastings", "x", "grid easting", "easting bng", "x coordinate")),
    Field("northing", ("northings", "y", "grid northing", "northing bng", "y coordinate")),
    Field("latitude", ("lat",)),
    Field("longitude", ("lon", "long", "lng")),
    Field("ward", ("ward name", "ward code", "electoral ward")),
)
#: Location fields of point records, in the order they are tried.
LOCATION_GROUPS = (("easting", "northing"), ("latitude", "longitude"), ("ward",))


def check_coordinates(table: pd.DataFrame, found: dict[str, str], problems: list[str]) -> None:
    """Add a problem for every coordinate column holding something other than a number."""
    for name in ("easting", "northing", "latitude", "longitude"):
        if name in found:
            v.check_column(table, found[name], v.is_number_or_empty,
                           "a number or an empty cell", problems)


def place_by_coordinates(table: pd.DataFrame, found: dict[str, str], area: StudyArea,
                         label: str) -> pd.DataFrame:
    """Place records by coordinates, falling back to a ward name or code.

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
        level) and ``placement``: "placed by coordinates", "ward only", "outside the study
        area" or "no location".

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
            out.loc[lsoa.index, "placement"] = "outside the study area"
            out.loc[lsoa.dropna().index, "lsoa21_code"] = lsoa.dropna()
            out.loc[lsoa.dropna().index, "placement"] = "placed by coordinates"
    placed = out["lsoa21_code"].notna()
    out.loc[placed, "ward_code"] = area.level_code(out.loc[placed, "lsoa21_code"], "ward")
    out.loc[placed, "postcode_district"] = area.level_code(out.loc[placed, "lsoa21_code"],
                                                           "postcode_district")
    if "ward" in found:
        todo = ~placed & out["placement"].eq("no location")
        wards = match_wards(table.loc[todo, found["ward"]], area).dropna()
        out.loc[wards.index, "ward_code"] = wards
        out.loc[wards.index, "placement"] = WARD_ONLY
    return out
