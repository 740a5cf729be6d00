"""Writing the police.uk data-quality chapter: three tables and a Markdown report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geosafety.analysis.data_quality import ASB_CHANGE, DataQuality
from geosafety.io.police_uk import POLICE_UK_SOURCE
from geosafety.report.markdown import write_markdown
from geosafety.report.tables import write_csv

#: What the report says of each table's columns.
_BY_MONTH_HEADINGS = {
    "month": "Month", "records_read": "Records read", "crimes": "Crimes", "asb": "ASB",
    "asb_share": "ASB %", "no_location": "No location", "outside_area": "Outside the area",
    "crime_types": "Crime types", "asb_flag": "ASB flag"}


def _markdown_table(frame: pd.DataFrame) -> list[str]:
    """Write a frame as Markdown table lines (numbers with thousands separated)."""
    def cell(value: object) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool) and not pd.isna(value):
            return f"{value:,.1f}" if isinstance(value, float) and value % 1 else f"{value:,.0f}"
        return str(value).replace("|", "/") if not pd.isna(value) else "–"
    lines = ["| " + " | ".join(frame.columns) + " |",
             "|" + "|".join("---" for _ in frame.columns) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |"
              for row in frame.itertuples(index=False)]
    return lines


def data_quality_report(quality: DataQuality, *, area_name: str) -> str:
    """Write the chapter's Markdown: what to allow for, then the tables and their method."""
    low, high = ASB_CHANGE
    lines = [f"# police.uk data quality: {area_name}, {quality.period}", "",
             "What a reader of this assessment should allow for in the police.uk data. Every "
             "sentence below is a row of `police_uk_quality_months.csv`, "
             "`police_uk_quality_by_month.csv` or `police_uk_quality_missing_types.csv`.", ""]
    lines += [f"- {s}" for s in quality.statements()]
    lines += ["", "## Months present, by force and year", "",
              "Months with at least one record, from every police.uk file read (any period); "
              "a month missing inside the span of the data is listed.", ""]
    lines += _markdown_table(quality.months.astype({"year": str}).rename(columns={
        "falls_within": "Force", "year": "Year", "months_present": "Months present",
        "months_missing": "Months missing", "records": "Records"}))
    lines += ["", "## The period, month by month", "",
              "Records read in each month of the period; records left out for having no "
              "location (no LSOA code and no usable coordinates) or for falling outside the "
              f"area; crime types recorded. ASB months under {low:g} or over {high:g} times "
              "the period's median month are flagged: such a jump is more often a change in "
              "how incidents are recorded (or, in spring 2020, the recording of breaches of "
              "coronavirus rules as ASB) than a change in behaviour.", ""]
    lines += _markdown_table(quality.by_month[list(_BY_MONTH_HEADINGS)].rename(
        columns=_BY_MONTH_HEADINGS))
    if not quality.missing_types.empty:
        lines += ["", "## Crime types missing in a month", ""]
        lines += _markdown_table(quality.missing_types.rename(columns={
            "crime_type": "Crime type", "months_missing": "Months with no records"}))
    lines += ["", "## Notes", "",
              "- police.uk publishes what forces supply: a month a force did not supply is "
              "absent, not zero, and counts for periods with missing months are incomplete "
              "(compare periods with the same months only).",
              "- Locations are snapped to anonymised map points, and the LSOA is that of the "
              "point; records with neither an LSOA code nor coordinates cannot be mapped.",
              "- LSOA codes change with each census: files using 2011 codes are carried onto "
              "2021 LSOAs through the ONS lookup (see `files_read.csv`).",
              "", f"Source: {POLICE_UK_SOURCE}."]
    return "\n".join(lines) + "\n"


def write_data_quality(quality: DataQuality | None, folder: Path, *,
                       area_name: str) -> list[Path]:
    """Write the chapter's tables and report into ``folder``; return the files written."""
    if quality is None:
        return []
    written = [write_csv(quality.months, folder / "police_uk_quality_months.csv"),
               write_csv(quality.by_month, folder / "police_uk_quality_by_month.csv")]
    if not quality.missing_types.empty:
        written.append(write_csv(quality.missing_types,
                                 folder / "police_uk_quality_missing_types.csv"))
    report = folder / "data_quality.md"
    write_markdown(report, data_quality_report(quality, area_name=area_name))
    return [*written, report]
