"""Partner layers: fire incidents, MARAC cases and CJIT clients, with the right denominators.

* Fires: per 100,000 residents.
* MARAC cases: per 10,000 adults aged 18+, beside the SafeLives expectation of 40 cases per
  10,000 adults a year (shown as the expected number for each area).
* CJIT clients: per 100,000 adults aged 18+; "contacts" count every episode, "individuals"
  count distinct clients.

The layers made here hold the true figures. MARAC and CJIT are sensitive: before anything
of theirs is published it goes through disclosure control
(:func:`geosafety.disclosure.protect_partner`). Data whose file name contains "SYNTHETIC" is
labelled so in every category name, table and map.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geosafety._levels import LEVELS
from geosafety.geography import AREA_COLUMNS, StudyArea
from geosafety.geography.status import Placement
from geosafety.io.fire import FIRE_GROUPS
from geosafety.io.labels import category_label, file_stem, is_synthetic, source_label
from geosafety.io.local_layers import LocalLayer
from geosafety.io.plausibility import warn_far_from_period
from geosafety.measures.by_area import (
    add_rate_intervals,
    area_measures,
    rank_visible,
    rate,
    rate_unit,
)
from geosafety.measures.periods import Period, require_in_period
from geosafety.measures.smoothing import add_smoothed_rates


@dataclass(frozen=True)
class PartnerSpec:
    """What a partner source is and how its rates are expressed."""

    key: str
    title: str
    source: str
    population: str
    per: int
    sensitive: bool
    expected_per_10000_adults: float | None = None
    records: str = "records"

    @property
    def unit(self) -> str:
        """E.g. "per 10,000 adults aged 18+"."""
        return rate_unit(self.per, self.population)


SPECS = {
    "fire": PartnerSpec("fire", "Fire incidents", "fire and rescue service incident records",
                        "residents", 100_000, sensitive=False, records="fire incidents"),
    "marac": PartnerSpec("marac", "MARAC", "MARAC case records (high-risk domestic abuse)",
                         "adults", 10_000, sensitive=True, expected_per_10000_adults=40.0,
                         records="MARAC case records"),
    "cjit": PartnerSpec("cjit", "CJIT", "CJIT client records (drug-using offenders in "
                        "treatment)", "adults", 100_000, sensitive=True,
                        records="CJIT client records"),
}


@dataclass
class PartnerLayer:
    """One partner source, assessed: measures per level (true, or protected once published).

    Attributes
    ----------
    spec : PartnerSpec
    synthetic : bool
        True when the input is SYNTHETIC example data.
    files : list of str
    placement : pandas.Series
        Records by how they were placed (or why not); once protected, small counts of
        sensitive sources read "fewer than 5".
    measures : dict of str to pandas.DataFrame
        Measures per level (only the levels the data reaches), indexed by area code.
    reconciliation : pandas.DataFrame
        Per category: records, and the sum of area counts at each level.
    threshold : int, optional
        The disclosure threshold applied, once the layer is protected.
    notes : list of str
        What a reader should know (e.g. areas missing from a table, taken as 0).
    lsoa_counts : pandas.DataFrame, optional
        True counts per category and LSOA before suppression, for deprivation statistics;
        kept in memory only and never written.
    hidden_groups : dict of str to set of str
        Per category, the grouping cells (e.g. ``"quintile_local:1"``) that disclosure
        control hides, so derived comparisons are withheld too.
    pre_aggregated : bool
        True for a table of counts by area (no records, no placement).
    """

    spec: PartnerSpec
    synthetic: bool
    files: list[str]
    placement: pd.Series
    measures: dict[str, pd.DataFrame]
    reconciliation: pd.DataFrame
    threshold: int | None = None
    notes: list[str] = field(default_factory=list)
    lsoa_counts: pd.DataFrame | None = field(default=None, repr=False)
    hidden_groups: dict[str, set[str]] = field(default_factory=dict)
    pre_aggregated: bool = False

    @property
    def label(self) -> str:
        """Source name as shown everywhere, with the SYNTHETIC label where it applies."""
        return source_label(self.spec.source, self.synthetic)

    @property
    def file_stem(self) -> str:
        """Stem for output files, e.g. ``marac_SYNTHETIC``."""
        return file_stem(self.spec.key, self.synthetic)

    @property
    def categories(self) -> list[str]:
        """Categories in their defined order (e.g. All fires first)."""
        return self.reconciliation["category"].tolist()

    @property
    def suppressed_cells(self) -> int:
        """Published area cells hidden by disclosure control, over all levels."""
        return int(sum(frame["suppressed"].sum() for frame in self.measures.values()))


def fire_events(incidents: pd.DataFrame, synthetic: bool) -> pd.DataFrame:
    """One event per fire and group it belongs to."""
    parts = [incidents.loc[incidents[g], ["lsoa21_code", "ward_code", "postcode_district",
                                          "month"]].assign(category=category_label(g, synthetic))
             for g in FIRE_GROUPS]
    return pd.concat(parts, ignore_index=True)


def case_events(cases: pd.DataFrame, spec: PartnerSpec, synthetic: bool) -> pd.DataFrame:
    """Cases (or contacts) and, where client ids exist, individuals."""
    names = {"marac": ("MARAC cases", "MARAC victims (individuals)"),
             "cjit": ("CJIT contacts", "CJIT individuals")}[spec.key]
    columns = ["lsoa21_code", "ward_code", "postcode_district", "month", "client_id"]
    events = [cases[columns].assign(category=category_label(names[0], synthetic))]
    if cases["client_id"].notna().any():
        events.append(cases.loc[cases["client_id"].notna(), columns].assign(
            category=category_label(names[1], synthetic), distinct=True))
    return pd.concat(events, ignore_index=True)


def _level_events(events: pd.DataFrame, level: str) -> pd.DataFrame:
    column = AREA_COLUMNS[level]
    placed = events[events[column].notna()]
    if "distinct" not in placed.columns:
        return placed
    people = placed["distinct"].eq(True)
    unique_people = placed[people].drop_duplicates(["category", column, "client_id"])
    return pd.concat([placed[~people], unique_people], ignore_index=True)


def layer_measures(events: pd.DataFrame, area: StudyArea, spec: PartnerSpec,
                   period: Period, *, confidence: float = 0.95, smooth: str | None = None,
                   ) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Measures per level for one partner layer, and its reconciliation (true figures).

    Returns the measures, indexed by area code, at each level the events reach; and per
    category the records and the sum of area counts at each level (``placed_<level>``).
    """
    events = events[period.contains(events["month"])].assign(period=period.label)
    measures = {}
    for level in LEVELS:
        level_events = _level_events(events, level)
        if level_events.empty:
            continue
        areas = area.areas(level)
        frame = area_measures(level_events, areas, area_col=AREA_COLUMNS[level],
                              population_col=spec.population, per=spec.per,
                              confidence=confidence)
        if not spec.sensitive:  # smoothing borrows from neighbours: never for hidden counts
            add_smoothed_rates(frame, area.neighbours(level), population_col=spec.population,
                               per=spec.per, by=["category", "period"], smooth=smooth,
                               grid_areas=len(areas))
        if level == "lsoa":
            frame.insert(1, "ward_name", areas["ward_name"].reindex(frame.index).to_numpy())
        if spec.expected_per_10000_adults:
            frame.insert(frame.columns.get_loc("rate_unit"), "expected_safelives",
                         (frame["adults"] * spec.expected_per_10000_adults / 10_000).round(1))
        frame["suppressed"] = False
        measures[level] = frame
    return measures, _reconcile(events, measures)


