"""The terminal summary of an assessment: what was read, kept, found and written."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from geosafety._levels import LEVELS
from geosafety.analysis.assessment import Assessment
from geosafety.analysis.comparison import Comparison
from geosafety.analysis.partners import PartnerLayer
from geosafety.geography import Placement
from geosafety.measures.categories import slug
from geosafety.report.citations import sentences
from geosafety.report.comparison import comparison_sentences

_REPORT_KIND = {".html": "HTML, opens offline", ".docx": "Word"}


def output_kinds(written: Sequence[Path]) -> dict[str, list[Path]]:
    """Sort written files into tables, plots, maps, figures and the report.

    Examples
    --------
    >>> kinds = output_kinds([Path("out/report/a.html"), Path("maps/lsoa.html"),
    ...                       Path("out/plots/p.png"), Path("out/m.csv")])
    >>> {k: len(v) for k, v in kinds.items()}
    {'table': 1, 'plot': 1, 'map': 1, 'figure': 0, 'report': 1}
    """
    kinds: dict[str, list[Path]] = {k: [] for k in ("table", "plot", "map", "figure",
                                                    "report")}
    for path in written:
        folder = path.parent.name
        kind = ("report" if folder == "report" else "plot" if folder == "plots"
                else "figure" if folder == "figures" else "map" if path.suffix == ".html"
                else "table")
        kinds[kind].append(path)
    return kinds


def summary_lines(result: Assessment, written: Sequence[Path] = (), *,
                  warnings: list[str] | None = None) -> list[str]:
    """Say what an assessment read, kept, found and wrote, in lines for a person to read.

    Parameters
    ----------
    result : Assessment
    written : list of pathlib.Path
        Files written (from :func:`~geosafety.report.write_assessment`), to list.
    warnings : list of str, optional
        Every warning to show; default the assessment's own (``result.warnings``).
    """
    report = result.report
    files = result.files
    vintages = files["lsoa_vintage"].value_counts()
    lines = [
        f"geosafety assessment: {result.area.name}, {result.period.describe()} "
        f"(period {result.period.label})",
        "",
        f"Files read: {len(files)} ({files['first_month'].min()} to {files['last_month'].max()});"
        " LSOA codes: " + ", ".join(f"{v} in {n} file(s)" for v, n in vintages.items()),
        f"Records read: {report.rows_read:,}",
        f"  kept: {report.kept:,}",
    ]
    for reason, count in report.exclusions().items():
        detail = (f" [{report.describe_outside()}]" if reason == Placement.OUTSIDE_AREA
                  else "")
        lines.append(f"  excluded, {reason}: {count:,}{detail}")
    if report.identical_asb:
        lines.append(f"  identical ASB rows (kept: police.uk gives ASB no identifier, and "
                     f"separate incidents at one map point in one month look alike): "
                     f"{report.identical_asb:,}")
    if result.quality is not None:
        said = result.quality.statements()
        gaps = [s for s in said if "missing" in s or "possible change" in s]
        lines.append("Data quality (data_quality.md): " + " ".join(gaps or said[:1]))
    empty = result.area.wards_without_lsoas
    if empty:
        lines.append(f"Wards holding no LSOA (counted with the wards of their LSOAs, no rate): "
                     f"{', '.join(empty)}")
    lines.append("Located by:")
    lines += [f"  {method}: {count:,}" for method, count in report.methods.items()]
    lines += ["", "Reconciliation (records kept = sum of area counts at each level):"]
    table = result.reconciliation[result.reconciliation["period"] == result.period.label]
    width = max(len(c) for c in table["category"])
    lines.append(f"  {'category':<{width}}  {'records':>8}  {'LSOAs':>8}  {'wards':>8}  "
                 f"{'districts':>9}  ok")
    for row in table.itertuples(index=False):
        lines.append(f"  {row.category:<{width}}  {row.records:>8,}  {row.sum_lsoa:>8,}  "
                     f"{row.sum_ward:>8,}  {row.sum_postcode_district:>9,}  "
                     f"{'yes' if row.reconciles else 'NO'}")
    if result.localities is not None and "" in result.locality_measures:
        table = result.locality_measures[""]
        crime = table[(table["category"] == "All crime")
                      & (table["period"].astype(str) == result.period.label)]
        lines += ["", f"Localities ({Path(result.localities.source).name}; "
                      "measures_locality.csv): "
                  + ", ".join(f"{r.area_name} {r.rate:.1f}" for r in crime.itertuples())
                  + " crimes per 1,000 residents"
                  + (f" [{result.localities.note}]" if result.localities.note else "")]
    for layer in result.partners:
        lines += [""] + partner_summary_lines(layer)
    if result.associations is not None:
        cited = sentences(result.associations, result.area)
        headline = cited.get("police.uk|All crime", [])
        lines += ["", f"Deprivation (IoD{result.associations.edition}) and Band A housing: "
                  f"{len(cited)} categories analysed; for example:"]
        lines += [f"  {s}" for s in headline[:1]] + [f"  {s}" for s in headline[-1:]]
    if result.trends is not None and not result.trends.first_to_last.empty:
        change = result.trends.first_to_last.set_index("category")
        basis = "financial years" if result.trends.basis == "financial-year" else "years"
        lines += ["", f"Trends (complete {basis} only; incomplete periods are flagged in "
                  "trends_*.csv): " + ", ".join(
                      f"{c} {row.change_pc:+.0f}% ({row.first_period} to {row.last_period})"
                      for c, row in change.head(4).iterrows())]
    if result.similar is not None:
        lines += ["", "Most similar authorities (similar_areas.csv): "
                  + ", ".join(result.similar["lad_name"].head(10))]
    if result.comparison is not None:
        lines += ["", "Compared with other authorities in the data (comparison/comparison.md):"]
        lines += [f"  {s}" for s in comparison_sentences(result.comparison)
                  if s.startswith(f"{result.area.name}: All crime")
                  or s.startswith(f"{result.area.name}: Anti-social behaviour")]
    times = result.time_of_day
    if times is not None:
        lines += ["", f"Time of day ({times.source}):"]
        lines.append("  times recorded: " + ", ".join(
            f"{row.offences:,} {row[1]}" for row in times.timing.itertuples()))
        night = times.statements[times.statements["profile"] == times.night.name]
        lines += [f"  {s}" for s in night["statement"]]
        if result.premises is not None:
            lines.append(f"  night-time premises on the maps: {len(result.premises):,}")
    shown = result.warnings if warnings is None else warnings
    if shown:
        lines += ["", "Warnings:"] + [f"  - {w}" for w in shown]
    if written:
        kinds = output_kinds(written)
        tables, plots, maps, figures = (kinds[k] for k in ("table", "plot", "map", "figure"))
        lines += ["", f"Wrote {len(tables)} table files to {tables[0].parent}/"]
        lines += [f"  {p.name}" for p in tables]
        if plots:
            lines.append(f"Wrote {len(plots)} plots to {plots[0].parent}/")
        if maps:
            lines.append(f"Wrote {len(maps) - 1} interactive maps (every layer in each) and "
                         f"an index to {maps[0].parent}/ (open {maps[-1]})")
        if figures:
            kinds_drawn = " and ".join(dict.fromkeys(p.suffix[1:].upper() for p in figures))
            lines.append(f"Wrote {len(figures)} print-ready figures ({kinds_drawn}) to "
                         f"{figures[0].parent}/")
        for path in kinds["report"]:
            lines.append(f"Wrote the assessment report ({_REPORT_KIND.get(path.suffix, '')}): "
                         f"{path}")
    return lines


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
        records = f"{_shown(row.records)} records; " if hasattr(row, "records") else ""
        lines.append(f"  {row.category}: {records}placed in {placed}")
    if layer.spec.sensitive:
        lines.append(f"  disclosure control: {layer.suppressed_cells} area cells suppressed "
                     f"(threshold {layer.threshold}; no hidden count can be narrowed from the "
                     f"published figures to fewer than {layer.threshold} values)")
    lines += [f"  note: {n}" for n in layer.notes]
    return lines


def _shown(value: float) -> str:
    return "suppressed" if pd.isna(value) else f"{int(value):,}"


def done_line(result: Assessment, written: Sequence[Path], out_dir: Path | str,
              maps_dir: Path | str | None) -> str:
    """Give the one line a quiet run prints: records kept, and how many files went where.

    For the bundled run: ``Done: 24,064 of 24,064 records kept; 57 table files in output/,
    94 plots, 58 figures, 4 maps in maps/; report in output/report/``.
    """
    found = output_kinds(written)
    kinds = {kind: len(paths) for kind, paths in found.items()}
    tables = next((p.parent for p in found["table"] if p.name == "metadata.json"), out_dir)
    return (f"Done: {result.report.kept:,} of {result.report.rows_read:,} records kept; "
            f"{kinds['table']} table files in {tables}/"
            + (f", {kinds['plot']} plots" if kinds["plot"] else "")
            + (f", {kinds['figure']} figures" if kinds["figure"] else "")
            + (f", {max(kinds['map'] - 1, 0)} maps in {maps_dir}/" if kinds["map"] else "")
            + (f"; report in {found['report'][0].parent}/" if kinds["report"] else ""))


def areas_summary_lines(results: Sequence[Assessment], comparison: Comparison,
                        written: Sequence[Path], *, warnings: list[str] | None = None
                        ) -> list[str]:
    """Say what a run of several authorities read, kept, found and wrote, and how they compare.

    Each authority gets a few lines (records kept, its all-crime and ASB reconciliation, its
    folder); then the comparison's sentences and notes; then every warning.
    """
    lines = [f"geosafety assessment of {len(results)} authorities, "
             f"{comparison.period.describe()}"]
    for result in results:
        table = result.reconciliation[result.reconciliation["period"] == result.period.label]
        totals = table.set_index("category")["records"]
        headline = ", ".join(f"{c} {int(totals[c]):,}" for c in ("All crime",
                                                                 "Anti-social behaviour")
                             if c in totals.index)
        folder = next((p.parent for p in written if p.name == "measures_lsoa.csv"
                       and p.parent.name == slug(result.area.name)), None)
        lines += ["", f"{result.area.name} ({result.area.code}): {result.report.kept:,} of "
                      f"{result.report.rows_read:,} records kept; {headline}"
                  + (f"; written to {folder}/" if folder else "")]
        lines += [f"  {line}" for line in partner_headlines(result)]
    lines += ["", "How they compare (comparison/comparison.md):"]
    lines += [f"  {s}" for s in comparison_sentences(comparison)
              if s.split(": ", 1)[1].startswith(("All crime", "Anti-social behaviour"))]
    lines += [f"  note: {n}" for n in comparison.notes]
    if warnings:
        lines += ["", "Warnings:"] + [f"  - {w}" for w in warnings]
    return lines


def partner_headlines(result: Assessment) -> list[str]:
    """One line per partner layer of an assessment: its source and disclosure control."""
    return [f"{layer.label}: " + ", ".join(
        f"{row.category} {row.records:,}" for row in layer.reconciliation.itertuples()
        if hasattr(row, "records")) for layer in result.partners]
