"""Benchmark: time the default Sefton assessment and record map sizes.

Run ``python bench/bench_assess.py``; it prints a table and writes ``bench/results.json``.
Targets (not enforced by tests): the Sefton LSOA map with every layer well under 1 MB; the
default run (tables, 3 maps, 58 figures, 66 plots) under 2 minutes on 2 cores; reading the
21,699-offence force extract and its time-of-day analysis under 5 seconds.
"""

from __future__ import annotations

import json
import tempfile
import time
import warnings
from pathlib import Path

import geosafety
from geosafety import (
    StudyArea,
    assess_time_of_day,
    get_path,
    parse_period,
    read_force_crimes,
    read_police_uk,
    write_assessment,
)


def timed(label: str, results: dict, func, *args, **kwargs):
    start = time.perf_counter()
    value = func(*args, **kwargs)
    results[label] = round(time.perf_counter() - start, 3)
    print(f"{label:<40} {results[label]:>8.2f} s")
    return value


def main() -> None:
    warnings.simplefilter("ignore")
    results: dict = {}
    timed("read police.uk 2025 (12 files)", results, read_police_uk, get_path("police_uk_2025"))
    timed("read police.uk 2018-2021 (45 files)", results, read_police_uk,
          get_path("police_uk_2018_2021"))
    area = StudyArea.sefton()
    crimes = timed("read force extract (21,699 offences)", results, read_force_crimes,
                   get_path("synthetic_force_crime"), area)
    timed("time of day and NTE by area", results, assess_time_of_day, crimes, area,
          parse_period("2025"), source="bench")
    result = timed("assess 2025", results, geosafety.assess)
    with tempfile.TemporaryDirectory() as tmp:
        timed("write tables and all maps", results, write_assessment, result,
              Path(tmp) / "out", Path(tmp) / "maps")
        sizes = {p.name: p.stat().st_size for p in sorted((Path(tmp) / "maps").glob("*.html"))}
    results["map_bytes"] = sizes
    for name, size in sizes.items():
        print(f"{name:<40} {size / 1e6:>8.2f} MB")
    target = sizes["lsoa.html"] < 1_000_000
    print(f"{'LSOA map under 1 MB':<40} {'yes' if target else 'NO':>8}")
    Path(__file__).with_name("results.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
