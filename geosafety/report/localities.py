"""Writing measures by locality (see :mod:`geosafety.analysis.localities`)."""

from __future__ import annotations

from pathlib import Path

from geosafety.analysis.assessment import Assessment
from geosafety.report.tables import write_csv


def locality_file(stem: str) -> str:
    """Name a locality table: ``measures_locality.csv``, or ``<stem>_measures_locality.csv``.

    Examples
    --------
    >>> locality_file(""), locality_file("fire_SYNTHETIC")
    ('measures_locality.csv', 'fire_SYNTHETIC_measures_locality.csv')
    """
    return f"{stem}_measures_locality.csv" if stem else "measures_locality.csv"


def write_locality_tables(result: Assessment, folder: Path) -> list[Path]:
    """Write each source's measures by locality, with what the localities are."""
    written = []
    note = result.localities.note if result.localities is not None else ""
    for stem, frame in result.locality_measures.items():
        table = frame.reset_index(drop=True).assign(level="Locality",
                                                    locality_definition=note)
        written.append(write_csv(table, folder / locality_file(stem)))
    return written
