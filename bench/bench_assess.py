"""Benchmark: time the default Sefton assessment and record map sizes.

Run ``python bench/bench_assess.py``; it prints a table and writes ``bench/results.json``.
Targets (not enforced by tests): default run under 30 s on 2 cores; every LSOA map under 1 MB.
"""

from __future__ import annotations

import json
import tempfile
import time
import warnings
from pathlib import Path

import geosafety
from geosafety.datasets import get_path
from geosafety.outputs import write_assessment
from geosafety.police_uk import read_police_uk


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
    result = timed("assess 2025", results, geosafety.assess)
    with tempfile.TemporaryDirectory() as tmp:
        timed("write tables and all maps", results, write_assessment, result,
              Path(tmp) / "out", Path(tmp) / "maps")
        sizes = {p.name: p.stat().st_size for p in sorted((Path(tmp) / "maps").glob("*.html"))}
    lsoa = [s for n, s in sizes.items() if n.startswith("lsoa_")]
    results["largest_lsoa_map_bytes"] = max(lsoa)
    results["map_bytes"] = sizes
    print(f"{'largest LSOA map':<40} {max(lsoa) / 1e6:>8.2f} MB")
    print(f"{'all maps':<40} {sum(sizes.values()) / 1e6:>8.2f} MB")
    Path(__file__).with_name("results.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
