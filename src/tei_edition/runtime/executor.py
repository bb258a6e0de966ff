"""Where per-document work runs: in this process, in a local process pool, or on a Dask cluster.

Per-document work is a pure function of picklable inputs (a file path, or a document's XML and
its slice of the index as bytes) to picklable outputs (diagnostics, a rendered page). So one
small interface serves all three places:

    with open_executor(jobs=2) as run:          # or executor="dask", scheduler="tcp://host:8786"
        for result in run.map(render, tasks):   # results come back in the order of `tasks`
            ...

- `jobs=1`: a plain loop, no processes (also the fallback for small corpora).
- local pool: `spawn`ed worker processes (a fresh Saxon in each, never a forked one); each
  compiles its stylesheets and schemas once, on first use, and keeps them.
- Dask: the same functions are submitted to a `distributed` scheduler; the workers must have
  this package installed (same version). Inputs travel to the workers, results come back.

Tasks are sent in batches so that memory stays flat however large the corpus. The first batch
starts when `map` is called, so the caller can do other work while the workers run (the pdf
writer lays out the volume while the documents' own PDFs are made).
"""

from __future__ import annotations

import itertools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, TypeVar

A = TypeVar("A")
R = TypeVar("R")
BATCH = 512
EXECUTORS = ("local", "dask")
CONNECT_TIMEOUT = "10s"


class ExecutorError(Exception):
    """The executor could not run the work (a worker died, the scheduler is unreachable)."""


class Serial:
    name = "serial"
    workers = 1

    def map(self, fn: Callable[[A], R], items: Iterable[A]) -> Iterator[R]:
        return map(fn, items)

    def warm(self, fn: Callable, *args) -> None:
        pass  # (nothing to start)


class LocalPool:
    name = "local"

    def __init__(self, jobs: int):
        self.workers = jobs
        self._pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))

    def map(self, fn: Callable[[A], R], items: Iterable[A]) -> Iterator[R]:
        items = iter(items)
        try:
            first = self._submit(fn, list(itertools.islice(items, BATCH)))
        except BrokenProcessPool as exc:
            raise self._died(exc) from None
        return self._results(fn, first, items)

    def _submit(self, fn, batch: list) -> Iterator:
        chunk = max(1, min(16, len(batch) // (4 * self.workers)))
        return self._pool.map(fn, batch, chunksize=chunk)  # submitted now, results as they come

    def _results(self, fn, first: Iterator, items: Iterator) -> Iterator:
        # the next batch is submitted before the results of this one are read, so that the
        # workers do not wait at the end of each batch for the slowest one (two batches at most)
        try:
            current = first
            while current is not None:
                batch = list(itertools.islice(items, BATCH))
                following = self._submit(fn, batch) if batch else None
                yield from current
                current = following
        except BrokenProcessPool as exc:
            raise self._died(exc) from None

    def warm(self, fn: Callable, *args) -> None:
        """Start the workers now, each (most likely) running `fn(*args)` first: they start
        Python and import while the caller does its own work. The results are not read."""
        for _ in range(self.workers):
            self._pool.submit(fn, *args)

    @staticmethod
    def _died(exc: Exception) -> ExecutorError:
        return ExecutorError(f"a worker process died: {exc}; build again with --jobs 1 to see which "
                             "document makes it fail")

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


def connect(scheduler: str | object):
    """A distributed.Client for a scheduler address (a Client passed in is returned as is)."""
    if hasattr(scheduler, "submit"):
        return scheduler
    try:
        from distributed import Client
    except ImportError:
        raise ExecutorError("--executor dask needs the distributed package: "
                            "pip install 'tei-edition[dask]'") from None
    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ExecutorError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None


class DaskCluster:
    name = "dask"

    def __init__(self, scheduler: str | object):
        # a Client (the build connects once, before any work) or a scheduler address
        self._client = connect(scheduler)
        self._owned = self._client is not scheduler
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))

    def map(self, fn: Callable[[A], R], items: Iterable[A]) -> Iterator[R]:
        items = iter(items)
        return self._results(fn, self._submit(fn, list(itertools.islice(items, BATCH))), items)

    def _submit(self, fn, batch: list) -> list:
        # pure=False: identical inputs are still separate tasks (results are not shared)
        return self._client.map(fn, batch, pure=False) if batch else []

    def _results(self, fn, futures: list, items: Iterator) -> Iterator:
        while futures:
            try:
                yield from self._client.gather(futures)
            except Exception as exc:  # a lost worker, a killed task: distributed's own exceptions
                raise ExecutorError(f"the Dask cluster failed a task: {exc}") from None
            futures = self._submit(fn, list(itertools.islice(items, BATCH)))

    def close(self) -> None:
        if self._owned:
            self._client.close()


@contextmanager
def open_executor(jobs: int = 1, executor: str = "local", scheduler=None,
                  tasks: int | None = None, parallel_from: int = 0) -> Iterator[Serial | LocalPool | DaskCluster]:
    """The executor for this build. A local pool is started only when there are at least
    `parallel_from` tasks: starting workers costs a second or so, worth it only for many pages."""
    if executor == "dask":
        if scheduler is None:
            raise ExecutorError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
        run = DaskCluster(scheduler)
    elif jobs > 1 and (tasks is None or tasks >= parallel_from):
        run = LocalPool(jobs)
    else:
        run = Serial()
    try:
        yield run
    finally:
        if hasattr(run, "close"):
            run.close()
