"""Small-area statistics of an assessment: funnels, hot spots and hot-spot change.

Everything here works on non-sensitive sources only (police.uk and fire): a funnel point or
a hot spot of MARAC or CJIT would show counts disclosure control hides.

* **Funnels** (:mod:`~geosafety.analysis.funnel`) of every category's LSOA and ward rates
  against the study area's rate.
* **Hot spots** (:mod:`~geosafety.analysis.hotspots`): Gi* and local Moran of LSOA rates;
  Gi* of police.uk points in grid cells; and the LSOAs' hot-spot history over the complete
  periods of the trend data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geosafety.analysis.funnel import Funnel, funnel
from geosafety.analysis.hotspots import (
    GridHotspots,
    area_hotspots,
    grid_hotspots,
    hotspot_change,
)
from geosafety.analysis.partners import PartnerLayer
from geosafety.analysis.trends import Trends
from geosafety.geography import StudyArea
from geosafety.geography.neighbours import grid_cells, grid_weights
from geosafety.measures.categories import police_uk_events
from geosafety.measures.crime import RATE_PER
from geosafety.measures.periods import Period, period_label

#: Levels with funnels.
FUNNEL_LEVELS = ("lsoa", "ward")
#: Fewest areas with residents a funnel is drawn for.
MIN_FUNNEL_AREAS = 5
POLICE_UK = "police.uk"


@dataclass
class SmallAreaStatistics:
    """Funnels and hot spots of the non-sensitive sources.

    Attributes
    ----------
    funnels : list of (source, level, category, Funnel)
    hotspots : pandas.DataFrame
        Gi* and local Moran per police.uk category and LSOA (see
        :func:`~geosafety.analysis.hotspots.area_hotspots`).
    grid : GridHotspots, optional
        Gi* of police.uk points in grid cells.
    change : pandas.DataFrame
        Hot-spot history of LSOA rates across ``change_periods``.
    change_periods : list of str
        The complete trend periods compared (oldest first).
    """

    funnels: list[tuple[str, str, str, Funnel]] = field(default_factory=list, repr=False)
    hotspots: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    grid: GridHotspots | None = None
    change: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    change_periods: list[str] = field(default_factory=list)

    def funnel_table(self, level: str) -> pd.DataFrame:
        """Every funnel of one level as one table, a row per source, category and area."""
        rows = []
        for source, found_level, category, found in self.funnels:
            if found_level != level:
                continue
            table = found.areas.reset_index().rename(columns={"index": "area_code"})
            table.insert(0, "source", source)
            table.insert(1, "category", category)
            table["target_rate"] = found.target
            table["rate_unit"] = found.unit
            table["phi"] = found.phi
            table["tau2"] = found.tau2
            table["overdispersed"] = found.overdispersed
            rows.append(table)
        return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def _funnels(frame: pd.DataFrame, areas: pd.DataFrame, source: str, level: str,
             population: str, per: float, unit: str) -> list[tuple[str, str, str, Funnel]]:
    names = areas["area_name"].astype(str)
    if "ward_name" in areas:  # an LSOA is known by its ward: "Sefton 004I (Duke's)"
        names = names + " (" + areas["ward_name"].astype(str) + ")"
    out = []
    for category, rows in frame.groupby("category", sort=False):
        populated = rows[rows[population] > 0]
        if populated["count"].sum() <= 0 or len(populated) < MIN_FUNNEL_AREAS:
            continue
        out.append((source, level, str(category), funnel(
            rows["count"], rows[population], names, per=per, unit=unit,
            title=f"{category}, {level}")))
    return out


def _points(located: pd.DataFrame) -> pd.DataFrame:
    """police.uk events with British National Grid coordinates (records without are left out)."""
    events = police_uk_events(located.dropna(subset=["longitude", "latitude"]))
    points = gpd.GeoSeries(gpd.points_from_xy(events["longitude"], events["latitude"]),
                           crs="EPSG:4326", index=events.index).to_crs("EPSG:27700")
    return pd.DataFrame({"category": events["category"].to_numpy(),
                         "easting": points.x.to_numpy(), "northing": points.y.to_numpy()})


def _change_counts(trends: Trends) -> tuple[pd.DataFrame, list[str]]:
    table = trends.by_financial_year if trends.basis == "financial-year" else trends.by_year
    complete = sorted(table.loc[table["complete"], "period"].unique())
    if len(complete) < 2 or trends.records is None:
        return pd.DataFrame(), []
    events = police_uk_events(trends.records)
    events["period"] = period_label(events["month"], trends.basis)
    events = events[events["period"].isin(complete) & events["lsoa21_code"].notna()]
    counts = (events.groupby(["category", "period", "lsoa21_code"]).size().rename("count")
              .reset_index().rename(columns={"lsoa21_code": "area_code"}))
    return counts, complete


def small_area_statistics(measures: dict[str, pd.DataFrame], located: pd.DataFrame,
                          area: StudyArea, period: Period, *,
                          partners: list[PartnerLayer] | None = None,
                          trends: Trends | None = None) -> SmallAreaStatistics:
    """Funnels, hot spots and hot-spot change for the period's non-sensitive sources.

    Parameters
    ----------
    measures : dict of str to pandas.DataFrame
        police.uk measures per level (true figures).
    located : pandas.DataFrame
        The period's located police.uk records (with ``longitude``/``latitude``).
    area : StudyArea
    period : Period
        Sub-periods are left out.
    partners : list of PartnerLayer, optional
        Non-sensitive layers (fire) get funnels too.
    trends : Trends, optional
        Several years of records, for hot-spot change.
    """
    out = SmallAreaStatistics()
    for level in FUNNEL_LEVELS:
        frame = measures[level][measures[level]["period"] == period.label]
        out.funnels += _funnels(frame, area.areas(level), POLICE_UK, level, "residents",
                                RATE_PER, frame["rate_unit"].iloc[0])
        for layer in partners or []:
            if layer.spec.sensitive or level not in layer.measures or layer.pre_aggregated:
                continue
            rows = layer.measures[level]
            out.funnels += _funnels(rows[rows["period"] == period.label], area.areas(level),
                                    layer.label, level, layer.spec.population, layer.spec.per,
                                    layer.spec.unit)
    lsoa = measures["lsoa"][measures["lsoa"]["period"] == period.label]
    weights = area.neighbours("lsoa")
    out.hotspots = area_hotspots(lsoa, weights)
    cells = grid_cells(area.outline)
    out.grid = grid_hotspots(_points(located), cells, grid_weights(cells))
    if trends is not None:
        counts, periods = _change_counts(trends)
        if periods:
            out.change = hotspot_change(counts, area.lsoas["residents"], weights)
            out.change_periods = periods
    return out
