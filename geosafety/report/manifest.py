"""The run manifest: what was read and written, with SHA-256 digests, so a run can be checked.

``manifest.json`` beside the tables records the geosafety version and those of the libraries
that compute the figures, the configuration (its text and the settings used), and for every
input and output file its size and SHA-256 digest. A later run into the same folder compares
its tables with the previous manifest and says whether they are byte-identical, and which
files changed: the check an analyst needs before re-publishing a quarter's figures.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from geosafety._version import __version__
from geosafety.io.inputs import Inputs
from geosafety.io.local_layers import read_layer_definition

MANIFEST = "manifest.json"
#: Libraries whose versions can change a figure.
LIBRARIES = ("numpy", "pandas", "geopandas", "shapely", "pyproj", "scipy", "statsmodels",
             "esda", "libpysal", "jenkspy", "matplotlib", "folium", "python-calamine")
#: Outputs compared between runs: the tables, chapter reports and the assessment report
#: (HTML and Word; figures and the GeoPackage carry their libraries' timestamps).
COMPARED = (".csv", ".md", ".html", ".docx")


def sha256(path: Path) -> str:
    """Return the SHA-256 hex digest of a file, read in blocks.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = path.write_bytes(b"abc")
    >>> sha256(path)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _input_files(inputs: Inputs) -> dict[str, list[Path]]:
    """Every file on disk an assessment's inputs name, folders expanded, per input."""
    named: dict[str, object] = {
        "police_uk": inputs.police_uk, "trend": inputs.trend, "fire": inputs.fire,
        "marac": inputs.marac, "cjit": inputs.cjit, "force": inputs.force,
        "premises": inputs.premises, "comparators": inputs.comparators,
        "counts": [source for _, _, source in inputs.counts] or None,
        "localities": inputs.localities,
        "layers": [f for d in inputs.layers
                   for f in (Path(d), *read_layer_definition(d).files)] or None}
    out: dict[str, list[Path]] = {}
    for name, source in named.items():
        if source is None:
            continue
        paths = [Path(source)] if isinstance(source, str | os.PathLike) else [
            Path(p) for p in source]  # type: ignore[attr-defined]
        files: list[Path] = []
        for path in paths:
            files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [
                path]
        out[name] = sorted(dict.fromkeys(files))
    return out


def _describe(paths: Iterable[Path], root: Path | None = None) -> dict[str, dict[str, object]]:
    return {str(p.relative_to(root) if root and p.is_relative_to(root) else p): {
        "bytes": p.stat().st_size, "sha256": sha256(p)} for p in paths if p.is_file()}


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version(), "geosafety": __version__}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def _json_ready(value: object) -> object:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple | list):
        return [_json_ready(v) for v in value]
    return value


def _compared(name: str) -> bool:
    """Whether an output is compared between runs: tables, chapters and the report.

    Examples
    --------
    >>> [_compared(n) for n in ("a.csv", "report/x.html", "report/x.docx", "/m/lsoa.html")]
    [True, True, True, False]
    """
    path = Path(name)
    return path.suffix in (".csv", ".md") or (path.parts[0] == "report"
                                              and path.suffix in COMPARED)


def compare_with_previous(previous: Mapping[str, object] | None,
                          outputs: Mapping[str, Mapping[str, object]]) -> dict[str, object]:
    """Say whether the tables and reports are byte-identical to a previous run's.

    Examples
    --------
    >>> old = {"created": "then", "outputs": {"a.csv": {"sha256": "1"}, "b.csv": {"sha256": "2"}}}
    >>> compare_with_previous(old, {"a.csv": {"sha256": "1"}, "b.csv": {"sha256": "3"}})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'previous_run': 'then', 'tables_identical': False, 'changed': ['b.csv'], 'added': [],
     'removed': []}
    """
    recorded = previous.get("outputs") if previous else None
    if not isinstance(recorded, dict):
        return {"previous_run": None}
    old = {k: v for k, v in recorded.items() if _compared(k)}
    new = {k: v for k, v in outputs.items() if _compared(k)}
    changed = sorted(k for k in set(old) & set(new) if old[k]["sha256"] != new[k]["sha256"])
    added, removed = sorted(set(new) - set(old)), sorted(set(old) - set(new))
    return {"previous_run": (previous or {}).get("created"),
            "tables_identical": not (changed or added or removed),
            "changed": changed, "added": added, "removed": removed}


def read_manifest(folder: str | Path) -> dict | None:
    """Return the manifest in ``folder``, or None when there is none (or it is unreadable)."""
    target = Path(folder) / MANIFEST
    try:
        found = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def write_manifest(folder: str | Path, *, written: Sequence[Path], inputs: Inputs,
                   config: Path | None = None,
                   settings: Mapping[str, object] | None = None,
                   previous: Mapping[str, object] | None = None) -> tuple[Path, dict]:
    """Write ``manifest.json`` into ``folder`` (replacing the previous run's, compared first).

    Parameters
    ----------
    folder : path
        The tables folder of the run.
    written : sequence of pathlib.Path
        Every file the run wrote (:func:`~geosafety.report.write_assessment`).
    inputs : Inputs
        What the run read; folders are expanded to their files.
    config : pathlib.Path, optional
        The configuration file run, recorded with its text.
    settings : mapping, optional
        The option values used (after the configuration and command line were merged).
    previous : mapping, optional
        The previous run's manifest, read with :func:`read_manifest` before a run folder
        was replaced; default the ``manifest.json`` already in ``folder``.

    Returns
    -------
    path : pathlib.Path
    manifest : dict
        As written; ``["compared"]["tables_identical"]`` says whether every table and
        report is byte-identical to the previous run's in this folder.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / MANIFEST
    if previous is None:
        previous = read_manifest(folder)
    outputs = _describe(sorted(written), folder)
    manifest = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": _versions(),
        "configuration": None if config is None else {
            "path": str(config), "sha256": sha256(config),
            "text": Path(config).read_text(encoding="utf-8")},
        "settings": {k: _json_ready(v) for k, v in sorted((settings or {}).items())},
        "inputs": {name: _describe(files) for name, files in _input_files(inputs).items()},
        "outputs": outputs,
    }
    manifest["compared"] = compare_with_previous(previous, outputs)
    handle, temporary = tempfile.mkstemp(prefix=".manifest-", dir=folder)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(manifest, stream, indent=2)
    os.replace(temporary, target)
    return target, manifest
