"""The study area: its LSOAs, wards and postcode districts, and all its reference data.

A :class:`StudyArea` carries everything an assessment needs to know about a place:
boundaries, lookups, residents and adults, postcodes, IoD editions and Council Tax Band A.
Nothing outside :mod:`geosafety.geography.reference` opens a bundled reference file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import geopandas as gpd
import pandas as pd

from geosafety._errors import InvalidOptionError, MissingReferenceDataError
from geosafety._levels import LEVELS
from geosafety.geography import placement
from geosafety.geography import reference as bundled
from geosafety.geography.postcodes import postcode_centroid_lsoas
from geosafety.geography.reference import ReferenceTables

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
    reference : ReferenceTables
        Postcodes, IoD editions and Band A homes, read on first use (see
        :class:`~geosafety.geography.reference.ReferenceTables`); a hand-built area may
        leave them out, and the steps that need them then say so.
    """

    name: str
    lsoas: gpd.GeoDataFrame
    lsoas_2011: gpd.GeoDataFrame
    lsoa_lookup: pd.DataFrame
    wards: gpd.GeoDataFrame
    postcode_districts: gpd.GeoDataFrame
    vintages: dict[str, str] = field(default_factory=dict)
    reference: ReferenceTables = field(default_factory=ReferenceTables)

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
        lsoas = bundled.read_lsoa_boundaries(2021)
        lsoas = lsoas.join(bundled.read_ward_lookup()).join(
            bundled.read_postcode_district_lookup()
        )
        lsoas = lsoas.join(bundled.read_population()[["residents", "households"]])
        lsoas = lsoas.join(bundled.read_adults())
        return cls(
            name="Sefton",
            lsoas=lsoas,
            lsoas_2011=bundled.read_lsoa_boundaries(2011),
            lsoa_lookup=bundled.read_lsoa11_lsoa21_lookup(),
            wards=bundled.read_wards(),
            postcode_districts=bundled.read_postcode_districts(),
            vintages={
                "lsoa": "LSOA December 2021 (ONS)",
                "ward": "Electoral wards, May 2025 codes (WD25: the 2004-2026 Sefton wards)",
                "postcode_district": "Postcode districts built from OS Code-Point Open 2025.4 "
                "(best fit of LSOA 2021)",
                "population": "Census 2021 usual residents (ONS)",
                "adults": "adults aged 18+, ONS mid-2020 small area estimates carried onto "
                "LSOA 2021",
            },
            reference=bundled.bundled_sefton_tables(),
        )

    def __post_init__(self) -> None:
        missing = {"lsoa21_name", "ward_code", "postcode_district", "residents"} - set(
            self.lsoas.columns
        )
        if missing:
            raise InvalidOptionError(f"StudyArea.lsoas lacks column(s) {sorted(missing)}.")
        unmatched = set(self.lsoas["ward_code"]) - set(self.wards.index)
        if unmatched or self.lsoas["ward_code"].isna().any():
            raise InvalidOptionError(
                f"LSOAs reference wards with no polygon: {sorted(unmatched)[:5]}.")

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
            raise InvalidOptionError(f"Unknown level {level!r}; choose one of {list(LEVELS)}.")
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

    # --- reference data ---------------------------------------------------------------

    @property
    def postcodes(self) -> pd.DataFrame:
        """Code-Point Open postcode centroids (``Eastings``/``Northings``) by postcode.

        Examples
        --------
        >>> postcodes = StudyArea.sefton().postcodes
        >>> len(postcodes), postcodes.loc["L20 3AB", "Admin_ward_code"][:5]
        (6708, 'E0500')
        """
        return self.reference.get("postcodes")

    @cached_property
    def postcode_lsoas(self) -> pd.Series:
        """LSOA 2021 code of each of the area's postcodes (its centroid's LSOA)."""
        return postcode_centroid_lsoas(self.postcodes, self.lsoas)

    @property
    def postcode_authorities(self) -> pd.DataFrame:
        """Postcodes of this and neighbouring authorities with ``Admin_district_name``.

        Examples
        --------
        >>> StudyArea.sefton().postcode_authorities.loc["L1 0AA", "Admin_district_name"]
        'Liverpool'
        """
        return self.reference.get("postcode_authorities")

    @property
    def band_a(self) -> pd.DataFrame:
        """Council Tax Band A homes by LSOA 2021 (see :func:`geosafety.io.read_band_a`).

        Examples
        --------
        >>> bands = StudyArea.sefton().band_a
        >>> len(bands), int(bands["band_a_suppressed"].sum())
        (191, 13)
        """
        return self.reference.get("band_a")

    def iod(self, edition: int) -> pd.DataFrame:
        """Return an IoD edition on the area's LSOA 2021s, in their order.

        IoD2019 is published on LSOA 2011 and is carried onto LSOA 2021 with the ONS lookup
        (a split LSOA's parts share its 2011 values).

        Raises
        ------
        MissingReferenceDataError
            If the area has no table for the edition, or it lacks some of the area's LSOAs.

        Examples
        --------
        >>> iod = StudyArea.sefton().iod(2019)
        >>> len(iod), iod.index.name
        (191, 'lsoa21_code')
        """
        table = self.reference.get(f"iod{edition}")
        if table.index.name == "lsoa11_code":
            lookup = self.lsoa_lookup.set_index("lsoa21_code")["lsoa11_code"]
            table = table.reindex(lookup.reindex(self.lsoas.index).to_numpy())
            table.index = self.lsoas.index.rename("lsoa21_code")
        table = table.reindex(self.lsoas.index)
        missing = table.index[table["IMD_score"].isna()]
        if len(missing):
            raise MissingReferenceDataError(
                f"IoD{edition} has no figures for {len(missing)} of {self.name}'s LSOAs (first: "
                f"{list(missing[:3])}).")
        return table

    # --- placing records (what the readers in geosafety.io ask of an area) -------------

    def place_points(self, table: pd.DataFrame, found: Mapping[str, str],
                     label: str) -> pd.DataFrame:
        """Place point records; see :func:`geosafety.geography.placement.place_points`."""
        return placement.place_points(table, found, self, label)

    def place_residence(self, table: pd.DataFrame, found: Mapping[str, str]) -> pd.DataFrame:
        """Place people by residence; see :func:`geosafety.geography.placement.place_residence`."""
        return placement.place_residence(table, found, self)

    def match_area_codes(self, values: pd.Series, level: str) -> pd.Series:
        """Match names or codes of one level (see :func:`.placement.match_area_codes`)."""
        return placement.match_area_codes(values, self, level)

    def area_names(self, level: str) -> list[str]:
        """Name the areas of a level, for messages listing the valid ones.

        Examples
        --------
        >>> StudyArea.sefton().area_names("postcode_district")[:3]
        ['L10', 'L20', 'L21']
        """
        if level == "ward":
            return self.wards["ward_name"].tolist()
        if level == "postcode_district":
            return self.postcode_districts.index.tolist()
        return ["LSOA 2021 codes of the study area"]
