"""Reading police.uk at national scale: the bulk archive, a few columns, one area's rows.

police.uk's bulk download (and a custom download of many forces) is a zip of
``YYYY-MM/YYYY-MM-<force>-street.csv`` for every force and month: about 6 million rows a
year for England. :func:`read_police_uk` reads every column of every row into pandas, with
row-by-row checks, which suits one authority; :func:`read_police_uk_bulk` reads only the
columns a count needs with pyarrow's multi-threaded CSV reader, several files at once, and
drops rows outside the LSOAs asked for as each file is read, so a national year fits in a
few hundred megabytes.

The checks that matter at this scale are kept: every file must have the columns, months
must be ``YYYY-MM`` and every LSOA code a code (or empty); a failure names the file and
the first bad row; a force's month given twice is read once, with a warning, as
:func:`read_police_uk` reads it. Repeated Crime IDs and the other record-level checks of
:func:`read_police_uk` are left to the per-authority assessment.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv
from tqdm.auto import tqdm

from geosafety._errors import InputFileError
from geosafety.io.police_uk import (
    LSOA_PATTERN,
    MONTH_PATTERN,
    STREET_COLUMNS,
    normalise_column_name,
    street_files,
)
from geosafety.io.sources import Source, SourceFile

logger = logging.getLogger(__name__)

#: Columns read by default: enough to count every category in every LSOA and month.
BULK_COLUMNS = ("Month", "LSOA code", "Crime type")
#: Files read at once (each file's parsing is multi-threaded too).
READ_AHEAD = 4


@dataclass(frozen=True)
class BulkRead:
    """police.uk records read in bulk.

    Attributes
    ----------
    table : pyarrow.Table
        The rows kept, with snake_case column names (``month``, ``lsoa_code``,
        ``crime_type``, ...) as text.
    files : int
        Files read.
    rows_read : int
        Rows in those files.
    rows_kept : int
        Rows in the LSOAs asked for (all rows when none were named).
    """

    table: pa.Table
    files: int
    rows_read: int
    rows_kept: int


def _first_bad_row(column: pa.ChunkedArray, distinct: pa.Array, pattern: str) -> int | None:
    """Return the 0-based position of the first value not matching ``pattern`` (or None).

    Only the ``distinct`` values are matched (a file holds a month or two and a few thousand
    LSOA codes in hundreds of thousands of rows); rows are searched only when one is bad.
    """
    fine = pc.fill_null(pc.match_substring_regex(distinct, pattern), False)
    if pc.all(fine).as_py():
        return None
    bad = pc.is_in(column, value_set=pc.filter(distinct, pc.invert(fine)))
    return int(pc.index(bad, True).as_py())


def _in_lsoas(codes: pa.ChunkedArray, distinct: pa.Array,
              keep: pa.Array) -> pa.ChunkedArray | None:
    """Return the mask of rows in ``keep``'s LSOAs, or None when every row is in them."""
    inside = pc.is_in(distinct, value_set=keep)
    if pc.all(inside).as_py():
        return None
    return pc.is_in(codes, value_set=pc.filter(distinct, inside))


