"""Writing the small-area statistics: funnels, hot spots, hot-spot change, and their methods."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geosafety.analysis.assessment import Assessment
from geosafety.analysis.funnel import VERDICTS
from geosafety.analysis.hotspots import CHANGE_CLASSES, MIN_EVENTS_PER_AREA, PERMUTATIONS
from geosafety.analysis.small_areas import POLICE_UK, SmallAreaStatistics
from geosafety.io.datasets import ATTRIBUTION
from geosafety.io.labels import SYNTHETIC_LABEL
from geosafety.io.police_uk import POLICE_UK_SOURCE
from geosafety.measures.categories import slug
from geosafety.measures.smoothing import SMALL_SHARE
from geosafety.render.charts import funnel_chart
from geosafety.render.drawing import draw
from geosafety.report.markdown import write_markdown
from geosafety.report.tables import Charts, write_csv

#: Categories drawn as funnel plots (every category is in the tables).
FUNNEL_PLOTS = ("All crime", "Anti-social behaviour", "Violence and sexual offences",
                "Burglary", "Criminal damage and arson", "Drugs")
LEVEL_WORDS = {"lsoa": "LSOAs", "ward": "wards"}

#: The method notes, one per figure, each with its references.
METHOD_NOTES = {
    "Rates and intervals": (
        "Every rate has a {level} confidence interval by Public Health England's method: "
        "Byar's approximation for 10 events or more, the exact Poisson (chi-squared) limits "
        "below 10 (Breslow and Day 1987; Armitage and Berry 2002; PHE Fingertips technical "
        "guidance; PHEindicatormethods `phe_rate`). An area is *higher* or *lower* than "
        "{area} when its whole interval lies above or below {area}'s rate "
        "(`compared_with_area`), otherwise *similar*."),
    "Smoothed rates": (
        "`rate_eb_global` and `rate_eb_spatial` are empirical Bayes rates (Marshall 1991; "
        "esda `Empirical_Bayes`, `Spatial_Empirical_Bayes` with queen contiguity): each "
        "area's rate is pulled towards {area}'s rate, or its neighbourhood's, the more so "
        "the fewer its residents. {ranked} `small_denominator` flags areas among the "
        "smallest {small:.0%} by population whose rate is in the highest local decile: a "
        "high rate there may reflect a population at risk that residents do not measure "
        "(town centres)."),
    "Funnel plots": (
        "Each area's rate against its population, with the 95% and 99.8% control limits "
        "around {area}'s rate. Poisson limits are exact; because area counts vary far more "
        "than Poisson counts do, the limits areas are judged against allow for "
        "over-dispersion (Spiegelhalter 2005, BMJ Quality & Safety 14:347): z-scores on the "
        "square-root scale, Winsorised at 10%, give the dispersion phi; when it is "
        "significant (chi-squared test) a between-area variance tau^2 is added "
        "(additive random-effects limits, as FunnelPlotR and CQC use). The multiplicative "
        "limits are in the tables too. Sensitive sources (MARAC, CJIT) have no funnels."),
    "Hot spots": (
        "Getis-Ord Gi* (Getis and Ord 1992; Ord and Getis 1995) of each LSOA's rate with "
        "its queen-contiguous neighbours, and local Moran's I (Anselin 1995), both with "
        "esda's conditional permutation inference ({permutations:,} permutations, fixed "
        "seed), then the Benjamini-Hochberg false discovery rate over the LSOAs of each "
        "category: a hot spot at 95% has q < 0.05. Grid hot spots are Gi* of police.uk "
        "points counted in {cell:,.0f} m cells over {area} (50 cells across its shorter "
        "side, the sfhotspot rule), each cell with the eight around it. police.uk points "
        "are snapped to anonymised map points, so grid hot spots are approximate to a "
        "street. Categories need at least {min_events:g} event per LSOA on average "
        "(0.5 per cell for the grid)."),
    "Hot-spot change": (
        "For each complete period of the trend data ({periods}), every LSOA's Gi* hot-spot "
        "status at 95% (FDR) on LSOA 2021 boundaries. *New*: hot only in the last period; "
        "*persistent*: hot in the last and in at least 80% of the earlier periods, "
        "*intensifying* or *diminishing* when its Gi* z-scores rise or fall significantly "
        "(Mann-Kendall, p < 0.05); *sporadic*: hot in the last period and some earlier "
        "ones; *former*: hot earlier but not in the last period (as sfhotspot's "
        "`hotspot_classify` and emerging hot-spot analysis classify them)."),
}


def _funnel_summary(stats: SmallAreaStatistics) -> pd.DataFrame:
    rows = []
    for source, level, category, found in stats.funnels:
        verdicts = found.areas["verdict"].value_counts()
        rows.append({"source": source, "level": level, "category": category,
                     "areas": len(found.areas), "target_rate": found.target,
                     "rate_unit": found.unit, "phi": found.phi, "tau2": found.tau2,
                     "overdispersed": found.overdispersed,
                     **{f"areas_{v.replace(' ', '_').replace('.', '_').replace('%', 'pc')}":
                        int(verdicts.get(v, 0)) for v in VERDICTS}})
    return pd.DataFrame(rows)


def _names(frame: pd.DataFrame, most: int = 8) -> str:
    names = [f"{r.area_name} ({r.rate:,.1f})" for r in frame.head(most).itertuples()]
    more = f" and {len(frame) - most} more" if len(frame) > most else ""
    return ", ".join(names) + more


def funnel_lines(stats: SmallAreaStatistics, area_name: str) -> list[str]:
    """Say, per featured police.uk category and level, which areas lie beyond 99.8%."""
    lines = []
    for source, level, category, found in stats.funnels:
        if source != POLICE_UK or category not in FUNNEL_PLOTS:
            continue
        above = found.areas[found.areas["verdict"] == "above 99.8%"].sort_values(
            "z", ascending=False)
        below = found.areas[found.areas["verdict"] == "below 99.8%"]
        judged = (f"allowing for over-dispersion (phi {found.phi:.1f})"
                  if found.overdispersed else "Poisson limits (no significant "
                  "over-dispersion)")
        lines.append(
            f"- {category}, {LEVEL_WORDS[level]} ({area_name} {found.target:,.1f} "
            f"{found.unit}; {judged}): {len(above)} above the 99.8% limit"
            + (f": {_names(above)}" if len(above) else "")
            + f"; {len(below)} below it.")
    return lines


def hotspot_lines(stats: SmallAreaStatistics) -> list[str]:
    """Say, per category, how many LSOA hot and cold spots there are, naming the hottest."""
    lines = []
    if not stats.hotspots.empty:
        for category, rows in stats.hotspots.groupby("category", sort=False):
            hot = rows[rows["hotspot"].str.startswith("hot spot") & (rows["gi_q"] < 0.05)]
            cold = rows[rows["hotspot"].str.startswith("cold spot") & (rows["gi_q"] < 0.05)]
            if hot.empty and cold.empty:
                continue
            top = hot.sort_values("gi_z", ascending=False).head(6)
            named = ", ".join(f"{r.area_name} ({r.ward_name})" if "ward_name" in top else
                              str(r.area_name) for r in top.itertuples())
            lines.append(f"- {category}: {len(hot)} LSOA hot spot(s) at 95% (FDR)"
                         + (f" ({named})" if len(hot) else "")
                         + f", {len(cold)} cold spot(s); local Moran high-high clusters: "
                         f"{int((rows['cluster'] == 'high-high').sum())}.")
    return lines


def change_lines(stats: SmallAreaStatistics) -> list[str]:
    """Say, per category, how many LSOAs fall in each hot-spot change class."""
    if stats.change.empty:
        return []
    lines = []
    for category, rows in stats.change.groupby("category", sort=False):
        counts = rows["change"].value_counts()
        shown = [f"{counts[c]} {c}" for c in CHANGE_CLASSES if c != "never" and c in counts]
        if shown:
            lines.append(f"- {category}: " + ", ".join(shown) + ".")
    return lines


def write_small_areas(result: Assessment, folder: Path,
                      charts: Charts | None = None) -> list[Path]:
    """Write funnels, hot spots and hot-spot change, with their plots and method notes."""
    charts = charts or Charts.beside(folder)
    stats = result.small_areas
    if stats is None:
        return []
    written = []
    for level in ("lsoa", "ward"):
        table = stats.funnel_table(level)
        if not table.empty:
            written.append(write_csv(table, folder / f"funnel_{level}.csv"))
    written.append(write_csv(_funnel_summary(stats), folder / "funnel_summary.csv"))
    if not stats.hotspots.empty:
        written.append(write_csv(stats.hotspots.reset_index(), folder / "hotspots_lsoa.csv"))
    if stats.grid is not None and not stats.grid.table.empty:
        cells = stats.grid.cells.geometry.centroid
        grid = stats.grid.table.join(pd.DataFrame({"easting": cells.x.round(1),
                                                   "northing": cells.y.round(1)}))
        written.append(write_csv(grid.reset_index(), folder / "hotspots_grid.csv"))
    if not stats.change.empty:
        written.append(write_csv(stats.change.reset_index(), folder / "hotspot_change.csv"))
    area = result.area.name
    footnote = (f"Source: {POLICE_UK_SOURCE}; Census 2021 residents (ONS). "
                f"{result.period.describe()}. Control limits: Spiegelhalter (2005). "
                f"{ATTRIBUTION}")
    for source, level, category, found in stats.funnels:
        if category.replace(f" ({SYNTHETIC_LABEL})", "") not in FUNNEL_PLOTS and not (
                source != POLICE_UK and category.startswith("All fires")):
            continue
        prefix = "" if source == POLICE_UK else f"{slug(source.split(' (')[0])}_"
        written += draw(
            funnel_chart, found, path=charts.path(f"funnel_{prefix}{level}_{slug(category)}.png"),
            title=f"{category}: {LEVEL_WORDS[level]} of {area} against {area}'s rate",
            footnote=footnote if source == POLICE_UK else f"Source: {source}. {ATTRIBUTION}",
            synthetic=SYNTHETIC_LABEL in source and SYNTHETIC_LABEL not in category)
    written.append(_write_notes(result, stats, folder, charts))
    return written


def _write_notes(result: Assessment, stats: SmallAreaStatistics, folder: Path,
                 charts: Charts) -> Path:
    area = result.area.name
    measures = result.measures["lsoa"]
    basis = str(measures["ranked_by"].iloc[0]) if "ranked_by" in measures else "rate"
    ranked = ("Ranks and map deciles use the raw rate." if basis == "rate" else
              f"Ranks and map deciles use `{basis}` (chosen with --smooth).")
    level = str(measures["confidence"].iloc[0]) if "confidence" in measures else "95%"
    cell = stats.grid.cell_size if stats.grid is not None else 0
    values = {"area": area, "level": level, "ranked": ranked, "small": SMALL_SHARE,
              "permutations": PERMUTATIONS, "cell": cell, "min_events": MIN_EVENTS_PER_AREA,
              "periods": ", ".join(stats.change_periods) or "none"}
    lines = [f"# Small-area statistics: {area}, {result.period.describe()}", "",
             "Funnel plots, hot spots and hot-spot change for police.uk (and fire, where "
             "given). The tables behind every figure: `funnel_lsoa.csv`, `funnel_ward.csv`, "
             "`funnel_summary.csv`, `hotspots_lsoa.csv`, `hotspots_grid.csv`, "
             "`hotspot_change.csv`; rates with intervals and smoothed rates are in "
             "`measures_*.csv`.", "", "## Areas outside the funnel limits", ""]
    lines += funnel_lines(stats, area) or ["- None."]
    lines += ["", f"![All crime funnel, LSOAs]({charts.href('funnel_lsoa_all-crime.png')})", "",
              "## Hot spots (current period)", ""]
    lines += hotspot_lines(stats) or ["- No hot or cold spot survives the false discovery "
                                       "rate correction."]
    lines += ["", f"## Hot-spot change ({', '.join(stats.change_periods) or 'no trend data'})",
              ""]
    lines += change_lines(stats) or ["- Not enough complete periods of trend data."]
    lines += ["", "## Methods", ""]
    lines += [f"**{title}.** {text.format(**values)}" + "\n" for title, text in
              METHOD_NOTES.items()]
    lines += ["", ATTRIBUTION, ""]
    path = folder / "small_area_statistics.md"
    write_markdown(path, "\n".join(lines))
    return path
