"""Readers for the bundled reference data: boundaries, lookups and population.

Every reader returns area codes as the index (or a code column for lookups), in
British National Grid (EPSG:27700) for geometries, ready to join.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geosafety.datasets import get_path

#: The projected CRS all geometry work is done in: British National Grid.
BNG = "EPSG:27700"


def _read_boundaries(name: str, index: str) -> gpd.GeoDataFrame:
    frame = gpd.read_parquet(get_path(name)).to_crs(BNG).set_index(index)
    if not frame.index.is_unique:
        raise ValueError(f"Bundled layer {name!r} repeats {index} values; rebuild the bundle.")
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
        raise ValueError(f"LSOA vintage must be 2011 or 2021, not {vintage!r}.")
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
