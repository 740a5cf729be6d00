"""Reading pre-aggregated partner counts by ward, postcode district or LSOA.

Partners often send a table rather than records, with small cells already suppressed
("<5", "*", "~", "c", "x", "[c]", "-"). Those cells are kept as unknown, never as zero.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from geosafety._errors import InvalidOptionError
from geosafety._levels import LEVELS
from geosafety.io import _validate as v
from geosafety.io.columns import Field, resolve_columns
from geosafety.io.placing import Placer
from geosafety.io.sources import Source, find_source_files
from geosafety.io.tabular import read_table

COUNT_FIELDS = (
    Field("area", ("ward", "ward name", "ward code", "postcode district", "district", "lsoa",
                   "lsoa code", "area name", "area code", "geography"),
          required=True, description="the ward, postcode district or LSOA"),
    Field("count", ("n", "number", "cases", "clients", "contacts", "individuals", "total",
                    "value"), required=True, description="the count (or a suppression mark)"),
    Field("category", ("measure", "group", "type")),
)
_SUPPRESSED = re.compile(r"^(<\s*\d+|\*+|~|c|x|\[c\]|\[x\]|-|suppressed|n/?a)$", re.IGNORECASE)


def _is_count_or_mark(values: pd.Series) -> pd.Series:
    stripped = values.str.strip()
    return stripped.str.fullmatch(r"\d+") | stripped.map(lambda s: bool(_SUPPRESSED.match(s)))


def read_area_counts(
    source: Source,
    area: Placer,
    *,
    level: str,
    columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    r"""Read a table of counts by area, keeping suppressed cells as unknown.

    Parameters
    ----------
    source : path or list of paths
        CSV or Excel tables with an area column, a count column and optionally a category.
    area : StudyArea
        Matches area names and codes (see
        :meth:`~geosafety.geography.StudyArea.match_area_codes`).
    level : {"ward", "postcode_district", "lsoa"}
        What the areas are. Wards match by code or name (any case, with or without "Ward").
    columns : mapping, optional
        ``{field: column}``: ``area``, ``count`` and optional ``category``.

    Returns
    -------
    pandas.DataFrame
        ``area_code``, ``category`` (None if the table has none), ``count`` (float, NaN when
        suppressed at source) and ``suppressed_at_source``.

    Raises
    ------
    InputFileError
        For unknown areas (listing the valid names), counts that are neither whole numbers
        nor suppression marks, or an area repeated within a category.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "cjit.csv"
    >>> _ = path.write_text("Ward,Clients\nLinacre,12\nDerby,<5\n")
    >>> from geosafety.geography import StudyArea
    >>> table = read_area_counts(path, StudyArea.sefton(), level="ward")
    >>> table[["area_code", "count"]].values.tolist()
    [['E05000942', 12.0], ['E05000937', nan]]
    """
    if level not in LEVELS:
        raise InvalidOptionError(f"level must be one of {list(LEVELS)}, not {level!r}.")
    frames = []
    for file in find_source_files(source, pattern=""):
        table = read_table(file)
        found = resolve_columns(table, COUNT_FIELDS, label=file.label, mapping=columns)
        raw = table[found["count"]].str.strip()
        suppressed = raw.map(lambda s: bool(_SUPPRESSED.match(s)))
        problems: list[str] = []
        v.check_column(table, found["count"], _is_count_or_mark,
                       "a whole number or a suppression mark such as '<5' or '*'", problems)
        codes = area.match_area_codes(table[found["area"]], level)
        if codes.isna().any():
            problems.append(v.describe_bad_rows(
                table, codes.isna(), found["area"],
                f"a {LEVELS[level].lower()} of {area.name}: {', '.join(area.area_names(level))}"))
        category = (table[found["category"]].str.strip() if "category" in found
                    else pd.Series(None, index=table.index, dtype=object))
        repeated = pd.DataFrame({"a": codes, "c": category}).duplicated(keep=False)
        if repeated.any() and not codes.isna().any():
            problems.append(v.describe_bad_rows(table, repeated, found["area"],
                                                "each area once per category"))
        v.raise_cell_problems(file.label, problems)
        frames.append(pd.DataFrame({
            "area_code": codes, "category": category,
            "count": pd.to_numeric(raw.where(~suppressed), errors="coerce"),
            "suppressed_at_source": suppressed,
        }))
    return pd.concat(frames, ignore_index=True)
