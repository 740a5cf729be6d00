"""Assigning records to LSOAs, wards and postcode districts.

Two methods exist for each level and geosafety says which it used:

* **LSOA**: the record's own LSOA code where it has one (police.uk gives the LSOA of its
  anonymised map point), otherwise point in polygon of its coordinates.
* **Ward and postcode district**: the ONS best-fit lookup from the record's LSOA (the
  default, so event counts and population denominators use the same areas), or point in
  polygon of the record's coordinates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from geosafety._errors import InvalidOptionError

if TYPE_CHECKING:
    from geosafety.geography.study_area import StudyArea


def points_in_polygons(
    points: gpd.GeoSeries, polygons: gpd.GeoDataFrame, *, nearest_within: float = 0.0
) -> pd.Series:
    """Return, for each point, the index label of the polygon containing it.

    Parameters
    ----------
    points : geopandas.GeoSeries
        Points (empty or None geometries allowed) in any CRS; reprojected to the polygons'.
    polygons : geopandas.GeoDataFrame
        Non-overlapping polygons; their index labels are returned.
    nearest_within : float
        Points outside every polygon but within this distance (CRS units, metres for BNG)
        of one go to the nearest; 0 leaves them unassigned. Generalised boundaries leave
        slivers along shared edges and coasts, so 1-50 m is a sensible tolerance.

    Returns
    -------
    pandas.Series
        Aligned to ``points``; missing (NA) where a point is outside every polygon or empty.
        A point on a shared edge goes to the first polygon in index order.

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> squares = gpd.GeoDataFrame(geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)],
    ...                            index=["A", "B"], crs="EPSG:27700")
    >>> pts = gpd.GeoSeries([Point(5, 5), Point(15, 5), Point(10, 5), Point(50, 50), None],
    ...                     crs="EPSG:27700")
    >>> points_in_polygons(pts, squares).tolist()
    ['A', 'B', 'A', nan, nan]
    """
    points = points.to_crs(polygons.crs) if points.crs != polygons.crs else points
    located = points[points.notna() & ~points.is_empty]
    result = pd.Series(None, index=points.index, dtype=object)
    if located.empty:
        return result
    frame = gpd.GeoDataFrame(geometry=located.reset_index(drop=True))
    tree = polygons.geometry.reset_index(drop=True)
    point_pos, poly_pos = tree.sindex.query(frame.geometry, predicate="intersects")
    pairs = pd.DataFrame({"point": point_pos, "poly": poly_pos}).sort_values(["point", "poly"])
    pairs = pairs.drop_duplicates("point")
    labels = polygons.index.to_numpy()[pairs["poly"].to_numpy()]
    result.iloc[points.index.get_indexer(located.index[pairs["point"].to_numpy()])] = labels
    if nearest_within > 0:
        unassigned = located.index[~located.index.isin(located.index[pairs["point"].to_numpy()])]
        if len(unassigned):
            near_pt, near_poly = tree.sindex.nearest(
                points.loc[unassigned], max_distance=nearest_within, return_all=False
            )
            result.loc[unassigned[near_pt]] = polygons.index.to_numpy()[near_poly]
    return result


def assign_lsoa(
    points: gpd.GeoSeries, area: StudyArea, *, nearest_within: float = 25.0
) -> pd.Series:
    """Assign points (any CRS; easting/northing or lon/lat) to LSOA 2021 codes.

    Points outside the study area are NA. Points within ``nearest_within`` metres of the
    (generalised) boundary go to the nearest LSOA.

    Examples
    --------
    >>> from geosafety.geography import StudyArea, points_from_xy
    >>> area = StudyArea.sefton()
    >>> pts = points_from_xy(pd.Series([333740, 350000]), pd.Series([397415, 380000]),
    ...                      crs="EPSG:27700")
    >>> assign_lsoa(pts, area).tolist()
    ['E01007016', nan]
    """
    return points_in_polygons(points, area.lsoas, nearest_within=nearest_within).rename(
        "lsoa21_code"
    )


def assign_ward(
    lsoa_codes: pd.Series,
    area: StudyArea,
    *,
    method: str = "best-fit",
    points: gpd.GeoSeries | None = None,
) -> pd.Series:
    """Assign records to wards.

    Parameters
    ----------
    lsoa_codes : pandas.Series
        LSOA 2021 codes of the records.
    area : StudyArea
    method : {"best-fit", "point-in-polygon"}
        ``"best-fit"`` uses the ONS best-fit LSOA -> ward lookup (the same areas as the
        ward population); ``"point-in-polygon"`` uses ``points``, falling back to best fit
        for records without a point.
    points : geopandas.GeoSeries, optional
        Needed for ``"point-in-polygon"``.

    Returns
    -------
    pandas.Series
        Ward codes aligned to ``lsoa_codes``.
    """
    return _assign_level(lsoa_codes, area, "ward", method=method, points=points)


def assign_postcode_district(
    lsoa_codes: pd.Series,
    area: StudyArea,
    *,
    method: str = "best-fit",
    points: gpd.GeoSeries | None = None,
) -> pd.Series:
    """Assign records to postcode districts (best fit of their LSOA, or point in polygon).

    Parameters are as for :func:`assign_ward`.
    """
    return _assign_level(lsoa_codes, area, "postcode_district", method=method, points=points)


def _assign_level(
    lsoa_codes: pd.Series,
    area: StudyArea,
    level: str,
    *,
    method: str,
    points: gpd.GeoSeries | None,
) -> pd.Series:
    best_fit = area.level_code(lsoa_codes, level).rename(level if level != "ward" else "ward_code")
    if method == "best-fit":
        return best_fit
    if method != "point-in-polygon":
        raise InvalidOptionError(
            f"method must be 'best-fit' or 'point-in-polygon', not {method!r}.")
    if points is None:
        raise InvalidOptionError("method='point-in-polygon' needs the records' points.")
    polygons = area.wards if level == "ward" else area.postcode_districts
    by_point = points_in_polygons(points, polygons, nearest_within=25.0)
    return by_point.fillna(best_fit).rename(best_fit.name)
