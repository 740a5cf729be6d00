"""Rebuild the bundled England reference (and the Sefton police.uk examples) from the raw copies.

Usage (from the repository root, with ``../shared/data-raw`` beside it)::

    python data/build_bundle.py ../shared/data-raw

What it writes, file by file, with source, publisher, licence, vintage and row count, is in
``data/england/MANIFEST.json`` (written by this script) and described in ``data/README.md``
and ``boundaries/README.md``. Values are never changed except where stated:

* boundaries are reprojected to British National Grid (EPSG:27700) at full precision, so
  point in polygon gives the same answer as on the published polygons; tables are filtered
  to England and renamed to snake_case;
* derived by this script: adults 18+ by LSOA 2021 (mid-2020 single-year-of-age estimates
  carried from LSOA 2011), and each LSOA's best-fit postcode district (Code-Point Open).

Output is deterministic: rebuilding gives identical files.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from geosafety.geography.postcodes import best_fit_districts, postcode_district

ROOT = Path(__file__).resolve().parents[1]
BOUNDARIES = ROOT / "boundaries"
ENGLAND = ROOT / "data" / "england"
#: LAD codes that changed in 2023: the December 2024 (ltla24) tables use the old ones.
LAD24_TO_LAD25 = {"E08000016": "E08000038", "E08000019": "E08000039"}
#: A postcode district whose postcodes sit at fewer distinct centroids than this share of its
#: postcodes is a large-user (non-geographic) district, e.g. L69 or BX: it has no territory.
NON_GEOGRAPHIC_SHARE = 0.25
#: Rows per Parquet row group: small enough that reading one authority skips the rest.
ROW_GROUP = 2_000

OGL = "Open Government Licence v3.0"
ONS = "Office for National Statistics (ONS Open Geography Portal)"
MANIFEST: dict[str, dict] = {}


def record(path: Path, rows: int, **facts: str) -> None:
    """Note a written file in the manifest, with its size and SHA-256."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    MANIFEST[str(path.relative_to(ROOT))] = {"rows": rows, **facts, "bytes": path.stat().st_size,
                                            "sha256": digest}
    print(f"  {path.relative_to(ROOT)}: {rows:,} rows, {path.stat().st_size / 1e6:.2f} MB")


