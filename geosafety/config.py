"""A run's configuration: one TOML file naming the area, period, every input and option.

An analyst who repeats the assessment next quarter changes the period and the files in
``geosafety.toml`` and runs ``geosafety assess --config geosafety.toml``; ``geosafety init
--area NAME`` writes a commented starting file. Every option of ``geosafety assess`` has a
key here (:data:`KEYS`, one table for both), so a configuration and a command line say the
same things in the same words; an option given on the command line wins over the file.

Sections and keys (``geosafety init`` writes them all, with their help)::

    [assessment]  area, period, by
    [inputs]      police_uk, trend, fire, marac, cjit, counts, force, premises,
                  comparators, layers, localities, columns, examples
    [options]     threshold, confidence, smooth, nte_hours, nte_groups, aoristic,
                  max_window_hours
    [output]      tables, maps, run_folder, draw_maps, formats, workers, scheduler,
                  read_cache, verbose, quiet
    [columns.fire], [columns.marac], ...   column mappings, as in a --columns file

Paths are relative to the configuration file's folder; ``dataset:NAME`` names a bundled
dataset (``geosafety datasets`` lists them), so the bundled Sefton example runs anywhere.
"""

from __future__ import annotations

import difflib
import textwrap
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from geosafety._errors import InputFileError
from geosafety._levels import LEVELS
from geosafety.analysis.time_of_day import AORISTIC_METHODS, NightTime
from geosafety.disclosure import THRESHOLD
from geosafety.geography import find_authorities
from geosafety.io import PARTNER_KINDS, get_path
from geosafety.io.columns import check_column_mapping
from geosafety.io.offences import GROUPS as OFFENCE_GROUPS
from geosafety.measures import MAX_HOURS, SPLITS
from geosafety.render.drawing import DEFAULT_FORMATS, FIGURE_FORMATS

#: The bundled example's configuration, used by ``geosafety assess`` with no data given.
EXAMPLE_CONFIG = Path(__file__).parent / "examples" / "sefton.toml"
#: Prefix naming a bundled dataset in a path value.
DATASET_PREFIX = "dataset:"


@dataclass(frozen=True)
class Key:
    """One configuration key and the ``geosafety assess`` option it stands for.

    Attributes
    ----------
    option : str
        The option's parameter name (``--out-dir`` is ``out_dir``).
    section, name : str
        Where the key is written: ``[section] name = ...``.
    kind : str
        ``"text"``, ``"texts"`` (one or a list), ``"path"``, ``"paths"`` (one or a list),
        ``"int"``, ``"float"``, ``"bool"``, ``"choice"`` or ``"counts"``.
    help : str
        What it is, as ``geosafety init`` writes it.
    choices : tuple of str
        For ``"choice"`` and ``"texts"`` keys with a fixed vocabulary.
    low, high : float, optional
        Range of a number.
    inverted : bool
        A ``bool`` key that is the opposite of its flag (``draw_maps = false`` is
        ``--no-maps``).
    """

    option: str
    section: str
    name: str
    kind: str
    help: str
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    inverted: bool = False


