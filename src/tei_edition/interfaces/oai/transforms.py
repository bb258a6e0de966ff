"""The stylesheet runs of the OAI records (oai_dc per file, DataCite of the edition), in workers.

Saxon and the deposit stylesheets cost the process that loads them some 100 MB, and more with
every document it turns into a Saxon tree. The build's main process no longer loads them for
the records: records.py hands the XML over as text in batches (`Batch`), and `run_batch` runs
the stylesheets in a worker of the build's executor (in this process only when the build runs
in one process, or for a few records). Each batch carries the parameters its records share
(the edition header, the titles) once, so the workers parse them once per batch.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Callable, TextIO

from tei_edition.render import xslt
from tei_edition.runtime.executor import open_executor

# Records per task of the executor, and records handed over at a time (what the main process
# holds of them at once: their text and their entries' lists).
BATCH = 50
AT_ONCE = 400
# Starting worker processes (Saxon and the stylesheets in each) pays off from this many records:
# a rebuild that makes a few records makes them in this process.
PARALLEL_FROM = 200
# One worker process: the records come after the pages, when the main process is at its
# largest; a second fresh Saxon (some 120 MB at 10,000 documents) would add to the build's peak,
# and on a 2,000-document build the phase took no longer with one (13 s against 18 s).
PROCESSES = 1


@dataclass(frozen=True)
class Job:
    """One record to make: `kind` "oai_dc" (source: the file) or "datacite" (source: the edition
    header, `xml["members"]` the corpus's extracts); `xml` parameters are XML text, `plain` others."""

    kind: str
    source: str
    xml: tuple[tuple[str, str], ...] = ()
    plain: tuple[tuple[str, object], ...] = ()
    files: tuple[tuple[str, str], ...] = ()  # XML parameters in files of this machine (Runs.file)


@dataclass(frozen=True)
class Batch:
    shared: tuple[tuple[str, str], ...]  # XML parameters of every job ("edition", "titles")
    jobs: tuple[Job, ...]


_parsed: list = [None, {}]  # the shared parameters of the last batch, and their nodes


def run_batch(batch: Batch) -> list[tuple[str, str]]:
    """(the record's text, "") or ("", the error's text) of each job, in order."""
    if _parsed[0] != batch.shared:  # the same in every batch of a build: parsed once per process
        _parsed[:] = [batch.shared, {name: xslt.node(text) for name, text in batch.shared}]
    return [_run(job, _parsed[1]) for job in batch.jobs]


def _run(job: Job, shared: dict) -> tuple[str, str]:
    try:
        source = xslt.node(job.source)
        params = {**{name: xslt.node(text) for name, text in job.xml}, **dict(job.plain)}
        params.update((name, xslt.node_file(path)) for name, path in job.files)
        if job.kind == "oai_dc":
            params["edition"] = shared.get("edition", source)  # without an edition header the file is both
            params["titles"] = shared["titles"]
            return xslt.transform("deposit/oai_dc.xsl", source, params), ""
        corpus = xslt.node(xslt.transform("deposit/teicorpus.xsl", source, {"members": params["members"]}))
        return xslt.transform("deposit/datacite.xsl", corpus, {"files": xslt.node("<files/>"),
                                                               "titles": shared["titles"]}), ""
    except xslt.XsltError as exc:
        return "", str(exc)


class Runs:
    """Jobs run as they are added, AT_ONCE at a time, on the build's executor; each job's
    `done(text, error)` is called in the order the jobs were added; the last ones when the
    `with` block ends without an exception (the workers are stopped either way)."""

    def __init__(self, shared: dict[str, str], workers: int, executor: str = "local", scheduler=None,
                 pool_from: int = PARALLEL_FROM):
        self.shared, self.pool_from = tuple(shared.items()), pool_from
        self.workers, self.executor, self.scheduler = workers, executor, scheduler
        self.pending: list[tuple[Job, Callable[[str, str], None]]] = []
        self._stack = ExitStack()
        self._run = None

    def add(self, job: Job, done: Callable[[str, str], None]) -> None:
        self.pending.append((job, done))
        if len(self.pending) >= AT_ONCE:
            self._flush()

    @property
    def local(self) -> bool:
        """The jobs run on this machine (a cluster's workers cannot read its files)."""
        return self.executor != "dask"

    def file(self, write: Callable[[TextIO], None]) -> str:
        """A temporary file `write` fills (UTF-8), removed when the runs end; for a large XML
        parameter (the DataCite record's members, 40 MB at 10,000 documents): as text it was
        held whole by this process, pickled, sent, and held again by the worker beside its tree."""
        handle, path = tempfile.mkstemp(suffix=".xml")
        self._stack.callback(os.unlink, path)
        with open(handle, "w", encoding="utf-8") as out:
            write(out)
        return path

    def __enter__(self) -> "Runs":
        return self

    def __exit__(self, kind, *_) -> None:
        with self._stack:
            if kind is None and self.pending:
                self._flush()

    def _flush(self) -> None:
        if self._run is None:  # a pool when there are many jobs (AT_ONCE > PARALLEL_FROM), else this process
            self._run = self._stack.enter_context(open_executor(
                self.workers, self.executor, self.scheduler, tasks=len(self.pending), parallel_from=self.pool_from,
                processes=PROCESSES))
        pending, self.pending = self.pending, []
        batches = [Batch(self.shared, tuple(job for job, _ in pending[i:i + BATCH]))
                   for i in range(0, len(pending), BATCH)]
        results = (result for found in self._run.map(run_batch, batches) for result in found)
        for (_, done), (text, error) in zip(pending, results):
            done(text, error)
