"""Tables and map text for partner layers (fire, MARAC, CJIT).

Sensitive layers reach these functions already disclosure-controlled; nothing here reads
record-level data, so no postcode, client id or date can reach an output.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geosafety.categories import slug
from geosafety.datasets import ATTRIBUTION
from geosafety.maps import MapText
from geosafety.partners import SYNTHETIC_LABEL, PartnerLayer
from geosafety.study_area import LEVELS

_POPULATION_VINTAGE = {"residents": "population", "adults": "adults"}
SYNTHETIC_BANNER = "SYNTHETIC EXAMPLE DATA \u2013 not real records"


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


def partner_map_name(layer: PartnerLayer, level: str, category: str) -> str:
    """File name of a partner map, with SYNTHETIC in it for example data."""
    plain = category.replace(f" ({SYNTHETIC_LABEL})", "")
    return f"{level}_{slug(plain)}{'_' + SYNTHETIC_LABEL if layer.synthetic else ''}.html"


def partner_map_text(result, layer: PartnerLayer, level: str, category: str) -> MapText:  # noqa: ANN001
    """Return the words on a partner map: title, period, source, vintage, method notes."""
    area = result.area
    notes = [f"Colours show the local decile of each area's rate {layer.spec.unit}: decile 1 "
             f"(darkest) is the tenth of areas with the highest rates in {area.name}."]
    if layer.spec.sensitive:
        notes.append(
            f"Counts below {layer.threshold} are suppressed, and so is any further count that "
            "would let a suppressed one be worked out from totals or other levels; rates, "
            "ranks and deciles of suppressed areas are not shown, and ranks are among the "
            "areas shown. Records are placed by postcode of residence and never shown as "
            "points.")
    if layer.spec.expected_per_10000_adults:
        notes.append("SafeLives expects about 40 MARAC cases a year per 10,000 adults; each "
                      "area's expected number is in its tooltip.")
    if layer.synthetic:
        notes.append("These figures come from SYNTHETIC example data made by geosafety to "
                      "show the method; they describe no real people or incidents.")
    return MapText(
        title=f"{category}: rate rank by {LEVELS[level]}, {area.name}",
        period=f"{result.period.describe()}",
        source=layer.label,
        boundaries=(f"{area.vintages[level]}"
                    + ("" if level == "ward" else f"; wards drawn: {area.vintages['ward']}")
                    + f". Population: {area.vintages[_POPULATION_VINTAGE[layer.spec.population]]}. "
                    + ATTRIBUTION),
        notes=" ".join(notes),
        rate_unit=layer.spec.unit,
        area_label=LEVELS[level],
        banner=SYNTHETIC_BANNER if layer.synthetic else None,
    )


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
