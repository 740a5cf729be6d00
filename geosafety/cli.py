"""The ``geosafety`` command: a thin layer over the public API that talks to people."""

from __future__ import annotations

import logging
import re
import sys
import warnings
from pathlib import Path

import click

from geosafety._errors import GeosafetyError, NoRecordsInStudyAreaError
from geosafety.assessment import Assessment, assess
from geosafety.datasets import DATASETS, get_path
from geosafety.locate import OUTSIDE_AREA
from geosafety.offences import GROUPS
from geosafety.outputs import write_assessment
from geosafety.partner_outputs import partner_summary_lines
from geosafety.tables import load_columns
from geosafety.time_of_day import NightTime


def _configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else logging.INFO if verbose == 1 else (
        logging.DEBUG if verbose > 1 else logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def _summary(result: Assessment, written: list[Path]) -> list[str]:
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
        detail = f" [{report.describe_outside()}]" if reason == OUTSIDE_AREA else ""
        lines.append(f"  excluded, {reason}: {count:,}{detail}")
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
    for layer in result.partners:
        lines += [""] + partner_summary_lines(layer)
    if result.associations is not None:
        headline = result.associations.sentences.get("police.uk|All crime", [])
        lines += ["", f"Deprivation (IoD{result.associations.edition}) and Band A housing: "
                  f"{len(result.associations.sentences)} categories analysed; for example:"]
        lines += [f"  {s}" for s in headline[:1]] + [f"  {s}" for s in headline[-1:]]
    if result.trends is not None and not result.trends.first_to_last.empty:
        change = result.trends.first_to_last.set_index("category")
        basis = "financial years" if result.trends.basis == "financial-year" else "years"
        lines += ["", f"Trends (complete {basis} only; incomplete periods are flagged in "
                  "trends_*.csv): " + ", ".join(
                      f"{c} {row.change_pc:+.0f}% ({row.first_period} to {row.last_period})"
                      for c, row in change.head(4).iterrows())]
    times = result.time_of_day
    if times is not None:
        lines += ["", f"Time of day ({times.source}):"]
        lines.append("  times recorded: " + ", ".join(
            f"{row.offences:,} {row[1]}" for row in times.timing.itertuples()))
        night = times.statements[times.statements["profile"] == times.night.name]
        lines += [f"  {s}" for s in night["statement"]]
        if result.premises is not None:
            lines.append(f"  night-time premises on the maps: {len(result.premises):,}")
    if result.warnings:
        lines += ["", "Warnings:"] + [f"  - {w}" for w in result.warnings]
    if written:
        maps = [p for p in written if p.suffix == ".html"]
        figures = [p for p in written if p.parent.name == "figures"]
        plots = [p for p in written if p.parent.name == "plots"]
        tables = [p for p in written if p.suffix != ".html" and p not in figures + plots]
        lines += ["", f"Wrote {len(tables)} table files to {tables[0].parent}/"]
        lines += [f"  {p.name}" for p in tables]
        if plots:
            lines.append(f"Wrote {len(plots)} plots to {plots[0].parent}/")
        if maps:
            lines.append(f"Wrote {len(maps) - 1} interactive maps (every layer in each) and "
                         f"an index to {maps[0].parent}/ (open {maps[-1]})")
        if figures:
            lines.append(f"Wrote {len(figures)} print-ready figures (PNG and SVG) to "
                         f"{figures[0].parent}/")
    return lines


@click.group()
@click.version_option(package_name="geosafety")
def main() -> None:
    """Geospatial evidence for Community Safety Strategic Assessments."""


@main.command("assess")
@click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
              help="police.uk street CSV (.csv/.csv.gz), monthly .zip archive or folder. "
                   "Repeat for several. Default: bundled Sefton police.uk data for 2025.")
@click.option("--period", default=None,
              help="'2025', '2024/25' (April-March), '2025Q1', '2025-03' or "
                   "'2025-01:2025-06'. Default: 2025 for bundled data, else all months.")
