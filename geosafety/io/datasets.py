"""Where the bundled Sefton boundaries and reference data are, by name.

The repository keeps them in its top-level ``boundaries/`` and ``data/`` folders; an installed
wheel carries the same folders inside the package (``geosafety/_bundled``). Provenance for
every file is in ``boundaries/README.md`` and ``data/README.md``.

Examples
--------
>>> from geosafety.io.datasets import get_path
>>> get_path("lsoa21").name
'sefton_lsoa21.parquet'
>>> get_path("lsoa2021")
Traceback (most recent call last):
...
geosafety._errors.DatasetNotFoundError: No bundled dataset called 'lsoa2021'. ...
"""

from __future__ import annotations

from pathlib import Path

from geosafety._errors import DatasetNotFoundError

#: The attribution the bundled data's licences ask for (OGL v3.0, OS OpenData).
ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Contains OS data \u00a9 Crown copyright and database right 2025. Contains Royal Mail data "
    "\u00a9 Royal Mail copyright and database right 2025. Contains National Statistics data "
    "\u00a9 Crown copyright and database right 2025."
)

#: Bundled datasets: name -> (folder, relative path, one-line description).
DATASETS: dict[str, tuple[str, str, str]] = {
    "lsoa21": ("boundaries", "sefton_lsoa21.parquet",
               "Sefton LSOA December 2021 boundaries (191), ONS, OGL v3.0"),
    "lsoa11": ("boundaries", "sefton_lsoa11.parquet",
               "Sefton LSOA December 2011 boundaries (189), ONS, OGL v3.0"),
    "wards": ("boundaries", "sefton_wards_2025.parquet",
              "Sefton's 22 electoral wards, May 2025 codes (WD25; the 2004-2026 wards), ONS, "
              "OGL v3.0"),
    "postcode_districts": ("boundaries", "sefton_postcode_districts.parquet",
                           "Sefton postcode districts built by geosafety from Code-Point Open"),
    "police_uk_2025": ("data", "police_uk/2025",
                       "police.uk street crime and ASB, Sefton, Jan-Dec 2025 (LSOA 2021 codes)"),
    "police_uk_2018_2021": ("data", "police_uk/2018-2021",
                            "police.uk street crime and ASB, Sefton, 2018-2021 (LSOA 2011 codes)"),
    "population": ("data", "census2021_lsoa21_population_sefton.csv.gz",
                   "Census 2021 usual residents and households by LSOA 2021, ONS, OGL v3.0"),
    "lookup_lsoa11_lsoa21": ("data", "lookup_lsoa11_lsoa21_sefton.csv.gz",
                             "ONS LSOA 2011 to LSOA 2021 lookup (Sefton rows), OGL v3.0"),
    "lookup_lsoa21_ward": ("data", "lookup_lsoa21_ward24_sefton.csv.gz",
                           "ONS LSOA 2021 to ward 2024 best-fit lookup (Sefton rows), OGL v3.0"),
    "lookup_lsoa21_postcode_district": (
        "data", "lookup_lsoa21_postcode_district_sefton.csv.gz",
        "LSOA 2021 to best-fit postcode district, built by geosafety"),
    "postcodes": ("data", "codepoint_open_2025_sefton.csv.gz",
                  "OS Code-Point Open 2025.4 postcode centroids in Sefton, OGL v3.0"),
    "adults": ("data", "adults18_lsoa21_mid2020_sefton.csv.gz",
               "Adults aged 18+ by LSOA 2021 from ONS mid-2020 estimates (LSOA 2011 carried "
               "across), OGL v3.0"),
    "postcode_authority": ("data", "postcode_authority_L_PR.csv.gz",
                           "Every L and PR postcode with its local authority (Code-Point Open "
                           "2025.4), to tell out-of-area postcodes from unknown ones"),
    "synthetic_fire": ("data", "synthetic/SYNTHETIC_fire_incidents_sefton_2025.csv",
                       "SYNTHETIC example fire incidents, Sefton 2025 (made by "
                       "geosafety.examples; not real records)"),
    "synthetic_marac": ("data", "synthetic/SYNTHETIC_marac_cases_sefton_2025.csv",
                        "SYNTHETIC example MARAC cases, Sefton 2025 (not real records)"),
    "synthetic_cjit": ("data", "synthetic/SYNTHETIC_cjit_clients_sefton_2025.csv",
                       "SYNTHETIC example CJIT client episodes, Sefton 2025 (not real records)"),
    "synthetic_force_crime": ("data", "synthetic/SYNTHETIC_force_crime_sefton_2025.csv.gz",
                              "SYNTHETIC example police force crime extract with offence times "
                              "and flags, Sefton 2025 (offence groups, months and map points "
                              "follow police.uk 2025; times and flags invented)"),
    "synthetic_nte_premises": ("data", "synthetic/SYNTHETIC_nte_premises_sefton.csv",
                               "SYNTHETIC example night-time premises (LLPG-style extract), "
                               "Sefton (not real premises)"),
    "iod2025": ("data", "iod2025_lsoa21_sefton.csv.gz",
                "English Indices of Deprivation 2025 by LSOA 2021 (Sefton rows), MHCLG, OGL v3.0"),
    "iod2025_england": ("data", "iod2025_lsoa21_england_ranks.csv.gz",
                        "IoD2025 for every LSOA in England: IMD score, rank, decile and the "
                        "seven domain ranks, MHCLG, OGL v3.0"),
    "iod2019": ("data", "iod2019_lsoa11_sefton.csv.gz",
                "English Indices of Deprivation 2019 by LSOA 2011 (Sefton rows), MHCLG, OGL v3.0"),
    "ctsop2023": ("data", "voa_ctsop1_1_2023_sefton.csv.gz",
                  "VOA Council Tax stock of properties by band, 31 March 2023 (Sefton), OGL v3.0"),
}


def bundled_root() -> Path:
    """Return the folder holding ``boundaries/`` and ``data/``.

    Returns
    -------
    pathlib.Path
        ``geosafety/_bundled`` in an installed wheel, otherwise the repository root.
    """
    package = Path(__file__).resolve().parents[1]
    packaged = package / "_bundled"
    return packaged if packaged.is_dir() else package.parent


def get_path(name: str) -> Path:
    """Return the path of a bundled dataset.

    Parameters
    ----------
    name : str
        One of the keys of :data:`DATASETS`.

    Returns
    -------
    pathlib.Path
        The file or folder.

    Raises
    ------
    DatasetNotFoundError
        If ``name`` is not a bundled dataset; the message lists the valid names.
    """
    try:
        folder, relative, _ = DATASETS[name]
    except KeyError:
        raise DatasetNotFoundError(
            f"No bundled dataset called {name!r}. Valid names: {', '.join(sorted(DATASETS))}."
        ) from None
    return bundled_root() / folder / relative
