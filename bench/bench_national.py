"""Benchmark: police.uk at national scale, on the SYNTHETIC England archive.

Run ``python bench/make_national_archive.py`` once, then ``python bench/bench_national.py``.
Targets (issue 15): the bulk archive read at 1 million rows a second or more; counts, rates
and ranks for every LSOA and authority in England for a year in 60 s or less and 4 GB of
memory or less. Side by side in one run it also reads one month with the per-authority
reader (:func:`geosafety.read_police_uk`: every column, row-by-row checks) and with the
bulk reader, and prints the ratio.

The national year runs in a child process, so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import tempfile
import time
import warnings
import zipfile
from pathlib import Path

INGEST_TARGET = 1_000_000  # rows a second
WALL_TARGET = 60.0  # seconds for the national year
MEMORY_TARGET = 4096.0  # MB


def _national_year(archive: Path, results: dict) -> None:
    """Read the archive (England's LSOAs only) and compute every measure; record timings."""
    warnings.simplefilter("ignore")
    begin = time.perf_counter()
    from geosafety.geography.reference import national_table
    from geosafety.io.bulk import read_police_uk_bulk
    from geosafety.measures.national import national_measures

    lookup = national_table("england_lookup_lsoa11_lsoa21")
    england = set(lookup["lsoa11_code"]) | set(
        national_table("england_lsoa21_table")["lsoa21_code"])
    start = time.perf_counter()
    found = read_police_uk_bulk(archive, lsoa_codes=england)
    read = time.perf_counter() - start
    measures = national_measures(found.table)
    results.update(
        rows=found.rows_read, kept=found.rows_kept, files=found.files, read_s=read,
        wall_s=time.perf_counter() - begin, lsoa_rows=len(measures.lsoa),
        authorities=int(measures.authority["lad_code"].nunique()),
        peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _in_child(archive: Path) -> dict:
    with multiprocessing.Manager() as manager:
        shared = manager.dict()
        child = multiprocessing.get_context("spawn").Process(
            target=_national_year, args=(archive, shared))
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit(f"the national run failed (exit {child.exitcode})")
        return dict(shared)


def _one_month_side_by_side(archive: Path) -> tuple[float, float, int]:
    """Read one month with each reader; return both times and the rows."""
    warnings.simplefilter("ignore")
    from geosafety import read_police_uk
    from geosafety.io.bulk import read_police_uk_bulk

    with zipfile.ZipFile(archive) as source, tempfile.TemporaryDirectory() as tmp:
        month = sorted(n for n in source.namelist() if n.endswith(".csv"))[0].split("/")[0]
        source.extractall(tmp, [n for n in source.namelist() if n.startswith(month + "/")])
        folder = Path(tmp) / month
        start = time.perf_counter()
        rows = read_police_uk_bulk(folder).rows_read
        bulk = time.perf_counter() - start
        start = time.perf_counter()
        read_police_uk(folder)
        whole = time.perf_counter() - start
    return whole, bulk, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, default=Path(__file__).with_name("data")
                        / "SYNTHETIC_police_uk_england_2025.zip")
    archive = parser.parse_args().archive
    if not archive.exists():
        raise SystemExit(f"{archive} not found: run python bench/make_national_archive.py")
    whole, bulk, rows = _one_month_side_by_side(archive)
    print(f"{'one month, per-authority reader (all columns)':<48} {whole:>7.1f} s  "
          f"{rows / whole:>12,.0f} rows/s")
    print(f"{'one month, bulk reader (3 columns)':<48} {bulk:>7.1f} s  "
          f"{rows / bulk:>12,.0f} rows/s")
    print(f"{'ratio (per-authority / bulk)':<48} {whole / bulk:>7.1f}")
    found = _in_child(archive)
    ingest = found["rows"] / found["read_s"]
    print(f"{'national year: files, rows read, rows kept':<48} {found['files']:>7} "
          f"{found['rows']:>12,} {found['kept']:>12,}")
    print(f"{'national ingest (read + filter to England)':<48} {found['read_s']:>7.1f} s  "
          f"{ingest:>12,.0f} rows/s  ({ingest / INGEST_TARGET:.2f} x target)")
    print(f"{'national year: start, read, count, rate, rank':<48} {found['wall_s']:>7.1f} s  "
          f"({found['wall_s'] / WALL_TARGET:.2f} of target)  {found['lsoa_rows']:,} LSOA "
          f"rows, {found['authorities']} authorities")
    print(f"{'national year: peak memory':<48} {found['peak_mb']:>7.0f} MB "
          f"({found['peak_mb'] / MEMORY_TARGET:.2f} of target)")
    results = Path(__file__).with_name("results_national.json")
    results.write_text(json.dumps({**found, "one_month_whole_s": whole,
                                   "one_month_bulk_s": bulk}, indent=2))


if __name__ == "__main__":
    main()
