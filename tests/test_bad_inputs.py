"""Bad inputs as analysts receive them (tests/bad_inputs/): each pinned to what happens."""

from __future__ import annotations

from pathlib import Path

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
