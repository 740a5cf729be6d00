"""Whole assessments: hand-built data with known answers, and the real bundled Sefton data."""

from __future__ import annotations

import gzip
import json

import pandas as pd
import pytest
from conftest import centre, street_row, write_street_csv

from geosafety import DataQualityWarning, GeosafetyError, InputFileError, assess, write_assessment
from geosafety.io import get_path


@pytest.fixture
def toy_result(tmp_path, toy_area):
    rows = ([street_row("E01000001", at=centre(0, 1))] * 3
            + [street_row("E01000002", at=centre(1, 1))] * 2
            + [street_row("E01000003", at=centre(0, 0), crime_type="Drugs")]
            + [street_row("E01000004", at=centre(1, 0), crime_type="Anti-social behaviour")])
    path = write_street_csv(tmp_path / "2025-01-toy-street.csv", rows)
    with pytest.warns(DataQualityWarning, match="Deprivation and housing chapter left out"):
        return assess(path, area=toy_area)


def measure(result, level, category):
    m = result.measures[level]
    return m[m["category"] == category]


def test_toy_counts_rates_and_ranks(toy_result):
    crime = measure(toy_result, "lsoa", "All crime")
    assert crime["count"].to_dict() == {"E01000001": 3, "E01000002": 2, "E01000003": 1,
                                        "E01000004": 0}
    assert crime["rate"].iloc[:3].tolist() == [3.0, 1.0, 2.0]
    assert set(crime["rate_unit"]) == {"per 1,000 residents"}
    assert crime["rank"].iloc[:3].tolist() == [1, 3, 2]
    wards = measure(toy_result, "ward", "All crime")  # West = A + C, East = B + D
    assert wards["count"].to_dict() == {"E05000001": 4, "E05000002": 2}
    assert wards["rank"].to_dict() == {"E05000001": 1, "E05000002": 2}
    districts = measure(toy_result, "postcode_district", "All crime")  # T1 = A+B, T2 = C+D
    assert districts["rate"].round(4).to_dict() == {"T1": round(5 / 3, 4), "T2": 2.0}
    assert districts["rank"].to_dict() == {"T1": 2, "T2": 1}
    asb = measure(toy_result, "lsoa", "Anti-social behaviour")
    assert asb.loc["E01000004", "count"] == 1 and pd.isna(asb.loc["E01000004", "rank"])


def test_toy_categories_and_reconciliation(toy_result):
    assert toy_result.categories == ["All crime", "Anti-social behaviour", "Burglary", "Drugs"]
    rec = toy_result.reconciliation.set_index("category")
    assert rec["records"].to_dict() == {"All crime": 6, "Anti-social behaviour": 1,
                                        "Burglary": 5, "Drugs": 1}
    assert rec["reconciles"].all()


def test_default_run_reconciles_with_the_bundled_files(default_result):
    result = default_result
    # Independent count straight from the bundled gzip files with plain pandas.
    raw = pd.concat(pd.read_csv(p, dtype=str) for p in
                    sorted(get_path("police_uk_2025").rglob("*.csv.gz")))
    assert result.report.rows_read == len(raw) == 24064
    assert result.report.kept == 24064
    rec = result.reconciliation.set_index("category")
    assert rec.loc["All crime", "records"] == (raw["Crime type"] != "Anti-social behaviour").sum()
    assert rec.loc["Anti-social behaviour", "records"] == 2365
    for category, n in raw["Crime type"].value_counts().items():
        assert rec.loc[category, "sum_ward"] == n


