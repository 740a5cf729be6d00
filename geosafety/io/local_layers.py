"""Local layers: any other point or area dataset a partnership holds, through one loader.

Fly-tipping reports, youth offending, road casualties, hospital admissions for assault:
each is described by a small TOML file naming the data files, what the records are, the
rate base and whether disclosure control applies, with an optional column mapping::

    title = "Fly-tipping reports"
    source = "Council environmental services: fly-tipping reports"
    files = ["fly_tipping_2025.csv"]     # relative to this file; CSV or Excel
    rate_base = "residents"              # or "adults"
    per = 1000                           # rate per 1,000 of the rate base
    sensitive = false                    # true: disclosure control, as MARAC and CJIT
    [columns]                            # only for fields named differently
    date = "Date Reported"
    category = "Waste Type"

Records need a date and a place: coordinates (easting/northing in EPSG:27700, or
latitude/longitude), a postcode, a postcode district, a ward, or an LSOA code. An ``id``
column lets repeated rows be read once; a ``category`` column splits the layer.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

import pandas as pd

from geosafety._errors import InputFileError
from geosafety.io import _validate as v
from geosafety.io.columns import LOCATION_FIELDS, Field, resolve_columns
from geosafety.io.dates import parse_dates
from geosafety.io.labels import is_synthetic
from geosafety.io.placing import Placer
from geosafety.io.plausibility import warn_future_dates
from geosafety.io.sources import find_source_files
from geosafety.io.tabular import read_table

LAYER_FIELDS = (
    Field("date", ("date reported", "report date", "incident date", "date of incident",
                   "event date", "admission date", "collision date", "occurred"),
          required=True, description="the date of the record"),
    Field("id", ("reference", "ref", "record id", "incident id", "case id", "urn")),
    Field("category", ("type", "waste type", "incident type", "category name", "group")),
    *LOCATION_FIELDS,
    Field("postcode", ("post code", "home postcode", "incident postcode")),
    Field("postcode_district", ("postcode district", "outward code", "postal district")),
)
_POINT_GROUPS = (("easting", "northing"), ("latitude", "longitude"))
_PLACE_GROUPS = (*_POINT_GROUPS, ("postcode",), ("postcode_district",), ("lsoa",), ("ward",))
RATE_BASES = ("residents", "adults")
_DEFINITION_KEYS = {"title", "source", "files", "rate_base", "per", "sensitive", "columns"}


@dataclass(frozen=True)
class LocalLayer:
    """What a local layer is: its files, name, rate base and disclosure control.

    Attributes
    ----------
    title : str
        What the records are, e.g. "Fly-tipping reports" (the layer's category name).
    files : list of pathlib.Path
    source : str
        Who holds the data, as tables and maps credit it.
    rate_base : {"residents", "adults"}
    per : int
        Rate per this many of the rate base.
    sensitive : bool
        Apply disclosure control (suppression) as for MARAC and CJIT.
    columns : mapping
        ``{field: column}`` for fields named differently in the files.
    definition : str
        The TOML file the layer was defined in ("" when built in Python).
    """

    title: str
    files: list[Path]
    source: str = ""
    rate_base: str = "residents"
    per: int = 1000
    sensitive: bool = False
    columns: Mapping[str, str] = field(default_factory=dict)
    definition: str = ""

    @property
    def key(self) -> str:
        """File-name stem of the layer's outputs, e.g. ``fly_tipping_reports``."""
        return re.sub(r"[^0-9a-z]+", "_", self.title.lower()).strip("_")

    @property
    def synthetic(self) -> bool:
        """True when any of its files is SYNTHETIC example data."""
        return is_synthetic(str(f) for f in self.files)


def read_layer_definition(path: str | PathLike[str]) -> LocalLayer:
    """Read a local layer's TOML definition (see the module notes).

    Raises
    ------
    InputFileError
        Naming the file and each problem: unknown or missing keys, a wrong rate base,
        files that do not exist.

    Examples
    --------
    >>> from geosafety.io import get_path
    >>> layer = read_layer_definition(get_path("synthetic_fly_tipping"))
    >>> layer.title, layer.rate_base, layer.per, layer.sensitive, layer.key
    ('Fly-tipping reports', 'residents', 1000, False, 'fly_tipping_reports')
    """
    path = Path(path)
    hint = "see the example: geosafety datasets lists synthetic_fly_tipping."
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as error:
        raise InputFileError(path, [f"is not a readable TOML layer definition: {error}"],
                             hint=hint) from error
    problems = []
    for key in data:
        if key not in _DEFINITION_KEYS:
            close = difflib.get_close_matches(key, sorted(_DEFINITION_KEYS), n=1)
            problems.append(f"{key}: unknown key" + (f" (did you mean {close[0]!r}?)"
                                                     if close else ""))
    title, files = data.get("title"), data.get("files")
    if not isinstance(title, str) or not title.strip():
        problems.append("title: give what the records are, e.g. \"Fly-tipping reports\"")
    if isinstance(files, str):
        files = [files]
    if not isinstance(files, list) or not files or not all(isinstance(f, str) for f in files):
        problems.append("files: give the data file (or a list of files), relative to this file")
        files = []
    found = [p if p.is_absolute() else path.parent / p for p in map(Path, files)]
    problems += [f"files: {f} does not exist" for f in found if not f.exists()]
    rate_base = data.get("rate_base", "residents")
    if rate_base not in RATE_BASES:
        problems.append(f"rate_base: {rate_base!r} is not one of {list(RATE_BASES)}")
    per = data.get("per", 1000)
    if not isinstance(per, int) or isinstance(per, bool) or per not in (
            100, 1000, 10_000, 100_000):
        problems.append(f"per: {per!r} is not 100, 1000, 10000 or 100000")
    sensitive = data.get("sensitive", False)
    if not isinstance(sensitive, bool):
        problems.append(f"sensitive: expected true or false, not {sensitive!r}")
    columns = data.get("columns", {})
    if not isinstance(columns, dict) or not all(
            isinstance(k, str) and isinstance(c, str) for k, c in columns.items()):
        problems.append("[columns]: write one line per field, field = \"column in your file\"")
        columns = {}
    unknown = sorted(set(columns) - {f.name for f in LAYER_FIELDS})
    problems += [f"[columns] {name}: unknown field; the fields are "
                 + ", ".join(f.name for f in LAYER_FIELDS) for name in unknown]
    if problems:
        raise InputFileError(path, problems, hint=hint)
    assert isinstance(title, str)
    return LocalLayer(title.strip(), found, str(data.get("source", "")).strip(), rate_base,
                      per, sensitive, columns, str(path))


def read_local_layer(layer: LocalLayer, area: Placer) -> pd.DataFrame:
    """Read a local layer's files (CSV or Excel) and place each record in the area.

    Records with coordinates are placed by them (then by LSOA code, then ward); records
    without are placed by LSOA code, postcode, postcode district or ward, as finely as
    their data allows. Postcodes place records and are not kept.

    Returns
    -------
    pandas.DataFrame
        ``source_file``, ``source_row``, ``date``, ``month``, ``id``, ``category``,
        ``lsoa21_code``, ``ward_code``, ``postcode_district``, ``placement``. A repeated id
        is read once, with a warning.

    Raises
    ------
    InputFileError
        For missing fields, or bad dates or coordinates (file, rows and column named).
    NoRecordsInStudyAreaError
        If no record of a file can be placed in the study area.
    """
    frames = []
    for file in find_source_files(layer.files, pattern=""):
        table = read_table(file)
        found = resolve_columns(table, LAYER_FIELDS, label=file.label,
                                mapping=dict(layer.columns), one_of=_PLACE_GROUPS)
        dates = parse_dates(table[found["date"]])
        problems: list[str] = []
        if dates.isna().any():
            problems.append(v.describe_bad_rows(table, dates.isna(), found["date"],
                                                "a date such as 2025-03-31 or 31/03/2025"))
        points = any(all(f in found for f in group) for group in _POINT_GROUPS)
        if points:
            v.check_coordinates(table, found, problems)
        v.raise_cell_problems(file.label, problems)
        placed = (area.place_points(table, found, file.label) if points
                  else area.place_residence(table, found))
        v.require_placed(file.label, placed, area.name, layer.title.lower())
        ids = (table[found["id"]].str.strip().replace("", None) if "id" in found
               else pd.Series(None, index=table.index, dtype=object))
        category = (table[found["category"]].str.strip().replace("", "Not recorded")
                    if "category" in found else pd.Series(None, index=table.index,
                                                          dtype=object))
        frames.append(pd.DataFrame({
            "source_file": file.label, "source_row": v.row_numbers(table.index),
            "date": dates, "month": dates.dt.to_period("M"), "id": ids,
            "category": category}).join(placed))
    records = pd.concat(frames, ignore_index=True)
    with_id = records[records["id"].notna()]
    if len(with_id):
        kept = v.drop_repeated(with_id, ["id"], what=f"{layer.title.lower()} reference")
        records = pd.concat([kept, records[records["id"].isna()]], ignore_index=True)
    warn_future_dates(records, "date", layer.title.lower())
    return records.reset_index(drop=True)
