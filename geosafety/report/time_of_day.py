"""Writing the time-of-day picture: tidy tables, weekday x hour heat maps and citable text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geosafety.analysis.time_of_day import TimeOfDay, profile_table
from geosafety.io.labels import SYNTHETIC_LABEL, file_stem
from geosafety.io.offences import ALL_OFFENCES, CRIMINAL_DAMAGE, VIOLENCE
from geosafety.measures.aoristic import hour_band
from geosafety.measures.categories import slug
from geosafety.render.charts import heat_map
from geosafety.render.drawing import draw
from geosafety.report.markdown import write_markdown
from geosafety.report.tables import Charts, measures_table, write_csv

METHOD_NOTES = {
    "minutes": "offences with a time window are shared across the hours it covers in "
               "proportion to the minutes in each (aoristic)",
    "hours": "offences with a time window are shared equally across the hour blocks it "
             "touches (aoristic)",
}


def time_file_stem(result: TimeOfDay) -> str:
    """Stem of every output file, ``force_SYNTHETIC`` for the example data."""
    return file_stem("force", result.synthetic)


def method_note(result: TimeOfDay) -> str:
    """One sentence on how times were counted, for footnotes and the report."""
    left_out = int(result.timing.iloc[-1]["offences"])
    return (f"Counted by the 'committed from' date; {METHOD_NOTES[result.method]}; "
            f"{left_out:,} offences whose window is longer than {result.max_hours:g} hours are "
            "left out of the hour profiles.")


def write_time_of_day(result: TimeOfDay, folder: Path, *, area_name: str,
                      charts: Charts | None = None) -> list[Path]:
    """Write the time-of-day tables, heat maps (into ``charts``) and ``time_of_day.md``."""
    charts = charts or Charts.beside(folder)
    stem = time_file_stem(result)
    tables = {
        f"{stem}_time_of_week.csv": profile_table(result.profiles),
        f"{stem}_hour_bands.csv": _hour_bands(result),
        f"{stem}_time_statements.csv": result.statements,
        f"{stem}_time_recorded.csv": result.timing,
        f"{stem}_flags.csv": result.flags,
        f"{stem}_flag_pairs.csv": result.flag_pairs,
        f"{stem}_by_financial_year.csv": result.by_financial_year,
        f"{stem}_offence_groups.csv": result.offences,
        f"{stem}_placement.csv": result.placement.rename_axis("placement").rename(
            "offences").reset_index(),
    }
    tables |= {f"{stem}_nte_measures_{level}.csv": measures_table(frame, level)
               for level, frame in result.nte_measures.items()}
    written = [write_csv(frame, folder / name, source=result.source)
               for name, frame in tables.items()]
    for name in dict.fromkeys((ALL_OFFENCES, result.night.name, VIOLENCE, CRIMINAL_DAMAGE,
                               f"{VIOLENCE}, alcohol flagged")):
        if name in result.profiles:
            suffix = f"_{SYNTHETIC_LABEL}" if result.synthetic else ""
            path = charts.path(f"heatmap_{slug(name)}{suffix}.png")
            written += draw(heat_map, result.profiles[name], path=path, result=result,
                            name=name, area_name=area_name, footnote=method_note(result))
    report = folder / f"{stem}_time_of_day.md"
    write_markdown(report, _report(result, area_name))
    written.append(report)
    return written


def _hour_bands(result: TimeOfDay) -> pd.DataFrame:
    rows = []
    for name, profile in result.profiles.items():
        bands = profile.sum(axis=0)
        total = bands.sum()
        for hour, value in bands.items():
            rows.append({"profile": name, "hour_band": hour_band(int(hour)), "offences": value,
                         "share": value / total if total else np.nan})
    return pd.DataFrame(rows)


def _report(result: TimeOfDay, area_name: str) -> str:
    lines = [f"# When crime happens: {area_name}, {result.period.describe()}", ""]
    if result.synthetic:
        lines += [f"**{SYNTHETIC_LABEL} example data, not real records.** Replace it with the "
                  "force's extract (`--force`).", ""]
    lines += [f"Source: {result.source}.", "", f"Method: {method_note(result)} Weekend means "
              "Saturday and Sunday; night-time hours are "
              f"{result.night.hours}; night-time economy (NTE) crime is "
              f"{result.night.name.lower()} in those hours.", ""]
    timing = ", ".join(f"{row.offences:,} {row[1]}" for row in result.timing.itertuples())
    lines += [f"Times recorded: {timing}.", ""]
    for name, rows in result.statements.groupby("profile", sort=False):
        lines += [f"## {name}", ""] + [f"- {s}." for s in rows["statement"]] + [""]
    violent = result.flags[result.flags["scope"] == VIOLENCE].set_index("flag")
    if not violent.empty and violent["offences"].iloc[0]:
        lines += [f"## Flags within {VIOLENCE.lower()}", ""]
        lines += [f"- {flag}: {row['count']:,} ({row['share']:.1%})"
                  for flag, row in violent.iterrows()]
        pairs = result.flag_pairs[result.flag_pairs["scope"] == VIOLENCE].nlargest(3, "count")
        lines += [f"- both {r.flag_a} and {r.flag_b}: {r.count:,} ({r.share:.1%})"
                  for r in pairs.itertuples()] + [""]
    ward = result.nte_measures["ward"]
    name = f"{result.night.name}, {result.night.hours}"
    combined = ward[ward["category"] == name]
    top = combined.nsmallest(3, "rank")
    lines += [f"## NTE crime by ward ({name})", ""]
    lines += [f"- rank {int(r['rank'])}: {r['area_name']}, {r['count']:,.1f} offences "
              f"({r['rate']:.1f} {r['rate_unit']})" for _, r in top.iterrows()]
    return "\n".join(lines) + "\n"
