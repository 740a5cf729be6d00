"""Reading sensitive case records: MARAC cases and CJIT clients, by place of residence.

Records carry a date, optionally a client id (so repeat cases and individuals can be counted
apart), and residence as a full postcode, a postcode district, a ward or an LSOA code, never
coordinates. Each record is placed as finely as its data allows; those that cannot be
placed are counted by reason (no fixed abode, malformed, unknown or out-of-area postcode)
and never silently dropped. Postcodes are used only to place records and are not kept.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from geosafety._errors import InputFileError
from geosafety.io import _validate as v
from geosafety.io.columns import Field, resolve_columns
from geosafety.io.dates import parse_dates
from geosafety.io.placing import Placer
from geosafety.io.plausibility import warn_future_dates
from geosafety.io.sources import Source, find_source_files
from geosafety.io.tabular import read_table

CASE_FIELDS = (
    Field("date", ("case date", "marac date", "referral date", "date of referral",
                   "episode date", "episode start date", "contact date", "start date"),
          required=True, description="the date of the case, referral or contact"),
    Field("client_id", ("client id", "client ref", "client reference", "person id",
                        "victim id", "urn", "unique id", "id")),
    Field("postcode", ("post code", "home postcode", "postcode of residence",
                       "residence postcode", "client postcode")),
    Field("postcode_district", ("postcode district", "district", "outward code",
                                "postal district")),
    Field("ward", ("ward name", "ward code", "electoral ward")),
    Field("lsoa", ("lsoa code", "lsoa21cd", "lsoa11cd", "lsoa 2021 code", "lsoa21")),
)
RESIDENCE_GROUPS = (("lsoa",), ("postcode",), ("postcode_district",), ("ward",))


def read_cases(
    source: Source,
    area: Placer,
    *,
    columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Read MARAC case or CJIT client records (CSV or Excel) and place them by residence.

    Parameters
    ----------
    source : path or list of paths
        Files or folders of record-level extracts, one row per case or episode.
    area : StudyArea
        Places each record (:meth:`~geosafety.geography.StudyArea.place_residence`).
    columns : mapping, optional
        ``{field: column}`` for fields named differently in the file. Fields: ``date``
        (required), ``client_id``, and at least one of ``postcode``, ``postcode_district``,
        ``ward``, ``lsoa``.

    Returns
    -------
    pandas.DataFrame
        ``source_file``, ``source_row``, ``date``, ``month``, ``client_id`` (None if the file
        has none), ``lsoa21_code``, ``ward_code``, ``postcode_district``, ``placement``. The
        postcode itself is not returned. A row repeating the client id and date of one
        already read (the same case exported twice) is kept once, with a warning; rows
        without a client id are all kept.

    Raises
    ------
    InputFileError
        For missing fields, or empty or unparseable dates (file, rows and column named).
    NoRecordsInStudyAreaError
        If no record of a file can be placed in the study area (a file for another area).
    """
    frames = []
    for file in find_source_files(source, pattern=""):
        table = read_table(file)
        found = resolve_columns(table, CASE_FIELDS, label=file.label, mapping=columns,
                                one_of=RESIDENCE_GROUPS)
        dates = parse_dates(table[found["date"]])
        if dates.isna().any():
            raise InputFileError(file.label, [v.describe_bad_rows(
                table, dates.isna(), found["date"],
                "a date such as 2025-03-31 or 31/03/2025 (day first)")],
                hint="correct the dates; every case needs one.")
        placed = area.place_residence(table, found)
        v.require_placed(file.label, placed, area.name, "records")
        client = (table[found["client_id"]].str.strip().replace("", None)
                  if "client_id" in found else pd.Series(None, index=table.index, dtype=object))
        frames.append(pd.DataFrame({
            "source_file": file.label, "source_row": v.row_numbers(table.index),
            "date": dates, "month": dates.dt.to_period("M"), "client_id": client,
        }).join(placed))
    cases = v.drop_repeated(pd.concat(frames, ignore_index=True), ["client_id", "date"],
                            what="client id and date")
    warn_future_dates(cases, "date", "case records")
    return cases
