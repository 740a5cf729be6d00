"""Similar authorities: which English authorities are most like a given one, from open data.

Community safety partnerships compare themselves with "most similar" areas (the Home
Office's most similar groups, CIPFA's nearest neighbours). Those lists are not open data, so
geosafety makes its own, openly, from the bundled reference:

* **size**: Census 2021 usual residents (log scale);
* **density**: residents per square kilometre of LSOA land (log scale);
* **age profile**: shares of residents aged under 18 and 65 and over (ONS mid-2020);
* **settlement**: the share of residents in urban LSOAs (ONS rural-urban classification 2021);
* **deprivation**: IoD2025 average IMD score and extent (MHCLG File 10).

Each characteristic is standardised across the 296 authorities (mean 0, standard deviation
1) and weighted equally, age, settlement and deprivation each counting as one characteristic
split over their measures; the similar authorities are the nearest by Euclidean distance. A
partnership can give its own list instead (:func:`~geosafety.geography.read_comparators`),
e.g. its police force's most similar group.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from geosafety.geography import authorities
from geosafety.geography.reference import national_table

#: Measures compared, and each one's weight (weights within a characteristic sum to 1).
MEASURES: Mapping[str, float] = {
    "log_residents": 1.0,
    "log_residents_per_km2": 1.0,
    "share_under_18": 0.5,
    "share_65_plus": 0.5,
    "share_urban": 1.0,
    "imd_average_score": 0.5,
    "imd_extent": 0.5,
}


def authority_profiles() -> pd.DataFrame:
    """Each authority's characteristics, indexed by ``lad_code``, with its name.

    Examples
    --------
    >>> profiles = authority_profiles()
    >>> len(profiles), int(profiles.loc["E08000014", "residents"])
    (296, 279247)
    """
    profiles = national_table("england_authority_profiles").set_index("lad_code")
    profiles.insert(0, "lad_name", authorities()["lad_name"].reindex(profiles.index))
    profiles["log_residents"] = np.log(profiles["residents"])
    profiles["log_residents_per_km2"] = np.log(profiles["residents_per_km2"])
    return profiles


def similar_authorities(lad_code: str, *, n: int = 10,
                        comparators: list[str] | None = None) -> pd.DataFrame:
    """Find the ``n`` English authorities most similar to one, nearest first.

    Parameters
    ----------
    lad_code : str
        The authority's code.
    n : int
        How many.
    comparators : list of str, optional
        A partnership's own list (see :func:`~geosafety.geography.read_comparators`): these
        authorities are returned instead, nearest first, with their distances.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``lad_code``: ``lad_name``, ``distance`` (standardised, weighted
        Euclidean), ``rank`` (1 = most similar) and the characteristics compared.

    Examples
    --------
    >>> similar_authorities("E08000014", n=3)["lad_name"].tolist()  # Sefton
    ['Wirral', 'Wigan', 'North Tyneside']
    >>> similar_authorities("E08000014", comparators=["E08000012", "E08000015"]).index.tolist()
    ['E08000015', 'E08000012']
    """
    profiles = authority_profiles()
    values = profiles[list(MEASURES)]
    z = (values - values.mean()) / values.std(ddof=0)
    weights = np.sqrt(pd.Series(MEASURES))
    distance = np.sqrt((((z - z.loc[lad_code]) * weights) ** 2).sum(axis=1))
    others = distance.drop(lad_code)
    nearest = (others.reindex([c for c in comparators if c != lad_code]) if comparators
               else others).sort_values(kind="stable")
    nearest = nearest if comparators else nearest.head(n)
    out = profiles.loc[nearest.index, ["lad_name"]].assign(distance=nearest.round(3))
    out["rank"] = range(1, len(out) + 1)
    characteristics = ["residents", "residents_per_km2", "share_under_18", "share_65_plus",
                       "share_urban", "imd_average_score", "imd_extent"]
    return out.join(profiles[characteristics])