def _reconcile(events: pd.DataFrame, measures: dict[str, pd.DataFrame]) -> pd.DataFrame:
    people = (events["distinct"].eq(True) if "distinct" in events.columns
              else pd.Series(False, index=events.index))
    records = events[~people].groupby("category", sort=False).size()
    if people.any():
        records = pd.concat([records, events[people].groupby("category", sort=False)[
            "client_id"].nunique()])
    table = records.rename("records").to_frame()
    table["distinct_people"] = table.index.isin(events.loc[people, "category"].unique())
    for level, frame in measures.items():
        table[f"placed_{level}"] = frame.groupby("category", sort=False)["count"].sum()
    return table.reset_index()


def _placement_counts(placement: pd.Series, in_period: pd.Series) -> pd.Series:
    """Count records by how they were placed (or why not), those outside the period apart."""
    return placement.where(in_period, Placement.OUTSIDE_PERIOD).value_counts().rename("records")


def _lsoa_counts(measures: dict[str, pd.DataFrame]) -> pd.DataFrame | None:
    if "lsoa" not in measures:
        return None
    return measures["lsoa"][["category", "count"]].reset_index()


def assess_fire(incidents: pd.DataFrame, area: StudyArea, period: Period, *,
                confidence: float = 0.95, smooth: str | None = None) -> PartnerLayer:
    """Assess fire incidents read by :func:`geosafety.io.read_fire_incidents`.

    Raises
    ------
    NoRecordsInPeriodError
        If no incident falls in the period.
    """
    spec = SPECS["fire"]
    files = incidents["source_file"].unique().tolist()
    synthetic = is_synthetic(files)
    in_period = require_in_period(incidents["month"], period, what=spec.records)
    warn_far_from_period(incidents, "month", spec.records, start=period.start, end=period.end)
    events = fire_events(incidents[in_period], synthetic)
    measures, reconciliation = layer_measures(events, area, spec, period,
                                              confidence=confidence, smooth=smooth)
    return PartnerLayer(spec, synthetic, files,
                        _placement_counts(incidents["placement"], in_period), measures,
                        reconciliation, lsoa_counts=_lsoa_counts(measures))


