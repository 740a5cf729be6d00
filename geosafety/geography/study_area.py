"""The study area: its LSOAs, wards and postcode districts, and all its reference data.

A :class:`StudyArea` carries everything an assessment needs to know about a place:
boundaries, lookups, residents and adults, postcodes, IoD editions and Council Tax Band A.
Nothing outside :mod:`geosafety.geography.reference` opens a bundled reference file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from geosafety._errors import InvalidOptionError, MissingReferenceDataError
from geosafety._levels import LEVELS
from geosafety._lookup import looked_up
from geosafety.geography import placement
from geosafety.geography import reference as bundled
from geosafety.geography.authorities import (
    AreaNotChosenError,
    UnknownAreaError,
    authorities,
    authority_of_lsoas,
    describe_authorities,
    find_authorities,
)
from geosafety.geography.neighbours import contiguity_weights
from geosafety.geography.postcodes import district_polygons, postcode_centroid_lsoas
from geosafety.geography.reference import ReferenceTables

if TYPE_CHECKING:
    from libpysal.weights import W

#: The bundled example data's authority.
SEFTON = "E08000014"
#: What the England reference's layers are, for metadata and map footers.
ENGLAND_VINTAGES = {
    "lsoa": "LSOA December 2021 (ONS)",
    "ward": "Electoral wards, May 2025 (WD25, ONS); LSOAs belong to the ward holding their "
            "population-weighted centroid (ONS best fit)",
    "postcode_district": "Postcode districts built from OS Code-Point Open 2025.4 (best fit "
                         "of LSOA 2021)",
    "population": "Census 2021 usual residents (ONS)",
    "adults": "adults aged 18+, ONS mid-2020 small area estimates carried onto LSOA 2021",
}

#: Column of located records that holds each level's area code.
AREA_COLUMNS: dict[str, str] = {"lsoa": "lsoa21_code", "ward": "ward_code",
                                "postcode_district": "postcode_district"}


@dataclass(frozen=True)
class StudyArea:
    """Boundaries, lookups, population and reference data for one local authority.

    Build one with :meth:`for_authority` (any English authority, from the bundled England
    reference) or :meth:`sefton`; or by hand, from the parts below.

    Parameters
    ----------
    name : str
        The authority's name, used in messages, titles and file names.
    lsoas : geopandas.GeoDataFrame
        LSOA 2021 polygons in EPSG:27700, indexed by ``lsoa21_code``, with ``lsoa21_name``,
        ``ward_code`` and ``postcode_district`` (best-fit) and ``residents`` (optionally
        ``households`` and ``adults``).
    lsoa_lookup : pandas.DataFrame
        ONS LSOA 2011 -> 2021 lookup rows of the area's LSOAs: ``lsoa11_code``,
        ``change_code``, ``lsoa21_code``.
    wards : geopandas.GeoDataFrame
        Ward polygons indexed by ``ward_code`` with ``ward_name`` (every ward of the
        authority, including any that no LSOA best-fits into).
    postcode_districts : geopandas.GeoDataFrame
        District polygons indexed by ``district``.
    vintages : dict of str to str
        What each layer is, for metadata and map footers.
    reference : ReferenceTables
        Postcodes, IoD editions and Band A homes, read on first use (see
        :class:`~geosafety.geography.reference.ReferenceTables`); a hand-built area may
        leave them out, and the steps that need them then say so.
    code : str
        The authority's code (e.g. ``"E08000014"``), empty for a hand-built area.
    """

    name: str
    lsoas: gpd.GeoDataFrame
    lsoa_lookup: pd.DataFrame
    wards: gpd.GeoDataFrame
    postcode_districts: gpd.GeoDataFrame
    vintages: dict[str, str] = field(default_factory=dict)
    reference: ReferenceTables = field(default_factory=ReferenceTables)
    code: str = ""

    @classmethod
    def for_authority(cls, area: str) -> StudyArea:
        """Build the study area of one English local authority from the bundled reference.

        Parameters
        ----------
        area : str
            The authority's name (any case; "&" or "and", "St." or "St") or its code.

        Raises
        ------
        UnknownAreaError
            If no authority is called that (the closest names are given), or the name is a
            police force area or partnership of several authorities (use
            :func:`~geosafety.geography.find_authorities` and build each).

        Examples
        --------
        >>> wirral = StudyArea.for_authority("wirral")
        >>> wirral.name, wirral.code, len(wirral.lsoas), len(wirral.wards)
        ('Wirral', 'E08000015', 209, 22)
        >>> int(wirral.lsoas["residents"].sum())
        320168
        """
        codes = find_authorities(area)
        if len(codes) != 1:
            names = authorities().loc[codes, "lad_name"].tolist()
            raise UnknownAreaError(
                f"{area!r} covers {len(codes)} local authorities ({', '.join(names)}); a study "
                "area is one of them. Assess them one by one, or all together with the "
                "command line's --area.")
        code = codes[0]
        lsoas, wards, districts = _authority_layers(code)
        return cls(
            name=str(authorities().loc[code, "lad_name"]),
            lsoas=lsoas.copy(),
            lsoa_lookup=bundled.read_lsoa11_lsoa21_lookup(lsoas.index),
            wards=wards.copy(),
            postcode_districts=districts.copy(),
            vintages=dict(ENGLAND_VINTAGES),
            reference=bundled.england_tables([code], lsoas.index),
            code=code,
        )

    @classmethod
    def sefton(cls) -> StudyArea:
        """Build the study area for Sefton (the bundled example data's authority).

        Examples
        --------
        >>> area = StudyArea.sefton()
        >>> len(area.lsoas), len(area.wards), len(area.postcode_districts)
        (191, 22, 11)
        >>> int(area.lsoas["residents"].sum())
        279247
        """
        return cls.for_authority(SEFTON)

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
    def wards_without_lsoas(self) -> list[str]:
        """Names of wards no LSOA best-fits into (their records and residents count elsewhere).

        ONS gives each LSOA to the ward holding its population-weighted centroid; a few small
        wards hold none (33 in England, e.g. Liverpool's Waterfront North and most of the
        City of London's). geosafety counts their records and residents with the ward of each
        LSOA, so such a ward shows with no population and no rate.

        Examples
        --------
        >>> StudyArea.for_authority("Liverpool").wards_without_lsoas
        ['Waterfront North']
        """
        empty = self.wards.index.difference(pd.Index(self.lsoas["ward_code"].unique()))
        return self.wards.loc[empty, "ward_name"].sort_values().tolist()

    @cached_property
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
        if level not in self._areas:
            self._areas[level] = self._build_areas(level)
        return self._areas[level].copy(deep=False)  # copy on write: a caller changes only its own

    @cached_property
    def _areas(self) -> dict[str, gpd.GeoDataFrame]:
        return {}

    def _build_areas(self, level: str) -> gpd.GeoDataFrame:
        if level == "lsoa":
            frame = self.lsoas[["lsoa21_name", "ward_code", *self._populations, "geometry"]]
            frame = frame.rename(columns={"lsoa21_name": "area_name"})
            frame.insert(2, "ward_name", looked_up(frame["ward_code"], self.wards["ward_name"]))
            return frame
        if level == "ward":
            frame = self.wards[["ward_name", "geometry"]].rename(
                columns={"ward_name": "area_name"})
            key = "ward_code"
        elif level == "postcode_district":
            frame = self.postcode_districts[["geometry"]]
            frame.insert(0, "area_name", frame.index.to_numpy())
            key = "postcode_district"
        else:
            raise InvalidOptionError(f"Unknown level {level!r}; choose one of {list(LEVELS)}.")
        into = frame.index.get_indexer(self.lsoas[key])  # each LSOA's area; -1 if none
        known = into >= 0
        for at, population in enumerate(self._populations, start=1):
            people = self.lsoas[population].to_numpy(float, na_value=np.nan)[known]
            frame.insert(at, population, np.bincount(
                into[known], weights=np.nan_to_num(people), minlength=len(frame)).astype(int))
        return frame

    @property
    def _populations(self) -> list[str]:
        return [p for p in ("residents", "adults") if p in self.lsoas.columns]

    @cached_property
    def _neighbours(self) -> dict[str, W]:
        return {}

    def neighbours(self, level: str) -> W:
        """Queen contiguity of the level's areas (binary libpysal weights, built once).

        Examples
        --------
        >>> w = StudyArea.sefton().neighbours("ward")
        >>> w.n, sorted(w.neighbors["E05000942"])[:2]  # Linacre's neighbours
        (22, ['E05000936', 'E05000937'])
        """
        if level not in self._neighbours:
            self._neighbours[level] = contiguity_weights(self.areas(level))
        return self._neighbours[level]

    @cached_property
    def outline(self) -> gpd.GeoSeries:
        """The study area's boundary: its LSOAs dissolved into one shape (EPSG:27700)."""
        return gpd.GeoSeries([self.lsoas.to_crs("EPSG:27700").union_all()], crs="EPSG:27700")

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
        return looked_up(lsoa_codes, self.lsoas[column])

    # --- reference data ---------------------------------------------------------------

    @property
    def postcodes(self) -> pd.DataFrame:
        """Code-Point Open postcode centroids (``easting``/``northing``) by postcode.

        Examples
        --------
        >>> postcodes = StudyArea.sefton().postcodes
        >>> len(postcodes), postcodes.loc["L20 3AB", "lad_code"]
        (6708, 'E08000014')
        """
        return self.reference.get("postcodes")

    @cached_property
    def postcode_lsoas(self) -> pd.Series:
        """LSOA 2021 code of each of the area's postcodes (its centroid's LSOA)."""
        return postcode_centroid_lsoas(self.postcodes, self.lsoas)

    @property
    def postcode_authorities(self) -> pd.DataFrame:
        """Postcodes of Great Britain with their ``authority`` (to name where others are).

        Examples
        --------
        >>> StudyArea.sefton().postcode_authorities.loc["L1 0AA", "authority"]
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


def area_for_records(lsoa_codes: pd.Series) -> StudyArea:
    """Return the area of records whose LSOA codes all fall in one English authority.

    Parameters
    ----------
    lsoa_codes : pandas.Series
        LSOA codes of the records (2021, or 2011); empty codes are ignored.

    Raises
    ------
    AreaNotChosenError
        If the codes fall in several authorities (the message names them with their record
        counts and says how to choose), or in none.

    Examples
    --------
    >>> area_for_records(pd.Series(["E01006920", "E01006951", ""])).name
    'Sefton'
    """
    owners = authority_of_lsoas(lsoa_codes[lsoa_codes.fillna("").ne("")])
    counts = owners.value_counts()
    if len(counts) == 1:
        return StudyArea.for_authority(str(counts.index[0]))
    if counts.empty:
        raise AreaNotChosenError(
            "None of the records has an LSOA code of an English local authority, so the study "
            "area cannot be told from the data. Choose it with --area (in Python: "
            "assess(..., area=StudyArea.for_authority('Wirral'))).")
    forces = authorities().loc[counts.index, "police_force_area"].unique()
    force = f", or every authority of a police force area: --area {forces[0]!r}" if len(
        forces) == 1 else ""
    first = authorities().loc[counts.index[0], "lad_name"]
    second = authorities().loc[counts.index[1], "lad_name"]
    raise AreaNotChosenError(
        f"The records fall in {len(counts)} local authorities ({describe_authorities(counts)}), "
        f"and no study area was chosen. Choose one: --area {first!r}; several: --area "
        f"{first!r} --area {second!r}{force}. (In Python: "
        f"assess(..., area=StudyArea.for_authority({first!r})).)")


@lru_cache(maxsize=32)
def _authority_layers(code: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """One authority's LSOAs, wards and district polygons from the bundle, built once.

    :meth:`StudyArea.for_authority` gives each study area its own copies, so a caller that
    changes its frames changes nothing here.
    """
    table = bundled.read_lsoa_table([code])
    lsoas = bundled.read_lsoa_boundaries([code]).drop(columns="lad_code")
    lsoas = lsoas.join(table[["ward_code", "postcode_district", "residents", "households",
                              "adults"]])
    districts = district_polygons(lsoas, lsoas["postcode_district"]).set_index("district")
    return lsoas, bundled.read_wards([code]).drop(columns="lad_code"), districts
