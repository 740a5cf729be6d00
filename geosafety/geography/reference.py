"""The bundled England reference: readers, and the tables a study area carries.

The reference covers all 296 English local authorities (see ``data/README.md`` and
``data/england/MANIFEST.json`` for each file's source, licence, vintage and rows):

* boundaries: LSOA 2021 and ward (May 2025) polygons, in British National Grid;
* ``lsoa21``: each LSOA's authority, best-fit ward and postcode district, Census 2021
  residents and households, adults 18+ (mid-2020), rural-urban class;
* the LSOA 2011 -> 2021 lookup; authorities with region, police force area, fire authority,
  Community Safety Partnerships; postcodes of Great Britain with their authority;
* IoD2025 (LSOA 2021), IoD2019 (LSOA 2011), VOA Council Tax Band A (LSOA 2021).

Only this module opens bundled reference files; everything else asks the
:class:`~geosafety.geography.StudyArea`. National tables are read once per process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache

import geopandas as gpd
import pandas as pd

from geosafety._errors import GeosafetyError, InvalidOptionError, MissingReferenceDataError
from geosafety.geography.points import BNG
from geosafety.io.ctsop import band_a_table
from geosafety.io.datasets import get_path


@cache
def national_table(name: str) -> pd.DataFrame:
    """Read a national table of the England reference once per process.

    Callers must not change the frame returned; they filter or copy it.

    Examples
    --------
    >>> len(national_table("england_authorities"))
    296
    """
    return pd.read_parquet(get_path(name))


def _read_boundaries(name: str, index: str, lad_codes: Iterable[str]) -> gpd.GeoDataFrame:
    codes = sorted(set(lad_codes))
    frame = gpd.read_parquet(get_path(name), filters=[("lad_code", "in", codes)])
    frame = frame.to_crs(BNG).set_index(index)
    if not frame.index.is_unique:
        raise GeosafetyError(
            f"Bundled layer {name!r} repeats {index} values; rebuild the bundle.")
    return frame


def read_lsoa_boundaries(lad_codes: Iterable[str]) -> gpd.GeoDataFrame:
    """Read LSOA 2021 polygons of some authorities (EPSG:27700, indexed by ``lsoa21_code``).

    Examples
    --------
    >>> lsoas = read_lsoa_boundaries(["E08000014"])
    >>> len(lsoas), lsoas.crs.to_epsg(), lsoas.loc["E01006920", "lsoa21_name"]
    (191, 27700, 'Sefton 011A')
    """
    return _read_boundaries("england_lsoa21", "lsoa21_code", lad_codes)


def read_wards(lad_codes: Iterable[str]) -> gpd.GeoDataFrame:
    """Read the May 2025 ward polygons of some authorities (indexed by ``ward_code``).

    Examples
    --------
    >>> wards = read_wards(["E08000014"])
    >>> len(wards), wards.loc["E05000938", "ward_name"]
    (22, "Duke's")
    """
    return _read_boundaries("england_wards", "ward_code", lad_codes)


def read_lsoa_table(lad_codes: Iterable[str]) -> pd.DataFrame:
    """Each LSOA 2021 of some authorities: best-fit ward and district, residents, adults.

    Examples
    --------
    >>> table = read_lsoa_table(["E08000014"])
    >>> int(table["residents"].sum()), int(table["adults"].sum())
    (279247, 221801)
    """
    table = national_table("england_lsoa21_table")
    return table[table["lad_code"].isin(set(lad_codes))].set_index("lsoa21_code")


def read_lsoa11_lsoa21_lookup(lsoa21_codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Read the ONS LSOA 2011 -> 2021 lookup (one row per pair), optionally for some LSOAs.

    ``change_code`` is U (unchanged), S (split), M (merged) or X (irregular).

    Examples
    --------
    >>> lookup = read_lsoa11_lsoa21_lookup(read_lsoa_table(["E08000014"]).index)
    >>> lookup["change_code"].value_counts().to_dict()
    {'U': 187, 'S': 4}
    """
    if lsoa21_codes is None:
        return national_table("england_lookup_lsoa11_lsoa21").reset_index(drop=True)
    return _lookup_rows(tuple(lsoa21_codes)).copy()


