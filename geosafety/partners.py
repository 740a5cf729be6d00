"""Partner layers: fire incidents, MARAC cases and CJIT clients, with the right denominators.

* Fires: per 100,000 residents.
* MARAC cases: per 10,000 adults aged 18+, beside the SafeLives expectation of 40 cases per
  10,000 adults a year (shown as the expected number for each area).
* CJIT clients: per 100,000 adults aged 18+; "contacts" count every episode, "individuals"
  count distinct clients.

MARAC and CJIT are sensitive: every output of theirs goes through disclosure control
(:mod:`geosafety.disclosure`). Data whose file name contains "SYNTHETIC" is labelled so in
every category name, table and map.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from geosafety.disclosure import THRESHOLD, Equation, linked_cells, protect
from geosafety.fire import FIRE_GROUPS
from geosafety.measures import area_measures, local_decile, rank_highest_first
from geosafety.periods import Period
from geosafety.study_area import AREA_COLUMNS, LEVELS, StudyArea

SYNTHETIC_LABEL = "SYNTHETIC"


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

    @property
    def unit(self) -> str:
        """E.g. "per 10,000 adults aged 18+"."""
        who = "residents" if self.population == "residents" else "adults aged 18+"
        return f"per {self.per:,} {who}"


SPECS = {
    "fire": PartnerSpec("fire", "Fire incidents", "fire and rescue service incident records",
                        "residents", 100_000, sensitive=False),
    "marac": PartnerSpec("marac", "MARAC", "MARAC case records (high-risk domestic abuse)",
                         "adults", 10_000, sensitive=True, expected_per_10000_adults=40.0),
    "cjit": PartnerSpec("cjit", "CJIT", "CJIT client records (drug-using offenders in "
                        "treatment)", "adults", 100_000, sensitive=True),
}


@dataclass
class PartnerLayer:
    """One partner source, assessed: measures per level (disclosure-controlled if sensitive).

    Attributes
    ----------
    spec : PartnerSpec
    synthetic : bool
        True when the input is SYNTHETIC example data.
    files : list of str
    placement : pandas.Series
        Records by how they were placed (or why not); for sensitive sources small counts
        are shown as "fewer than 5".
    measures : dict of str to pandas.DataFrame
        Tidy measures per level (only the levels the data reaches).
    reconciliation : pandas.DataFrame
        Per category: records, and the sum of published area counts at each level.
    lsoa_counts : pandas.DataFrame, optional
        True counts per category and LSOA before suppression, for deprivation statistics;
        kept in memory only and never written.
    hidden_groups : dict of str to set of str
        Per category, the grouping cells (e.g. ``"quintile_local:1"``) that disclosure
        control hides, so derived comparisons are withheld too.
    """

    spec: PartnerSpec
    synthetic: bool
    files: list[str]
    placement: pd.Series
    measures: dict[str, pd.DataFrame]
    reconciliation: pd.DataFrame
    threshold: int = THRESHOLD
    notes: list[str] = field(default_factory=list)
    lsoa_counts: pd.DataFrame | None = field(default=None, repr=False)
    hidden_groups: dict[str, set[str]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """Source name as shown everywhere, with the SYNTHETIC label where it applies."""
        return source_label(self.spec.source, self.synthetic)

    @property
    def file_stem(self) -> str:
        """Stem for output files, e.g. ``marac_SYNTHETIC``."""
        return f"{self.spec.key}_{SYNTHETIC_LABEL}" if self.synthetic else self.spec.key

    @property
    def categories(self) -> list[str]:
        """Categories in their defined order (e.g. All fires first)."""
        return self.reconciliation["category"].tolist()

    @property
    def suppressed_cells(self) -> int:
        """Published area cells hidden by disclosure control, over all levels."""
        return int(sum(frame["suppressed"].sum() for frame in self.measures.values()))


def source_label(source: str, synthetic: bool) -> str:
    """Name a source, adding the SYNTHETIC label to made-up example data.

    Examples
    --------
    >>> source_label("Fire incidents", True)
    'Fire incidents (SYNTHETIC example data, not real records)'
    """
    return f"{source} ({SYNTHETIC_LABEL} example data, not real records)" if synthetic else source


def is_synthetic(files: list[str]) -> bool:
    """Return True when any input file name carries the SYNTHETIC label."""
    return any(SYNTHETIC_LABEL in Path(f.split("!")[-1]).name.upper() for f in files)


def _label(category: str, synthetic: bool) -> str:
    return f"{category} ({SYNTHETIC_LABEL})" if synthetic else category


def fire_events(incidents: pd.DataFrame, synthetic: bool) -> pd.DataFrame:
    """One event per fire and group it belongs to."""
    parts = [incidents.loc[incidents[g], ["lsoa21_code", "ward_code", "postcode_district",
                                          "month"]].assign(category=_label(g, synthetic))
             for g in FIRE_GROUPS]
    return pd.concat(parts, ignore_index=True)


def case_events(cases: pd.DataFrame, spec: PartnerSpec, synthetic: bool) -> pd.DataFrame:
    """Cases (or contacts) and, where client ids exist, individuals."""
    names = {"marac": ("MARAC cases", "MARAC victims (individuals)"),
             "cjit": ("CJIT contacts", "CJIT individuals")}[spec.key]
    columns = ["lsoa21_code", "ward_code", "postcode_district", "month", "client_id"]
    events = [cases[columns].assign(category=_label(names[0], synthetic))]
    if cases["client_id"].notna().any():
        events.append(cases.loc[cases["client_id"].notna(), columns].assign(
            category=_label(names[1], synthetic), distinct=True))
    return pd.concat(events, ignore_index=True)


def _level_events(events: pd.DataFrame, level: str) -> pd.DataFrame:
    column = AREA_COLUMNS[level]
    placed = events[events[column].notna()]
    if "distinct" not in placed.columns:
        return placed
    people = placed["distinct"].eq(True)
    unique_people = placed[people].drop_duplicates(["category", column, "client_id"])
    return pd.concat([placed[~people], unique_people], ignore_index=True)


def layer_measures(
    events: pd.DataFrame, area: StudyArea, spec: PartnerSpec, period: Period, *,
    threshold: int = THRESHOLD, groupings: dict[str, pd.Series] | None = None,
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, pd.DataFrame | None, dict[str, set[str]]]:
    """Measures per level for one partner layer, disclosure-controlled when sensitive.

    Returns the measures; a reconciliation (records and placed totals per level, taken
    before suppression; the totals are published cells and are protected like any other);
    the true LSOA counts (in memory only); and, per category, the hidden grouping cells.
    ``groupings`` maps further published groupings of LSOAs (deprivation quintiles) to be
    protected with the levels.
    """
    events = events[period.contains(events["month"])].assign(period=period.label)
    measures = {}
    for level in LEVELS:
        level_events = _level_events(events, level)
        if level_events.empty:
            continue
        areas = area.areas(level)
        frame = area_measures(level_events, areas, area_col=AREA_COLUMNS[level],
                              population_col=spec.population, per=spec.per)
        frame.insert(0, "level", LEVELS[level])
        if level == "lsoa":
            frame.insert(3, "ward_name", frame["area_code"].map(areas["ward_name"]))
        if spec.expected_per_10000_adults:
            frame["expected_safelives"] = (frame["adults"] * spec.expected_per_10000_adults
                                           / 10_000).round(1)
        frame["rate_unit"] = spec.unit
        frame["suppressed"] = False
        measures[level] = frame
    reconciliation = _reconcile(events, measures)
    lsoa_counts = (measures["lsoa"][["area_code", "category", "count"]].copy()
                   if "lsoa" in measures else None)
    hidden_groups: dict[str, set[str]] = {}
    if spec.sensitive:
        totals, hidden_groups = _suppress(measures, area, threshold, groupings or {})
        for level in measures:
            hidden = reconciliation["category"].isin(totals.get(level, set()))
            reconciliation.loc[hidden, f"placed_{level}"] = np.nan
    return measures, reconciliation, lsoa_counts, hidden_groups


def _rank_visible(frame: pd.DataFrame) -> None:
    """Rank and decile among areas whose count is shown; hide what derives from hidden counts."""
    hide = frame["suppressed"]
    frame.loc[hide, ["count", "rate", "share_of_total"]] = np.nan
    frame["count"] = frame["count"].astype("Int64")
    visible = frame["rate"].where(~hide)
    groups = frame[["category", "period"]]
    frame["rank"] = rank_highest_first(visible, groups).astype("Int64")
    frame["n_areas"] = visible.groupby([groups["category"], groups["period"]]).transform(
        "count").astype(int)
    frame["decile"] = local_decile(visible, groups).astype("Int64")


def _suppress(measures: dict[str, pd.DataFrame], area: StudyArea, threshold: int,
              groupings: dict[str, pd.Series]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Hide small and recoverable cells across linked levels, and what derives from them.

    Returns the categories whose total is hidden, by level, and the hidden grouping cells
    by category.
    """
    if not measures:
        return {}, {}
    parents = {"ward": area.lsoas["ward_code"],
               "postcode_district": area.lsoas["postcode_district"]}
    if "lsoa" in measures:
        parents |= groupings
    hidden_groups: dict[str, set[str]] = {}
    categories = next(iter(measures.values()))["category"].unique()
    hidden_totals: dict[str, set[str]] = {}
    for category in categories:
        counts = {level: frame.loc[frame["category"] == category].set_index("area_code")["count"]
                  for level, frame in measures.items()}
        if "lsoa" in counts:
            for name, grouping in groupings.items():
                counts[name] = counts["lsoa"].groupby(grouping.reindex(counts["lsoa"].index)).sum()
        values, equations, never = linked_cells(counts, lsoa_parent=parents)
        hidden = protect(values, equations, threshold=threshold, unpublished=never)
        hidden_groups[category] = {c for c in hidden if c.split(":")[0] in groupings}
        for level in measures:
            if f"{level}:TOTAL" in hidden:
                hidden_totals.setdefault(level, set()).add(category)
        for level, frame in measures.items():
            rows = frame["category"] == category
            cells = f"{level}:" + frame.loc[rows, "area_code"]
            frame.loc[rows & frame.index.isin(cells.index[cells.isin(hidden)]),
                      "suppressed"] = True
    for frame in measures.values():
        _rank_visible(frame)
    return hidden_totals, hidden_groups


