"""A cache of validated reads, so files read before are not parsed and checked again.

An analyst re-runs the assessment every quarter over 57 months of police.uk files, of which
three are new. Reading and checking a file costs far more than loading the frame it gave
last time, so :func:`cached_frame` keeps each result as a Parquet file named by a SHA-256
of what it was computed from: the files' names and content hashes, the reader's version,
and the versions of geosafety, pandas and pyarrow. A changed byte, a renamed file or a new
release gives a new name, so a stale result is never used; nothing needs clearing.

The data-quality warnings the read raised are stored with the frame and raised again on
every later read, so a cached read tells the analyst exactly what the first one did.

Where it lives: ``$GEOSAFETY_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/geosafety``, else
``~/.cache/geosafety``. ``GEOSAFETY_CACHE_DIR=off`` (or ``--no-cache`` on the command line)
turns it off. Only public data is cached (police.uk files); partner records (MARAC, CJIT,
fire) are never written there. Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from geosafety import _errors
from geosafety._version import __version__

logger = logging.getLogger(__name__)

#: The environment variable naming the cache folder (``off`` turns the cache off).
CACHE_ENV = "GEOSAFETY_CACHE_DIR"
#: Values of :data:`CACHE_ENV` that turn the cache off.
OFF = {"off", "none", "0", "false", "no"}
#: Bumped when the stored layout changes.
STORE_FORMAT = 1
#: Parquet metadata key holding the warnings the computation raised.
_WARNINGS_KEY = b"geosafety.warnings"
#: Warning classes a cached result may raise again, by name.
_REPLAYABLE = {cls.__name__: cls for cls in (_errors.DataQualityWarning,
                                              _errors.RecordsExcludedWarning)}


def cache_dir() -> Path | None:
    """Return the cache folder, or None when the cache is turned off.

    Examples
    --------
    >>> with cache_at("/tmp/geosafety-cache"):
    ...     cache_dir()
    PosixPath('/tmp/geosafety-cache')
    >>> with cache_at("off"):
    ...     cache_dir() is None
    True
    """
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in OFF else Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "geosafety"


@contextmanager
def cache_at(folder: str | os.PathLike[str]) -> Iterator[None]:
    """Use another cache folder inside a ``with`` block (``"off"``: no cache).

    For benchmarks, comparisons and tests; the setting before is restored afterwards.

    Examples
    --------
    >>> with cache_at("off"):
    ...     cache_dir() is None
    True
    """
    before = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = os.fspath(folder)
    try:
        yield
    finally:
        if before is None:
            del os.environ[CACHE_ENV]
        else:
            os.environ[CACHE_ENV] = before


def cache_key(kind: str, version: int, parts: Sequence[str]) -> str:
    """Name a result by what it was computed from (and the software that computed it).

    Examples
    --------
    >>> a = cache_key("police_uk", 1, ["a.csv", "0f3c"])
    >>> a == cache_key("police_uk", 1, ["a.csv", "0f3c"]), a == cache_key("police_uk", 2,
    ...                                                                    ["a.csv", "0f3c"])
    (True, False)
    """
    described = json.dumps([kind, version, STORE_FORMAT, __version__, pd.__version__,
                            pa.__version__, list(parts)])
    return hashlib.sha256(described.encode()).hexdigest()


def cached_frame(kind: str, version: int, parts: Sequence[str],
                 compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """Return ``compute()``, from the cache when the same inputs were computed before.

    Parameters
    ----------
    kind : str
        What is cached (a subfolder), e.g. ``"police_uk"``.
    version : int
        The computation's own version: bump it whenever the result for the same files
        would change.
    parts : sequence of str
        What the result depends on: file names with their content hashes, options.
    compute : callable
        Makes the frame. The geosafety warnings it raises are stored with it and raised
        again whenever the stored frame is used; errors are never cached.

    Returns
    -------
    pandas.DataFrame
        Equal to what ``compute()`` returns, dtypes and index included.

    Examples
    --------
    >>> import tempfile
    >>> calls = []
    >>> def compute():
    ...     calls.append(1)
    ...     return pd.DataFrame({"n": [1, 2]})
    >>> with cache_at(tempfile.mkdtemp()):
    ...     first = cached_frame("example", 1, ["x"], compute)
    ...     again = cached_frame("example", 1, ["x"], compute)
    >>> again.equals(first), len(calls)
    (True, 1)
    """
    folder = cache_dir()
    if folder is None:
        return compute()
    path = folder / kind / f"{cache_key(kind, version, parts)}.parquet"
    stored = _load(path)
    if stored is not None:
        frame, raised = stored
        logger.info("Read %s from the cache (%s)", kind, path)
        _raise_again(raised)
        return frame
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = compute()
    raised = [(w.category.__name__, str(w.message)) for w in caught
              if w.category in _REPLAYABLE.values()]
    _save(path, frame, raised)
    for warning in caught:
        warnings.warn_explicit(warning.message, warning.category, warning.filename,
                               warning.lineno, source=warning.source)
    return frame


def _raise_again(raised: list[tuple[str, str]]) -> None:
    for name, message in raised:
        warnings.warn(message, _REPLAYABLE[name], stacklevel=3)


def _load(path: Path) -> tuple[pd.DataFrame, list[tuple[str, str]]] | None:
    """Read a stored result; None if absent or unreadable (then it is computed again)."""
    if not path.exists():
        return None
    try:
        table = pq.read_table(path)
        raised = json.loads((table.schema.metadata or {}).get(_WARNINGS_KEY, b"[]"))
        if any(name not in _REPLAYABLE for name, _ in raised):
            raise ValueError("names an unknown warning")
        return table.to_pandas(), [(str(n), str(m)) for n, m in raised]
    except (OSError, ValueError, TypeError, KeyError, pa.ArrowException) as error:
        logger.warning("Ignoring an unreadable cache file %s (%s); computing again.",
                       path, error)
        path.unlink(missing_ok=True)
        return None


def _save(path: Path, frame: pd.DataFrame, raised: list[tuple[str, str]]) -> None:
    """Store a result atomically; a cache that cannot be written is logged, not fatal."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(frame)
        metadata = dict(table.schema.metadata or {})
        metadata[_WARNINGS_KEY] = json.dumps(raised).encode()
        table = table.replace_schema_metadata(metadata)
        handle, partial = tempfile.mkstemp(dir=path.parent, suffix=".partial")
        os.close(handle)
        try:
            pq.write_table(table, partial, compression="zstd")
            os.replace(partial, path)
        finally:
            Path(partial).unlink(missing_ok=True)
    except (OSError, pa.ArrowException) as error:
        logger.warning("Could not write the cache file %s (%s); carrying on without it.",
                       path, error)
