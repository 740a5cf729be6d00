"""The read cache: a second read of the same files gives the same frame and the same warnings,
and anything that changes the answer (a byte of a file, its name) is read afresh."""

from __future__ import annotations

import gzip
import logging
import os
import warnings

import pandas as pd
import pytest
from conftest import centre, street_row, write_street_csv

from geosafety import DataQualityWarning, InputFileError, read_police_uk
from geosafety.io.cache import cache_at, cached_frame
from geosafety.io.datasets import get_path


def _stored(folder):
    return sorted((folder / "police_uk").glob("*.parquet"))


def _read(source, caplog, **options):
    """Read with the cache, recording warnings and whether the cache was used."""
    caplog.clear()
    with warnings.catch_warnings(record=True) as caught, \
            caplog.at_level(logging.INFO, logger="geosafety.io.cache"):
        warnings.simplefilter("always")
        frame = read_police_uk(source, **options)
    hit = any("from the cache" in r.getMessage() for r in caplog.records)
    return frame, [(w.category, str(w.message)) for w in caught], hit


def test_the_real_year_reads_the_same_from_the_cache(tmp_path, caplog):
    with cache_at(tmp_path):
        first, _, hit_first = _read(get_path("police_uk_2025"), caplog, keep_repeats=True)
        again, _, hit_again = _read(get_path("police_uk_2025"), caplog, keep_repeats=True)
    assert (hit_first, hit_again) == (False, True)
    assert len(first) == 24_064 and len(_stored(tmp_path)) == 1
    pd.testing.assert_frame_equal(again, first, check_exact=True)
    assert str(again["month"].dtype) == "period[M]"
    assert again["crime_type"].value_counts().to_dict() == first["crime_type"].value_counts(
        ).to_dict()


def test_warnings_are_raised_again_on_a_cached_read(tmp_path, caplog):
    """Swapped coordinates and a repeated Crime ID warn on every read, cached or not."""
    east, north = centre(0, 0)
    row = street_row("E01000003", at=(east, north), crime_id="same")
    swapped = {**row, "Longitude": row["Latitude"], "Latitude": row["Longitude"]}
    path = write_street_csv(tmp_path / "data" / "2025-01-toy-street.csv",
                            [swapped, swapped, street_row("E01000003", crime_id="other")],
                            repeat_ids=True)
    with cache_at(tmp_path / "cache"):
        first, said_first, hit_first = _read(path, caplog, keep_repeats=True)
        again, said_again, hit_again = _read(path, caplog, keep_repeats=True)
    assert (hit_first, hit_again) == (False, True)
    assert said_first == said_again
    texts = " ".join(message for _, message in said_again)
    assert "swapped" in texts and "Crime ID" in texts
    assert all(category is DataQualityWarning for category, _ in said_again)
    assert int(again["repeated_crime_id"].sum()) == 1
    pd.testing.assert_frame_equal(again, first, check_exact=True)


def test_a_changed_file_is_read_afresh(tmp_path, caplog):
    path = write_street_csv(tmp_path / "2025-01-toy-street.csv.gz",
                            [street_row("E01000001")] * 2, gz=True)
    with cache_at(tmp_path / "cache"):
        two, _, _ = _read(path, caplog)
        write_street_csv(path, [street_row("E01000001")] * 3, gz=True)
        three, _, hit = _read(path, caplog)
    assert (len(two), len(three), hit) == (2, 3, False)
    assert len(_stored(tmp_path / "cache")) == 2


def test_the_same_bytes_under_another_name_are_not_taken_from_the_cache(tmp_path, caplog):
    """Rows carry their file's name, so a copy elsewhere is read as itself."""
    rows = [street_row("E01000001")]
    first = write_street_csv(tmp_path / "a" / "2025-01-toy-street.csv", rows)
    second = tmp_path / "b" / "2025-01-toy-street.csv"
    second.parent.mkdir()
    second.write_bytes(first.read_bytes())
    with cache_at(tmp_path / "cache"):
        _read(first, caplog)
        frame, _, hit = _read(second, caplog)
    assert not hit and frame["source_file"].iloc[0] == str(second)


def test_a_damaged_cache_file_is_ignored_and_replaced(tmp_path, caplog):
    path = write_street_csv(tmp_path / "2025-01-toy-street.csv", [street_row("E01000002")])
    with cache_at(tmp_path / "cache"):
        first, _, _ = _read(path, caplog)
        (stored,) = _stored(tmp_path / "cache")
        stored.write_bytes(b"not parquet")
        again, _, hit = _read(path, caplog)
        assert not hit and "unreadable cache file" in caplog.text
        pd.testing.assert_frame_equal(again, first)
        assert _read(path, caplog)[2]  # written again, and used


def test_errors_are_never_cached(tmp_path):
    path = tmp_path / "2025-01-toy-street.csv"
    path.write_text("Crime ID,Month,Longitude,Latitude,LSOA code,Crime type\nx,2025-13,,,,B\n")
    with cache_at(tmp_path / "cache"):
        for _ in range(2):
            with pytest.raises(InputFileError, match="Month"):
                read_police_uk(path)
    assert not (tmp_path / "cache" / "police_uk").exists() or not _stored(tmp_path / "cache")


def test_the_cache_can_be_turned_off_or_be_unwritable(tmp_path, caplog):
    path = write_street_csv(tmp_path / "2025-01-toy-street.csv", [street_row("E01000002")])
    with cache_at("off"):
        assert len(read_police_uk(path)) == 1
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    with cache_at(blocked), caplog.at_level(logging.WARNING, logger="geosafety.io.cache"):
        assert len(read_police_uk(path)) == 1
    assert "Could not write the cache file" in caplog.text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025-01-toy-street.csv", "blocked"]


def test_no_partial_file_is_left_when_writing_fails(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    def fail(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", fail)
    with cache_at(tmp_path / "cache"):
        frame = cached_frame("example", 1, ["x"], lambda: pd.DataFrame({"n": [1]}))
    assert frame["n"].tolist() == [1]
    assert list((tmp_path / "cache" / "example").iterdir()) == []


def test_a_gzip_file_is_named_by_its_stored_bytes(tmp_path):
    """The fingerprint of a .csv.gz hashes the compressed file, not what it unpacks to."""
    from geosafety.io.sources import find_source_files

    path = write_street_csv(tmp_path / "2025-01-toy-street.csv.gz", [street_row("E01000002")],
                            gz=True)
    (source,) = find_source_files(path)
    import hashlib

    assert source.fingerprint() == hashlib.sha256(path.read_bytes()).hexdigest()
    assert source.fingerprint() != hashlib.sha256(gzip.decompress(path.read_bytes())).hexdigest()
    assert os.environ.get("GEOSAFETY_CACHE_DIR")  # the suite never uses the user's cache
