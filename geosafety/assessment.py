"""The assessment: police.uk records to counts, rates and ranks by LSOA, ward and district."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from geosafety import __version__
from geosafety._errors import DataQualityWarning, GeosafetyError
from geosafety.associations import Associations, CategoryRates, analyse
from geosafety.cases import read_cases
from geosafety.categories import category_order, police_uk_events
from geosafety.counts import read_area_counts
from geosafety.datasets import get_path
from geosafety.deprivation import edition_for, read_iod
from geosafety.disclosure import THRESHOLD
from geosafety.fire import read_fire_incidents
from geosafety.force_crime import read_force_crimes
from geosafety.locate import OUTSIDE_PERIOD, LocationReport, locate_records
from geosafety.measures import area_measures
from geosafety.partners import (
    PartnerLayer,
    assess_cases,
    assess_counts,
    assess_fire,
    is_synthetic,
    source_label,
)
from geosafety.periods import Period, parse_period, split_period
from geosafety.police_uk import read_police_uk
from geosafety.premises import read_premises
from geosafety.sources import Source
from geosafety.study_area import AREA_COLUMNS, LEVELS, StudyArea
from geosafety.time_of_day import MAX_HOURS, NightTime, TimeOfDay, assess_time_of_day
from geosafety.trend_outputs import Trends, compute_trends

logger = logging.getLogger(__name__)

RATE_PER = 1000
POLICE_UK_SOURCE = ("police.uk street-level crime and anti-social behaviour (Home Office); "
                    "Open Government Licence v3.0")
METHODS = {
    "lsoa": "police.uk LSOA code of the record's anonymised map point; LSOA 2011 codes "
            "brought onto LSOA 2021 with the ONS lookup (split LSOAs: the record's "
            "coordinates pick the part); records without a code: point in polygon",
    "ward": "ONS best-fit LSOA 2021 to ward lookup (population-weighted centroid); the "
            "same best fit gives the ward population, so counts and denominators agree",
    "postcode_district": "best fit of the LSOA 2021: the district holding most of the LSOA's "
                         "Code-Point Open postcode centroids",
    "rate": "events per 1,000 Census 2021 usual residents",
    "rank": "1 = highest rate in the study area; tied areas share the best rank",
    "decile": "local decile of the rate, 1 = highest tenth; ties share the larger decile",
}


@dataclass
class Assessment:
    """Everything an assessment computed, before anything is written.

    Attributes
    ----------
    area : StudyArea
    period : Period
        The whole reporting period; ``periods`` adds any sub-periods tabulated.
    records : pandas.DataFrame
        The records kept, with their areas.
    report : LocationReport
        What was read, kept and excluded, and why.
    measures : dict of str to pandas.DataFrame
        Tidy measures per level (``"lsoa"``, ``"ward"``, ``"postcode_district"``).
    reconciliation : pandas.DataFrame
        Records per category and period against the sum of counts at each level.
    files : pandas.DataFrame
        Each file read, with its records, months and LSOA vintage.
    warnings : list of str
        Data-quality warnings raised while assessing.
    """

    area: StudyArea
    period: Period
    periods: list[Period]
    records: pd.DataFrame
    report: LocationReport
    measures: dict[str, pd.DataFrame]
    reconciliation: pd.DataFrame
    files: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    partners: list[PartnerLayer] = field(default_factory=list)
    associations: Associations | None = None
    trends: Trends | None = None
    time_of_day: TimeOfDay | None = None
    premises: pd.DataFrame | None = None

    @property
    def categories(self) -> list[str]:
        """Categories in reading order."""
        return category_order(self.measures["lsoa"]["category"].unique())

    def metadata(self) -> dict:
        """Describe the run: sources, vintages, methods, period and counts."""
        return {
            "generated_by": f"geosafety {__version__}",
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "study_area": self.area.name,
            "period": {"label": self.period.label, "start": str(self.period.start),
                       "end": str(self.period.end), "described": self.period.describe()},
            "sub_periods": [p.label for p in self.periods if p != self.period],
            "data_source": POLICE_UK_SOURCE,
            "files_read": self.files["source_file"].tolist(),
            "boundary_vintages": self.area.vintages,
            "methods": METHODS,
            "records": {"read": self.report.rows_read, "kept": self.report.kept,
                        "excluded": {k: int(v) for k, v in self.report.exclusions().items()},
                        "location_methods": {k: int(v)
                                             for k, v in self.report.methods.items()}},
            "warnings": self.warnings,
            "deprivation": ({
                "edition": f"English Indices of Deprivation {self.associations.edition}",
                "measures": self.associations.measures,
                "quintiles": "local: fifths of the study area's LSOAs by IMD score; national: "
                             "IMD deciles 1-2 (most deprived fifth of England) ... 9-10",
                "population": "Census 2021 usual residents for summaries; rates use each "
                              "layer's own denominator",
            } if self.associations else None),
            "partners": [{
                "source": layer.label, "key": layer.spec.key, "file_stem": layer.file_stem,
                "synthetic": layer.synthetic,
                "sensitive": layer.spec.sensitive, "rate_unit": layer.spec.unit,
                "files": [f.replace("\\", "/").rsplit("/", 1)[-1] for f in layer.files],
                "disclosure_threshold": layer.threshold if layer.spec.sensitive else None,
                "placement": layer.placement.astype(str).to_dict(), "notes": layer.notes,
            } for layer in self.partners],
            "time_of_day": ({
                "source": self.time_of_day.source, "synthetic": self.time_of_day.synthetic,
                "night_time_hours": self.time_of_day.night.hours,
                "night_time_groups": list(self.time_of_day.night.groups),
                "aoristic_method": self.time_of_day.method,
                "longest_window_hours": self.time_of_day.max_hours,
                "period_assignment": "by the 'committed from' date",
                "weekend": "Saturday and Sunday",
                "premises": None if self.premises is None else len(self.premises),
            } if self.time_of_day else None),
        }


def _default_period(months: pd.Series) -> Period:
    start, end = months.min(), months.max()
    if start.month == 1 and end.month == 12 and start.year == end.year:
        return parse_period(str(start.year))
    return Period(start, end, f"{start}:{end}" if start != end else str(start))


def _files_table(records: pd.DataFrame, report: LocationReport) -> pd.DataFrame:
    files = records.groupby("source_file", sort=True).agg(
        records=("source_row", "size"), first_month=("month", "min"), last_month=("month", "max")
    )
    files["lsoa_vintage"] = report.vintages.reindex(files.index).fillna("(none in period)")
    return files.reset_index()


def _missing_months(records: pd.DataFrame, period: Period) -> list[str]:
    present = set(records["month"].unique())
    return [str(m) for m in period.months if m not in present]


def _reconcile(events: pd.DataFrame, measures: dict[str, pd.DataFrame]) -> pd.DataFrame:
    table = events.groupby(["category", "period"]).size().rename("records").to_frame()
    for level, frame in measures.items():
        table[f"sum_{level}"] = frame.groupby(["category", "period"])["count"].sum()
    sums = table.filter(like="sum_")
    table["reconciles"] = sums.eq(table["records"], axis=0).all(axis=1)
    if not table["reconciles"].all():
        raise RuntimeError(f"Counts do not reconcile with records:\n{table[~table['reconciles']]}")
    return table.reset_index()


def assess(
    source: Source | None = None,
    *,
    area: StudyArea | None = None,
    period: str | Period | None = None,
    by: str | None = None,
    progress: bool = False,
    fire: Source | None = None,
    marac: Source | None = None,
    cjit: Source | None = None,
    counts: tuple[tuple[str, str, Source], ...] = (),
    columns: dict[str, dict[str, str]] | None = None,
    threshold: int = THRESHOLD,
    examples: bool | None = None,
    trend_source: Source | None = None,
    force: Source | None = None,
    premises: Source | None = None,
    night: NightTime | None = None,
    aoristic: str = "minutes",
    max_window_hours: float = MAX_HOURS,
) -> Assessment:
    """Run an assessment of police.uk data: counts, rates, ranks by LSOA, ward and district.

    Parameters
    ----------
    source : path or list of paths, optional
        police.uk street files, folders or archives. Default: the bundled Sefton 2025 data.
    area : StudyArea, optional
        Default: Sefton, from the bundled boundaries.
    period : str or Period, optional
        The reporting period (see :func:`~geosafety.periods.parse_period`). Default: 2025
        for the bundled data, otherwise every month in the data.
    by : {"month", "quarter", "year", "financial-year"}, optional
        Also tabulate these sub-periods.
    progress : bool
        Show a progress bar while reading files.
    fire, marac, cjit : path or list of paths, optional
        Partner record files (CSV or Excel); see :func:`~geosafety.fire.read_fire_incidents`
        and :func:`~geosafety.cases.read_cases`.
    counts : tuple of (kind, level, source)
        Pre-aggregated partner tables, e.g. ``("cjit", "ward", "cjit_by_ward.csv")``.
    columns : dict, optional
        Column mappings per source key (``"fire"``, ``"marac"``, ``"cjit"``, ``"counts"``).
    threshold : int
        Disclosure threshold for sensitive sources: counts below it are suppressed.
    examples : bool, optional
        Include the bundled SYNTHETIC fire, MARAC, CJIT, force extract and premises
        examples. Default: only when no data at all is given.
    trend_source : path or list of paths, optional
        police.uk data of several years for the trend tables. Default: every bundled year
        for the bundled run; otherwise the assessed data when it spans more than one year.
    force : path or list of paths, optional
        Police force crime extracts with offence times (see
        :func:`~geosafety.force_crime.read_force_crimes`) for the time-of-day picture.
    premises : path or list of paths, optional
        Night-time premises shown as points on the maps (see
        :func:`~geosafety.premises.read_premises`).
    night : NightTime, optional
        Night-time economy offence groups and hours; default violence and criminal damage,
        18:00-03:59.
    aoristic : {"minutes", "hours"}
        How time windows are shared among hours (see :mod:`geosafety.aoristic`).
    max_window_hours : float
        Windows longer than this are left out of the hour profiles.

    Returns
    -------
    Assessment

    Raises
    ------
    InputFileError
        If any input file is unusable (nothing is computed).
    NoRecordsInStudyAreaError
        If no record falls in the study area.
    GeosafetyError
        If no record falls in the period.

    Examples
    --------
    >>> result = assess()
    >>> result.report.rows_read, result.report.kept
    (24064, 24064)
    >>> lsoa = result.measures["lsoa"]
    >>> int(lsoa.loc[lsoa["category"] == "All crime", "count"].sum())
    21699
    """
    area = area or StudyArea.sefton()
    if examples is None:
        examples = all(x is None for x in (source, fire, marac, cjit, force, premises)) and (
            not counts)
    if examples:
        fire = fire or get_path("synthetic_fire")
        marac = marac or get_path("synthetic_marac")
        cjit = cjit or get_path("synthetic_cjit")
        force = force or get_path("synthetic_force_crime")
        premises = premises or get_path("synthetic_nte_premises")
    if source is None:
        source = get_path("police_uk_2025")
        period = period or "2025"
        if trend_source is None:
            trend_source = [get_path("police_uk_2018_2021"), get_path("police_uk_2025")]
    records = read_police_uk(source, progress=progress)
    chosen = (period if isinstance(period, Period) else
              parse_period(period) if period else _default_period(records["month"]))
    in_period = chosen.contains(records["month"])
    if not in_period.any():
        raise GeosafetyError(
            f"No records fall in the period {chosen.label} ({chosen.describe()}); the data "
            f"covers {records['month'].min()} to {records['month'].max()}. Choose a period "
            "inside it with --period."
        )
    messages: list[str] = []
    with _passed_on(messages):
        located, report = locate_records(records[in_period], area)
        missing = _missing_months(records[in_period], chosen)
        if missing:
            warnings.warn(
                f"No records for {len(missing)} month(s) of {chosen.label}: "
                f"{', '.join(missing)}. Counts for the period are incomplete; compare "
                "periods with the same months only.", DataQualityWarning, stacklevel=2)
    report.add_excluded(records[~in_period], OUTSIDE_PERIOD)
    periods = [chosen] + (split_period(chosen, by) if by else [])
    events = _with_periods(police_uk_events(located), periods)
    measures = {level: _level_measures(events, area, level) for level in LEVELS}
    columns = columns or {}
    iod = _iod_for(area, report.vintages)
    groupings = ({"quintile_local": iod["local_quintile"],
                  "quintile_national": iod["national_quintile"]} if iod is not None else None)
    partners = []
    if fire is not None:
        incidents = read_fire_incidents(fire, area, columns=columns.get("fire"))
        partners.append(assess_fire(incidents, area, chosen))
    for kind, files in (("marac", marac), ("cjit", cjit)):
        if files is not None:
            cases = read_cases(files, area, columns=columns.get(kind))
            partners.append(assess_cases(cases, area, chosen, kind, threshold=threshold,
                                         groupings=groupings))
    for kind, level, files in counts:
        table = read_area_counts(files, area, level=level, columns=columns.get("counts"))
        names = [str(files)] if not isinstance(files, list | tuple) else [str(f) for f in files]
        partners.append(assess_counts(table, area, chosen, kind, level, names,
                                      threshold=threshold))
    time_of_day = None
    if force is not None:
        with _passed_on(messages):
            crimes = read_force_crimes(force, area, columns=columns.get("force"))
        synthetic = is_synthetic(crimes["source_file"].unique().tolist())
        time_of_day = assess_time_of_day(
            crimes, area, chosen, source=source_label("Police force crime extract", synthetic),
            synthetic=synthetic, night=night, method=aoristic, max_hours=max_window_hours)
    venues = (read_premises(premises, area, columns=columns.get("premises"))
              if premises is not None else None)
    return Assessment(
        area=area, period=chosen, periods=periods, records=located, report=report,
        measures=measures, reconciliation=_reconcile(events, measures),
        files=_files_table(records, report), warnings=messages,
        partners=partners, time_of_day=time_of_day, premises=venues,
        associations=(analyse(_category_rates(measures["lsoa"], chosen, partners), area, iod)
                      if iod is not None else None),
        trends=_trends(trend_source, records, area, progress=progress),
    )


@contextmanager
def _passed_on(messages: list[str]) -> Iterator[None]:
    """Record the warnings raised inside, pass them on, and keep their texts in ``messages``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for warning in caught:
        warnings.warn_explicit(warning.message, warning.category, warning.filename,
                               warning.lineno)
    messages += [str(w.message) for w in caught]