def assess_cases(cases: pd.DataFrame, area: StudyArea, period: Period,
                 kind: str, *, confidence: float = 0.95) -> PartnerLayer:
    """Assess MARAC or CJIT records read by :func:`geosafety.io.read_cases` (true figures).

    Raises
    ------
    NoRecordsInPeriodError
        If no record falls in the period.
    """
    spec = SPECS[kind]
    files = cases["source_file"].unique().tolist()
    synthetic = is_synthetic(files)
    in_period = require_in_period(cases["month"], period, what=spec.records)
    warn_far_from_period(cases, "month", spec.records, start=period.start, end=period.end)
    events = case_events(cases[in_period], spec, synthetic)
    measures, reconciliation = layer_measures(events, area, spec, period,
                                              confidence=confidence)
    return PartnerLayer(spec, synthetic, files, _placement_counts(cases["placement"], in_period),
                        measures, reconciliation, lsoa_counts=_lsoa_counts(measures))


def local_layer_spec(layer: LocalLayer) -> PartnerSpec:
    """Describe a local layer as a partner source: its rate base, unit and sensitivity.

    Examples
    --------
    >>> spec = local_layer_spec(LocalLayer("Road casualties", [], per=100_000))
    >>> spec.key, spec.unit, spec.sensitive
    ('road_casualties', 'per 100,000 residents', False)
    """
    return PartnerSpec(layer.key, layer.title, layer.source or layer.title.lower(),
                       layer.rate_base, layer.per, layer.sensitive,
                       records=layer.title.lower())