@lru_cache(maxsize=32)
def _lookup_rows(lsoa21_codes: tuple[str, ...]) -> pd.DataFrame:
    """Find the lookup's rows for some LSOAs, once per set of LSOAs (callers get copies)."""
    lookup = national_table("england_lookup_lsoa11_lsoa21")
    return lookup[lookup["lsoa21_code"].isin(set(lsoa21_codes))].reset_index(drop=True)


def successors(lookup: pd.DataFrame, residents: pd.Series) -> pd.Series:
    """Each LSOA 2011 code's LSOA 2021 successor in ``lookup``: a split's most populous part.

    Records placed by an old code alone (no coordinates) go there. Parts with equal
    residents are taken in code order.

    Parameters
    ----------
    lookup : pandas.DataFrame
        ``lsoa11_code`` and ``lsoa21_code`` pairs (the ONS lookup, or part of it).
    residents : pandas.Series
        Residents by LSOA 2021 code.
    """
    ranked = lookup.assign(residents=lookup["lsoa21_code"].map(residents)).sort_values(
        ["lsoa11_code", "residents", "lsoa21_code"], ascending=[True, False, True])
    return ranked.drop_duplicates("lsoa11_code").set_index("lsoa11_code")["lsoa21_code"]


@cache
def lsoa11_successors() -> pd.Series:
    """Every English LSOA 2011 code's LSOA 2021 successor (see :func:`successors`).

    Examples
    --------
    >>> lsoa11_successors()[["E01006920", "E01028341", "E01028040"]].tolist()
    ['E01006920', 'E01033770', 'E01033769']
    """
    residents = national_table("england_lsoa21_table").set_index("lsoa21_code")["residents"]
    return successors(national_table("england_lookup_lsoa11_lsoa21"), residents)


def read_postcodes(lad_codes: Iterable[str]) -> pd.DataFrame:
    """Code-Point Open postcode centroids of some authorities, indexed by postcode.

    Examples
    --------
    >>> postcodes = read_postcodes(["E08000014"])
    >>> len(postcodes), int(postcodes.loc["L20 3AB", "easting"]) > 330_000
    (6708, True)
    """
    postcodes = national_table("england_postcodes")
    own = postcodes[postcodes["lad_code"].isin(set(lad_codes))]
    return own.set_index("postcode")[["easting", "northing", "lad_code"]]


@cache
def postcode_authorities() -> pd.DataFrame:
    """Every postcode in Great Britain with its authority's code and name (``authority``).

    Examples
    --------
    >>> postcode_authorities().loc["L1 0AA", "authority"]
    'Liverpool'
    """
    names = national_table("england_district_names").set_index("lad_code")["lad_name"]
    postcodes = national_table("england_postcodes")
    return pd.DataFrame({"lad_code": postcodes["lad_code"].to_numpy(),
                         "authority": postcodes["lad_code"].map(names).to_numpy()},
                        index=pd.Index(postcodes["postcode"].to_numpy(), name="postcode"))


@cache
def district_authorities() -> pd.Series:
    """Name the authority holding most of each postcode district's postcodes, in Great Britain.

    Examples
    --------
    >>> district_authorities()[["CF10", "L20"]].tolist()
    ['Cardiff', 'Sefton']
    """
    postcodes = postcode_authorities()
    # Normalised postcodes end in a space and three characters; arrow strings slice fast.
    district = pd.Series(postcodes.index, dtype="string[pyarrow]").str.slice(0, -4)
    table = pd.DataFrame({"district": district.to_numpy(),
                          "lad_code": postcodes["lad_code"].to_numpy()}).dropna()
    counts = table.value_counts().reset_index().drop_duplicates("district")
    owner = counts.set_index("district")["lad_code"]
    names = postcodes.drop_duplicates("lad_code").set_index("lad_code")["authority"]
    return owner.map(names).dropna().rename("authority").astype(object)


@cache
def _iod_table(edition: int) -> pd.DataFrame:
    """Index an IoD edition once per process (:func:`read_iod` hands out copies)."""
    if edition == 2025:
        return national_table("iod2025_england").set_index("lsoa21_code")
    table = national_table("iod2019_england").set_index("lsoa11_code")
    return table.rename(columns=lambda c: c.replace("Housing_and_Access",
                                                    "Housing_and_Services"))


