"""Many authorities at once on a Dask cluster: each authority its own tasks, one shared read.

``geosafety assess --area Merseyside --workers 2`` (or ``--scheduler tcp://host:8786``)
reads police.uk once, sends the records to every worker once, and runs each authority as
two Dask tasks, its assessment, then its run folder (tables, maps, figures, report), the
largest authorities first; the comparison of the authorities is made and written as soon
as every authority is assessed, while the workers write the last run folders. Each run
folder is written by the worker that assessed it, into a staging folder beside the
destination, and the whole set is moved into place only when every task has succeeded, so a
failure leaves nothing half-written.
Workers therefore write to the same file system as the client: on one machine that is
given; on a cluster, point ``--run-folder`` at a shared file system.

Scale-out uses Dask's distributed scheduler as it is: a :class:`distributed.LocalCluster`
of ``workers`` single-threaded processes on this machine, or any running scheduler (a
dask-jobqueue cluster on an HPC system, a Kubernetes deployment). See the README.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geosafety.analysis import Assessment
from geosafety.geography.reference import national_table
from geosafety.io import Inputs, Source
from geosafety.measures import Period
from geosafety.pipeline import (
    AreaAssessments,
    Options,
    assess_authority,
    compare_shared,
    read_shared,
)
from geosafety.render.drawing import drawing
from geosafety.report.comparison import write_comparison
from geosafety.report.write import comparison_name, staged, write_run_folder

if TYPE_CHECKING:
    from distributed import Client

logger = logging.getLogger(__name__)


def _write_folder(result: Assessment, stage: str, root: str, *, maps: bool,
                  formats: tuple[str, ...] | None) -> list[Path]:
    """One Dask task: write an assessed authority's run folder into ``stage``.

    Figures are drawn in the task's own process: each worker is one core's work.
    """
    with drawing(formats, processes=1):
        return write_run_folder(result, Path(stage), Path(root), maps=maps, formats=formats)


#: How many authorities' assessments run before the first run folder is written (a run
#: folder takes longer than an assessment, so one ahead keeps two workers evenly loaded).
ASSESS_AHEAD = 1


def task_sequence(n: int, ahead: int = ASSESS_AHEAD) -> list[tuple[str, int]]:
    """Return the order to start ``n`` authorities' tasks in (numbered largest first).

    Authority ``k``'s run folder is written after the assessment of authority ``k + ahead``,
    so the big tasks start early and the smallest authorities' short tasks end the run.

    Examples
    --------
    >>> [f"{kind} {k}" for kind, k in task_sequence(4)]
    ['assess 0', 'assess 1', 'write 0', 'assess 2', 'write 1', 'assess 3', 'write 2', 'write 3']
    """
    sequence: list[tuple[str, int]] = []
    for k in range(n):
        sequence.append(("assess", k))
        if k >= ahead:
            sequence.append(("write", k - ahead))
    return sequence + [("write", k) for k in range(max(0, n - ahead), n)]


def run_in_order(client: Client, sequence: list[tuple[str, int]],
                 submit: Callable[[tuple[str, int]], Any], *, progress: bool = False,
                 when_assessed: Callable[[], None] | None = None) -> None:
    """Start tasks in ``sequence``, as many at a time as the cluster has threads.

    A task is started when a thread is free and its assessment is done (a ``write`` task
    needs its ``assess``), the first such in the sequence. Handing Dask only tasks it can
    start keeps every worker busy to the end: given all at once, Dask queues them on
    workers early and can leave one worker with the last long task while the others idle.
    Results stay on the workers until the caller gathers them. ``when_assessed`` is called
    once every ``assess`` task has finished, while run folders may still be being written.
    Raises the first task's error.
    """
    from distributed import as_completed
    from tqdm.auto import tqdm

    waiting = list(sequence)
    finished: set[tuple[str, int]] = set()
    running = as_completed()
    started: dict[Any, tuple[str, int]] = {}
    bar = tqdm(total=len(sequence), desc="Assessing and writing authorities", unit="task",
               disable=not progress)

    def start_ready() -> None:
        threads = max(1, sum(client.nthreads().values()))
        while waiting and running.count() < threads:
            ready = next((t for t in waiting if t[0] == "assess" or ("assess", t[1]) in finished),
                         None)
            if ready is None:
                return
            waiting.remove(ready)
            future = submit(ready)
            started[future.key] = ready
            running.add(future)

    assessments = {task for task in sequence if task[0] == "assess"}
    with bar:
        start_ready()
        for future in running:
            if future.status == "error":
                future.result()  # raises the task's error here
            finished.add(started[future.key])
            bar.update()
            start_ready()
            if when_assessed is not None and started[future.key][0] == "assess" and \
                    assessments <= finished:
                when_assessed()


def largest_first(codes: Sequence[str]) -> list[str]:
    """Order authorities by their number of LSOAs, largest first (ties in the order given).

    Started largest first, the longest tasks do not end a run with one worker busy and
    the others idle.

    Examples
    --------
    >>> largest_first(["E08000011", "E08000012", "E08000014"])  # Knowsley, Liverpool, Sefton
    ['E08000012', 'E08000014', 'E08000011']
    """
    table = national_table("england_lsoa21_table")
    sizes = table["lad_code"].value_counts()
    return sorted(codes, key=lambda code: -int(sizes.get(code, 0)))


@contextmanager
def dask_client(scheduler: str | None = None, *, workers: int | None = None) -> Iterator[Client]:
    """Connect to a Dask scheduler, or start a local cluster of ``workers`` processes.

    Raises
    ------
    ImportError
        If Dask's distributed scheduler is not installed (``pip install
        "dask[distributed]"``).
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:  # pragma: no cover (a dependency)
        raise ImportError('Scale-out needs Dask: pip install "dask[distributed]"') from error
    if scheduler is not None:
        with Client(scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=workers or 1, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


def assess_areas_on_cluster(
    source: Source | Inputs | None,
    *,
    areas: Sequence[str],
    root: str | Path,
    period: str | Period | None = None,
    by: str | None = None,
    options: Options | None = None,
    maps: bool = True,
    formats: Sequence[str] | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: bool = False,
) -> tuple[AreaAssessments, list[Path]]:
    """Assess and write several authorities as Dask tasks, two per authority.

    Parameters
    ----------
    source, areas, period, by, options
        As for :func:`geosafety.assess_areas`.
    root : path
        Where the run folders go, ``root/<area>_<period>/`` each, and the comparison,
        ``root/comparison_<period>/`` (as :func:`geosafety.write_runs` writes them).
    maps, formats
        As for :func:`geosafety.write_runs`.
    scheduler : str, optional
        Address of a running Dask scheduler (e.g. ``"tcp://10.0.0.5:8786"``).
    workers : int, optional
        Without ``scheduler``: start a local cluster of this many single-threaded worker
        processes (default 1).
    progress : bool
        Show a progress bar while reading and while the tasks run.

    Returns
    -------
    (AreaAssessments, list of pathlib.Path)
        The assessments and comparison, and every file written at its final path.
    """
    options = options or Options()
    root = Path(root)
    shared = read_shared(source, areas=areas, period=period, progress=progress)
    chosen = None if formats is None else tuple(formats)
    with dask_client(scheduler, workers=workers) as client, staged(root) as stage:
        logger.info("Assessing %d authorities on %s", len(shared.codes), client)
        data = client.scatter(shared, broadcast=True)  # the read, sent to each worker once
        # two tasks per authority, assessing then writing, started largest first and only
        # when a worker is free (run_in_order): every worker stays busy to the end
        order = largest_first(shared.codes)
        assessed: dict[str, Any] = {}
        folders: dict[str, Any] = {}

        def submit(task: tuple[str, int]) -> Any:
            kind, k = task
            code = order[k]
            if kind == "assess":
                assessed[code] = client.submit(assess_authority, data, code, by=by,
                                               options=options, key=f"assess-{code}",
                                               pure=False)
                return assessed[code]
            folders[code] = client.submit(_write_folder, assessed[code], str(stage),
                                          str(root), maps=maps, formats=chosen,
                                          key=f"write-{code}", pure=False)
            return folders[code]

        # the comparison needs every assessment but no run folder: it is made and written
        # here while the workers write the last run folders
        comparing = ThreadPoolExecutor(max_workers=1)

        def compare() -> tuple[AreaAssessments, list[Path]]:
            compared = compare_shared(
                shared, client.gather([assessed[code] for code in shared.codes]),
                options=options)
            return compared, write_comparison(compared.comparison,
                                              stage / comparison_name(compared.comparison))

        comparison: list[Future[tuple[AreaAssessments, list[Path]]]] = []
        try:
            with comparing:
                run_in_order(client, task_sequence(len(order)), submit, progress=progress,
                             when_assessed=lambda: comparison.append(comparing.submit(compare)))
                if not comparison:  # no assessment ran (nothing to wait for)
                    comparison.append(comparing.submit(compare))
                done = client.gather([folders[code] for code in shared.codes])
                compared, compared_files = comparison[0].result()
        except BaseException:
            client.cancel([*assessed.values(), *folders.values()])  # nothing more written
            raise
        written = [path for paths in done for path in paths] + compared_files
    return compared, [root / p.relative_to(stage) for p in written]


__all__ = ["assess_areas_on_cluster", "dask_client"]
