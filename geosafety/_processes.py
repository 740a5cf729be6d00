"""Worker processes for work done beside the main one: drawing figures, disclosure control.

One place decides how such processes start, so every pool in a run forks from the same
server, which has loaded the heavy modules once (matplotlib, scipy's solvers). A process
that is itself a daemon (a Dask worker, or a pool's own worker) may not start children;
:func:`can_start_processes` says so and callers then do the work in their own process.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

#: Modules a worker process has loaded before it is given any work: the drawing modules
#: and the disclosure solver. Named as text, so this module imports neither.
PRELOAD = ["geosafety.render.charts", "geosafety.render.choropleth",
           "matplotlib.backends.backend_agg", "matplotlib.backends.backend_svg",
           "geosafety.disclosure.ranges"]


def usable_cores() -> int:
    """Return the number of cores this process may run on.

    Examples
    --------
    >>> usable_cores() >= 1
    True
    """
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_start_processes() -> bool:
    """Tell whether this process may start worker processes (daemons may not).

    Examples
    --------
    >>> can_start_processes()
    True
    """
    return not multiprocessing.current_process().daemon


def process_pool(processes: int) -> ProcessPoolExecutor:
    """Start a pool of ``processes`` workers forked from a server that has loaded PRELOAD."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        server = multiprocessing.get_context("forkserver")  # forks each worker cheaply
        server.set_forkserver_preload(PRELOAD)
        return ProcessPoolExecutor(max_workers=processes, mp_context=server)
    return ProcessPoolExecutor(max_workers=processes,
                               mp_context=multiprocessing.get_context("spawn"))
