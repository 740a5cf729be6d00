"""Reading input tables tolerantly: CSV (UTF-8 or Windows-1252) or Excel, every value a string."""

from __future__ import annotations

import io

import pandas as pd

from geosafety._errors import InputFileError
from geosafety.io.sources import SourceFile

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def read_csv_strings(source: SourceFile) -> pd.DataFrame:
    """Read a CSV with every value as a string (empty cells as ``""``).

    Raises
    ------
    InputFileError
        If the file is empty, not text, or not well-formed CSV.
    """
    data = source.read_bytes()
    if not data.strip():
        raise InputFileError(source.label, ["the file is empty (no header, no records)"],
                             hint="re-download or re-export the file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise InputFileError(
                source.label, [f"is not a text CSV file (byte {error.start} is not text)"],
                hint="export the data as CSV (UTF-8).",
            ) from error
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                            skipinitialspace=False)
    except pd.errors.ParserError as error:
        raise InputFileError(
            source.label, [f"is not well-formed CSV: {error}"],
            hint="check for unquoted commas or a truncated download.",
        ) from error
    frame.columns = [str(c).strip() for c in frame.columns]
    return drop_blank_rows(frame)


def drop_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop rows whose every cell is empty (Excel leaves them at the end); keep row labels.

    Examples
    --------
    >>> frame = pd.DataFrame({"a": ["1", "", " "], "b": ["x", "", ""]})
    >>> drop_blank_rows(frame).index.tolist()
    [0]
    """
    blank = frame.apply(lambda column: column.astype(str).str.strip().eq("")).all(axis=1)
    return frame[~blank] if blank.any() else frame


def read_table(source: SourceFile) -> pd.DataFrame:
    """Read a CSV or Excel (first sheet) table with every value as a string.

    Raises
    ------
    InputFileError
        If the file is empty, unreadable or has no records.
    """
    if source.name.lower().endswith(EXCEL_SUFFIXES):
        try:
            frame = pd.read_excel(io.BytesIO(source.read_bytes()), dtype=str)
        except (ValueError, OSError, KeyError) as error:
            raise InputFileError(
                source.label, [f"is not a readable Excel workbook: {error}"],
                hint="save the sheet again as .xlsx or export it as CSV.") from error
        frame = drop_blank_rows(frame.fillna(""))
        frame.columns = [str(c).strip() for c in frame.columns]
    else:
        frame = read_csv_strings(source)
    if frame.empty:
        raise InputFileError(source.label, ["has a header row but no records"])
    return frame