def placement_summary(statuses: pd.Series, *, sensitive: bool,
                      threshold: int = THRESHOLD) -> pd.Series:
    """Count records by placement (how each was placed, or why not).

    For sensitive sources, counts from 1 to ``threshold - 1`` read "fewer than N", and a
    second count is hidden where the total would give the first away.

    Examples
    --------
    >>> s = pd.Series(["placed"] * 40 + ["no fixed abode"] * 2 + ["malformed"] * 9)
    >>> placement_summary(s, sensitive=True).to_dict()
    {'placed': '40', 'malformed': 'suppressed', 'no fixed abode': 'fewer than 5'}
    """
    counts = statuses.value_counts()
    if not sensitive:
        return counts.rename("records")
    values = {f"s:{k}": float(n) for k, n in counts.items()} | {"TOTAL": float(counts.sum())}
    hidden = protect(values, [Equation("TOTAL", tuple(f"s:{k}" for k in counts.index))],
                     threshold=threshold)
    shown = pd.Series({k: (f"fewer than {threshold}" if n < threshold else "suppressed")
                       if f"s:{k}" in hidden else str(n) for k, n in counts.items()})
    return shown.rename("records")


def _reconcile(events: pd.DataFrame, measures: dict[str, pd.DataFrame]) -> pd.DataFrame:
    people = (events["distinct"].eq(True) if "distinct" in events.columns
              else pd.Series(False, index=events.index))
    records = events[~people].groupby("category", sort=False).size()
    if people.any():
        records = pd.concat([records, events[people].groupby("category", sort=False)[
            "client_id"].nunique()])
    table = records.rename("records").to_frame()
    for level, frame in measures.items():
        table[f"placed_{level}"] = frame.groupby("category", sort=False)["count"].sum()
    return table.reset_index()


