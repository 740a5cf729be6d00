"""Localities: a partnership's own level made of whole wards.

Partnerships report by localities or neighbourhood policing areas, each a group of whole
wards (Sefton's 2018/19 assessment used Southport & Formby, Crosby & Bootle and Maghull
& Lydiate). A locality file is a small table with a ward column (name or code) and a
locality column; every ward of the study area must be in exactly one locality.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from os import PathLike

import geopandas as gpd
import pandas as pd

from geosafety._errors import InputFileError
from geosafety.geography.study_area import StudyArea
from geosafety.io.sources import find_source_files
from geosafety.io.tabular import read_table

_WARD_COLUMNS = ("ward", "ward_code", "ward_name", "wd25cd", "wd25nm", "wd24cd", "wd24nm")
_LOCALITY_COLUMNS = ("locality", "locality_name", "area", "npa", "neighbourhood")


@dataclass(frozen=True)
class Localities:
    """Wards grouped into localities.

    Attributes
    ----------
    ward_locality : pandas.Series
        Locality name per ward code, in the order the file gives the localities.
    source : str
        The file read.
    note : str
        What the grouping is (from a ``note`` column, e.g. "example grouping"), or "".
    """

    ward_locality: pd.Series
    source: str
    note: str = ""

    @property
    def names(self) -> list[str]:
        """Locality names in the file's order."""
        return list(dict.fromkeys(self.ward_locality))

    def wards_of(self, name: str) -> list[str]:
        """Ward codes of one locality."""
        return self.ward_locality.index[self.ward_locality == name].tolist()


def locality_areas(area: StudyArea, localities: Localities) -> gpd.GeoDataFrame:
    """Locality polygons (their wards dissolved), with ``area_name`` and populations.

    Examples
    --------
    >>> from geosafety.geography import StudyArea
    >>> area = StudyArea.sefton()
    >>> groups = Localities(pd.Series("All", index=area.wards.index), "x.csv")
    >>> found = locality_areas(area, groups)
    >>> found.index.tolist(), int(found["residents"].iloc[0]) == int(area.lsoas["residents"].sum())
    (['All'], True)
    """
    wards = area.areas("ward")
    populations = [c for c in ("residents", "adults") if c in wards.columns]
    frame = wards[[*populations, "geometry"]].assign(
        locality=wards.index.map(localities.ward_locality))
    dissolved = frame.dissolve(by="locality", aggfunc="sum").reindex(localities.names)
    dissolved.index.name = "locality"
    dissolved.insert(0, "area_name", dissolved.index)
    return dissolved


def _column(frame: pd.DataFrame, names: tuple[str, ...], label: str, what: str) -> str:
    found = next((c for c in frame.columns if c.strip().casefold() in names), None)
    if found is None:
        raise InputFileError(label, [f"no {what} column (looked for {', '.join(names)}); "
                                     f"columns found: {', '.join(map(str, frame.columns))}"],
                             hint="Name the columns 'ward' and 'locality'.")
    return found


def read_localities(source: str | PathLike[str], area: StudyArea) -> Localities:
    r"""Read a table of wards and their localities, checking it covers every ward once.

    Raises
    ------
    InputFileError
        Naming the file, row and column of a ward that is not in the study area (with the
        closest ward name), a ward given twice, a row with no locality, or the wards
        missing from the table.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from geosafety.geography import StudyArea
    >>> area = StudyArea.sefton()
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "localities.csv"
    >>> names = area.wards["ward_name"].tolist()
    >>> _ = path.write_text("ward,locality\n" + "\n".join(
    ...     f"{n},{'North' if i < 9 else 'South'}" for i, n in enumerate(names)))
    >>> found = read_localities(path, area)
    >>> found.names, len(found.wards_of("North"))
    (['North', 'South'], 9)
    """
    files = find_source_files(source, pattern="")
    file = files[0]
    frame = read_table(file).fillna("")
    ward_col = _column(frame, _WARD_COLUMNS, file.label, "ward")
    locality_col = _column(frame, _LOCALITY_COLUMNS, file.label, "locality")
    given = frame[ward_col].astype(str).str.strip()
    locality = frame[locality_col].astype(str).str.strip()
    keep = given.ne("") | locality.ne("")
    given, locality = given[keep], locality[keep]
    codes = area.match_area_codes(given, "ward")
    names = area.wards["ward_name"].tolist()
    problems = []
    for row, value in given[codes.isna()].items():
        close = difflib.get_close_matches(value, names, n=1)
        problems.append(f"row {int(row) + 2}, column {ward_col!r}: {value!r} is not a ward "
                        f"of {area.name}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    for row in locality[locality.eq("")].index:
        problems.append(f"row {int(row) + 2}, column {locality_col!r}: no locality given")
    repeated = codes[codes.notna() & codes.duplicated(keep="first")]
    for row, code in repeated.items():
        first = codes[codes == code].index[0]
        problems.append(f"row {int(row) + 2}: ward {area.wards.loc[code, 'ward_name']!r} is "
                        f"already in row {int(first) + 2}; a ward belongs to one locality")
    missing = area.wards.index.difference(pd.Index(codes.dropna()))
    if len(missing):
        problems.append(f"{len(missing)} ward(s) of {area.name} in no locality: " + ", ".join(
            area.wards.loc[missing, "ward_name"]))
    if problems:
        raise InputFileError(file.label, problems,
                             hint="List every ward once, by name or code, with its locality.")
    note_col = next((c for c in frame.columns if c.strip().casefold() == "note"), None)
    note = "; ".join(dict.fromkeys(v for v in frame[note_col].astype(str).str.strip()
                                   if v)) if note_col else ""
    return Localities(pd.Series(locality.to_numpy(), index=pd.Index(codes, name="ward_code"),
                                name="locality"), file.label, note)
