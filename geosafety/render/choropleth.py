"""Print-ready choropleth figures (PNG, and SVG when asked) for the written assessment.

Each figure has a title, a decile legend with the rank ranges, ward boundaries and names, a
scale bar, a north arrow and the source and copyright line. Drawn in British National Grid,
so the scale bar is true. Figures are matplotlib ``Figure`` objects saved directly, so
drawing them never touches pyplot or the user's backend; matplotlib is imported when the
first figure is drawn.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from geosafety.render.drawing import figure_note, save_figure
from geosafety.render.interactive import DECILE_COLOURS, NO_RATE_COLOUR, SUPPRESSED_COLOUR

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def _scale_bar(ax: Axes, length: float = 2000) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    x, y = x0 + 0.05 * (x1 - x0), y0 + 0.04 * (y1 - y0)
    ax.plot([x, x + length], [y, y], color="black", linewidth=3, solid_capstyle="butt")
    ax.plot([x, x + length / 2], [y, y], color="white", linewidth=1.2, solid_capstyle="butt")
    ax.text(x + length / 2, y + 0.012 * (y1 - y0), f"{length / 1000:g} km", ha="center",
            va="bottom", fontsize=8)


def _north_arrow(ax: Axes) -> None:
    ax.annotate("N", xy=(0.93, 0.97), xytext=(0.93, 0.89), xycoords="axes fraction",
                ha="center", va="center", fontsize=11, fontweight="bold",
                arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.5})


def choropleth_figure(areas: gpd.GeoDataFrame, wards: gpd.GeoDataFrame, path: Path, *,
                      title: str, subtitle: str, footnote: str,
                      points: pd.DataFrame | None = None,
                      points_label: str = "") -> list[Path]:
    """Draw one category's local rate-rank deciles; write ``path`` (see :func:`save_figure`).

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        Areas with ``decile``, ``rank`` and optionally ``suppressed``.
    wards : geopandas.GeoDataFrame
        Ward polygons with ``ward_name``.
    points : pandas.DataFrame, optional
        Points to draw over the areas (``longitude``, ``latitude``), e.g. night-time premises,
        shown in the legend as ``points_label``.
    """
    from matplotlib import patheffects
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    areas = areas.to_crs("EPSG:27700")
    wards = wards.to_crs("EPSG:27700")
    hidden = (areas["suppressed"].fillna(False).astype(bool) if "suppressed" in areas
              else pd.Series(False, index=areas.index))
    colours = areas["decile"].map(lambda d: DECILE_COLOURS[int(d) - 1] if pd.notna(d)
                                  else NO_RATE_COLOUR)
    colours[hidden] = SUPPRESSED_COLOUR
    fig = Figure(figsize=(8.27, 11.0), dpi=150)
    ax = fig.subplots()
    areas.plot(ax=ax, color=colours, edgecolor="#777777", linewidth=0.25)
    if hidden.any():
        areas[hidden].plot(ax=ax, facecolor="none", edgecolor="white", hatch="////",
                           linewidth=0)
    wards.boundary.plot(ax=ax, color="#111111", linewidth=0.9)
    for name, point in zip(wards["ward_name"], wards.geometry.representative_point(),
                           strict=True):
        ax.text(point.x, point.y, name, ha="center", va="center", fontsize=6.5,
                fontweight="bold", path_effects=halo)
    if points is not None and not points.empty:
        xy = gpd.GeoSeries(gpd.points_from_xy(points["longitude"], points["latitude"]),
                           crs="EPSG:4326").to_crs("EPSG:27700")
        ax.scatter(xy.x, xy.y, s=9, color="#08306b", edgecolor="white", linewidth=0.5,
                   zorder=5)
    ax.set_axis_off()
    ax.set_aspect("equal")
    _scale_bar(ax)
    _north_arrow(ax)
    ranked = areas[~hidden]
    handles: list[Patch | Line2D] = []
    for decile, colour in enumerate(DECILE_COLOURS, start=1):
        ranks = ranked.loc[ranked["decile"] == decile, "rank"].dropna()
        span = ("no areas" if ranks.empty else f"rank {int(ranks.min())}"
                if ranks.min() == ranks.max() else f"ranks {int(ranks.min())}-{int(ranks.max())}")
        label = f"{decile}{' (highest)' if decile == 1 else ' (lowest)' if decile == 10 else ''}"
        handles.append(Patch(facecolor=colour, edgecolor="#777", label=f"{label}: {span}"))
    if hidden.any():
        handles.append(Patch(facecolor=SUPPRESSED_COLOUR, hatch="////", edgecolor="white",
                             label="Suppressed (confidentiality)"))
    if points is not None and not points.empty:
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=5, color="#08306b",
                              markeredgecolor="white", label=f"{points_label} ({len(points)})"))
    ax.legend(handles=handles, title="Local decile of rate rank", loc="upper left",
              fontsize=7, title_fontsize=8, frameon=True)
    fig.suptitle(title, x=0.02, ha="left", fontsize=13, fontweight="bold")
    ax.set_title(textwrap.fill(subtitle, 95), loc="left", fontsize=9)
    figure_note(fig, footnote, x=0.02, fontsize=6, va="bottom")
    fig.tight_layout(rect=(0, 0.05, 1, 0.97))
    return save_figure(fig, path)
