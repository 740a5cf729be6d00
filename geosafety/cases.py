"""Reading sensitive case records: MARAC cases and CJIT clients, by place of residence.

Records carry a date, optionally a client id (so repeat cases and individuals can be counted
apart), and residence as a full postcode, a postcode district, a ward or an LSOA code, never
coordinates. Each record is placed as finely as its data allows; those that cannot be
placed are counted by reason (no fixed abode, malformed, unknown or out-of-area postcode)
and never silently dropped. Postcodes are used only to place records and are not kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from geosafety import _validate as v
from geosafety._errors import InputFileError
from geosafety.postcodes import (
    DISTRICT_ONLY,
    PLACED,
    classify_postcodes,
    postcode_centroid_lsoas,
)
from geosafety.reference import read_postcode_authorities, read_postcodes
from geosafety.sources import Source, find_source_files
from geosafety.study_area import StudyArea
from geosafety.tables import Field, read_table, resolve_columns

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
LOCATION_GROUPS = (("lsoa",), ("postcode",), ("postcode_district",), ("ward",))

BY_LSOA = "placed by LSOA code"
WARD_ONLY = "ward only"
UNKNOWN_WARD = "unknown ward"
UNKNOWN_LSOA = "LSOA code not in the study area"
UNMAPPED_DISTRICT = "postcode district without a mapped area"
NO_LOCATION = "no location"

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%Y-%m-%d %H:%M:%S",
                 "%Y-%m-%d %H:%M",
                 "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse UK-style and ISO dates (day first); NaT where none of the formats fit.

    Examples
    --------
    >>> dates = parse_dates(pd.Series(["2025-03-04", "04/03/2025", "4.3.2025", "March"]))
    >>> dates.dt.strftime("%Y-%m-%d").tolist()
    ['2025-03-04', '2025-03-04', '2025-03-04', nan]
    """
    text = values.fillna("").astype(str).str.strip()
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for fmt in _DATE_FORMATS:
        missing = parsed.isna()
        if not missing.any():
            break
        parsed[missing] = pd.to_datetime(text[missing], format=fmt, errors="coerce")
    return parsed


def _ward_key(name: str) -> str:
    return re.sub(r"ward$", "", re.sub(r"[^0-9a-z]+", "", str(name).lower()))


def match_wards(values: pd.Series, area: StudyArea) -> pd.Series:
    """Match ward codes or names (any case, punctuation, optional "Ward") to ward codes.

    Examples
    --------
    >>> area = StudyArea.sefton()
    >>> match_wards(pd.Series(["LINACRE", "Dukes ward", "E05000934", "Bootle"]), area).tolist()
    ['E05000942', 'E05000938', 'E05000934', nan]
    """
    by_name = {_ward_key(n): c for c, n in area.wards["ward_name"].items()}
    by_code = {c: c for c in area.wards.index}
    text = values.fillna("").astype(str).str.strip()
    return text.map(lambda t: by_code.get(t.upper()) or by_name.get(_ward_key(t)))


def lsoa21_from_codes(codes: pd.Series, area: StudyArea) -> pd.Series:
    """Map LSOA 2021 codes, and LSOA 2011 codes through the ONS lookup, to LSOA 2021.

    A 2011 code whose LSOA was split goes to its most populous 2021 part, as records
    without coordinates do in :func:`~geosafety.locate.locate_records`. Codes of other
    areas give NaN.

    Examples
    --------
    >>> area = StudyArea.sefton()
    >>> lsoa21_from_codes(pd.Series(["E01006951", "E01033798", "E01000001"]), area).tolist()
    ['E01006951', 'E01033798', nan]
    """
    lookup = area.lsoa11_only.assign(
        residents=lambda f: f["lsoa21_code"].map(area.lsoas["residents"]))
    biggest = lookup.sort_values("residents", ascending=False).drop_duplicates("lsoa11_code")
    renamed = biggest.set_index("lsoa11_code")["lsoa21_code"]
    return codes.where(codes.isin(area.lsoas.index), codes.map(renamed))