def assess_local_layer(layer: LocalLayer, records: pd.DataFrame, area: StudyArea,
                       period: Period, *, confidence: float = 0.95,
                       smooth: str | None = None) -> PartnerLayer:
    """Assess a local layer read by :func:`geosafety.io.read_local_layer` (true figures).

    Its categories are the layer's title (every record) and, when the records carry a
    category, ``"<title>: <category>"`` for each.

    Raises
    ------
    NoRecordsInPeriodError
        If no record falls in the period.
    """
    spec = local_layer_spec(layer)
    files = records["source_file"].unique().tolist()
    synthetic = is_synthetic(files)
    in_period = require_in_period(records["month"], period, what=spec.records)
    warn_far_from_period(records, "month", spec.records, start=period.start, end=period.end)
    kept = records[in_period]
    columns = ["lsoa21_code", "ward_code", "postcode_district", "month"]
    events = [kept[columns].assign(category=category_label(layer.title, synthetic))]
    if kept["category"].notna().any():
        for name, rows in kept.groupby("category", sort=True):
            events.append(rows[columns].assign(
                category=category_label(f"{layer.title}: {name}", synthetic)))
    measures, reconciliation = layer_measures(pd.concat(events, ignore_index=True), area,
                                              spec, period, confidence=confidence,
                                              smooth=smooth)
    return PartnerLayer(spec, synthetic, files, _placement_counts(records["placement"],
                                                                  in_period),
                        measures, reconciliation, lsoa_counts=_lsoa_counts(measures))


def counts_reconciliation(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    """Per category, the sum of the counts shown in a pre-aggregated table (``placed_<level>``)."""
    return frame.groupby("category", sort=False)["count"].sum(min_count=1).rename(
        f"placed_{level}").reset_index()


def assess_counts(counts: pd.DataFrame, area: StudyArea, period: Period, kind: str, level: str,
                  files: list[str], *, confidence: float = 0.95) -> PartnerLayer:
    """Assess a pre-aggregated table read by :func:`geosafety.io.read_area_counts`.

    Areas missing from the table are taken as 0 and listed in the layer's notes. Cells
    suppressed at source stay unknown; non-sensitive tables are ranked among the areas
    shown, sensitive ones when disclosure control has been applied.
    """
    spec = SPECS[kind]
    synthetic = is_synthetic(files)
    default = {"fire": "Fire incidents", "marac": "MARAC cases", "cjit": "CJIT clients"}[kind]
    counts = counts.assign(category=counts["category"].fillna(default).map(
        lambda c: category_label(c, synthetic)))
    areas = area.areas(level)
    frames, notes = [], []
    for category, table in counts.groupby("category", sort=False):
        values = table.set_index("area_code")["count"]
        absent = areas.index.difference(values.index)
        if len(absent):
            notes.append(f"{category}: {len(absent)} {LEVELS[level].lower()}s not in the table "
                         "were taken as 0")
        values = values.reindex(areas.index).fillna(
            pd.Series(0.0, index=absent)).astype(float)
        frame = pd.DataFrame({"area_name": areas["area_name"].to_numpy(),
                              "category": category, "period": period.label,
                              "count": values.to_numpy(),
                              spec.population: areas[spec.population].to_numpy()},
                             index=areas.index.rename("area_code"))
        frame["rate"] = rate(frame["count"], frame[spec.population], per=spec.per)
        add_rate_intervals(frame, population_col=spec.population, per=spec.per,
                           confidence=confidence, by=["category"])
        frame["share_of_total"] = frame["count"] / values.sum() if values.notna().all() else np.nan
        frame["suppressed"] = values.isna().to_numpy()
        frames.append(frame)
    frame = pd.concat(frames)
    frame["rate_unit"] = spec.unit
    if not spec.sensitive:
        rank_visible(frame)
    lsoa_counts = (frame[["category", "count"]].reset_index()
                   if level == "lsoa" and not spec.sensitive else None)
    # A sensitive table suppressed at source gives no deprivation statistics (lsoa_counts).
    return PartnerLayer(spec, synthetic, files, pd.Series(dtype=object, name="records"),
                        {level: frame}, counts_reconciliation(frame, level), notes=notes,
                        lsoa_counts=lsoa_counts, pre_aggregated=True)