def _trends(trend_source: Source | None, records: pd.DataFrame, area: StudyArea, *,
            progress: bool) -> Trends | None:
    """Trend tables from ``trend_source``, or from the records when they span years."""
    if trend_source is None:
        if records["month"].dt.year.nunique() < 2:
            return None
        history = records
    else:
        history = read_police_uk(trend_source, progress=progress)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # exclusions are reported for the assessed data
        located, _ = locate_records(history, area)
    return compute_trends(located, area)


def _iod_for(area: StudyArea, vintages: pd.Series) -> pd.DataFrame | None:
    """Return the IoD edition matching the data, or None where it does not cover the area."""
    try:
        return read_iod(edition_for(vintages.tolist()), area)
    except GeosafetyError as error:
        logger.info("Deprivation statistics skipped: %s", error)
        return None


def _category_rates(lsoa: pd.DataFrame, period: Period,
                    partners: list[PartnerLayer]) -> list[CategoryRates]:
    """Each category's LSOA counts and denominators for the deprivation statistics."""
    items = []
    main = lsoa[lsoa["period"] == period.label]
    for category, rows in main.groupby("category", sort=False):
        rows = rows.set_index("area_code")
        items.append(CategoryRates("police.uk", category, rows["count"].astype(float),
                                   rows["residents"], RATE_PER, "per 1,000 residents"))
    for layer in partners:
        if layer.lsoa_counts is None:
            continue
        population = layer.measures["lsoa"].drop_duplicates("area_code").set_index(
            "area_code")[layer.spec.population]
        for category, rows in layer.lsoa_counts.groupby("category", sort=False):
            counts = rows.set_index("area_code")["count"].astype(float)
            items.append(CategoryRates(layer.label, category, counts, population, layer.spec.per,
                                       layer.spec.unit, layer.spec.sensitive,
                                       layer.hidden_groups.get(category, set())))
    return items


def _with_periods(events: pd.DataFrame, periods: list[Period]) -> pd.DataFrame:
    parts = [events[p.contains(events["month"])].assign(period=p.label) for p in periods]
    return pd.concat(parts, ignore_index=True)


def _level_measures(events: pd.DataFrame, area: StudyArea, level: str) -> pd.DataFrame:
    areas = area.areas(level)
    measures = area_measures(events, areas, area_col=AREA_COLUMNS[level], per=RATE_PER)
    measures = measures.rename(columns={"rate": "rate_per_1000"})
    if level == "lsoa":
        measures.insert(2, "ward_code", measures["area_code"].map(areas["ward_code"]))
        measures.insert(3, "ward_name", measures["area_code"].map(areas["ward_name"]))
    order = {c: i for i, c in enumerate(category_order(measures["category"].unique()))}
    measures = measures.sort_values(
        ["period", "category", "area_code"],
        key=lambda s: s.map(order) if s.name == "category" else s,
    )
    measures.insert(0, "level", LEVELS[level])
    return measures.reset_index(drop=True)
