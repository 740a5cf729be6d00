"""Benchmark: the whole default Sefton pack (assess, tables, maps, figures, report).

Run ``python bench/bench_pack.py``. Target (issue 15): the default run in 10 s or less on a
2-core machine. It assesses twice, with an empty read cache (the first run on new
police.uk files) and with the cache the first run left (every later run), then writes the
pack twice, side by side in one process: figures drawn one after another in this process,
and figures drawn by worker processes while the tables, maps and report are written (the
default). It prints each wall time, the ratios between them and each total's ratio to the
target (with the warm cache, as an analyst's re-runs have it).
"""

from __future__ import annotations

import resource
import tempfile
import time
import warnings
from pathlib import Path

import geosafety
from geosafety.render.drawing import drawing, drawing_processes

TARGET_SECONDS = 10.0


def main() -> None:
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as cache, geosafety.cache_at(cache):
        times = {}
        for label in ("empty read cache", "warm read cache"):
            start = time.perf_counter()
            result = geosafety.assess()
            times[label] = time.perf_counter() - start
            print(f"{'assess (read, place, measure, analyse, protect), ' + label:<52} "
                  f"{times[label]:>7.1f} s")
    assessed = times["warm read cache"]
    walls = {}
    for label, processes in (("one process", 1),
                             (f"{drawing_processes()} drawing processes", None)):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            with drawing(processes=processes):
                written = geosafety.write_assessment(result, Path(tmp) / "out",
                                                     Path(tmp) / "maps")
            walls[label] = time.perf_counter() - start
        print(f"{'write pack, figures drawn by ' + label:<52} {walls[label]:>7.1f} s  "
              f"({len(written)} files)")
    (serial, serial_wall), (parallel, parallel_wall) = walls.items()
    print(f"{'ratio (' + serial + ' / ' + parallel + ')':<52} {serial_wall / parallel_wall:>7.2f}")
    for label, wall in walls.items():
        total = assessed + wall
        print(f"{'default run with ' + label:<52} {total:>7.1f} s  "
              f"({total / TARGET_SECONDS:.1f} x the {TARGET_SECONDS:g} s target)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory of this process':<52} {peak:>7.0f} MB")


if __name__ == "__main__":
    main()
