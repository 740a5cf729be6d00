"""The assessment pipeline: one call per stage, in the order data flows.

``read -> place -> measure -> analyse -> protect``, then :func:`geosafety.write_assessment`
renders and reports. Each stage lives in its own package (see the README's table); this
module only wires them together and collects every warning they raise.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import pandas as pd

from geosafety._errors import (
    DataQualityWarning,
    InvalidOptionError,
    NoRecordsInStudyAreaError,
)
from geosafety.analysis import Assessment, NightTime
from geosafety.analysis.analyse import analyse_further, analyse_partners
from geosafety.analysis.comparison import Comparison, compare_authorities
from geosafety.analysis.data_quality import police_uk_quality
from geosafety.analysis.localities import locality_tables
from geosafety.disclosure import THRESHOLD, protect_analyses, solve_beside
from geosafety.examples import with_examples
from geosafety.geography import (
    StudyArea,
    area_for_records,
    authorities,
    authority_of_lsoas,
    describe_authorities,
    files_read,
    find_authorities,
    locate_records,
    read_comparators,
)
from geosafety.geography.localities import read_localities
from geosafety.geography.status import Placement
from geosafety.geography.study_area import SEFTON
from geosafety.io import Inputs, Source, read_partner_inputs, read_police_uk
from geosafety.io.police_uk import identical_asb_rows
from geosafety.measures import (
    MAX_HOURS,
    Period,
    confidence_level,
    covering_period,
    measure_police_uk,
    missing_months,
    parse_period,
    require_in_period,
    split_period,
)
from geosafety.measures.smoothing import smoothing_column


@dataclass(frozen=True)
class Options:
    """How an assessment is made, beyond its inputs.

    Attributes
    ----------
    threshold : int
        Disclosure threshold for sensitive sources: counts below it are suppressed.
    night : NightTime
        Night-time economy offence groups and hours (default violence and criminal
        damage, 18:00-03:59).
    aoristic : {"minutes", "hours"}
        How time windows are shared among hours (see :mod:`geosafety.measures.aoristic`).
    max_window_hours : float
        Windows longer than this are left out of the hour profiles.
    confidence : float
        Level of every rate's confidence interval (0.95; 0.998 for 99.8%).
    smooth : {None, "global", "spatial"}
        Rank and map areas by their empirical Bayes smoothed rates instead of raw rates
        (see :mod:`geosafety.measures.smoothing`); both are always in the tables.
    """

    threshold: int = THRESHOLD
    night: NightTime = field(default_factory=NightTime)
    aoristic: str = "minutes"
    max_window_hours: float = MAX_HOURS
    confidence: float = 0.95
    smooth: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "confidence", confidence_level(self.confidence))
        smoothing_column(self.smooth)  # an unknown choice fails here, before any work


@contextmanager
def collected_warnings(messages: list[str]) -> Iterator[None]:
    """Record every warning raised inside, keep its text in ``messages``, and pass it on."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for warning in caught:
        warnings.warn_explicit(warning.message, warning.category, warning.filename,
                               warning.lineno)
    messages += [str(w.message) for w in caught]


def _warn_missing_months(months: list[str], period: Period) -> None:
    if months:
        warnings.warn(
            f"No records for {len(months)} month(s) of {period.label}: {', '.join(months)}. "
            "Counts for the period are incomplete; compare periods with the same months "
            "only.", DataQualityWarning, stacklevel=3)


