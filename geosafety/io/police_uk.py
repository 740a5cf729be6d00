"""Reading police.uk street-level crime and anti-social behaviour files.

police.uk publishes one CSV per force per month (``YYYY-MM-<force>-street.csv``), in
monthly zip archives laid out ``YYYY-MM/YYYY-MM-<force>-street.csv``. Columns:
Crime ID, Month, Reported by, Falls within, Longitude, Latitude, Location, LSOA code,
LSOA name, Crime type, Last outcome category, Context. Anti-social behaviour (ASB) rows have
no Crime ID. Points are snapped to anonymised map points, and the LSOA is that of the
snapped point; coordinates can be empty.
"""

from __future__ import annotations

import logging
import re
import warnings

import pandas as pd
from tqdm.auto import tqdm

from geosafety._errors import DataQualityWarning, InputFileError
from geosafety.io import _validate as v
from geosafety.io.cache import cached_frame
from geosafety.io.plausibility import swap_back_lonlat
from geosafety.io.sources import Source, SourceFile, find_source_files
from geosafety.io.tabular import read_csv_strings

logger = logging.getLogger(__name__)

#: The columns of a police.uk street file, in order.
STREET_COLUMNS = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
)
#: Columns geosafety needs; the others are kept when present.
REQUIRED_COLUMNS = ("Crime ID", "Month", "Longitude", "Latitude", "LSOA code", "Crime type")
#: A police.uk month, ``YYYY-MM``.
MONTH_PATTERN = r"\d{4}-(0[1-9]|1[0-2])"
#: An LSOA code (England E01, Wales W01).
LSOA_PATTERN = r"[EW]01\d{6}"
#: The police.uk category for anti-social behaviour.
ASB = "Anti-social behaviour"
#: Version of what :func:`read_police_uk` makes of a file; bump it when that changes, so
#: results cached by an earlier version are not used (:mod:`geosafety.io.cache`).
READER_VERSION = 1
#: How outputs name and credit the source.
POLICE_UK_SOURCE = ("police.uk street-level crime and anti-social behaviour (Home Office); "
                    "Open Government Licence v3.0")

_OTHER_POLICE_FILES = {
    "Outcome type": "a police.uk outcomes file (-outcomes.csv)",
    "Object of search": "a police.uk stop and search file (-stop-and-search.csv)",
}


def normalise_column_name(name: str) -> str:
    """Return a column name in snake_case.

    Examples
    --------
    >>> normalise_column_name("LSOA code"), normalise_column_name("Last outcome category")
    ('lsoa_code', 'last_outcome_category')
    """
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


def _validate_street_file(frame: pd.DataFrame, source: SourceFile) -> None:
    """Raise one InputFileError listing every problem in a police.uk street file."""
    missing = v.missing_columns(frame, REQUIRED_COLUMNS)
    if missing:
        looks_like = next((what for col, what in _OTHER_POLICE_FILES.items()
                           if col in frame.columns), None)
        problem = (f"missing column(s) {', '.join(repr(c) for c in missing)} in the header "
                   f"(row 1); found {list(frame.columns)[:12]}")
        hint = (f"this looks like {looks_like}; use the -street.csv file of the same month."
                if looks_like else
                "give a police.uk street-level crime file; its columns are: "
                + ", ".join(STREET_COLUMNS) + ".")
        raise InputFileError(source.label, [problem], hint=hint)
    if frame.empty:
        raise InputFileError(source.label, ["has a header row but no records"],
                             hint="re-download the month; police.uk files are never empty.")
    problems: list[str] = []
    v.check_column(frame, "Month", v.matches(MONTH_PATTERN),
                   "a month as YYYY-MM, e.g. '2025-01'", problems)
    for column in ("Longitude", "Latitude"):
        v.check_column(frame, column, v.is_number_or_empty, "a decimal degree or an empty cell",
                       problems)
    v.check_column(frame, "LSOA code", v.matches(LSOA_PATTERN, allow_empty=True),
                   "an LSOA code such as 'E01006920', or an empty cell", problems)
    v.check_column(frame, "Crime type", v.not_empty, "a police.uk crime type", problems)
    if problems:
        raise InputFileError(
            source.label, problems,
            hint="correct those cells (or re-download the file) and run again; "
            "row numbers count the header as row 1.",
        )