def assess_fire(incidents: pd.DataFrame, area: StudyArea, period: Period) -> PartnerLayer:
    """Assess fire incidents read by :func:`geosafety.fire.read_fire_incidents`."""
    spec = SPECS["fire"]
    files = incidents["source_file"].unique().tolist()
    synthetic = is_synthetic(files)
    in_period = period.contains(incidents["month"])
    events = fire_events(incidents[in_period], synthetic)
    measures, reconciliation, lsoa_counts, _ = layer_measures(events, area, spec, period)
    statuses = incidents["placement"].where(in_period, "outside the period")
    return PartnerLayer(spec, synthetic, files, placement_summary(statuses, sensitive=False),
                        measures, reconciliation, notes=_period_notes(in_period, period),
                        lsoa_counts=lsoa_counts)


def assess_cases(cases: pd.DataFrame, area: StudyArea, period: Period, kind: str, *,
                 threshold: int = THRESHOLD,
                 groupings: dict[str, pd.Series] | None = None) -> PartnerLayer:
    """Assess MARAC or CJIT records read by :func:`geosafety.cases.read_cases`.

    ``groupings`` (e.g. deprivation quintiles of LSOAs) are protected with the levels.
    """
    spec = SPECS[kind]
    files = cases["source_file"].unique().tolist()
    synthetic = is_synthetic(files)
    in_period = period.contains(cases["month"])
    events = case_events(cases[in_period], spec, synthetic)
    measures, reconciliation, lsoa_counts, hidden_groups = layer_measures(
        events, area, spec, period, threshold=threshold, groupings=groupings)
    statuses = cases["placement"].where(in_period, "outside the period")
    return PartnerLayer(spec, synthetic, files,
                        placement_summary(statuses, sensitive=spec.sensitive,
                                          threshold=threshold),
                        measures, reconciliation, threshold=threshold,
                        notes=_period_notes(in_period, period), lsoa_counts=lsoa_counts,
                        hidden_groups=hidden_groups)