_NIGHT = NightTime()
KEYS: tuple[Key, ...] = (
    Key("areas", "assessment", "area", "texts",
        "Local authorities to assess: names or codes, or a police force area or Community "
        "Safety Partnership standing for all its authorities."),
    Key("period", "assessment", "period", "text",
        "'2025', '2024/25' (April-March), '2025Q1', '2025-03' or '2025-01:2025-06'."),
    Key("by", "assessment", "by", "choice", "Also tabulate these sub-periods.", SPLITS),
    Key("data", "inputs", "police_uk", "paths",
        "police.uk street files (.csv, .csv.gz), monthly .zip archives or folders."),
    Key("trend", "inputs", "trend", "paths",
        "police.uk files of several years for the trend tables."),
    Key("fire", "inputs", "fire", "paths", "Fire and rescue incident extracts (CSV or Excel)."),
    Key("marac", "inputs", "marac", "paths",
        "MARAC case records (CSV or Excel). Sensitive: disclosure-controlled."),
    Key("cjit", "inputs", "cjit", "paths",
        "CJIT client records (CSV or Excel). Sensitive: disclosure-controlled."),
    Key("counts", "inputs", "counts", "counts",
        "Pre-aggregated partner counts as \"KIND:LEVEL:FILE\" (KIND "
        + "|".join(PARTNER_KINDS) + "; LEVEL " + "|".join(LEVELS) + ")."),
    Key("force", "inputs", "force", "paths",
        "Police force crime extracts with offence times, for the time-of-day tables."),
    Key("premises", "inputs", "premises", "paths",
        "Night-time premises drawn as points on the maps."),
    Key("comparators", "inputs", "comparators", "path",
        "Your own comparator authorities (CSV or Excel of codes or names)."),
    Key("layers", "inputs", "layers", "paths",
        "Local layers (fly-tipping, road casualties, ...): TOML definitions naming the "
        "files, rate base and disclosure control."),
    Key("localities", "inputs", "localities", "path",
        "Localities: a CSV or Excel of every ward (name or code) and the locality it is in."),
    Key("columns_file", "inputs", "columns", "path",
        "A TOML or JSON column-mapping file (or write [columns.<source>] sections here)."),
    Key("examples", "inputs", "examples", "bool",
        "Add the bundled SYNTHETIC fire, MARAC, CJIT, force and premises examples."),
    Key("threshold", "options", "threshold", "int",
        "Disclosure control for MARAC and CJIT: counts below this are suppressed.",
        low=2, high=100),
    Key("confidence", "options", "confidence", "float",
        "Confidence level (per cent) of every rate's interval.", low=90, high=99.9),
    Key("smooth", "options", "smooth", "choice",
        "Rank and colour areas by empirical Bayes smoothed rates.", ("global", "spatial")),
    Key("nte_hours", "options", "nte_hours", "text",
        "Night-time hours FIRST-LAST, FIRST:00 to LAST:59, wrapping past midnight."),
    Key("nte_groups", "options", "nte_groups", "texts",
        "Offence groups counted as night-time economy crime.", tuple(OFFENCE_GROUPS)),
    Key("aoristic", "options", "aoristic", "choice",
        "Share a time window among hours by minutes in each, or equally.", AORISTIC_METHODS),
    Key("max_window_hours", "options", "max_window_hours", "float",
        "Time windows longer than this are left out of the hour profiles.", low=0),
    Key("out_dir", "output", "tables", "path", "Folder for tables, GeoPackage and metadata."),
    Key("maps_dir", "output", "maps", "path", "Folder for the HTML maps and figures."),
    Key("run_folder", "output", "run_folder", "path",
        "Write each run into its own folder under this one, named by area and period "
        "(tables/, figures/, maps/, report/, manifest.json), instead of tables and maps."),
    Key("no_maps", "output", "draw_maps", "bool", "Draw maps and figures (false: tables only).",
        inverted=True),
    Key("formats", "output", "formats", "texts",
        "Figure and chart files: PNG always; add \"svg\" for an editable SVG beside each.",
        FIGURE_FORMATS),
    Key("workers", "output", "workers", "int",
        "Several authorities: assess them as Dask tasks on a local cluster of this many "
        "worker processes.", low=1, high=256),
    Key("scheduler", "output", "scheduler", "text",
        "Several authorities: assess them as Dask tasks on this running scheduler "
        "(e.g. \"tcp://10.0.0.5:8786\"); run folders must be on a file system it shares."),
    Key("no_cache", "output", "read_cache", "bool",
        "Keep police.uk files read and checked in the read cache, so the next run loads "
        "them (false: read every file afresh).", inverted=True),
    Key("verbose", "output", "verbose", "int", "Log more: 1 for progress, 2 for debug.",
        low=0, high=2),
    Key("quiet", "output", "quiet", "bool", "Print only errors and the final line."),
)
SECTIONS = ("assessment", "inputs", "options", "output", "columns")


@dataclass(frozen=True)
class RunConfig:
    """A configuration read and checked: option values, paths resolved.

    Attributes
    ----------
    path : pathlib.Path
        The file read.
    values : dict
        ``geosafety assess`` parameter name -> value, as the command line gives it (tuples
        of paths for repeatable options); only the keys the file sets.
    columns : dict
        Column mappings written in ``[columns.<source>]`` sections.
    """

    path: Path
    values: dict[str, object]
    columns: dict[str, dict[str, str]] = field(default_factory=dict)


def _path(text: str, folder: Path) -> Path:
    if text.startswith(DATASET_PREFIX):
        return get_path(text[len(DATASET_PREFIX):])
    path = Path(text).expanduser()
    return path if path.is_absolute() else folder / path


