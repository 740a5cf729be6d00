"""Stage 2, place: the study area and everything it knows, and placing records in it.

:class:`StudyArea` carries the boundaries (LSOA 2021, wards, postcode districts), the
lookups, residents and adults, postcodes, IoD editions and Band A homes of one English
authority, from the bundled England reference (:meth:`StudyArea.for_authority`); the
authorities themselves are found by name (:func:`find_authorities`).
The functions here put records in its areas: police.uk records by LSOA code or coordinates
(:func:`locate_records`), partner records by coordinates, codes, postcodes or wards
(:func:`place_points`, :func:`place_residence`), each with a :class:`Placement` status.
"""

from geosafety.geography.assign import (
    assign_lsoa,
    assign_postcode_district,
    assign_ward,
    points_in_polygons,
)
from geosafety.geography.authorities import (
    AreaNotChosenError,
    UnknownAreaError,
    authorities,
    authority_of_lsoas,
    community_safety_partnerships,
    describe_authorities,
    find_authorities,
    read_comparators,
)
from geosafety.geography.localities import Localities, read_localities
from geosafety.geography.locate import (
    LocationReport,
    detect_lsoa_vintage,
    files_read,
    locate_records,
)
from geosafety.geography.placement import (
    lsoa21_from_codes,
    match_area_codes,
    match_wards,
    place_points,
    place_residence,
)
from geosafety.geography.points import BNG, coordinates_look_like, points_from_xy
from geosafety.geography.postcodes import (
    best_fit_districts,
    build_postcode_districts,
    classify_postcodes,
    district_polygons,
    normalise_postcode,
    postcode_district,
)
from geosafety.geography.reference import ReferenceTables
from geosafety.geography.status import IN_AREA, Placement
from geosafety.geography.study_area import AREA_COLUMNS, LEVELS, StudyArea, area_for_records

__all__ = [
    "AreaNotChosenError", "UnknownAreaError", "area_for_records", "authorities",
    "authority_of_lsoas", "community_safety_partnerships", "describe_authorities",
    "find_authorities", "read_comparators", "AREA_COLUMNS", "BNG", "IN_AREA", "LEVELS",
    "Localities", "LocationReport", "Placement", "ReferenceTables", "read_localities",
    "StudyArea", "assign_lsoa", "assign_postcode_district", "assign_ward",
    "best_fit_districts", "build_postcode_districts", "classify_postcodes",
    "district_polygons", "coordinates_look_like",
    "detect_lsoa_vintage", "files_read", "locate_records", "lsoa21_from_codes", "match_area_codes",
    "match_wards", "normalise_postcode", "place_points", "place_residence", "points_from_xy",
    "points_in_polygons", "postcode_district",
]
