"""Tables of partner layers (fire, MARAC, CJIT).

Sensitive layers reach these functions already disclosure-controlled; nothing here reads
record-level data, so no postcode, client id or date can reach an output.
"""

from __future__ import annotations

from pathlib import Path

from geosafety.analysis.partners import PartnerLayer
from geosafety.report.tables import measures_table, write_csv


def write_partner_tables(layer: PartnerLayer, folder: Path) -> list[Path]:
    """Write measures per level, placement and reconciliation tables for one partner layer.

    File names start with the layer's stem (``marac_SYNTHETIC_...`` for example data); the
    first column, ``source``, names the source with its SYNTHETIC label where it applies.
    """
    tables = {f"{layer.file_stem}_measures_{level}.csv": measures_table(frame, level)
              for level, frame in layer.measures.items()}
    tables[f"{layer.file_stem}_reconciliation.csv"] = layer.reconciliation
    if len(layer.placement):
        tables[f"{layer.file_stem}_placement.csv"] = (
            layer.placement.rename_axis("placement").reset_index())
    return [write_csv(frame, folder / name, source=layer.label) for name, frame in tables.items()]
