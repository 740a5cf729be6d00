"""Interactive choropleth maps that partners can open anywhere, offline.

One self-contained HTML file per geography level: Leaflet's script and stylesheet are
inlined from ``geosafety/render/_vendor/leaflet`` (BSD-2-Clause), the geometry is embedded
once and every category is a set of named value columns beside it (:data:`MAP_FIELDS`), so
switching layers re-colours the same shapes. There is no basemap; ward outlines and names
come from our own boundaries. Every text from data is escaped before it is shown. folium
and jenkspy are imported when a map is built, not when geosafety is.

Measures and classes:

* **rate rank**: local deciles of the rate rank (1 = the tenth of areas with the highest
  rate), ten classes;
* **rate** and **count**: Fisher-Jenks natural breaks (jenkspy), five classes.

Colours are ColorBrewer YlOrRd (colour-blind safe); areas with no population are grey and
suppressed areas (disclosure control) are hatched purple.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import folium

_HERE = Path(__file__).resolve().parent
_VENDOR = _HERE / "_vendor" / "leaflet"
#: Named value columns of each layer in a map's data, one value per area, in area order:
#: count, rate, rank (1 = highest), local decile, suppressed (true/false) and the expected
#: count (SafeLives, MARAC only; otherwise absent).
MAP_FIELDS = ("count", "rate", "rate_low", "rate_high", "compared", "smoothed", "small",
              "hotspot", "rank", "decile", "suppressed", "expected")
#: The measures a map can colour by, with their labels.
MEASURES = {"rank": "Rate rank (local deciles)", "rate": "Rate", "count": "Count",
            "hotspot": "Hot and cold spots (Gi*, FDR)"}
#: Hot-spot classes (analysis.hotspots) and their colours: ColorBrewer RdBu (colour-blind safe).
HOTSPOT_COLOURS = {"hot spot (99%)": "#b2182b", "hot spot (95%)": "#ef8a62",
                   "hot spot (90%)": "#fddbc7", "not significant": "#f7f7f7",
                   "cold spot (90%)": "#d1e5f0", "cold spot (95%)": "#67a9cf",
                   "cold spot (99%)": "#2166ac"}

#: Decile colours, 1 (highest rates) to 10: ColorBrewer YlOrRd (colour-blind safe), reversed.
DECILE_COLOURS = ["#800026", "#b20026", "#d51020", "#ee3122", "#fc5f2f",
                  "#fd903d", "#feaf4b", "#fecf6b", "#ffe48d", "#fff4b0"]
#: Five classes, low to high: ColorBrewer YlOrRd.
CLASS_COLOURS = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
NO_RATE_COLOUR = "#d9d9d9"
SUPPRESSED_COLOUR = "#9e9ac8"
SIMPLIFY_METRES = 4.0
COORDINATE_DECIMALS = 5


@dataclass(frozen=True)
class MapText:
    """The words on a map."""

    title: str
    period: str
    boundaries: str
    notes: str
    area_label: str = "Area"
    attribution: str = ""
    study_area: str = "the study area"


@dataclass
class MapLayer:
    """One category of one source, as values per area.

    ``frame`` is indexed by area code with ``count``, ``rate``, ``rank``, ``n_areas``,
    ``decile``, ``suppressed`` and optionally ``rate_low``, ``rate_high`` (the rate's
    confidence interval), ``compared_with_area``, ``confidence``, the smoothed rates
    (``rate_eb_spatial``, ``ranked_by``), ``small_denominator``, ``hotspot`` (a class of
    :data:`HOTSPOT_COLOURS`) and ``expected``; ``population`` names the denominator column
    of the areas (``"residents"`` or ``"adults"``; empty for grid cells, which have none).
    """

    group: str
    name: str
    unit: str
    source: str
    population: str
    frame: pd.DataFrame
    synthetic: bool = False
    sensitive: bool = False
    count_digits: int = 0


@dataclass(frozen=True)
class MapPoints:
    """Points drawn over the areas (e.g. night-time premises), toggled by a checkbox.

    ``frame`` has ``name``, ``description``, ``longitude`` and ``latitude`` (WGS84). They
    show by themselves with layers of the ``groups`` named; the checkbox shows them with
    any layer. ``synthetic`` points bring up the SYNTHETIC banner whenever they show.
    """

    label: str
    frame: pd.DataFrame
    colour: str = "#08306b"
    groups: tuple[str, ...] = ()
    synthetic: bool = False


def _points_payload(points: MapPoints | None) -> dict | None:
    if points is None or points.frame.empty:
        return None
    items = [[str(r.name), str(r.description), round(float(r.latitude), 6),
              round(float(r.longitude), 6)] for r in points.frame.itertuples(index=False)]
    return {"label": points.label, "colour": points.colour, "items": items,
            "groups": list(points.groups), "synthetic": points.synthetic}


#: Above this many values, natural breaks are found on an even sample of the sorted values.
BREAKS_SAMPLE = 400


def _breaks(values: pd.Series, k: int = 5) -> list[float]:
    """Fisher-Jenks upper bounds for the visible values (fewer classes if few values).

    Natural breaks by Fisher's exact method (jenkspy's C implementation, the classes
    mapclassify's ``FisherJenks`` finds, in a fraction of the time). Many values (grid
    cells) are classified on :data:`BREAKS_SAMPLE` values taken evenly from the sorted
    values, the top one included: the same answer every time.

    Examples
    --------
    >>> _breaks(pd.Series([1, 2, 2, 3, 10, 11, 12, 30, 31, 60, None]))
    [3.0, 10.0, 12.0, 31.0, 60.0]
    >>> _breaks(pd.Series([1.0, 4.0, 9.0, 10.0, 11.0, 30.0, 32.0, 50.0, 90.0, 95.0]), k=3)
    [11.0, 50.0, 95.0]
    """
    visible = values.dropna().astype(float)
    distinct = visible.nunique()
    if distinct == 0:
        return []
    if distinct <= k:
        return sorted(visible.unique().tolist())
    import jenkspy

    ordered = np.sort(visible.to_numpy())
    if len(ordered) > BREAKS_SAMPLE:
        ordered = ordered[np.linspace(0, len(ordered) - 1, BREAKS_SAMPLE).round().astype(int)]
    return [float(b) for b in jenkspy.jenks_breaks(ordered, n_classes=k)[1:]]


def _number(value: Any, digits: int = 4) -> float | int | None:
    """Give a value for the map's data: whole numbers exactly, others to ``digits`` figures.

    Examples
    --------
    >>> _number(11686.0), _number(959.1234), _number(float("nan"))
    (11686, 959.1, None)
    """
    if value is None or pd.isna(value):
        return None
    if isinstance(value, int | np.integer) or float(value).is_integer():
        return int(value)
    return float(f"{float(value):.{digits}g}")


def _layer_payload(layer: MapLayer, codes: pd.Index) -> dict:
    frame = layer.frame.reindex(codes)
    suppressed = frame["suppressed"].fillna(False).astype(bool) if "suppressed" in frame else \
        pd.Series(False, index=codes)
    values: dict[str, list[Any]] = {
        name: [None if hide else _number(value) for value, hide in zip(frame[name], suppressed,
                                                                         strict=True)]
        for name in ("count", "rate", "rank", "decile")}
    for name in ("rate_low", "rate_high"):
        values[name] = ([None if hide else _number(value) for value, hide in zip(
            frame[name], suppressed, strict=True)] if name in frame else [None] * len(frame))
    for name, column in (("compared", "compared_with_area"), ("hotspot", "hotspot")):
        texts = frame.get(column, pd.Series(pd.NA, index=codes))
        values[name] = [None if hide or pd.isna(value) else str(value)
                        for value, hide in zip(texts, suppressed, strict=True)]
    basis = str(frame["ranked_by"].dropna().iloc[0]) if "ranked_by" in frame and frame[
        "ranked_by"].notna().any() else "rate"
    smoothed = basis if basis != "rate" else "rate_eb_spatial"
    values["smoothed"] = ([None if hide else _number(v) for v, hide in zip(
        frame[smoothed], suppressed, strict=True)] if smoothed in frame else [None] * len(frame))
    values["small"] = (frame["small_denominator"].fillna(False).astype(bool).tolist()
                       if "small_denominator" in frame else [False] * len(frame))
    values["suppressed"] = suppressed.tolist()
    if "expected" in frame:
        values["expected"] = [_number(v) for v in frame["expected"]]
    visible = frame.loc[~suppressed]
    ranked = visible.dropna(subset=["rank"])
    decile_ranks = {int(d): [int(g["rank"].min()), int(g["rank"].max())]
                    for d, g in ranked.groupby("decile")}
    return {
        "group": layer.group, "name": layer.name, "unit": layer.unit, "source": layer.source,
        "population": layer.population, "synthetic": layer.synthetic,
        "sensitive": layer.sensitive, "n": int(ranked["rank"].count()), "values": values,
        "digits": layer.count_digits, "rankedBy": basis,
        "smoothedLabel": "global" if smoothed == "rate_eb_global" else "spatial",
        "confidence": str(frame["confidence"].dropna().iloc[0])
        if "confidence" in frame and frame["confidence"].notna().any() else None,
        "breaks": {"rate": _breaks(visible["rate"]), "count": _breaks(visible["count"])},
        "deciles": decile_ranks,
    }


def _geojson(frame: gpd.GeoDataFrame) -> dict:
    text = frame.to_json(drop_id=True, na="null")
    text = re.sub(rf"(-?\d+\.\d{{{COORDINATE_DECIMALS}}})\d+", r"\1", text)
    return json.loads(text)


def _web_geometry(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Simplify a coverage without gaps or slivers and reproject to WGS84 for the web."""
    simplified = frame.to_crs("EPSG:27700").copy()
    simplified["geometry"] = simplified.geometry.simplify_coverage(SIMPLIFY_METRES)
    return simplified.to_crs("EPSG:4326")


