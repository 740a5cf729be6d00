"""Stage 7, report: the written assessment.

Tidy CSV tables and a GeoPackage (:mod:`~geosafety.report.tables`), metadata, the chapter
reports in Markdown with citation-ready sentences, the terminal summary
(:func:`summary_lines`), and :func:`write_assessment`, which writes everything (maps and
figures through :mod:`geosafety.render`) so that a failure leaves nothing half-written.
"""

from geosafety.report.assessment_report import (
    FigureFolders,
    assessment_document,
    write_report,
)
from geosafety.report.citations import sentences
from geosafety.report.comparison import write_comparison
from geosafety.report.manifest import read_manifest, write_manifest
from geosafety.report.metadata import METHODS, assessment_metadata
from geosafety.report.summary import areas_summary_lines, done_line, summary_lines
from geosafety.report.tables import measures_table, write_geopackage
from geosafety.report.write import (
    run_name,
    staged,
    write_areas,
    write_assessment,
    write_run,
    write_runs,
    write_tables,
)

__all__ = [
    "METHODS", "FigureFolders", "areas_summary_lines", "assessment_document", "write_report",
    "assessment_metadata", "done_line", "measures_table",
    "sentences", "staged", "summary_lines", "write_areas", "write_assessment",
    "write_comparison", "write_geopackage", "write_manifest", "write_tables", "run_name",
    "write_run", "write_runs", "read_manifest",
]
