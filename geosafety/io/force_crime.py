"""Reading police force crime extracts: offences with their time windows, groups and flags.

police.uk gives only the month; a force's own extract (from its crime recording system, shared
with the partnership under an information-sharing agreement) gives, per crime:

* a crime reference;
* when it was committed, often a window "committed from ... to ...": as date-time columns,
  or as separate date and time columns. A record with a date but no time is spread over
  that whole day; a record with no "to" is an exact time. Where the "to" side has a time
  but no date column, it is on the "from" date, or the next day when that would end the
  window before it starts ("from 23:00 to 02:00");
* the offence (Home Office description, optionally its offence group), see
  :mod:`geosafety.io.offences`;
* the flags the force attaches (alcohol, domestic, hate, knife, drugs, stranger);
* where: easting/northing, longitude/latitude, an LSOA code or a ward (tried in that order,
  see :func:`~geosafety.geography.place_points`).

Every problem in a file is reported together, naming the file, row (header = row 1),
column and value.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping

import pandas as pd

from geosafety._errors import DataQualityWarning, InputFileError
from geosafety.io import _validate as v
from geosafety.io.columns import LOCATION_FIELDS, LOCATION_GROUPS, Field, resolve_columns
from geosafety.io.dates import parse_dates, parse_times
from geosafety.io.offences import (
    FLAGS,
    flag_values,
    is_flag_value,
    offence_groups,
    split_flag_codes,
)
from geosafety.io.placing import Placer
from geosafety.io.plausibility import warn_future_dates
from geosafety.io.sources import Source, find_source_files
from geosafety.io.tabular import read_table

FORCE_FIELDS = (
    Field("crime_ref", ("crime reference", "crime ref", "crime number", "crime no", "crime id",
                        "occurrence number", "occurrence reference", "urn", "crn"),
          required=True, description="the crime reference"),
    Field("from_datetime", ("committed from", "committed from date time", "date time from",
                            "from date time", "from datetime", "offence from", "occurred from",
                            "start date time", "first committed", "committed date time from")),
    Field("from_date", ("committed from date", "date from", "from date", "start date",
                        "offence date", "date committed", "occurred date", "committed date")),
    Field("from_time", ("committed from time", "time from", "from time", "start time",
                        "offence time", "time committed", "occurred time", "committed time")),
    Field("to_datetime", ("committed to", "committed to date time", "date time to",
                          "to date time", "to datetime", "offence to", "occurred to",
                          "end date time", "last committed", "committed date time to")),
    Field("to_date", ("committed to date", "date to", "to date", "end date")),
    Field("to_time", ("committed to time", "time to", "to time", "end time")),
    Field("offence", ("offence description", "offence type", "crime type", "offence name",
                      "ho offence", "home office offence", "offence title", "crime description",
                      "classification"),
          required=True, description="the offence, e.g. 'Common assault'"),
    Field("offence_group", ("ho offence group", "home office offence group", "offence group",
                            "crime group", "ho group", "crime category")),
    Field("flags", ("crime flags", "markers", "crime markers", "qualifiers", "flag codes")),
    *(Field(f"flag_{flag}", tuple(f"{name}{suffix}" for name in names
                                  for suffix in ("", " flag", " marker", " related")))
      for flag, names in (
          ("alcohol", ("alcohol", "alc")), ("domestic", ("domestic", "domestic abuse", "da",
                                                         "domestic violence")),
          ("hate", ("hate", "hate crime")), ("knife", ("knife", "knife crime", "bladed")),
          ("drugs", ("drugs", "drug")), ("stranger", ("stranger",)))),
    *LOCATION_FIELDS,
)
EXACT, WINDOW, DATE_ONLY = "exact time", "time window", "date only"
_HAS_TIME = re.compile(r"\d{1,2}[:.]\d{2}")


def _side(table: pd.DataFrame, found: dict[str, str], side: str,
          problems: list[str]) -> tuple[pd.Series, pd.Series]:
    """Parse one side of the window: (date-time at the start of the day or exact, has time)."""
    index = table.index
    none = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    if f"{side}_datetime" in found:
        column = found[f"{side}_datetime"]
        text = table[column].str.strip()
        parsed = parse_dates(text)
        bad = text.ne("") & parsed.isna()
        if bad.any():
            problems.append(v.describe_bad_rows(
                table, bad, column, "a date and time such as 2025-03-07 22:30 or "
                "07/03/2025 22:30 (day first)"))
        return parsed, text.str.contains(_HAS_TIME) & parsed.notna()
    if f"{side}_date" not in found:
        return none, pd.Series(False, index=index)
    column = found[f"{side}_date"]
    text = table[column].str.strip()
    dates = parse_dates(text)
    bad = text.ne("") & dates.isna()
    if bad.any():
        problems.append(v.describe_bad_rows(table, bad, column,
                                            "a date such as 2025-03-07 or 07/03/2025"))
    has_time = pd.Series(False, index=index)
    if f"{side}_time" in found:
        time_column = found[f"{side}_time"]
        times = parse_times(table[time_column])
        bad = table[time_column].str.strip().ne("") & times.isna()
        if bad.any():
            problems.append(v.describe_bad_rows(table, bad, time_column,
                                                "a time such as 22:30, 22:30:00 or 2230"))
        has_time = times.notna() & dates.notna()
        dates = dates.dt.normalize() + times.fillna(pd.Timedelta(0))
    return dates, has_time


def time_windows(table: pd.DataFrame, found: dict[str, str], label: str,
                 problems: list[str] | None = None) -> pd.DataFrame:
    """Build each record's committed-from/to window from whichever columns the file has.

    Returns
    -------
    pandas.DataFrame
        ``committed_from``, ``committed_to`` (half-open: the window is
        ``[committed_from, committed_to)``, equal for an exact time), ``window_hours`` and
        ``time_known`` ("exact time", "time window" or "date only").

    Raises
    ------
    InputFileError
        Listing unreadable dates and times, missing start dates and windows that end before
        they start; when ``problems`` is given they are appended to it instead.
    """
    raise_now = problems is None
    problems = [] if problems is None else problems
    if "from_datetime" not in found and "from_date" not in found:
        raise InputFileError(label, [
            "no column says when the offence was committed; looked for a date-time "
            f"('committed from', ...) or a date ('date from', 'offence date', ...); columns "
            f"found: {list(table.columns)}"],
            hint="map it with columns={'from_datetime': '<column>'} or "
                 "{'from_date': '<column>', 'from_time': '<column>'}.")
    start, start_timed = _side(table, found, "from", problems)
    start_column = found["from_datetime" if "from_datetime" in found else "from_date"]
    blank = table[start_column].str.strip().eq("")
    if blank.any():
        problems.append(v.describe_bad_rows(table, blank, start_column,
                                            "the date the offence was committed (from)"))
    end, end_timed = _side(table, found, "to", problems)
    if "to_time" in found and "to_datetime" not in found:
        times = parse_times(table[found["to_time"]])
        same_day = start.dt.normalize() + times  # a time with no date: on the start's date
        same_day = same_day.where(same_day >= start, same_day + pd.Timedelta(days=1))
        use = end.isna() & times.notna()
        end = end.where(~use, same_day)
        end_timed = end_timed | use
    day = pd.Timedelta(days=1)
    no_end = end.isna()
    end = end.where(end_timed | no_end, end.dt.normalize() + day)  # a date: to its day's end
    end = end.where(~no_end, start.where(start_timed, start.dt.normalize() + day))
    ends_early = start.notna() & (end < start)
    if ends_early.any():
        column = next(found[f] for f in ("to_datetime", "to_date", "to_time") if f in found)
        problems.append(v.describe_bad_rows(table, ends_early, column,
                                            "an end no earlier than the start (from) of the "
                                            "window; the two may be swapped"))
    if raise_now:
        v.raise_cell_problems(label, problems)
    hours = (end - start) / pd.Timedelta(hours=1)
    known = pd.Series(WINDOW, index=table.index).where(hours > 0, EXACT)
    known = known.where(start_timed | ~no_end, DATE_ONLY)
    return pd.DataFrame({"committed_from": start, "committed_to": end, "window_hours": hours,
                         "time_known": known})


def _flags(table: pd.DataFrame, found: dict[str, str], label: str,
           problems: list[str]) -> pd.DataFrame:
    flags = pd.DataFrame(False, index=table.index, columns=list(FLAGS))
    if "flags" in found:
        coded, unknown = split_flag_codes(table[found["flags"]])
        flags |= coded
        if unknown:
            warnings.warn(f"{label}: flag codes not understood and ignored: "
                          f"{sorted(unknown)[:10]}; the codes understood are listed in "
                          "geosafety.offences.FLAG_CODES.", DataQualityWarning, stacklevel=3)
    for flag in FLAGS:
        column = found.get(f"flag_{flag}")
        if column is None:
            continue
        v.check_column(table, column, is_flag_value, "Y/N, yes/no, true/false, 1/0, x or "
                       "an empty cell", problems)
        flags[flag] |= flag_values(table[column])
    return flags.add_prefix("flag_")


def read_force_crimes(
    source: Source,
    area: Placer,
    *,
    columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Read police force crime extracts (CSV or Excel) and place them in the study area.

    Parameters
    ----------
    source : path or list of paths
    area : StudyArea
        Places each offence (:meth:`~geosafety.geography.StudyArea.place_points`).
    columns : mapping, optional
        ``{field: column}`` for fields named differently: ``crime_ref``,
        ``from_datetime`` (or ``from_date`` and ``from_time``), ``to_datetime`` (or
        ``to_date`` and/or ``to_time``), ``offence``, ``offence_group``, ``flags`` or
        ``flag_alcohol`` ... ``flag_stranger``, and the location (``easting``/``northing``,
        ``latitude``/``longitude``, ``lsoa`` or ``ward``).

    Returns
    -------
    pandas.DataFrame
        ``source_file``, ``source_row``, ``crime_ref``, ``offence``, ``offence_group``,
        ``committed_from``, ``committed_to``, ``window_hours``, ``time_known``, ``month``
        (of ``committed_from``), ``flag_alcohol`` ... ``flag_stranger``, ``lsoa21_code``,
        ``ward_code``, ``postcode_district`` and ``placement``. A crime reference repeated
        within the extracts is kept once (the first row), with a warning.

    Raises
    ------
    InputFileError
        Listing missing fields and every unreadable date, time, flag or coordinate.
    NoRecordsInStudyAreaError
        If no record of a file can be placed in the study area (a file for another area).

    Examples
    --------
    >>> from geosafety.geography import StudyArea
    >>> from geosafety.io.datasets import get_path
    >>> crimes = read_force_crimes(get_path("synthetic_force_crime"), StudyArea.sefton())
    >>> crimes["time_known"].value_counts().index.tolist()
    ['exact time', 'time window', 'date only']
    """
    frames = []
    for file in find_source_files(source, pattern=""):
        table = read_table(file)
        found = resolve_columns(table, FORCE_FIELDS, label=file.label, mapping=columns,
                                one_of=LOCATION_GROUPS)
        problems: list[str] = []
        v.check_column(table, found["offence"], v.not_empty, "the offence description",
                       problems)
        v.check_coordinates(table, found, problems)
        windows = time_windows(table, found, file.label, problems)
        flags = _flags(table, found, file.label, problems)
        v.raise_cell_problems(file.label, problems)
        out = pd.DataFrame({
            "source_file": file.label,
            "source_row": v.row_numbers(table.index),
            "crime_ref": table[found["crime_ref"]].str.strip(),
            "offence": table[found["offence"]].str.strip(),
            "offence_group": offence_groups(
                table[found["offence"]],
                table[found["offence_group"]] if "offence_group" in found else None),
        }, index=table.index)
        out = out.join(windows)
        out["month"] = out["committed_from"].dt.to_period("M")
        out = out.join(flags)
        placed = area.place_points(table, found, file.label)
        v.require_placed(file.label, placed, area.name, "offences")
        frames.append(out.join(placed))
    crimes = v.drop_repeated(
        pd.concat(frames, ignore_index=True), ["crime_ref"], what="crime reference",
        expected="If the extract has a row per offence or per victim, that is expected.")
    warn_future_dates(crimes, "committed_from", "force crime records")
    return crimes
