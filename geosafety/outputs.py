"""Writing an assessment: tidy CSV tables, a GeoPackage, metadata and HTML maps.

Everything is written into staging folders beside the destinations first and moved into
place only when all of it has been written, so a failure leaves no half-written output.
"""

from __future__ import annotations

import html
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import pandas as pd
from tqdm.auto import tqdm

from geosafety.assessment import POLICE_UK_SOURCE, Assessment
from geosafety.categories import slug
from geosafety.datasets import ATTRIBUTION
from geosafety.figures import choropleth_figure
from geosafety.maps import MapLayer, MapPoints, MapText, interactive_map, save_map
from geosafety.partner_outputs import write_partner_tables
from geosafety.partners import is_synthetic
from geosafety.report import write_deprivation
from geosafety.study_area import LEVELS
from geosafety.time_outputs import file_stem as time_file_stem
from geosafety.time_outputs import write_time_of_day
from geosafety.trend_outputs import write_trends

logger = logging.getLogger(__name__)



@contextmanager
def staged(destination: Path) -> Iterator[Path]:
    """Yield a staging folder; on success move its files into ``destination``.

    On any error the staging folder is removed and ``destination`` is untouched.
    """
    destination.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".geosafety-staging-", dir=destination))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        for item in sorted(staging.iterdir()):
            target = destination / item.name
            if item.is_dir() and target.is_dir():
                shutil.rmtree(target)
            os.replace(item, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_tables(result: Assessment, folder: Path) -> list[Path]:
    """Write the tidy CSV tables, GeoPackage and metadata into ``folder``."""
    written = []
    for level, frame in result.measures.items():
        path = folder / f"measures_{level}.csv"
        frame.to_csv(path, index=False, float_format="%.6g")
        written.append(path)
    tables = {
        "reconciliation.csv": result.reconciliation,
        "files_read.csv": result.files,
        "excluded_records.csv": result.report.excluded,
        "location_methods.csv": result.report.methods.rename_axis("method").reset_index(),
    }
    for name, frame in tables.items():
        frame.to_csv(folder / name, index=False)
        written.append(folder / name)
    for layer in result.partners:
        written += write_partner_tables(layer, folder)
    if result.associations is not None:
        written += write_deprivation(result, folder)
    if result.trends is not None:
        written += write_trends(result.trends, folder, area_name=result.area.name,
                                footnote=f"Source: {POLICE_UK_SOURCE}. Hollow points: periods "
                                         "with months missing from the data.")
    if result.time_of_day is not None:
        written += write_time_of_day(result.time_of_day, folder, area_name=result.area.name)
    written.append(write_geopackage(result, folder / "assessment.gpkg"))
    meta = folder / "metadata.json"
    meta.write_text(json.dumps(result.metadata() | {"attribution": ATTRIBUTION}, indent=2,
                               default=str), encoding="utf-8")
    written.append(meta)
    return written


def _wide(frame: pd.DataFrame, period: str, rate_column: str, *,
          count_dtype: type | None = None) -> pd.DataFrame:
    """One row per area, ``<category>__<measure>`` columns, numeric types kept."""
    frame = frame[frame["period"] == period]
    columns = {}
    for measure in ("count", rate_column, "rank", "decile"):
        table = frame.pivot(index="area_code", columns="category", values=measure)
        for category in table.columns:
            dtype = ("float64" if measure == rate_column or (measure == "count" and count_dtype)
                     else "Int64")
            columns[f"{slug(category).replace('-', '_')}__{measure}"] = (
                table[category].astype(dtype))
    return pd.DataFrame(columns)


def write_geopackage(result: Assessment, path: Path) -> Path:
    """Write one polygon layer per level (and per partner source and level).

    Column names are ``<category-slug>__count``, ``__rate_per_1000`` (``__rate`` for
    partner layers, whose unit the layer name and metadata give), ``__rank`` and
    ``__decile``; suppressed cells are empty.
    """
    layers = [(level, result.measures[level], "rate_per_1000") for level in LEVELS]
    layers += [(f"{layer.file_stem}_{level}", frame, "rate")
               for layer in result.partners for level, frame in layer.measures.items()]
    if result.time_of_day is not None:
        stem = time_file_stem(result.time_of_day)
        layers += [(f"{stem}_nte_{level}", frame, "rate_per_1000")
                   for level, frame in result.time_of_day.nte_measures.items()]
    for name, frame, rate_column in layers:
        level = next(lv for lv in LEVELS if name == lv or name.endswith(f"_{lv}"))
        dtype = float if frame["count"].dtype.kind == "f" else None
        areas = result.area.areas(level)
        layer = areas.join(_wide(frame, result.period.label, rate_column, count_dtype=dtype))
        gpd.GeoDataFrame(layer.reset_index(names="area_code"), geometry="geometry",
                         crs=areas.crs).to_file(path, layer=name, driver="GPKG",
                                                engine="pyogrio")
    return path


_LEVEL_NOTES = {
    "lsoa": "Records are placed by police.uk's LSOA code (LSOA 2011 codes converted with the "
            "ONS lookup); partner records by coordinates or postcode of residence.",
    "ward": "Wards are built from LSOAs with the ONS best-fit lookup, for counts and "
            "population alike.",
    "postcode_district": "Postcode districts are unions of LSOAs, each given to the district "
                         "holding most of its postcodes (Code-Point Open).",
}


def _map_text(result: Assessment, level: str) -> MapText:
    area = result.area
    return MapText(
        title=f"Community safety: rates by {LEVELS[level]}, {area.name}",
        period=f"{result.period.describe()} (police.uk months {result.period.start} to "
               f"{result.period.end})",
        boundaries=(f"{area.vintages[level]}"
                    + ("" if level == "ward" else f"; wards drawn: {area.vintages['ward']}")
                    + f". Population: {area.vintages['population']}; adults: "
                    f"{area.vintages.get('adults', 'n/a')}."),
        notes=("Choose a layer and a measure. Rate rank: colours show the local decile of "
               "each area's rate, decile 1 (darkest) being the tenth of areas with the "
               f"highest rates in {area.name}; areas with no events share the lowest decile; "
               "rank 1 = highest rate. Rate and count use natural breaks. "
               f"{_LEVEL_NOTES[level]} Areas with few residents (town centres) can have high "
               "rates from few events: check the count. MARAC and CJIT figures are "
               "disclosure-controlled: small counts, and counts that would reveal them, are "
               "suppressed (hatched), and their rates and ranks are not shown. Night-time economy "
               "layers count offences of the force extract by the share of each offence's "
               "time window inside the night-time hours (aoristic), so counts can have "
               "decimals. Layers marked SYNTHETIC come from made-up example data."),
        area_label=LEVELS[level],
        attribution=ATTRIBUTION,
    )


def map_layers(result: Assessment, level: str) -> list[MapLayer]:
    """Every category of every source at one level, as map layers."""
    layers = []
    frame = result.measures[level]
    main = frame[frame["period"] == result.period.label]
    for category in result.categories:
        rows = main[main["category"] == category].set_index("area_code")
        layers.append(MapLayer("police.uk", category, "per 1,000 residents", POLICE_UK_SOURCE,
                               "residents", rows.rename(columns={"rate_per_1000": "rate"})
                               .assign(suppressed=False)))
    for partner in result.partners:
        if level not in partner.measures:
            continue
        frame = partner.measures[level]
        for category in partner.categories:
            rows = frame[frame["category"] == category].set_index("area_code")
            rows = rows.rename(columns={"expected_safelives": "expected"})
            layers.append(MapLayer(partner.spec.title, category, partner.spec.unit,
                                   partner.label, partner.spec.population, rows,
                                   partner.synthetic, partner.spec.sensitive))
    times = result.time_of_day
    if times is not None:
        frame = times.nte_measures[level]
        group = nte_group(result)
        for category in times.nte_categories:
            rows = frame[frame["category"] == category].set_index("area_code")
            layers.append(MapLayer(group, category, "per 1,000 residents", times.source,
                                   "residents", rows.rename(columns={"rate_per_1000": "rate"})
                                   .assign(suppressed=False), times.synthetic,
                                   count_digits=1))
    return layers


def map_points(result: Assessment) -> MapPoints | None:
    """Return the night-time premises as map points (None without a premises file)."""
    if result.premises is None:
        return None
    synthetic = is_synthetic(result.premises["source_file"].unique().tolist())
    label = "Night-time premises" + (" (SYNTHETIC)" if synthetic else "")
    return MapPoints(label, result.premises, groups=(nte_group(result),), synthetic=synthetic)


def nte_group(result: Assessment) -> str:
    """Return the layer group name of the night-time economy layers."""
    synthetic = result.time_of_day is not None and result.time_of_day.synthetic
    return "Night-time economy" + (" (SYNTHETIC)" if synthetic else "")


def write_maps(result: Assessment, folder: Path, *, progress: bool = False) -> list[Path]:
    """Write one interactive map per level, print-ready figures and ``index.html``.

    Each map holds every layer; the figures go to ``figures/`` beside the maps.
    """
    written = []
    for level in tqdm(LEVELS, desc="Writing maps", unit="map", disable=not progress):
        fmap = interactive_map(result.area.areas(level), result.area.wards,
                               map_layers(result, level), _map_text(result, level),
                               label_areas=level == "postcode_district",
                               points=map_points(result))
        written.append(save_map(fmap, folder / f"{level}.html"))
    figures = write_figures(result, folder / "figures", progress=progress)
    index = folder / "index.html"
    index.write_text(_index_html(result, written), encoding="utf-8")
    return [*written, *figures, index]


def write_figures(result: Assessment, folder: Path, *, progress: bool = False) -> list[Path]:
    """Write a print-ready PNG and SVG per category: LSOA level, ward level if sensitive."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    wards = {(x.group, x.name): x for x in map_layers(result, "ward")}
    jobs = [(wards[(x.group, x.name)], "ward") if x.sensitive else (x, "lsoa")
            for x in map_layers(result, "lsoa")]
    premises = map_points(result)
    for layer, level in tqdm(jobs, desc="Writing figures", unit="figure",
                             disable=not progress):
        nte = premises is not None and layer.group in premises.groups
        areas = result.area.areas(level).join(layer.frame[["decile", "rank", "suppressed"]])
        stem = slug(layer.name.replace("(SYNTHETIC)", "")) + (
            "_SYNTHETIC" if layer.synthetic else "")
        written += choropleth_figure(
            areas, result.area.wards, folder / f"{level}_{stem}.png",
            title=f"{layer.name}: rate rank by {LEVELS[level]}, {result.area.name}",
            subtitle=f"{result.period.describe()}. Rate {layer.unit}; decile 1 = highest "
                     "tenth of areas." + (" SYNTHETIC example data, not real records."
                                          if layer.synthetic else ""),
            footnote=f"Source: {layer.source}. Boundaries: {result.area.vintages[level]}; "
                     f"{result.area.vintages['ward']}. {ATTRIBUTION}",
            points=premises.frame if nte else None, points_label=premises.label if nte else "")
    return written


def _index_html(result: Assessment, maps: list[Path]) -> str:
    e = html.escape
    layers = [f"{e(layer.group)}: {e(layer.name)}" for layer in map_layers(result, "lsoa")]
    links = "".join(f'<li><a href="{e(p.name)}">{e(LEVELS[p.stem])} map</a></li>' for p in maps)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Maps: {e(result.area.name)}</title>
<style>body{{font:15px system-ui,sans-serif;margin:2em;max-width:60em}}</style></head><body>
<h1>Community safety maps: {e(result.area.name)}</h1>
<p>Period: {e(result.period.describe())}. Each map holds every layer; choose one with the
Layer control, and rate rank, rate or count with the Measure control. The maps work offline.
Print-ready figures are in the <code>figures</code> folder beside this page.</p>
<ul>{links}</ul>
<h2>Layers</h2><ul>{"".join(f"<li>{layer}</li>" for layer in layers)}</ul>
<p><small>{e(ATTRIBUTION)}</small></p></body></html>
"""


def write_assessment(
    result: Assessment, out_dir: str | Path, maps_dir: str | Path | None, *,
    progress: bool = False,
) -> list[Path]:
    """Write tables to ``out_dir`` and maps to ``maps_dir``; nothing is left half-written.

    Returns
    -------
    list of pathlib.Path
        The files written, at their final paths.
    """
    out_dir = Path(out_dir)
    with staged(out_dir) as tables_stage:
        tables = write_tables(result, tables_stage)
        if maps_dir is None:
            maps: list[Path] = []
        else:
            maps_dir = Path(maps_dir)
            with staged(maps_dir) as maps_stage:
                maps = write_maps(result, maps_stage, progress=progress)
            maps = [maps_dir / p.relative_to(maps_stage) for p in maps]
    logger.info("Wrote %d tables and %d maps", len(tables), len(maps))
    return [out_dir / p.relative_to(tables_stage) for p in tables] + maps
