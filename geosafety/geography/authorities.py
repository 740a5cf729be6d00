"""England's local authorities: finding them by name, and saying where records fall.

An area can be named the way people write it: a local authority ("Wirral", "st helens",
"Kingston upon Hull"), its code ("E08000015"), or a police force area or Community Safety
Partnership ("Merseyside"), which stands for its authorities. Case, "&"/"and",
"St."/"St", punctuation and a trailing ", City of" do not matter; a name that matches
nothing gets the closest names in the error.
"""

from __future__ import annotations

import difflib
import re
from os import PathLike

import pandas as pd

from geosafety._errors import AreaNotChosenError, InputFileError, UnknownAreaError
from geosafety.geography.reference import national_table
from geosafety.io.sources import find_source_files
from geosafety.io.tabular import read_table

__all__ = ["AreaNotChosenError", "UnknownAreaError", "authorities", "authority_of_lsoas",
           "community_safety_partnerships", "describe_authorities", "find_authorities",
           "read_comparators"]


def _key(name: str) -> str:
    """Normalise a name for matching: case, "&", "St.", punctuation, ", City of".

    Examples
    --------
    >>> _key("St. Helens"), _key("Brighton & Hove"), _key("Kingston upon Hull, City of")
    ('st helens', 'brighton and hove', 'kingston upon hull')
    """
    text = name.casefold().replace("&", " and ")
    text = re.sub(r",\s*(city|county) of\s*$", "", text)
    text = re.sub(r"\bst\.", "st", text)
    text = re.sub(r"[^0-9a-z]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def authorities() -> pd.DataFrame:
    """Return the 296 English local authorities (May 2025), indexed by ``lad_code``.

    Columns: ``lad_name``, ``region``, ``police_force_area_code``, ``police_force_area``,
    ``fire_authority``, ``ruc21_code``, ``ruc21`` (rural-urban classification 2021).

    Examples
    --------
    >>> table = authorities()
    >>> len(table), table.loc["E08000015", "lad_name"], table.loc["E08000015", "region"]
    (296, 'Wirral', 'North West')
    """
    return national_table("england_authorities").set_index("lad_code")


def community_safety_partnerships() -> pd.DataFrame:
    """Return authorities with their Community Safety Partnerships (several rows for some).

    Examples
    --------
    >>> csps = community_safety_partnerships()
    >>> csps.loc[csps["lad_code"] == "E08000014", "csp_name"].tolist()
    ['Sefton']
    """
    return national_table("england_csps")


def _names() -> dict[str, list[str]]:
    """Every name an area can be given, normalised, with the authority codes it stands for."""
    table = authorities()
    names: dict[str, list[str]] = {}
    for code, name in table["lad_name"].items():
        names.setdefault(_key(name), []).append(str(code))
    for column in ("police_force_area", "region"):
        for name, rows in table.groupby(column):
            names.setdefault(_key(str(name)), sorted(rows.index))
    names.setdefault(_key("England"), sorted(table.index))
    csps = community_safety_partnerships()
    for name, rows in csps.groupby("csp_name"):
        names.setdefault(_key(str(name)), sorted(set(rows["lad_code"])))
    return names


def find_authorities(area: str) -> list[str]:
    """Return the authority codes an area name or code stands for.

    Parameters
    ----------
    area : str
        A local authority name or LAD code (one authority), or the name of a police force
        area, Community Safety Partnership or region, or "England" (their authorities). A
        local authority's own name wins over a force or partnership of the same name.

    Raises
    ------
    UnknownAreaError
        If nothing is called that; the message gives the closest names.

    Examples
    --------
    >>> find_authorities("wirral"), find_authorities("ST HELENS")
    (['E08000015'], ['E08000013'])
    >>> find_authorities("Merseyside")
    ['E08000011', 'E08000012', 'E08000013', 'E08000014', 'E08000015']
    >>> len(find_authorities("North West")), len(find_authorities("england"))
    (35, 296)
    >>> find_authorities("Wirall")
    Traceback (most recent call last):
    ...
    geosafety._errors.UnknownAreaError: No local authority, ...'Wirall'. Closest: Wirral ...
    """
    table = authorities()
    code = area.strip().upper()
    if code in table.index:
        return [code]
    names = _names()
    found = names.get(_key(area))
    if found:
        return found
    close = difflib.get_close_matches(_key(area), list(names), n=5, cutoff=0.6)
    labels = {_key(n): n for n in table["lad_name"]}
    shown = [f"{labels.get(k, k.title())} ("
             + (names[k][0] if len(names[k]) == 1 else f"{len(names[k])} authorities") + ")"
             for k in close]
    raise UnknownAreaError(
        f"No local authority, police force area, Community Safety Partnership or region in "
        f"England is called {area!r}. "
        + (f"Closest: {', '.join(shown)}. " if shown else "")
        + "Give a name as ONS writes it (e.g. 'Wirral', 'St. Helens') or a local authority "
          "code (e.g. E08000015); `geosafety areas` lists them all.")


def authority_of_lsoas(codes: pd.Series) -> pd.Series:
    """Return the authority code of each LSOA code (2021, or 2011 through the ONS lookup).

    Codes not in England (or not LSOA codes) give NaN.

    Examples
    --------
    >>> authority_of_lsoas(pd.Series(["E01006920", "E01006512", "W01000001", ""])).tolist()
    ['E08000014', 'E08000012', nan, nan]
    """
    table = national_table("england_lsoa21_table").set_index("lsoa21_code")["lad_code"]
    lookup = national_table("england_lookup_lsoa11_lsoa21")
    old = lookup.drop_duplicates("lsoa11_code").set_index("lsoa11_code")["lsoa21_code"]
    direct = codes.map(table)
    return direct.fillna(codes.map(old).map(table))


def describe_authorities(counts: pd.Series) -> str:
    """Name authorities with how many records each holds, most first.

    Examples
    --------
    >>> describe_authorities(pd.Series({"E08000014": 30, "E08000012": 15}))
    'Sefton 30, Liverpool 15'
    """
    names = authorities()["lad_name"]
    ordered = counts.sort_values(ascending=False, kind="stable")
    return ", ".join(f"{names.get(code, code)} {n:,}" for code, n in ordered.items())


def read_comparators(source: str | PathLike[str]) -> list[str]:
    r"""Read a partnership's own list of comparator authorities: a CSV or Excel of codes.

    The table needs a column of local authority codes (named like ``lad_code``, ``code`` or
    ``LAD25CD``), or of names (``name``, ``authority``); codes are checked against the
    296 English authorities.

    Raises
    ------
    InputFileError
        Naming the file, the rows and the values that are not English authorities.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "comparators.csv"
    >>> _ = path.write_text("code\nE08000015\nE08000010\n")
    >>> read_comparators(path)
    ['E08000015', 'E08000010']
    """
    table = authorities()
    by_name = {name.casefold(): code for code, name in table["lad_name"].items()}
    codes: list[str] = []
    for file in find_source_files(source, pattern=""):
        frame = read_table(file)
        column = next((c for c in frame.columns if c.strip().casefold() in {
            "lad_code", "code", "lad25cd", "lad24cd", "ltla24_code", "la_code", "name",
            "authority", "lad_name", "local authority"}), frame.columns[0])
        values = frame[column].str.strip()
        found = values.str.upper().where(values.str.upper().isin(table.index),
                                         values.str.casefold().map(by_name))
        bad = found.isna() & values.ne("")
        if bad.any():
            rows = ", ".join(f"row {i + 2} has {v!r}" for i, v in values[bad].head(5).items())
            raise InputFileError(file.label, [f"column {column!r}: {rows}; expected English "
                                              "local authority codes (e.g. E08000015) or "
                                              "names"],
                                 hint="`geosafety areas` lists every authority and its code.")
        codes += [c for c in found.dropna() if c not in codes]
    return codes
