"""Parsing dates and times of day as partners write them (UK day-first, ISO, 24- or 12-hour)."""

from __future__ import annotations

import pandas as pd

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%Y-%m-%d %H:%M:%S",
                 "%Y-%m-%d %H:%M",
                 "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse UK-style and ISO dates (day first); NaT where none of the formats fit.

    Examples
    --------
    >>> dates = parse_dates(pd.Series(["2025-03-04", "04/03/2025", "4.3.2025", "March"]))
    >>> dates.dt.strftime("%Y-%m-%d").tolist()
    ['2025-03-04', '2025-03-04', '2025-03-04', nan]
    """
    text = values.fillna("").astype(str).str.strip()
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for fmt in _DATE_FORMATS:
        missing = parsed.isna()
        if not missing.any():
            break
        parsed[missing] = pd.to_datetime(text[missing], format=fmt, errors="coerce")
    return parsed


_TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%H%M", "%H.%M", "%I:%M %p", "%I:%M%p")


def parse_times(values: pd.Series) -> pd.Series:
    """Parse times of day ("14:05", "14:05:00", "1405", "2:05 PM") as offsets from midnight.

    Empty cells and values that are not times give NaT.

    Examples
    --------
    >>> times = parse_times(pd.Series(["14:05", "0930", "23:59:59", "2:05 pm", "25:00", ""]))
    >>> (times.dt.total_seconds() / 60).tolist()
    [845.0, 570.0, 1439.9833333333333, 845.0, nan, nan]
    """
    text = values.fillna("").astype(str).str.strip().str.upper()
    text = text.str.replace(r"^(\d):", r"0\1:", regex=True)
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for fmt in _TIME_FORMATS:
        missing = parsed.isna() & text.ne("")
        if not missing.any():
            break
        parsed[missing] = pd.to_datetime(text[missing], format=fmt, errors="coerce")
    return parsed - parsed.dt.normalize()
