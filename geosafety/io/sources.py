"""Finding input files: single CSVs, gzip files, folders, zip archives, or lists of these."""

from __future__ import annotations

import gzip
import hashlib
import io
import warnings
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import BinaryIO, cast

from geosafety._errors import DataQualityWarning, InputFileError

#: What can be passed as a data source.
Source = str | PathLike[str] | Iterable[str | PathLike[str]]

_READABLE = (".csv", ".csv.gz", ".zip", ".xlsx", ".xlsm", ".xls")


@dataclass(frozen=True)
class SourceFile:
    """One CSV to read: a file on disk, a gzip file, or a member of a zip archive.

    Attributes
    ----------
    label : str
        How messages name it, e.g. ``"police.zip!2025-01/2025-01-merseyside-street.csv"``.
    opener : callable
        Returns a binary file object of the uncompressed CSV.
    size : int, optional
        Bytes on disk or in the archive, to find possible copies cheaply.
    stored : callable, optional
        Returns the bytes as stored (still gzip-compressed for a ``.csv.gz``), which
        :meth:`fingerprint` hashes instead of the uncompressed content when given.
    """

    label: str
    opener: Callable[[], BinaryIO]
    size: int | None = None
    stored: Callable[[], bytes] | None = None

    @property
    def name(self) -> str:
        """The file's own name, without folders or archive."""
        return self.label.replace("!", "/").rsplit("/", 1)[-1]

    def fingerprint(self) -> str:
        r"""Return the SHA-256 of the file as stored: the same bytes give the same answer.

        Examples
        --------
        >>> SourceFile("a.csv", lambda: io.BytesIO(b"x\n1\n")).fingerprint()[:12]
        'daff832f8020'
        """
        data = self.stored() if self.stored is not None else self.read_bytes()
        return hashlib.sha256(data).hexdigest()

    def read_bytes(self) -> bytes:
        """Return the whole uncompressed content.

        Raises
        ------
        InputFileError
            If a ``.gz`` file is not gzip data or the archive member is corrupt.
        """
        try:
            with self.opener() as handle:
                return handle.read()
        except (OSError, EOFError, zipfile.BadZipFile) as error:
            raise InputFileError(
                self.label, [f"cannot be read: {error}"],
                hint="check the file downloaded completely; re-download it if needed.",
            ) from error


def is_mac_metadata(name: str) -> bool:
    """Tell whether a path is macOS Finder metadata (``__MACOSX/`` or ``._name``), not data.

    Examples
    --------
    >>> is_mac_metadata("__MACOSX/2025-01/._2025-01-merseyside-street.csv")
    True
    >>> is_mac_metadata("2025-01/2025-01-merseyside-street.csv")
    False
    """
    parts = name.replace("\\", "/").split("/")
    return "__MACOSX" in parts or parts[-1].startswith("._")


def _is_readable(path: Path) -> bool:
    return path.name.lower().endswith(_READABLE) and not is_mac_metadata(path.as_posix())


def _files_in_folder(folder: Path, *, pattern: str) -> list[Path]:
    candidates = sorted(p for p in folder.rglob("*") if p.is_file() and _is_readable(p))
    preferred = [p for p in candidates if pattern in p.name.lower() or p.suffix == ".zip"]
    return preferred or candidates


def _zip_members(path: Path, *, pattern: str) -> list[SourceFile]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise InputFileError(path, ["is not a readable zip archive"],
                             hint="re-download the archive.") from error
    with archive:
        names = sorted(n for n in archive.namelist()
                       if n.lower().endswith((".csv", ".csv.gz")) and not is_mac_metadata(n))
        sizes = {n: archive.getinfo(n).file_size for n in names}
    chosen = [n for n in names if pattern in n.rsplit("/", 1)[-1].lower()]
    if not chosen:
        shown = ", ".join(names[:5]) or "no CSV files"
        raise InputFileError(
            path, [f"holds no '*{pattern}*' CSV files (found: {shown})"],
            hint="pass the police.uk archive that includes street-level crime.",
        )

    def opener_for(member: str) -> Callable[[], BinaryIO]:
        def opener() -> BinaryIO:
            with zipfile.ZipFile(path) as inner:
                data = inner.read(member)
            return io.BytesIO(gzip.decompress(data) if member.endswith(".gz") else data)

        return opener

    def stored_for(member: str) -> Callable[[], bytes]:
        def stored() -> bytes:
            with zipfile.ZipFile(path) as inner:
                return inner.read(member)

        return stored

    return [SourceFile(f"{path}!{n}", opener_for(n), sizes[n], stored_for(n)) for n in chosen]


