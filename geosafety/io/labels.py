"""Labelling made-up example data: anything read from a file named SYNTHETIC says so.

geosafety ships SYNTHETIC example files where no real open data exists (fire incidents,
MARAC, CJIT, a force extract, premises). Their file names carry the label, and every
source name, category, table, map and page made from them carries it too.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

SYNTHETIC_LABEL = "SYNTHETIC"


def is_synthetic(files: Iterable[str]) -> bool:
    """Return True when any input file name (or archive member) carries the SYNTHETIC label.

    Examples
    --------
    >>> is_synthetic(["data/SYNTHETIC_fire.csv"]), is_synthetic(["x.zip!2025-01/street.csv"])
    (True, False)
    """
    return any(SYNTHETIC_LABEL in Path(f.split("!")[-1]).name.upper() for f in files)


def source_label(source: str, synthetic: bool) -> str:
    """Name a source, adding the SYNTHETIC label to made-up example data.

    Examples
    --------
    >>> source_label("Fire incidents", True)
    'Fire incidents (SYNTHETIC example data, not real records)'
    """
    return f"{source} ({SYNTHETIC_LABEL} example data, not real records)" if synthetic else source


def category_label(category: str, synthetic: bool) -> str:
    """Name a category, adding the short SYNTHETIC label to made-up example data.

    Examples
    --------
    >>> category_label("MARAC cases", True)
    'MARAC cases (SYNTHETIC)'
    """
    return f"{category} ({SYNTHETIC_LABEL})" if synthetic else category


def file_stem(stem: str, synthetic: bool) -> str:
    """Stem of output files made from a source, ``marac_SYNTHETIC`` for example data.

    Examples
    --------
    >>> file_stem("force", True), file_stem("force", False)
    ('force_SYNTHETIC', 'force')
    """
    return f"{stem}_{SYNTHETIC_LABEL}" if synthetic else stem
