"""Reading police.uk files: every input layout, and every error with its message."""

from __future__ import annotations

import gzip
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import DATA, centre, street_row, write_street_csv

from geosafety import InputFileError, read_police_uk, split_crime_asb
from geosafety.io import get_path

SAMPLE = DATA / "2025-01-merseyside-street_sample.csv"


def three_rows(month: str = "2025-01") -> list[dict[str, str]]:
    """Three records; files of different months get different ones, as police.uk's do."""
    return [
        street_row("E01000003", at=centre(0, 0), month=month),
        street_row("E01000004", at=centre(1, 0), crime_type="Anti-social behaviour",
                   month=month),
        street_row("E01000011", at=centre(0, 1), month=month, crime_type="Drugs"),
    ]


# --- every input layout -------------------------------------------------------------------

def test_single_csv_keeps_every_column_with_normalised_names():
    records = read_police_uk(SAMPLE)
    assert len(records) == 98
    assert list(records.columns[:2]) == ["source_file", "source_row"]
    for column in ("crime_id", "month", "reported_by", "falls_within", "longitude", "latitude",
                   "location", "lsoa_code", "lsoa_name", "crime_type", "last_outcome_category",
                   "context", "is_asb"):
        assert column in records.columns
    assert isinstance(records["month"].dtype, pd.PeriodDtype)
    assert records["source_row"].iloc[0] == 2  # header is row 1


def test_gzip_csv_reads_the_same_as_plain(tmp_path):
    gz = tmp_path / "2025-01-merseyside-street.csv.gz"
    gz.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    plain, zipped = read_police_uk(SAMPLE), read_police_uk(gz)
    pd.testing.assert_frame_equal(plain.drop(columns="source_file"),
                                  zipped.drop(columns="source_file"))


def test_list_of_files_concatenates_in_order(tmp_path):
    a = write_street_csv(tmp_path / "a.csv", three_rows()[:1])
    b = write_street_csv(tmp_path / "b.csv", three_rows()[1:])
    records = read_police_uk([a, b])
    assert records["source_file"].tolist() == [str(a), str(b), str(b)]


def test_same_file_given_twice_is_read_once_in_first_order(tmp_path):
    a = write_street_csv(tmp_path / "a.csv", three_rows())
    b = write_street_csv(tmp_path / "b.csv", three_rows("2025-02")[:1])
    records = read_police_uk([a, tmp_path, a])
    assert records["source_file"].drop_duplicates().tolist() == [str(a), str(b)]
    assert len(records) == 4


def test_folder_takes_street_files_and_skips_outcomes(tmp_path):
    write_street_csv(tmp_path / "2025-01" / "2025-01-toy-street.csv", three_rows())
    write_street_csv(tmp_path / "2025-02" / "2025-02-toy-street.csv.gz",
                     three_rows("2025-02")[:1], gz=True)
    (tmp_path / "2025-01" / "2025-01-toy-outcomes.csv").write_text("Crime ID,Month,Outcome type\n")
    records = read_police_uk(tmp_path)
    assert len(records) == 4
    assert records["source_file"].str.contains("street").all()


def test_monthly_zip_archive_layout(tmp_path):
    archive = tmp_path / "police.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for month in ("2025-01", "2025-02"):
            zf.writestr(f"{month}/{month}-toy-street.csv",
                        write_street_csv(tmp_path / "x.csv", three_rows(month)).read_text())
            zf.writestr(f"{month}/{month}-toy-outcomes.csv", "Crime ID,Month,Outcome type\n")
            zf.writestr(f"{month}/{month}-toy-stop-and-search.csv", "Type,Date\n")
    records = read_police_uk(archive)
    assert len(records) == 6
    assert records["source_file"].iloc[0] == f"{archive}!2025-01/2025-01-toy-street.csv"


def test_bundled_2025_folder_has_all_months():
    records = read_police_uk(get_path("police_uk_2025"))
    assert len(records) == 24064
    assert records["month"].astype(str).nunique() == 12


def test_split_crime_asb_uses_crime_type_and_matches_empty_crime_id():
    crime, asb = split_crime_asb(read_police_uk(SAMPLE))
    assert len(crime) + len(asb) == 98
    assert (asb["crime_id"] == "").all()
    assert (crime["crime_id"] != "").all()


# --- every error, with its message --------------------------------------------------------

