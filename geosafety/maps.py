"""Choropleth HTML maps of rate rank, readable offline.

Every map is a single self-contained HTML file: Leaflet's script and stylesheet are
inlined from the copy shipped in ``geosafety/_vendor/leaflet`` (BSD-2-Clause), there is
no basemap, and ward outlines and names are drawn from our own boundaries, so the map
shows everything with no network. Text from data is escaped before it is shown.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

_VENDOR = Path(__file__).resolve().parent / "_vendor" / "leaflet"

#: Decile colours, 1 (highest rates) to 10: ColorBrewer YlOrRd (colour-blind safe), reversed.
DECILE_COLOURS = ["#800026", "#b20026", "#d51020", "#ee3122", "#fc5f2f",
                  "#fd903d", "#feaf4b", "#fecf6b", "#ffe48d", "#fff4b0"]
NO_RATE_COLOUR = "#d9d9d9"
SUPPRESSED_COLOUR = "#9e9ac8"

#: Simplification tolerance (metres) and coordinate precision (decimal degrees, ~1 m).
SIMPLIFY_METRES = 4.0
COORDINATE_DECIMALS = 5


@dataclass(frozen=True)
class MapText:
    """The words on a map.

    Attributes
    ----------
    title : str
        E.g. "Burglary: rate rank by LSOA, Sefton".
    period : str
        E.g. "January to December 2025".
    source : str
        Data source with its attribution.
    boundaries : str
        Boundary vintage and attribution.
    notes : str
        How to read the map and the methods used.
    rate_unit : str
        E.g. "per 1,000 residents".
    area_label : str
        What an area is called in tooltips, e.g. "LSOA".
    """

    title: str
    period: str
    source: str
    boundaries: str
    notes: str
    rate_unit: str = "per 1,000 residents"
    area_label: str = "Area"
    banner: str | None = None


_LAYER = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  function esc(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }
  var fields = {{ this.fields | tojson }};
  function tooltip(p) {
    var rows = fields.map(function (f) {
      var v = p[f[1]];
      return "<tr><th>" + esc(f[0]) + "</th><td>" + esc(v === null ? "\u2013" : v) + "</td></tr>";
    });
    return "<table class='gs-tip'>" + rows.join("") + "</table>";
  }
  var areas = L.geoJSON({{ this.areas | tojson }}, {
    style: function (f) {
      return {fillColor: f.properties._fill, fillOpacity: 0.85, color: "#555",
              weight: {{ this.area_weight }}};
    },
    onEachFeature: function (f, layer) {
      layer.bindTooltip(function () { return tooltip(f.properties); }, {sticky: true});
      layer.on("mouseover", function () { layer.setStyle({weight: 2.5, color: "#000"}); });
      layer.on("mouseout", function () { areas.resetStyle(layer); });
    }
  }).addTo(map);
  var wards = L.geoJSON({{ this.wards | tojson }}, {
    interactive: false,
    style: function () { return {{ this.ward_style | tojson }}; }
  }).addTo(map);
  ({{ this.labels | tojson }}).forEach(function (w) {
    L.marker([w[1], w[2]], {interactive: false, keyboard: false,
      icon: L.divIcon({className: w[3], html: esc(w[0]), iconSize: null})}).addTo(map);
  });
  map.fitBounds(areas.getBounds());
  window.geosafety = {map: map, areas: areas, wards: wards};
})();
{% endmacro %}
""")


class _ChoroplethLayer(MacroElement):
    """Areas coloured by decile with escaped tooltips, ward outlines and ward labels."""

    _template = _LAYER

    def __init__(self, areas: dict, wards: dict, labels: list, fields: list, *,
                 area_weight: float = 0.6, ward_style: dict | None = None) -> None:
        super().__init__()
        self._name = "GeosafetyChoropleth"
        self.areas, self.wards, self.labels, self.fields = areas, wards, labels, fields
        self.area_weight = area_weight
        self.ward_style = ward_style or {}