def assess(
    source: Source | Inputs | None = None,
    *,
    area: StudyArea | None = None,
    period: str | Period | None = None,
    by: str | None = None,
    options: Options | None = None,
    examples: bool | None = None,
    progress: bool = False,
) -> Assessment:
    """Run an assessment: counts, rates and ranks by LSOA, ward and district, and the rest.

    Parameters
    ----------
    source : path, list of paths or Inputs, optional
        police.uk street files, folders or archives; or :class:`~geosafety.io.Inputs`
        naming every input (partner files, force extract, premises, trend data, column
        mappings). Default: the bundled Sefton 2025 data.
    area : StudyArea, optional
        Default: Sefton for the bundled data; for other data, the authority its records fall
        in (when they fall in several, choose one: see :meth:`StudyArea.for_authority`).
    period : str or Period, optional
        The reporting period (see :func:`~geosafety.measures.parse_period`). Default: 2025
        for the bundled data, otherwise every month in the data.
    by : {"month", "quarter", "year", "financial-year"}, optional
        Also tabulate these sub-periods.
    options : Options, optional
        Disclosure threshold and time-of-day settings.
    examples : bool, optional
        Include the bundled SYNTHETIC fire, MARAC, CJIT, force extract and premises
        examples. Default: only when no data at all is given.
    progress : bool
        Show a progress bar while reading files.

    Returns
    -------
    Assessment
        With every warning raised on the way in ``warnings``.

    Raises
    ------
    InputFileError
        If any input file is unusable (nothing is computed).
    AreaNotChosenError
        If no area is given and the records fall in several authorities.
    NoRecordsInStudyAreaError
        If no police.uk record falls in the study area.
    NoRecordsInPeriodError
        If no police.uk record falls in the period. (A partner source or force extract
        with nothing in the period is left out with a warning instead.)

    Examples
    --------
    >>> result = assess()
    >>> result.report.rows_read, result.report.kept
    (24064, 24064)
    >>> lsoa = result.measures["lsoa"]
    >>> int(lsoa.loc[lsoa["category"] == "All crime", "count"].sum())
    21699
    """
    options = options or Options()
    inputs, example_period = _inputs(source, examples)
    messages: list[str] = []
    with collected_warnings(messages):
        records, repeats = _read_police_uk(inputs, progress)
        if area is None:
            area = (StudyArea.sefton() if example_period
                    else area_for_records(records["lsoa_code"]))
        elif example_period and area.code != SEFTON:
            raise NoRecordsInStudyAreaError(
                f"The bundled example data covers Sefton only; for {area.name} give police.uk "
                "files (data.police.uk downloads for the force) with --data, or police_uk in "
                "the [inputs] section of the configuration.")
        result = _assess_records(records, inputs, area, period or example_period, by,
                                 options, progress, repeats=repeats)
        result.comparison = _comparison(records, result, options.confidence)
    result.warnings = messages
    return result


def _comparison(records: pd.DataFrame, result: Assessment,
                confidence: float) -> Comparison | None:
    """Compare the area with its force area's others and comparators the data covers."""
    if not result.area.code:
        return None
    owner = set(authority_of_lsoas(records["lsoa_code"].fillna("")).dropna())
    comparators = [] if result.similar is None else result.similar.index.tolist()
    force = authorities()["police_force_area"]
    mates = set(force.index[force == force.get(result.area.code)])
    if not (owner - {result.area.code}) & (mates | set(comparators)):
        return None
    return compare_authorities(records, result.period, [result.area.code],
                               comparators=comparators, confidence=confidence)


def _inputs(source: Source | Inputs | None, examples: bool | None) -> tuple[Inputs, str | None]:
    inputs = source if isinstance(source, Inputs) else Inputs(police_uk=source)
    return with_examples(inputs, examples=examples)


