"""Reading input tables tolerantly: CSV (UTF-8 or Windows-1252) or Excel, every value a string."""

from __future__ import annotations

import io

import pandas as pd

from geosafety._errors import InputFileError
from geosafety.io.sources import SourceFile

_EXCEL_NAMES = (".xlsx", ".xlsm", ".xls")
#: First bytes of Excel workbooks: .xlsx/.xlsm (a zip) and .xls (an OLE2 compound file).
WORKBOOK_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def decode_text(data: bytes, label: str) -> str:
    r"""Decode a text file: UTF-16 (by its byte-order mark or zero bytes), UTF-8, or cp1252.

    Examples
    --------
    >>> decode_text("Crime ID,Month".encode("utf-16"), "f.csv")
    'Crime ID,Month'
    >>> decode_text("Caf\xe9".encode("cp1252"), "f.csv")
    'Café'
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    head = data[:2000]
    if head.count(b"\x00") > len(head) // 4:  # UTF-16 without a byte-order mark
        return data.decode("utf-16-le" if head[1:2] == b"\x00" else "utf-16-be")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise InputFileError(
                label, [f"is not a text CSV file (byte {error.start} is not text in UTF-8, "
                        "UTF-16 or Windows-1252)"],
                hint="export the data as CSV (UTF-8).",
            ) from error


def sniff_delimiter(text: str) -> str:
    r"""Return the header line's delimiter: comma, or semicolon or tab when it has no comma.

    Examples
    --------
    >>> sniff_delimiter("Crime ID;Month;Crime type\n"), sniff_delimiter("a,b\n")
    (';', ',')
    """
    header = text.split("\n", 1)[0]
    if "," in header:
        return ","
    counts = {d: header.count(d) for d in (";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv_strings(source: SourceFile, data: bytes | None = None) -> pd.DataFrame:
    """Read a CSV with every value as a string (empty cells as ``""``).

    Parameters
    ----------
    source : SourceFile
    data : bytes, optional
        The file's content, when already read.

    Raises
    ------
    InputFileError
        If the file is empty, not text, or not well-formed CSV.
    """
    data = source.read_bytes() if data is None else data
    if not data.strip():
        raise InputFileError(source.label, ["the file is empty (no header, no records)"],
                             hint="re-download or re-export the file.")
    if data.startswith(WORKBOOK_SIGNATURES):
        raise InputFileError(
            source.label, ["is an Excel workbook saved with a CSV name, not a CSV file"],
            hint="open it in Excel and save as CSV (UTF-8), or give it its .xlsx name.")
    text = decode_text(data, source.label)
    delimiter = sniff_delimiter(text)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                            skipinitialspace=False, sep=delimiter)
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


def read_workbook(source: SourceFile, data: bytes) -> pd.DataFrame:
    """Read the first sheet of an Excel workbook (.xlsx, .xlsm or 97-2003 .xls), as strings.

    Every format is read by calamine (python-calamine), so cells read the same whichever
    format the partner saved in: dates as ``2025-03-04 14:05:00``, numbers as written.

    Raises
    ------
    InputFileError
        If the workbook cannot be read, or (for .xls) its reader is not installed.
    """
    kind = "an Excel 97-2003 (.xls)" if data.startswith(WORKBOOK_SIGNATURES[1]) else "an Excel"
    try:
        frame = pd.read_excel(io.BytesIO(data), dtype=str, engine="calamine")
    except ImportError as error:
        raise InputFileError(
            source.label, [f"is {kind} workbook, and its reader is not installed ({error})"],
            hint="install geosafety again with its dependencies (pip install .), or open the "
                 "file in Excel and save as .xlsx or CSV.") from error
    except (ValueError, OSError, KeyError, AssertionError, IndexError) as error:
        raise InputFileError(
            source.label, [f"is {kind} workbook that cannot be read: {error}"],
            hint="open it in Excel and save as .xlsx or CSV (UTF-8).") from error
    frame = drop_blank_rows(frame.fillna(""))
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def read_table(source: SourceFile) -> pd.DataFrame:
    """Read a CSV or Excel (first sheet) table with every value as a string.

    Workbooks are recognised by their content, not their name: an ``.xls`` that is really
    ``.xlsx`` (or the reverse) is read, and so is a CSV saved with an Excel name.

    Raises
    ------
    InputFileError
        If the file is empty, unreadable or has no records.
    """
    data = source.read_bytes()
    if data.startswith(WORKBOOK_SIGNATURES):
        frame = read_workbook(source, data)
    elif source.name.lower().endswith(_EXCEL_NAMES):
        try:  # a CSV saved with an Excel name is read; anything else is named for what it is
            frame = read_csv_strings(source, data)
        except InputFileError:
            frame = pd.DataFrame()
        if frame.empty or len(frame.columns) < 2:
            raise InputFileError(
                source.label, ["is not a readable Excel workbook, nor a CSV file (its first "
                               f"bytes are {data[:8]!r})"],
                hint="open it in Excel and save as .xlsx or CSV (UTF-8); if it came by email "
                     "or download, fetch it again.")
    else:
        frame = read_csv_strings(source, data)
    if frame.empty:
        raise InputFileError(source.label, ["has a header row but no records"])
    return frame
