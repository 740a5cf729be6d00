"""Audit an assessment's written outputs for disclosure of sensitive sources.

The audit reads only what was published (CSV tables, the GeoPackage, the HTML maps) plus
public lookups, as an outsider would, and reports:

* any visible count from 1 to ``threshold - 1`` of a sensitive source, in any file;
* any rate, rank, decile or share shown for a suppressed cell;
* any suppressed cell that published cells, totals and the LSOA -> ward/district lookups
  determine exactly (:func:`geosafety.disclosure.recoverable`);
* any record-level value (postcodes, client ids, dates of the input records) in any file.

Examples
--------
>>> # after `geosafety assess`:  audit_outputs("output", "maps", StudyArea.sefton())
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geosafety._levels import LEVELS
from geosafety.disclosure.cells import Equation, recoverable
from geosafety.geography import StudyArea

_DERIVED = ("rate", "rank", "decile", "share_of_total")
_MAP_DATA = re.compile(r"var D = (\{.*?\});\n", re.DOTALL)


def _sensitive_stems(out_dir: Path) -> dict[str, int]:
    meta = json.loads((out_dir / "metadata.json").read_text(encoding="utf-8"))
    return {p["file_stem"]: p["disclosure_threshold"]
            for p in meta.get("partners", []) if p["sensitive"]}


def _check_tables(out_dir: Path, stem: str, threshold: int, area: StudyArea) -> list[str]:
    problems = []
    measures = {}
    for level in LEVELS:
        path = out_dir / f"{stem}_measures_{level}.csv"
        if not path.exists():
            continue
        frame = pd.read_csv(path)
        measures[level] = frame
        small = frame["count"].between(1, threshold - 1)
        for i in frame.index[small][:5]:
            problems.append(f"{path.name} row {i + 2}: visible count {int(frame.at[i, 'count'])}")
        hidden = frame["suppressed"].astype(bool)
        shown = frame.loc[hidden, ["count", *[c for c in _DERIVED if c in frame]]].notna()
        for i in shown.index[shown.any(axis=1)][:5]:
            problems.append(f"{path.name} row {i + 2}: suppressed cell shows "
                            f"{list(shown.columns[shown.loc[i]])}")
    totals = pd.read_csv(out_dir / f"{stem}_reconciliation.csv").set_index("category")
    for category in totals.index:
        problems += [f"{stem}: {p}" for p in _recoverable_cells(
            measures, totals.loc[category], category, area)]
    return problems


def _recoverable_cells(measures: dict[str, pd.DataFrame], totals: pd.Series, category: str,
                       area: StudyArea) -> list[str]:
    hidden: set[str] = set()
    equations: list[Equation] = []
    counts = {}
    for level, frame in measures.items():
        rows = frame[frame["category"] == category].set_index("area_code")
        counts[level] = rows["count"]
        hidden |= {f"{level}:{c}" for c in rows.index[rows["suppressed"].astype(bool)]}
        if pd.isna(totals.get(f"placed_{level}")):
            hidden.add(f"{level}:TOTAL")
        equations.append(Equation(f"{level}:TOTAL", tuple(f"{level}:{c}" for c in rows.index)))
    parents = {"ward": area.lsoas["ward_code"],
               "postcode_district": area.lsoas["postcode_district"]}
    if "lsoa" in counts:
        for level, parent in parents.items():
            if level not in counts:
                continue
            residual = totals.get(f"placed_{level}") != totals.get("placed_lsoa")
            for code in counts[level].index:
                children = [f"lsoa:{c}" for c in parent.index[parent == code]]
                if residual:
                    children.append(f"{level}:residual:{code}")
                    hidden.add(f"{level}:residual:{code}")
                equations.append(Equation(f"{level}:{code}", tuple(children)))
    exposed = recoverable(hidden, equations) - {c for c in hidden if ":residual:" in c}
    return [f"{category}: suppressed cell {cell} can be worked out from published figures"
            for cell in sorted(exposed)]


def _check_geopackage(path: Path, stem: str, threshold: int) -> list[str]:
    problems: list[str] = []
    if not path.exists():
        return problems
    for name, _ in pyogrio.list_layers(path):
        if not name.startswith(stem):
            continue
        layer = gpd.read_file(path, layer=name)
        for column in [c for c in layer.columns if c.endswith("__count")]:
            small = layer[column].between(1, threshold - 1)
            if small.any():
                problems.append(f"{path.name} layer {name} column {column}: visible count "
                                f"{int(layer.loc[small, column].iloc[0])}")
    return problems


def _check_maps(maps_dir: Path, threshold: int) -> list[str]:
    """Check every sensitive layer embedded in the interactive maps."""
    problems = []
    for page in sorted(maps_dir.glob("*.html")):
        found = _MAP_DATA.search(page.read_text(encoding="utf-8"))
        if not found:
            continue
        data = json.loads(found.group(1))
        codes = [f["properties"]["code"] for f in data["areas"]["features"]]
        for layer in data["layers"]:
            if not layer["sensitive"]:
                continue
            values = layer["values"]
            for i, code in enumerate(codes):
                count, rate, rank, decile, hidden = (
                    values[name][i] for name in ("count", "rate", "rank", "decile", "suppressed"))
                if count is not None and 1 <= count < threshold:
                    problems.append(f"{page.name}: {layer['name']} area {code} shows count "
                                    f"{count}")
                if hidden and any(v is not None for v in (count, rate, rank, decile)):
                    problems.append(f"{page.name}: {layer['name']} suppressed area {code} "
                                    "shows a count, rate, rank or decile")
    return problems


#: Words as record values are written: ids, dates, and postcodes with their inner space.
_TOKEN = re.compile(r"[A-Za-z]{1,2}\d[A-Za-z\d]? \d[A-Za-z]{2}|[\w/.:-]+")


def _check_record_values(paths: Iterable[Path], values: Iterable[str]) -> list[str]:
    tokens = {v.strip() for v in values if v and len(v.strip()) >= 4}
    if not tokens:
        return []
    problems = []
    for path in paths:
        if path.suffix not in {".csv", ".json", ".html", ".txt"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found = next((t for t in _TOKEN.findall(text) if t in tokens), None)
        if found:
            problems.append(f"{path.name}: contains record-level value {found!r}")
    return problems


def audit_outputs(
    out_dir: str | Path, maps_dir: str | Path | None, area: StudyArea, *,
    record_values: Iterable[str] = (),
) -> list[str]:
    """Audit an assessment's outputs; return every problem found (empty = pass).

    Parameters
    ----------
    out_dir : path
        The assessment's table folder (with ``metadata.json``).
    maps_dir : path, optional
        The maps folder.
    area : StudyArea
        For the public LSOA -> ward and district lookups.
    record_values : iterable of str
        Values from the sensitive input records (postcodes, client ids, dates) that must
        appear in no output file.
    """
    out_dir = Path(out_dir)
    problems = []
    for stem, threshold in _sensitive_stems(out_dir).items():
        problems += _check_tables(out_dir, stem, threshold, area)
        problems += _check_geopackage(out_dir / "assessment.gpkg", stem, threshold)
    if maps_dir is not None:
        problems += _check_maps(Path(maps_dir), min(_sensitive_stems(out_dir).values(),
                                                    default=5))
    files = list(out_dir.glob("*")) + (list(Path(maps_dir).glob("*")) if maps_dir else [])
    problems += _check_record_values(files, record_values)
    return problems


__all__ = ["audit_outputs"]
