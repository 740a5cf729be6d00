"""The ``geosafety`` command: a thin layer over the public API that talks to people.

It turns options into one call of the library, prints the library's summary and every
warning the library raised, and reports errors (any :class:`geosafety.GeosafetyError`) in
one message with exit status 2. Defaults and choices come from the library's constants.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import warnings
from pathlib import Path

import click
from click.core import ParameterSource

import geosafety as gs

_NIGHT = gs.NightTime()
_LEVEL_CHOICES = "|".join(gs.LEVELS)
_KIND_CHOICES = "|".join(gs.PARTNER_KINDS)


def _configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else logging.INFO if verbose == 1 else (
        logging.DEBUG if verbose > 1 else logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


@click.group()
@click.version_option(package_name="geosafety")
def main() -> None:
    """Geospatial evidence for Community Safety Strategic Assessments."""


@main.command("assess")
@click.option("--config", "config", type=click.Path(path_type=Path, dir_okay=False),
              help="A configuration file (geosafety.toml, see `geosafety init`) naming the "
                   "area, period, inputs and options; options given here win over it. "
                   "Default with no data given: the bundled Sefton example's.")
@click.option("--area", "areas", multiple=True, metavar="NAME",
              help="The local authority to assess: a name ('Wirral', 'St Helens') or code "
                   "(E08000015). Repeat for several, or name a police force area or Community "
                   "Safety Partnership ('Merseyside') for all its authorities: each gets its "
                   "own folder, and a comparison is written beside them. Default: Sefton for "
                   "the bundled data, otherwise the authority the police.uk records fall in.")
@click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
              help="police.uk street CSV (.csv/.csv.gz), monthly .zip archive or folder. "
                   "Repeat for several. Default: bundled Sefton police.uk data for 2025.")
@click.option("--period", default=None,
              help="'2025', '2024/25' (April-March), '2025Q1', '2025-03' or "
                   "'2025-01:2025-06'. Default: 2025 for bundled data, else all months.")
@click.option("--by", type=click.Choice(gs.SPLITS), default=None,
              help="Also tabulate these sub-periods.")
@click.option("--trend", "trend", multiple=True, type=click.Path(path_type=Path),
              help="police.uk files, archives or folders of several years for the trend "
                   "tables. Repeatable.")
@click.option("--out-dir", default="output", show_default=True, type=click.Path(path_type=Path),
              help="Folder for tables, GeoPackage and metadata.")
@click.option("--maps-dir", default="maps", show_default=True, type=click.Path(path_type=Path),
              help="Folder for the HTML maps.")
@click.option("--run-folder", type=click.Path(path_type=Path),
              help="Write the run into its own folder under this one, named by area and "
                   "period (e.g. runs/sefton_2025/ with tables/, figures/, maps/, report/ "
                   "and manifest.json), instead of --out-dir and --maps-dir.")
@click.option("--no-maps", is_flag=True, help="Write tables only.")
@click.option("--formats", default=",".join(gs.DEFAULT_FORMATS), show_default=True,
              metavar="png[,svg]", callback=lambda _c, _p, v: _check_formats(v),
              help="Figure and chart files: PNG always; add svg for an editable SVG beside "
                   "each (e.g. --formats png,svg).")
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="Several authorities (--area Merseyside): assess each as a Dask task on a "
                   "local cluster of this many worker processes, run folders written under "
                   "--run-folder (default: --out-dir).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Several authorities: assess each as a Dask task on this running Dask "
                   "scheduler (e.g. tcp://10.0.0.5:8786); --run-folder must be on a file "
                   "system the workers share.")
@click.option("--fire", multiple=True, type=click.Path(path_type=Path),
              help="Fire and rescue incident extract (CSV or Excel). Repeatable.")
@click.option("--marac", multiple=True, type=click.Path(path_type=Path),
              help="MARAC case records (CSV or Excel). Sensitive: disclosure-controlled.")
@click.option("--cjit", multiple=True, type=click.Path(path_type=Path),
              help="CJIT client records (CSV or Excel). Sensitive: disclosure-controlled.")
@click.option("--counts", "counts", multiple=True, metavar="KIND:LEVEL:FILE",
              help="Pre-aggregated partner counts, e.g. cjit:ward:cjit_by_ward.csv "
                   f"(KIND {_KIND_CHOICES}; LEVEL {_LEVEL_CHOICES}).")
@click.option("--columns", "columns_file", type=click.Path(path_type=Path),
              help="TOML or JSON column mapping with "
                   + ", ".join(f"[{s}]" for s in gs.COLUMN_SECTIONS)
                   + " sections, e.g. [fire] incident_id = \"IncNo\".")
@click.option("--comparators", type=click.Path(path_type=Path),
              help="Your own comparator authorities (CSV or Excel of codes or names), "
                   "instead of the ten most similar geosafety finds from open data.")
@click.option("--layer", "layers", multiple=True, type=click.Path(path_type=Path),
              help="A local layer (fly-tipping, road casualties, ...): a TOML file naming "
                   "its files, title, rate base and whether it is sensitive. Repeatable.")
@click.option("--localities", type=click.Path(path_type=Path),
              help="Wards grouped into localities (CSV or Excel with a ward column, name or "
                   "code, and a locality column): every table, figure and the report add a "
                   "locality level.")
@click.option("--threshold", default=gs.THRESHOLD, show_default=True,
              type=click.IntRange(2, 100),
              help="Disclosure control for MARAC and CJIT: counts below this are suppressed.")
@click.option("--confidence", default=95.0, show_default=True, type=click.FloatRange(90, 99.9),
              help="Confidence level (per cent) of every rate's interval and of the "
                   "'higher / similar / lower than the area' flags.")
@click.option("--smooth", type=click.Choice(["global", "spatial"]), default=None,
              help="Rank and colour areas by empirical Bayes smoothed rates (towards the "
                   "area's rate, or towards each area's neighbours) instead of raw rates; "
                   "both are always in the tables.")
@click.option("--force", "force", multiple=True, type=click.Path(path_type=Path),
              help="Police force crime extract with offence date/time windows, offence and "
                   "flags (CSV or Excel), for the time-of-day and night-time economy tables. "
                   "Repeatable.")
@click.option("--premises", multiple=True, type=click.Path(path_type=Path),
              help="Night-time premises (LLPG or licensing extract with easting/northing) "
                   "drawn as points on the maps. Repeatable.")
@click.option("--nte-hours", default=f"{_NIGHT.first_hour}-{_NIGHT.last_hour}",
              show_default=True, metavar="FIRST-LAST",
              help="Night-time hours, FIRST:00 to LAST:59, wrapping past midnight.")
@click.option("--nte-groups", default=None, metavar="GROUP;GROUP",
              help="Offence groups counted as night-time economy crime, separated by ';'. "
                   f"Default: '{';'.join(_NIGHT.groups)}'.")
@click.option("--aoristic", type=click.Choice(gs.AORISTIC_METHODS),
              default=gs.Options().aoristic, show_default=True,
              help="Share a time window among hours by minutes in each, or equally among "
                   "the hours it touches.")
@click.option("--max-window-hours", default=gs.MAX_HOURS, show_default=True,
              type=click.FloatRange(min=0),
              help="Time windows longer than this are left out of the hour profiles.")
@click.option("--examples/--no-examples", "examples", default=None,
              help="Add (or leave out) the bundled SYNTHETIC fire, MARAC, CJIT, force "
                   "extract and premises examples. Default: only when no data is given.")
@click.option("--no-cache", is_flag=True,
              help="Read every police.uk file afresh, without the read cache (see "
                   "GEOSAFETY_CACHE_DIR in the README).")
@click.option("-v", "--verbose", count=True, help="Log more (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and the final line.")
def assess_command(**given: object) -> None:
    """Run a community safety assessment and write tables and maps."""
    context = click.get_current_context()
    explicit = {name: value for name, value in given.items()
                if context.get_parameter_source(name) is not ParameterSource.DEFAULT}
    config_path = given["config"]
    assert config_path is None or isinstance(config_path, Path)
    if config_path is None and not (set(explicit) & _DATA_OPTIONS):
        config_path = gs.EXAMPLE_CONFIG  # the bundled example, as a configuration
    try:
        config = gs.load_config(config_path) if config_path else None
    except gs.GeosafetyError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    values = {**given, **(gs.config_values(config, explicit) if config else explicit)}
    if given["config"] is None and config is not None:
        # the bundled example's output folders are the command's own (here, not beside the
        # example's file inside the package)
        values.update({name: given[name] for name in ("out_dir", "maps_dir")
                       if name not in explicit})
    _run(values, config.columns if config else {}, config_path)


#: Options that give data or choose an area: with none of them (and no --config), the
#: bundled example runs.
_DATA_OPTIONS = {"areas", "data", "trend", "fire", "marac", "cjit", "counts", "force",
                 "premises"}


def _run(values: dict, inline_columns: dict[str, dict[str, str]],
         config_path: Path | None) -> None:
    """Assess with the merged option values; print the summary; exit 2 on a known error."""
    quiet = bool(values["quiet"])
    out_dir = Path(values["out_dir"])
    _configure_logging(int(values["verbose"]), quiet)
    parsed_counts = tuple(_parse_counts(str(c)) for c in values["counts"])
    options = gs.Options(threshold=values["threshold"],
                         night=_parse_night(values["nte_hours"], values["nte_groups"]),
                         aoristic=values["aoristic"],
                         max_window_hours=values["max_window_hours"],
                         confidence=values["confidence"], smooth=values["smooth"])
    maps = None if values["no_maps"] else Path(values["maps_dir"])
    formats = _check_formats(values["formats"])
    areas, period, by = values["areas"], values["period"], values["by"]
    reads = gs.cache_at("off") if values["no_cache"] else contextlib.nullcontext()
    with warnings.catch_warnings(record=True) as caught, reads:
        warnings.simplefilter("always")
        try:
            columns = {**inline_columns, **gs.load_columns(values["columns_file"])}
            inputs = gs.Inputs(
                police_uk=list(values["data"]) or None, trend=list(values["trend"]) or None,
                fire=list(values["fire"]) or None, marac=list(values["marac"]) or None,
                cjit=list(values["cjit"]) or None, counts=parsed_counts,
                force=list(values["force"]) or None,
                premises=list(values["premises"]) or None, columns=columns,
                comparators=values["comparators"], localities=values["localities"],
                layers=tuple(values["layers"]))
            codes = list(dict.fromkeys(c for a in areas for c in gs.find_authorities(a)))
            run_root = values["run_folder"]
            previous = None
            cluster = values["workers"] is not None or values["scheduler"] is not None
            if cluster and len(codes) < 2:
                raise gs.InvalidOptionError(
                    "--workers and --scheduler assess several authorities at once (e.g. "
                    "--area Merseyside); for one authority leave them out.")
            if cluster:
                run_root = run_root or out_dir
                several, written = gs.assess_areas_on_cluster(
                    inputs, areas=codes, root=run_root, period=period, by=by, options=options,
                    maps=maps is not None, formats=formats, scheduler=values["scheduler"],
                    workers=values["workers"], progress=not quiet)
                out_dir = Path(run_root)
            elif len(codes) > 1:
                several = gs.assess_areas(inputs, areas=codes, period=period, by=by,
                                          options=options, progress=not quiet)
                if run_root is None:
                    written = gs.write_areas(several.assessments, several.comparison, out_dir,
                                             maps, formats=formats, progress=not quiet)
                else:
                    written = gs.write_runs(several.assessments, several.comparison, run_root,
                                            maps=maps is not None, formats=formats,
                                            progress=not quiet)
                    out_dir = Path(run_root)
            else:
                area = gs.StudyArea.for_authority(codes[0]) if codes else None
                result = gs.assess(inputs, area=area, period=period, by=by, options=options,
                                   examples=values["examples"], progress=not quiet)
                if run_root is None:
                    written = gs.write_assessment(result, out_dir, maps, formats=formats,
                                                  progress=not quiet)
                else:
                    out_dir = Path(run_root) / gs.run_name(result)
                    previous = gs.read_manifest(out_dir)  # the run folder is replaced
                    written = gs.write_run(result, run_root, maps=maps is not None,
                                           formats=formats, progress=not quiet)
                    maps = None if maps is None else out_dir / "maps"
            manifest_path, manifest = gs.write_manifest(
                out_dir, written=written, inputs=inputs, config=config_path, previous=previous,
                settings={k: v for k, v in values.items() if k != "config"})
        except gs.GeosafetyError as error:
            _echo_warnings(caught, err=True)
            lead = "Nothing to assess" if isinstance(error, gs.NoRecordsInStudyAreaError) else (
                "Error")
            click.echo(f"{lead}: {error}", err=True)
            click.echo("Nothing was written.", err=True)
            sys.exit(2)
    shown = list(dict.fromkeys(str(w.message) for w in caught))
    if len(codes) > 1:
        each = "<authority>_<period>" if values["run_folder"] else "<authority>"
        compared = "comparison_<period>" if values["run_folder"] else "comparison"
        done = (f"Done: {len(several.assessments)} authorities written to {out_dir}/{each}/"
                f", comparison in {out_dir}/{compared}/")
        lines = gs.areas_summary_lines(several.assessments, several.comparison, written,
                                       warnings=shown)
    else:
        done = gs.done_line(result, written, out_dir, maps)
        lines = gs.summary_lines(result, written, warnings=shown)
    lines += ["", _manifest_line(manifest_path, manifest)]
    click.echo(done if quiet else "\n".join([*lines, "", done]))


def _manifest_line(path: Path, manifest: dict) -> str:
    compared = manifest["compared"]
    if compared.get("previous_run") is None:
        return f"Manifest (inputs and outputs with SHA-256 digests): {path}"
    if compared["tables_identical"]:
        return (f"Manifest: {path}; every table and report is byte-identical to the previous "
                f"run's ({compared['previous_run']})")
    changes = [f"{len(compared[k])} {k}" for k in ("changed", "added", "removed")
               if compared[k]]
    return (f"Manifest: {path}; tables differ from the previous run's "
            f"({compared['previous_run']}): {', '.join(changes)}, e.g. "
            f"{(compared['changed'] + compared['added'] + compared['removed'])[0]}")



def _echo_warnings(caught: list[warnings.WarningMessage], *, err: bool) -> None:
    for message in dict.fromkeys(str(w.message) for w in caught):
        click.echo(f"Warning: {message}", err=err)


def _check_formats(value: str | tuple[str, ...]) -> tuple[str, ...]:
    try:
        return gs.figure_formats(value)
    except gs.InvalidOptionError as error:
        raise click.BadParameter(str(error), param_hint="--formats") from error


def _parse_night(hours: str, groups: str | None) -> gs.NightTime:
    match = re.fullmatch(r"\s*(\d{1,2})\s*-\s*(\d{1,2})\s*", hours)
    if not match or not all(0 <= int(h) <= 23 for h in match.groups()):
        raise click.BadParameter(f"{hours!r}: expected FIRST-LAST hours 0-23, e.g. 18-3 for "
                                 "18:00 to 03:59", param_hint="--nte-hours")
    chosen = _NIGHT.groups
    if groups:
        chosen = tuple(g.strip() for g in groups.split(";") if g.strip())
        unknown = [g for g in chosen if g not in gs.OFFENCE_GROUPS]
        if unknown:
            raise click.BadParameter(f"unknown offence group(s) {unknown}; choose from "
                                     f"{list(gs.OFFENCE_GROUPS)}", param_hint="--nte-groups")
    return gs.NightTime(chosen, int(match.group(1)), int(match.group(2)))


def _parse_counts(text: str) -> tuple[str, str, Path]:
    parts = text.split(":", 2)
    if len(parts) != 3 or parts[0] not in gs.PARTNER_KINDS or parts[1] not in gs.LEVELS:
        raise click.BadParameter(
            f"{text!r}: expected KIND:LEVEL:FILE with KIND {_KIND_CHOICES} and LEVEL "
            f"{_LEVEL_CHOICES}, e.g. cjit:ward:cjit_by_ward.csv", param_hint="--counts")
    return parts[0], parts[1], Path(parts[2])


@main.command("init")
@click.option("--area", required=True, metavar="NAME",
              help="The local authority (or force area, or partnership) the configuration is "
                   "for.")
@click.option("--period", default=None, help="The reporting period, e.g. '2025' or '2024/25'.")
@click.option("--file", "path", default=Path("geosafety.toml"), show_default=True,
              type=click.Path(path_type=Path, dir_okay=False),
              help="Where to write the configuration.")
@click.option("--overwrite", is_flag=True, help="Replace the file if it exists.")
def init_command(area: str, period: str | None, path: Path, overwrite: bool) -> None:
    """Write a commented configuration file for an area, to run with assess --config."""
    if path.exists() and not overwrite:
        click.echo(f"Error: {path} exists; choose another --file, or --overwrite it.", err=True)
        sys.exit(2)
    try:
        text = gs.config_template(area, period=period)
    except gs.GeosafetyError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {path}: edit the inputs and period, then run\n"
               f"  geosafety assess --config {path}")


@main.command("make-synthetic")
@click.argument("folder", type=click.Path(path_type=Path), default=Path("data/synthetic"))
@click.option("--seed", default=2025, show_default=True, help="Random seed.")
def make_synthetic_command(folder: Path, seed: int) -> None:
    """Write the SYNTHETIC example partner files and force extract (not real records)."""
    for path in [*gs.make_synthetic(folder, seed=seed),
                 *gs.make_synthetic_force(folder, seed=seed)]:
        click.echo(f"wrote {path}")


@main.command("areas")
@click.argument("name", required=False)
def areas_command(name: str | None) -> None:
    """List England's local authorities with their police force areas (or find one)."""
    table = gs.authorities()
    if name:
        try:
            codes = gs.find_authorities(name)
        except gs.GeosafetyError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(2)
        table = table.loc[codes]
    for code, row in table.iterrows():
        click.echo(f"{code}  {row['lad_name']:<40} {row['police_force_area']:<28} "
                   f"{row['region']}")


@main.command("datasets")
def datasets_command() -> None:
    """List the bundled datasets with their paths."""
    for name, (_, _, description) in gs.DATASETS.items():
        click.echo(f"{name:<32} {description}\n{'':<32} {gs.get_path(name)}")


if __name__ == "__main__":  # pragma: no cover
    main()
