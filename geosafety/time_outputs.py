"""Writing the time-of-day picture: tidy tables, weekday x hour heat maps and citable text."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from geosafety.aoristic import hour_band  # noqa: E402
from geosafety.categories import slug  # noqa: E402
from geosafety.offences import ALL_OFFENCES, CRIMINAL_DAMAGE, VIOLENCE  # noqa: E402
from geosafety.partners import SYNTHETIC_LABEL  # noqa: E402
from geosafety.time_of_day import TimeOfDay, profile_table  # noqa: E402

METHOD_NOTES = {
    "minutes": "offences with a time window are shared across the hours it covers in "
               "proportion to the minutes in each (aoristic)",
    "hours": "offences with a time window are shared equally across the hour blocks it "
             "touches (aoristic)",
}


def file_stem(result: TimeOfDay) -> str:
    """Stem of every output file, ``force_SYNTHETIC`` for the example data."""
    return f"force_{SYNTHETIC_LABEL}" if result.synthetic else "force"


def method_note(result: TimeOfDay) -> str:
    """One sentence on how times were counted, for footnotes and the report."""
    left_out = int(result.timing.iloc[-1]["offences"])
    return (f"Counted by the 'committed from' date; {METHOD_NOTES[result.method]}; "
            f"{left_out:,} offences whose window is longer than {result.max_hours:g} hours are "
            "left out of the hour profiles.")


def write_time_of_day(result: TimeOfDay, folder: Path, *, area_name: str) -> list[Path]:
    """Write the time-of-day tables, heat maps (``plots/``) and ``time_of_day.md``."""
    stem = file_stem(result)
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
    tables |= {f"{stem}_nte_measures_{level}.csv": frame
               for level, frame in result.nte_measures.items()}
    written = []
    for name, frame in tables.items():
        labelled = frame.copy()
        labelled.insert(0, "source", result.source)
        labelled.to_csv(folder / name, index=False, float_format="%.6g")
        written.append(folder / name)
    plots = folder / "plots"
    plots.mkdir(exist_ok=True)
    for name in dict.fromkeys((ALL_OFFENCES, result.night.name, VIOLENCE, CRIMINAL_DAMAGE,
                               f"{VIOLENCE}, alcohol flagged")):
        if name in result.profiles:
            suffix = f"_{SYNTHETIC_LABEL}" if result.synthetic else ""
            path = plots / f"heatmap_{slug(name)}{suffix}.png"
            written += heat_map(result.profiles[name], path, result=result, name=name,
                                area_name=area_name)
    report = folder / f"{stem}_time_of_day.md"
    report.write_text(_report(result, area_name), encoding="utf-8")
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


def heat_map(profile: pd.DataFrame, path: Path, *, result: TimeOfDay, name: str,
             area_name: str) -> list[Path]:
    """Draw a weekday x hour heat map (PNG and SVG) with the night-time hours outlined."""
    fig, ax = plt.subplots(figsize=(11, 4.6), dpi=150)
    values = profile.to_numpy()
    image = ax.imshow(values, cmap="YlOrRd", aspect="auto")
    for (row, col), value in np.ndenumerate(values):
        ax.text(col, row, f"{value:.0f}", ha="center", va="center", fontsize=6.5,
                color="white" if value > 0.6 * values.max() else "#222")
    ax.set_xticks(range(24), [f"{h:02d}" for h in range(24)], fontsize=8)
    ax.set_yticks(range(7), profile.index, fontsize=8)
    ax.set_xlabel("Hour band (e.g. 18 = 18:00-18:59)", fontsize=8)
    night = result.night
    spans = ([(night.first_hour, night.last_hour)] if night.first_hour <= night.last_hour
             else [(night.first_hour, 23), (0, night.last_hour)])
    for first, last in spans:
        ax.add_patch(Rectangle((first - 0.5, -0.5), last - first + 1, 7, fill=False,
                               edgecolor="#08306b", linewidth=1.6, linestyle="--"))
    totals = profile.sum(axis=1)
    for row, total in enumerate(totals):
        ax.text(24, row, f"{total / totals.sum():.0%}", va="center", fontsize=7.5)
    ax.text(24, -0.9, "share", fontsize=7.5)
    fig.colorbar(image, ax=ax, pad=0.06, shrink=0.8, label="offences (aoristic)")
    title = f"{name}: offences by weekday and hour, {area_name}, {result.period.describe()}"
    fig.suptitle(title, x=0.01, ha="left", fontsize=10.5)
    subtitle = (f"Dashed box: night-time hours {night.hours}. "
                + (f"{SYNTHETIC_LABEL} example data, not real records." if result.synthetic
                   else ""))
    ax.set_title(subtitle, loc="left", fontsize=8, color="#5e3c99" if result.synthetic else
                 "#333", fontweight="bold" if result.synthetic else "normal")
    fig.text(0.01, 0.01, f"Source: {result.source}. {method_note(result)}", fontsize=6.5,
             color="#333", wrap=True)
    fig.tight_layout(rect=(0, 0.05, 1, 0.97))
    fig.savefig(path)
    fig.savefig(path.with_suffix(".svg"))
    plt.close(fig)
    return [path, path.with_suffix(".svg")]


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
              f"({r['rate_per_1000']:.1f} per 1,000 residents)" for _, r in top.iterrows()]
    return "\n".join(lines) + "\n"