def _normalise(frame: pd.DataFrame, source: SourceFile) -> pd.DataFrame:
    out = frame.rename(columns=normalise_column_name)
    for column in out.columns:
        out[column] = out[column].str.strip()
    codes, months = pd.factorize(out["month"])  # a file holds a month or two: parse each once
    out["month"] = (pd.PeriodIndex(months, freq="M").take(codes) if (codes >= 0).all()
                    else pd.PeriodIndex(out["month"], freq="M"))
    for column in ("longitude", "latitude"):
        out[column] = pd.to_numeric(out[column].replace("", None), errors="coerce")
    out.insert(0, "source_row", v.row_numbers(frame.index))
    out.insert(0, "source_file", source.label)
    return out


def read_police_uk_file(source: SourceFile) -> pd.DataFrame:
    """Read and validate one police.uk street file.

    Raises
    ------
    InputFileError
        Naming the file, rows and columns of every problem found.
    """
    if not source.name.lower().endswith((".csv", ".csv.gz")):
        raise InputFileError(source.label, ["is not a CSV file"],
                             hint="police.uk street files are CSV (.csv or .csv.gz), or "
                                  "monthly .zip archives of them.")
    frame = read_csv_strings(source)
    _validate_street_file(frame, source)
    records = _normalise(_once_if_all_repeated(frame, source), source)
    return swap_back_lonlat(records, "longitude", "latitude", source.label)


def _once_if_all_repeated(frame: pd.DataFrame, source: SourceFile) -> pd.DataFrame:
    """Read a file whose every row appears the same number of times (k > 1) once.

    A police.uk file never repeats a crime, so a file in which every record, crimes and ASB
    alike, appears exactly k times was pasted or appended to itself.
    """
    times = frame.groupby(list(frame.columns), sort=False).size()
    if len(times) == 0 or times.min() < 2 or times.min() != times.max():
        return frame
    warnings.warn(
        f"{source.label}: every one of its {len(times):,} records appears {times.min()} "
        f"times (the file was saved with its rows repeated); each was read once. "
        "Re-download the month to be sure.", DataQualityWarning, stacklevel=4)
    return frame[~frame.duplicated()]


def identical_asb_rows(records: pd.DataFrame) -> int:
    """Count ASB rows identical to an earlier one in everything police.uk publishes.

    police.uk gives ASB no identifier, and incidents at one snap point in one month with the
    same outcome look alike, so these are kept; the summary reports how many there are.

    Examples
    --------
    >>> rows = pd.DataFrame({"source_file": ["f", "f", "f"], "source_row": [2, 3, 4],
    ...                      "is_asb": [True, True, True], "month": ["2025-01"] * 3,
    ...                      "location": ["On or near Park", "On or near Park", "Mall"]})
    >>> identical_asb_rows(rows)
    1
    """
    published = [c for c in records.columns if c not in _NOT_PUBLISHED]
    asb = records.loc[records["is_asb"], published]
    return int(asb.astype(str).duplicated().sum())


#: Columns geosafety adds, or adds when placing, which are not part of a police.uk row.
_NOT_PUBLISHED = {"source_file", "source_row", "is_asb", "repeated_crime_id", "lsoa21_code",
                  "ward_code", "postcode_district", "location_method"}


def read_police_uk(source: Source, *, progress: bool = False,
                   keep_repeats: bool = False) -> pd.DataFrame:
    """Read police.uk street-level crime and ASB from files, folders or archives.

    Parameters
    ----------
    source : path or list of paths
        ``.csv`` or ``.csv.gz`` files, police.uk monthly ``.zip`` archives, or folders
        holding any of these (searched recursively; ``-street`` files are taken).
    progress : bool
        Show a progress bar over the files.
    keep_repeats : bool
        Keep the rows that repeat a Crime ID already read, marked in ``repeated_crime_id``
        (to report them, as :func:`geosafety.assess` does). By default they are left out.

    Returns
    -------
    pandas.DataFrame
        Every column of the input with snake_case names (``crime_id``, ``month``,
        ``reported_by``, ``falls_within``, ``longitude``, ``latitude``, ``location``,
        ``lsoa_code``, ``lsoa_name``, ``crime_type``, ``last_outcome_category``, ``context``
        and any extra), ``month`` as a monthly Period, coordinates as floats (NaN if empty),
        plus ``source_file``, ``source_row``, ``is_asb`` and ``repeated_crime_id``.

    Warns
    -----
    DataQualityWarning
        For a month and force given twice, or a file given twice under two names (each
        read once); a file whose every row is repeated (read once); rows repeating a Crime
        ID (counted once); rows disagreeing on whether they are ASB.

    Raises
    ------
    InputFileError
        If any file is missing, empty, not a police.uk street file, or has bad values.
        Nothing is returned unless every file is valid.

    Notes
    -----
    The result for a set of files is kept in the read cache (:mod:`geosafety.io.cache`),
    named by the files' names and content hashes, so reading the same files again loads it
    instead of parsing and checking them; its data-quality warnings are raised again.

    Examples
    --------
    >>> from geosafety.io.datasets import get_path
    >>> records = read_police_uk(get_path("police_uk_2025") / "2025-06")
    >>> len(records), int(records["is_asb"].sum())
    (2102, 191)
    >>> str(records["month"].iloc[0]), records["crime_type"].iloc[0]
    ('2025-06', 'Anti-social behaviour')
    """
    files = street_files(source)
    logger.info("Reading %d police.uk file(s)", len(files))
    fingerprints = [f"{f.label}\n{f.fingerprint()}" for f in files]
    records = cached_frame("police_uk", READER_VERSION, fingerprints,
                           lambda: _read_street_files(files, progress))
    return records if keep_repeats else records[~records["repeated_crime_id"]]


