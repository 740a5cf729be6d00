"""What a reader needs from a study area to place the records it reads.

Readers sit in the first stage and import nothing from later ones; placing records is the
geography stage's work. A reader is therefore given the study area and calls the methods
below on it; :class:`geosafety.geography.StudyArea` provides them (each delegates to a
function of :mod:`geosafety.geography.placement`, where the rules are written down).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import pandas as pd


class Placer(Protocol):
    """A study area, as the readers use it."""

    @property
    def name(self) -> str:
        """The area's name, for messages."""
        ...

    def place_points(self, table: pd.DataFrame, found: Mapping[str, str],
                     label: str) -> pd.DataFrame:
        """Place point records by coordinates, LSOA code or ward (``found`` names the columns)."""
        ...

    def place_residence(self, table: pd.DataFrame, found: Mapping[str, str]) -> pd.DataFrame:
        """Place people by LSOA code, postcode, postcode district or ward of residence."""
        ...

    def match_area_codes(self, values: pd.Series, level: str) -> pd.Series:
        """Match names or codes of areas of one level to their codes (NaN when unknown)."""
        ...

    def area_names(self, level: str) -> list[str]:
        """Name the valid areas of a level, for messages."""
        ...
