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

import geopandas as gpd
import pandas as pd

from geosafety.io import _validate as v
from geosafety.io.columns import LOCATION_FIELDS, Field, resolve_columns
from geosafety.io.placing import Placer
from geosafety.io.sources import Source, find_source_files
from geosafety.io.tabular import read_table

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
    area: Placer,
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
        Places each premises (:meth:`~geosafety.geography.StudyArea.place_points`).
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
    NoRecordsInStudyAreaError
        If no record of a file can be placed in the study area (a file for another area).

    Examples
    --------
    >>> from geosafety.geography import StudyArea
    >>> from geosafety.io.datasets import get_path
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
        v.check_coordinates(table, found, problems)
        v.raise_cell_problems(file.label, problems)
        if "classification" in found:
            codes = table[found["classification"]].str.strip().str.upper()
            keep = codes.str.startswith(tuple(c.upper() for c in classes))
            logger.info("%s: kept %d of %d premises in classes %s", file.label,
                        int(keep.sum()), len(table), ", ".join(classes))
            table = table[keep]
        placed = area.place_points(table, found, file.label)
        v.require_placed(file.label, placed, area.name, "premises")
        out = pd.DataFrame({
            "source_file": file.label,
            "name": table[found["name"]].str.strip() if "name" in found else "",
            "classification": (table[found["classification"]].str.strip().str.upper()
                               if "classification" in found else ""),
            "description": (table[found["description"]].str.strip()
                            if "description" in found else ""),
        }, index=table.index).join(placed)
        inside = out["lsoa21_code"].notna()  # premises are placed by coordinates only
        if (~inside).any():
            logger.info("%s: %d premises outside %s or without a location left out",
                        file.label, int((~inside).sum()), area.name)
        points = _lon_lat(table.loc[inside], found)
        frames.append(out[inside].join(points))
    return pd.concat(frames, ignore_index=True).drop(columns="placement")


def _lon_lat(table: pd.DataFrame, found: dict[str, str]) -> pd.DataFrame:
    """Longitude and latitude (WGS84) of premises placed by their coordinates."""
    if "easting" in found and "northing" in found:
        x, y, crs = found["easting"], found["northing"], "EPSG:27700"
    else:
        x, y, crs = found["longitude"], found["latitude"], "EPSG:4326"
    xs, ys = (pd.to_numeric(table[c], errors="coerce") for c in (x, y))
    points = gpd.GeoSeries(gpd.points_from_xy(xs, ys), index=table.index,
                           crs=crs).to_crs("EPSG:4326")
    return pd.DataFrame({"longitude": points.x.round(6), "latitude": points.y.round(6)},
                        index=table.index)
