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
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
from tqdm.auto import tqdm

from geosafety.assessment import POLICE_UK_SOURCE, Assessment
from geosafety.categories import slug
from geosafety.datasets import ATTRIBUTION
from geosafety.maps import MapText, rate_rank_map, save_map
from geosafety.partner_outputs import partner_map_name, partner_map_text, write_partner_tables
from geosafety.report import write_deprivation
from geosafety.study_area import LEVELS

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
    written.append(write_geopackage(result, folder / "assessment.gpkg"))
    meta = folder / "metadata.json"
    meta.write_text(json.dumps(result.metadata() | {"attribution": ATTRIBUTION}, indent=2,
                               default=str), encoding="utf-8")
    written.append(meta)
    return written


def _wide(frame: pd.DataFrame, period: str, rate_column: str) -> pd.DataFrame:
    """One row per area, ``<category>__<measure>`` columns, numeric types kept."""
    frame = frame[frame["period"] == period]
    columns = {}
    for measure in ("count", rate_column, "rank", "decile"):
        table = frame.pivot(index="area_code", columns="category", values=measure)
        for category in table.columns:
            dtype = "float64" if measure == rate_column else "Int64"
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
    for name, frame, rate_column in layers:
        level = next(lv for lv in LEVELS if name == lv or name.endswith(f"_{lv}"))
        areas = result.area.areas(level)
        layer = areas.join(_wide(frame, result.period.label, rate_column))
        gpd.GeoDataFrame(layer.reset_index(names="area_code"), geometry="geometry",
                         crs=areas.crs).to_file(path, layer=name, driver="GPKG",
                                                engine="pyogrio")
    return path


def _map_text(result: Assessment, level: str, category: str) -> MapText:
    area = result.area
    methods = {
        "lsoa": "Records are placed by police.uk's LSOA code (LSOA 2011 codes converted with "
                "the ONS lookup).",
        "ward": "Wards are built from LSOAs with the ONS best-fit lookup, for counts and "
                "population alike.",
        "postcode_district": "Postcode districts are unions of LSOAs, each given to the "
                             "district holding most of its postcodes (Code-Point Open).",
    }[level]
    return MapText(
        title=f"{category}: rate rank by {LEVELS[level]}, {area.name}",
        period=f"{result.period.describe()} (police.uk months {result.period.start} to "
               f"{result.period.end})",
        source=POLICE_UK_SOURCE + ". Locations are police.uk anonymised map points.",
        boundaries=(f"{area.vintages[level]}"
                    + ("" if level == "ward" else f"; wards drawn: {area.vintages['ward']}")
                    + f". Population: {area.vintages['population']}. {ATTRIBUTION}"),
        notes=("Colours show the local decile of each area's rate per 1,000 residents: "
               "decile 1 (darkest) is the tenth of areas with the highest rates in "
               f"{area.name}, decile 10 the lowest; areas with no events share the lowest "
               f"decile. Rank 1 = highest rate. {methods} Areas with few residents (town "
               "centres) can have high rates from few events; check the count."),
        area_label=LEVELS[level],
    )


@dataclass(frozen=True)
class _MapJob:
    level: str
    category: str
    measures: pd.DataFrame
    text: MapText
    filename: str


def _map_jobs(result: Assessment) -> list[_MapJob]:
    jobs = []
    for level in LEVELS:
        frame = result.measures[level]
        for category in result.categories:
            rows = (frame["period"] == result.period.label) & (frame["category"] == category)
            jobs.append(_MapJob(level, category, frame[rows].rename(
                columns={"rate_per_1000": "rate"}), _map_text(result, level, category),
                f"{level}_{slug(category)}.html"))
    for layer in result.partners:
        for level, frame in layer.measures.items():
            for category in layer.categories:
                jobs.append(_MapJob(level, category, frame[frame["category"] == category],
                                    partner_map_text(result, layer, level, category),
                                    partner_map_name(layer, level, category)))
    return jobs


def write_maps(result: Assessment, folder: Path, *, progress: bool = False) -> list[Path]:
    """Write one rate-rank map per level and category, and ``index.html`` listing them."""
    areas_by_level = {level: result.area.areas(level) for level in LEVELS}
    written: list[tuple[str, str, Path]] = []
    for job in tqdm(_map_jobs(result), desc="Writing maps", unit="map", disable=not progress):
        areas = areas_by_level[job.level]
        frame = job.measures.drop(columns=["ward_code", "ward_name", "area_name", "residents",
                                           "adults"], errors="ignore")
        frame = frame.merge(areas, left_on="area_code", right_index=True)
        layer = gpd.GeoDataFrame(frame, geometry="geometry", crs=areas.crs)
        fmap = rate_rank_map(layer, result.area.wards, job.text,
                             label_areas=job.level == "postcode_district")
        written.append((job.level, job.category, save_map(fmap, folder / job.filename)))
    index = folder / "index.html"
    index.write_text(_index_html(result, written), encoding="utf-8")
    return [p for *_, p in written] + [index]


def _index_html(result: Assessment, maps: list[tuple[str, str, Path]]) -> str:
    e = html.escape
    rows = []
    for category in result.categories + [c for layer in result.partners
                                         for c in layer.categories]:
        links = " ".join(
            f'<a href="{e(p.name)}">{e(LEVELS[level])}</a>'
            for level, cat, p in maps if cat == category
        )
        rows.append(f"<tr><td>{e(category)}</td><td>{links}</td></tr>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Maps: {e(result.area.name)}</title>
<style>body{{font:15px system-ui,sans-serif;margin:2em;max-width:60em}}
td,th{{padding:4px 12px;text-align:left}} a{{margin-right:1em}}</style></head><body>
<h1>Community safety maps: {e(result.area.name)}</h1>
<p>Period: {e(result.period.describe())}. Rate rank maps (rate per 1,000 residents) by LSOA,
ward and postcode district. Source: {e(POLICE_UK_SOURCE)}; partner layers name their own
source, and those built from SYNTHETIC example data say so in their names.</p>
<table><tr><th>Category</th><th>Maps</th></tr>{''.join(rows)}</table>
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
            maps = [maps_dir / p.name for p in maps]
    logger.info("Wrote %d tables and %d maps", len(tables), len(maps))
    return [out_dir / p.relative_to(tables_stage) for p in tables] + maps
