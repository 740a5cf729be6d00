"""Tables and map text for partner layers (fire, MARAC, CJIT).

Sensitive layers reach these functions already disclosure-controlled; nothing here reads
record-level data, so no postcode, client id or date can reach an output.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geosafety.partners import PartnerLayer
from geosafety.study_area import LEVELS


def write_partner_tables(layer: PartnerLayer, folder: Path) -> list[Path]:
    """Write measures per level, placement and reconciliation tables for one partner layer.

    File names start with the layer's stem (``marac_SYNTHETIC_...`` for example data); the
    first column, ``source``, names the source with its SYNTHETIC label where it applies.
    """
    written = []
    tables = {f"{layer.file_stem}_measures_{level}.csv": frame
              for level, frame in layer.measures.items()}
    tables[f"{layer.file_stem}_reconciliation.csv"] = layer.reconciliation
    if len(layer.placement):
        tables[f"{layer.file_stem}_placement.csv"] = (
            layer.placement.rename_axis("placement").reset_index())
    for name, frame in tables.items():
        path = folder / name
        labelled = frame.copy()
        labelled.insert(0, "source", layer.label)
        labelled.to_csv(path, index=False, float_format="%.6g")
        written.append(path)
    return written


def partner_summary_lines(layer: PartnerLayer) -> list[str]:
    """Lines for the terminal summary."""
    lines = [f"{layer.label}:", f"  files: {', '.join(Path(f).name for f in layer.files)}"]
    if len(layer.placement):
        lines.append("  records by placement: " + ", ".join(
            f"{k} {v}" for k, v in layer.placement.items()))
    for row in layer.reconciliation.itertuples(index=False):
        placed = ", ".join(
            f"{LEVELS[level]}s {_shown(getattr(row, f'placed_{level}'))}"
            for level in LEVELS if hasattr(row, f"placed_{level}"))
        records = f"{row.records:,} records; " if hasattr(row, "records") else ""
        lines.append(f"  {row.category}: {records}placed in {placed}")
    if layer.spec.sensitive:
        lines.append(f"  disclosure control: {layer.suppressed_cells} area cells suppressed "
                     f"(threshold {layer.threshold})")
    lines += [f"  note: {n}" for n in layer.notes]
    return lines


def _shown(value: object) -> str:
    return "suppressed" if pd.isna(value) else f"{int(value):,}"
