"""Up-front validation of input tables: one error listing every problem found.

Row numbers count the header as row 1, as a spreadsheet shows them, so "row 17" is the
16th record.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence

import pandas as pd

from geosafety._errors import DataQualityWarning, InputFileError, NoRecordsInStudyAreaError

#: How many bad rows to quote per column before summarising the rest.
MAX_ROWS_QUOTED = 5


def row_numbers(index: pd.Index) -> list[int]:
    """Return spreadsheet row numbers (header = row 1) for positional record indices."""
    return [int(i) + 2 for i in index]


def row_label(records: pd.DataFrame, index: object, label: str | None = None) -> str:
    """Name a record by file and row, leaving out the file when it is ``label``.

    Records without ``source_row`` are named by their index label.

    Examples
    --------
    >>> rows = pd.DataFrame({"source_file": ["a.csv", "b.csv"], "source_row": [2, 7]})
    >>> row_label(rows, 1), row_label(rows, 1, "b.csv"), row_label(rows[["source_file"]], 1)
    ('b.csv row 7', 'row 7', 'record 1')
    """
    if "source_row" not in records.columns:
        return f"record {index!r}"
    file = records.at[index, "source_file"] if "source_file" in records.columns else label
    row = records.at[index, "source_row"]
    return f"row {row}" if file == label else f"{file} row {row}"


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


def drop_repeated(records: pd.DataFrame, keys: Sequence[str], *, what: str,
                  expected: str = "") -> pd.DataFrame:
    """Keep the first row of each ``keys`` value; warn with the count and the first repeats.

    See :func:`mark_repeated` for the parameters.

    Returns
    -------
    pandas.DataFrame
        The records with repeats left out, index reset.

    Examples
    --------
    >>> rows = pd.DataFrame({"source_file": "fires.csv", "source_row": [2, 3, 4],
    ...                      "incident_id": ["F1", "F2", "F1"]})
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     drop_repeated(rows, ["incident_id"], what="incident number")["source_row"].tolist()
    [2, 3]
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    1 row repeats an incident number already read and is counted once:
    fires.csv row 4 repeats row 2 ('F1').
    """
    repeated = mark_repeated(records, keys, what=what, expected=expected, stacklevel=4)
    return records[~repeated].reset_index(drop=True) if repeated.any() else records


def _shown(value: object) -> str:
    """Quote a key value briefly: long identifiers cut, midnight timestamps as dates."""
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}" if value == value.normalize() else f"{value}"
    text = str(value)
    return repr(text if len(text) <= 16 else text[:12] + "...")


def mark_repeated(records: pd.DataFrame, keys: Sequence[str], *, what: str,
                  expected: str = "", stacklevel: int = 3) -> pd.Series:
    """Mark rows whose ``keys`` repeat an earlier row's; warn with the count and first repeats.

    Parameters
    ----------
    records : pandas.DataFrame
        With ``source_file`` and ``source_row`` (for the message) and the ``keys`` columns.
        Rows with an empty key (no client id, say) are never taken as repeats.
    keys : sequence of str
        The columns that identify a record (e.g. the incident number; client id and date).
    what : str
        What the keys are, for the message ("incident number").
    expected : str
        A sentence added to the message: when repeats can be legitimate, or what to check.
    stacklevel : int
        Passed to :func:`warnings.warn`.

    Returns
    -------
    pandas.Series
        True for the second and later rows of each key.
    """
    values = records[list(keys)]
    blank = values.isna().any(axis=1) | values.astype(str).apply(
        lambda column: column.str.strip().eq("")).any(axis=1)
    repeated = values.duplicated() & ~blank
    if not repeated.any():
        return repeated
    quoted = []
    for index in records.index[repeated][:3]:
        key = values.loc[index]
        first = ((values == key).all(axis=1) & ~repeated).idxmax()
        shown = ", ".join(_shown(k) for k in key)
        quoted.append(f"{row_label(records, index)} repeats "
                      f"{row_label(records, first, records.at[index, 'source_file'])} ({shown})")
    count = int(repeated.sum())
    rows = "1 row repeats" if count == 1 else f"{count:,} rows repeat"
    warnings.warn(
        f"{rows} {'an' if what[0] in 'aeiou' else 'a'} {what} already read and "
        f"{'is' if count == 1 else 'are'} counted once: {'; '.join(quoted)}"
        f"{'; ...' if count > 3 else ''}.{' ' + expected if expected else ''}",
        DataQualityWarning, stacklevel=stacklevel)
    return repeated