def _read_file(source: SourceFile, columns: Sequence[str],
               keep: pa.Array | None) -> tuple[pa.Table, int]:
    """Read one street file's ``columns``; keep the rows in ``keep``'s LSOAs."""
    options = csv.ConvertOptions(include_columns=list(columns),
                                 column_types={c: pa.string() for c in columns},
                                 strings_can_be_null=True)
    try:
        table = csv.read_csv(io.BytesIO(source.read_bytes()), convert_options=options)
    except (pa.ArrowInvalid, KeyError) as error:
        raise InputFileError(source.label, [f"is not a police.uk street file: {error}"],
                             hint="give police.uk street-level crime files; their columns "
                                  "are: " + ", ".join(STREET_COLUMNS) + ".") from error
    problems = []
    if "Month" in table.column_names:
        months = table["Month"]
        row = _first_bad_row(months, pc.unique(months), f"^{MONTH_PATTERN}$")
        if row is not None:
            problems.append(f"row {row + 2}, column 'Month': "
                            f"{months[row].as_py()!r} is not a month as YYYY-MM")
    codes = distinct = None
    if "LSOA code" in table.column_names:
        codes = pc.fill_null(table["LSOA code"], "")
        distinct = pc.unique(codes)
        row = _first_bad_row(codes, distinct, f"^{LSOA_PATTERN}$|^$")
        if row is not None:
            problems.append(f"row {row + 2}, column 'LSOA code': {codes[row].as_py()!r} is "
                            "not an LSOA code (E01 or W01 and six digits) or empty")
    if problems:
        raise InputFileError(source.label, problems,
                             hint="re-download the month; row numbers count the header as "
                                  "row 1.")
    rows = table.num_rows
    if keep is not None and codes is not None and distinct is not None:  # LSOA code read
        mask = _in_lsoas(codes, distinct, keep)
        if mask is not None:
            table = table.filter(mask)
    return table.rename_columns([normalise_column_name(c) for c in table.column_names]), rows


def read_police_uk_bulk(source: Source, *, lsoa_codes: Iterable[str] | None = None,
                        columns: Sequence[str] = BULK_COLUMNS, threads: int = READ_AHEAD,
                        progress: bool = False) -> BulkRead:
    """Read police.uk street files in bulk: a few columns, only the LSOAs asked for.

    Parameters
    ----------
    source : path or list of paths
        The bulk archive (a zip of ``YYYY-MM/YYYY-MM-<force>-street.csv``), monthly archives,
        folders or files, as :func:`~geosafety.io.read_police_uk` takes them.
    lsoa_codes : iterable of str, optional
        Keep only rows with these LSOA codes (2011 or 2021), e.g. one force area's or
        England's. Default: every row.
    columns : sequence of str
        police.uk column names to read (default :data:`BULK_COLUMNS`).
    threads : int
        Files read at once.
    progress : bool
        Show a progress bar over the files.

    Returns
    -------
    BulkRead

    Raises
    ------
    InputFileError
        Naming the file (and the first bad row) when a file lacks a column asked for, is
        not CSV, or has a month or LSOA code that is not one.

    Examples
    --------
    >>> from geosafety.io.datasets import get_path
    >>> found = read_police_uk_bulk(get_path("police_uk_2025"))
    >>> found.files, found.rows_read, found.table.column_names
    (12, 24064, ['month', 'lsoa_code', 'crime_type'])
    >>> linacre = read_police_uk_bulk(get_path("police_uk_2025"), lsoa_codes=["E01007009"])
    >>> linacre.rows_kept, linacre.table["lsoa_code"].unique().to_pylist()
    (773, ['E01007009'])
    """
    unknown = [c for c in columns if c not in STREET_COLUMNS]
    if unknown:
        raise ValueError(f"unknown police.uk column(s) {unknown}; choose from "
                         f"{list(STREET_COLUMNS)}")
    if lsoa_codes is not None and "LSOA code" not in columns:
        columns = [*columns, "LSOA code"]
    keep = None if lsoa_codes is None else pa.array(sorted(set(lsoa_codes)), pa.string())
    files = street_files(source)
    logger.info("Reading %d police.uk file(s) in bulk", len(files))
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        parts = list(tqdm(pool.map(lambda f: _read_file(f, columns, keep), files),
                          total=len(files), desc="Reading police.uk files", unit="file",
                          disable=not progress))
    tables = [table for table, _ in parts]
    table = pa.concat_tables(tables) if tables else pa.table(
        {normalise_column_name(c): pa.array([], pa.string()) for c in columns})
    return BulkRead(table, len(files), sum(rows for _, rows in parts), table.num_rows)


__all__ = ["BULK_COLUMNS", "BulkRead", "read_police_uk_bulk"]