def _web_geometry(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Simplify a coverage without gaps or slivers and reproject to WGS84 for the web."""
    simplified = frame.copy()
    simplified["geometry"] = frame.geometry.simplify_coverage(SIMPLIFY_METRES)
    return simplified.to_crs("EPSG:4326")


def _geojson(frame: gpd.GeoDataFrame) -> dict:
    text = frame.to_json(drop_id=True, na="null")
    text = re.sub(rf"(-?\d+\.\d{{{COORDINATE_DECIMALS}}})\d+", r"\1", text)
    return json.loads(text)


def _legend_html(measures: pd.DataFrame, text: MapText) -> str:
    rows = []
    ranked = measures.dropna(subset=["rank"])
    for decile, colour in enumerate(DECILE_COLOURS, start=1):
        ranks = ranked.loc[ranked["decile"] == decile, "rank"]
        span = (f"ranks {int(ranks.min())}\u2013{int(ranks.max())}" if len(ranks) and
                ranks.min() != ranks.max() else
                f"rank {int(ranks.min())}" if len(ranks) else "no areas")
        label = f"{decile}{' (highest)' if decile == 1 else ' (lowest)' if decile == 10 else ''}"
        rows.append(f"<div><i style='background:{colour}'></i>{label}: {span}</div>")
    suppressed = measures["suppressed"] if "suppressed" in measures else pd.Series(False)
    if suppressed.any():
        rows.append(f"<div><i class='gs-hatch' style='background:{SUPPRESSED_COLOUR}'></i>"
                    "Suppressed to protect confidentiality (small count, or a cell that would "
                    "reveal one)</div>")
    if (measures["rank"].isna() & ~suppressed.reindex(measures.index, fill_value=False)).any():
        rows.append(f"<div><i style='background:{NO_RATE_COLOUR}'></i>No population: no rate</div>")
    e = html.escape
    banner = f'<p class="gs-banner">{e(text.banner)}</p>' if text.banner else ""
    return f"""
<div class="gs-panel gs-title">{banner}<h1>{e(text.title)}</h1>
<p><b>Period:</b> {e(text.period)}</p></div>
<div class="gs-panel gs-legend"><b>Local decile of rate rank</b><br>
<small>1 = the tenth of areas with the highest rate {e(text.rate_unit)}</small>{''.join(rows)}
<details><summary>How to read this map</summary><p>{e(text.notes)}</p></details>
<p class="gs-source"><b>Data:</b> {e(text.source)}<br><b>Boundaries:</b> {e(text.boundaries)}</p>
</div>"""


_CSS = """
<style>
html, body {background: #ffffff;}
.leaflet-container {background: #f4f6f8; font: 13px/1.35 system-ui, sans-serif;}
.gs-panel {position: absolute; z-index: 1000; background: rgba(255,255,255,0.94);
  padding: 8px 12px; border-radius: 6px; box-shadow: 0 1px 5px rgba(0,0,0,0.35);
  font: 13px/1.35 system-ui, sans-serif; max-width: 340px;}
.gs-title {top: 10px; left: 55px;} .gs-title h1 {font-size: 16px; margin: 0 0 4px;}
.gs-title p {margin: 0;}
.gs-legend {bottom: 20px; right: 10px;}
.gs-legend i {display: inline-block; width: 18px; height: 12px; margin-right: 6px;
  border: 1px solid #999; vertical-align: middle;}
.gs-source {font-size: 11px; color: #333; margin: 6px 0 0;}
.gs-banner {margin: 0 0 4px; padding: 2px 6px; background: #5e3c99; color: #fff;
  font-weight: 700; letter-spacing: 0.03em;}
.gs-hatch {background-image: repeating-linear-gradient(45deg, transparent 0 3px,
  rgba(255,255,255,0.8) 3px 5px);}
.gs-ward-label {font: 600 11px system-ui, sans-serif; color: #111; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; transform: translate(-50%, -50%);}
.gs-area-label {font: 700 14px system-ui, sans-serif; color: #08306b; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 4px #fff; transform: translate(-50%, -50%);}
.gs-tip th {text-align: left; padding-right: 8px; font-weight: 600;}
</style>"""


def rate_rank_map(
    areas: gpd.GeoDataFrame, wards: gpd.GeoDataFrame, text: MapText, *,
    label_areas: bool = False,
) -> folium.Map:
    """Build a choropleth of local rate-rank deciles with ward outlines and names.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        One category's measures per area (any CRS): ``area_code``, ``area_name``,
        ``count``, ``residents``, ``rate``, ``rank``, ``n_areas``, ``decile`` and,
        optionally, ``ward_name``.
    wards : geopandas.GeoDataFrame
        Ward polygons with ``ward_name``, drawn as outlines and labels.
    text : MapText
        Title, period, sources, boundary vintage and notes.
    label_areas : bool
        Also label each area with its name and draw area edges bolder (for postcode
        districts, whose names people read off the map).

    Returns
    -------
    folium.Map
        Save it with :func:`save_map` to get a self-contained file.
    """
    frame = areas.to_crs("EPSG:27700") if areas.crs and areas.crs.to_epsg() != 27700 else areas
    web = _web_geometry(frame.reset_index(drop=True))
    colours = web["decile"].map(lambda d: DECILE_COLOURS[int(d) - 1] if pd.notna(d) else None)
    suppressed = (web["suppressed"].astype(bool) if "suppressed" in web
                  else pd.Series(False, index=web.index))
    colours[suppressed] = SUPPRESSED_COLOUR
    population = "adults" if "adults" in text.rate_unit else "residents"
    hidden = "suppressed"
    props = pd.DataFrame({
        "name": web["area_name"].astype(str),
        "code": web["area_code"].astype(str),
        "ward": web["ward_name"].astype(str) if "ward_name" in web else None,
        "count": [hidden if s else f"{int(c):,}"
                  for c, s in zip(web["count"], suppressed, strict=True)],
        "rate": [hidden if s else
                 f"{r:.1f} {text.rate_unit} ({population} {int(b):,})" if pd.notna(r) else None
                 for r, b, s in zip(web["rate"], web[population], suppressed, strict=True)],
        "rank": [f"{int(r)} of {int(n)}" if pd.notna(r) else None
                 for r, n in zip(web["rank"], web["n_areas"], strict=True)],
        "decile": web["decile"].map(lambda d: int(d) if pd.notna(d) else None),
        "_fill": colours.fillna(NO_RATE_COLOUR),
    })
    fields = [[text.area_label, "name"], ["Code", "code"]]
    if "ward_name" in web:
        fields.append(["Ward", "ward"])
    fields += [["Count", "count"], ["Rate", "rate"], ["Rank (1 = highest)", "rank"],
               ["Local decile", "decile"]]
    if "expected_safelives" in web:
        props["expected"] = web["expected_safelives"].map(lambda x: f"{x:.1f} cases a year")
        fields.append(["SafeLives expectation (40 per 10,000 adults)", "expected"])
    layer = gpd.GeoDataFrame(props, geometry=web.geometry, crs="EPSG:4326")
    ward_web = _web_geometry(wards.to_crs("EPSG:27700")[["ward_name", "geometry"]])
    points = wards.to_crs("EPSG:27700").geometry.representative_point().to_crs("EPSG:4326")
    labels = [[name, round(p.y, 5), round(p.x, 5), "gs-ward-label"]
              for name, p in zip(wards["ward_name"], points, strict=True)]
    if label_areas:  # the areas are the subject: name them, and keep wards as faint context
        labels = []
        centres = frame.geometry.representative_point().to_crs("EPSG:4326")
        labels += [[str(name), round(p.y, 5), round(p.x, 5), "gs-area-label"]
                   for name, p in zip(frame["area_name"], centres, strict=True)]

    fmap = folium.Map(tiles=None, control_scale=True, zoom_snap=0.25, prefer_canvas=False)
    fmap.default_js = [("leaflet", "geosafety-inline:leaflet.js")]
    fmap.default_css = [("leaflet_css", "geosafety-inline:leaflet.css")]
    fmap.get_root().header.add_child(Element(_CSS))
    fmap.get_root().title = text.title
    fmap.get_root().html.add_child(Element(_legend_html(areas, text)))
    ward_style = ({"fill": False, "color": "#333", "weight": 1, "opacity": 0.7, "dashArray": "4 4"}
                  if label_areas else {"fill": False, "color": "#1a1a1a", "weight": 2,
                                       "opacity": 0.9})
    _ChoroplethLayer(_geojson(layer), _geojson(ward_web[["geometry"]]), labels, fields,
                     area_weight=2.5 if label_areas else 0.6, ward_style=ward_style).add_to(fmap)
    return fmap


def inline_assets(page: str) -> str:
    """Replace the Leaflet script and stylesheet links with their contents; refuse others.

    Raises
    ------
    RuntimeError
        If the page still refers to any remote script or stylesheet.
    """
    script = (_VENDOR / "leaflet.js").read_text(encoding="utf-8")
    style = (_VENDOR / "leaflet.css").read_text(encoding="utf-8")
    licence = ("/* Leaflet 1.9.4, (c) 2010-2023 Volodymyr Agafonkin, (c) 2010-2011 CloudMade; "
               "BSD-2-Clause */")
    page = re.sub(r'<script src="geosafety-inline:leaflet.js"></script>',
                  lambda _: f"<script>{licence}\n{script}</script>", page)
    page = re.sub(r'<link rel="stylesheet" href="geosafety-inline:leaflet.css"\s*/>',
                  lambda _: f"<style>{licence}\n{style}</style>", page)
    remote = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?:[^"]+)"', page)
    if remote:
        raise RuntimeError(f"Map still needs the network for: {remote[:3]}")
    return page


def save_map(fmap: folium.Map, path: str | Path) -> Path:
    """Write a map as one self-contained HTML file and return its path."""
    path = Path(path)
    path.write_text(inline_assets(fmap.get_root().render()), encoding="utf-8")
    return path
