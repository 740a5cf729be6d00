"""Area reference data: readers for the bundled files, and the tables a study area carries.

Every reader returns area codes as the index (or a code column for lookups), in
British National Grid (EPSG:27700) for geometries, ready to join. Only this module opens
bundled reference files; everything else asks the :class:`~geosafety.geography.StudyArea`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geosafety._errors import GeosafetyError, InvalidOptionError, MissingReferenceDataError
from geosafety.geography.points import BNG
from geosafety.io.ctsop import read_band_a
from geosafety.io.datasets import get_path


def _read_boundaries(name: str, index: str) -> gpd.GeoDataFrame:
    frame = gpd.read_parquet(get_path(name)).to_crs(BNG).set_index(index)
    if not frame.index.is_unique:
        raise GeosafetyError(
            f"Bundled layer {name!r} repeats {index} values; rebuild the bundle.")
    return frame


def read_lsoa_boundaries(vintage: int = 2021) -> gpd.GeoDataFrame:
    """Read the bundled Sefton LSOA polygons.

    Parameters
    ----------
    vintage : {2021, 2011}
        LSOA December 2021 (191 areas) or December 2011 (189 areas).

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by ``lsoa21_code`` (or ``lsoa11_code``) with the LSOA name, in EPSG:27700.

    Examples
    --------
    >>> lsoas = read_lsoa_boundaries()
    >>> len(lsoas), lsoas.crs.to_epsg(), lsoas.loc["E01006920", "lsoa21_name"]
    (191, 27700, 'Sefton 011A')
    """
    if vintage not in (2011, 2021):
        raise InvalidOptionError(f"LSOA vintage must be 2011 or 2021, not {vintage!r}.")
    suffix = str(vintage)[2:]
    return _read_boundaries(f"lsoa{suffix}", f"lsoa{suffix}_code")


def read_wards() -> gpd.GeoDataFrame:
    """Read Sefton's 22 electoral wards (May 2025 codes; the 2004-2026 ward set).

    Examples
    --------
    >>> wards = read_wards()
    >>> len(wards), wards.loc["E05000938", "ward_name"]
    (22, "Duke's")
    """
    return _read_boundaries("wards", "ward_code")


def read_postcode_districts() -> gpd.GeoDataFrame:
    """Read the postcode districts geosafety built from Code-Point Open (see ``postcodes``).

    Examples
    --------
    >>> read_postcode_districts().index.tolist()[:4]
    ['L10', 'L20', 'L21', 'L22']
    """
    return _read_boundaries("postcode_districts", "district")


def read_population() -> pd.DataFrame:
    """Read Census 2021 usual residents and households by LSOA 2021.

    Examples
    --------
    >>> population = read_population()
    >>> int(population["residents"].sum()), int(population["households"].sum())
    (279247, 123036)
    """
    return pd.read_csv(get_path("population"), index_col="lsoa21_code")


def read_adults() -> pd.Series:
    """Read adults aged 18+ by LSOA 2021 (ONS mid-2020 estimates carried onto LSOA 2021).

    Examples
    --------
    >>> int(read_adults().sum())
    221801
    """
    table = pd.read_csv(get_path("adults"), index_col="lsoa21_code")
    return table["adults_18_plus"].rename("adults")


def read_postcode_authorities() -> pd.DataFrame:
    """Read every L and PR postcode with its local authority code and name.

    Examples
    --------
    >>> read_postcode_authorities().loc["L1 0AA", "Admin_district_name"]
    'Liverpool'
    """
    return pd.read_csv(get_path("postcode_authority"), index_col="Postcode", dtype=str)


def read_postcodes() -> pd.DataFrame:
    """Read the Sefton Code-Point Open postcode centroids (EPSG:27700 easting/northing).

    Examples
    --------
    >>> postcodes = read_postcodes()
    >>> len(postcodes), postcodes.loc["L20 3AB", "Admin_ward_code"][:5]
    (6708, 'E0500')
    """
    table = pd.read_csv(get_path("postcodes"), dtype=str, index_col="Postcode")
    table[["Eastings", "Northings"]] = table[["Eastings", "Northings"]].astype(float)
    return table


def read_lsoa11_lsoa21_lookup() -> pd.DataFrame:
    """Read the ONS LSOA 2011 -> 2021 lookup (one row per LSOA11/LSOA21 pair).

    ``change_code`` is U (unchanged), S (split), M (merged) or X (irregular).

    Examples
    --------
    >>> lookup = read_lsoa11_lsoa21_lookup()
    >>> lookup["change_code"].value_counts().to_dict()
    {'U': 187, 'S': 4}
    """
    return pd.read_csv(get_path("lookup_lsoa11_lsoa21"), dtype=str)


def read_ward_lookup() -> pd.Series:
    """Read the ONS best-fit LSOA 2021 -> ward lookup as a Series of ward codes.

    Examples
    --------
    >>> read_ward_lookup()["E01006920"]
    'E05000932'
    """
    lookup = pd.read_csv(get_path("lookup_lsoa21_ward"), dtype=str, index_col="lsoa21_code")
    return lookup["ward24_code"].rename("ward_code")


def read_postcode_district_lookup() -> pd.Series:
    """Read the best-fit LSOA 2021 -> postcode district lookup geosafety built.

    Examples
    --------
    >>> read_postcode_district_lookup()["E01006920"]
    'PR8'
    """
    lookup = pd.read_csv(get_path("lookup_lsoa21_postcode_district"), index_col="lsoa21_code")
    return lookup["district"].rename("postcode_district")


def read_iod(edition: int) -> pd.DataFrame:
    """Read a bundled English Indices of Deprivation table, indexed by LSOA code.

    IoD2025 is on LSOA 2021 (``lsoa21_code``) with every domain's score, rank and decile;
    IoD2019 is on LSOA 2011 (``lsoa11_code``) with domain ranks and deciles. The 2019
    "Barriers to Housing and Access" columns are named as in 2025 (``Housing_and_Services``).

    Examples
    --------
    >>> read_iod(2019).index.name, int(read_iod(2025).loc["E01006920", "IMD_rank"]) > 0
    ('lsoa11_code', True)
    """
    if edition == 2025:
        return pd.read_csv(get_path("iod2025"), index_col="lsoa21_code")
    if edition == 2019:
        table = pd.read_csv(get_path("iod2019"), index_col="lsoa11_code")
        table.columns = [c.replace("Housing_and_Access", "Housing_and_Services")
                         for c in table.columns]
        return table
    raise InvalidOptionError(f"IoD edition must be 2025 or 2019, not {edition!r}.")


@dataclass(frozen=True)
class ReferenceTables:
    """Area reference tables beyond the boundaries, each read once, on first use.

    Parameters
    ----------
    loaders : mapping of str to callable
        Zero-argument functions returning each table: ``"postcodes"`` (Code-Point Open
        centroids in the area, ``Eastings``/``Northings`` by postcode),
        ``"postcode_authorities"`` (postcodes of neighbouring authorities with
        ``Admin_district_name``), ``"iod2025"`` and ``"iod2019"`` (see :func:`read_iod`) and
        ``"band_a"`` (see :func:`geosafety.io.read_band_a`). An area without one of them
        raises :class:`~geosafety.MissingReferenceDataError` when a step asks for it.

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


def bundled_sefton_tables() -> ReferenceTables:
    """Return the bundled Sefton reference tables, read lazily.

    Examples
    --------
    >>> sorted(bundled_sefton_tables().loaders)  # doctest: +NORMALIZE_WHITESPACE
    ['band_a', 'iod2019', 'iod2025', 'postcode_authorities', 'postcodes']
    """
    return ReferenceTables({
        "postcodes": read_postcodes,
        "postcode_authorities": read_postcode_authorities,
        "iod2025": lambda: read_iod(2025),
        "iod2019": lambda: read_iod(2019),
        "band_a": lambda: read_band_a(get_path("ctsop2023")),
    })