@click.option("--by", type=click.Choice(["month", "quarter", "year", "financial-year"]),
              default=None, help="Also tabulate these sub-periods.")
@click.option("--out-dir", default="output", show_default=True, type=click.Path(path_type=Path),
              help="Folder for tables, GeoPackage and metadata.")
@click.option("--maps-dir", default="maps", show_default=True, type=click.Path(path_type=Path),
              help="Folder for the HTML maps.")
@click.option("--no-maps", is_flag=True, help="Write tables only.")
@click.option("--fire", multiple=True, type=click.Path(path_type=Path),
              help="Fire and rescue incident extract (CSV or Excel). Repeatable.")
@click.option("--marac", multiple=True, type=click.Path(path_type=Path),
              help="MARAC case records (CSV or Excel). Sensitive: disclosure-controlled.")
@click.option("--cjit", multiple=True, type=click.Path(path_type=Path),
              help="CJIT client records (CSV or Excel). Sensitive: disclosure-controlled.")
@click.option("--counts", "counts", multiple=True, metavar="KIND:LEVEL:FILE",
              help="Pre-aggregated partner counts, e.g. cjit:ward:cjit_by_ward.csv "
                   "(KIND fire|marac|cjit; LEVEL lsoa|ward|postcode_district).")
@click.option("--columns", "columns_file", type=click.Path(path_type=Path),
              help="TOML or JSON column mapping with [fire], [marac], [cjit], [counts], "
                   "[force], [premises] sections, e.g. [fire] incident_id = \"IncNo\".")
@click.option("--threshold", default=5, show_default=True, type=click.IntRange(2, 100),
              help="Disclosure control for MARAC and CJIT: counts below this are suppressed.")
@click.option("--force", "force", multiple=True, type=click.Path(path_type=Path),
              help="Police force crime extract with offence date/time windows, offence and "
                   "flags (CSV or Excel), for the time-of-day and night-time economy tables. "
                   "Repeatable.")
@click.option("--premises", multiple=True, type=click.Path(path_type=Path),
              help="Night-time premises (LLPG or licensing extract with easting/northing) "
                   "drawn as points on the maps. Repeatable.")
@click.option("--nte-hours", default="18-3", show_default=True, metavar="FIRST-LAST",
              help="Night-time hours, FIRST:00 to LAST:59, wrapping past midnight.")
@click.option("--nte-groups", default=None, metavar="GROUP;GROUP",
              help="Offence groups counted as night-time economy crime, separated by ';'. "
                   "Default: 'Violence against the person;Criminal damage and arson'.")
@click.option("--aoristic", type=click.Choice(["minutes", "hours"]), default="minutes",
              show_default=True,
              help="Share a time window among hours by minutes in each, or equally among "
                   "the hours it touches.")
@click.option("--max-window-hours", default=168.0, show_default=True,
              type=click.FloatRange(min=0),
              help="Time windows longer than this are left out of the hour profiles.")
@click.option("--no-examples", is_flag=True,
              help="Leave out the bundled SYNTHETIC fire, MARAC, CJIT, force extract and "
                   "premises examples (they are included only when no data is given).")