def write_table(frame: pd.DataFrame, path: Path, **facts: str) -> None:
    """Write a table as Parquet (zstd), sorted as given, in small row groups."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, path, compression="zstd", compression_level=19,
                   row_group_size=ROW_GROUP)
    record(path, len(frame), **facts)


def write_boundaries(frame: gpd.GeoDataFrame, path: Path, **facts: str) -> None:
    """Write polygons in British National Grid (reprojected, not rounded)."""
    frame = frame.to_crs("EPSG:27700")
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, compression="zstd", compression_level=19, index=False,
                     row_group_size=ROW_GROUP)
    record(path, len(frame), **facts)


def build_boundaries(england: Path) -> gpd.GeoDataFrame:
    """LSOA 2021 and ward (May 2025) polygons for England; return the LSOAs."""
    lsoas = gpd.read_parquet(england / "lsoa21_bgc_england.parquet")
    lsoas = lsoas.rename(columns={"LSOA21CD": "lsoa21_code", "LSOA21NM": "lsoa21_name",
                                  "LADCD_ACTIVE": "lad_code"})
    lsoas = lsoas[["lsoa21_code", "lsoa21_name", "lad_code", "geometry"]].sort_values(
        ["lad_code", "lsoa21_code"]).reset_index(drop=True)
    write_boundaries(lsoas, BOUNDARIES / "england_lsoa21.parquet",
                     source="drkane/geo-lookups (ONS boundaries), see shared data-raw/england",
                     publisher=ONS,
                     product="Lower layer Super Output Areas (December 2021) Boundaries EW BGC",
                     licence=OGL, vintage="LSOA December 2021")
    wards = gpd.read_parquet(england / "ward25_bgc_england.parquet").drop_duplicates("WD25CD")
    wards = wards.rename(columns={"WD25CD": "ward_code", "WD25NM": "ward_name",
                                  "LAD25CD": "lad_code"})
    wards = wards[["ward_code", "ward_name", "lad_code", "geometry"]].sort_values(
        ["lad_code", "ward_code"]).reset_index(drop=True)
    write_boundaries(wards, BOUNDARIES / "england_wards_2025.parquet",
                     source="drkane/geo-lookups (ONS boundaries), see shared data-raw/england",
                     publisher=ONS, product="Wards (May 2025) Boundaries UK BGC", licence=OGL,
                     vintage="Wards May 2025 (WD25)")
    return lsoas.to_crs("EPSG:27700")


def read_codepoint(england: Path) -> pd.DataFrame:
    """Code-Point Open for Great Britain: postcode, centroid and local authority code."""
    table = pd.read_csv(england / "codepoint_open_2025_gb.csv.gz", dtype={
        "Postcode": str, "Admin_district_code": str},
        usecols=["Postcode", "Eastings", "Northings", "Admin_district_code"])
    return table.rename(columns={"Postcode": "postcode", "Eastings": "easting",
                                 "Northings": "northing",
                                 "Admin_district_code": "lad_code"}).sort_values("postcode")


def build_postcodes(codepoint: pd.DataFrame) -> None:
    """Every postcode in Great Britain with its centroid and local authority."""
    path = ENGLAND / "postcodes_gb.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.table({
        "postcode": codepoint["postcode"].to_numpy(),
        "easting": codepoint["easting"].astype("int32").to_numpy(),
        "northing": codepoint["northing"].astype("int32").to_numpy(),
        "lad_code": codepoint["lad_code"].fillna("").to_numpy(),
    })
    pq.write_table(table, path, compression="zstd", compression_level=19,
                   use_dictionary=["postcode", "lad_code"],
                   column_encoding={"easting": "DELTA_BINARY_PACKED",
                                    "northing": "DELTA_BINARY_PACKED"})
    record(path, len(codepoint), source="A-makarim/UCL-CSRI (OS Code-Point Open files)",
           publisher="Ordnance Survey", product="OS Code-Point Open", licence=f"OS OpenData, {OGL}",
           vintage="2025.4.0 (October 2025)",
           note="EPSG:27700 centroids; lad_code empty where Code-Point gives none")


def non_geographic_districts(codepoint: pd.DataFrame) -> set[str]:
    """Districts whose postcodes sit at few distinct centroids (large users, PO boxes)."""
    frame = codepoint.assign(district=codepoint["postcode"].map(postcode_district),
                             xy=codepoint["easting"].astype(str) + ","
                             + codepoint["northing"].astype(str))
    counts = frame.groupby("district").agg(n=("postcode", "size"), points=("xy", "nunique"))
    return set(counts.index[counts["points"] / counts["n"] < NON_GEOGRAPHIC_SHARE])


def lsoa_districts(codepoint: pd.DataFrame, lsoas: gpd.GeoDataFrame) -> pd.DataFrame:
    """Each LSOA's best-fit postcode district, authority by authority.

    Within an authority, each LSOA goes to the district holding most of the authority's
    geographic postcode centroids inside it; an LSOA holding none takes the district of the
    nearest such centroid.
    """
    skip = non_geographic_districts(codepoint)
    geographic = codepoint[~codepoint["postcode"].map(postcode_district).isin(skip)]
    rows = []
    for lad, areas in lsoas.groupby("lad_code", sort=True):
        own = geographic[geographic["lad_code"] == lad]
        points = gpd.GeoDataFrame({"postcode": own["postcode"].to_numpy()},
                                  geometry=gpd.points_from_xy(own["easting"], own["northing"]),
                                  crs="EPSG:27700")
        rows.append(best_fit_districts(points, areas, nearest_when_empty=True))
    return pd.concat(rows, ignore_index=True)


def adults_18_plus(england: Path, lookup: pd.DataFrame, residents: pd.Series) -> pd.Series:
    """Adults 18+ by LSOA 2021 from mid-2020 LSOA 2011 estimates.

    Each LSOA 2011's adults are shared among its LSOA 2021 successors by their Census 2021
    residents (all of them for an unchanged LSOA), summed per LSOA 2021 (merged LSOAs take
    every predecessor's share) and rounded to whole people.
    """
    ages = pd.read_csv(england / "population20_lsoa11_syoa_ew.csv.gz")
    adult_columns = [c for c in ages.columns if c == "90+" or (c.isdigit() and int(c) >= 18)]
    adults11 = ages.set_index("lsoa11_code")[adult_columns].sum(axis=1)
    pairs = lookup[["lsoa11_code", "lsoa21_code"]].copy()
    pairs["residents21"] = pairs["lsoa21_code"].map(residents)
    pairs["share"] = pairs["residents21"] / pairs.groupby("lsoa11_code")[
        "residents21"].transform("sum")
    pairs["adults"] = pairs["lsoa11_code"].map(adults11) * pairs["share"]
    return pairs.groupby("lsoa21_code")["adults"].sum().round().astype(int)


def build_lsoa_table(england: Path, codepoint: pd.DataFrame,
                     lsoas: gpd.GeoDataFrame) -> pd.DataFrame:
    """One row per England LSOA 2021: authority, best-fit ward and district, denominators."""
    best_fit = pd.read_csv(england / "lookup_lsoa21_wd25_lad25_ew.csv.gz", dtype=str,
                           encoding="utf-8-sig")
    best_fit = best_fit[best_fit["LAD25CD"].str.startswith("E")].set_index("LSOA21CD")
    census = pd.read_csv(england / "census2021_lsoa21_residents_households_ew.csv.gz",
                         index_col="lsoa21_code")
    lookup = pd.read_csv(england / "lookup_lsoa11_lsoa21_ltla22.csv.gz", dtype=str)
    lookup = lookup[lookup["lsoa21_code"].str.startswith("E")]
    ruc = pd.read_csv(england / "ruc21_lsoa21.csv.gz", index_col="lsoa21_code")
    districts = lsoa_districts(codepoint, lsoas).set_index("lsoa21_code")
    table = pd.DataFrame({"lsoa21_code": lsoas["lsoa21_code"].to_numpy(),
                          "lad_code": lsoas["lad_code"].to_numpy()})
    codes = table["lsoa21_code"]
    table["ward_code"] = codes.map(best_fit["WD25CD"])
    table["postcode_district"] = codes.map(districts["district"])
    table["share_of_lsoa_postcodes"] = codes.map(districts["share_of_lsoa_postcodes"])
    table["residents"] = codes.map(census["total_residents"]).astype(int)
    table["households"] = codes.map(census["total_households"]).astype(int)
    table["adults"] = codes.map(adults_18_plus(england, lookup, census["total_residents"]))
    table["ruc21"] = codes.map(ruc["ruc21_code"])
    if table.isna().any().any():
        raise ValueError(f"missing values in the LSOA table:\n{table[table.isna().any(axis=1)]}")
    write_table(table, ENGLAND / "lsoa21.parquet",
                source="shared data-raw/england: ONS WD25 best-fit lookup, Census 2021 "
                       "(TS021, TS054), ONS mid-2020 SAPE (SYOA, LSOA 2011), ONS RUC 2021, "
                       "OS Code-Point Open",
                publisher=ONS, licence=OGL,
                vintage="LSOA 2021; wards May 2025; Census 21 March 2021; adults mid-2020",
                derived="adults (mid-2020 estimates carried to LSOA 2021 by Census residents) "
                        "and postcode_district (best fit of Code-Point centroids) are made by "
                        "this script")
    lookup_out = lookup[["lsoa11_code", "lsoa11_name", "change_code", "lsoa21_code",
                         "lsoa21_name"]].sort_values(["lsoa21_code", "lsoa11_code"])
    write_table(lookup_out, ENGLAND / "lookup_lsoa11_lsoa21.parquet",
                source="humaniverse/geographr", publisher=ONS,
                product="LSOA (2011) to LSOA (2021) to LAD (2022) Lookup for England and Wales "
                        "(Version 2)", licence=OGL, vintage="2022")
    return table


def local_authority_names(codelist: Path) -> dict[str, str]:
    """Names of every GB district code from Code-Point Open's code list (Boundary-Line)."""
    names: dict[str, str] = {}
    for sheet in ("DIS", "MTD", "UTA", "LBO"):
        table = pd.read_excel(codelist, sheet_name=sheet, header=None, names=["name", "code"])
        cleaned = table["name"].str.replace(r"\s+(District|London Boro)?\s*(\(B\))?$", "",
                                            regex=True).str.strip()
        cleaned = cleaned.str.replace(r"^.* - ", "", regex=True)  # Welsh "Caerdydd - Cardiff"
        names.update(zip(table["code"], cleaned, strict=True))
    return names


def build_authorities(england: Path) -> None:
    """Write the 296 authorities, their partnerships, and every GB district code's name.

    Each authority comes with its region, police force area, fire authority and rural-urban
    class.
    """
    best_fit = pd.read_csv(england / "lookup_lsoa21_wd25_lad25_ew.csv.gz", dtype=str,
                           encoding="utf-8-sig")
    lads = best_fit[best_fit["LAD25CD"].str.startswith("E")].drop_duplicates("LAD25CD")
    table = lads[["LAD25CD", "LAD25NM"]].rename(columns={"LAD25CD": "lad_code",
                                                        "LAD25NM": "lad_name"})
    table = table.sort_values("lad_code").reset_index(drop=True)

    def by_lad25(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(lad_code=frame["ltla24_code"].replace(LAD24_TO_LAD25))

    region = by_lad25(pd.read_csv(england / "lookup_ltla24_region24.csv")).set_index("lad_code")
    fire = by_lad25(pd.read_csv(england / "lookup_ltla24_fra24.csv")).set_index("lad_code")
    ruc = by_lad25(pd.read_csv(england / "ruc21_ltla24.csv")).set_index("lad_code")
    csp = by_lad25(pd.read_csv(england / "lookup_ltla24_csp24_pfa24.csv"))
    csp = csp[csp["lad_code"].isin(table["lad_code"])]
    pfa = csp.drop_duplicates("lad_code").set_index("lad_code")
    table["region"] = table["lad_code"].map(region["region24_name"])
    table["police_force_area_code"] = table["lad_code"].map(pfa["pfa24_code"])
    table["police_force_area"] = table["lad_code"].map(pfa["pfa24_name"])
    table["fire_authority"] = table["lad_code"].map(fire["fra24_name"])
    table["ruc21_code"] = table["lad_code"].map(ruc["ruc21_code"])
    table["ruc21"] = table["lad_code"].map(ruc["classification"])
    if table.isna().any().any():
        raise ValueError(f"authorities without a lookup row:\n{table[table.isna().any(axis=1)]}")
    write_table(table, ENGLAND / "authorities.parquet",
                source="ONS WD25 best-fit lookup (names); humaniverse/geographr lookups",
                publisher=ONS, licence=OGL,
                product="LAD (May 2025) names; LAD to Region, to Fire and Rescue Authority, to "
                        "Community Safety Partnership to PFA (December 2024); RUC 2021 of LADs",
                vintage="LAD May 2025 (Barnsley E08000038, Sheffield E08000039); lookups "
                        "December 2024")
    csp_out = csp[["lad_code", "csp24_code", "csp24_name", "pfa24_code", "pfa24_name"]].rename(
        columns={"csp24_code": "csp_code", "csp24_name": "csp_name",
                 "pfa24_code": "police_force_area_code", "pfa24_name": "police_force_area"})
    write_table(csp_out.sort_values(["lad_code", "csp_code"]),
                ENGLAND / "community_safety_partnerships.parquet",
                source="humaniverse/geographr", publisher=ONS, licence=OGL,
                product="LAD to Community Safety Partnership to PFA (December 2024) Lookup in EW",
                vintage="December 2024",
                note="some authorities are in several CSPs, which follow former districts")
    names = local_authority_names(england / "codepoint_doc" / "Codelist.xlsx")
    names.update(dict(zip(table["lad_code"], table["lad_name"], strict=True)))
    frame = pd.DataFrame(sorted(names.items()), columns=["lad_code", "lad_name"])
    write_table(frame, ENGLAND / "district_names_gb.parquet",
                source="OS Code-Point Open code list (Boundary-Line); England names from the "
                       "ONS WD25 lookup", publisher="Ordnance Survey; ONS",
                licence=f"OS OpenData, {OGL}", vintage="2025",
                note="names postcodes' authorities anywhere in Great Britain")
    summaries = by_lad25(pd.read_csv(england / "imd2025_england_ltla24.csv"))
    summaries = summaries.drop(columns=["ltla24_code"]).rename(columns={"ltla24_name": "lad_name"})
    summaries = summaries[["lad_code", *[c for c in summaries.columns if c != "lad_code"]]]
    write_table(summaries.sort_values("lad_code"), ENGLAND / "iod2025_lad_summaries.parquet",
                source="humaniverse/IMD", publisher="MHCLG",
                product="English Indices of Deprivation 2025, File 10: Local Authority District "
                        "summaries (lower-tier) v2", licence=OGL, vintage="IoD2025")


def build_deprivation_and_housing(raw: Path) -> None:
    """IoD2025 (LSOA 2021) and IoD2019 (LSOA 2011) for England; VOA Band A by LSOA 2021."""
    iod25 = pd.read_csv(raw / "imd-humaniverse/imd2025_england_lsoa21_ALL_ENGLAND.csv.gz")
    write_table(iod25.sort_values("lsoa21_code"), ENGLAND / "iod2025_lsoa21.parquet",
                source="humaniverse/IMD", publisher="MHCLG",
                product="English Indices of Deprivation 2025, File 7 (scores, ranks, deciles)",
                licence=OGL, vintage="IoD2025, 30 October 2025")
    iod19 = pd.read_csv(raw / "imd-humaniverse/imd2019_england_lsoa11_ALL_ENGLAND.csv.gz")
    score = pd.read_csv(raw / "nhsrpopulation/imd2019_score_decile_ALL_ENGLAND.csv.gz")
    score = score.rename(columns={"lsoa_code": "lsoa11_code", "imd_score": "IMD_score"})
    iod19 = iod19.merge(score[["lsoa11_code", "IMD_score"]], on="lsoa11_code", how="left")
    if iod19["IMD_score"].isna().any():
        raise ValueError("IoD2019 scores missing for some LSOAs")
    write_table(iod19.sort_values("lsoa11_code"), ENGLAND / "iod2019_lsoa11.parquet",
                source="humaniverse/IMD (ranks, deciles); NHS-R nhsrpopulation (IMD score)",
                publisher="MHCLG",
                product="English Indices of Deprivation 2019, File 7 (domain scores were not in "
                        "the copies: ranks and deciles, and the IMD score)",
                licence=OGL, vintage="IoD2019, 26 September 2019 (LSOA 2011)")
    ctsop = pd.read_csv(raw / "england/voa_ctsop1_1_2023_03_31_ew.csv.gz", dtype=str,
                        keep_default_na=False, encoding="utf-8-sig")
    ctsop = ctsop[(ctsop["geography"] == "LSOA") & ctsop["ecode"].str.startswith("E")]
    ctsop = ctsop[["ecode", "band_a", "all_properties"]].rename(columns={"ecode": "lsoa21_code"})
    write_table(ctsop.sort_values("lsoa21_code"), ENGLAND / "ctsop2023_lsoa21.parquet",
                source="Stickmen1/MD-CBL-Group14", publisher="Valuation Office Agency",
                product="Council Tax: stock of properties, table CTSOP1.1", licence=OGL,
                vintage="31 March 2023 (LSOA 2021 codes)",
                note="values as published: rounded to 10, '-' = fewer than 5")


def build_profiles(england: Path, lsoas: gpd.GeoDataFrame, table: pd.DataFrame) -> None:
    """Each authority's size, density, age profile, urban share and deprivation summary.

    The open-data characteristics :mod:`geosafety.analysis.similar` compares authorities on.
    Age bands come from the mid-2020 single-year-of-age estimates, carried from LSOA 2011
    to LSOA 2021 like the adults (shares of each LSOA 2011 by Census 2021 residents).
    """
    ages = pd.read_csv(england / "population20_lsoa11_syoa_ew.csv.gz")
    single = [c for c in ages.columns if c.isdigit() or c == "90+"]
    years = {c: 90 if c == "90+" else int(c) for c in single}
    bands = pd.DataFrame({
        "under_18": ages[[c for c in single if years[c] < 18]].sum(axis=1),
        "age_18_64": ages[[c for c in single if 18 <= years[c] < 65]].sum(axis=1),
        "age_65_plus": ages[[c for c in single if years[c] >= 65]].sum(axis=1),
    }).set_index(ages["lsoa11_code"])
    lookup = pd.read_parquet(ENGLAND / "lookup_lsoa11_lsoa21.parquet")
    lookup = lookup.assign(residents=lookup["lsoa21_code"].map(
        table.set_index("lsoa21_code")["residents"]))
    lookup["share"] = lookup["residents"] / lookup.groupby("lsoa11_code")[
        "residents"].transform("sum")
    carried = bands.reindex(lookup["lsoa11_code"]).mul(lookup["share"].to_numpy(), axis=0)
    carried["lad_code"] = lookup["lsoa21_code"].map(
        table.set_index("lsoa21_code")["lad_code"]).to_numpy()
    ages_by_lad = carried.groupby("lad_code").sum()
    area_km2 = lsoas.assign(km2=lsoas.geometry.area / 1e6).groupby("lad_code")["km2"].sum()
    urban = table.assign(urban=table["ruc21"].str.startswith("U") * table["residents"])
    by_lad = urban.groupby("lad_code")[["urban", "residents"]].sum()
    summaries = pd.read_parquet(ENGLAND / "iod2025_lad_summaries.parquet").set_index("lad_code")
    profile = pd.DataFrame({"residents": by_lad["residents"]})
    profile["area_km2"] = area_km2.reindex(profile.index).round(3)
    profile["residents_per_km2"] = (profile["residents"] / profile["area_km2"]).round(1)
    population = ages_by_lad.sum(axis=1)
    profile["share_under_18"] = (ages_by_lad["under_18"] / population).round(4)
    profile["share_65_plus"] = (ages_by_lad["age_65_plus"] / population).round(4)
    profile["share_urban"] = (by_lad["urban"] / by_lad["residents"]).round(4)
    profile["imd_average_score"] = summaries["imd_average_score"]
    profile["imd_extent"] = summaries["imd25_extent"]
    profile["imd_local_concentration"] = summaries["imd25_local_concentration"]
    if profile.isna().any().any():
        raise ValueError(f"missing profile values:\n{profile[profile.isna().any(axis=1)]}")
    write_table(profile.reset_index(), ENGLAND / "authority_profiles.parquet",
                source="derived from this reference: Census 2021 residents, LSOA areas, ONS "
                       "mid-2020 single-year-of-age estimates, ONS RUC 2021 of LSOAs, IoD2025 "
                       "File 10", publisher="ONS; MHCLG (derived by geosafety)", licence=OGL,
                vintage="Census 2021; mid-2020; RUC 2021; IoD2025",
                derived="every column is computed by this script from the files named")


def build_police_uk(raw: Path) -> None:
    """Copy the Sefton police.uk monthly street files into the archive layout, gzipped."""
    monthly = sorted((raw / "policeuk-merseyside/sefton_monthly").glob("*_SEFTON.csv"))
    for source in monthly:
        month = source.name[:7]
        group = "2025" if month.startswith("2025") else "2018-2021"
        target = ROOT / "data" / "police_uk" / group / month / f"{month}-merseyside-street.csv.gz"
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as raw_out, gzip.GzipFile(
            fileobj=raw_out, mode="wb", mtime=0, filename=""
        ) as gz:
            gz.write(source.read_bytes())
    print(f"  data/police_uk: {len(monthly)} monthly street files")


def main(raw_dir: str) -> None:
    """Rebuild every bundled file from ``raw_dir`` (the shared ``data-raw`` folder)."""
    raw = Path(raw_dir).resolve()
    england = raw / "england"
    print(f"Building the England reference from {raw}")
    lsoas = build_boundaries(england)
    codepoint = read_codepoint(england)
    build_postcodes(codepoint)
    table = build_lsoa_table(england, codepoint, lsoas)
    build_authorities(england)
    build_profiles(england, lsoas, table)
    build_deprivation_and_housing(raw)
    build_police_uk(raw)
    (ENGLAND / "MANIFEST.json").write_text(json.dumps(MANIFEST, indent=2) + "\n",
                                           encoding="utf-8")
    total = sum(entry["bytes"] for entry in MANIFEST.values())
    print(f"England reference: {len(MANIFEST)} files, {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT.parent / "shared" / "data-raw"))
