"""Bad inputs as analysts receive them (tests/bad_inputs/): each pinned to what happens."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import geosafety
from geosafety import DataQualityWarning, InputFileError
from geosafety.geography import Placement, locate_records
from geosafety.io import (
    get_path,
    load_columns,
    read_cases,
    read_fire_incidents,
    read_police_uk,
)

BAD = Path(__file__).parent / "bad_inputs"
ROOT = Path(__file__).parents[1]
SEFTON_JANUARY = ROOT / "data/police_uk/2025/2025-01/2025-01-merseyside-street.csv.gz"
SAMPLE_20 = BAD / "trailing_blank_rows.csv"  # the 20 sample records (and blank rows)


def test_zip_made_on_a_mac_skips_finder_metadata():
    records = read_police_uk(BAD / "made_on_a_mac.zip")
    assert len(records) == 20
    assert records["source_file"].str.endswith("2025-01/2025-01-merseyside-street.csv").all()


def test_trailing_blank_rows_from_excel_are_ignored():
    records = read_police_uk(BAD / "trailing_blank_rows.csv")
    assert len(records) == 20
    assert records["source_row"].max() == 21  # row numbers still count from the header


@pytest.mark.parametrize("name", ["utf16.csv", "semicolon.csv", "tab.csv"])
def test_encodings_and_delimiters_are_detected(name):
    records = read_police_uk(BAD / name)
    assert len(records) == 20
    assert records["crime_type"].ne("").all() and records["month"].astype(str).eq("2025-01").all()


def test_workbook_with_a_csv_name_is_recognised_by_content():
    with pytest.raises(InputFileError, match=r"workbook_named\.csv: is an Excel workbook saved "
                                             r"with a CSV name(.|\n)*save as CSV"):
        read_police_uk(BAD / "workbook_named.csv")


@pytest.mark.parametrize(("name", "message"), [
    ("mapping_list.json", r"mapping_list\.json: holds a list, not sections"),
    ("mapping_key_outside_section.toml",
     r"mapping_key_outside_section\.toml: key 'incident_id' is outside any section"),
    ("mapping_typo_section.toml",
     r"mapping_typo_section\.toml: unknown section \[marak\] \(did you mean \[marac\]\?\)"),
])
def test_column_mappings_are_validated_naming_the_file(name, message):
    with pytest.raises(InputFileError, match=message + r"(.|\n)*How to fix: write one \[section\]"):
        load_columns(BAD / name)


def test_cli_reports_a_bad_mapping_without_a_traceback(tmp_path):
    from click.testing import CliRunner

    from geosafety.cli import main

    result = CliRunner().invoke(main, ["assess", "--columns", str(BAD / "mapping_list.json"),
                                       "--no-maps", "--out-dir", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "holds a list" in result.output and "Traceback" not in result.output


def test_a_month_given_twice_is_read_once_with_a_warning_naming_both():
    with pytest.warns(DataQualityWarning, match=r"downloads/2025-01-merseyside-street\.csv is "
                      r"the same police\.uk month and force \(2025-01, merseyside\) as "
                      r".*backup/2025-01-merseyside-street\.csv"):
        records = read_police_uk(BAD / "month_twice")
    assert len(records) == 20


# --- duplicates (issue 14, part 1) -------------------------------------------------------

def test_repeated_crime_ids_are_counted_once_with_the_rows_named():
    with pytest.warns(DataQualityWarning, match=r"3 rows repeat a Crime ID already read and are "
                      r"counted once: .*crime_ids_repeated\.csv row 22 repeats row 3 "
                      r"\('ca59679c01e1\.\.\.'\)"):
        records = read_police_uk(BAD / "2025-01-merseyside-street_crime_ids_repeated.csv")
    assert len(records) == 20 and records.loc[records["crime_id"].ne(""), "crime_id"].is_unique


def test_repeated_crime_ids_are_reported_as_excluded_by_assess(tmp_path):
    folder = tmp_path / "police"
    folder.mkdir()
    sefton = pd.read_csv(SEFTON_JANUARY, dtype=str, keep_default_na=False)
    crimes = sefton[sefton["Crime ID"].ne("")]
    pd.concat([sefton, crimes.head(4)]).to_csv(folder / "2025-01-merseyside-street.csv",
                                                 index=False)
    with pytest.warns(DataQualityWarning, match="4 rows repeat a Crime ID"):
        result = geosafety.assess(folder, period="2025-01", examples=False)
    assert result.report.rows_read == len(sefton) + 4
    assert result.report.kept == len(sefton)
    assert result.report.exclusions()["repeated Crime ID (counted once)"] == 4
    lsoa = result.measures["lsoa"]
    assert lsoa.loc[lsoa["category"] == "All crime", "count"].sum() == len(crimes)
    asb = sefton[sefton["Crime ID"].eq("")]
    assert result.report.identical_asb == asb.duplicated().sum() > 0
    lines = geosafety.summary_lines(result)
    assert "  excluded, repeated Crime ID (counted once): 4" in lines
    assert any(line.startswith("  identical ASB rows (kept: ") and
               line.endswith(f": {result.report.identical_asb}") for line in lines)


def test_a_file_with_every_row_twice_is_read_once():
    with pytest.warns(DataQualityWarning, match=r"every_row_twice\.csv: every one of its 20 "
                      r"records appears 2 times .* each was read once"):
        records = read_police_uk(BAD / "2025-01-merseyside-street_every_row_twice.csv")
    assert len(records) == 20 and records["source_row"].max() == 21


def test_the_same_file_under_two_names_is_read_once(sefton):
    with pytest.warns(DataQualityWarning, match=r"SYNTHETIC_fire_2025\.csv has the same content "
                      r"as .*SYNTHETIC_fire_2025 \(1\)\.csv; it was read once"):
        fires = read_fire_incidents(BAD / "SYNTHETIC_fire_same_file_two_names", sefton)
    assert len(fires) == 30 and fires["incident_id"].is_unique


def test_repeated_incident_numbers_are_counted_once(sefton):
    with pytest.warns(DataQualityWarning, match=r"2 rows repeat an incident number already read "
                      r"and are counted once: .*row 32 repeats row 5 \('SYN-F202500004'\)"):
        fires = read_fire_incidents(BAD / "SYNTHETIC_fire_incidents_repeated.csv", sefton)
    assert len(fires) == 30


def test_repeated_case_rows_are_counted_once_but_repeat_cases_are_kept(sefton):
    with pytest.warns(DataQualityWarning, match=r"1 row repeats a client id and date already "
                      r"read and is counted once: .*row 32 repeats row 7 \('SYN-M-00309', "
                      r"2025-05-09\)"):
        cases = read_cases(BAD / "SYNTHETIC_marac_repeated_rows.csv", sefton)
    assert len(cases) == 30
    # the bundled example has victims with several cases on different days: all kept
    marac = read_cases(get_path("synthetic_marac"), sefton)
    assert len(marac) == 537 and marac["client_id"].nunique() == 420


# --- formats (part 2) --------------------------------------------------------------------

def test_an_excel_97_workbook_is_read(sefton):
    fires = read_fire_incidents(BAD / "SYNTHETIC_fire_excel_97.xls", sefton)
    assert len(fires) == 30
    assert fires["incident_id"].iloc[0] == "SYN-F202500001"
    assert str(fires["call_datetime"].iloc[0]) == "2025-08-16 17:29:00"


def test_a_csv_with_an_excel_name_is_read_by_its_content(sefton):
    fires = read_fire_incidents(BAD / "SYNTHETIC_fire_csv_named.xlsx", sefton)
    assert len(fires) == 30


# --- plausibility (part 4) ---------------------------------------------------------------

def test_swapped_police_uk_coordinates_are_swapped_back_with_a_warning():
    with pytest.warns(DataQualityWarning, match=r"lat_lon_swapped\.csv: 20 of 20 rows have "
                      r"latitude and longitude swapped \(row 2 has longitude 53\.291663, "
                      r"latitude -3\.063777;"):
        records = read_police_uk(BAD / "2025-01-merseyside-street_lat_lon_swapped.csv")
    original = read_police_uk(SAMPLE_20)
    assert records["longitude"].tolist() == original["longitude"].tolist()


def test_swapped_partner_coordinates_are_placed_after_swapping_back(sefton):
    with pytest.warns(DataQualityWarning, match=r"30 of 30 rows have latitude and longitude "
                      r"swapped \(row 2 has Longitude 53\.478895, Latitude -3\.034160"):
        fires = read_fire_incidents(BAD / "SYNTHETIC_fire_lat_lon_swapped.csv", sefton)
    by_grid = read_fire_incidents(BAD / "SYNTHETIC_fire_csv_named.xlsx", sefton)
    assert fires["lsoa21_code"].tolist() == by_grid["lsoa21_code"].tolist()


def test_coordinates_far_from_the_named_lsoa_are_questioned(sefton):
    records = read_police_uk(BAD / "2025-01-merseyside-street_far_from_lsoa.csv")
    with pytest.warns(DataQualityWarning, match=r"police\.uk records: 1 record has coordinates "
                      r"more than 1 km from the LSOA they name \(.*far_from_lsoa\.csv row 3: "
                      r"E01\d{6} is 5\.\d km away\)\. They are counted in the LSOA named"):
        located, _ = locate_records(records, sefton)
    assert len(located) == 20


def test_real_police_uk_points_are_never_far_from_their_lsoa(sefton):
    records = read_police_uk(get_path("police_uk_2025"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        locate_records(records, sefton)


def test_dates_in_the_future_or_far_outside_the_period_are_questioned(sefton):
    with pytest.warns(DataQualityWarning, match=r"1 of the case records is dated after today "
                      r"\(\d{4}-\d\d-\d\d\): .*wrong_year\.csv row 4 has date 2052-01-08"):
        cases = read_cases(BAD / "SYNTHETIC_marac_dates_wrong_year.csv", sefton)
    from geosafety.analysis.partners import assess_cases
    from geosafety.measures import parse_period

    with pytest.warns(DataQualityWarning, match=r"2 MARAC case records are dated more than 5 "
                      r"years from the period 2025-01 to 2025-12: .*row 4 has month 2052-01; "
                      r".*row 6 has month 1925-\d\d"):
        layer = assess_cases(cases, sefton, parse_period("2025"), "marac")
    assert layer.placement[Placement.OUTSIDE_PERIOD] == 2


def test_postcodes_elsewhere_in_great_britain_are_placed_by_authority(sefton):
    cases = read_cases(BAD / "SYNTHETIC_marac_postcodes_elsewhere.csv", sefton)
    reasons = cases["placement"].astype(str).head(3).tolist()
    assert reasons == ["outside Sefton (Cardiff)", "outside Sefton (City of Edinburgh)",
                       "outside Sefton (Cardiff)"]


# --- the command line never shows a traceback ---------------------------------------------

CLI_CASES = [
    (["--data", "made_on_a_mac.zip"], 0, "Done:"),
    (["--data", "workbook_named.csv"], 2, "is an Excel workbook saved with a CSV name"),
    (["--data", "month_twice"], 0, "the same police.uk month and force"),
    (["--data", "2025-01-merseyside-street_every_row_twice.csv"], 0, "appears 2 times"),
    (["--data", "2025-01-merseyside-street_crime_ids_repeated.csv"], 0,
     "excluded, repeated Crime ID (counted once): 3"),
    (["--data", "2025-01-merseyside-street_lat_lon_swapped.csv"], 0, "swapped back"),
    (["--fire", "SYNTHETIC_fire_excel_97.xls"], 0, "Done:"),
    (["--fire", "SYNTHETIC_fire_incidents_repeated.csv"], 0, "repeat an incident number"),
    (["--marac", "SYNTHETIC_marac_dates_wrong_year.csv"], 0, "dated after today"),
    (["--columns", "mapping_typo_section.toml"], 2, "did you mean [marac]?"),
    (["--columns", "mapping_key_outside_section.toml"], 2, "is outside any section"),
]


@pytest.mark.parametrize(("arguments", "code", "said"), CLI_CASES,
                         ids=[a[1] for a, _, _ in CLI_CASES])
def test_cli_on_bad_inputs_says_what_happened_without_a_traceback(tmp_path, arguments, code,
                                                                  said):
    from click.testing import CliRunner

    from geosafety.cli import main

    option, name = arguments
    # the sample police.uk rows are mostly in Knowsley; partner files go with Sefton's records
    data = (["--area", "Knowsley"] if option == "--data"
            else ["--data", str(SEFTON_JANUARY), "--area", "Sefton"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = CliRunner().invoke(main, ["assess", option, str(BAD / name), *data,
                                           "--no-maps", "--no-examples",
                                           "--out-dir", str(tmp_path / "out")])
    assert "Traceback" not in result.output
    assert result.exit_code == code, result.output[-2000:]
    assert said in result.output
