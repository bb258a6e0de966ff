"""`edition build --executor dask`: pages rendered on a Dask distributed cluster.

A `distributed.LocalCluster` with two small worker processes stands in for a real cluster
(each worker compiles the stylesheets once, as on remote machines). The site must be byte for
byte the one the local build writes. Synthetic 30-document corpus; Pagefind output is not
compared (it is not deterministic), so only the HTML is built. The print edition's per-document
PDFs are checked the same way, on a 4-document corpus (layout is slow).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from distributed import LocalCluster

from helpers import build_html, corpus_copy, site_files, synthetic_corpus
from tei_edition.build import build
from tei_edition.config import load_config

pytestmark = pytest.mark.usefixtures("fixed_build_date")  # builds compared byte for byte


def test_dask_local_cluster_writes_the_same_site_as_the_local_build(tmp_path):
    local, distributed = corpus_copy(tmp_path, "local"), corpus_copy(tmp_path, "dask")
    code, log = build_html(local, jobs=1)
    assert code == 0, "\n".join(log)
    # processes, not threads: one Saxon per worker process, as on a real cluster
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                      worker_dashboard_address=":0") as cluster:
        code, log = build_html(distributed, jobs=1, executor="dask", scheduler=cluster.scheduler_address)
        assert code == 0, "\n".join(log)
        with cluster.get_client() as client:
            # the pages were rendered by the cluster's workers, not in this process
            executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
    # how the scheduler spreads the tasks over the two workers is its business
    assert sum(executed.values()) >= 30, "the cluster's workers rendered the pages"
    first, second = site_files(local), site_files(distributed)
    assert len(first) > 30
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []


def test_dask_local_cluster_makes_the_same_pdfs_as_the_local_build(tmp_path):
    """The pdf writer lays out each document's own PDF on the cluster too (the main process lays
    out the volume meanwhile and writes every file): the PDFs are those of the local build."""
    local, distributed = tmp_path / "local", tmp_path / "dask"
    shutil.copytree(synthetic_corpus(4), local)
    shutil.copytree(synthetic_corpus(4), distributed)
    log: list[str] = []
    assert build(load_config(local / "edition.toml"), only=["pdf"], jobs=1, log=log.append) == 0, "\n".join(log)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                      worker_dashboard_address=":0") as cluster:
        code = build(load_config(distributed / "edition.toml"), only=["pdf"], jobs=1, log=log.append,
                     executor="dask", scheduler=cluster.scheduler_address)
        assert code == 0, "\n".join(log)
        with cluster.get_client() as client:
            executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
    first, second = pdf_files(local), pdf_files(distributed)
    assert sum(1 for p in first if p.startswith("documents/")) == 4
    assert sum(executed.values()) >= 4, "the cluster's workers laid out the documents' PDFs"
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []


def pdf_files(corpus: Path) -> dict[str, bytes]:
    out = corpus / "output" / "pdf"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.pdf"))}
