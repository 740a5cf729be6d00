"""Bad inputs as analysts receive them (tests/bad_inputs/): each pinned to what happens."""

from __future__ import annotations

from pathlib import Path

import pytest

from geosafety import InputFileError
from geosafety.io import read_police_uk

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
