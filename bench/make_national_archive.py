"""Make a SYNTHETIC police.uk bulk archive for England, for the national benchmarks.

Run ``python bench/make_national_archive.py [--year 2025] [--out bench/data]``. It writes
``SYNTHETIC_police_uk_england_<year>.zip`` laid out as police.uk's bulk download is
(``YYYY-MM/YYYY-MM-<force>-street.csv`` for every force and month, the twelve police.uk
columns), about 6 million records. **Every record is made up**: there is no national
police.uk data in this repository, and this archive is never shipped (``bench/data/`` is
ignored by git); it exists so the national reader and measures can be timed at full size.

How the records are made, from the bundled England reference only:

* **Volumes.** Each LSOA's expected records a year are its Census 2021 residents times
  England's rate (about 105 per 1,000 residents, police.uk's order of magnitude), scaled by
  its IoD2025 crime-domain rank: ``exp(1.7 * (1 - rank / N))``, normalised so England's
  total is unchanged, which makes the most deprived fifth's rate about four times the least
  deprived fifth's, as in Sefton's real 2025 data. Each month's count is a Poisson draw.
* **Crime types** in the shares of Sefton's real 2025 police.uk records (bundled).
* **Places.** Each record sits at one of up to 30 map points of its LSOA: real OS
  Code-Point Open postcode centroids inside the LSOA's boundary (its representative point
  where it holds none), as police.uk snaps records to anonymised map points.
* **Forces** by each authority's police force area; Crime IDs are random, ASB has none.
"""

from __future__ import annotations

import argparse
import io
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
from pyarrow import csv

from geosafety import authorities, get_path, read_police_uk
from geosafety.geography.reference import national_table
from geosafety.io.police_uk import STREET_COLUMNS
from geosafety.measures.categories import slug

RATE_PER_RESIDENT = 0.105
DEPRIVATION_SLOPE = 1.7
POINTS_PER_LSOA = 30
SEED = 15


def _map_points(lsoas: gpd.GeoDataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Up to POINTS_PER_LSOA postcode centroids inside each LSOA, as lon/lat."""
    postcodes = national_table("england_postcodes")
    postcodes = postcodes[postcodes["lad_code"].str.startswith("E")]
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(postcodes["easting"],
                                                         postcodes["northing"]),
                              crs="EPSG:27700")
    inside = gpd.sjoin(points, lsoas[["geometry"]], predicate="within")
    inside = inside.rename(columns={"lsoa21_code": "lsoa_code", "index_right": "lsoa_code"})
    inside["order"] = rng.random(len(inside))
    inside = inside.sort_values(["lsoa_code", "order"]).groupby("lsoa_code").head(
        POINTS_PER_LSOA)
    missing = lsoas.index.difference(inside["lsoa_code"])
    extra = gpd.GeoDataFrame({"lsoa_code": missing},
                             geometry=lsoas.loc[missing].representative_point().to_numpy(),
                             crs="EPSG:27700")
    every = pd.concat([inside[["lsoa_code", "geometry"]], extra], ignore_index=True)
    lonlat = gpd.GeoSeries(every.geometry, crs="EPSG:27700").to_crs("EPSG:4326")
    return pd.DataFrame({"lsoa_code": every["lsoa_code"].to_numpy(),
                         "longitude": lonlat.x.round(6), "latitude": lonlat.y.round(6)})


def _expected(lsoas: pd.DataFrame) -> pd.Series:
    """Expected records a year per LSOA: residents x rate x deprivation, England's total kept."""
    iod = national_table("iod2025_england").set_index("lsoa21_code")
    rank = iod["Crime_rank"].reindex(lsoas.index)
    weight = np.exp(DEPRIVATION_SLOPE * (1 - rank / len(iod)))
    residents = lsoas["residents"]
    weight = weight / ((weight * residents).sum() / residents.sum())
    return residents * RATE_PER_RESIDENT * weight


def _crime_type_shares() -> pd.Series:
    records = read_police_uk(get_path("police_uk_2025"))
    return records["crime_type"].value_counts(normalize=True).sort_index()


def make_archive(year: int, out: Path) -> Path:
    """Write the SYNTHETIC archive for ``year`` into ``out``; return its path."""
    start = time.perf_counter()
    rng = np.random.default_rng(SEED)
    table = national_table("england_lsoa21_table").set_index("lsoa21_code")
    boundaries = gpd.read_parquet(get_path("england_lsoa21")).set_index("lsoa21_code")
    names = boundaries["lsoa21_name"]
    forces = table["lad_code"].map(authorities()["police_force_area"])
    points = _map_points(boundaries, rng)
    print(f"map points: {len(points):,} in {points['lsoa_code'].nunique():,} LSOAs "
          f"({time.perf_counter() - start:.0f} s)")
    point_of = points.groupby("lsoa_code", sort=True)
    first = point_of.indices
    lsoa_codes = table.index.to_numpy()
    offsets = np.array([first[c][0] for c in lsoa_codes])
    counts_of_points = np.array([len(first[c]) for c in lsoa_codes])
    expected = _expected(table).to_numpy() / 12
    shares = _crime_type_shares()
    path = out / f"SYNTHETIC_police_uk_england_{year}.zip"
    out.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".zip.partial")
    total = 0
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED,
                         compresslevel=1) as archive:
        for month in range(1, 13):
            label = f"{year}-{month:02d}"
            counts = rng.poisson(expected)
            which = np.repeat(np.arange(len(lsoa_codes)), counts)
            crime = rng.choice(shares.index.to_numpy(), size=len(which), p=shares.to_numpy())
            point = offsets[which] + (rng.random(len(which)) * counts_of_points[which]).astype(
                int)
            ids = np.frombuffer(rng.bytes(32 * len(which)).hex().encode(), dtype="S64")
            asb = crime == "Anti-social behaviour"
            force = forces.to_numpy()[which]
            frame = pd.DataFrame({
                "Crime ID": np.where(asb, "", ids.astype(str)),
                "Month": label, "Reported by": force, "Falls within": force,
                "Longitude": points["longitude"].to_numpy()[point],
                "Latitude": points["latitude"].to_numpy()[point],
                "Location": "On or near SYNTHETIC street",
                "LSOA code": lsoa_codes[which],
                "LSOA name": names.reindex(lsoa_codes).to_numpy()[which],
                "Crime type": crime,
                "Last outcome category": np.where(asb, "", "Under investigation"),
                "Context": "",
            }, columns=list(STREET_COLUMNS))
            for name, rows in frame.groupby("Falls within", sort=True):
                buffer = io.BytesIO()
                csv.write_csv(pa.Table.from_pandas(rows, preserve_index=False), buffer,
                              write_options=csv.WriteOptions(quoting_style="needed"))
                archive.writestr(f"{label}/{label}-{slug(str(name))}-street.csv",
                                 buffer.getvalue())
            total += len(frame)
            print(f"{label}: {len(frame):,} records ({time.perf_counter() - start:.0f} s)")
    partial.replace(path)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.0f} MB, {total:,} SYNTHETIC records)")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("data"))
    arguments = parser.parse_args()
    make_archive(arguments.year, arguments.out)


if __name__ == "__main__":
    main()