def _read_police_uk(inputs: Inputs, progress: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read police.uk; return the records, and the rows repeating a Crime ID apart."""
    police_uk = inputs.police_uk
    assert police_uk is not None  # with_examples gives the bundled data when none is given
    records = read_police_uk(police_uk, progress=progress, keep_repeats=True)
    repeated = records["repeated_crime_id"]
    return records[~repeated], records[repeated]


def _choose_period(records: pd.DataFrame, period: str | Period | None) -> Period:
    return (period if isinstance(period, Period) else parse_period(period) if period
            else covering_period(records["month"]))


def _assess_records(records: pd.DataFrame, inputs: Inputs, area: StudyArea,
                    period: str | Period | None, by: str | None, options: Options,
                    progress: bool, *, repeats: pd.DataFrame | None = None) -> Assessment:
    """Every stage after police.uk is read, for one study area.

    ``repeats`` are the rows repeating a Crime ID, reported among the exclusions.
    """
    chosen = _choose_period(records, period)
    in_period = require_in_period(records["month"], chosen)
    # place (police.uk here; partner records are placed as they are read)
    located, report = locate_records(records[in_period], area)
    _warn_missing_months(missing_months(records.loc[in_period, "month"], chosen), chosen)
    report.add_excluded(records[~in_period], Placement.OUTSIDE_PERIOD)
    if repeats is not None:
        report.add_excluded(repeats, Placement.REPEATED_CRIME_ID)
    report.identical_asb = identical_asb_rows(located)
    data = read_partner_inputs(inputs, area, progress=progress)
    comparators = read_comparators(inputs.comparators) if inputs.comparators else None
    localities = read_localities(inputs.localities, area) if inputs.localities else None
    # measure
    periods = [chosen] + (split_period(chosen, by) if by else [])
    measures, reconciliation = measure_police_uk(located, area, periods,
                                                 confidence=options.confidence,
                                                 smooth=options.smooth)
    # analyse, and protect: disclosure control of the partner layers is solved in another
    # process while the other analyses run here
    analyses = analyse_partners(data, area, chosen, vintages=report.vintages.tolist(),
                                confidence=options.confidence, smooth=options.smooth)
    with solve_beside(analyses.partners, area, threshold=options.threshold,
                      groupings=analyses.groupings) as solving:
        analyse_further(analyses, records, measures, data, area, chosen, night=options.night,
                        aoristic=options.aoristic, max_window_hours=options.max_window_hours,
                        comparators=comparators, confidence=options.confidence,
                        located=located)
        found = protect_analyses(analyses, area, threshold=options.threshold, solving=solving)
    files = files_read(records, report)
    by_locality = ({} if localities is None else locality_tables(
        measures["ward"], found.partners, localities, confidence=options.confidence))
    return Assessment(
        area=area, period=chosen, periods=periods, records=located, report=report,
        measures=measures, reconciliation=reconciliation, files=files,
        quality=police_uk_quality(records, report, chosen, files, trend=data.trend),
        partners=found.partners, associations=found.associations, trends=found.trends,
        time_of_day=found.time_of_day, premises=data.premises, similar=found.similar,
        small_areas=found.small_areas, localities=localities, locality_measures=by_locality)


@dataclass
class AreaAssessments:
    """Several authorities assessed from the same data, and how they compare.

    Attributes
    ----------
    assessments : list of Assessment
        One per authority, in the order asked for.
    comparison : Comparison
        The authorities side by side, with their police force areas.
    warnings : list of str
        Warnings raised while reading the shared data and comparing.
    """

    assessments: list[Assessment]
    comparison: Comparison
    warnings: list[str] = field(default_factory=list)


@dataclass
class SharedRead:
    """police.uk data read once for several authorities, and what each assessment needs.

    Attributes
    ----------
    codes : list of str
        The authorities to assess, in order.
    inputs : Inputs
        Every input (partner files apply to every authority).
    records, repeats : pandas.DataFrame
        The police.uk records read, and the rows repeating a Crime ID.
    period : Period
        The reporting period.
    warnings : list of str
        Warnings raised while reading.
    """

    codes: list[str]
    inputs: Inputs
    records: pd.DataFrame
    repeats: pd.DataFrame
    period: Period
    warnings: list[str] = field(default_factory=list)


def read_shared(source: Source | Inputs | None, *, areas: Sequence[str],
                period: str | Period | None = None, progress: bool = False) -> SharedRead:
    """Read police.uk once for several authorities (see :func:`assess_areas`)."""
    codes = list(dict.fromkeys(code for area in areas for code in find_authorities(area)))
    inputs, example_period = _inputs(source, False)
    if example_period:
        raise NoRecordsInStudyAreaError(
            "Assessing several areas needs police.uk data covering them: give the force's "
            "files with --data.")
    if inputs.localities is not None and len(codes) > 1:
        raise InvalidOptionError(
            f"Localities group one authority's wards, but {len(codes)} authorities are "
            "assessed: assess each authority on its own with its localities file.")
    messages: list[str] = []
    with collected_warnings(messages):
        records, repeats = _read_police_uk(inputs, progress)
        chosen = _choose_period(records, period)
    return SharedRead(codes, inputs, records, repeats, chosen, messages)


def assess_authority(shared: SharedRead, code: str, *, by: str | None = None,
                     options: Options | None = None, progress: bool = False) -> Assessment:
    """Assess one authority from police.uk data read once for several.

    The authority's own records and those without an LSOA code (placed by their
    coordinates) are assessed; the other authorities' are compared, not excluded each time.
    Its warnings, after the shared read's, are in ``warnings``.

    Raises
    ------
    NoRecordsInStudyAreaError
        If the data holds no record in the authority.
    """
    options = options or Options()
    records, repeats = shared.records, shared.repeats
    owner = authority_of_lsoas(records["lsoa_code"].fillna(""))
    area = StudyArea.for_authority(code)
    if not (owner == code).any():
        raise NoRecordsInStudyAreaError(
            f"The police.uk data holds no records in {area.name}; it covers "
            f"{describe_authorities(owner.value_counts())}. Give the force's files that "
            f"cover {area.name}, or leave it out of --area.")
    repeat_owner = authority_of_lsoas(repeats["lsoa_code"].fillna(""))
    own: list[str] = []
    with collected_warnings(own):
        result = _assess_records(records[(owner == code) | owner.isna()], shared.inputs, area,
                                 shared.period, by, options, progress,
                                 repeats=repeats[repeat_owner == code])
    result.warnings = shared.warnings + own
    return result


def compare_shared(shared: SharedRead, assessments: list[Assessment], *,
                   options: Options | None = None) -> AreaAssessments:
    """Compare authorities assessed from one shared read, with their comparators."""
    options = options or Options()
    messages = list(shared.warnings)
    comparators = list(dict.fromkeys(
        code for result in assessments if result.similar is not None
        for code in result.similar.index))
    with collected_warnings(messages):
        comparison = compare_authorities(shared.records, shared.period, shared.codes,
                                         comparators=comparators,
                                         confidence=options.confidence)
    return AreaAssessments(assessments, comparison, messages)


def assess_areas(
    source: Source | Inputs | None = None,
    *,
    areas: Sequence[str],
    period: str | Period | None = None,
    by: str | None = None,
    options: Options | None = None,
    progress: bool = False,
) -> AreaAssessments:
    """Assess several authorities from one set of police.uk data, and compare them.

    Parameters
    ----------
    source : path, list of paths or Inputs
        police.uk data covering the authorities (e.g. the force's monthly files), or
        :class:`~geosafety.io.Inputs`; partner files given apply to every authority (their
        records are placed in each).
    areas : sequence of str
        Authority names or codes, or police force areas or partnerships standing for their
        authorities (see :func:`~geosafety.geography.find_authorities`), e.g.
        ``["Merseyside"]`` or ``["Wirral", "Sefton"]``.
    period, by, options, progress
        As for :func:`assess`.

    Returns
    -------
    AreaAssessments

    Raises
    ------
    UnknownAreaError
        If an area name matches nothing (the closest names are given).
    NoRecordsInStudyAreaError
        If an authority has no record in the data.

    See Also
    --------
    geosafety.cluster.assess_areas_on_cluster : the same, as Dask tasks per authority.
    """
    shared = read_shared(source, areas=areas, period=period, progress=progress)
    assessments = [assess_authority(shared, code, by=by, options=options, progress=progress)
                   for code in shared.codes]
    return compare_shared(shared, assessments, options=options)