@cache
def _app_class() -> type:
    """Build the map's script as a folium element, on first use (so folium loads lazily)."""
    from branca.element import MacroElement
    from jinja2 import Template

    script = (_HERE / "map_app.js").read_text(encoding="utf-8")

    class App(MacroElement):
        _template = Template("{% macro script(this, kwargs) %}\n" + script
                             + "\n{% endmacro %}\n")

        def __init__(self, payload: dict) -> None:
            super().__init__()
            self._name = "GeosafetyMap"
            self.payload = payload
            self.deciles, self.classes = DECILE_COLOURS, CLASS_COLOURS
            self.none, self.suppressed = NO_RATE_COLOUR, SUPPRESSED_COLOUR

    return App


_CSS = """
<style>
html, body {background: #ffffff;}
.leaflet-container {background: #f4f6f8; font: 13px/1.35 system-ui, sans-serif;}
.gs-panel {position: absolute; z-index: 1000; background: rgba(255,255,255,0.95);
  padding: 8px 12px; border-radius: 6px; box-shadow: 0 1px 5px rgba(0,0,0,0.35);
  font: 13px/1.35 system-ui, sans-serif; max-width: 360px;}
.gs-title {top: 10px; left: 55px;} .gs-title h1 {font-size: 16px; margin: 0 0 4px;}
.gs-title p {margin: 2px 0;} .gs-title select, .gs-title input {max-width: 330px; font-size: 13px;}
.gs-legend {bottom: 20px; right: 10px; max-height: 70vh; overflow-y: auto;}
.gs-legend i {display: inline-block; width: 18px; height: 12px; margin-right: 6px;
  border: 1px solid #999; vertical-align: middle;}
.gs-hatch {background-image: repeating-linear-gradient(45deg, transparent 0 3px,
  rgba(255,255,255,0.8) 3px 5px) !important;}
.gs-dot {border-radius: 50%; width: 10px !important; height: 10px !important;
  border: 1.5px solid #fff !important; box-shadow: 0 0 0 1px #08306b;}
.gs-source {font-size: 11px; color: #333; margin: 6px 0 0;}
.gs-banner {display: none; margin: 0 0 4px; padding: 2px 6px; background: #5e3c99; color: #fff;
  font-weight: 700;}
.gs-ward-label {font: 600 11px system-ui, sans-serif; color: #111; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; transform: translate(-50%, -50%);}
.gs-area-label {font: 700 14px system-ui, sans-serif; color: #08306b; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 4px #fff; transform: translate(-50%, -50%);}
.gs-tip th {text-align: left; padding-right: 8px; font-weight: 600;}
</style>"""


