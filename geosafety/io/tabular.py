"""Reading input tables tolerantly: CSV (UTF-8 or Windows-1252) or Excel, every value a string."""

from __future__ import annotations

import io

import pandas as pd

from geosafety._errors import InputFileError
from geosafety.io.sources import SourceFile

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
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
