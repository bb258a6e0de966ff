"""`edition build --jobs N`: pages and validation run in worker processes, with the same result.

The corpus is synthetic (benchmarks/generate_corpus.py, 30 documents, fixed seed), generated
into a temporary folder once per session. The sites are compared whole, the Pagefind bundle
(html/pagefind/) included.
"""

from __future__ import annotations

import os
import time

import pytest
from click.testing import CliRunner

from tei_edition.runtime import executor as executor_module
from tei_edition.cli import main
from tei_edition.config import load_config
from tei_edition.validate import validate

from helpers import build_html, corpus_copy, site_files

pytestmark = pytest.mark.usefixtures("fixed_build_date")  # builds compared byte for byte


@pytest.fixture
def executors_used(monkeypatch):
    """Which executors the build opened (so a test knows the pool really ran)."""
    used: list[str] = []
    original = executor_module.open_executor

    def recording(*args, **kwargs):
        context = original(*args, **kwargs)
        run = context.__enter__()
        used.append(run.name)

        class Wrapped:
            def __enter__(self):
                return run

            def __exit__(self, *exc):
                return context.__exit__(*exc)

        return Wrapped()

    from tei_edition.validate import documents as validate_module
    from tei_edition.writers.html import writer as html_module

    monkeypatch.setattr(validate_module, "open_executor", recording)
    monkeypatch.setattr(html_module, "open_executor", recording)
    # the 30-document corpus is below the size from which pools start: start them anyway
    monkeypatch.setattr(validate_module, "PARALLEL_FROM", 0)
    monkeypatch.setattr(html_module, "PARALLEL_FROM", 0)
    return used


def test_jobs_1_and_jobs_2_write_byte_identical_sites(tmp_path, executors_used):
    serial, parallel = corpus_copy(tmp_path, "serial"), corpus_copy(tmp_path, "parallel")
    code, log = build_html(serial, jobs=1)
    assert code == 0, "\n".join(log)
    assert executors_used == ["serial", "serial"]
    code, log = build_html(parallel, jobs=2)
    assert code == 0, "\n".join(log)
    # validation, the pages, and the site's own pages (one new worker: writer.META_PROCESSES)
    assert executors_used[2:] == ["local", "local", "local"], "validation and pages ran in process pools"
    first, second = site_files(serial), site_files(parallel)
    assert len([p for p in first if p.startswith("documents/") and p.endswith(".html")]) == 30
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []


def test_parallel_validation_reports_the_same_problems(tmp_path, executors_used):
    corpus = corpus_copy(tmp_path)
    broken = corpus / "tei" / "meetings" / "meeting-00003.xml"
    text = broken.read_text(encoding="utf-8")
    # a date that is no date (dates check) and an element the schema does not allow (XSD)
    text = text.replace('when="', 'when="19xx-', 1).replace("</body>", "<unknownElement/></body>", 1)
    broken.write_text(text, encoding="utf-8")
    config = load_config(corpus / "edition.toml")
    serial = validate(config, jobs=1).diagnostics
    parallel = validate(config, jobs=2).diagnostics
    assert executors_used == ["serial", "local"]
    assert {d.rule for d in serial if d.path.endswith("meeting-00003.xml")} >= {"xsd"}
    assert any(d.severity == "error" and "meeting-00003.xml" in d.path and d.rule != "xsd" for d in serial)
    assert serial == parallel


def test_a_bad_writer_table_stops_the_build_before_any_work(tmp_path):
    corpus = corpus_copy(tmp_path)
    with open(corpus / "edition.toml", "a", encoding="utf-8") as f:
        f.write('\n[html]\nbase-ur1 = "https://example.org/"\n')
    result = CliRunner().invoke(main, ["build", "--config", str(corpus / "edition.toml"), "--only", "html"])
    assert result.exit_code == 2  # a config error, found when the config is loaded
    assert "[html] base-ur1: unknown key" in result.output and "[config-html]" in result.output
    assert not (corpus / "output").exists()


def test_a_writer_that_fails_is_not_reported_as_built(tmp_path, monkeypatch):
    from tei_edition.writers.html import writer as html_writer

    def broken(*args, **kwargs):
        raise html_writer.ExecutorError("a worker process died")

    monkeypatch.setattr(html_writer.SiteWriter, "write_all", broken)
    code, log = build_html(corpus_copy(tmp_path), jobs=1)
    assert code == 1  # as before the results said whose a failure is: only the config's exits 2
    text = "\n".join(log)
    assert "[html-worker]" in text
    assert "built: html" not in text
    assert "failed: html" in text


def test_dask_executor_needs_a_scheduler(tmp_path):
    corpus = corpus_copy(tmp_path)
    result = CliRunner().invoke(main, ["build", "--config", str(corpus / "edition.toml"), "--executor", "dask"])
    assert result.exit_code == 2
    assert "--executor dask needs --scheduler ADDRESS" in result.output


def test_unreachable_scheduler_is_a_usage_error(tmp_path):
    corpus = corpus_copy(tmp_path)
    result = CliRunner().invoke(main, ["build", "--config", str(corpus / "edition.toml"), "--only", "html",
                                       "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2, result.output
    assert "Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert not (corpus / "output" / "html").exists()


def test_progress_bar_only_on_a_terminal_and_for_long_phases(monkeypatch):
    from tei_edition.runtime import progress as progress_module

    monkeypatch.setattr(progress_module, "on_terminal", lambda: False)
    with progress_module.progress("pages", 10_000) as bar:
        assert isinstance(bar, progress_module._Silent)  # a log file or CI: nothing drawn
    monkeypatch.setattr(progress_module, "on_terminal", lambda: True)
    with progress_module.progress("pages", 10) as bar:
        assert isinstance(bar, progress_module._Silent)  # too short to be worth a bar
    with progress_module.progress("pages", 10_000) as bar:
        assert isinstance(bar, progress_module._Bar)
        bar.advance(10_000)


def test_a_pool_closed_without_waiting_lets_its_workers_exit():
    """close(wait=False) (validation's, after its pass) returns at once; the workers still exit."""
    pool = executor_module.LocalPool(2)
    pids = set(pool.map(_pid, range(8)))
    assert pids and os.getpid() not in pids
    pool.close(wait=False)
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in pids)
    pool.close()  # (a second close, as open_executor's, is harmless)


def _pid(_n: int) -> int:
    return os.getpid()


def _alive(pid: int) -> bool:
    """Whether process `pid` still runs (a zombie not yet collected counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][:1] != "Z"
    except FileNotFoundError:
        return False


def test_a_pool_of_at_most_so_many_processes():
    from tei_edition.runtime.executor import LocalPool, Serial, open_executor

    with open_executor(jobs=2, tasks=500, parallel_from=200, processes=1) as run:
        assert isinstance(run, LocalPool) and run.workers == 1  # a worker, not this process
        assert list(run.map(abs, [-1, -2, 3])) == [1, 2, 3]
    with open_executor(jobs=2, tasks=500, parallel_from=200) as run:
        assert run.workers == 2
    with open_executor(jobs=1, tasks=500, parallel_from=200, processes=1) as run:
        assert isinstance(run, Serial)
