"""Reading fire and rescue service incident extracts and deriving the standard fire groups.

Groups (a fire can be in several), following the Home Office fire statistics definitions:

* **All fires**: primary, secondary and chimney fires.
* **Accidental dwelling fires**: primary fires in dwellings whose cause is accidental.
* **Deliberate fires**: every fire whose cause is deliberate, split into
  **deliberate property fires** (primary fires in buildings and other property that is not a
  vehicle), **deliberate vehicle fires** (primary or secondary fires in vehicles, derelict
  ones included) and **deliberate secondary fires** (small outdoor fires).
* **Small ASB fires**: deliberate secondary fires not involving a vehicle (refuse, grass,
  outdoor structures): the small deliberate fires services count as anti-social behaviour.

Property types vary between services' systems, so they are grouped by keywords:
dwelling (dwelling, house, flat, bungalow, maisonette), vehicle (vehicle, car, van, lorry,
motorcycle, bus, scooter, moped, caravan on the road) or other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from geosafety._errors import InputFileError
from geosafety.io import _validate as v
from geosafety.io.columns import LOCATION_FIELDS, LOCATION_GROUPS, Field, resolve_columns
from geosafety.io.dates import parse_dates
from geosafety.io.placing import Placer
from geosafety.io.plausibility import warn_future_dates
from geosafety.io.sources import Source, find_source_files
from geosafety.io.tabular import read_table

FIRE_FIELDS = (
    Field("incident_id", ("incident number", "incident no", "incident ref", "incidentnumber",
                          "inc no", "incident reference"),
          required=True, description="the incident number"),
    Field("call_datetime", ("call date time", "call datetime", "date time of call",
                            "time of call", "timeofcall", "call time stamp")),
    Field("call_date", ("call date", "date of call", "incident date", "date")),
    Field("call_time", ("time of call hhmm", "call time", "time")),
    Field("incident_category", ("incident type", "fire type", "category", "incident group",
                                "fire category"),
          required=True, description="primary, secondary or chimney"),
    Field("property_type", ("property", "property category", "property type description",
                            "property group"),
          required=True, description="what burned, e.g. dwelling, car, refuse"),
    Field("cause", ("cause of fire", "motive", "accidental or deliberate", "fire cause"),
          required=True, description="accidental or deliberate"),
    *LOCATION_FIELDS,
)

FIRE_GROUPS = (
    "All fires", "Accidental dwelling fires", "Deliberate fires", "Deliberate property fires",
    "Deliberate vehicle fires", "Deliberate secondary fires", "Small ASB fires",
)
_DWELLING = re.compile(r"dwelling|house|flat|bungalow|maisonette", re.IGNORECASE)
_VEHICLE = re.compile(r"vehicle|\bcar\b|\bvan\b|lorry|motor ?cycle|\bbus\b|scooter|moped",
                      re.IGNORECASE)


def _category(value: str) -> str | None:
    text = value.strip().lower()
    for name in ("primary", "secondary", "chimney"):
        if text.startswith(name):
            return name
    return None


def _cause(value: str) -> str | None:
    text = value.strip().lower()
    if text.startswith("accident"):
        return "accidental"
    if text.startswith("delib"):
        return "deliberate"
    if text in {"not known", "unknown", "undetermined", "not recorded"}:
        return "not known"
    return None


def fire_groups(incidents: pd.DataFrame) -> pd.DataFrame:
    """Return one boolean column per fire group (see the module notes).

    Examples
    --------
    >>> fires = pd.DataFrame({"incident_category": ["primary", "secondary", "primary"],
    ...                       "property_type": ["Dwelling - house", "Refuse", "Car"],
    ...                       "cause": ["accidental", "deliberate", "deliberate"]})
    >>> fire_groups(fires).sum().to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'All fires': 3, 'Accidental dwelling fires': 1, 'Deliberate fires': 2,
     'Deliberate property fires': 0, 'Deliberate vehicle fires': 1,
     'Deliberate secondary fires': 1, 'Small ASB fires': 1}
    """
    category, cause = incidents["incident_category"], incidents["cause"]
    dwelling = incidents["property_type"].str.contains(_DWELLING)
    vehicle = incidents["property_type"].str.contains(_VEHICLE)
    deliberate = cause == "deliberate"
    primary, secondary = category == "primary", category == "secondary"
    return pd.DataFrame({
        "All fires": pd.Series(True, index=incidents.index),
        "Accidental dwelling fires": primary & dwelling & (cause == "accidental"),
        "Deliberate fires": deliberate,
        "Deliberate property fires": deliberate & primary & ~vehicle,
        "Deliberate vehicle fires": deliberate & vehicle,
        "Deliberate secondary fires": deliberate & secondary,
        "Small ASB fires": deliberate & secondary & ~vehicle,
    })


def _call_times(table: pd.DataFrame, found: dict[str, str], label: str) -> pd.Series:
    if "call_datetime" in found:
        column = found["call_datetime"]
        parsed = parse_dates(table[column])
    elif "call_date" in found:
        column = found["call_date"]
        text = table[column].str.strip()
        if "call_time" in found:
            time = table[found["call_time"]].str.strip().str.replace(r"^(\d{1,2})(\d{2})$",
                                                                      r"\1:\2", regex=True)
            text = (text + " " + time).str.strip()
        parsed = parse_dates(text.str.replace(r"^(\S+) (\d{1,2}:\d{2})$", r"\1 \2:00",
                                              regex=True))
    else:
        raise InputFileError(label, ["required field 'call_datetime' (or 'call_date') not "
                                     f"found; columns found: {list(table.columns)}"],
                             hint="map it with columns={'call_datetime': '<column>'}.")
    if parsed.isna().any():
        raise InputFileError(label, [v.describe_bad_rows(
            table, parsed.isna(), column, "a date and time such as 2025-03-31 14:05:00 or "
            "31/03/2025 14:05")])
    return parsed


def read_fire_incidents(
    source: Source,
    area: Placer,
    *,
    columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Read fire and rescue incident extracts (CSV or Excel) and place them in the area.

    Parameters
    ----------
    source : path or list of paths
    area : StudyArea
        Places each incident (:meth:`~geosafety.geography.StudyArea.place_points`).
    columns : mapping, optional
        ``{field: column}`` for fields named differently. Fields: ``incident_id``,
        ``call_datetime`` (or ``call_date`` and ``call_time``), ``incident_category``,
        ``property_type``, ``cause``, location as ``easting``/``northing`` (EPSG:27700) or
        ``latitude``/``longitude``, optionally ``ward``.

    Returns
    -------
    pandas.DataFrame
        Every input column, plus ``incident_id``, ``call_datetime``, ``month``,
        ``incident_category``, ``property_type``, ``cause``, ``lsoa21_code``, ``ward_code``,
        ``postcode_district``, ``placement`` and one boolean column per group. An incident
        number repeated within the extracts (an overlapping second extract, a row pasted
        twice) is kept once (the first row), with a warning.

    Raises
    ------
    InputFileError
        Listing missing fields, unknown categories or causes, bad dates or coordinates.
    NoRecordsInStudyAreaError
        If no record of a file can be placed in the study area (a file for another area).
    """
    frames = []
    for file in find_source_files(source, pattern=""):
        table = read_table(file)
        found = resolve_columns(table, FIRE_FIELDS, label=file.label, mapping=columns,
                                one_of=LOCATION_GROUPS)
        problems: list[str] = []
        v.check_column(table, found["incident_category"],
                       lambda s: s.map(_category).notna(), "primary, secondary or chimney",
                       problems)
        v.check_column(table, found["cause"], lambda s: s.map(_cause).notna(),
                       "accidental, deliberate or not known", problems)
        v.check_coordinates(table, found, problems)
        v.raise_cell_problems(file.label, problems)
        out = table.copy()
        out["incident_id"] = table[found["incident_id"]].str.strip()
        out["call_datetime"] = _call_times(table, found, file.label)
        out["month"] = out["call_datetime"].dt.to_period("M")
        out["incident_category"] = table[found["incident_category"]].map(_category)
        out["property_type"] = table[found["property_type"]].str.strip()
        out["cause"] = table[found["cause"]].map(_cause)
        placed = area.place_points(table, found, file.label)
        v.require_placed(file.label, placed, area.name, "fire incidents")
        out = out.join(placed)
        out.insert(0, "source_row", v.row_numbers(table.index))
        out.insert(0, "source_file", file.label)
        frames.append(out.join(fire_groups(out)))
    incidents = v.drop_repeated(pd.concat(frames, ignore_index=True), ["incident_id"],
                                what="incident number")
    warn_future_dates(incidents, "call_datetime", "fire incidents")
    return incidents