def _file_source(path: Path) -> SourceFile:
    size = path.stat().st_size
    if path.name.lower().endswith(".csv.gz"):
        return SourceFile(str(path), lambda: cast(BinaryIO, gzip.open(path, "rb")), size,
                          path.read_bytes)
    return SourceFile(str(path), lambda: open(path, "rb"), size, path.read_bytes)


def distinct_content(files: list[SourceFile]) -> list[SourceFile]:
    r"""Keep the first of files with identical content (under any names); warn of the others.

    Only files of equal size are read and compared (by SHA-256), so distinct files cost
    nothing. A file copied under a second name (``fire_2025.csv`` and
    ``fire_2025 (1).csv``) would otherwise be counted twice.

    Examples
    --------
    >>> a = SourceFile("a.csv", lambda: io.BytesIO(b"x,y\n1,2\n"), 8)
    >>> b = SourceFile("copy of a.csv", lambda: io.BytesIO(b"x,y\n1,2\n"), 8)
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     [f.label for f in distinct_content([a, b])]
    ['a.csv']
    >>> str(caught[0].message)[:60]
    'copy of a.csv has the same content as a.csv; it was read onc'
    """
    sizes: dict[int | None, int] = {}
    for file in files:
        sizes[file.size] = sizes.get(file.size, 0) + 1
    seen: dict[tuple[int | None, str], SourceFile] = {}
    kept = []
    for file in files:
        if file.size is None or sizes[file.size] == 1:
            kept.append(file)
            continue
        key = (file.size, hashlib.sha256(file.read_bytes()).hexdigest())
        if key in seen:
            warnings.warn(
                f"{file.label} has the same content as {seen[key].label}; it was read once, "
                "from the first. Give each file once.", DataQualityWarning, stacklevel=3)
            continue
        seen[key] = file
        kept.append(file)
    return kept


def find_source_files(source: Source, *, pattern: str = "-street") -> list[SourceFile]:
    """List the CSV files to read from a file, folder, zip archive or list of them.

    Parameters
    ----------
    source : path or iterable of paths
        A ``.csv`` or ``.csv.gz`` file, a ``.zip`` archive (police.uk's monthly layout
        ``YYYY-MM/YYYY-MM-<force>-street.csv``), a folder searched recursively, or a list.
    pattern : str
        In folders and archives, files whose names contain this are preferred (police.uk
        archives also hold ``-outcomes`` and ``-stop-and-search`` files, which are skipped).

    Returns
    -------
    list of SourceFile
        In path order, each file once: a path given twice, or a second file with the same
        content under another name, is left out (the latter with a warning).

    Raises
    ------
    InputFileError
        If a path does not exist, has an unreadable type, or a folder holds no CSV files.
    """
    paths = [source] if isinstance(source, str | PathLike) else list(source)
    if not paths:
        raise InputFileError("<no input>", ["no input files were given"])
    found: list[SourceFile] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputFileError(path, ["no such file or folder"],
                                 hint="check the path; folders are searched recursively.")
        if path.is_dir():
            files = _files_in_folder(path, pattern=pattern)
            if not files:
                raise InputFileError(path, ["folder holds no .csv, .csv.gz or .zip files"])
        elif _is_readable(path):
            files = [path]
        else:
            raise InputFileError(
                path, [f"has an unsupported file type {path.suffix!r}"],
                hint="give .csv, .csv.gz or .zip files, or a folder of them.",
            )
        for file in files:
            found += _zip_members(file, pattern=pattern) if file.suffix == ".zip" else [
                _file_source(file)
            ]
    unique: dict[str, SourceFile] = {}
    for source_file in found:
        unique.setdefault(source_file.label, source_file)
    return distinct_content(list(unique.values()))