def _period_notes(in_period: pd.Series, period: Period) -> list[str]:
    if in_period.any():
        return []
    return [f"no records fall in the period {period.label} ({period.describe()}); choose the "
            "period with --period"]


def assess_counts(counts: pd.DataFrame, area: StudyArea, period: Period, kind: str, level: str,
                  files: list[str], *, threshold: int = THRESHOLD) -> PartnerLayer:
    """Assess a pre-aggregated table read by :func:`geosafety.counts.read_area_counts`.

    Areas missing from the table are taken as 0 and listed in the layer's notes.
    """
    spec = SPECS[kind]
    synthetic = is_synthetic(files)
    default = {"fire": "Fire incidents", "marac": "MARAC cases", "cjit": "CJIT clients"}[kind]
    counts = counts.assign(category=counts["category"].fillna(default).map(
        lambda c: _label(c, synthetic)))
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
        frame = pd.DataFrame({"area_code": areas.index, "area_name": areas["area_name"].values,
                              "category": category, "period": period.label,
                              "count": values.values,
                              spec.population: areas[spec.population].values})
        frame["rate"] = frame["count"] / frame[spec.population].where(
            frame[spec.population] > 0) * spec.per
        frame["share_of_total"] = frame["count"] / values.sum() if values.notna().all() else np.nan
        frame["suppressed"] = values.isna().values
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True)
    frame.insert(0, "level", LEVELS[level])
    frame["rate_unit"] = spec.unit
    measures = {level: frame}
    lsoa_counts = frame[["area_code", "category", "count"]].copy() if level == "lsoa" else None
    if spec.sensitive:
        _suppress(measures, area, threshold, {})
    else:
        _rank_visible(frame)
    reconciliation = frame.groupby("category", sort=False)["count"].sum(min_count=1).rename(
        f"placed_{level}").reset_index()
    if spec.sensitive:
        lsoa_counts = None  # counts suppressed at source: no deprivation statistics from them
    return PartnerLayer(spec, synthetic, files, pd.Series(dtype=object, name="records"),
                        measures, reconciliation, threshold=threshold, notes=notes,
                        lsoa_counts=lsoa_counts)
