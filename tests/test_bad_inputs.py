"""Bad inputs as analysts receive them (tests/bad_inputs/): each pinned to what happens."""

from __future__ import annotations

from pathlib import Path

import pytest

from geosafety import DataQualityWarning, InputFileError
from geosafety.io import load_columns, read_police_uk

BAD = Path(__file__).parent / "bad_inputs"


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
