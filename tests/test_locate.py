"""Placing records: LSOA vintage, split LSOAs, study-area exclusion, coordinates and BNG."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import DATA, X0, Y0, centre, lonlat, street_row, write_street_csv

from geosafety import (
    NoRecordsInStudyAreaError,
    RecordsExcludedWarning,
    assign_lsoa,
    assign_ward,
    detect_lsoa_vintage,
    locate_records,
    points_from_xy,
    read_police_uk,
)
from geosafety._errors import DataQualityWarning
from geosafety.geography import Placement


def records(tmp_path, rows):
    return read_police_uk(write_street_csv(tmp_path / "r.csv", rows))


def test_vintage_detection(toy_area):
    assert detect_lsoa_vintage(pd.Series(["E01000011", "E01000003"]), toy_area) == "2011"
    assert detect_lsoa_vintage(pd.Series(["E01000001", "E01000003"]), toy_area) == "2021"
    assert detect_lsoa_vintage(pd.Series(["E01000003"]), toy_area) == "unchanged only"
    assert detect_lsoa_vintage(pd.Series(["E01000011", "E01000002"]), toy_area) == "mixed"


def test_2021_codes_are_kept_and_get_ward_and_district(tmp_path, toy_area):
    located, report = locate_records(records(tmp_path, [
        street_row("E01000001", at=centre(0, 1)),
        street_row("E01000004", at=centre(1, 0)),
    ]), toy_area)
    assert located["lsoa21_code"].tolist() == ["E01000001", "E01000004"]
    assert located["ward_code"].tolist() == ["E05000001", "E05000002"]
    assert located["postcode_district"].tolist() == ["T1", "T2"]
    assert report.kept == 2 and report.excluded.empty


def test_split_lsoa_2011_uses_coordinates_to_pick_the_part(tmp_path, toy_area):
    located, report = locate_records(records(tmp_path, [
        street_row("E01000011", at=centre(0, 1)),   # west half -> A
        street_row("E01000011", at=centre(1, 1)),   # east half -> B
        street_row("E01000011", at=(X0 + 1990, Y0 + 1500)),  # near the east edge -> B
    ]), toy_area)
    assert located["lsoa21_code"].tolist() == ["E01000001", "E01000002", "E01000002"]
    assert set(located["location_method"]) == {Placement.LSOA_2011_SPLIT_BY_POINT}
    assert report.vintages.iloc[0] == "2011"


def test_split_lsoa_without_coordinates_goes_to_most_populous_part(tmp_path, toy_area):
    with pytest.warns(DataQualityWarning, match=r"1 records in a split LSOA 2011"):
        located, _ = locate_records(records(tmp_path, [street_row("E01000011")]), toy_area)
    assert located["lsoa21_code"].tolist() == ["E01000002"]  # B has 2,000 residents, A 1,000
    assert located["location_method"].tolist() == [Placement.LSOA_2011_SPLIT_LARGEST]


def test_merged_or_renamed_lsoa_2011_maps_directly(tmp_path, toy_area):
    area = toy_area
    lookup = pd.concat([area.lsoa_lookup, pd.DataFrame(
        {"lsoa11_code": ["E01000099"], "change_code": ["M"], "lsoa21_code": ["E01000003"]})])
    merged = type(area)(area.name, area.lsoas, lookup, area.wards,
                        area.postcode_districts, area.vintages)
    located, _ = locate_records(records(tmp_path, [street_row("E01000099")]), merged)
    assert located["lsoa21_code"].tolist() == ["E01000003"]
    assert located["location_method"].tolist() == [Placement.LSOA_2011_LOOKUP]


def test_zero_or_empty_coordinates_with_valid_code_are_kept_by_code(tmp_path, toy_area):
    rows = [street_row("E01000003"), street_row("E01000004", at=centre(1, 0))]
    rows[1]["Longitude"], rows[1]["Latitude"] = "0", "0"
    located, report = locate_records(records(tmp_path, rows), toy_area)
    assert located["lsoa21_code"].tolist() == ["E01000003", "E01000004"]
    assert report.kept == 2


def test_no_code_uses_point_in_polygon_and_no_location_is_reported(tmp_path, toy_area):
    rows = [street_row("", at=centre(1, 1)), street_row(""), street_row("")]
    rows[2]["Longitude"], rows[2]["Latitude"] = "0.0", "0.0"
    with pytest.warns(RecordsExcludedWarning,
                      match=r"2 records have neither an LSOA code nor usable coordinates.*row 3"):
        located, report = locate_records(records(tmp_path, rows), toy_area)
    assert located["lsoa21_code"].tolist() == ["E01000002"]
    assert located["location_method"].tolist() == [Placement.POINT_IN_POLYGON]
    assert report.exclusions().to_dict() == {"no LSOA code and no usable coordinates": 2}
    assert report.excluded["source_row"].tolist() == [3, 4]


def test_outside_records_are_excluded_and_counted_with_the_first(tmp_path, toy_area):
    rows = [street_row("E01000003", at=centre(0, 0)),
            street_row("E01099999", lsoa_name="Elsewhere 001A"),
            street_row("E01099998", lsoa_name="Elsewhere 002B"),
            street_row("", at=(X0 + 9000, Y0 + 9000))]
    with pytest.warns(RecordsExcludedWarning, match=(
            r"3 of 4 records fall outside Toyton and were left out: 3 records "
            r"\(Elsewhere 2, unknown LSOA 1\); first: .*r\.csv row 3")):
        located, report = locate_records(records(tmp_path, rows), toy_area)
    assert len(located) == 1
    assert report.kept + len(report.excluded) == report.rows_read == 4


def test_no_records_in_area_raises_a_report(tmp_path, toy_area):
    rows = [street_row("E01099999", lsoa_name="Elsewhere 001A")] * 3
    with pytest.raises(NoRecordsInStudyAreaError,
                       match=r"None of the 3 records falls inside Toyton.*Elsewhere 3"):
        locate_records(records(tmp_path, rows), toy_area)


def test_real_other_force_style_file_is_reported_not_zeroed(sefton):
    data = read_police_uk(DATA / "2025-01-merseyside-street_no-sefton.csv")
    with pytest.raises(NoRecordsInStudyAreaError, match=r"None of the 40 records falls inside "
                                                        r"Sefton\. Outside the study area: 40"):
        locate_records(data, sefton)


def test_real_mixed_file_keeps_exactly_the_sefton_rows(sefton):
    data = read_police_uk(DATA / "2025-01-merseyside-street_sample.csv")
    with pytest.warns(RecordsExcludedWarning, match=r"68 of 98 records fall outside Sefton"):
        located, report = locate_records(data, sefton)
    assert len(located) == 30
    assert located["lsoa_name"].str.startswith("Sefton").all()
    assert report.describe_outside().startswith("68 records (Knowsley 15, Liverpool 15")


def test_bng_points_are_assigned_like_lonlat(toy_area):
    eastings = pd.Series([centre(0, 1)[0], centre(1, 0)[0], 0, X0 - 5000])
    northings = pd.Series([centre(0, 1)[1], centre(1, 0)[1], 0, Y0])
    codes = assign_lsoa(points_from_xy(eastings, northings, crs="EPSG:27700"), toy_area)
    assert codes.tolist()[:2] == ["E01000001", "E01000004"]
    assert codes.isna().tolist()[2:] == [True, True]
    lon, lat = zip(*(lonlat(e, n) for e, n in zip(eastings[:2], northings[:2], strict=True)),
                   strict=True)
    by_lonlat = assign_lsoa(points_from_xy(pd.Series(lon), pd.Series(lat)), toy_area)
    assert by_lonlat.tolist() == codes.tolist()[:2]


def test_bng_records_located_with_locate_records(toy_area):
    frame = pd.DataFrame({"easting": [centre(1, 1)[0], X0 + 9000],
                          "northing": [centre(1, 1)[1], Y0 + 9000]})
    with pytest.warns(RecordsExcludedWarning, match="1 of 2 records fall outside"):
        located, _ = locate_records(frame, toy_area, lsoa_col=None, x="easting", y="northing",
                                    crs="EPSG:27700")
    assert located["lsoa21_code"].tolist() == ["E01000002"]
    assert located["ward_code"].tolist() == ["E05000002"]


def test_ward_point_in_polygon_differs_from_best_fit_where_it_should(toy_area):
    # A point physically in the east ward, but its record carries LSOA A (west ward).
    points = points_from_xy(pd.Series([centre(1, 1)[0]]), pd.Series([centre(1, 1)[1]]),
                            crs="EPSG:27700")
    lsoa = pd.Series(["E01000001"])
    assert assign_ward(lsoa, toy_area).tolist() == ["E05000001"]
    assert assign_ward(lsoa, toy_area, method="point-in-polygon",
                       points=points).tolist() == ["E05000002"]


def test_sefton_split_lsoas_in_2019_are_converted(sefton):
    from geosafety.io import get_path
    data = read_police_uk(get_path("police_uk_2018_2021") / "2019-01")
    located, report = locate_records(data, sefton)
    assert report.kept == 2036  # every Sefton row of January 2019
    split = located[located["lsoa_code"].isin(["E01006968", "E01033096"])]
    assert len(split) > 0
    assert set(split["lsoa21_code"]) <= {"E01033797", "E01033798", "E01033799", "E01033800"}
    assert report.vintages.iloc[0] == "2011"


def test_distance_to_the_named_lsoa_is_the_same_from_lonlat_and_from_bng(sefton):
    import numpy as np
    import shapely

    from geosafety.geography.plausibility import named_lsoa_distances

    code = sefton.lsoas.index[10]
    polygon = sefton.lsoas.geometry.iloc[10]
    inside = polygon.representative_point()
    points = [(inside.x, inside.y), (inside.x + 5_000, inside.y), (inside.x, inside.y - 800)]
    codes = pd.Series([code, code, code])
    bng = named_lsoa_distances(np.array([p[0] for p in points]),
                               np.array([p[1] for p in points]), codes, sefton)
    lonlats = [lonlat(*p) for p in points]
    from_lonlat = named_lsoa_distances(np.array([p[0] for p in lonlats]),
                                       np.array([p[1] for p in lonlats]), codes, sefton,
                                       crs="EPSG:4326")
    assert bng[0] == 0.0 and from_lonlat[0] == 0.0
    assert bng[1] == pytest.approx(polygon.distance(shapely.Point(inside.x + 5_000, inside.y)))
    assert from_lonlat[1:] == pytest.approx(bng[1:], abs=0.5)  # lon/lat rounded to 6 places
    assert bng[1] > 1_000  # would be questioned
