"""Benchmark: building the study area of every English authority from the bundled reference.

Run ``python bench/bench_areas.py``. The target (issue 11, not enforced by tests) is under
2 seconds for any one authority; it prints the slowest, the median and their ratio to it.
"""

from __future__ import annotations

import statistics
import time

from geosafety import StudyArea, authorities

TARGET_SECONDS = 2.0


def main() -> None:
    start = time.perf_counter()
    StudyArea.for_authority("Sefton")
    print(f"{'first area (reads the national tables)':<44} {time.perf_counter() - start:>7.2f} s")
    timings = {}
    for code, name in authorities()["lad_name"].items():
        start = time.perf_counter()
        area = StudyArea.for_authority(code)
        timings[name] = time.perf_counter() - start
        area.postcode_districts  # noqa: B018 (built with the area)
    slowest = max(timings, key=timings.__getitem__)
    median = statistics.median(timings.values())
    print(f"{'authorities built':<44} {len(timings):>7}")
    print(f"{'median':<44} {median:>7.3f} s  ({median / TARGET_SECONDS:.2f} of target)")
    print(f"{'slowest: ' + slowest:<44} {timings[slowest]:>7.3f} s  "
          f"({timings[slowest] / TARGET_SECONDS:.2f} of target)")
    print(f"{'all 296':<44} {sum(timings.values()):>7.1f} s")


if __name__ == "__main__":
    main()