def read_iod(edition: int) -> pd.DataFrame:
    """Read a national English Indices of Deprivation table, indexed by LSOA code.

    IoD2025 is on LSOA 2021 (``lsoa21_code``) with every domain's score, rank and decile;
    IoD2019 is on LSOA 2011 (``lsoa11_code``) with domain ranks and deciles and the IMD
    score. The 2019 "Barriers to Housing and Access" columns are named as in 2025
    (``Housing_and_Services``).

    Examples
    --------
    >>> read_iod(2019).index.name, len(read_iod(2025))
    ('lsoa11_code', 33755)
    """
    if edition in (2019, 2025):  # each caller's frame is its own (copy on write)
        return _iod_table(edition).copy(deep=False)
    raise InvalidOptionError(f"IoD edition must be 2025 or 2019, not {edition!r}.")


def read_band_a_homes(lsoa21_codes: Iterable[str]) -> pd.DataFrame:
    """Council Tax Band A homes of some LSOAs (see :func:`geosafety.io.read_band_a`).

    Examples
    --------
    >>> bands = read_band_a_homes(read_lsoa_table(["E08000014"]).index)
    >>> len(bands), int(bands["band_a_suppressed"].sum())
    (191, 13)
    """
    table = national_table("ctsop2023_england")
    return band_a_table(table[table["lsoa21_code"].isin(set(lsoa21_codes))]
                        .set_index("lsoa21_code"))


@dataclass(frozen=True)
class ReferenceTables:
    """Area reference tables beyond the boundaries, each read once, on first use.

    Parameters
    ----------
    loaders : mapping of str to callable
        Zero-argument functions returning each table: ``"postcodes"`` (Code-Point Open
        centroids in the area, ``easting``/``northing`` by postcode),
        ``"postcode_authorities"`` (postcodes anywhere with their ``authority``),
        ``"iod2025"`` and ``"iod2019"`` (see :func:`read_iod`) and ``"band_a"`` (see
        :func:`geosafety.io.read_band_a`). An area without one of them raises
        :class:`~geosafety.MissingReferenceDataError` when a step asks for it.

    Examples
    --------
    >>> tables = ReferenceTables.of(band_a=pd.DataFrame({"band_a": [10.0]}))
    >>> tables.get("band_a")["band_a"].tolist(), tables.has("iod2025")
    ([10.0], False)
    """

    loaders: Mapping[str, Callable[[], pd.DataFrame]] = field(default_factory=dict)
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, **tables: pd.DataFrame) -> ReferenceTables:
        """Wrap tables already in memory (for a hand-built study area)."""
        def keep(table: pd.DataFrame) -> Callable[[], pd.DataFrame]:
            return lambda: table

        return cls({name: keep(table) for name, table in tables.items()})

    def has(self, name: str) -> bool:
        """Return True when the table named is available."""
        return name in self.loaders

    def get(self, name: str) -> pd.DataFrame:
        """Return the table named, reading it on first use.

        Raises
        ------
        MissingReferenceDataError
            If the study area has no such table.
        """
        if name not in self._cache:
            if name not in self.loaders:
                raise MissingReferenceDataError(
                    f"The study area has no {name!r} reference table (it has "
                    f"{sorted(self.loaders) or 'none'}).")
            self._cache[name] = self.loaders[name]()
        return self._cache[name]


def england_tables(lad_codes: Iterable[str], lsoa21_codes: Iterable[str]) -> ReferenceTables:
    """Return the England reference's tables for some authorities, read lazily.

    Examples
    --------
    >>> sorted(england_tables(["E08000014"], []).loaders)  # doctest: +NORMALIZE_WHITESPACE
    ['band_a', 'iod2019', 'iod2025', 'postcode_authorities', 'postcodes']
    """
    lads, lsoas = sorted(set(lad_codes)), sorted(set(lsoa21_codes))
    return ReferenceTables({
        "postcodes": lambda: read_postcodes(lads),
        "postcode_authorities": postcode_authorities,
        "iod2025": lambda: read_iod(2025),
        "iod2019": lambda: read_iod(2019),
        "band_a": lambda: read_band_a_homes(lsoas),
    })
