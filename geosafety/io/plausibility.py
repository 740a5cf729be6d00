"""Questioning data that reads cleanly but cannot be right: swapped coordinates, odd dates.

Each check warns (:class:`~geosafety.DataQualityWarning`) with how many rows are affected
and the first few, by file and row, so the analyst can go back to the partner. Nothing is
silently changed: swapped coordinates are swapped back (the intent is unambiguous, and the
warning says so); implausible dates are kept as given and counted where they fall, which
for a date far from the period means "outside the period".

Great Britain lies between longitudes -8.7 and 1.8 and latitudes 49.8 and 60.9 (St Kilda to
Lowestoft, the Isles of Scilly to Shetland), so a pair with the "longitude" in 49.8..60.9
and the "latitude" in -8.7..1.8 is the right place with its columns swapped.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import pandas as pd

from geosafety._errors import DataQualityWarning
from geosafety.io._validate import row_label

#: Longitudes (west to east) and latitudes (south to north) spanning Great Britain.
GB_LONGITUDE = (-8.7, 1.8)
GB_LATITUDE = (49.8, 60.9)
#: How many affected rows a warning quotes.
ROWS_QUOTED = 3


def swapped_lonlat(longitude: pd.Series, latitude: pd.Series) -> pd.Series:
    """Mark rows whose longitude and latitude are each in the other's range for Great Britain.

    Examples
    --------
    >>> swapped_lonlat(pd.Series([53.48, -2.99, None]), pd.Series([-2.99, 53.48, 53.48])).tolist()
    [True, False, False]
    """
    lon = pd.to_numeric(longitude, errors="coerce")
    lat = pd.to_numeric(latitude, errors="coerce")
    return (lon.between(*GB_LATITUDE) & lat.between(*GB_LONGITUDE)).fillna(False).astype(bool)


def _are(count: int, what: str) -> str:
    """Say "3 fire incidents are" or "1 of the fire incidents is"."""
    return f"1 of the {what} is" if count == 1 else f"{count:,} {what} are"


def _where(records: pd.DataFrame, rows: pd.Index, describe: Sequence[str],
           label: str | None = None) -> str:
    """Quote the first rows: "file row N has column value, ..." (no file when it is ``label``)."""
    quoted = []
    for index in rows[:ROWS_QUOTED]:
        values = ", ".join(f"{c} {records.at[index, c]!s}" for c in describe)
        quoted.append(f"{row_label(records, index, label)} has {values}")
    return "; ".join(quoted) + ("; ..." if len(rows) > ROWS_QUOTED else "")


def swap_back_lonlat(records: pd.DataFrame, longitude: str, latitude: str,
                     label: str) -> pd.DataFrame:
    """Swap back longitude and latitude where they are swapped, with a warning.

    Parameters
    ----------
    records : pandas.DataFrame
        Records with the two coordinate columns (numbers or text) and, for the message,
        ``source_file`` and ``source_row`` if known.
    longitude, latitude : str
        The columns.
    label : str
        The file, for the message.

    Returns
    -------
    pandas.DataFrame
        ``records`` itself when nothing is swapped, else a copy with the pairs swapped back.

    Examples
    --------
    >>> rows = pd.DataFrame({"lon": [-2.99, 53.48], "lat": [53.48, -2.99]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     swap_back_lonlat(rows, "lon", "lat", "fires.csv")["lon"].tolist()
    [-2.99, -2.99]
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    fires.csv: 1 of 2 rows have latitude and longitude swapped (record 1 has lon 53.48,
    lat -2.99); they were read swapped back. Check the export's column order.
    """
    swapped = swapped_lonlat(records[longitude], records[latitude])
    if not swapped.any():
        return records
    rows = records.index[swapped.to_numpy()]
    warnings.warn(
        f"{label}: {int(swapped.sum()):,} of {len(records):,} rows have latitude and longitude "
        f"swapped ({_where(records, rows, [longitude, latitude], label)}); they were read "
        "swapped back. Check the export's column order.", DataQualityWarning, stacklevel=3)
    fixed = records.copy()
    fixed.loc[rows, [longitude, latitude]] = records.loc[rows, [latitude, longitude]].to_numpy()
    return fixed


def warn_future_dates(records: pd.DataFrame, column: str, what: str, *,
                      today: pd.Timestamp | None = None) -> None:
    """Warn of records dated after today (a typo in the year, or a wrong date format).

    Parameters
    ----------
    records : pandas.DataFrame
        With the datetime ``column`` and, for the message, ``source_file`` and ``source_row``.
    column : str
    what : str
        The records, in the plural ("MARAC case records").
    today : pandas.Timestamp, optional
        Default: today.

    Examples
    --------
    >>> rows = pd.DataFrame({"source_file": "marac.csv", "source_row": [2, 3],
    ...                      "date": pd.to_datetime(["2025-03-04", "2052-03-04"])})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_future_dates(rows, "date", "MARAC case records",
    ...                       today=pd.Timestamp("2026-11-24"))
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    1 of the MARAC case records is dated after today (2026-11-24): marac.csv row 3 has date
    2052-03-04. Check the year and the day/month order; they are counted in the month
    they give, outside any period so far.
    """
    today = (today or pd.Timestamp.now()).normalize()
    dates = pd.to_datetime(records[column], errors="coerce")
    future = dates >= today + pd.Timedelta(days=1)
    if not future.any():
        return
    shown = records.assign(**{column: dates.dt.strftime("%Y-%m-%d")})
    warnings.warn(
        f"{_are(int(future.sum()), what)} dated after today ({today:%Y-%m-%d}): "
        f"{_where(shown, records.index[future.to_numpy()], [column])}. Check the year and the "
        "day/month order; they are counted in the month they give, outside any period so far.",
        DataQualityWarning, stacklevel=3)


def warn_far_from_period(records: pd.DataFrame, column: str, what: str, *,
                         start: pd.Period, end: pd.Period, years: int = 5) -> None:
    """Warn of records dated more than ``years`` from a period (a mistyped year, say).

    Records just outside the period are normal (an extract covering two years); these are
    left out of the period's counts like them, but named, because a year such as 1925 or
    2205 is a data error the partner should correct.

    Parameters
    ----------
    records : pandas.DataFrame
        With the monthly-Period ``column`` and, for the message, ``source_file`` and
        ``source_row``.
    column : str
    what : str
        The records, in the plural.
    start, end : pandas.Period
        The period's first and last month.
    years : int
        How far outside counts as implausible.

    Examples
    --------
    >>> rows = pd.DataFrame({"source_file": "fires.csv", "source_row": [2, 3, 4],
    ...                      "month": pd.PeriodIndex(["2025-03", "2024-12", "1925-03"],
    ...                                              freq="M")})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_far_from_period(rows, "month", "fire incidents",
    ...                          start=pd.Period("2025-01", "M"), end=pd.Period("2025-12", "M"))
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    1 of the fire incidents is dated more than 5 years from the period 2025-01 to 2025-12:
    fires.csv row 4 has month 1925-03. They are left out as outside the period; check
    the year.
    """
    months = records[column]
    far = months.notna() & ((months < start - 12 * years) | (months > end + 12 * years))
    if not far.any():
        return
    warnings.warn(
        f"{_are(int(far.sum()), what)} dated more than {years} years from the period "
        f"{start} to {end}: {_where(records, records.index[far.to_numpy()], [column])}. They "
        "are left out as outside the period; check the year.", DataQualityWarning,
        stacklevel=3)
