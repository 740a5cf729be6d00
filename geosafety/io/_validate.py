"""Up-front validation of input tables: one error listing every problem found.

Row numbers count the header as row 1, as a spreadsheet shows them, so "row 17" is the
16th record.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import pandas as pd

from geosafety._errors import InputFileError, NoRecordsInStudyAreaError

#: How many bad rows to quote per column before summarising the rest.
MAX_ROWS_QUOTED = 5


def row_numbers(index: pd.Index) -> list[int]:
    """Return spreadsheet row numbers (header = row 1) for positional record indices."""
    return [int(i) + 2 for i in index]


def describe_bad_rows(
    frame: pd.DataFrame, bad: pd.Series, column: str, expected: str
) -> str:
    """Describe failing rows of one column: the first few with their values, then a count.

    Examples
    --------
    >>> f = pd.DataFrame({"Month": ["2025-01", "2025-13", "Jan"]})
    >>> describe_bad_rows(f, pd.Series([False, True, True]), "Month", "a month as YYYY-MM")
    "column 'Month': row 3 has '2025-13', row 4 has 'Jan'; expected a month as YYYY-MM"
    """
    rows = frame.index[bad.to_numpy()]
    quoted = ", ".join(
        f"row {n} has {frame.at[i, column]!r}"
        for i, n in zip(rows[:MAX_ROWS_QUOTED], row_numbers(rows[:MAX_ROWS_QUOTED]), strict=True)
    )
    more = f" and {len(rows) - MAX_ROWS_QUOTED:,} more rows" if len(rows) > MAX_ROWS_QUOTED else ""
    return f"column {column!r}: {quoted}{more}; expected {expected}"


def raise_cell_problems(label: str, problems: list[str]) -> None:
    """Raise one InputFileError listing every problem found in a file's cells, if any.

    Raises
    ------
    InputFileError
        Naming the file, with the problems and how to read their row numbers.
    """
    if problems:
        raise InputFileError(label, problems,
                             hint="correct those cells; row numbers count the header as 1.")


def missing_columns(frame: pd.DataFrame, required: Sequence[str]) -> list[str]:
    """Return the required column names absent from ``frame`` (exact, after stripping)."""
    return [c for c in required if c not in frame.columns]


def check_column(
    frame: pd.DataFrame,
    column: str,
    is_valid: Callable[[pd.Series], pd.Series],
    expected: str,
    problems: list[str],
) -> None:
    """Append a problem to ``problems`` if any value of ``column`` fails ``is_valid``."""
    if column not in frame.columns:
        return
    bad = ~is_valid(frame[column])
    if bad.any():
        problems.append(describe_bad_rows(frame, bad, column, expected))


def matches(pattern: str, *, allow_empty: bool = False) -> Callable[[pd.Series], pd.Series]:
    """Return a validity test: values match ``pattern`` in full (or are empty, if allowed)."""
    compiled = re.compile(pattern)

    def test(values: pd.Series) -> pd.Series:
        stripped = values.str.strip()
        ok = stripped.map(lambda v: compiled.fullmatch(v) is not None).astype(bool)
        return ok | (stripped.eq("") if allow_empty else False)

    return test


def is_number_or_empty(values: pd.Series) -> pd.Series:
    """Return True for a decimal number or an empty cell."""
    stripped = values.str.strip()
    return stripped.eq("") | pd.to_numeric(stripped, errors="coerce").notna()


def not_empty(values: pd.Series) -> pd.Series:
    """Return True for a non-blank cell."""
    return values.str.strip().ne("")


#: Coordinate fields of point records (see :data:`geosafety.io.columns.LOCATION_FIELDS`).
COORDINATE_FIELDS = ("easting", "northing", "latitude", "longitude")


def check_coordinates(table: pd.DataFrame, found: dict[str, str], problems: list[str]) -> None:
    """Add a problem for every coordinate column holding something other than a number."""
    for name in COORDINATE_FIELDS:
        if name in found:
            check_column(table, found[name], is_number_or_empty, "a number or an empty cell",
                         problems)


def require_placed(label: str, placement: pd.DataFrame, area_name: str, what: str) -> None:
    """Raise when no record of a file could be placed in the study area at any level.

    Parameters
    ----------
    label : str
        The file, for the message.
    placement : pandas.DataFrame
        ``lsoa21_code``, ``ward_code``, ``postcode_district`` and ``placement`` per record.
    area_name : str
        The study area's name.
    what : str
        What the records are, in the plural ("fire incidents").

    Raises
    ------
    NoRecordsInStudyAreaError
        Naming the file, why the records were not placed (counts by reason, e.g.
        "outside Wirral (Liverpool) 120"), and how to fix it.
    """
    placed = placement[["lsoa21_code", "ward_code", "postcode_district"]].notna().any(axis=1)
    if len(placement) and not placed.any():
        reasons = placement["placement"].astype(str).value_counts()
        raise NoRecordsInStudyAreaError(
            f"{label}: none of the {len(placement):,} {what} can be placed in {area_name} ("
            + ", ".join(f"{reason} {n:,}" for reason, n in reasons.items())
            + f"). Check that the file is for {area_name}, or choose the study area with "
              "--area.")
