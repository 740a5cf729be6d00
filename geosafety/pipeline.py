"""The assessment pipeline: one call per stage, in the order data flows.

``read -> place -> measure -> analyse -> protect``, then :func:`geosafety.write_assessment`
renders and reports. Each stage lives in its own package (see the README's table); this
module only wires them together and collects every warning they raise.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from geosafety._errors import DataQualityWarning
from geosafety.analysis import Assessment, NightTime, analyse
from geosafety.disclosure import THRESHOLD, protect_analyses
from geosafety.examples import with_examples
from geosafety.geography import StudyArea, files_read, locate_records
from geosafety.geography.status import Placement
from geosafety.io import Inputs, Source, read_partner_inputs, read_police_uk
from geosafety.measures import (
    MAX_HOURS,
    Period,
    covering_period,
    measure_police_uk,
    missing_months,
    parse_period,
    require_in_period,
    split_period,
)


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
    """

    threshold: int = THRESHOLD
    night: NightTime = field(default_factory=NightTime)
    aoristic: str = "minutes"
    max_window_hours: float = MAX_HOURS


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
        Default: Sefton, from the bundled boundaries.
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
    area = area or StudyArea.sefton()
    options = options or Options()
    inputs = source if isinstance(source, Inputs) else Inputs(police_uk=source)
    inputs, example_period = with_examples(inputs, examples=examples)
    police_uk = inputs.police_uk
    assert police_uk is not None  # with_examples gives the bundled data when none is given
    period = period or example_period
    messages: list[str] = []
    with collected_warnings(messages):
        # read: police.uk first, since the period follows from it
        records = read_police_uk(police_uk, progress=progress)
        chosen = (period if isinstance(period, Period) else parse_period(period) if period
                  else covering_period(records["month"]))
        in_period = require_in_period(records["month"], chosen)
        # place (police.uk here; partner records are placed as they are read)
        located, report = locate_records(records[in_period], area)
        _warn_missing_months(missing_months(records.loc[in_period, "month"], chosen), chosen)
        report.add_excluded(records[~in_period], Placement.OUTSIDE_PERIOD)
        data = read_partner_inputs(inputs, area, progress=progress)
        # measure
        periods = [chosen] + (split_period(chosen, by) if by else [])
        measures, reconciliation = measure_police_uk(located, area, periods)
        # analyse, then protect
        found = protect_analyses(
            analyse(records, measures, data, area, chosen, vintages=report.vintages.tolist(),
                    night=options.night, aoristic=options.aoristic,
                    max_window_hours=options.max_window_hours),
            area, threshold=options.threshold)
    return Assessment(
        area=area, period=chosen, periods=periods, records=located, report=report,
        measures=measures, reconciliation=reconciliation, files=files_read(records, report),
        warnings=messages, partners=found.partners, associations=found.associations,
        trends=found.trends, time_of_day=found.time_of_day, premises=data.premises)
