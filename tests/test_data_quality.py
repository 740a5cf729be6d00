"""The police.uk data-quality chapter (issue 13, part 6), on real bundled data."""

from __future__ import annotations

import warnings

import pandas as pd
from conftest import centre, street_row, write_street_csv

from geosafety.analysis.data_quality import police_uk_quality
from geosafety.geography import files_read, locate_records
from geosafety.io import get_path, read_police_uk
from geosafety.measures import parse_period


def test_months_missing_from_the_bundled_police_uk_data_are_found(default_result):
    # data-raw/policeuk-merseyside/SOURCE.md: 2019-07, 2021-10 and 2021-11 are missing
    months = default_result.quality.months.set_index("year")
    assert months.loc[2019, "months_present"] == 11
    assert months.loc[2019, "months_missing"] == "2019-07"
    assert months.loc[2021, "months_missing"] == "2021-10, 2021-11"
    assert months.loc[2025, "months_present"] == 12 and months.loc[2025, "records"] == 24064
    assert months.loc[2018, "months_missing"] == "" and months.loc[2020, "months_missing"] == ""


def test_the_2020_asb_surge_is_flagged_as_a_possible_recording_change(sefton):
    records = read_police_uk(get_path("police_uk_2018_2021"))
    period = parse_period("2020")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, report = locate_records(records[period.contains(records["month"])], sefton)
    quality = police_uk_quality(records, report, period, files_read(records, report))
    month = quality.by_month.set_index("month")
    flagged = month.index[month["asb_flag"].ne("")].tolist()
    assert flagged == ["2020-05"]
    assert month.loc["2020-05", "asb"] == 1013
    assert month["asb"].median() == 556.5  # the median month the flag compares with
    assert ("ASB in 2020-05: 1,013 incidents, over one and a half times the median month "
            "(556.5): a possible change in recording.") in quality.statements()


def test_missing_types_no_location_and_outside_area_by_month(tmp_path, toy_area):
    rows = ([street_row("E01000001", at=centre(0, 1), month="2025-01", crime_type="Drugs")]
            + [street_row("E01000002", at=centre(1, 1), month=m) for m in ("2025-01",
                                                                            "2025-02")]
            + [street_row("", month="2025-02")]  # no code, no coordinates
            + [street_row("E01999999", month="2025-02", crime_type="Robbery")])
    path = write_street_csv(tmp_path / "2025-01-toy-street.csv", rows)
    records = read_police_uk(path)
    period = parse_period("2025-01:2025-02")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, report = locate_records(records, toy_area)
    quality = police_uk_quality(records, report, period, files_read(records, report))
    month = quality.by_month.set_index("month")
    assert month["records_read"].tolist() == [2, 3]
    assert month["no_location"].tolist() == [0, 1] and month["outside_area"].tolist() == [0, 1]
    missing = quality.missing_types.set_index("crime_type")["months_missing"]
    assert missing.to_dict() == {"Drugs": "2025-02", "Robbery": "2025-01"}
    assert "Drugs has no records in 2025-02." in quality.statements()


def test_the_chapter_is_written_with_its_tables(default_written):
    folder, written = default_written
    names = {p.name for p in written}
    assert {"data_quality.md", "police_uk_quality_months.csv",
            "police_uk_quality_by_month.csv"} <= names
    text = (folder / "out" / "data_quality.md").read_text()
    assert "- Merseyside Police: 11 of 12 months of 2019 present; missing 2019-07." in text
    table = pd.read_csv(folder / "out" / "police_uk_quality_by_month.csv")
    assert table["records_read"].sum() == 24064 and len(table) == 12
