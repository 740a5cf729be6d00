"""Aoristic allocation: spreading an offence whose time is uncertain over the hours it may be in.

Victims often know only that an offence happened "between 23:00 on Friday and 07:30 on
Saturday". Counting it at its start time piles such offences into the evening; aoristic
analysis (Ratcliffe 2002, "Aoristic signatures and the spatio-temporal analysis of high
volume crime patterns", *Journal of Quantitative Criminology* 18(1)) gives each offence a
total weight of 1, shared among the hour blocks its window covers.

Two ways of sharing are offered:

* ``"minutes"`` (default): in proportion to the minutes of the window inside each hour
  block. A window from 22:30 to 01:30 gives 0.5/3 to 22:00-22:59, 1/3 to 23:00-23:59,
  1/3 to 00:00-00:59 and 0.5/3 to 01:00-01:59.
* ``"hours"``: an equal share to every hour block the window touches (Ratcliffe's original
  form): the same window gives 1/4 to each of the four blocks.

Windows are half-open, ``[start, end)``: "from 22:00 to 23:00" is the hour 22:00-22:59.
A window whose end equals its start is an exact time and puts all its weight in one block.
Windows longer than ``max_hours`` carry no information about the hour or the weekday and
are left out (their weights are empty); callers report how many.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geosafety._errors import InvalidOptionError

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: Longest window allocated by default: one week.
MAX_HOURS = 168.0
_HOUR = np.timedelta64(1, "h")


def hour_band(hour: int) -> str:
    """Name an hour block as assessments write it.

    Examples
    --------
    >>> hour_band(18), hour_band(0)
    ('18:00-18:59', '00:00-00:59')
    """
    return f"{hour:02d}:00-{hour:02d}:59"


def aoristic_weights(
    start: pd.Series,
    end: pd.Series,
    *,
    method: str = "minutes",
    max_hours: float = MAX_HOURS,
) -> pd.DataFrame:
    """Share each record's weight of 1 among the hour blocks its time window covers.

    Parameters
    ----------
    start, end : pandas.Series of datetime64
        The window of each record (same index). ``end`` equal to ``start`` (or missing)
        means an exact time.
    method : {"minutes", "hours"}
        Share by minutes inside each block, or equally among the blocks touched.
    max_hours : float
        Windows longer than this are left out.

    Returns
    -------
    pandas.DataFrame
        One row per record and hour block: ``record`` (the index label of the record),
        ``hour_start`` (the block's start), ``weekday`` (0 = Monday), ``hour`` (0-23) and
        ``weight``. The weights of each allocated record add up to 1.

    Raises
    ------
    InvalidOptionError
        If a window ends before it starts, or ``method`` is unknown.

    Examples
    --------
    >>> start = pd.Series(pd.to_datetime(["2025-03-07 22:30", "2025-03-08 14:10"]))
    >>> end = pd.Series(pd.to_datetime(["2025-03-08 01:30", "2025-03-08 14:10"]))
    >>> w = aoristic_weights(start, end)
    >>> print(w[["record", "weekday", "hour", "weight"]].round(4).to_string(index=False))
     record  weekday  hour  weight
          0        4    22  0.1667
          0        4    23  0.3333
          0        5     0  0.3333
          0        5     1  0.1667
          1        5    14  1.0000
    """
    if method not in ("minutes", "hours"):
        raise InvalidOptionError(
            f"Aoristic method {method!r} is unknown; use 'minutes' or 'hours'.")
    end = end.where(end.notna(), start)
    if (end < start).any():
        first = end.index[(end < start).to_numpy()][0]
        raise InvalidOptionError(f"A time window ends before it starts (record {first!r}).")
    length_hours = (end - start) / pd.Timedelta(hours=1)
    keep = start.notna() & (length_hours <= max_hours)
    s = start[keep].to_numpy(dtype="datetime64[ns]")
    e = end[keep].to_numpy(dtype="datetime64[ns]")
    first_block = s.astype("datetime64[h]")
    exact = e == s
    # blocks touched: from the start's block to the block holding the last instant before end
    last_block = np.where(exact, first_block, (e - np.timedelta64(1, "ns")).astype(
        "datetime64[h]"))
    n_blocks = (last_block - first_block).astype(np.int64) + 1
    record = np.repeat(start.index[keep].to_numpy(), n_blocks)
    offsets = np.arange(n_blocks.sum()) - np.repeat(np.cumsum(n_blocks) - n_blocks, n_blocks)
    block = np.repeat(first_block, n_blocks) + offsets.astype("timedelta64[h]")
    block_ns = block.astype("datetime64[ns]")
    if method == "hours":
        weight = 1.0 / np.repeat(n_blocks, n_blocks)
    else:
        s_rep, e_rep = np.repeat(s, n_blocks), np.repeat(e, n_blocks)
        overlap = (np.minimum(e_rep, block_ns + _HOUR) - np.maximum(s_rep, block_ns)).astype(
            np.int64)
        total = (e_rep - s_rep).astype(np.int64)
        weight = np.where(total == 0, 1.0, overlap / np.where(total == 0, 1, total))
    hours = pd.DatetimeIndex(block_ns)
    return pd.DataFrame({"record": record, "hour_start": hours, "weekday": hours.day_of_week,
                         "hour": hours.hour, "weight": weight})


def week_profile(weights: pd.DataFrame) -> pd.DataFrame:
    """Add up weights into a weekday x hour table (rows Monday-Sunday, columns 0-23).

    Examples
    --------
    >>> w = pd.DataFrame({"weekday": [4, 5], "hour": [23, 0], "weight": [0.5, 0.5]})
    >>> table = week_profile(w)
    >>> table.shape, float(table.loc["Friday", 23]), float(table.to_numpy().sum())
    ((7, 24), 0.5, 1.0)
    """
    table = weights.pivot_table(index="weekday", columns="hour", values="weight",
                                aggfunc="sum", fill_value=0.0)
    table = table.reindex(index=range(7), columns=range(24), fill_value=0.0).astype(float)
    table.index = pd.Index(WEEKDAYS, name="weekday")
    table.columns.name = "hour"
    return table


def in_hours(hours: pd.Series, first: int, last: int) -> pd.Series:
    """Return True for hours in the band ``first:00`` to ``last:59``, wrapping past midnight.

    Examples
    --------
    >>> in_hours(pd.Series([17, 18, 23, 0, 3, 4]), 18, 3).tolist()
    [False, True, True, True, True, False]
    """
    if first <= last:
        return hours.between(first, last)
    return (hours >= first) | (hours <= last)
