"""The assessment's maps and figures: every layer at every level, offline, print-ready.

One interactive map per level holds every layer (police.uk categories, partner layers, the
night-time economy), with premises as points; a print-ready figure per category; and an
index page linking the maps.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm.auto import tqdm

from geosafety._levels import LEVELS
from geosafety.analysis.assessment import Assessment
from geosafety.geography.localities import locality_areas
from geosafety.io.datasets import ATTRIBUTION
from geosafety.io.labels import category_label, is_synthetic
from geosafety.io.police_uk import POLICE_UK_SOURCE
from geosafety.measures.categories import category_order, figure_stem, slug
from geosafety.render.choropleth import choropleth_figure
from geosafety.render.drawing import draw
from geosafety.render.interactive import MapLayer, MapPoints, MapText, interactive_map, save_map

if TYPE_CHECKING:
    import folium

_LEVEL_NOTES = {
    "lsoa": "Records are placed by police.uk's LSOA code (LSOA 2011 codes converted with the "
            "ONS lookup); partner records by coordinates or postcode of residence.",
    "ward": "Wards are built from LSOAs with the ONS best-fit lookup, for counts and "
            "population alike.",
    "postcode_district": "Postcode districts are unions of LSOAs, each given to the district "
                         "holding most of its postcodes (Code-Point Open).",
}


def _ward_note(result: Assessment) -> str:
    """Name the wards no LSOA best-fits into, if any, and say where their figures are."""
    empty = result.area.wards_without_lsoas
    if not empty:
        return ""
    return (f" {len(empty)} ward(s) hold no LSOA's population-weighted centroid "
            f"({', '.join(empty)}): their records and residents are counted in the wards "
            "holding their LSOAs, so they show with no rate.")


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
               "rank 1 = highest rate. Rate and count use natural breaks. Each rate has its "
               "confidence interval (Public Health England's method: Byar's, exact below 10 "
               f"events), and 'compared with {area.name}' says whether that interval lies "
               f"wholly above (higher) or below (lower) {area.name}'s rate, or includes it "
               "(similar). "
               f"{_LEVEL_NOTES[level]}{_ward_note(result) if level == 'ward' else ''} Areas "
               "with few residents (town centres) can have high "
               "rates from few events: check the count; the tooltip flags a small "
               "denominator and gives the empirical Bayes smoothed rate"
               + (" (ranks and deciles use it)" if _smoothed(result) else "") + ". On the "
               "LSOA map, 'Hot and cold spots' shows Getis-Ord Gi* clusters of high or low "
               "rates after a false discovery rate correction; the hot-spot map shows them "
               "for police.uk points on a grid. MARAC and CJIT figures are "
               "disclosure-controlled: small counts, and counts that would reveal them, are "
               "suppressed (hatched), and their rates and ranks are not shown. Night-time economy "
               "layers count offences of the force extract by the share of each offence's "
               "time window inside the night-time hours (aoristic), so counts can have "
               "decimals. Layers marked SYNTHETIC come from made-up example data."),
        area_label=LEVELS[level],
        attribution=ATTRIBUTION,
        study_area=area.name,
    )


def _smoothed(result: Assessment) -> bool:
    frame = result.measures["lsoa"]
    return "ranked_by" in frame and (frame["ranked_by"] != "rate").any()


def _hotspots(result: Assessment, level: str, category: str) -> dict:
    """Each LSOA's Gi* class for a police.uk category (nothing at other levels)."""
    stats = result.small_areas
    if level != "lsoa" or stats is None or stats.hotspots.empty:
        return {}
    rows = stats.hotspots[stats.hotspots["category"] == category]
    return {"hotspot": rows["hotspot"]} if len(rows) else {}


def map_layers(result: Assessment, level: str) -> list[MapLayer]:
    """Every category of every source at one level, as map layers."""
    layers = []
    frame = result.measures[level]
    main = frame[frame["period"] == result.period.label]
    for category in result.categories:
        rows = main[main["category"] == category].assign(**_hotspots(result, level, category))
        layers.append(MapLayer("police.uk", category, rows["rate_unit"].iloc[0],
                               POLICE_UK_SOURCE, "residents", rows.assign(suppressed=False)))
    for partner in result.partners:
        if level not in partner.measures:
            continue
        frame = partner.measures[level]
        for category in partner.categories:
            rows = frame[frame["category"] == category]
            rows = rows.rename(columns={"expected_safelives": "expected"})
            layers.append(MapLayer(partner.spec.title, category, partner.spec.unit,
                                   partner.label, partner.spec.population, rows,
                                   partner.synthetic, partner.spec.sensitive))
    times = result.time_of_day
    if times is not None:
        frame = times.nte_measures[level]
        group = nte_group(result)
        for category in times.nte_categories:
            rows = frame[frame["category"] == category]
            layers.append(MapLayer(group, category, rows["rate_unit"].iloc[0], times.source,
                                   "residents", rows.assign(suppressed=False), times.synthetic,
                                   count_digits=1))
    return layers


