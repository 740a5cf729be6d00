"""Reporting periods: calendar years, financial years (April-March), quarters, months."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd


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
    ValueError
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
        raise ValueError(f"Period {text!r} is not valid: {error}.") from None
    raise ValueError(
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
        raise ValueError(f"Split by {by!r} is not supported; use one of {sorted(freq)}.")
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
