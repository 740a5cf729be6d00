"""Where the bundled England reference, example data and boundaries are, by name.

The repository keeps them in its top-level ``boundaries/`` and ``data/`` folders; an installed
wheel carries the same folders inside the package (``geosafety/_bundled``). Provenance for
every file is in ``boundaries/README.md`` and ``data/README.md``.

Examples
--------
>>> from geosafety.io.datasets import get_path
>>> get_path("england_lsoa21").name
'england_lsoa21.parquet'
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
    "england_lsoa21": ("boundaries", "england_lsoa21.parquet",
                       "LSOA December 2021 boundaries for England (33,755; generalised, BNG, "
                       "1 m grid), ONS, OGL v3.0"),
    "england_wards": ("boundaries", "england_wards_2025.parquet",
                      "Electoral wards May 2025 for England (6,826; generalised, BNG, 1 m "
                      "grid), ONS, OGL v3.0"),
    "england_lsoa21_table": ("data", "england/lsoa21.parquet",
                             "Every England LSOA 2021: authority, best-fit ward (May 2025) and "
                             "postcode district, Census 2021 residents and households, adults "
                             "18+ (mid-2020), rural-urban class"),
    "england_lookup_lsoa11_lsoa21": ("data", "england/lookup_lsoa11_lsoa21.parquet",
                                     "ONS LSOA 2011 to LSOA 2021 lookup, England, OGL v3.0"),
    "england_authorities": ("data", "england/authorities.parquet",
                            "The 296 English local authorities (May 2025) with region, police "
                            "force area, fire authority and rural-urban class, ONS, OGL v3.0"),
    "england_csps": ("data", "england/community_safety_partnerships.parquet",
                     "Local authority to Community Safety Partnership to police force area "
                     "(December 2024), ONS, OGL v3.0"),
    "england_postcodes": ("data", "england/postcodes_gb.parquet",
                          "OS Code-Point Open 2025.4: every postcode in Great Britain with its "
                          "centroid and local authority, OGL v3.0"),
    "england_district_names": ("data", "england/district_names_gb.parquet",
                               "Names of every local authority code in Great Britain"),
    "iod2025_england": ("data", "england/iod2025_lsoa21.parquet",
                        "English Indices of Deprivation 2025 for every LSOA 2021: IMD and "
                        "domain scores, ranks and deciles, MHCLG, OGL v3.0"),
    "iod2019_england": ("data", "england/iod2019_lsoa11.parquet",
                        "English Indices of Deprivation 2019 for every LSOA 2011: ranks, "
                        "deciles and the IMD score, MHCLG, OGL v3.0"),
    "england_authority_profiles": ("data", "england/authority_profiles.parquet",
                                   "Each English authority's residents, area, density, age "
                                   "profile, urban share and IoD2025 summary (derived), for "
                                   "similar-area comparisons"),
    "iod2025_lad_summaries": ("data", "england/iod2025_lad_summaries.parquet",
                              "IoD2025 local authority summaries (File 10), MHCLG, OGL v3.0"),
    "ctsop2023_england": ("data", "england/ctsop2023_lsoa21.parquet",
                          "VOA Council Tax stock of properties, Band A and all properties by "
                          "LSOA 2021, 31 March 2023, OGL v3.0"),
    "england_manifest": ("data", "england/MANIFEST.json",
                         "Source, publisher, licence, vintage, rows and SHA-256 of each file "
                         "of the England reference"),
    "police_uk_2025": ("data", "police_uk/2025",
                       "police.uk street crime and ASB, Sefton, Jan-Dec 2025 (LSOA 2021 codes)"),
    "police_uk_2018_2021": ("data", "police_uk/2018-2021",
                            "police.uk street crime and ASB, Sefton, 2018-2021 (LSOA 2011 codes)"),
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
    "sefton_localities_example": ("data", "examples/EXAMPLE_sefton_localities.csv",
                                  "EXAMPLE localities of Sefton: its 22 wards grouped by "
                                  "town (Southport & Formby, Crosby & Bootle, Maghull & "
                                  "Lydiate) after the 2018/19 CSSA; not an official "
                                  "definition"),
    "synthetic_fly_tipping": ("data", "synthetic/SYNTHETIC_fly_tipping_sefton_2025.toml",
                              "SYNTHETIC example local layer: fly-tipping reports, Sefton "
                              "2025 (definition; data beside it; not real records)"),
    "synthetic_nte_premises": ("data", "synthetic/SYNTHETIC_nte_premises_sefton.csv",
                               "SYNTHETIC example night-time premises (LLPG-style extract), "
                               "Sefton (not real premises)"),
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
