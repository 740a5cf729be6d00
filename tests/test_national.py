"""National scale: the bulk police.uk reader and measures for every English LSOA and authority."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pyarrow as pa
import pytest

from geosafety import DataQualityWarning, InputFileError, get_path, read_police_uk
from geosafety.geography.reference import national_table
from geosafety.io.bulk import read_police_uk_bulk
from geosafety.io.police_uk import STREET_COLUMNS
from geosafety.measures.national import national_measures

HEADER = ",".join(STREET_COLUMNS)


def _row(month: str = "2025-01", lsoa: str = "E01006920", crime: str = "Burglary") -> str:
    force = "Merseyside Police"
    return f"id,{month},{force},{force},-3.0,53.4,On or near X,{lsoa},n,{crime},,"


def _archive(tmp_path, members: dict[str, list[str]]):
    path = tmp_path / "bulk.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, rows in members.items():
            archive.writestr(name, "\n".join([HEADER, *rows]) + "\n")
    return path


def test_bulk_counts_equal_the_per_authority_reader_on_real_data():
    """Every LSOA x crime type count of 2025 agrees with read_police_uk's records."""
    found = read_police_uk_bulk(get_path("police_uk_2025"))
    bulk = found.table.to_pandas().groupby(["lsoa_code", "crime_type"]).size()
    records = read_police_uk(get_path("police_uk_2025"), keep_repeats=True)
    whole = records.groupby(["lsoa_code", "crime_type"]).size()
    assert found.rows_read == found.rows_kept == 24_064
    pd.testing.assert_series_equal(bulk.sort_index(), whole.sort_index())


def test_rows_outside_the_lsoas_asked_for_are_dropped_as_each_file_is_read(tmp_path):
    path = _archive(tmp_path, {
        "2025-01/2025-01-merseyside-street.csv": [_row(), _row(lsoa="E01006921"), _row(lsoa="")],
        "2025-02/2025-02-merseyside-street.csv": [_row("2025-02")],
        "2025-02/2025-02-merseyside-outcomes.csv": [_row("2025-02")],  # not a street file
    })
    found = read_police_uk_bulk(path, lsoa_codes={"E01006920"}, columns=["Month"])
    assert (found.files, found.rows_read, found.rows_kept) == (2, 4, 2)
    assert found.table.column_names == ["month", "lsoa_code"]
    assert found.table["month"].to_pylist() == ["2025-01", "2025-02"]


def test_a_force_month_given_twice_is_counted_once_with_a_warning(tmp_path):
    path = _archive(tmp_path, {
        "downloads/2025-01/2025-01-merseyside-street.csv": [_row(), _row()],
        "backup/2025-01/2025-01-merseyside-street.csv": [_row(), _row(), _row()],
    })  # not the same bytes (those are read once already): the same force and month
    with pytest.warns(DataQualityWarning, match="same police.uk month and force"):
        found = read_police_uk_bulk(path)
    assert (found.files, found.rows_read) == (1, 3)  # backup/ comes first by name


@pytest.mark.parametrize(("row", "message"), [
    (_row(month="2025-13"), r"row 3, column 'Month': '2025-13' is not a month as YYYY-MM"),
    (_row(lsoa="Bootle"), r"row 3, column 'LSOA code': 'Bootle' is not an LSOA code"),
])
def test_a_bad_month_or_lsoa_code_names_the_file_row_and_column(tmp_path, row, message):
    path = _archive(tmp_path, {"2025-01/2025-01-merseyside-street.csv": [_row(), row]})
    with pytest.raises(InputFileError, match=message) as raised:
        read_police_uk_bulk(path)
    assert "bulk.zip!2025-01/2025-01-merseyside-street.csv" in str(raised.value)


def test_a_file_without_the_columns_is_refused_by_name(tmp_path):
    path = tmp_path / "bulk.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("2025-01/2025-01-merseyside-street.csv", "Month,Crime type\n2025-01,x\n")
    with pytest.raises(InputFileError, match="2025-01-merseyside-street.csv.*LSOA code"):
        read_police_uk_bulk(path)


def _table(codes: list[str], crimes: list[str]) -> pa.Table:
    return pa.table({"month": ["2025-01"] * len(codes), "lsoa_code": codes,
                     "crime_type": crimes})


def test_national_measures_count_rate_and_rank_hand_built_records():
    """Known counts: a 2021 code, a split 2011 code (to its most populous part), unplaceable."""
    table = _table(["E01006920"] * 3 + ["E01028341", "", "W01000001"],
                   ["Burglary", "Burglary", "Anti-social behaviour", "Drugs", "Drugs",
                    "Drugs"])
    found = national_measures(table)
    assert found.not_placed == 2
    lsoas = national_table("england_lsoa21_table").set_index("lsoa21_code")
    lsoa = found.lsoa.set_index(["lsoa_code", "category"])
    assert len(found.lsoa) == len(lsoas) * 4  # All crime, ASB, Burglary, Drugs
    row = lsoa.loc[("E01006920", "Burglary")]
    assert row["count"] == 2 and row["rank"] == 1 and row["national_rank"] == 1
    assert row["rate"] == pytest.approx(2 / lsoas.loc["E01006920", "residents"] * 1000)
    assert lsoa.loc[("E01006920", "All crime"), "count"] == 2
    assert lsoa.loc[("E01033770", "Drugs"), "count"] == 1  # split E01028341's larger part
    assert lsoa.loc[("E01033771", "Drugs"), "count"] == 0
    sefton = lsoas.index[lsoas["lad_code"] == "E08000014"]
    ranks = found.lsoa[found.lsoa["lsoa_code"].isin(sefton)
                       & (found.lsoa["category"] == "Burglary")]
    assert ranks["n_areas"].eq(191).all() and sorted(ranks["rank"].unique()) == [1, 2]
    authority = found.authority.set_index(["lad_code", "category"])
    assert authority.loc[("E08000014", "All crime"), "count"] == 2
    assert authority.loc[("E08000014", "All crime"), "residents"] == lsoas.loc[
        sefton, "residents"].sum()
    assert authority["n_areas"].eq(296).all()


def test_national_figures_for_sefton_equal_the_assessment_s(default_result):
    found = national_measures(read_police_uk_bulk(get_path("police_uk_2025")).table)
    ours = found.lsoa[found.lsoa["lad_code"] == "E08000014"].set_index(
        ["lsoa_code", "category"])
    theirs = default_result.measures["lsoa"]
    theirs = theirs[theirs["period"].astype(str) == "2025"].rename_axis("lsoa_code")
    theirs = theirs.reset_index().set_index(["lsoa_code", "category"])
    for column in ("count", "rate", "rank", "decile"):
        joined = ours[column].rename("ours").to_frame().join(theirs[column].rename("theirs"),
                                                             how="inner")
        assert len(joined) == 191 * 15, column
        pd.testing.assert_series_equal(joined["ours"].astype(float),
                                       joined["theirs"].astype(float), check_names=False)


def test_csv_written_by_pyarrow_reads_back_in_bulk(tmp_path):
    """The SYNTHETIC national archive writes CSV with pyarrow; the reader takes it."""
    frame = pd.DataFrame([dict(zip(STREET_COLUMNS, _row().split(","), strict=True))] * 3)
    buffer = io.BytesIO()
    from pyarrow import csv

    csv.write_csv(pa.Table.from_pandas(frame), buffer,
                  write_options=csv.WriteOptions(quoting_style="needed"))
    path = tmp_path / "2025-01-merseyside-street.csv"
    path.write_bytes(buffer.getvalue())
    assert read_police_uk_bulk(path).rows_read == 3
