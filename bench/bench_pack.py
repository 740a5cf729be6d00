"""Benchmark: the whole default Sefton pack (assess, tables, maps, figures, report).

Run ``python bench/bench_pack.py``. Target (issue 15): the default run in 10 s or less on a
2-core machine. It assesses twice, with an empty read cache (the first run on new
police.uk files) and with the cache the first run left (every later run), then writes the
pack twice, side by side in one process: figures drawn one after another in this process,
and figures drawn by worker processes while the tables, maps and report are written (the
default). It prints each wall time, the ratios between them and each total's ratio to the
target (with the warm cache, as an analyst's re-runs have it).

Beside each wall time it prints the CPU time the whole machine spent meanwhile (this
process, its drawing and disclosure processes, and anything else running; run it on an
otherwise idle machine). Work of that many CPU-seconds cannot take less wall time than
CPU-seconds divided by the number of cores, however it is scheduled: the last lines print
that floor for the default run beside the target.
"""

from __future__ import annotations

import resource
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

import geosafety
from geosafety._processes import usable_cores
from geosafety.render.drawing import drawing, drawing_processes

TARGET_SECONDS = 10.0


def machine_cpu_seconds() -> float:
    """Return the CPU-seconds every core of this machine has spent working since boot."""
    times = psutil.cpu_times()
    return sum(getattr(times, name, 0.0) for name in
               ("user", "nice", "system", "irq", "softirq", "steal"))


def timed(work: Callable[[], Any]) -> tuple[Any, float, float]:
    """Run ``work``; return its result, the wall seconds and the machine's CPU-seconds."""
    cpu, start = machine_cpu_seconds(), time.perf_counter()
    result = work()
    return result, time.perf_counter() - start, machine_cpu_seconds() - cpu


def main() -> None:
    warnings.simplefilter("ignore")
    cores = usable_cores()
    with tempfile.TemporaryDirectory() as cache, geosafety.cache_at(cache):
        costs = {}
        for label in ("empty read cache", "warm read cache"):
            result, wall, cpu = timed(geosafety.assess)
            costs[label] = (wall, cpu)
            print(f"{'assess (read, place, measure, analyse, protect), ' + label:<60} "
                  f"{wall:>7.1f} s  ({cpu:.1f} CPU-s)")
    assessed, assessed_cpu = costs["warm read cache"]
    walls = {}
    for label, processes in (("one process", 1),
                             (f"{drawing_processes()} drawing processes", None)):
        with tempfile.TemporaryDirectory() as tmp:
            def write(processes: int | None = processes, tmp: str = tmp) -> list[Path]:
                with drawing(processes=processes):
                    return geosafety.write_assessment(result, Path(tmp) / "out",
                                                      Path(tmp) / "maps")
            written, wall, cpu = timed(write)
        walls[label] = (wall, cpu)
        print(f"{'write pack, figures drawn by ' + label:<60} {wall:>7.1f} s  "
              f"({cpu:.1f} CPU-s, {len(written)} files)")
    (serial, (serial_wall, _)), (parallel, (parallel_wall, _)) = walls.items()
    print(f"{'ratio (' + serial + ' / ' + parallel + ')':<60} {serial_wall / parallel_wall:>7.2f}")
    for label, (wall, _) in walls.items():
        total = assessed + wall
        print(f"{'default run with ' + label:<60} {total:>7.1f} s  "
              f"({total / TARGET_SECONDS:.1f} x the {TARGET_SECONDS:g} s target)")
    work = assessed_cpu + walls[parallel][1]
    floor = work / cores
    print(f"{'default run, CPU-seconds (warm cache, ' + parallel + ')':<60} {work:>7.1f} CPU-s")
    print(f"{f'least wall for that work on {cores} core(s)':<60} {floor:>7.1f} s  "
          f"({floor / TARGET_SECONDS:.1f} x the {TARGET_SECONDS:g} s target; the target "
          f"needs {work / TARGET_SECONDS:.1f} cores, or {TARGET_SECONDS * cores:.0f} "
          f"CPU-s on {cores})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory of this process':<60} {peak:>7.0f} MB")


if __name__ == "__main__":
    main()
