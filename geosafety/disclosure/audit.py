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
import numpy as np
import pandas as pd
import pyogrio

from geosafety._levels import LEVELS
from geosafety.analysis.deprivation import iod_for_area
from geosafety.disclosure.cells import AreaLinks, category_cells, source_model
from geosafety.disclosure.ranges import unprotected
from geosafety.geography import StudyArea
from geosafety.geography.status import Placement

_DERIVED = ("rate", "rank", "decile", "share_of_total")
_MAP_DATA = re.compile(r"var D = (\{.*?\});\n", re.DOTALL)


def _metadata(out_dir: Path) -> dict:
    return json.loads((out_dir / "metadata.json").read_text(encoding="utf-8"))


def _sensitive_stems(out_dir: Path) -> dict[str, int]:
    return {p["file_stem"]: p["disclosure_threshold"]
            for p in _metadata(out_dir).get("partners", []) if p["sensitive"]}


def _check_tables(out_dir: Path, stem: str, threshold: int, area: StudyArea) -> list[str]:
    problems = []
    measures = {}
    for level in LEVELS:
        path = out_dir / f"{stem}_measures_{level}.csv"
        if not path.exists():
            continue
        frame = pd.read_csv(path, dtype={"area_code": str})
        measures[level] = frame
        small = frame["count"].between(1, threshold - 1)
        for i in frame.index[small][:5]:
            problems.append(f"{path.name} row {i + 2}: visible count {int(frame.at[i, 'count'])}")
        hidden = frame["suppressed"].astype(bool)
        shown = frame.loc[hidden, ["count", *[c for c in _DERIVED if c in frame]]].notna()
        for i in shown.index[shown.any(axis=1)][:5]:
            problems.append(f"{path.name} row {i + 2}: suppressed cell shows "
                            f"{list(shown.columns[shown.loc[i]])}")
    return problems + interval_attack(out_dir, stem, threshold, area, measures)


def _published_placement(partner: dict, threshold: int) -> tuple[pd.Series, list[str]]:
    """Placement counts as published (NaN where hidden) and any label that narrows one."""
    values, problems = {}, []
    for reason, shown in partner.get("placement", {}).items():
        text = str(shown)
        if text.isdigit():
            values[reason] = float(text)
        else:
            values[reason] = np.nan
            if text.startswith("fewer than"):
                problems.append(f"placement count {reason!r} reads {text!r}: 1 to "
                                f"{threshold - 1}, narrower than the threshold")
    return pd.Series(values, dtype=float), problems


def _published_groups(out_dir: Path, source: str, category: str) -> dict[str, pd.Series]:
    path = out_dir / "quintiles.csv"
    if not path.exists():
        return {}
    table = pd.read_csv(path)
    rows = table[(table["source"] == source) & (table["category"] == category)]
    events = rows["events"].where(~rows["suppressed"].astype(bool))
    return {f"quintile_{kind}": events[rows["quintiles"] == kind].set_axis(
        rows.loc[rows["quintiles"] == kind, "quintile"].astype(int))
        for kind in rows["quintiles"].unique()}


def _groupings(out_dir: Path, area: StudyArea) -> dict[str, pd.Series]:
    edition = str(_metadata(out_dir).get("deprivation", {}).get("edition", ""))
    year = re.search(r"(20\d\d)", edition)
    if not year:
        return {}
    iod = iod_for_area(area, int(year.group(1)))
    return {"quintile_local": iod["local_quintile"], "quintile_national": iod["national_quintile"]}


def interval_attack(out_dir: str | Path, stem: str, threshold: int, area: StudyArea,
                    measures: dict[str, pd.DataFrame] | None = None) -> list[str]:
    """Bound every hidden cell of a sensitive source from the written tables, as an attacker.

    Reads the published area counts, totals, records, placement counts and quintile totals,
    builds what a reader knows about how they relate (:func:`~geosafety.disclosure.cells.
    source_model`, with the public postcode and LSOA lookups) and returns a problem for each
    hidden cell whose feasible range breaks the protection-interval rule
    (:meth:`~geosafety.disclosure.ranges.FeasibleRange.protected`).
    """
    out_dir = Path(out_dir)
    partner = next(p for p in _metadata(out_dir)["partners"] if p["file_stem"] == stem)
    if measures is None:
        measures = {level: pd.read_csv(path, dtype={"area_code": str}) for level in LEVELS
                    if (path := out_dir / f"{stem}_measures_{level}.csv").exists()}
    totals = pd.read_csv(out_dir / f"{stem}_reconciliation.csv")
    placement, problems = _published_placement(partner, threshold)
    groupings = _groupings(out_dir, area)
    categories = [category_cells(measures, row, published=True, groups=_published_groups(
        out_dir, partner["source"], row["category"])) for _, row in totals.iterrows()]
    links = AreaLinks.of(area, groupings)
    by_postcode = Placement.BY_POSTCODE in placement.index
    for linked in (True, False):
        model, values, _ = source_model(categories, links, by_postcode=by_postcode,
                                        placement=placement if linked else None)
        hidden = {c for c, v in values.items() if np.isnan(v)}
        try:
            narrow = unprotected(model, values, hidden, threshold=threshold)
            break
        except ValueError:  # placement not linked to the records as the method says
            continue
    else:
        return [*problems, f"{stem}: the published figures are inconsistent"]
    names = [c.name for c in categories]
    for cell, found in sorted(narrow.items()):
        where = cell.split("|", 1)
        category = names[int(where[0][1:])] if len(where) == 2 else "placement"
        problems.append(f"{stem}: {category}: hidden {where[-1]} can be narrowed to "
                        f"{found} from published figures")
    return problems


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


__all__ = ["audit_outputs", "interval_attack"]