def map_points(result: Assessment) -> MapPoints | None:
    """Return the night-time premises as map points (None without a premises file)."""
    if result.premises is None:
        return None
    synthetic = is_synthetic(result.premises["source_file"].unique().tolist())
    label = category_label("Night-time premises", synthetic)
    return MapPoints(label, result.premises, groups=(nte_group(result),), synthetic=synthetic)


def nte_group(result: Assessment) -> str:
    """Return the layer group name of the night-time economy layers."""
    synthetic = result.time_of_day is not None and result.time_of_day.synthetic
    return category_label("Night-time economy", synthetic)


def write_maps(result: Assessment, folder: Path, *, figures: Path | None = None,
               progress: bool = False) -> list[Path]:
    """Write one interactive map per level, print-ready figures and ``index.html``.

    Each map holds every layer; the figures go to ``figures`` (default ``figures/`` beside
    the maps).
    """
    figures = folder / "figures" if figures is None else figures
    written = []
    for level in tqdm(LEVELS, desc="Writing maps", unit="map", disable=not progress):
        fmap = interactive_map(result.area.areas(level), result.area.wards,
                               map_layers(result, level), _map_text(result, level),
                               label_areas=level == "postcode_district",
                               points=map_points(result))
        written.append(save_map(fmap, folder / f"{level}.html"))
    grid = hotspot_map(result)
    if grid is not None:
        written.append(save_map(grid, folder / "hotspots.html"))
    localities = locality_map(result)
    if localities is not None:
        written.append(save_map(localities, folder / "locality.html"))
    drawn = write_figures(result, figures, progress=progress)
    index = folder / "index.html"
    index.write_text(_index_html(result, written, Path(os.path.relpath(figures, folder))),
                     encoding="utf-8")
    return [*written, *drawn, index]


def locality_layers(result: Assessment) -> list[MapLayer]:
    """Every category of every source with locality measures, as map layers."""
    layers = []
    police = result.locality_measures.get("")
    if police is not None:
        main = police[police["period"].astype(str) == result.period.label]
        for category in result.categories:
            rows = main[main["category"] == category]
            if len(rows):
                layers.append(MapLayer("police.uk", category, rows["rate_unit"].iloc[0],
                                       POLICE_UK_SOURCE, "residents", rows))
    for partner in result.partners:
        frame = result.locality_measures.get(partner.file_stem)
        if frame is None:
            continue
        for category in partner.categories:
            rows = frame[frame["category"] == category]
            layers.append(MapLayer(partner.spec.title, category, partner.spec.unit,
                                   partner.label, partner.spec.population, rows,
                                   partner.synthetic, partner.spec.sensitive))
    return layers


def locality_map(result: Assessment) -> folium.Map | None:
    """Build the interactive map of the partnership's localities (None without them)."""
    localities = result.localities
    if localities is None:
        return None
    area = result.area
    definition = localities.note or f"from {Path(localities.source).name}"
    text = MapText(
        title=f"Community safety: rates by locality, {area.name}",
        period=f"{result.period.describe()} (police.uk months {result.period.start} to "
               f"{result.period.end})",
        boundaries=f"Localities: whole wards ({definition}); wards: {area.vintages['ward']}. "
                   f"Population: {area.vintages['population']}.",
        notes=("Each locality's count and population are the sums of its wards'. Rank 1 = "
               "highest rate; colours show the decile of the rate among the localities. "
               "A locality of a disclosure-controlled source (MARAC, CJIT) is shown only "
               "when all its wards are, so it reveals nothing the ward map does not. "
               "Layers marked SYNTHETIC come from made-up example data."),
        area_label="Locality", attribution=ATTRIBUTION, study_area=area.name)
    return interactive_map(locality_areas(area, localities), area.wards,
                           locality_layers(result), text, label_areas=True)


