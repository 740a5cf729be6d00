"""geosafety: geospatial evidence for Community Safety Strategic Assessments.

Load police.uk crime and anti-social behaviour, place every record in an LSOA, ward and
postcode district, and compute counts, rates per 1,000 residents, rate ranks and local
deciles, with choropleth maps that open offline.

Examples
--------
>>> import geosafety
>>> result = geosafety.assess()            # bundled Sefton police.uk data, 2025
>>> result.period.describe()
'January to December 2025'
"""

from __future__ import annotations

__version__ = "0.1.0"

from geosafety._errors import (
    DataQualityWarning,
    GeosafetyError,
    InputFileError,
    NoRecordsInStudyAreaError,
    RecordsExcludedWarning,
)
from geosafety.assessment import Assessment, assess
from geosafety.assign import assign_lsoa, assign_postcode_district, assign_ward
from geosafety.locate import detect_lsoa_vintage, locate_records
from geosafety.measures import area_measures, count_events, local_decile, rank_highest_first, rate
from geosafety.periods import Period, parse_period, split_period
from geosafety.points import points_from_xy
from geosafety.police_uk import read_police_uk, split_crime_asb
from geosafety.study_area import StudyArea

__all__ = [
    "Assessment", "DataQualityWarning", "GeosafetyError", "InputFileError",
    "NoRecordsInStudyAreaError", "Period", "RecordsExcludedWarning", "StudyArea",
    "area_measures", "assess", "assign_lsoa", "assign_postcode_district", "assign_ward",
    "count_events", "detect_lsoa_vintage", "local_decile", "locate_records", "parse_period",
    "points_from_xy", "rank_highest_first", "rate", "read_police_uk", "split_crime_asb",
    "split_period",
]
