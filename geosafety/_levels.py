"""The geography levels an assessment reports, shared by every stage.

Kept apart from :mod:`geosafety.geography` because readers (the lowest stage) name levels
in their messages too.
"""

#: Geography levels, in order, with the names people read.
LEVELS: dict[str, str] = {
    "lsoa": "LSOA",
    "ward": "Ward",
    "postcode_district": "Postcode district",
}