def _panels(text: MapText) -> str:
    e = html.escape
    return f"""
<div class="gs-panel gs-title"><p class="gs-banner" id="gs-banner">SYNTHETIC EXAMPLE DATA
\u2013 not real records</p><h1>{e(text.title)}</h1>
<p><b>Showing:</b> <span id="gs-layer-title"></span></p>
<p><b>Period:</b> {e(text.period)}</p>
<p><label>Layer <select id="gs-layer" aria-label="Layer"></select></label></p>
<p><label>Measure <select id="gs-measure" aria-label="Measure"></select></label></p>
<p><label>Find <input id="gs-search" list="gs-names" placeholder="area or ward name"
aria-label="Find an area or ward"></label><datalist id="gs-names"></datalist></p>
<p id="gs-points-control" style="display:none"><label><input type="checkbox" id="gs-points">
<span id="gs-points-label"></span></label></p></div>
<div class="gs-panel gs-legend"><div id="gs-legend-items"></div>
<details><summary>How to read this map</summary><p>{e(text.notes)}</p></details>
<p class="gs-source"><b>Data:</b> <span id="gs-source"></span><br>
<b>Boundaries:</b> {e(text.boundaries)}<br>{e(text.attribution)}</p></div>"""


def interactive_map(areas: gpd.GeoDataFrame, wards: gpd.GeoDataFrame, layers: list[MapLayer],
                    text: MapText, *, label_areas: bool = False,
                    points: MapPoints | None = None,
                    measures: tuple[str, ...] | None = None) -> folium.Map:
    """Build one map of many layers over one geometry.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        The level's areas indexed by code, with ``area_name``, the population columns the
        layers use and optionally ``ward_name``.
    wards : geopandas.GeoDataFrame
        Ward polygons with ``ward_name`` (outlines and labels).
    layers : list of MapLayer
    text : MapText
    label_areas : bool
        Label areas by name and keep wards as faint dashed context (postcode districts).
    points : MapPoints, optional
        Points drawn above the areas, with a checkbox to hide them.
    measures : tuple of str, optional
        Keys of :data:`MEASURES` offered, the first shown first. Default: rank, rate and
        count, and hot spots when any layer has them.
    """
    web = _web_geometry(areas)
    props = pd.DataFrame({"code": web.index.astype(str), "name": web["area_name"].astype(str)},
                         index=web.index)
    if "ward_name" in web:
        props["ward"] = web["ward_name"].astype(str)
    features = _geojson(gpd.GeoDataFrame(props, geometry=web.geometry, crs=web.crs))
    ward_web = _web_geometry(wards[["ward_name", "geometry"]])
    if label_areas:
        centres = areas.to_crs("EPSG:27700").geometry.representative_point().to_crs("EPSG:4326")
        labels = [[str(n), round(p.y, 5), round(p.x, 5), "gs-area-label"]
                  for n, p in zip(areas["area_name"], centres, strict=True)]
        ward_style = {"fill": False, "color": "#333", "weight": 1, "opacity": 0.7,
                      "dashArray": "4 4"}
    else:
        centres = wards.to_crs("EPSG:27700").geometry.representative_point().to_crs("EPSG:4326")
        labels = [[str(n), round(p.y, 5), round(p.x, 5), "gs-ward-label"]
                  for n, p in zip(wards["ward_name"], centres, strict=True)]
        ward_style = {"fill": False, "color": "#1a1a1a", "weight": 2, "opacity": 0.9}
    layer_payloads = [_layer_payload(layer, areas.index) for layer in layers]
    payload: dict[str, Any] = {
        "areaLabel": text.area_label, "studyArea": text.study_area, "areas": features,
        "wards": _geojson(ward_web[["geometry"]]), "labels": labels, "wardStyle": ward_style,
        "areaWeight": 2.5 if label_areas else 0.6,
        "population": {p: [_number(v) for v in areas[p]] for p in ("residents", "adults")
                       if p in areas},
        "layers": layer_payloads,
        "points": _points_payload(points),
        "hotspotClasses": [[name, colour] for name, colour in HOTSPOT_COLOURS.items()],
    }
    if measures is None:
        with_hotspots = any(v is not None for layer in layer_payloads
                            for v in layer["values"]["hotspot"])
        measures = ("rank", "rate", "count", *(("hotspot",) if with_hotspots else ()))
    payload["measures"] = [[key, MEASURES[key]] for key in measures]
    import folium
    from branca.element import Element, Figure

    fmap = folium.Map(tiles=None, control_scale=True, zoom_snap=0.25)
    fmap.default_js = [("leaflet", "geosafety-inline:leaflet.js")]
    fmap.default_css = [("leaflet_css", "geosafety-inline:leaflet.css")]
    page = fmap.get_root()
    assert isinstance(page, Figure)  # a folium map's root is the page
    page.header.add_child(Element(_CSS))
    page.title = text.title
    page.html.add_child(Element(_panels(text)))
    _app_class()(payload).add_to(fmap)
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
