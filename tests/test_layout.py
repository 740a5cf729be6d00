"""The package's shape as users meet it: imports without side effects, one error family,
warnings that reach the command line, and the stages wired in order."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import centre, street_row, write_street_csv

import geosafety
from geosafety.cli import main


def _python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_importing_geosafety_loads_no_plotting_library_and_keeps_the_backend():
    loaded = _python("import sys, geosafety; print(sorted(m for m in ('matplotlib', "
                     "'matplotlib.pyplot', 'folium', 'mapclassify') if m in sys.modules))")
    assert loaded == "[]"
    without = _python("import matplotlib; print(matplotlib.get_backend())")
    with_geosafety = _python("import matplotlib; import geosafety; "
                             "print(matplotlib.get_backend())")
    assert with_geosafety == without


def test_drawing_a_figure_leaves_pyplot_alone(tmp_path):
    out = _python(
        "import geopandas as gpd, pandas as pd; from shapely.geometry import box; "
        "import matplotlib.pyplot as plt; from pathlib import Path; "
        "from geosafety.render import choropleth_figure; "
        "a = gpd.GeoDataFrame({'decile': [1, 10], 'rank': [1, 2]}, "
        "geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)], crs='EPSG:27700'); "
        "w = gpd.GeoDataFrame({'ward_name': ['W']}, geometry=[box(0, 0, 2000, 1000)], "
        "crs='EPSG:27700'); "
        f"paths = choropleth_figure(a, w, Path({str(tmp_path / 'f.png')!r}), title='t', "
        "subtitle='s', footnote='f'); "
        "print(len(plt.get_fignums()), [p.stat().st_size > 10_000 for p in paths])")
    assert out == "0 [True]"  # PNG only unless SVG is asked for


def test_user_errors_are_geosafety_errors(toy_area):
    with pytest.raises(geosafety.InvalidOptionError, match="Period '2025Q5' is not recognised"):
        geosafety.parse_period("2025Q5")
    with pytest.raises(geosafety.GeosafetyError, match="Split by 'week' is not supported"):
        geosafety.split_period(geosafety.parse_period("2025"), "week")
    with pytest.raises(geosafety.GeosafetyError, match="Night-time hours must be 0-23"):
        geosafety.NightTime(first_hour=24)
    with pytest.raises(geosafety.MissingReferenceDataError, match="no 'postcodes'"):
        _ = toy_area.postcodes


def test_sub_periods_are_tabulated_beside_the_period(tmp_path, toy_area):
    rows = ([street_row("E01000001", at=centre(0, 1), month="2025-01")] * 2
            + [street_row("E01000002", at=centre(1, 1), month="2025-05")])
    path = write_street_csv(tmp_path / "toy.csv", rows)
    with pytest.warns(geosafety.DataQualityWarning):  # no IoD for the toy area; months missing
        result = geosafety.assess(path, area=toy_area, period="2025", by="quarter")
    wards = result.measures["ward"]
    crime = wards[wards["category"] == "All crime"].pivot(columns="period", values="count")
    assert crime.loc["E05000001"].to_dict() == {"2025": 2, "2025Q1": 2, "2025Q2": 0}
    assert crime.loc["E05000002"].to_dict() == {"2025": 1, "2025Q1": 0, "2025Q2": 1}
    assert result.reconciliation["reconciles"].all()
    assert any("No records for 10 month(s) of 2025" in w for w in result.warnings)
    assert any("Deprivation and housing chapter left out" in w for w in result.warnings)


def test_force_extract_with_nothing_in_the_period_is_left_out_with_a_warning(tmp_path,
                                                                             toy_area):
    x, y = centre(0, 1)
    force = tmp_path / "force.csv"
    force.write_text("Crime Reference,Committed From,Offence,Easting,Northing\n"
                     f"F1,2024-03-07 22:30,Common assault,{x},{y}\n", encoding="utf-8")
    police = write_street_csv(tmp_path / "toy.csv", [street_row("E01000001", month="2025-01")])
    with pytest.warns(geosafety.DataQualityWarning) as caught:
        result = geosafety.assess(geosafety.Inputs(police_uk=police, force=force),
                                  area=toy_area)
    assert result.time_of_day is None
    assert any(str(w.message).startswith("Time-of-day chapter left out: No offence in the "
                                         "force extract falls in 2025-01") for w in caught)


def test_the_command_line_shows_every_warning_the_library_raised(tmp_path):
    # An ASB row with a Crime ID: police.uk's classification is inconsistent. Before, the
    # CLI swallowed this warning.
    rows = [street_row("E01006920", crime_type="Anti-social behaviour"),
            street_row("E01006920", crime_type="Burglary")]
    rows[0]["Crime ID"] = "abc123"
    path = write_street_csv(tmp_path / "2025-01-street.csv", rows)
    result = CliRunner().invoke(main, ["assess", "--data", str(path), "--no-maps",
                                       "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    warnings_block = result.output.split("Warnings:\n", 1)[1]
    assert "1 rows disagree on ASB: 'Crime ID' is empty for a crime type other than" in (
        warnings_block)


def test_measures_are_indexed_by_area_code_with_one_rate_and_its_unit(default_result):
    lsoa = default_result.measures["lsoa"]
    assert lsoa.index.name == "area_code"
    burglary = lsoa[(lsoa["category"] == "Burglary") & (lsoa["period"] == "2025")]
    assert burglary.index.is_unique and len(burglary) == 191
    assert "rate_per_1000" not in lsoa.columns and set(lsoa["rate_unit"]) == {
        "per 1,000 residents"}
    marac = next(x for x in default_result.partners if x.spec.key == "marac")
    assert set(marac.measures["ward"]["rate_unit"]) == {"per 10,000 adults aged 18+"}
    rate = burglary["count"] / burglary["residents"] * 1000
    assert (burglary["rate"] - rate).abs().max() < 1e-9
    assert isinstance(burglary.loc["E01006920", "rate"], float)
    assert pd.api.types.is_integer_dtype(burglary["count"])
