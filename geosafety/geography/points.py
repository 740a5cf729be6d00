"""Turning coordinate columns into points, from longitude/latitude or easting/northing."""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from geosafety._memo import IdentityMemo

#: The projected CRS all geometry work is done in: British National Grid.
BNG = "EPSG:27700"

#: Rough British National Grid extent of Great Britain, to catch swapped or mis-scaled columns.
_BNG_BOUNDS = (-10_000.0, -10_000.0, 700_000.0, 1_300_000.0)


def missing_coordinates(x: pd.Series, y: pd.Series) -> pd.Series:
    """Return True where a coordinate pair is empty, not finite, or (0, 0).

    police.uk and partner extracts use (0, 0) to mean "no location".

    Examples
    --------
    >>> missing_coordinates(pd.Series([0.0, None, -3.0]), pd.Series([0.0, 53.4, 53.4])).tolist()
    [True, True, False]
    """
    x = pd.to_numeric(x, errors="coerce")
    y = pd.to_numeric(y, errors="coerce")
    return ~(np.isfinite(x) & np.isfinite(y)) | ((x == 0) & (y == 0))


def points_from_xy(
    x: pd.Series, y: pd.Series, *, crs: str = "EPSG:4326", to_crs: str = BNG
) -> gpd.GeoSeries:
    """Build points from coordinate columns; missing or (0, 0) pairs give empty geometries.

    Parameters
    ----------
    x, y : pandas.Series
        Longitude and latitude (``crs="EPSG:4326"``) or easting and northing
        (``crs="EPSG:27700"``). Strings are parsed as numbers.
    crs : str
        The coordinates' CRS.
    to_crs : str
        The CRS of the returned points (British National Grid by default).

    Returns
    -------
    geopandas.GeoSeries
        Aligned to ``x``'s index; None where coordinates are missing.

    Examples
    --------
    >>> pts = points_from_xy(pd.Series([337000, 0]), pd.Series([397000, 0]), crs="EPSG:27700")
    >>> pts.iloc[0].wkt, pts.iloc[1] is None
    ('POINT (337000 397000)', True)
    """
    xs, ys = project_xy(x, y, crs=crs, to_crs=to_crs)
    geometry = shapely.points(xs, ys)
    geometry[np.isnan(xs)] = None
    return gpd.GeoSeries(geometry, index=x.index, crs=to_crs)


def project_xy(x: pd.Series, y: pd.Series, *, crs: str = "EPSG:4326",
               to_crs: str = BNG) -> tuple[np.ndarray, np.ndarray]:
    """Coordinate columns as float arrays in ``to_crs``; NaN where missing or (0, 0).

    What :func:`points_from_xy` does without making the points, for work that needs only
    the numbers.

    Examples
    --------
    >>> xs, ys = project_xy(pd.Series([337000, 0]), pd.Series([397000, 0]),
    ...                     crs="EPSG:27700")
    >>> xs.tolist(), ys.tolist()
    ([337000.0, nan], [397000.0, nan])
    """
    xs, ys = _floats(x), _floats(y)
    missing = ~(np.isfinite(xs) & np.isfinite(ys)) | ((xs == 0) & (ys == 0))
    if crs != to_crs:  # what GeoSeries.to_crs does, on the arrays before points are made
        xs, ys = _transformer(crs, to_crs).transform(xs, ys)
    xs, ys = np.array(xs, float), np.array(ys, float)
    xs[missing] = np.nan
    ys[missing] = np.nan
    return xs, ys


def _floats(values: pd.Series) -> np.ndarray:
    """Numbers as a float array (NaN where empty or not a number)."""
    if values.dtype.kind != "f":
        values = pd.to_numeric(values, errors="coerce")
    return values.to_numpy(float, na_value=np.nan)


def reprojected(geometries: np.ndarray, *, crs: str, to_crs: str) -> np.ndarray:
    """Project shapes to another CRS, remembering the last few sets of shapes projected.

    A study area's polygons are projected once per CRS asked for, not on every call; the
    shapes are recognised by identity (shapely geometries never change).

    Examples
    --------
    >>> square = np.array([shapely.box(337000, 397000, 337100, 397100)])
    >>> lonlat = reprojected(square, crs=BNG, to_crs="EPSG:4326")
    >>> [round(v, 3) for v in lonlat[0].bounds]
    [-2.95, 53.466, -2.949, 53.467]
    >>> reprojected(square, crs=BNG, to_crs="EPSG:4326") is lonlat
    True
    """
    transformer = _transformer(crs, to_crs)
    return _REPROJECTED.get(geometries, (crs, to_crs), lambda: shapely.transform(
        geometries, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))))


#: Shapes projected by :func:`reprojected`, by the originals and the two CRSs.
_REPROJECTED = IdentityMemo[np.ndarray](kept=8)


@cache
def _transformer(crs: str, to_crs: str) -> Transformer:
    """Return the transformer GeoSeries.to_crs would use (x, y order), made once per pair."""
    return Transformer.from_crs(CRS.from_user_input(crs), CRS.from_user_input(to_crs),
                                always_xy=True)


def coordinates_look_like(x: pd.Series, y: pd.Series) -> str | None:
    """Guess whether coordinate columns hold lon/lat or BNG easting/northing.

    Returns ``"EPSG:4326"``, ``"EPSG:27700"`` or None when neither fits every value.

    Examples
    --------
    >>> coordinates_look_like(pd.Series([-3.0]), pd.Series([53.5]))
    'EPSG:4326'
    >>> coordinates_look_like(pd.Series([334000]), pd.Series([398000]))
    'EPSG:27700'
    """
    xs = pd.to_numeric(x, errors="coerce")
    ys = pd.to_numeric(y, errors="coerce")
    keep = ~missing_coordinates(xs, ys)
    xs, ys = xs[keep], ys[keep]
    if xs.empty:
        return None
    if xs.between(-180, 180).all() and ys.between(-90, 90).all():
        return "EPSG:4326"
    x0, y0, x1, y1 = _BNG_BOUNDS
    if xs.between(x0, x1).all() and ys.between(y0, y1).all():
        return "EPSG:27700"
    return None