def test_default_run_ward_figures_match_an_independent_count(default_result):
    result = default_result
    raw = pd.concat(pd.read_csv(p, dtype=str) for p in
                    sorted(get_path("police_uk_2025").rglob("*.csv.gz")))
    # The ONS best-fit ward of each LSOA, and ward names, straight from the bundled files.
    lookup = pd.read_parquet(get_path("england_lsoa21_table")).set_index("lsoa21_code")
    names = pd.read_parquet(get_path("england_wards"), columns=["ward_code", "ward_name"])
    raw["ward"] = raw["LSOA code"].map(lookup["ward_code"]).map(
        names.set_index("ward_code")["ward_name"])
    expected = raw[raw["Crime type"] != "Anti-social behaviour"]["ward"].value_counts()
    wards = result.measures["ward"]
    allcrime = wards[wards["category"] == "All crime"].set_index("area_name")
    assert allcrime["count"].to_dict() == expected.reindex(allcrime.index).to_dict()
    # Checked figures: Duke's 2,895 crimes / 14,379 residents, Linacre 2,542 / 12,911.
    assert allcrime.loc["Duke's", ["count", "residents", "rank"]].tolist() == [2895, 14379, 1]
    assert allcrime.loc["Linacre", ["count", "residents", "rank"]].tolist() == [2542, 12911, 2]
    assert round(allcrime.loc["Linacre", "rate"], 1) == 196.9


def test_lsoa_2011_data_is_converted_and_missing_month_flagged():
    with pytest.warns(DataQualityWarning, match=r"No records for 1 month\(s\) of 2019: 2019-07"):
        result = assess(get_path("police_uk_2018_2021"), period="2019")
    assert set(result.files["lsoa_vintage"]) == {"2011", "(none in period)"}
    assert result.report.kept == sum(
        [2036, 1886, 2138, 2115, 2179, 2181, 2497, 2154, 2492, 2207, 1937])  # SOURCE.md per month
    lsoa = result.measures["lsoa"]
    parts = lsoa[lsoa.index.isin(["E01033797", "E01033798"]) &
                 (lsoa["category"] == "All crime")]
    assert parts["count"].sum() > 0
    assert len(lsoa.index.unique()) == 191


def test_period_with_no_records_is_an_error():
    with pytest.raises(GeosafetyError, match=r"No records fall in the period 2023"):
        assess(period="2023")


def test_outputs_are_written_and_labelled(tmp_path, toy_result):
    written = write_assessment(toy_result, tmp_path / "out", tmp_path / "maps",
                               formats="png,svg")
    names = {p.name for p in written}
    assert {"measures_lsoa.csv", "measures_ward.csv", "measures_postcode_district.csv",
            "reconciliation.csv", "assessment.gpkg", "metadata.json", "index.html",
            "lsoa.html", "ward.html", "postcode_district.html", "lsoa_burglary.png",
            "lsoa_burglary.svg"} <= names
    meta = json.loads((tmp_path / "out" / "metadata.json").read_text())
    assert meta["methods"]["ward"].startswith("ONS best-fit")
    assert meta["records"] == {"read": 7, "kept": 7, "excluded": {},
                               "identical_asb_rows_kept": 0,
                               "location_methods": meta["records"]["location_methods"]}
    import geopandas as gpd
    layer = gpd.read_file(tmp_path / "out" / "assessment.gpkg", layer="ward")
    assert layer.set_index("area_code")["all_crime__count"].to_dict() == {
        "E05000001": 4, "E05000002": 2}
    assert layer["all_crime__rate"].dtype == "float64"
    assert set(layer["rate_unit"]) == {"per 1,000 residents"}
    assert not list((tmp_path / "out").glob(".geosafety-staging-*"))


def test_failed_write_leaves_nothing_behind(tmp_path, toy_result, monkeypatch):
    import geosafety.render.assessment_maps as maps

    def broken(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(maps, "save_map", broken)
    with pytest.raises(OSError, match="disk full"):
        write_assessment(toy_result, tmp_path / "out", tmp_path / "maps")
    assert list((tmp_path / "out").iterdir()) == []
    assert list((tmp_path / "maps").iterdir()) == []


def test_bad_input_fails_before_anything_is_computed(tmp_path, toy_area):
    good = write_street_csv(tmp_path / "good.csv", [street_row("E01000001")])
    bad = tmp_path / "bad.csv.gz"
    bad.write_bytes(gzip.compress(b"Crime ID,Month\n"))
    with pytest.raises(InputFileError, match=r"bad\.csv\.gz: missing column"):
        assess([good, bad], area=toy_area)
