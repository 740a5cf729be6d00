"""Questioning locations: coordinates far from the LSOA a record names.

police.uk gives every record both a map point and the LSOA of that point, and partner
extracts often give both too. The two should agree: in the 24,064 Sefton records of 2025
no point is more than 19 m from its LSOA (the snap points lie on or inside boundaries).
A point kilometres away means a wrong code, a wrong coordinate or a mix of coordinate
systems, which the analyst should know before mapping either.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geosafety._errors import DataQualityWarning
from geosafety._lookup import positions_in
from geosafety.geography.points import BNG, project_xy, reprojected
from geosafety.io._validate import row_label

if TYPE_CHECKING:
    from geosafety.geography.study_area import StudyArea

#: How far (metres) a point may lie from the LSOA its record names before it is questioned.
FAR_FROM_LSOA_M = 1_000.0


def distance_to_named_lsoa(points: gpd.GeoSeries, codes: pd.Series,
                           area: StudyArea) -> pd.Series:
    """Metres from each point to the study-area LSOA its record names (NaN when either is missing).

    Parameters
    ----------
    points : geopandas.GeoSeries
        In British National Grid, aligned with ``codes``; None for no point.
    codes : pandas.Series
        LSOA 2021 codes (others, and empty values, give NaN).
    area : StudyArea

    Examples
    --------
    >>> from geosafety.geography import StudyArea, points_from_xy
    >>> area = StudyArea.sefton()
    >>> code = area.lsoas.index[0]
    >>> inside = area.lsoas.geometry.iloc[0].representative_point()
    >>> points = points_from_xy(pd.Series([inside.x, inside.x + 5_000]),
    ...                         pd.Series([inside.y, inside.y]), crs="EPSG:27700")
    >>> distance_to_named_lsoa(points, pd.Series([code, code]), area).round(-3).tolist()
    [0.0, 5000.0]
    """
    usable = points.notna().to_numpy() & ~points.is_empty.to_numpy()
    xs = np.where(usable, shapely.get_x(points.to_numpy()), np.nan)
    ys = np.where(usable, shapely.get_y(points.to_numpy()), np.nan)
    return pd.Series(named_lsoa_distances(xs, ys, codes, area), index=codes.index)


def named_lsoa_distances(xs: np.ndarray, ys: np.ndarray, codes: pd.Series, area: StudyArea,
                         *, crs: str = BNG) -> np.ndarray:
    """Metres from each point ``(x, y)`` to the LSOA named beside it.

    NaN where a coordinate is NaN or the code is not a study-area LSOA 2021. Points on or
    inside their LSOA (nearly all) are found with one prepared point-in-polygon test in
    the points' own CRS (``crs``; the LSOAs are projected to it once) and are 0 m away;
    only the rest are projected to British National Grid and measured.

    Examples
    --------
    >>> from geosafety.geography import StudyArea
    >>> area = StudyArea.sefton()
    >>> inside = area.lsoas.geometry.iloc[0].representative_point()
    >>> named_lsoa_distances(np.array([inside.x, inside.x + 5_000, np.nan]),
    ...                      np.array([inside.y, inside.y, inside.y]),
    ...                      pd.Series([area.lsoas.index[0]] * 3), area).round(-3).tolist()
    [0.0, 5000.0, nan]
    """
    where = positions_in(area.lsoas.index, codes)
    usable = (where >= 0) & ~np.isnan(xs) & ~np.isnan(ys)
    distance = np.full(len(codes), np.nan)
    if not usable.any():
        return distance
    polygons = area.lsoas.geometry.to_numpy()
    drawn = polygons if crs == BNG else reprojected(polygons, crs=area.lsoas.crs.to_string(),
                                                    to_crs=crs)
    shapely.prepare(drawn)
    x, y, named = xs[usable], ys[usable], where[usable]
    away = ~shapely.intersects_xy(drawn[named], x, y)
    found_distance = np.zeros(len(named))
    if away.any():
        ax, ay = project_xy(pd.Series(x[away]), pd.Series(y[away]), crs=crs)
        found_distance[away] = shapely.distance(shapely.points(ax, ay), polygons[named[away]])
    distance[usable] = found_distance
    return distance


def warn_far_from_named_lsoa(records: pd.DataFrame, distance: np.ndarray | pd.Series,
                             codes: pd.Series, *, label: str, counted: str) -> None:
    """Warn of records whose point is more than :data:`FAR_FROM_LSOA_M` from their LSOA.

    Parameters
    ----------
    records : pandas.DataFrame
        For the message: ``source_file`` and ``source_row`` when known.
    distance : array-like
        Metres from each record's point to the LSOA it names (:func:`distance_to_named_lsoa`
        or :func:`named_lsoa_distances`), aligned with ``records``.
    codes : pandas.Series
        The LSOA each record names, aligned with ``records``.
    label : str
        The records or file, for the message.
    counted : str
        Which of the two the record is counted by ("the LSOA named").
    """
    metres = np.asarray(distance, float)
    far = metres > FAR_FROM_LSOA_M
    if not far.any():
        return
    quoted = []
    for position in np.flatnonzero(far)[:3]:
        quoted.append(f"{row_label(records, records.index[position])}: "
                      f"{codes.iloc[position]} is {metres[position] / 1000:.1f} km away")
    warnings.warn(
        f"{label}: {'1 record has' if far.sum() == 1 else f'{int(far.sum()):,} records have'} "
        "coordinates more than "
        f"{FAR_FROM_LSOA_M / 1000:g} km from the LSOA they name ({'; '.join(quoted)}"
        f"{'; ...' if far.sum() > 3 else ''}). They are counted in {counted}; check the "
        "codes and coordinates with the data's owner.", DataQualityWarning, stacklevel=3)
