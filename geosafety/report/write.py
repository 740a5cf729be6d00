"""Writing an assessment: tidy CSV tables, a GeoPackage, metadata, reports, maps and figures.

Everything is written into staging folders beside the destinations first and moved into
place only when all of it has been written, so a failure leaves no half-written output.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path

from geosafety.analysis.assessment import Assessment
from geosafety.analysis.comparison import Comparison
from geosafety.io.police_uk import POLICE_UK_SOURCE
from geosafety.measures.categories import slug
from geosafety.render.assessment_maps import write_maps
from geosafety.render.drawing import drawing
from geosafety.report.assessment_report import FigureFolders, map_links, write_report
from geosafety.report.comparison import write_comparison
from geosafety.report.data_quality import write_data_quality
from geosafety.report.deprivation import write_deprivation
from geosafety.report.localities import write_locality_tables
from geosafety.report.metadata import assessment_metadata
from geosafety.report.partner_tables import write_partner_tables
from geosafety.report.small_areas import write_small_areas
from geosafety.report.tables import (
    Charts,
    write_csv,
    write_geopackage,
    write_police_uk_tables,
)
from geosafety.report.time_of_day import write_time_of_day
from geosafety.report.trends import write_trends

logger = logging.getLogger(__name__)


@contextmanager
def staged(destination: Path) -> Iterator[Path]:
    """Yield a staging folder; on success move its files into ``destination``.

    On any error the staging folder is removed and ``destination`` is untouched.
    """
    destination.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".geosafety-staging-", dir=destination))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        for item in sorted(staging.iterdir()):
            target = destination / item.name
            if item.is_dir() and target.is_dir():
                shutil.rmtree(target)
            os.replace(item, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_tables(result: Assessment, folder: Path, *,
                 charts: Charts | None = None) -> list[Path]:
    """Write every table and chapter report, the GeoPackage and metadata into ``folder``.

    Charts go to ``charts`` (default ``folder/plots``).
    """
    charts = charts or Charts.beside(folder)
    written = write_police_uk_tables(result, folder)
    written += write_data_quality(result.quality, folder, area_name=result.area.name)
    written += write_locality_tables(result, folder)
    for layer in result.partners:
        written += write_partner_tables(layer, folder)
    if result.associations is not None:
        written += write_deprivation(result, result.associations, folder, charts)
    if result.trends is not None:
        written += write_trends(result.trends, folder, area_name=result.area.name, charts=charts,
                                footnote=f"Source: {POLICE_UK_SOURCE}. Hollow points: periods "
                                         "with months missing from the data.")
    if result.time_of_day is not None:
        written += write_time_of_day(result.time_of_day, folder, area_name=result.area.name,
                                     charts=charts)
    written += write_small_areas(result, folder, charts)
    if result.similar is not None:
        written.append(write_csv(result.similar.reset_index(), folder / "similar_areas.csv"))
    if result.comparison is not None:
        written += write_comparison(result.comparison, folder / "comparison")
    written.append(write_geopackage(result, folder / "assessment.gpkg"))
    meta = folder / "metadata.json"
    # "<" only ever occurs inside JSON strings; as \u003c no data-borne markup is live
    # even if the file is served as HTML.
    meta.write_text(json.dumps(assessment_metadata(result), indent=2, default=str).replace(
        "<", "\\u003c"), encoding="utf-8")
    written.append(meta)
    return written


def _write_all(result: Assessment, tables: Path, maps: Path | None, *, charts: Charts,
               figures: Path | None, report: Path, report_final: Path,
               maps_final: Path | None, formats: Sequence[str] | None,
               progress: bool) -> list[Path]:
    """Write tables, charts, maps, figures and the report into the folders given.

    ``report_final`` and ``maps_final`` are where the report and maps will end up, so the
    report links to the maps by the address that will hold once the run is in place. Charts
    and figures are drawn by worker processes while the tables and maps are written; the
    report, which embeds them, is written once they are all drawn.
    """
    for folder in (tables, maps):
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
    with drawing(formats, progress=progress):
        written = write_tables(result, tables, charts=charts)
        if maps is not None:
            written += write_maps(result, maps, figures=figures, progress=progress)
    choropleths = None if maps is None else (figures or maps / "figures")
    links = ([] if maps_final is None or maps is None
             else map_links(maps_final, report_final, written_to=maps))
    written += write_report(result, report, FigureFolders(choropleths, charts.folder),
                            links=links)
    return written


def write_assessment(
    result: Assessment, out_dir: str | Path, maps_dir: str | Path | None, *,
    formats: str | Sequence[str] | None = None, progress: bool = False,
) -> list[Path]:
    """Write tables to ``out_dir`` and maps to ``maps_dir``; nothing is left half-written.

    Charts go to ``out_dir/plots``, print-ready figures to ``maps_dir/figures`` and the
    report to ``out_dir/report`` (see :func:`write_run` for one folder per run). Charts and
    figures are PNG files, with an SVG beside each when ``formats`` includes ``"svg"``
    (see :func:`~geosafety.render.drawing.figure_formats`).

    Returns
    -------
    list of pathlib.Path
        The files written, at their final paths.
    """
    out_dir = Path(out_dir)
    maps_root = None if maps_dir is None else Path(maps_dir)
    with staged(out_dir) as tables_stage, (
            nullcontext(None) if maps_root is None else staged(maps_root)) as maps_stage:
        written = _write_all(result, tables_stage, maps_stage,
                             charts=Charts.beside(tables_stage), figures=None,
                             report=tables_stage / "report", report_final=out_dir / "report",
                             maps_final=maps_root, formats=formats, progress=progress)
    logger.info("Wrote %d files", len(written))
    return [_final(p, [(tables_stage, out_dir), (maps_stage, maps_root)]) for p in written]


def _final(path: Path, places: list[tuple[Path | None, Path | None]]) -> Path:
    """Map a path in a staging folder to where it was moved."""
    for stage, final in places:
        if stage is not None and final is not None and path.is_relative_to(stage):
            return final / path.relative_to(stage)
    return path


def run_name(result: Assessment) -> str:
    """Name a run's folder by area and period, e.g. ``sefton_2025`` or ``wirral_2025q1``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> run_name(SimpleNamespace(area=SimpleNamespace(name="St. Helens"),
    ...                          period=SimpleNamespace(label="2024/25")))
    'st-helens_2024-25'
    """
    return f"{slug(result.area.name)}_{slug(result.period.label)}"


def comparison_name(comparison: Comparison) -> str:
    """Name the folder of a comparison of several runs, e.g. ``comparison_2025``."""
    return f"comparison_{slug(comparison.period.label)}"


def write_run(result: Assessment, root: str | Path, *, maps: bool = True,
              formats: str | Sequence[str] | None = None,
              progress: bool = False) -> list[Path]:
    """Write one run into its own folder, ``root/<area>_<period>/``.

    The folder holds ``tables/`` (CSV, GeoPackage, metadata and the chapter reports),
    ``figures/`` (charts and print-ready maps), ``maps/`` (the interactive maps) and
    ``report/`` (the assessment in HTML and Word); the CLI adds ``manifest.json``. The whole
    folder is written beside its destination and moved into place when complete, replacing
    an earlier run of the same area and period; nothing is left half-written.

    Returns
    -------
    list of pathlib.Path
        The files written, at their final paths.
    """
    return write_runs([result], None, root, maps=maps, formats=formats, progress=progress)


def write_run_folder(result: Assessment, stage: Path, root: Path, *, maps: bool = True,
                     formats: str | Sequence[str] | None = None,
                     progress: bool = False) -> list[Path]:
    """Write one run's folder into ``stage``, to be moved into ``root`` (see :func:`write_run`).

    Links inside the folder are made for its final place, ``root/<area>_<period>/``. Returns
    the files written, in ``stage``.
    """
    name = run_name(result)
    run = stage / name
    return _write_all(result, run / "tables", run / "maps" if maps else None,
                      charts=Charts(run / "figures", "../figures"), figures=run / "figures",
                      report=run / "report", report_final=root / name / "report",
                      maps_final=root / name / "maps" if maps else None, formats=formats,
                      progress=progress)


def write_runs(results: list[Assessment], comparison: Comparison | None, root: str | Path, *,
               maps: bool = True, formats: str | Sequence[str] | None = None,
               progress: bool = False) -> list[Path]:
    """Write each assessment into its own run folder under ``root`` (see :func:`write_run`).

    A comparison of several authorities goes to ``root/comparison_<period>/``.
    """
    root = Path(root)
    written: list[Path] = []
    with staged(root) as stage, drawing(formats, progress=progress):
        for result in results:
            written += write_run_folder(result, stage, root, maps=maps, formats=formats,
                                        progress=progress)
        if comparison is not None:
            written += write_comparison(
                comparison, stage / comparison_name(comparison))
    return [root / p.relative_to(stage) for p in written]


def area_folder(result: Assessment) -> str:
    """Name the folder of one authority's outputs in a run of several, e.g. ``st-helens``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> area_folder(SimpleNamespace(area=SimpleNamespace(name="St. Helens")))
    'st-helens'
    """
    return slug(result.area.name)


def write_areas(results: list[Assessment], comparison: Comparison, out_dir: str | Path,
                maps_dir: str | Path | None, *, formats: str | Sequence[str] | None = None,
                progress: bool = False) -> list[Path]:
    """Write each authority's outputs in its own folder and the comparison beside them.

    ``out_dir/<authority>/`` and ``maps_dir/<authority>/`` hold each authority's tables and
    maps as :func:`write_assessment` writes them; ``out_dir/comparison/`` holds the
    comparison. Nothing is left half-written if any of it fails.
    """
    out_dir = Path(out_dir)
    maps_root = None if maps_dir is None else Path(maps_dir)
    written: list[Path] = []
    with staged(out_dir) as tables_stage, (
            nullcontext(None) if maps_root is None else staged(maps_root)) as maps_stage, \
            drawing(formats, progress=progress):
        for result in results:
            folder = area_folder(result)
            written += write_assessment(result, tables_stage / folder,
                                        None if maps_stage is None else maps_stage / folder,
                                        formats=formats, progress=progress)
        written += write_comparison(comparison, tables_stage / "comparison")
    final = []
    for path in written:
        if path.is_relative_to(tables_stage):
            final.append(out_dir / path.relative_to(tables_stage))
        elif maps_stage is not None and maps_root is not None:
            final.append(maps_root / path.relative_to(maps_stage))
    return final
