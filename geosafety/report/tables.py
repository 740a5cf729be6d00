"""Writing tables: tidy CSV files and a GeoPackage of every layer.

Measures are written one row per area x category x period, first columns ``level`` and
``area_code``; the rate is ``rate`` with ``rate_unit`` beside it, as in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geosafety._levels import LEVELS
from geosafety.analysis.assessment import Assessment
from geosafety.geography.localities import locality_areas
from geosafety.io.labels import file_stem
from geosafety.measures.categories import slug

#: How floats are written: six significant figures.
FLOAT_FORMAT = "%.6g"


def measures_table(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    """Measures of one level (indexed by area code) as written: ``level``, ``area_code``, ...

    Examples
    --------
    >>> frame = pd.DataFrame({"count": [3]}, index=pd.Index(["E05000942"], name="area_code"))
    >>> measures_table(frame, "ward").to_dict("records")
    [{'level': 'Ward', 'area_code': 'E05000942', 'count': 3}]
    """
    table = frame.reset_index()
    table.insert(0, "level", LEVELS[level])
    return table


#: Text a spreadsheet would take as a formula: starting =, +, @, tab or carriage return, or
#: a minus sign not starting a number (OWASP's "CSV injection").
_FORMULA = r"^(?:[=+@\t\r]|-(?=[^0-9.]))"


def inert_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix an apostrophe to text cells a spreadsheet would run as a formula.

    Crime types, categories and names come from the data; a cell such as
    ``=HYPERLINK(...)`` would otherwise run when the CSV is opened in Excel. Numbers,
    including negative ones, are left alone.

    Examples
    --------
    >>> frame = pd.DataFrame({"category": ["=1+1", "Burglary", "-", "-x"], "n": [-1, 2, 3, 4]})
    >>> inert_formulas(frame)["category"].tolist()
    ["'=1+1", 'Burglary', '-', "'-x"]
    """
    text = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(
        frame[c].dtype)]
    risky = {c: frame[c].astype(str).str.contains(_FORMULA, regex=True) & frame[c].notna()
             for c in text}
    risky = {c: mask for c, mask in risky.items() if mask.any()}
    if not risky:
        return frame
    out = frame.copy()
    for column, mask in risky.items():
        out[column] = out[column].astype(object)
        out.loc[mask, column] = "'" + out.loc[mask, column].astype(str)
    return out


@dataclass(frozen=True)
class Charts:
    """Where a run's charts are written, and how the chapter reports link to them.

    By default charts go to ``plots/`` beside the tables; a run folder puts them in its
    ``figures/`` (see :func:`~geosafety.report.write_run`), linked as ``../figures``.

    Examples
    --------
    >>> charts = Charts(Path("run/figures"), "../figures")
    >>> charts.href("trend_all-crime.png")
    '../figures/trend_all-crime.png'
    """

    folder: Path
    link: str = "plots"

    @classmethod
    def beside(cls, tables: Path) -> Charts:
        """Charts in ``plots/`` beside the tables (the default layout)."""
        return cls(tables / "plots", "plots")

    def path(self, name: str) -> Path:
        """Return the file a chart is written to, making its folder."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / name

    def href(self, name: str) -> str:
        """Return the chart's address from the tables folder, for Markdown reports."""
        return f"{self.link}/{name}"


def write_csv(frame: pd.DataFrame, path: Path, *, source: str | None = None,
              float_format: str | None = FLOAT_FORMAT) -> Path:
    """Write a table without its index; ``source`` (if given) becomes the first column.

    Text that a spreadsheet would run as a formula is written inert (:func:`inert_formulas`).
    """
    if source is not None:
        frame = frame.copy()
        frame.insert(0, "source", source)
    inert_formulas(frame).to_csv(path, index=False, float_format=float_format)
    return path


def write_police_uk_tables(result: Assessment, folder: Path) -> list[Path]:
    """Write the police.uk measures per level and what was read, kept and left out."""
    written = [write_csv(measures_table(frame, level), folder / f"measures_{level}.csv")
               for level, frame in result.measures.items()]
    tables = {
        "reconciliation.csv": result.reconciliation,
        "files_read.csv": result.files,
        "excluded_records.csv": result.report.excluded,
        "location_methods.csv": result.report.methods.rename_axis("method").reset_index(),
    }
    written += [write_csv(frame, folder / name, float_format=None)
                for name, frame in tables.items()]
    return written


def _wide(frame: pd.DataFrame, period: str, *, count_dtype: str) -> pd.DataFrame:
    """One row per area, ``<category>__<measure>`` columns, numeric types kept."""
    frame = frame[frame["period"] == period]
    columns = {}
    for measure in ("count", "rate", "rank", "decile"):
        table = frame.pivot(columns="category", values=measure)
        dtype = {"count": count_dtype, "rate": "float64"}.get(measure, "Int64")
        for category in table.columns:
            columns[f"{slug(category).replace('-', '_')}__{measure}"] = (
                table[category].astype(dtype))
    return pd.DataFrame(columns)


def write_geopackage(result: Assessment, path: Path) -> Path:
    """Write one polygon layer per level (and per partner source and level, and locality).

    Column names are ``<category-slug>__count``, ``__rate``, ``__rank`` and ``__decile``,
    with the layer's ``rate_unit`` in a column of its own; suppressed cells are empty.
    """
    layers = [(level, level, result.measures[level]) for level in LEVELS]
    layers += [(f"{layer.file_stem}_{level}", level, frame)
               for layer in result.partners for level, frame in layer.measures.items()]
    if result.time_of_day is not None:
        stem = file_stem("force", result.time_of_day.synthetic)
        layers += [(f"{stem}_nte_{level}", level, frame)
                   for level, frame in result.time_of_day.nte_measures.items()]
    if result.localities is not None:
        layers += [(f"{stem}_locality" if stem else "locality", "locality", frame)
                   for stem, frame in result.locality_measures.items()]
    for name, level, frame in layers:
        count_dtype = "float64" if frame["count"].dtype.kind == "f" else "Int64"
        areas = (locality_areas(result.area, result.localities)
                 if level == "locality" and result.localities is not None
                 else result.area.areas(level))
        layer = areas.join(_wide(frame, result.period.label, count_dtype=count_dtype))
        layer["rate_unit"] = frame["rate_unit"].iloc[0]
        gpd.GeoDataFrame(layer.reset_index(names="area_code"), geometry="geometry",
                         crs=areas.crs).to_file(path, layer=name, driver="GPKG",
                                                engine="pyogrio")
    return path
