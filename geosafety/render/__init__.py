"""Stage 6, render: interactive maps, print-ready choropleth figures and charts.

The only stage that draws. folium, jenkspy and matplotlib are imported when something
is drawn, never on ``import geosafety``, and figures are matplotlib ``Figure`` objects
saved directly, so the user's backend and open pyplot figures are left alone.
"""

from geosafety.render.assessment_maps import map_layers, map_points, write_figures, write_maps
from geosafety.render.charts import heat_map, rate_against_deprivation, trend_chart
from geosafety.render.choropleth import choropleth_figure
from geosafety.render.interactive import (
    MAP_FIELDS,
    MapLayer,
    MapPoints,
    MapText,
    interactive_map,
    save_map,
)

__all__ = [
    "MAP_FIELDS", "MapLayer", "MapPoints", "MapText", "choropleth_figure", "heat_map",
    "interactive_map", "map_layers", "map_points", "rate_against_deprivation", "save_map",
    "trend_chart", "write_figures", "write_maps",
]
