"""Who neighbours whom: contiguity of areas and a regular grid of cells over the study area.

* **Areas** (LSOAs, wards, postcode districts) neighbour when their polygons share a point
  (queen contiguity, libpysal), with binary weights.
* **Grid cells** are squares over the study area in British National Grid metres. Without a
  cell size, the shorter side of the study area's bounding box gets 50 cells, rounded to a
  multiple of 100 m (the rule sfhotspot uses); only cells touching the study area are kept.
  Cells neighbour when their centres are within one diagonal (the eight around a cell).
"""

from __future__ import annotations

import hashlib
import warnings
from collections import OrderedDict
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import box

from geosafety._memo import IdentityMemo

if TYPE_CHECKING:
    from libpysal.weights import W

#: Cells along the shorter side of the study area, when no cell size is given.
CELLS_ON_SHORTER_SIDE = 50


def contiguity_weights(frame: gpd.GeoDataFrame) -> W:
    """Queen contiguity of the frame's polygons, binary, with ids from its index.

    Areas without a neighbour (islands) are kept with none; libpysal's warnings about them
    are silenced here and the islands are listed in ``weights.islands``. Each area's
    neighbours are listed in the frame's order, so results are the same on every run.

    Examples
    --------
    >>> cells = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(5, 5, 6, 6)],
    ...                          index=["a", "b", "c"])
    >>> w = contiguity_weights(cells)
    >>> dict(w.neighbors), w.islands
    ({'a': ['b'], 'b': ['a'], 'c': []}, ['c'])
    """
    from libpysal.weights import Queen
    from libpysal.weights import W as Weights

    key = _known_layout(frame)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if key in _QUEEN_FOUND:
            _QUEEN_FOUND.move_to_end(key)
        else:
            # libpysal lists neighbours in an order that can change between runs (it goes
            # through sets), and sums over neighbours (smoothed rates, spatial lags) would
            # then differ in their last digits; each list is kept in the frame's order.
            found = Queen.from_dataframe(frame, use_index=True).neighbors
            position = {code: i for i, code in enumerate(frame.index)}
            _QUEEN_FOUND[key] = {k: sorted(v, key=position.__getitem__)
                                 for k, v in found.items()}
            if len(_QUEEN_FOUND) > _QUEEN_KEPT:
                _QUEEN_FOUND.popitem(last=False)
        weights = Weights({k: list(v) for k, v in _QUEEN_FOUND[key].items()},
                          id_order=list(frame.index))
        weights.transform = "B"
    return weights


#: Neighbour lists found by libpysal, by :func:`_layout_key`; each caller gets its own W.
_QUEEN_FOUND: OrderedDict[str, dict[object, list[object]]] = OrderedDict()
#: How many layouts to remember (a few levels of a few authorities).
_QUEEN_KEPT = 64


def _known_layout(frame: gpd.GeoDataFrame) -> str:
    """Return :func:`_layout_key`, without hashing the shapes when these very ones were seen.

    Shapely geometries never change, so the same ids and geometry objects are the same layout.
    """
    return _LAYOUT_SEEN.get(frame.geometry.to_numpy(), tuple(frame.index),
                            lambda: _layout_key(frame))


#: Layout keys by the ids and geometry objects they were worked out from.
_LAYOUT_SEEN = IdentityMemo[str](kept=_QUEEN_KEPT)


def _layout_key(frame: gpd.GeoDataFrame) -> str:
    """Name a set of polygons by their ids and exact geometry (WKB), in order."""
    digest = hashlib.sha256()
    digest.update("\x1f".join(map(str, frame.index)).encode())
    for wkb in shapely.to_wkb(frame.geometry.to_numpy()):
        digest.update(wkb)
    return digest.hexdigest()


def cell_size_for(boundary: gpd.GeoSeries) -> float:
    """Cell size (metres) giving 50 cells on the shorter side, rounded to a multiple of 100.

    Examples
    --------
    >>> cell_size_for(gpd.GeoSeries([box(0, 0, 17_000, 30_000)], crs="EPSG:27700"))
    300.0
    """
    minx, miny, maxx, maxy = boundary.total_bounds
    shorter = min(maxx - minx, maxy - miny)
    return float(max(100, round(shorter / CELLS_ON_SHORTER_SIDE / 100) * 100))


def grid_cells(boundary: gpd.GeoSeries, cell_size: float | None = None) -> gpd.GeoDataFrame:
    """Square cells covering the study area, indexed ``c0001``..., in British National Grid.

    Parameters
    ----------
    boundary : geopandas.GeoSeries
        The study area's polygons (any CRS; the grid is built in EPSG:27700).
    cell_size : float, optional
        Metres; default :func:`cell_size_for`.

    Returns
    -------
    geopandas.GeoDataFrame
        ``cell_size`` and the square ``geometry`` of each cell touching the area.

    Examples
    --------
    >>> area = gpd.GeoSeries([box(0, 0, 1000, 500)], crs="EPSG:27700")
    >>> len(grid_cells(area, 250))
    8
    """
    area = boundary.to_crs("EPSG:27700")
    size = float(cell_size or cell_size_for(area))
    minx, miny, maxx, maxy = area.total_bounds
    xs = np.arange(np.floor(minx / size) * size, maxx, size)
    ys = np.arange(np.floor(miny / size) * size, maxy, size)
    squares = gpd.GeoSeries([box(x, y, x + size, y + size) for y in ys for x in xs],
                            crs="EPSG:27700")
    outline = area.union_all()
    inside = squares[squares.intersects(outline) & ~squares.touches(outline)]
    return gpd.GeoDataFrame({"cell_size": size}, geometry=inside.to_numpy(), crs="EPSG:27700",
                            index=pd.Index([f"c{i:05d}" for i in range(1, len(inside) + 1)],
                                           name="cell_id"))


def grid_weights(cells: gpd.GeoDataFrame) -> W:
    """Binary weights between cells whose centres are within one diagonal of each other.

    Examples
    --------
    >>> area = gpd.GeoSeries([box(0, 0, 300, 300)], crs="EPSG:27700")
    >>> w = grid_weights(grid_cells(area, 100))
    >>> w.cardinalities["c00005"], w.cardinalities["c00001"]
    (8, 3)
    """
    from libpysal.weights import DistanceBand

    size = float(cells["cell_size"].iloc[0])
    centres = np.column_stack([cells.geometry.centroid.x, cells.geometry.centroid.y])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weights = DistanceBand(centres, threshold=size * np.sqrt(2) * 1.001, binary=True,
                               ids=list(cells.index))
    return weights
