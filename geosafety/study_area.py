"""The study area: its LSOAs, wards and postcode districts, lookups and denominators."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geosafety import reference

#: Geography levels an assessment reports, in order, with the names people read.
LEVELS: dict[str, str] = {
    "lsoa": "LSOA",
    "ward": "Ward",
    "postcode_district": "Postcode district",
}
#: Column of located records that holds each level's area code.
AREA_COLUMNS: dict[str, str] = {"lsoa": "lsoa21_code", "ward": "ward_code",
                                "postcode_district": "postcode_district"}


@dataclass(frozen=True)
class StudyArea:
    """Boundaries, lookups and population for one local authority.

    Parameters
    ----------
    name : str
        The authority's name, used in messages and map titles.
    lsoas : geopandas.GeoDataFrame
        LSOA 2021 polygons in EPSG:27700, indexed by ``lsoa21_code``, with ``lsoa21_name``,
        ``ward_code`` and ``postcode_district`` (best-fit) and ``residents``.
    lsoas_2011 : geopandas.GeoDataFrame
        LSOA 2011 polygons indexed by ``lsoa11_code`` with ``lsoa11_name``.
    lsoa_lookup : pandas.DataFrame
        ONS LSOA 2011 -> 2021 lookup: ``lsoa11_code``, ``change_code``, ``lsoa21_code``.
    wards : geopandas.GeoDataFrame
        Ward polygons indexed by ``ward_code`` with ``ward_name``.
    postcode_districts : geopandas.GeoDataFrame
        District polygons indexed by ``district``.
    vintages : dict of str to str
        What each layer is, for metadata and map footers.
    """

    name: str
    lsoas: gpd.GeoDataFrame
    lsoas_2011: gpd.GeoDataFrame
    lsoa_lookup: pd.DataFrame
    wards: gpd.GeoDataFrame
    postcode_districts: gpd.GeoDataFrame
    vintages: dict[str, str] = field(default_factory=dict)

    @classmethod
    def sefton(cls) -> StudyArea:
        """Build the study area for Sefton from the bundled data.

        Examples
        --------
        >>> area = StudyArea.sefton()
        >>> len(area.lsoas), len(area.wards), len(area.postcode_districts)
        (191, 22, 11)
        >>> int(area.lsoas["residents"].sum())
        279247
        """
        lsoas = reference.read_lsoa_boundaries(2021)
        lsoas = lsoas.join(reference.read_ward_lookup()).join(
            reference.read_postcode_district_lookup()
        )
        lsoas = lsoas.join(reference.read_population()[["residents", "households"]])
        lsoas = lsoas.join(reference.read_adults())
        return cls(
            name="Sefton",
            lsoas=lsoas,
            lsoas_2011=reference.read_lsoa_boundaries(2011),
            lsoa_lookup=reference.read_lsoa11_lsoa21_lookup(),
            wards=reference.read_wards(),
            postcode_districts=reference.read_postcode_districts(),
            vintages={
                "lsoa": "LSOA December 2021 (ONS)",
                "ward": "Electoral wards, May 2025 codes (WD25: the 2004-2026 Sefton wards)",
                "postcode_district": "Postcode districts built from OS Code-Point Open 2025.4 "
                "(best fit of LSOA 2021)",
                "population": "Census 2021 usual residents (ONS)",
                "adults": "adults aged 18+, ONS mid-2020 small area estimates carried onto "
                "LSOA 2021",
            },
        )

    def __post_init__(self) -> None:
        missing = {"lsoa21_name", "ward_code", "postcode_district", "residents"} - set(
            self.lsoas.columns
        )
        if missing:
            raise ValueError(f"StudyArea.lsoas lacks column(s) {sorted(missing)}.")
        unmatched = set(self.lsoas["ward_code"]) - set(self.wards.index)
        if unmatched or self.lsoas["ward_code"].isna().any():
            raise ValueError(f"LSOAs reference wards with no polygon: {sorted(unmatched)[:5]}.")

    @property
    def lsoa11_only(self) -> pd.DataFrame:
        """Lookup rows for LSOA 2011 codes that do not exist in 2021 (split, merged, irregular)."""
        lookup = self.lsoa_lookup
        return lookup[~lookup["lsoa11_code"].isin(self.lsoas.index)]

    def areas(self, level: str) -> gpd.GeoDataFrame:
        """Return the areas of one geography level with name and resident population.

        Parameters
        ----------
        level : {"lsoa", "ward", "postcode_district"}

        Returns
        -------
        geopandas.GeoDataFrame
            Indexed by area code, with ``area_name``, ``residents`` and ``adults`` (sums of
            the LSOAs that best-fit into the area; ``adults`` only where the study area has
            them) and, for LSOAs, ``ward_code``/``ward_name``.

        Examples
        --------
        >>> wards = StudyArea.sefton().areas("ward")
        >>> wards.loc["E05000942", "area_name"], int(wards.loc["E05000942", "residents"])
        ('Linacre', 12911)
        """
        if level == "lsoa":
            frame = self.lsoas.rename(columns={"lsoa21_name": "area_name"}).copy()
            frame["ward_name"] = frame["ward_code"].map(self.wards["ward_name"])
            return frame[["area_name", "ward_code", "ward_name", *self._populations,
                          "geometry"]]
        if level == "ward":
            frame = self.wards.rename(columns={"ward_name": "area_name"}).copy()
            key = "ward_code"
        elif level == "postcode_district":
            frame = self.postcode_districts.copy()
            frame["area_name"] = frame.index
            key = "postcode_district"
        else:
            raise ValueError(f"Unknown level {level!r}; choose one of {list(LEVELS)}.")
        for population in self._populations:
            sums = self.lsoas.groupby(key)[population].sum()
            frame[population] = sums.reindex(frame.index).fillna(0).astype(int)
        return frame[["area_name", *self._populations, "geometry"]]

    @property
    def _populations(self) -> list[str]:
        return [p for p in ("residents", "adults") if p in self.lsoas.columns]

    def level_code(self, lsoa_codes: pd.Series, level: str) -> pd.Series:
        """Map LSOA 2021 codes to the codes of ``level`` by best fit.

        Examples
        --------
        >>> area = StudyArea.sefton()
        >>> area.level_code(pd.Series(["E01006920"]), "ward").tolist()
        ['E05000932']
        """
        if level == "lsoa":
            return lsoa_codes.copy()
        column = {"ward": "ward_code", "postcode_district": "postcode_district"}[level]
        return lsoa_codes.map(self.lsoas[column])