def _check(key: Key, value: object, folder: Path) -> tuple[object, str | None]:
    """Return (option value, None) or (None, problem) for one key's value."""
    where = f"[{key.section}] {key.name}"
    listed = [value] if isinstance(value, str) else value
    if key.kind in ("paths", "texts", "counts"):
        if not isinstance(listed, list) or not all(isinstance(v, str) for v in listed):
            return None, f"{where}: expected text or a list of text, not {value!r}"
        unknown = [v for v in listed if key.choices and v not in key.choices]
        if unknown:
            return None, (f"{where}: {unknown} not known; choose from {list(key.choices)}")
        if key.kind == "paths":
            return tuple(_path(v, folder) for v in listed), None
        if key.kind == "counts":
            return tuple(_counts(v, folder) for v in listed), None
        return (";".join(listed) if key.option == "nte_groups" else tuple(listed)), None
    if key.kind == "text" and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # period = 2025 means "2025"
    if key.kind in ("text", "path", "choice"):
        if not isinstance(value, str):
            return None, f"{where}: expected text, not {value!r}"
        if key.choices and value not in key.choices:
            close = difflib.get_close_matches(value, key.choices, n=1)
            return None, (f"{where}: {value!r} is not one of {list(key.choices)}"
                          + (f" (did you mean {close[0]!r}?)" if close else ""))
        return (_path(value, folder) if key.kind == "path" else value), None
    if key.kind == "bool":
        if not isinstance(value, bool):
            return None, f"{where}: expected true or false, not {value!r}"
        return (not value if key.inverted else value), None
    number = (isinstance(value, int) if key.kind == "int" else isinstance(value, int | float))
    if not number or isinstance(value, bool):
        kind = "a whole number" if key.kind == "int" else "a number"
        return None, f"{where}: expected {kind}, not {value!r}"
    assert isinstance(value, int | float)
    if (key.low is not None and value < key.low) or (key.high is not None and value > key.high):
        high = "" if key.high is None else f" to {key.high:g}"
        return None, f"{where}: {value!r} is outside {key.low or 0:g}{high}"
    return value, None


def _counts(text: str, folder: Path) -> str:
    """Resolve the file of a "KIND:LEVEL:FILE" entry against the configuration's folder."""
    parts = text.split(":", 2)
    return (f"{parts[0]}:{parts[1]}:{_path(parts[2], folder)}" if len(parts) == 3 else text)


def load_config(path: str | Path) -> RunConfig:
    """Read and check a configuration file.

    Raises
    ------
    InputFileError
        Naming the file and every problem: unknown sections or keys (with the closest
        name), values of the wrong type or out of range, unknown choices.

    Examples
    --------
    >>> config = load_config(EXAMPLE_CONFIG)
    >>> config.values["areas"], config.values["period"], config.values["threshold"]
    (('Sefton',), '2025', 5)
    >>> config.values["marac"][0].name
    'SYNTHETIC_marac_cases_sefton_2025.csv'
    """
    path = Path(path)
    hint = ("see the file `geosafety init --area <your area>` writes: sections "
            + ", ".join(f"[{s}]" for s in SECTIONS) + " with the keys listed there.")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as error:
        raise InputFileError(path, [f"is not a readable TOML configuration: {error}"],
                             hint=hint) from error
    by_place = {(k.section, k.name): k for k in KEYS}
    problems: list[str] = []
    values: dict[str, object] = {}
    columns: dict[str, dict[str, str]] = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            home = next((k.section for k in KEYS if k.name == section), None)
            problems.append(f"key {section!r} is outside any section" + (
                f" (it belongs in [{home}])" if home else ""))
            continue
        if section not in SECTIONS:
            close = difflib.get_close_matches(section, SECTIONS, n=1)
            problems.append(f"unknown section [{section}]" + (
                f" (did you mean [{close[0]}]?)" if close else ""))
            continue
        if section == "columns":
            columns = check_column_mapping(table, path, where="columns.")
            continue
        names = [k.name for k in KEYS if k.section == section]
        for name, value in table.items():
            key = by_place.get((section, name))
            if key is None:
                close = difflib.get_close_matches(name, names, n=1)
                problems.append(f"[{section}] {name}: unknown key" + (
                    f" (did you mean {close[0]!r}?)" if close else
                    f"; the keys are {', '.join(names)}"))
                continue
            checked, problem = _check(key, value, path.parent)
            if problem:
                problems.append(problem)
            else:
                values[key.option] = checked
    if problems:
        raise InputFileError(path, problems, hint=hint)
    return RunConfig(path, values, columns)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


