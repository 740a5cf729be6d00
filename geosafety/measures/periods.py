"""Reporting periods: calendar years, financial years (April-March), quarters, months."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from geosafety._errors import InvalidOptionError, NoRecordsInPeriodError


@dataclass(frozen=True)
class Period:
    """An inclusive run of whole months.

    Attributes
    ----------
    start, end : pandas.Period
        First and last month (frequency ``"M"``).
    label : str
        How tables name it, e.g. ``"2025"``, ``"2024/25"``, ``"2025Q1"``.
    """

    start: pd.Period
    end: pd.Period
    label: str

    @property
    def months(self) -> pd.PeriodIndex:
        """Every month in the period."""
        return pd.period_range(self.start, self.end, freq="M")

    def contains(self, months: pd.Series) -> pd.Series:
        """Return True for months inside the period."""
        return (months >= self.start) & (months <= self.end)

    def describe(self) -> str:
        """Say the period in words.

        Examples
        --------
        >>> parse_period("2025").describe()
        'January to December 2025'
        >>> parse_period("2024/25").describe()
        'April 2024 to March 2025'
        """
        first, last = self.start.strftime("%B %Y"), self.end.strftime("%B %Y")
        if self.start == self.end:
            return first
        if self.start.year == self.end.year:
            return f"{self.start.strftime('%B')} to {last}"
        return f"{first} to {last}"


def parse_period(text: str) -> Period:
    """Parse a period written as people write them.

    Accepted: ``"2025"`` (calendar year), ``"2024/25"`` (financial year April-March),
    ``"2025Q1"`` (calendar quarter), ``"2025-03"`` (month) and ``"2025-01:2025-06"``
    (a range of months).

    Raises
    ------
    InvalidOptionError
        Naming the value and the accepted forms.

    Examples
    --------
    >>> p = parse_period("2024/25"); (str(p.start), str(p.end), p.label)
    ('2024-04', '2025-03', '2024/25')
    >>> p = parse_period("2025-01:2025-06"); (str(p.start), str(p.end))
    ('2025-01', '2025-06')
    """
    value = text.strip()
    try:
        if re.fullmatch(r"\d{4}", value):
            return Period(pd.Period(f"{value}-01", "M"), pd.Period(f"{value}-12", "M"), value)
        if match := re.fullmatch(r"(\d{4})/(\d{2})", value):
            first = int(match.group(1))
            if (first + 1) % 100 != int(match.group(2)):
                raise ValueError("the second year must follow the first")
            return Period(pd.Period(f"{first}-04", "M"), pd.Period(f"{first + 1}-03", "M"), value)
        if match := re.fullmatch(r"(\d{4})[- ]?Q([1-4])", value, flags=re.IGNORECASE):
            quarter = pd.Period(f"{match.group(1)}Q{match.group(2)}", "Q")
            return Period(quarter.asfreq("M", "s"), quarter.asfreq("M", "e"), str(quarter))
        if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
            month = pd.Period(value, "M")
            return Period(month, month, value)
        if match := re.fullmatch(r"(\d{4}-\d{2}):(\d{4}-\d{2})", value):
            start, end = pd.Period(match.group(1), "M"), pd.Period(match.group(2), "M")
            if end < start:
                raise ValueError("the range ends before it starts")
            return Period(start, end, value)
    except ValueError as error:
        raise InvalidOptionError(f"Period {text!r} is not valid: {error}.") from None
    raise InvalidOptionError(
        f"Period {text!r} is not recognised. Use a year '2025', a financial year '2024/25', "
        "a quarter '2025Q1', a month '2025-03' or a range '2025-01:2025-06'."
    )


def split_period(period: Period, by: str) -> list[Period]:
    """Split a period into months, quarters, calendar years or financial years.

    Periods at the ends may be partial; their labels say so by their months.

    Examples
    --------
    >>> [p.label for p in split_period(parse_period("2025"), "quarter")]
    ['2025Q1', '2025Q2', '2025Q3', '2025Q4']
    >>> [p.label for p in split_period(parse_period("2025"), "financial-year")]
    ['2024/25 (2025-01 to 2025-03)', '2025/26 (2025-04 to 2025-12)']
    """
    freq = {"month": "M", "quarter": "Q", "year": "Y", "financial-year": "Q-MAR"}
    if by not in freq:
        raise InvalidOptionError(
            f"Split by {by!r} is not supported; use one of {sorted(freq)}.")
    months = period.months
    if by == "financial-year":
        keys = [(m.year if m.month >= 4 else m.year - 1) for m in months]
        labels = {k: f"{k}/{(k + 1) % 100:02d}" for k in keys}
    elif by == "month":
        keys = [str(m) for m in months]
        labels = {k: k for k in keys}
    else:
        keys = [str(m.asfreq(freq[by])) for m in months]
        labels = {k: k for k in keys}
    parts = []
    for key in dict.fromkeys(keys):
        members = [m for m, k in zip(months, keys, strict=True) if k == key]
        whole = by in ("month",) or len(members) == {"quarter": 3, "year": 12,
                                                      "financial-year": 12}[by]
        label = labels[key] if whole else f"{labels[key]} ({members[0]} to {members[-1]})"
        parts.append(Period(members[0], members[-1], label))
    return parts


#: Ways a period can be split for sub-period tables.
SPLITS = ("month", "quarter", "year", "financial-year")


def covering_period(months: pd.Series) -> Period:
    """Return the period some months span: a calendar year when they fill one, else a range.

    Examples
    --------
    >>> covering_period(pd.Series(pd.PeriodIndex(["2025-01", "2025-12"], freq="M"))).label
    '2025'
    >>> covering_period(pd.Series(pd.PeriodIndex(["2025-03", "2025-05"], freq="M"))).label
    '2025-03:2025-05'
    """
    start, end = months.min(), months.max()
    if start.month == 1 and end.month == 12 and start.year == end.year:
        return parse_period(str(start.year))
    return Period(start, end, f"{start}:{end}" if start != end else str(start))


def require_in_period(months: pd.Series, period: Period, *, what: str = "records") -> pd.Series:
    """Return which months fall in ``period``; raise when none of them does.

    Parameters
    ----------
    months : pandas.Series of monthly Period
    period : Period
    what : str
        What the rows are, in the plural: "records", "MARAC case records", ...

    Raises
    ------
    NoRecordsInPeriodError
        Naming what, the period, the months the data covers and how to choose.

    Examples
    --------
    >>> months = pd.Series(pd.PeriodIndex(["2025-01", "2025-02"], freq="M"))
    >>> require_in_period(months, parse_period("2025")).tolist()
    [True, True]
    >>> require_in_period(months, parse_period("2023"))
    Traceback (most recent call last):
    ...
    geosafety._errors.NoRecordsInPeriodError: No records fall in the period 2023 (January to \
December 2023); the data covers 2025-01 to 2025-02. Choose a period inside it with --period.
    """
    inside = period.contains(months)
    if not inside.any():
        raise NoRecordsInPeriodError(
            f"No {what} fall in the period {period.label} ({period.describe()}); the data "
            f"covers {months.min()} to {months.max()}. Choose a period inside it with "
            "--period.", source=what)
    return inside


def missing_months(months: pd.Series, period: Period) -> list[str]:
    """Months of ``period`` with no record, as ``YYYY-MM``.

    Examples
    --------
    >>> months = pd.Series(pd.PeriodIndex(["2025-01", "2025-03"], freq="M"))
    >>> missing_months(months, parse_period("2025Q1"))
    ['2025-02']
    """
    present = set(months.unique())
    return [str(m) for m in period.months if m not in present]


def with_periods(events: pd.DataFrame, periods: list[Period]) -> pd.DataFrame:
    """Repeat each event once for every period holding its month, with a ``period`` label.

    Examples
    --------
    >>> events = pd.DataFrame({"month": pd.PeriodIndex(["2025-02", "2025-05"], freq="M")})
    >>> year = parse_period("2025")
    >>> with_periods(events, [year, *split_period(year, "quarter")])["period"].tolist()
    ['2025', '2025', '2025Q1', '2025Q2']
    """
    parts = [events[p.contains(events["month"])].assign(period=p.label) for p in periods]
    return pd.concat(parts, ignore_index=True)


def period_label(months: pd.Series, by: str) -> pd.Series:
    """Label each month with its financial or calendar year.

    Examples
    --------
    >>> months = pd.Series(pd.PeriodIndex(["2019-03", "2019-04", "2020-01"], freq="M"))
    >>> period_label(months, "financial-year").tolist()
    ['2018/19', '2019/20', '2019/20']
    >>> period_label(months, "year").tolist()
    ['2019', '2019', '2020']
    """
    if by not in ("year", "financial-year"):
        raise InvalidOptionError(f"Periods are by 'financial-year' or 'year', not {by!r}.")
    years = months.dt.year
    if by == "year":
        return years.astype(str)
    start = years - (months.dt.month < 4)
    return start.astype(str) + "/" + ((start + 1) % 100).astype(str).str.zfill(2)


def period_coverage(months_present: pd.Series, by: str) -> pd.DataFrame:
    """Months present and missing in each period touched by the data.

    Returns
    -------
    pandas.DataFrame
        Indexed by period label: ``months_present``, ``months_missing`` (list of YYYY-MM)
        and ``complete``.

    Examples
    --------
    >>> present = pd.Series(pd.period_range("2019-01", "2019-12", freq="M")).drop(6)
    >>> row = period_coverage(present, "year").loc["2019"]
    >>> int(row["months_present"]), bool(row["complete"]), row["months_missing"]
    (11, False, ['2019-07'])
    """
    present = set(months_present.unique())  # each month once, not once per record
    labels = period_label(pd.Series(sorted(present)), by).unique()
    rows = {}
    for label in labels:
        if by == "year":
            months = pd.period_range(f"{label}-01", f"{label}-12", freq="M")
        else:
            start = int(label[:4])
            months = pd.period_range(f"{start}-04", f"{start + 1}-03", freq="M")
        missing = [str(m) for m in months if m not in present]
        rows[label] = {"months_present": 12 - len(missing), "months_missing": missing,
                       "complete": not missing}
    return pd.DataFrame.from_dict(rows, orient="index")
