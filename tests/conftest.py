"""Shared fixtures: a hand-built study area with known answers, and police.uk file writers."""

from __future__ import annotations

import csv
import gzip
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geosafety.conftest import _session_read_cache  # noqa: F401 (read cache kept in tmp)
from geosafety.geography import StudyArea
from geosafety.io import STREET_COLUMNS

DATA = Path(__file__).parent / "data"
#: South-west corner of the hand-built area, in British National Grid metres (near Bootle).
X0, Y0 = 333_000, 396_000


def square(col: int, row: int, size: float = 1000) -> object:
    return box(X0 + col * size, Y0 + row * size, X0 + (col + 1) * size, Y0 + (row + 1) * size)


@pytest.fixture(scope="session")
def toy_area() -> StudyArea:
    """Four 1 km LSOA squares A B (top) / C D (bottom).

    LSOA 2011 "E01000011" covered A+B and was split into A and B in 2021; C and D are
    unchanged. Wards: W1 = A + C (west), W2 = B + D (east). Districts: T1 = A + B, T2 = C + D.
    Residents: A 1000, B 2000, C 500, D 0 (a park); adults 800, 1600, 400, 0.
    """
    crs = "EPSG:27700"
    codes = ["E01000001", "E01000002", "E01000003", "E01000004"]
    lsoas = gpd.GeoDataFrame(
        {
            "lsoa21_name": ["Toy 001A", "Toy 001B", "Toy 002A", "Toy 002B"],
            "ward_code": ["E05000001", "E05000002", "E05000001", "E05000002"],
            "postcode_district": ["T1", "T1", "T2", "T2"],
            "residents": [1000, 2000, 500, 0],
            "households": [400, 800, 200, 0],
            "adults": [800, 1600, 400, 0],
        },
        geometry=[square(0, 1), square(1, 1), square(0, 0), square(1, 0)],
        index=pd.Index(codes, name="lsoa21_code"), crs=crs,
    )
    lookup = pd.DataFrame({
        "lsoa11_code": ["E01000011", "E01000011", "E01000003", "E01000004"],
        "change_code": ["S", "S", "U", "U"],
        "lsoa21_code": ["E01000001", "E01000002", "E01000003", "E01000004"],
    })
    wards = gpd.GeoDataFrame(
        {"ward_name": ["West", "East"]},
        geometry=[box(X0, Y0, X0 + 1000, Y0 + 2000), box(X0 + 1000, Y0, X0 + 2000, Y0 + 2000)],
        index=pd.Index(["E05000001", "E05000002"], name="ward_code"), crs=crs,
    )
    districts = gpd.GeoDataFrame(
        geometry=[box(X0, Y0 + 1000, X0 + 2000, Y0 + 2000), box(X0, Y0, X0 + 2000, Y0 + 1000)],
        index=pd.Index(["T1", "T2"], name="district"), crs=crs,
    )
    return StudyArea("Toyton", lsoas, lookup, wards, districts,
                     vintages={"lsoa": "toy LSOAs", "ward": "toy wards",
                               "postcode_district": "toy districts", "population": "toy"})


@pytest.fixture(scope="session")
def sefton() -> StudyArea:
    return StudyArea.sefton()


@pytest.fixture(scope="session")
def default_result(request):
    """The default assessment (bundled Sefton data), computed once for the whole session.

    The docstring examples share the same run (see ``geosafety/conftest.py``).
    """
    from geosafety.conftest import default_run

    return default_run(request.config)


@pytest.fixture(scope="session")
def default_written(tmp_path_factory, default_result):
    """The default assessment's files, written once for the whole session.

    Returns the folder (``out/`` tables, ``maps/`` maps and figures) and the files written.
    """
    from geosafety import write_assessment

    folder = tmp_path_factory.mktemp("default")
    return folder, write_assessment(default_result, folder / "out", folder / "maps")


@pytest.fixture(scope="session")
def default_outputs(default_result, default_written):
    """The default assessment and the folder its files were written to."""
    return default_result, default_written[0]


def lonlat(easting: float, northing: float) -> tuple[float, float]:
    """Longitude and latitude of a BNG point."""
    point = gpd.GeoSeries(gpd.points_from_xy([easting], [northing]), crs="EPSG:27700")
    p = point.to_crs("EPSG:4326").iloc[0]
    return round(p.x, 6), round(p.y, 6)


def street_row(lsoa: str = "", *, at: tuple[float, float] | None = None, month: str = "2025-01",
               crime_type: str = "Burglary", crime_id: str | None = None,
               lsoa_name: str = "") -> dict[str, str]:
    """One police.uk street row; ``at`` is a BNG (easting, northing) point."""
    lon, lat = lonlat(*at) if at else ("", "")
    asb = crime_type == "Anti-social behaviour"
    return {
        "Crime ID": "" if asb else (crime_id or f"id{abs(hash((lsoa, at, month, crime_type)))}"),
        "Month": month, "Reported by": "Toy Police", "Falls within": "Toy Police",
        "Longitude": str(lon), "Latitude": str(lat), "Location": "On or near Toy Street",
        "LSOA code": lsoa, "LSOA name": lsoa_name, "Crime type": crime_type,
        "Last outcome category": "" if asb else "Under investigation", "Context": "",
    }


def write_street_csv(path: Path, rows: list[dict[str, str]], *, gz: bool = False,
                     repeat_ids: bool = False) -> Path:
    """Write rows as a police.uk street CSV (optionally gzipped).

    A row given several times is several crimes, so each copy gets its own Crime ID (as in
    police.uk), unless ``repeat_ids``.
    """
    if not repeat_ids:
        seen: dict[str, int] = {}
        distinct = []
        for row in rows:
            crime_id = row["Crime ID"]
            seen[crime_id] = seen.get(crime_id, 0) + 1
            if crime_id and seen[crime_id] > 1:
                row = {**row, "Crime ID": f"{crime_id}-{seen[crime_id]}"}
            distinct.append(row)
        rows = distinct
    path.parent.mkdir(parents=True, exist_ok=True)
    opener = gzip.open if gz else open
    with opener(path, "wt", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(STREET_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def centre(col: int, row: int) -> tuple[float, float]:
    """BNG centre of a toy square."""
    return X0 + col * 1000 + 500, Y0 + row * 1000 + 500


@pytest.fixture
def run_browser(tmp_path) -> Callable[..., subprocess.CompletedProcess]:
    """Run headless Chromium, networking off, on a page: ``run_browser(page, *args)``.

    Skips where Chromium is missing, except in CI, where ``.ci/run`` installs it.
    """
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is required in CI (.ci/run installs it)")
        pytest.skip("chromium not installed (CI installs it)")

    def run(page: Path, *args: str, window: str = "1200,850") -> subprocess.CompletedProcess:
        return subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update",
             "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
             "--enable-logging=stderr", "--v=0", "--virtual-time-budget=8000",
             f"--window-size={window}", *args, page.as_uri()],
            capture_output=True, text=True, timeout=300, check=False)

    return run