def hotspot_map(result: Assessment) -> folium.Map | None:
    """Map police.uk point hot spots on the grid, a layer per category (None without any)."""
    stats = result.small_areas
    if stats is None or stats.grid is None or stats.grid.table.empty:
        return None
    cells = stats.grid.cells.assign(area_name=stats.grid.cells.index)
    layers = []
    table = stats.grid.table
    for category in category_order(table["category"].unique()):
        rows = table[table["category"] == category]
        frame = rows.assign(rate=None, rank=None, n_areas=0, decile=None, suppressed=False)
        layers.append(MapLayer("police.uk points", str(category), "", POLICE_UK_SOURCE, "",
                               frame))
    area = result.area
    size = f"{stats.grid.cell_size:,.0f} m"
    text = MapText(
        title=f"Community safety: hot spots of police.uk points, {area.name}",
        period=f"{result.period.describe()} (police.uk months {result.period.start} to "
               f"{result.period.end})",
        boundaries=f"{size} grid cells (British National Grid) over {area.name}; wards: "
                   f"{area.vintages['ward']}.",
        notes=(f"Each {size} cell's count of police.uk records, and its Getis-Ord Gi* "
               "statistic with the eight cells around it: a hot spot has more events nearby "
               "than chance would give (conditional permutation, 9,999 draws), after a "
               "Benjamini-Hochberg false discovery rate correction over the cells; 99%, 95% "
               "and 90% are q below 0.01, 0.05 and 0.10. police.uk places records at "
               "anonymised map points near the street, so a hot spot is approximate to a "
               "street. Cold spots on open land mean few events near them, not safety."),
        area_label=f"Grid cell ({size})", attribution=ATTRIBUTION, study_area=area.name)
    return interactive_map(cells, area.wards, layers, text, measures=("hotspot", "count"))


def write_figures(result: Assessment, folder: Path, *, progress: bool = False) -> list[Path]:
    """Draw a print-ready figure per category: LSOA level, ward level if sensitive."""
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
        stem = figure_stem(layer.name, layer.synthetic)
        written += draw(
            choropleth_figure, areas, result.area.wards, path=folder / f"{level}_{stem}.png",
            title=f"{layer.name}: rate rank by {LEVELS[level]}, {result.area.name}",
            subtitle=f"{result.period.describe()}. Rate {layer.unit}; decile 1 = highest "
                     "tenth of areas." + (" SYNTHETIC example data, not real records."
                                          if layer.synthetic else ""),
            footnote=f"Source: {layer.source}. Boundaries: {result.area.vintages[level]}; "
                     f"{result.area.vintages['ward']}. {ATTRIBUTION}",
            points=premises.frame if premises and nte else None,
            points_label=premises.label if premises and nte else "")
    return written + locality_figures(result, folder)


#: Categories drawn zoomed to each locality.
LOCALITY_FIGURES = ("All crime", "Anti-social behaviour")


def locality_figures(result: Assessment, folder: Path) -> list[Path]:
    """Write LSOA rate-rank figures zoomed to each locality, coloured by area-wide deciles.

    One figure per locality and category of :data:`LOCALITY_FIGURES`, named
    ``locality_<locality>_<category>.png``; the same decile means the same thing in every
    locality, since deciles are those of the whole area.
    """
    localities = result.localities
    if localities is None:
        return []
    written: list[Path] = []
    layers = {x.name: x for x in map_layers(result, "lsoa") if x.group == "police.uk"}
    lsoas = result.area.areas("lsoa")
    note = f" Localities: {localities.note}." if localities.note else ""
    for name in localities.names:
        wards = localities.wards_of(name)
        inside = lsoas[lsoas["ward_code"].isin(wards)]
        for category in (c for c in LOCALITY_FIGURES if c in layers):
            layer = layers[category]
            areas = inside.join(layer.frame[["decile", "rank", "suppressed"]])
            written += draw(
                choropleth_figure, areas, result.area.wards.loc[wards],
                path=folder / f"locality_{slug(name)}_{figure_stem(category)}.png",
                title=f"{category}: rate rank by LSOA, {name} ({result.area.name})",
                subtitle=f"{result.period.describe()}. Rate {layer.unit}; deciles of all "
                         f"{result.area.name}'s LSOAs, 1 = highest tenth.{note}",
                footnote=f"Source: {layer.source}. Boundaries: "
                         f"{result.area.vintages['lsoa']}; {result.area.vintages['ward']}. "
                         f"{ATTRIBUTION}")
    return written


def _index_html(result: Assessment, maps: list[Path], figures: Path) -> str:
    e = html.escape
    layers = [f"{e(layer.group)}: {e(layer.name)}" for layer in map_layers(result, "lsoa")]
    names = {**{level: f"{name} map" for level, name in LEVELS.items()},
             "locality": "Locality map", "hotspots": "Hot-spot map"}
    links = "".join(f'<li><a href="{e(p.name)}">{e(names.get(p.stem, p.stem))}</a></li>'
                    for p in maps)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Maps: {e(result.area.name)}</title>
<style>body{{font:15px system-ui,sans-serif;margin:2em;max-width:60em}}</style></head><body>
<h1>Community safety maps: {e(result.area.name)}</h1>
<p>Period: {e(result.period.describe())}. Each map holds every layer; choose one with the
Layer control, and rate rank, rate or count with the Measure control. The maps work offline.
Print-ready figures are in the <code>{e(figures.as_posix())}</code> folder.</p>
<ul>{links}</ul>
<h2>Layers</h2><ul>{"".join(f"<li>{layer}</li>" for layer in layers)}</ul>
<p><small>{e(ATTRIBUTION)}</small></p></body></html>
"""


