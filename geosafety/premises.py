"""Reading night-time economy premises (pubs, bars, nightclubs, takeaways) as map points.

Councils hold premises in their local land and property gazetteer (LLPG) or licensing
register. An extract needs a location (easting/northing or longitude/latitude) and
usefully a name and a classification. Where a classification column is present, only the
night-time classes are kept: by default the AddressBase classification codes CR06 (public
house, bar or nightclub), CR07 (restaurant or cafeteria) and CR10 (fast food outlet or
takeaway); codes are matched by prefix, so "CR06" keeps "CR06PH" too.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import pandas as pd

from geosafety import _validate as v
from geosafety.placement import LOCATION_FIELDS, check_coordinates, place_by_coordinates
from geosafety.points import points_from_xy
from geosafety.sources import Source, find_source_files
from geosafety.study_area import StudyArea
from geosafety.tables import Field, read_table, resolve_columns

logger = logging.getLogger(__name__)

NTE_CLASSES = ("CR06", "CR07", "CR10")
PREMISES_FIELDS = (
    Field("name", ("organisation name", "organisation", "premises name", "business name",
                   "trading name", "name", "premises")),
    Field("classification", ("classification code", "class code", "blpu class",
                             "classification", "blpu classification")),
    Field("description", ("classification description", "premises type", "type",
                          "description", "use")),
    *(f for f in LOCATION_FIELDS if f.name not in ("ward", "lsoa")),
)


def read_premises(
    source: Source,
    area: StudyArea,
    *,
    columns: Mapping[str, str] | None = None,
    classes: Sequence[str] = NTE_CLASSES,
) -> pd.DataFrame:
    """Read premises points, keep the night-time classes, and place them in the area.

    Parameters
    ----------
    source : path or list of paths
        CSV or Excel extracts.
    area : StudyArea
    columns : mapping, optional
        ``{field: column}``: ``name``, ``classification``, ``description``, and
        ``easting``/``northing`` (EPSG:27700) or ``latitude``/``longitude``.
    classes : sequence of str
        Classification code prefixes to keep when the file has a classification column.

    Returns
    -------
    pandas.DataFrame
        ``source_file``, ``name``, ``classification``, ``description``, ``longitude``, ``latitude``,
        ``lsoa21_code``, ``ward_code``, ``postcode_district``; premises outside the study
        area or without a location are left out (logged).

    Raises
    ------
    InputFileError
        If no location columns are found or coordinates are not numbers.

    Examples
    --------
    >>> from geosafety.datasets import get_path
    >>> venues = read_premises(get_path("synthetic_nte_premises"), StudyArea.sefton())
    >>> sorted(venues["classification"].unique())
    ['CR06', 'CR07', 'CR10']
    """
    frames = []
    for file in find_source_files(source, pattern=""):
        table = read_table(file)
        found = resolve_columns(table, PREMISES_FIELDS, label=file.label, mapping=columns,
                                one_of=(("easting", "northing"), ("latitude", "longitude")))
        problems: list[str] = []
        check_coordinates(table, found, problems)
        v.raise_cell_problems(file.label, problems)
        if "classification" in found:
            codes = table[found["classification"]].str.strip().str.upper()
            keep = codes.str.startswith(tuple(c.upper() for c in classes))
            logger.info("%s: kept %d of %d premises in classes %s", file.label,
                        int(keep.sum()), len(table), ", ".join(classes))
            table = table[keep]
        placed = place_by_coordinates(table, found, area, file.label)
        out = pd.DataFrame({
            "source_file": file.label,
            "name": table[found["name"]].str.strip() if "name" in found else "",
            "classification": (table[found["classification"]].str.strip().str.upper()
                               if "classification" in found else ""),
            "description": (table[found["description"]].str.strip()
                            if "description" in found else ""),
        }, index=table.index).join(placed)
        inside = out["placement"] == "placed by coordinates"
        if (~inside).any():
            logger.info("%s: %d premises outside %s or without a location left out",
                        file.label, int((~inside).sum()), area.name)
        points = _lon_lat(table.loc[inside], found)
        frames.append(out[inside].join(points))
    return pd.concat(frames, ignore_index=True).drop(columns="placement")


def _lon_lat(table: pd.DataFrame, found: dict[str, str]) -> pd.DataFrame:
    if "easting" in found and "northing" in found:
        points = points_from_xy(table[found["easting"]], table[found["northing"]],
                                crs="EPSG:27700", to_crs="EPSG:4326")
    else:
        points = points_from_xy(table[found["longitude"]], table[found["latitude"]],
                                crs="EPSG:4326", to_crs="EPSG:4326")
    return pd.DataFrame({"longitude": points.x.round(6), "latitude": points.y.round(6)},
                        index=table.index)
