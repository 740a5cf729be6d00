"""How a record was placed in the study area, or why it was not: one vocabulary for every source.

police.uk records, fire incidents, MARAC and CJIT cases, force crimes and premises all say
where they went with a :class:`Placement` value. Its members are strings (``StrEnum``), so
they are written to tables and JSON as the words below and compare equal to them.
"""

from __future__ import annotations

from enum import StrEnum


class Placement(StrEnum):
    """How a record was placed, or why it could not be.

    Examples
    --------
    >>> Placement.BY_POSTCODE == "placed by postcode", f"{Placement.WARD_ONLY}"
    (True, 'ward only')
    """

    # Str hashing, so a member and its text are one key in dicts, sets and pandas groupings.
    __hash__ = str.__hash__

    # Placed at LSOA level (and so at every level).
    BY_COORDINATES = "placed by coordinates"
    BY_LSOA_CODE = "placed by LSOA code"
    BY_POSTCODE = "placed by postcode"
    # police.uk records: how each kept record found its LSOA 2021.
    LSOA_CODE = "LSOA code (a 2021 code, or a 2011 code unchanged in 2021)"
    LSOA_2011_LOOKUP = "LSOA 2011 code, ONS lookup"
    LSOA_2011_SPLIT_BY_POINT = "LSOA 2011 code (split), coordinates pick the 2021 part"
    LSOA_2011_SPLIT_LARGEST = "LSOA 2011 code (split), no usable coordinates: most populous part"
    POINT_IN_POLYGON = "coordinates, point in polygon"
    # Placed at a coarser level only.
    DISTRICT_ONLY = "postcode district only"
    WARD_ONLY = "ward only"
    # Not placed.
    OUTSIDE_AREA = "outside the study area"
    OUTSIDE_PERIOD = "outside the period"
    REPEATED_CRIME_ID = "repeated Crime ID (counted once)"
    UNKNOWN_LSOA = "LSOA code not in the study area"
    UNKNOWN_WARD = "unknown ward"
    UNMAPPED_DISTRICT = "postcode district without a mapped area"
    NO_LOCATION = "no location"
    NO_CODE_OR_COORDINATES = "no LSOA code and no usable coordinates"
    NO_FIXED_ABODE = "no fixed abode"
    MALFORMED_POSTCODE = "malformed postcode"
    UNKNOWN_POSTCODE = "unknown postcode (not live in Code-Point Open)"
    NO_POSTCODE = "no postcode"


#: Statuses of point records (fires, force crimes, premises) that are inside the study area.
IN_AREA = (Placement.BY_COORDINATES, Placement.BY_LSOA_CODE, Placement.WARD_ONLY)


def outside_authority(area_name: str, authority: str) -> str:
    """Say that a postcode of residence is in another authority, naming it.

    Examples
    --------
    >>> outside_authority("Sefton", "Liverpool")
    'outside Sefton (Liverpool)'
    """
    return f"outside {area_name} ({authority})"
