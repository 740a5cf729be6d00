"""Finding the columns of partner tables by name, and reading column mappings.

Column names vary between services, so each loader declares canonical fields with the
names commonly used for them; a caller's ``columns`` mapping (argument, or a TOML/JSON file
given to the CLI) overrides them. A missing required field is one error that lists every
missing field, the columns found and how to map them.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geosafety._errors import InputFileError

#: Sections of a column-mapping file: one per kind of input.
COLUMN_SECTIONS = ("fire", "marac", "cjit", "counts", "force", "premises")


@dataclass(frozen=True)
class Field:
    """A canonical input field.

    Attributes
    ----------
    name : str
        The canonical name used in code and in ``columns`` mappings.
    synonyms : tuple of str
        Header names that mean this field (compared ignoring case, spaces and punctuation).
    required : bool
        Whether the loader needs it.
    description : str
        What it holds, for error messages.
    """

    name: str
    synonyms: tuple[str, ...]
    required: bool = False
    description: str = ""


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", str(name).lower())


def load_columns(path: str | Path | None) -> dict[str, dict[str, str]]:
    """Read a column-mapping file: ``{source: {canonical field: column in the file}}``.

    TOML example::

        [fire]
        incident_id = "IncidentNumber"
        call_datetime = "TimeOfCall"

    Raises
    ------
    InputFileError
        If the file cannot be parsed, or has a key outside a section, an unknown section or
        a column name that is not text; the message names the file and the fix.
    """
    if path is None:
        return {}
    path = Path(path)
    hint = ("write one [section] per source (" + ", ".join(f"[{s}]" for s in COLUMN_SECTIONS)
            + ') with lines field = "column in your file"; see `geosafety assess --help`.')
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (OSError, ValueError) as error:
        raise InputFileError(path, [f"is not a readable TOML/JSON column mapping: {error}"],
                             hint=hint) from error
    return check_column_mapping(data, path)


def check_column_mapping(data: object, label: str | Path, *,
                         where: str = "") -> dict[str, dict[str, str]]:
    """Check a column mapping read from a file or a configuration; return it as text.

    Parameters
    ----------
    data : object
        What was read: should be ``{section: {field: column}}``.
    label : str or path
        The file, for messages.
    where : str
        Prefix of the sections in messages (``"columns."`` inside a configuration).

    Raises
    ------
    InputFileError
        Naming every key outside a section, unknown section (with the closest name) and
        column name that is not text.

    Examples
    --------
    >>> check_column_mapping({"fire": {"incident_id": "IncNo"}}, "x.toml")
    {'fire': {'incident_id': 'IncNo'}}
    """
    hint = ("write one [section] per source (" + ", ".join(
        f"[{where}{s}]" for s in COLUMN_SECTIONS) + ') with lines field = "column in your '
        'file"; see `geosafety assess --help`.')
    if not isinstance(data, dict):
        raise InputFileError(label, [f"holds a {type(data).__name__}, not sections of "
                                     "field = column pairs"], hint=hint)
    problems = []
    for section, mapping in data.items():
        if not isinstance(mapping, dict):
            problems.append(f"key {where}{section!r} is outside any section" if section not in
                            COLUMN_SECTIONS else f"section [{where}{section}] is not a table "
                            "of field = column pairs")
        elif section not in COLUMN_SECTIONS:
            close = difflib.get_close_matches(section, COLUMN_SECTIONS, n=1)
            problems.append(f"unknown section [{where}{section}]" + (
                f" (did you mean [{where}{close[0]}]?)" if close else ""))
        else:
            problems += [f"[{where}{section}] {field}: the column name must be text, not "
                         f"{type(column).__name__}" for field, column in mapping.items()
                         if not isinstance(column, str)]
    if problems:
        raise InputFileError(label, problems, hint=hint)
    return {str(k): {str(f): str(c) for f, c in m.items()} for k, m in data.items()}


def resolve_columns(
    frame: pd.DataFrame,
    fields: Sequence[Field],
    *,
    label: str,
    mapping: Mapping[str, str] | None = None,
    one_of: Sequence[Sequence[str]] = (),
) -> dict[str, str]:
    """Find the column of each field; raise one error listing everything missing.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table read.
    fields : sequence of Field
    label : str
        The file, for messages.
    mapping : mapping, optional
        ``{field name: column name}`` given by the user; wins over synonyms.
    one_of : sequence of sequences of str
        Groups of fields of which at least one complete group must be present, e.g.
        ``[["easting", "northing"], ["latitude", "longitude"], ["ward"]]``.

    Returns
    -------
    dict
        ``{field name: column name}`` for every field found.
    """
    mapping = dict(mapping or {})
    known = {f.name for f in fields}
    unknown = sorted(set(mapping) - known)
    problems = [f"the column mapping names unknown field(s) {unknown}; fields are "
                f"{sorted(known)}"] if unknown else []
    by_key = {_key(c): c for c in frame.columns}
    found: dict[str, str] = {}
    for field in fields:
        if field.name in mapping:
            column = mapping[field.name]
            if column in frame.columns:
                found[field.name] = column
            else:
                problems.append(f"column {column!r} mapped to field {field.name!r} is not in "
                                "the header (row 1)")
            continue
        for synonym in (field.name, *field.synonyms):
            if _key(synonym) in by_key:
                found[field.name] = by_key[_key(synonym)]
                break
    for field in fields:
        if field.required and field.name not in found and field.name not in mapping:
            problems.append(
                f"required field {field.name!r} ({field.description}) not found; looked for "
                f"columns named {', '.join(repr(s) for s in (field.name, *field.synonyms))}")
    if one_of and not any(all(f in found for f in group) for group in one_of):
        groups = " or ".join("+".join(group) for group in one_of)
        problems.append(f"no location: needs {groups}")
    if problems:
        example = ", ".join(f"{f.name}='<column>'" for f in fields if f.required)
        raise InputFileError(
            label, [*problems, f"columns found: {list(frame.columns)}"],
            hint=f"rename the columns, or map them: columns={{{example}}} in Python or a "
                 "[section] in the --columns TOML file.",
        )
    return found


#: Location fields of point records (fires, force crimes, premises).
LOCATION_FIELDS = (
    Field("easting", ("eastings", "x", "grid easting", "easting bng", "x coordinate")),
    Field("northing", ("northings", "y", "grid northing", "northing bng", "y coordinate")),
    Field("latitude", ("lat",)),
    Field("longitude", ("lon", "long", "lng")),
    Field("lsoa", ("lsoa code", "lsoa21cd", "lsoa11cd", "lsoa 2021 code", "lsoa 2011 code",
                   "lsoa21", "lsoa11", "lower super output area")),
    Field("ward", ("ward name", "ward code", "electoral ward")),
)
#: Location fields of point records, in the order they are tried.
LOCATION_GROUPS = (("easting", "northing"), ("latitude", "longitude"), ("lsoa",), ("ward",))