def place_residence(frame: pd.DataFrame, columns: Mapping[str, str],
                    area: StudyArea) -> pd.DataFrame:
    """Place each record by LSOA code, postcode, postcode district or ward, in that order.

    Returns
    -------
    pandas.DataFrame
        ``lsoa21_code``, ``ward_code``, ``postcode_district`` (each None where the record
        cannot be placed at that level) and ``placement`` (how, or why not).
    """
    index = frame.index
    out = pd.DataFrame({"lsoa21_code": None, "ward_code": None, "postcode_district": None,
                        "placement": NO_LOCATION}, index=index, dtype=object)
    if "lsoa" in columns:
        codes = frame[columns["lsoa"]].str.strip().str.upper()
        mapped = lsoa21_from_codes(codes, area)
        out.loc[mapped.notna(), "lsoa21_code"] = mapped[mapped.notna()]
        out.loc[mapped.notna(), "placement"] = BY_LSOA
        out.loc[codes.ne("") & mapped.isna(), "placement"] = UNKNOWN_LSOA
    todo = out["lsoa21_code"].isna()
    if "postcode" in columns and todo.any():
        postcodes = read_postcodes()
        classified = classify_postcodes(
            frame.loc[todo, columns["postcode"]], postcode_centroid_lsoas(postcodes, area.lsoas),
            read_postcode_authorities(), area_name=area.name)
        given = classified["status"] != "no postcode"
        out.loc[classified.index[given], "placement"] = classified.loc[given, "status"]
        placed = classified["status"] == PLACED
        out.loc[classified.index[placed], "lsoa21_code"] = classified.loc[placed, "lsoa21_code"]
        own = classified.loc[placed, "district"]
        own = own.where(own.isin(area.postcode_districts.index))
        out.loc[own.dropna().index, "postcode_district"] = own.dropna()
        only = classified.index[classified["status"] == DISTRICT_ONLY]
        out.loc[only, "postcode_district"] = classified.loc[only, "district"]
    placed = out["lsoa21_code"].notna()
    out.loc[placed, "ward_code"] = area.level_code(out.loc[placed, "lsoa21_code"], "ward")
    best = area.level_code(out.loc[placed, "lsoa21_code"], "postcode_district")
    out.loc[placed, "postcode_district"] = out.loc[placed, "postcode_district"].fillna(best)
    if "postcode_district" in columns:
        todo = out["lsoa21_code"].isna() & out["postcode_district"].isna()
        district = frame.loc[todo, columns["postcode_district"]].str.replace(
            r"\s+", "", regex=True).str.upper()
        district = district[district.ne("")]
        out.loc[district.index, "postcode_district"] = district
        out.loc[district.index, "placement"] = DISTRICT_ONLY
    district_given = out["lsoa21_code"].isna() & out["postcode_district"].notna()
    unmapped = district_given & ~out["postcode_district"].isin(area.postcode_districts.index)
    out.loc[unmapped, "placement"] = UNMAPPED_DISTRICT
    out.loc[unmapped, "postcode_district"] = None
    if "ward" in columns:
        todo = out["lsoa21_code"].isna() & out["ward_code"].isna()
        given = frame.loc[todo, columns["ward"]].str.strip()
        given = given[given.ne("")]
        wards = match_wards(given, area)
        out.loc[wards.dropna().index, "ward_code"] = wards.dropna()
        only_ward = wards.dropna().index.intersection(out.index[out["postcode_district"].isna()])
        out.loc[only_ward, "placement"] = WARD_ONLY
        unknown = wards.index[wards.isna()]
        out.loc[unknown.intersection(out.index[out["placement"] == NO_LOCATION]),
                "placement"] = UNKNOWN_WARD
    return out


def read_cases(
    source: Source,
    area: StudyArea,
    *,
    columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Read MARAC case or CJIT client records (CSV or Excel) and place them by residence.

    Parameters
    ----------
    source : path or list of paths
        Files or folders of record-level extracts, one row per case or episode.
    area : StudyArea
    columns : mapping, optional
        ``{field: column}`` for fields named differently in the file. Fields: ``date``
        (required), ``client_id``, and at least one of ``postcode``, ``postcode_district``,
        ``ward``, ``lsoa``.

    Returns
    -------
    pandas.DataFrame
        ``source_file``, ``source_row``, ``date``, ``month``, ``client_id`` (None if the file
        has none), ``lsoa21_code``, ``ward_code``, ``postcode_district``, ``placement``. The
        postcode itself is not returned.

    Raises
    ------
    InputFileError
        For missing fields, or empty or unparseable dates (file, rows and column named).
    """
    frames = []
    for file in find_source_files(source, pattern=""):
        table = read_table(file)
        found = resolve_columns(table, CASE_FIELDS, label=file.label, mapping=columns,
                                one_of=LOCATION_GROUPS)
        dates = parse_dates(table[found["date"]])
        if dates.isna().any():
            raise InputFileError(file.label, [v.describe_bad_rows(
                table, dates.isna(), found["date"],
                "a date such as 2025-03-31 or 31/03/2025 (day first)")],
                hint="correct the dates; every case needs one.")
        placed = place_residence(table, found, area)
        client = (table[found["client_id"]].str.strip().replace("", None)
                  if "client_id" in found else pd.Series(None, index=table.index, dtype=object))
        frames.append(pd.DataFrame({
            "source_file": file.label, "source_row": v.row_numbers(table.index),
            "date": dates, "month": dates.dt.to_period("M"), "client_id": client,
        }).join(placed))
    return pd.concat(frames, ignore_index=True)
