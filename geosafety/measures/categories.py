"""Event categories: each police.uk crime type, "All crime" and anti-social behaviour."""

from __future__ import annotations

import re

import pandas as pd

from geosafety.io.police_uk import ASB

#: Every crime type except anti-social behaviour.
ALL_CRIME = "All crime"


def slug(category: str) -> str:
    """Return a file-name-safe form of a category.

    Examples
    --------
    >>> slug("Violence and sexual offences"), slug("All crime")
    ('violence-and-sexual-offences', 'all-crime')
    """
    return re.sub(r"[^0-9a-z]+", "-", category.lower()).strip("-")


def figure_stem(category: str, synthetic: bool | None = None) -> str:
    """Return the file-name stem of a category's figures, SYNTHETIC-labelled where it applies.

    ``synthetic`` defaults to whether the category's name carries the label.

    Examples
    --------
    >>> figure_stem("All crime"), figure_stem("All fires (SYNTHETIC)")
    ('all-crime', 'all-fires_SYNTHETIC')
    """
    if synthetic is None:
        synthetic = "(SYNTHETIC)" in category
    return slug(category.replace("(SYNTHETIC)", "")) + ("_SYNTHETIC" if synthetic else "")


def category_order(categories: list[str] | pd.Index) -> list[str]:
    """Order categories as an assessment reads them: All crime, ASB, then A-Z.

    Examples
    --------
    >>> category_order(["Robbery", ASB, "Burglary", ALL_CRIME])
    ['All crime', 'Anti-social behaviour', 'Burglary', 'Robbery']
    """
    head = [c for c in (ALL_CRIME, ASB) if c in set(categories)]
    return head + sorted(set(categories) - set(head))


def police_uk_events(records: pd.DataFrame) -> pd.DataFrame:
    """Expand police.uk records into (record, category) events.

    Each record counts once under its own crime type; every record that is not ASB also
    counts under "All crime".

    Examples
    --------
    >>> records = pd.DataFrame({"crime_type": ["Burglary", ASB, "Drugs"]})
    >>> police_uk_events(records)["category"].value_counts().sort_index().to_dict()
    {'All crime': 2, 'Anti-social behaviour': 1, 'Burglary': 1, 'Drugs': 1}
    """
    own = records.assign(category=records["crime_type"])
    crime = records[records["crime_type"] != ASB].assign(category=ALL_CRIME)
    return pd.concat([own, crime])
