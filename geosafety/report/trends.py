"""Writing trends: the series by financial and calendar year, and a chart per category."""

from __future__ import annotations

from pathlib import Path

from geosafety.analysis.trends import Trends
from geosafety.measures.categories import slug
from geosafety.render.charts import trend_chart
from geosafety.render.drawing import draw
from geosafety.report.tables import Charts, write_csv


def write_trends(trends: Trends, folder: Path, *, area_name: str, footnote: str,
                 charts: Charts | None = None) -> list[Path]:
    """Write trend tables into ``folder`` and a chart per category into ``charts``."""
    charts = charts or Charts.beside(folder)
    tables = {"trends_financial_year.csv": trends.by_financial_year,
              "trends_calendar_year.csv": trends.by_year,
              "trends_first_to_last.csv": trends.first_to_last.assign(basis=trends.basis),
              "trends_wards_rose_fell.csv": trends.ward_changes.assign(basis=trends.basis)}
    written = [write_csv(frame, folder / name) for name, frame in tables.items()]
    table = trends.by_financial_year if trends.basis == "financial-year" else trends.by_year
    for category, rows in table.groupby("category", sort=False):
        written += draw(trend_chart, rows, path=charts.path(f"trend_{slug(str(category))}.png"),
                        category=str(category), area_name=area_name, basis=trends.basis,
                        footnote=footnote)
    return written