@click.option("-v", "--verbose", count=True, help="Log more (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and the final line.")
def assess_command(data: tuple[Path, ...], period: str | None, by: str | None, out_dir: Path,
                   maps_dir: Path, no_maps: bool, fire: tuple[Path, ...],
                   marac: tuple[Path, ...], cjit: tuple[Path, ...], counts: tuple[str, ...],
                   columns_file: Path | None, threshold: int, force: tuple[Path, ...],
                   premises: tuple[Path, ...], nte_hours: str, nte_groups: str | None,
                   aoristic: str, max_window_hours: float, no_examples: bool, verbose: int,
                   quiet: bool) -> None:
    """Run a community safety assessment and write tables and maps."""
    _configure_logging(verbose, quiet)
    try:
        parsed_counts = tuple(_parse_counts(c) for c in counts)
        night = _parse_night(nte_hours, nte_groups)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # every warning is repeated in the summary
            result = assess(
                list(data) or None, period=period, by=by, progress=not quiet,
                fire=list(fire) or None, marac=list(marac) or None, cjit=list(cjit) or None,
                counts=parsed_counts, columns=load_columns(columns_file),
                threshold=threshold, examples=False if no_examples else None,
                force=list(force) or None, premises=list(premises) or None, night=night,
                aoristic=aoristic, max_window_hours=max_window_hours)
        written = write_assessment(result, out_dir, None if no_maps else maps_dir,
                                   progress=not quiet)
    except NoRecordsInStudyAreaError as error:
        click.echo(f"Nothing to assess: {error}", err=True)
        sys.exit(2)
    except (GeosafetyError, ValueError) as error:
        click.echo(f"Error: {error}", err=True)
        click.echo("Nothing was written.", err=True)
        sys.exit(2)
    maps = sum(p.suffix == ".html" for p in written)
    plots = sum(p.parent.name == "plots" for p in written)
    figures = sum(p.parent.name == "figures" for p in written)
    done = (f"Done: {result.report.kept:,} of {result.report.rows_read:,} records kept; "
            f"{len(written) - maps - plots - figures} table files in {out_dir}/"
            + (f", {plots} plots" if plots else "")
            + (f", {figures} figures" if figures else "")
            + (f", {max(maps - 1, 0)} maps in {maps_dir}/" if maps else ""))
    click.echo(done if quiet else "\n".join([*_summary(result, written), "", done]))


def _parse_night(hours: str, groups: str | None) -> NightTime:
    match = re.fullmatch(r"\s*(\d{1,2})\s*-\s*(\d{1,2})\s*", hours)
    if not match or not all(0 <= int(h) <= 23 for h in match.groups()):
        raise click.BadParameter(f"{hours!r}: expected FIRST-LAST hours 0-23, e.g. 18-3 for "
                                 "18:00 to 03:59", param_hint="--nte-hours")
    chosen = NightTime().groups
    if groups:
        chosen = tuple(g.strip() for g in groups.split(";") if g.strip())
        unknown = [g for g in chosen if g not in GROUPS]
        if unknown:
            raise click.BadParameter(f"unknown offence group(s) {unknown}; choose from "
                                     f"{list(GROUPS)}", param_hint="--nte-groups")
    return NightTime(chosen, int(match.group(1)), int(match.group(2)))


def _parse_counts(text: str) -> tuple[str, str, Path]:
    parts = text.split(":", 2)
    if len(parts) != 3 or parts[0] not in ("fire", "marac", "cjit") or parts[1] not in (
            "lsoa", "ward", "postcode_district"):
        raise click.BadParameter(
            f"{text!r}: expected KIND:LEVEL:FILE with KIND fire|marac|cjit and LEVEL "
            "lsoa|ward|postcode_district, e.g. cjit:ward:cjit_by_ward.csv", param_hint="--counts")
    return parts[0], parts[1], Path(parts[2])


@main.command("make-synthetic")
@click.argument("folder", type=click.Path(path_type=Path), default=Path("data/synthetic"))
@click.option("--seed", default=2025, show_default=True, help="Random seed.")
def make_synthetic_command(folder: Path, seed: int) -> None:
    """Write the SYNTHETIC example partner files and force extract (not real records)."""
    from geosafety.synthetic import make_synthetic
    from geosafety.synthetic_force import make_synthetic_force

    for path in [*make_synthetic(folder, seed=seed), *make_synthetic_force(folder, seed=seed)]:
        click.echo(f"wrote {path}")


@main.command("datasets")
def datasets_command() -> None:
    """List the bundled datasets with their paths."""
    for name, (_, _, description) in DATASETS.items():
        click.echo(f"{name:<32} {description}\n{'':<32} {get_path(name)}")


if __name__ == "__main__":  # pragma: no cover
    main()