#: Defaults written into a new configuration, per key (keys absent are written commented).
_DEFAULTS: dict[str, object] = {
    "threshold": THRESHOLD, "confidence": 95.0, "nte_hours": f"{_NIGHT.first_hour}-"
    f"{_NIGHT.last_hour}", "nte_groups": list(_NIGHT.groups), "aoristic": AORISTIC_METHODS[0],
    "max_window_hours": MAX_HOURS, "tables": "output", "maps": "maps", "draw_maps": True,
    "formats": list(DEFAULT_FORMATS), "read_cache": True, "verbose": 0, "quiet": False,
}
#: The bundled example's inputs: real police.uk data for Sefton, SYNTHETIC partner data.
_EXAMPLE_INPUTS: dict[str, object] = {
    "police_uk": ["dataset:police_uk_2025"],
    "trend": ["dataset:police_uk_2018_2021", "dataset:police_uk_2025"],
    "fire": ["dataset:synthetic_fire"], "marac": ["dataset:synthetic_marac"],
    "cjit": ["dataset:synthetic_cjit"], "force": ["dataset:synthetic_force_crime"],
    "premises": ["dataset:synthetic_nte_premises"],
    "layers": ["dataset:synthetic_fly_tipping"],
    "localities": "dataset:sefton_localities_example",
}
_EXAMPLE_AUTHORITY = "E08000014"  # Sefton


def config_template(area: str, *, period: str | None = None) -> str:
    """Write a commented configuration for an authority (or several), every key listed.

    For Sefton, the inputs are the bundled example (real police.uk data and SYNTHETIC
    partner files), so ``geosafety assess --config`` runs at once; for other areas the
    input keys are written commented out, to be filled in.

    Raises
    ------
    UnknownAreaError
        If ``area`` names no authority, force area or partnership.

    Examples
    --------
    >>> text = config_template("Wirral", period="2025")
    >>> 'area = ["Wirral"]' in text, '# police_uk = ["downloads/police-uk/"]' in text
    (True, True)
    """
    codes = find_authorities(area)
    example = codes == [_EXAMPLE_AUTHORITY]
    chosen = {"area": [area], "period": period or ("2025" if example else None),
              **_DEFAULTS, **(_EXAMPLE_INPUTS if example else {})}
    placeholders = {"police_uk": ["downloads/police-uk/"], "trend": ["downloads/police-uk/"],
                    "fire": ["partners/fire_incidents.xlsx"], "marac": ["partners/marac.csv"],
                    "cjit": ["partners/cjit.csv"], "counts": ["cjit:ward:partners/cjit.csv"],
                    "force": ["partners/force_crime.csv"], "premises": ["partners/premises.csv"],
                    "comparators": "comparators.csv", "columns": "columns.toml",
                    "localities": "localities.csv", "layers": ["layers/fly_tipping.toml"],
                    "examples": False, "period": "2025", "by": "quarter", "smooth": "spatial",
                    "workers": 2, "scheduler": "tcp://10.0.0.5:8786"}
    lines = [f"# geosafety configuration for {area}: run with",
             "#   geosafety assess --config <this file>",
             "# Paths are relative to this file's folder; dataset:NAME is a bundled dataset",
             "# (geosafety datasets). An option given on the command line wins over this file.",
             "# Column mappings go in [columns.<source>] sections, e.g.",
             "#   [columns.fire]",
             '#   incident_id = "IncNo"']
    if example:
        lines += ["#", "# Sefton's inputs below are the bundled example: real police.uk data,",
                  "# SYNTHETIC fire, MARAC, CJIT, force, premises and fly-tipping files (not",
                  "# real records)",
                  "# and an EXAMPLE grouping of wards into localities (not an official one)."]
    for section in SECTIONS[:-1]:
        lines += ["", f"[{section}]"]
        for key in (k for k in KEYS if k.section == section):
            lines += textwrap.wrap(key.help, 88, initial_indent="# ", subsequent_indent="# ")
            if chosen.get(key.name) is not None:
                lines.append(f"{key.name} = {_toml(chosen[key.name])}")
            else:
                lines.append(f"# {key.name} = {_toml(placeholders.get(key.name, ''))}")
    return "\n".join(lines) + "\n"


def config_values(config: RunConfig, given: Mapping[str, object]) -> dict[str, object]:
    """Merge a configuration under options given on the command line (which win).

    Examples
    --------
    >>> config = load_config(EXAMPLE_CONFIG)
    >>> merged = config_values(config, {"threshold": 10})
    >>> merged["threshold"], merged["period"]
    (10, '2025')
    """
    return {**config.values, **given}


__all__ = ["DATASET_PREFIX", "EXAMPLE_CONFIG", "KEYS", "Key", "RunConfig", "config_template",
           "config_values", "load_config"]
