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

Tasks are sent a few chunks at a time so that memory stays flat however large the corpus. The first chunks
starts when `map` is called, so the caller can do other work while the workers run (the pdf
writer lays out the volume while the documents' own PDFs are made).
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, TypeVar

A = TypeVar("A")
R = TypeVar("R")
BATCH = 512      # tasks sent at a time to a Dask cluster
CHUNK = 8        # tasks a worker process is sent at a time
IN_FLIGHT = 4    # chunks in flight per worker process
EXECUTORS = ("local", "dask")
CONNECT_TIMEOUT = "10s"


def _each(fn: Callable[[A], R], part: list[A]) -> list[R]:
    """A chunk of tasks, run in a worker."""
    return [fn(item) for item in part]


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    while part := list(itertools.islice(items, size)):
        yield part


class ExecutorError(Exception):
    """The executor could not run the work (a worker died, the scheduler is unreachable)."""


class Serial:
    name = "serial"
    workers = 1

    def map(self, fn: Callable[[A], R], items: Iterable[A]) -> Iterator[R]:
        return map(fn, items)

    def warm(self, fn: Callable, *args) -> None:
        pass  # (nothing to start)


def workers_from(tasks: int, parallel_from: int, warm: bool) -> int:
    """From how many tasks a run starts workers (open_executor's `parallel_from`). A large build
    sends even a few tasks to a worker: Saxon loaded in this process (some 200 MB at 10,000
    documents, beside the index) would stay there for the rest of the build, and a worker starts
    in about the time Saxon takes to load here. A process that keeps its state between builds
    (`warm`: edition serve) runs a few itself, where Saxon stays loaded for its next rebuild."""
    return parallel_from if warm or tasks < parallel_from else 1


class LocalPool:
    name = "local"

    def __init__(self, jobs: int):
        self.workers = jobs
        self._pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))

    def map(self, fn: Callable[[A], R], items: Iterable[A]) -> Iterator[R]:
        """A window of chunks in flight: a new chunk is sent when the oldest one's results are
        taken, so the workers never wait for a whole batch to finish and this process holds a
        few dozen tasks and results at a time, not hundreds (rendered pages are large)."""
        items = iter(items)
        ahead = list(itertools.islice(items, IN_FLIGHT * CHUNK * self.workers))
        chunk = max(1, min(CHUNK, len(ahead) // (IN_FLIGHT * self.workers)))  # a few items: spread them
        chunks = _chunks(itertools.chain(ahead, items), chunk)
        del ahead
        window: deque = deque()
        try:
            for part in itertools.islice(chunks, IN_FLIGHT * self.workers):
                window.append(self._pool.submit(_each, fn, part))  # started now: the caller can do other work
        except BrokenProcessPool as exc:
            raise self._died(exc) from None
        return self._results(fn, window, chunks)

    def _results(self, fn, window: deque, chunks: Iterator[list]) -> Iterator:
        try:
            while window:
                done = window.popleft().result()
                part = next(chunks, None)
                if part is not None:
                    window.append(self._pool.submit(_each, fn, part))
                yield from done
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

    def close(self, wait: bool = True) -> None:
        """Stop the workers; `wait=False` returns at once (they exit on their own, and the
        pool's thread collects them)."""
        self._pool.shutdown(wait=wait, cancel_futures=True)


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
                  tasks: int | None = None, parallel_from: int = 0,
                  processes: int | None = None) -> Iterator[Serial | LocalPool | DaskCluster]:
    """The executor for this build. A local pool is started only when there are at least
    `parallel_from` tasks: starting workers costs a second or so, worth it only for many pages.
    `processes`: at most this many worker processes in a local pool (still a pool, not this
    process, when jobs > 1)."""
    if executor == "dask":
        if scheduler is None:
            raise ExecutorError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
        run = DaskCluster(scheduler)
    elif jobs > 1 and (tasks is None or tasks >= parallel_from):
        run = LocalPool(jobs if processes is None else max(1, min(jobs, processes)))
    else:
        run = Serial()
    try:
        yield run
    finally:
        if hasattr(run, "close"):
            run.close()
