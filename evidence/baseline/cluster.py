"""The Dask cluster the baseline steps run on, and the one way they run tasks on it.

A local cluster on this machine by default (one single-threaded worker process per core: the
parse holds the GIL for most of its time, so threads would not run in parallel), or an existing
``distributed`` cluster given by its scheduler address. Every step submits one task per file or
partition and collects the results as they finish, so one progress bar works on both.

Workers import ``evidence`` themselves: on a cluster, install the same version on every worker.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from ..errors import ClusterError, EvidenceError, InputError

T = TypeVar("T")

# Far above what one file needs (benchmarks/bench_baseline.py measures the peak per worker);
# a worker past it is restarted by Dask rather than taking the machine down.
WORKER_MEMORY_LIMIT = "3GiB"
CONNECT_TIMEOUT = "10s"


@contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None, *, processes: bool = True) -> Iterator[Any]:
    """A ``distributed.Client``: to ``scheduler`` when given, else to a new local cluster.

    Parameters
    ----------
    scheduler:
        Address of a running scheduler (``tcp://host:8786``). Its workers are used as they are.
    workers:
        Worker count of the local cluster (default: one per CPU core). Refused with ``scheduler``.
    processes:
        Local workers as processes (the default) or as threads of this process (tests: fast to
        start, no parallel speed-up).

    Raises
    ------
    ClusterError
        The scheduler cannot be reached, or the local cluster cannot start.
    """
    from distributed import Client, LocalCluster

    if scheduler and workers:
        raise InputError("a worker count sizes a local cluster; a cluster given by its scheduler address keeps its own workers",
                         setting="workers")
    if workers is not None and workers < 1:
        raise InputError(f"the worker count must be at least 1, not {workers}", setting="workers")
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler} ({' '.join(str(exc).split()) or type(exc).__name__}); "
                               "check the address, or start one with `dask scheduler`") from exc
        try:
            yield client
        finally:
            client.close()
        return
    try:
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=processes,
                               memory_limit=WORKER_MEMORY_LIMIT, silence_logs=logging.CRITICAL,  # task errors come back as results
                               # No dashboard (bokeh is not a dependency), and the scheduler's HTTP routes on a
                               # free port: 8787 may be taken by another cluster on the machine.
                               dashboard_address=":0", scheduler_kwargs={"dashboard": False})
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot start a local Dask cluster ({exc}); use 1 worker, or the address of a running scheduler",
                           setting="scheduler") from exc
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()


class _Finished:
    """Futures in the order they finish, with a length (so a progress bar knows its total)."""

    def __init__(self, futures: Sequence[Any]) -> None:
        self.futures = futures

    def __len__(self) -> int:
        return len(self.futures)

    def __iter__(self) -> Iterator[Any]:
        from distributed import as_completed

        return iter(as_completed(self.futures))


def run_tasks(client: Any, func: Callable[..., T], items: Sequence[tuple], *,
              progress: Callable[[Iterable], Iterable] | None = None,
              on_done: Callable[[int, T], None] | None = None) -> list[T]:
    """Run ``func(*item)`` for every item on the cluster; the results in item order.

    ``on_done(index, result)`` is called as each task finishes, so a step can record what is
    done before a later task fails. The first task error is raised after the tasks still
    running have finished and been recorded (its traceback stays on the worker: library
    errors are one-line ``EvidenceError``\\ s).
    """
    if not items:
        return []
    futures = [client.submit(_run_task, func, *item, pure=False) for item in items]
    index = {f.key: i for i, f in enumerate(futures)}
    results: list[Any] = [None] * len(items)
    first_error: BaseException | None = None
    try:
        finished: Iterable[Any] = _Finished(futures)
        for future in progress(finished) if progress else finished:
            i = index[future.key]
            if future.status == "error":  # kept, and raised once the tasks still running are recorded
                first_error = first_error or _task_error(future.exception(), items[i])
                continue
            results[i] = future.result()
            future.release()  # the worker may drop its copy of the result now
            if on_done:
                on_done(i, results[i])
    finally:
        for f in futures:
            f.release()
    if first_error is not None:
        raise first_error
    return results


def _run_task(func: Callable[..., T], *args: Any) -> T:
    """Run one task on a worker. A library error goes back without its chain of causes: the
    message says it all, and a cause such as lxml's syntax error (which holds an error log that
    cannot be pickled) would arrive as a bare ``Exception`` instead of the ``EvidenceError``."""
    try:
        return func(*args)
    except EvidenceError as exc:
        exc.__cause__ = exc.__context__ = None
        exc.__suppress_context__ = True
        raise exc.with_traceback(None) from None


def _task_error(exc: BaseException, item: tuple) -> BaseException:
    """A task's error as the caller should see it: library errors as they are; a worker that died
    (out of memory, killed) as a ClusterError naming the task's first argument."""
    from distributed import KilledWorker

    if isinstance(exc, KilledWorker):
        return ClusterError(f"a Dask worker died while working on {item[0]} (out of memory?); give the workers more "
                            "memory or run the command again to resume")
    return exc
