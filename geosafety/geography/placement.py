"""Placing partner records in the study area: point records, and people by place of residence.

* **Point records** (fires, force crimes, premises): by coordinates (easting/northing or
  longitude/latitude), falling back to an LSOA code (2021, or 2011 through the ONS lookup),
  then a ward name or code (:func:`place_points`).
* **Residence** (MARAC cases, CJIT clients, never coordinates): by LSOA code, full postcode,
  postcode district or ward, as finely as the record allows (:func:`place_residence`).

Every record gets a :class:`~geosafety.geography.status.Placement` saying how it was placed
or why not; nothing is dropped silently. Ward and postcode district follow from the LSOA by
best fit, as for police.uk records.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from geosafety._errors import InputFileError
from geosafety.geography.assign import assign_lsoa
from geosafety.geography.authorities import authorities, authority_of_lsoas
from geosafety.geography.plausibility import distance_to_named_lsoa, warn_far_from_named_lsoa
from geosafety.geography.points import coordinates_look_like, missing_coordinates, points_from_xy
from geosafety.geography.postcodes import classify_postcodes
from geosafety.geography.reference import district_authorities, successors
from geosafety.geography.status import Placement, outside_authority
from geosafety.io._validate import row_numbers
from geosafety.io.plausibility import swap_back_lonlat

if TYPE_CHECKING:
    from geosafety.geography.study_area import StudyArea


def _ward_key(name: str) -> str:
    return re.sub(r"ward$", "", re.sub(r"[^0-9a-z]+", "", str(name).lower()))


def match_wards(values: pd.Series, area: StudyArea) -> pd.Series:
    """Match ward codes or names (any case, punctuation, optional "Ward") to ward codes.

    Examples
    --------
    >>> from geosafety.geography import StudyArea
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
    without coordinates do in :func:`~geosafety.geography.locate.locate_records`. Codes of
    other areas give NaN.

    Examples
    --------
    >>> from geosafety.geography import StudyArea
    >>> area = StudyArea.sefton()
    >>> lsoa21_from_codes(pd.Series(["E01006951", "E01033798", "E01000001"]), area).tolist()
    ['E01006951', 'E01033798', nan]
    """
    renamed = successors(area.lsoa11_only, area.lsoas["residents"])
    return codes.where(codes.isin(area.lsoas.index), codes.map(renamed))


def match_area_codes(values: pd.Series, area: StudyArea, level: str) -> pd.Series:
    """Match area names or codes of one level to the study area's codes (NaN if unknown).

    Wards match by code or name (:func:`match_wards`), postcode districts ignoring case and
    spaces, LSOAs by their 2021 code.

    Examples
    --------
    >>> from geosafety.geography import StudyArea
    >>> area = StudyArea.sefton()
    >>> match_area_codes(pd.Series(["l 20", "PR8", "CH41"]), area, "postcode_district").tolist()
    ['L20', 'PR8', nan]
    """
    text = values.str.strip()
    if level == "ward":
        return match_wards(text, area)
    if level == "postcode_district":
        codes = text.str.replace(r"\s+", "", regex=True).str.upper()
        return codes.where(codes.isin(area.postcode_districts.index))
    codes = text.str.upper()
    return codes.where(codes.isin(area.lsoas.index))


def _unplaced_lsoa_codes(codes: pd.Series, area: StudyArea) -> pd.Series:
    """Why LSOA codes outside the area were not placed: the authority they are in, or unknown.

    Examples
    --------
    >>> from geosafety.geography import StudyArea
    >>> codes = pd.Series(["E01006512", "E01999999"])
    >>> _unplaced_lsoa_codes(codes, StudyArea.sefton()).astype(str).tolist()
    ['outside Sefton (Liverpool)', 'LSOA code not in the study area']
    """
    owners = authority_of_lsoas(codes).map(authorities()["lad_name"])
    status = pd.Series(Placement.UNKNOWN_LSOA, index=codes.index, dtype=object)
    known = owners.notna()
    status[known] = [outside_authority(area.name, str(name)) for name in owners[known]]
    return status


def _unmapped_districts(districts: pd.Series, area: StudyArea) -> pd.Series:
    """Why postcode districts were not placed: in another authority (named), or unmapped.

    A district none of whose postcodes is in the study area is outside it, in the authority
    holding most of its postcodes; a district with postcodes in the area but no mapped
    area of its own is "postcode district without a mapped area".

    Examples
    --------
    >>> from geosafety.geography import StudyArea
    >>> _unmapped_districts(pd.Series(["CF10", "ZZ99"]), StudyArea.sefton()).astype(str).tolist()
    ['outside Sefton (Cardiff)', 'postcode district without a mapped area']
    """
    own = set(area.postcode_lsoas.index.str.split(" ").str[0])
    owners = districts.map(district_authorities()).where(~districts.isin(own))
    status = pd.Series(Placement.UNMAPPED_DISTRICT, index=districts.index, dtype=object)
    known = owners.notna()
    status[known] = [outside_authority(area.name, str(name)) for name in owners[known]]
    return status


def _empty_placement(index: pd.Index) -> pd.DataFrame:
    return pd.DataFrame({"lsoa21_code": None, "ward_code": None, "postcode_district": None,
                         "placement": Placement.NO_LOCATION}, index=index, dtype=object)


def place_points(table: pd.DataFrame, found: Mapping[str, str], area: StudyArea,
                 label: str) -> pd.DataFrame:
    """Place records by coordinates, falling back to an LSOA code, then a ward name or code.

    Parameters
    ----------
    table : pandas.DataFrame
        The records, every value a string.
    found : mapping
        ``{field: column}`` with any of ``easting``/``northing`` (EPSG:27700),
        ``longitude``/``latitude`` (EPSG:4326), ``lsoa`` and ``ward``.
    area : StudyArea
    label : str
        The file, for messages.

    Returns
    -------
    pandas.DataFrame
        ``lsoa21_code``, ``ward_code``, ``postcode_district`` (None where not placed at that
        level) and ``placement``: placed by coordinates, placed by LSOA code (LSOA 2021
        codes, or 2011 codes through the ONS lookup), ward only, outside the study area,
        "outside <area> (<authority>)" for another authority's LSOA code, LSOA code not in
        the study area (not an English LSOA), or no location.

    Raises
    ------
    InputFileError
        If the coordinates given look like the other coordinate system.
    """
    out = _empty_placement(table.index)
    for x, y in (("easting", "northing"), ("longitude", "latitude")):
        if x in found and y in found:
            crs = "EPSG:27700" if x == "easting" else "EPSG:4326"
            xs, ys = table[found[x]], table[found[y]]
            guessed = coordinates_look_like(xs, ys)
            if guessed not in (None, crs):
                raise InputFileError(label, [
                    f"columns {found[x]!r}/{found[y]!r} look like {guessed} coordinates, not "
                    f"{crs}"], hint="map the columns to the right fields.")
            if x == "longitude":
                pairs = swap_back_lonlat(
                    pd.DataFrame({found[x]: xs, found[y]: ys, "source_file": label,
                                  "source_row": row_numbers(table.index)}, index=table.index),
                    found[x], found[y], label)
                xs, ys = pairs[found[x]], pairs[found[y]]
            todo = out["lsoa21_code"].isna() & ~missing_coordinates(xs, ys)
            points = points_from_xy(xs[todo], ys[todo], crs=crs)
            if "lsoa" in found:
                named = lsoa21_from_codes(table.loc[todo, found["lsoa"]].str.strip().str.upper(),
                                          area)
                warn_far_from_named_lsoa(
                    pd.DataFrame({"source_file": label, "source_row": row_numbers(points.index)},
                                 index=points.index), distance_to_named_lsoa(points, named, area),
                    named, label=label, counted="the LSOA their coordinates fall in")
            lsoa = assign_lsoa(points, area)
            out.loc[lsoa.index, "placement"] = Placement.OUTSIDE_AREA
            out.loc[lsoa.dropna().index, "lsoa21_code"] = lsoa.dropna()
            out.loc[lsoa.dropna().index, "placement"] = Placement.BY_COORDINATES
    if "lsoa" in found:
        todo = out["placement"].eq(Placement.NO_LOCATION)
        codes = table.loc[todo, found["lsoa"]].str.strip().str.upper()
        mapped = lsoa21_from_codes(codes, area)
        out.loc[mapped.dropna().index, "lsoa21_code"] = mapped.dropna()
        out.loc[mapped.dropna().index, "placement"] = Placement.BY_LSOA_CODE
        unplaced = codes[codes.ne("") & mapped.isna()]
        out.loc[unplaced.index, "placement"] = _unplaced_lsoa_codes(unplaced, area)
    placed = out["lsoa21_code"].notna()
    out.loc[placed, "ward_code"] = area.level_code(out.loc[placed, "lsoa21_code"], "ward")
    out.loc[placed, "postcode_district"] = area.level_code(out.loc[placed, "lsoa21_code"],
                                                           "postcode_district")
    if "ward" in found:
        todo = ~placed & out["placement"].isin([Placement.NO_LOCATION, Placement.UNKNOWN_LSOA])
        wards = match_wards(table.loc[todo, found["ward"]], area).dropna()
        out.loc[wards.index, "ward_code"] = wards
        out.loc[wards.index, "placement"] = Placement.WARD_ONLY
    return out


def place_residence(frame: pd.DataFrame, columns: Mapping[str, str],
                    area: StudyArea) -> pd.DataFrame:
    """Place each record by LSOA code, postcode, postcode district or ward, in that order.

    Parameters
    ----------
    frame : pandas.DataFrame
        The records, every value a string.
    columns : mapping
        ``{field: column}`` with any of ``lsoa``, ``postcode``, ``postcode_district`` and
        ``ward``.
    area : StudyArea
        Its Code-Point Open postcodes place full postcodes; its table of postcodes in other
        authorities names where out-of-area postcodes are.

    Returns
    -------
    pandas.DataFrame
        ``lsoa21_code``, ``ward_code``, ``postcode_district`` (each None where the record
        cannot be placed at that level) and ``placement`` (how, or why not).
    """
    out = _empty_placement(frame.index)
    if "lsoa" in columns:
        codes = frame[columns["lsoa"]].str.strip().str.upper()
        mapped = lsoa21_from_codes(codes, area)
        out.loc[mapped.notna(), "lsoa21_code"] = mapped[mapped.notna()]
        out.loc[mapped.notna(), "placement"] = Placement.BY_LSOA_CODE
        unplaced = codes[codes.ne("") & mapped.isna()]
        out.loc[unplaced.index, "placement"] = _unplaced_lsoa_codes(unplaced, area)
    todo = out["lsoa21_code"].isna()
    if "postcode" in columns and todo.any():
        classified = classify_postcodes(
            frame.loc[todo, columns["postcode"]], area.postcode_lsoas,
            area.postcode_authorities, area_name=area.name)
        given = classified["status"] != Placement.NO_POSTCODE
        out.loc[classified.index[given], "placement"] = classified.loc[given, "status"]
        placed = classified["status"] == Placement.BY_POSTCODE
        out.loc[classified.index[placed], "lsoa21_code"] = classified.loc[placed, "lsoa21_code"]
        own = classified.loc[placed, "district"]
        own = own.where(own.isin(area.postcode_districts.index))
        out.loc[own.dropna().index, "postcode_district"] = own.dropna()
        only = classified.index[classified["status"] == Placement.DISTRICT_ONLY]
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
        out.loc[district.index, "placement"] = Placement.DISTRICT_ONLY
    district_given = out["lsoa21_code"].isna() & out["postcode_district"].notna()
    unmapped = district_given & ~out["postcode_district"].isin(area.postcode_districts.index)
    if unmapped.any():
        out.loc[unmapped, "placement"] = _unmapped_districts(
            out.loc[unmapped, "postcode_district"], area)
        out.loc[unmapped, "postcode_district"] = None
    if "ward" in columns:
        todo = out["lsoa21_code"].isna() & out["ward_code"].isna()
        given = frame.loc[todo, columns["ward"]].str.strip()
        given = given[given.ne("")]
        wards = match_wards(given, area)
        out.loc[wards.dropna().index, "ward_code"] = wards.dropna()
        only_ward = wards.dropna().index.intersection(out.index[out["postcode_district"].isna()])
        out.loc[only_ward, "placement"] = Placement.WARD_ONLY
        unknown = wards.index[wards.isna()]
        out.loc[unknown.intersection(out.index[out["placement"] == Placement.NO_LOCATION]),
                "placement"] = Placement.UNKNOWN_WARD
    return out
