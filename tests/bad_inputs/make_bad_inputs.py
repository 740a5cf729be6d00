"""Write the bad-input files of this folder that are derived from other files.

Run from the repository root: ``python tests/bad_inputs/make_bad_inputs.py``. Each file has
one problem, made from real police.uk rows (the first 20 records of
``tests/data/2025-01-merseyside-street_sample.csv``, or of the bundled Sefton January 2025
file where the records must be in Sefton) or from the bundled SYNTHETIC partner examples.
The README beside this script says what geosafety does with each. The older files here
(``made_on_a_mac.zip`` and the others listed first in the README) were made by hand.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from pyproj import Transformer

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
SAMPLE = ROOT / "tests/data/2025-01-merseyside-street_sample.csv"
SEFTON_JANUARY = ROOT / "data/police_uk/2025/2025-01/2025-01-merseyside-street.csv.gz"
SYNTHETIC = ROOT / "data/synthetic"


def _write(frame: pd.DataFrame, name: str | Path) -> None:
    frame.to_csv(HERE / name, index=False, lineterminator="\n")


def police_uk() -> None:
    """police.uk files: repeated Crime IDs, a file saved twice over, swapped and far points."""
    sample = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False).head(20)
    crimes = sample[sample["Crime ID"].ne("")]
    # Three crimes pasted again at the end (a second export appended by hand).
    _write(pd.concat([sample, crimes.head(3)]), "2025-01-merseyside-street_crime_ids_repeated.csv")
    # The whole file appended to itself.
    _write(pd.concat([sample, sample]), "2025-01-merseyside-street_every_row_twice.csv")
    # Longitude and latitude written into each other's columns on every row.
    swapped = sample.copy()
    swapped[["Longitude", "Latitude"]] = sample[["Latitude", "Longitude"]].to_numpy()
    _write(swapped, "2025-01-merseyside-street_lat_lon_swapped.csv")
    # Sefton records, the second moved 6 km east of the LSOA it names (into Knowsley).
    sefton = pd.read_csv(SEFTON_JANUARY, dtype=str, keep_default_na=False).head(20)
    far = sefton.copy()
    far.loc[1, "Longitude"] = f"{float(far.loc[1, 'Longitude']) + 0.09:.6f}"
    _write(far, "2025-01-merseyside-street_far_from_lsoa.csv")


def _fire() -> pd.DataFrame:
    return pd.read_csv(SYNTHETIC / "SYNTHETIC_fire_incidents_sefton_2025.csv", dtype=str,
                       keep_default_na=False).head(30)


def _marac() -> pd.DataFrame:
    return pd.read_csv(SYNTHETIC / "SYNTHETIC_marac_cases_sefton_2025.csv", dtype=str,
                       keep_default_na=False).head(30)


def partners() -> None:
    """Partner extracts: repeated rows, a file under two names, odd places and dates."""
    fire = _fire()
    # Two incidents exported twice (an overlapping second extract).
    _write(pd.concat([fire, fire.iloc[[3, 7]]]), "SYNTHETIC_fire_incidents_repeated.csv")
    # The same extract saved under a second name by the browser.
    folder = HERE / "SYNTHETIC_fire_same_file_two_names"
    folder.mkdir(exist_ok=True)
    _write(fire, folder / "SYNTHETIC_fire_2025.csv")
    shutil.copyfile(folder / "SYNTHETIC_fire_2025.csv", folder / "SYNTHETIC_fire_2025 (1).csv")
    # Longitude/latitude columns, their values swapped on every row.
    to_lonlat = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    lon, lat = to_lonlat.transform(fire["Easting"].astype(float), fire["Northing"].astype(float))
    lonlat = fire.drop(columns=["Easting", "Northing"]).assign(
        Longitude=[f"{v:.6f}" for v in lat], Latitude=[f"{v:.6f}" for v in lon])
    _write(lonlat, "SYNTHETIC_fire_lat_lon_swapped.csv")
    # A CSV file given an Excel name.
    _write(fire, "SYNTHETIC_fire_csv_named.xlsx")
    marac = _marac()
    # The same victim and date twice (the case exported twice).
    _write(pd.concat([marac, marac.iloc[[5]]]), "SYNTHETIC_marac_repeated_rows.csv")
    # Referral dates typed with the wrong year: 2052 (future) and 1925 (far before).
    dates = marac.copy()
    dates.loc[2, "Referral Date"] = dates.loc[2, "Referral Date"][:6] + "2052"
    dates.loc[4, "Referral Date"] = dates.loc[4, "Referral Date"][:6] + "1925"
    _write(dates, "SYNTHETIC_marac_dates_wrong_year.csv")
    # Residents elsewhere in Great Britain: Cardiff and Edinburgh postcodes, a Cardiff district.
    away = marac.copy()
    away.loc[0, "Postcode"] = "CF10 1EP"
    away.loc[1, "Postcode"] = "EH1 1AD"
    away.loc[2, "Postcode"] = "CF10"
    _write(away, "SYNTHETIC_marac_postcodes_elsewhere.csv")


def excel_97() -> None:
    """A fire extract as an Excel 97-2003 workbook (needs xlwt, which only writes .xls)."""
    import xlwt  # not a geosafety dependency: pip install xlwt to remake this file

    book = xlwt.Workbook()
    sheet = book.add_sheet("Incidents")
    fire = _fire()
    for column, name in enumerate(fire.columns):
        sheet.write(0, column, name)
    for row, values in enumerate(fire.itertuples(index=False), start=1):
        for column, value in enumerate(values):
            sheet.write(row, column, value)
    book.save(str(HERE / "SYNTHETIC_fire_excel_97.xls"))


if __name__ == "__main__":
    police_uk()
    partners()
    excel_97()
