"""Rebuild the bundled Sefton boundaries and data from the raw open-data copies.

Usage (from the repository root, with ``../shared/data-raw`` beside it)::

    python data/build_bundle.py ../shared/data-raw

What it does, file by file, is written in ``data/README.md`` and ``boundaries/README.md``.
Values are never changed: files are filtered to Sefton, columns renamed to snake_case where
stated, and compressed. The one derived layer, postcode districts, is built by
:func:`geosafety.postcodes.build_postcode_districts` from the Code-Point Open centroids.
Output is deterministic (gzip timestamps are zero), so re-running gives identical files.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geosafety.geography import build_postcode_districts, postcode_district

SEFTON = "E08000014"
ROOT = Path(__file__).resolve().parents[1]
CODEPOINT_COLUMNS = [
    "Postcode", "Positional_quality_indicator", "Eastings", "Northings", "Country_code",
    "NHS_regional_HA_code", "NHS_HA_code", "Admin_county_code", "Admin_district_code",
    "Admin_ward_code",
]
#: Large-user / non-geographic districts: no territory of their own (see Code-Point docs).
NON_GEOGRAPHIC_DISTRICTS = {"L68", "L69", "L70", "L71", "L72", "L74", "L75", "L80"}


def write_csv_gz(frame: pd.DataFrame, path: Path) -> None:
    """Write a CSV, gzip-compressed with a zero timestamp so rebuilds are byte-identical."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(text)
    print(f"  {path.relative_to(ROOT)}: {len(frame):,} rows")