def _read_street_files(files: list[SourceFile], progress: bool) -> pd.DataFrame:
    """Read and check every file, then mark repeated Crime IDs across them."""
    frames = [
        read_police_uk_file(f)
        for f in tqdm(files, desc="Reading police.uk files", unit="file", disable=not progress)
    ]
    records = pd.concat(frames, ignore_index=True)
    records["is_asb"] = records["crime_type"].eq(ASB)
    records["repeated_crime_id"] = v.mark_repeated(
        records, ["crime_id"], what="Crime ID",
        expected="police.uk lists each crime once: check the files are not overlapping "
                 "copies.")
    _warn_inconsistent_asb(records)
    return records


_FORCE_MONTH = re.compile(r"(\d{4}-\d{2})-(.+)-street\.csv(\.gz)?$", re.IGNORECASE)


def street_files(source: Source) -> list[SourceFile]:
    """Find the police.uk street files in ``source``, each force and month once.

    A month downloaded twice (a ``downloads/`` and a ``backup/`` folder, or an archive and
    its unzipped copy) is read once, from the first, with a warning naming both.
    """
    return _once_per_force_month(find_source_files(source, pattern="-street"))


def _once_per_force_month(files: list[SourceFile]) -> list[SourceFile]:
    """Keep the first file of each force and month (police.uk names them so); warn of others.

    A month downloaded twice (a ``downloads/`` and a ``backup/`` folder, or an archive and
    its unzipped copy) would otherwise be counted twice.
    """
    seen: dict[tuple[str, str], SourceFile] = {}
    kept = []
    for file in files:
        found = _FORCE_MONTH.search(file.name)
        key = (found.group(1), found.group(2).lower()) if found else None
        if key is not None and key in seen:
            warnings.warn(
                f"{file.label} is the same police.uk month and force ({key[0]}, {key[1]}) as "
                f"{seen[key].label}; it was read once, from the first. Give each month once.",
                DataQualityWarning, stacklevel=3)
            continue
        if key is not None:
            seen[key] = file
        kept.append(file)
    return kept


def _warn_inconsistent_asb(records: pd.DataFrame) -> None:
    """Warn where Crime ID and crime type disagree on whether a row is ASB."""
    no_id = records["crime_id"].eq("")
    odd = (no_id & ~records["is_asb"]) | (~no_id & records["is_asb"])
    if odd.any():
        first = records.loc[odd].iloc[0]
        warnings.warn(
            f"{int(odd.sum()):,} rows disagree on ASB: 'Crime ID' is empty for a crime type "
            f"other than {ASB!r}, or set for ASB (first: {first['source_file']} row "
            f"{first['source_row']}). geosafety classes rows by 'Crime type'.",
            DataQualityWarning, stacklevel=3,
        )


def split_crime_asb(records: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split police.uk records into crimes and anti-social behaviour incidents.

    Rows repeating a Crime ID (kept with ``keep_repeats=True``) are in neither.

    Examples
    --------
    >>> from geosafety.io.datasets import get_path
    >>> crime, asb = split_crime_asb(read_police_uk(get_path("police_uk_2025") / "2025-06"))
    >>> len(crime), len(asb)
    (1911, 191)
    """
    kept = (~records["repeated_crime_id"] if "repeated_crime_id" in records.columns
            else pd.Series(True, index=records.index))
    return records[kept & ~records["is_asb"]], records[kept & records["is_asb"]]