def test_missing_path():
    with pytest.raises(InputFileError, match=r"nowhere\.csv: no such file or folder"):
        read_police_uk("nowhere.csv")


def test_empty_file(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputFileError, match=r"empty\.csv: the file is empty"):
        read_police_uk(empty)


def test_header_only(tmp_path):
    path = write_street_csv(tmp_path / "header.csv", [])
    with pytest.raises(InputFileError, match=r"header\.csv: has a header row but no records"):
        read_police_uk(path)


def test_missing_columns_named_with_fix(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("Month,Crime type\n2025-01,Burglary\n")
    with pytest.raises(InputFileError) as error:
        read_police_uk(path)
    message = str(error.value)
    assert "missing column(s) 'Crime ID', 'Longitude', 'Latitude', 'LSOA code'" in message
    assert "(row 1)" in message
    assert "How to fix: give a police.uk street-level crime file" in message


def test_outcomes_file_is_recognised(tmp_path):
    path = tmp_path / "2025-01-toy-outcomes.csv"
    path.write_text("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
                    "LSOA code,LSOA name,Outcome type\nabc,2025-01,x,x,,,,,,Charged\n")
    with pytest.raises(InputFileError, match=r"looks like a police.uk outcomes file"):
        read_police_uk(path)


def test_mangled_month_names_row_column_and_value(tmp_path):
    rows = three_rows()
    rows[1]["Month"] = "2025-13"
    rows[2]["Month"] = "Jan 2025"
    path = write_street_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(InputFileError, match=(
            r"column 'Month': row 3 has '2025-13', row 4 has 'Jan 2025'; "
            r"expected a month as YYYY-MM")):
        read_police_uk(path)


def test_every_problem_is_listed_at_once(tmp_path):
    rows = three_rows()
    rows[0]["Longitude"] = "west"
    rows[1]["LSOA code"] = "Sefton 001A"
    rows[2]["Crime type"] = " "
    path = write_street_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(InputFileError) as error:
        read_police_uk(path)
    message = str(error.value)
    assert "3 problems" in message
    assert "column 'Longitude': row 2 has 'west'" in message
    assert "column 'LSOA code': row 3 has 'Sefton 001A'" in message
    assert "column 'Crime type': row 4 has ' '" in message


def test_many_bad_rows_are_summarised(tmp_path):
    rows = [street_row("E01000003", at=centre(0, 0), month="2025/01") for _ in range(8)]
    path = write_street_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(InputFileError, match=r"row 6 has '2025/01' and 3 more rows"):
        read_police_uk(path)


def test_ragged_csv(tmp_path):
    path = write_street_csv(tmp_path / "ragged.csv", three_rows())
    path.write_text(path.read_text() + "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o\n")
    with pytest.raises(InputFileError, match=r"ragged\.csv: is not well-formed CSV"):
        read_police_uk(path)


def test_gz_that_is_not_gzip(tmp_path):
    path = tmp_path / "fake.csv.gz"
    shutil.copy(SAMPLE, path)
    with pytest.raises(InputFileError, match=r"fake\.csv\.gz: cannot be read"):
        read_police_uk(path)


def test_unsupported_file_type(tmp_path):
    path = tmp_path / "crime.docx"
    path.write_bytes(b"PK")
    with pytest.raises(InputFileError, match=r"unsupported file type '\.docx'"):
        read_police_uk(path)


def test_excel_is_not_a_police_uk_file(tmp_path):
    path = tmp_path / "crime.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(InputFileError, match=r"crime\.xlsx: is not a CSV file"):
        read_police_uk(path)


def test_zip_without_street_files(tmp_path):
    archive = tmp_path / "outcomes.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("2025-01/2025-01-toy-outcomes.csv", "Crime ID\n")
    with pytest.raises(InputFileError, match=r"holds no '\*-street\*' CSV files"):
        read_police_uk(archive)


def test_one_bad_file_among_good_ones_fails_the_whole_read(tmp_path):
    good = write_street_csv(tmp_path / "good.csv", three_rows())
    bad = tmp_path / "bad.csv"
    bad.write_text("")
    with pytest.raises(InputFileError, match=r"bad\.csv"):
        read_police_uk([good, bad])


def test_input_file_is_not_modified(tmp_path):
    path = write_street_csv(tmp_path / "a.csv", three_rows())
    before = path.read_bytes()
    read_police_uk(path)
    assert Path(path).read_bytes() == before