def write_parquet(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Write GeoParquet (zstd) and report the feature count."""
    frame.to_parquet(path, compression="zstd", index=False)
    print(f"  {path.relative_to(ROOT)}: {len(frame):,} features")


def build_boundaries(raw: Path) -> gpd.GeoDataFrame:
    """Copy LSOA 2021/2011 and ward polygons; return the LSOA 2021 layer."""
    src = raw / "geo-lookups-drkane"
    lsoa21 = gpd.read_file(src / "lsoa_E08000014.geojson")[["LSOA21CD", "LSOA21NM", "geometry"]]
    lsoa21.columns = ["lsoa21_code", "lsoa21_name", "geometry"]
    lsoa11 = gpd.read_file(src / "lsoa11_E08000014.geojson")[["LSOA11CD", "LSOA11NM", "geometry"]]
    lsoa11.columns = ["lsoa11_code", "lsoa11_name", "geometry"]
    wards = gpd.read_file(src / "ward_E08000014.geojson")[["WD25CD", "WD25NM", "geometry"]]
    wards.columns = ["ward_code", "ward_name", "geometry"]
    out = ROOT / "boundaries"
    write_parquet(lsoa21.sort_values("lsoa21_code"), out / "sefton_lsoa21.parquet")
    write_parquet(lsoa11.sort_values("lsoa11_code"), out / "sefton_lsoa11.parquet")
    write_parquet(wards.sort_values("ward_code"), out / "sefton_wards_2025.parquet")
    return lsoa21


def local_authority_names(codelist: Path) -> dict[str, str]:
    """Read local authority names by code from Code-Point Open's code list (Boundary-Line)."""
    names: dict[str, str] = {}
    for sheet in ("DIS", "MTD", "UTA", "LBO"):
        table = pd.read_excel(codelist, sheet_name=sheet, header=None, names=["name", "code"])
        cleaned = table["name"].str.replace(r"\s+(District|London Boro)?\s*(\(B\))?$", "",
                                            regex=True).str.strip()
        names.update(zip(table["code"], cleaned, strict=True))
    return names


def build_postcodes(raw: Path, lsoa21: gpd.GeoDataFrame) -> None:
    """Extract Sefton Code-Point Open rows and build postcode district polygons from them."""
    src = raw / "codepoint-open-2025"
    frames = [
        pd.read_csv(src / name, header=None, names=CODEPOINT_COLUMNS, dtype=str)
        for name in ("l.csv", "pr.csv")
    ]
    codepoint = pd.concat(frames, ignore_index=True)
    sefton = codepoint[codepoint["Admin_district_code"] == SEFTON].sort_values("Postcode")
    write_csv_gz(sefton, ROOT / "data" / "codepoint_open_2025_sefton.csv.gz")

    names = local_authority_names(src / "Doc" / "Codelist.xlsx")
    areas = codepoint[["Postcode", "Admin_district_code"]].copy()
    areas["Admin_district_name"] = areas["Admin_district_code"].map(names)
    write_csv_gz(areas.sort_values("Postcode"), ROOT / "data" / "postcode_authority_L_PR.csv.gz")

    geographic = sefton[~sefton["Postcode"].map(postcode_district).isin(NON_GEOGRAPHIC_DISTRICTS)]
    points = gpd.GeoDataFrame(
        {"postcode": geographic["Postcode"].to_numpy()},
        geometry=gpd.points_from_xy(
            geographic["Eastings"].astype(float), geographic["Northings"].astype(float)
        ),
        crs="EPSG:27700",
    )
    districts, lsoa_to_district = build_postcode_districts(points, lsoa21.to_crs("EPSG:27700"))
    write_parquet(districts.to_crs("EPSG:4326"),
                  ROOT / "boundaries" / "sefton_postcode_districts.parquet")
    write_csv_gz(lsoa_to_district, ROOT / "data" / "lookup_lsoa21_postcode_district_sefton.csv.gz")


def build_tables(raw: Path) -> None:
    """Copy population, lookups, IoD and Council Tax tables (Sefton rows, values unchanged)."""
    data = ROOT / "data"
    census = pd.read_csv(
        raw / "population-demographr/census2021_lsoa21_residents_households_sefton.csv")
    census = census.rename(
        columns={"total_residents": "residents", "total_households": "households"})
    census[["residents", "households"]] = census[["residents", "households"]].astype(int)
    write_csv_gz(census, data / "census2021_lsoa21_population_sefton.csv.gz")

    lookups = raw / "lookups-geographr"
    lsoa_lookup = pd.read_csv(lookups / "lookup_lsoa11_lsoa21_ltla22_sefton.csv", dtype=str)
    write_csv_gz(lsoa_lookup[["lsoa11_code", "lsoa11_name", "change_code", "lsoa21_code",
                              "lsoa21_name"]], data / "lookup_lsoa11_lsoa21_sefton.csv.gz")
    ward_lookup = pd.read_csv(lookups / "lookup_lsoa21_ward24_ltla24_sefton.csv", dtype=str)
    write_csv_gz(ward_lookup[["lsoa21_code", "lsoa21_name", "ward24_code", "ward24_name"]]
                 .sort_values("lsoa21_code"), data / "lookup_lsoa21_ward24_sefton.csv.gz")

    iod25 = pd.read_csv(raw / "imd-humaniverse/imd2025_england_lsoa21_sefton.csv")
    write_csv_gz(iod25.sort_values("lsoa21_code"), data / "iod2025_lsoa21_sefton.csv.gz")
    national = pd.read_csv(raw / "imd-humaniverse/imd2025_england_lsoa21_ALL_ENGLAND.csv.gz")
    keep = ["lsoa21_code", "IMD_score", "IMD_rank", "IMD_decile"] + [
        c for c in national.columns if c.endswith("_rank") and c != "IMD_rank"]
    write_csv_gz(national[keep].sort_values("lsoa21_code"),
                 data / "iod2025_lsoa21_england_ranks.csv.gz")
    iod19 = pd.read_csv(raw / "imd-humaniverse/imd2019_england_lsoa11_sefton.csv")
    score19 = pd.read_csv(raw / "nhsrpopulation/imd2019_score_decile_sefton.csv")
    iod19 = iod19.merge(score19[["lsoa_code", "imd_score"]].rename(
        columns={"lsoa_code": "lsoa11_code", "imd_score": "IMD_score"}), on="lsoa11_code")
    write_csv_gz(iod19.sort_values("lsoa11_code"), data / "iod2019_lsoa11_sefton.csv.gz")

    ctsop = pd.read_csv(raw / "voa-ctsop/CTSOP1_1_2023_03_31_SEFTON.csv", dtype=str,
                        keep_default_na=False)
    write_csv_gz(ctsop, data / "voa_ctsop1_1_2023_sefton.csv.gz")


def build_adults(raw: Path) -> None:
    """Adults aged 18+ by LSOA 2021 from ONS mid-2020 LSOA 2011 single-year-of-age estimates.

    Unchanged LSOAs carry their 2011 figure; a split LSOA 2011's adults are shared among its
    2021 parts in proportion to their Census 2021 usual residents, rounded to whole people.
    """
    ages = pd.read_csv(raw / "population-demographr/population20_lsoa11_sefton.csv")
    adult_columns = [c for c in ages.columns if c == "90+" or (c.isdigit() and int(c) >= 18)]
    adults11 = ages.set_index("lsoa11_code")[adult_columns].sum(axis=1)
    lookup = pd.read_csv(raw / "lookups-geographr/lookup_lsoa11_lsoa21_ltla22_sefton.csv")
    census = pd.read_csv(
        raw / "population-demographr/census2021_lsoa21_residents_households_sefton.csv"
    ).set_index("lsoa21_code")["total_residents"]
    lookup["residents21"] = lookup["lsoa21_code"].map(census)
    lookup["share"] = lookup["residents21"] / lookup.groupby("lsoa11_code")[
        "residents21"].transform("sum")
    lookup["adults_18_plus"] = (lookup["lsoa11_code"].map(adults11) * lookup["share"]).round()
    lookup["method"] = lookup["change_code"].map(
        {"U": "unchanged LSOA: mid-2020 estimate",
         "S": "split LSOA: mid-2020 estimate shared by Census 2021 residents"})
    out = lookup[["lsoa21_code", "adults_18_plus", "method"]].sort_values("lsoa21_code")
    out["adults_18_plus"] = out["adults_18_plus"].astype(int)
    write_csv_gz(out, ROOT / "data" / "adults18_lsoa21_mid2020_sefton.csv.gz")


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
    print(f"Building bundle from {raw}")
    lsoa21 = build_boundaries(raw)
    build_postcodes(raw, lsoa21)
    build_tables(raw)
    build_adults(raw)
    build_police_uk(raw)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT.parent / "shared" / "data-raw"))
