"""Benchmark: the five Merseyside authorities as Dask tasks, 1 worker against 2.

Run ``python bench/bench_cluster.py [--period 2025] [--no-maps]``. Target (issue 15): on
one machine a local cluster of 2 workers at least 1.7 times faster than 1 worker. It reads
Merseyside's real police.uk files for the period from ``../shared/data-raw`` (or
``--data``), then runs :func:`geosafety.assess_areas_on_cluster` for Knowsley, Liverpool,
St Helens, Sefton and Wirral (each assessment, its tables, report and, unless
``--no-maps``, its maps and figures is one task) with 1 and then 2 workers, side by side in
one process, and prints both wall times and their ratio. With ``--rounds N`` the pair is
run N times, interleaved, and the medians and their ratio are printed too: a shared
machine's speed can drift by a quarter between one run and the next.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import warnings
from pathlib import Path

import geosafety

TARGET_RATIO = 1.7
RAW = Path(__file__).resolve().parents[2] / "shared" / "data-raw" / "policeuk-merseyside" / (
    "merseyside_original_gz")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--period", default="2025")
    parser.add_argument("--data", type=Path, default=RAW)
    parser.add_argument("--no-maps", action="store_true")
    parser.add_argument("--rounds", type=int, default=1,
                        help="run 1 and 2 workers this many times, interleaved (default 1)")
    arguments = parser.parse_args()
    warnings.simplefilter("ignore")
    period = geosafety.parse_period(arguments.period)
    files = sorted(p for p in arguments.data.glob("*-merseyside-street.csv*")
                   if str(period.start) <= p.name[:7] <= str(period.end))
    if not files:
        raise SystemExit(f"no Merseyside files for {period.label} in {arguments.data}")
    walls: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(max(1, arguments.rounds)):
        for workers in (1, 2):
            with tempfile.TemporaryDirectory() as tmp:
                start = time.perf_counter()
                done, written = geosafety.assess_areas_on_cluster(
                    files, areas=["Merseyside"], root=tmp, period=period,
                    maps=not arguments.no_maps, workers=workers)
                walls[workers].append(time.perf_counter() - start)
            print(f"{len(done.assessments)} authorities, {len(files)} months, {workers} "
                  f"worker(s){'':<6} {walls[workers][-1]:>7.1f} s  ({len(written)} files)")
        ratio = walls[1][-1] / walls[2][-1]
        print(f"{'ratio (1 worker / 2 workers)':<42} {ratio:>7.2f}  "
              f"({ratio / TARGET_RATIO:.2f} of the {TARGET_RATIO} target)")
    if arguments.rounds > 1:
        one, two = statistics.median(walls[1]), statistics.median(walls[2])
        print(f"{'medians of ' + str(arguments.rounds) + ' rounds, 1 and 2 workers':<42} "
              f"{one:>7.1f} s {two:>7.1f} s")
        print(f"{'ratio of the medians':<42} {one / two:>7.2f}  "
              f"({one / two / TARGET_RATIO:.2f} of the {TARGET_RATIO} target)")


if __name__ == "__main__":
    main()
