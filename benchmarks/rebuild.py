#!/usr/bin/env python3
"""The pipeline part of a rebuild after editing one document: wall-clock and CPU time.

    python3 benchmarks/rebuild.py --docs 1000              # generates /tmp/rebuild-1000 once
    python3 benchmarks/rebuild.py --docs 10000 --runs 3 --jobs 2

run.py measures `edition build` as a user runs it, Pagefind included (Pagefind re-indexes
the whole site: it is most of a rebuild at 10,000 documents). This measures what the
pipeline itself spends: validation and the HTML writer, without Pagefind, each run in a
fresh process after a small edit of the first document. CPU time (user + system of the build
and its workers) is the steadier figure on a shared machine. The first build of a new corpus
is a full one and takes minutes at 10,000 documents.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import edit_one_document, generate  # noqa: E402 (the sibling script)

PIPELINE = """
import sys
from tei_edition.build import build
from tei_edition.config import load_config
from tei_edition.search import pagefind as search

if __name__ == "__main__":
    search.index_site = lambda site, tmp: (tmp / "pagefind-ui.js").write_text("")  # no Pagefind
    log = []
    code = build(load_config("edition.toml"), only=["html"], jobs=int(sys.argv[1]), log=log.append)
    print("\\n".join(line for line in log if line.startswith("html:")))
    sys.exit(code)
"""


def run_build(corpus: Path, jobs: int) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the build and its workers, log)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PIPELINE, str(jobs)], cwd=corpus, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"the build failed:\n{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3, help="rebuilds after an edit, each measured")
    parser.add_argument("--work", type=Path, default=Path("/tmp"), help="where the corpus is generated")
    args = parser.parse_args()
    corpus = generate(args.docs, args.work / f"rebuild-{args.docs}")
    if not (corpus / "output" / ".cache" / "html.json").is_file():
        wall, cpu, _ = run_build(corpus, args.jobs)
        print(f"first (full) build: {wall:.1f} s wall, {cpu:.1f} s CPU")
    for n in range(args.runs):
        edit_one_document(corpus)
        wall, cpu, log = run_build(corpus, args.jobs)
        print(f"rebuild after an edit: {wall:.2f} s wall, {cpu:.2f} s CPU  ({log.splitlines()[0] if log else ''})")
    wall, cpu, log = run_build(corpus, args.jobs)
    print(f"rebuild, nothing changed: {wall:.2f} s wall, {cpu:.2f} s CPU")


if __name__ == "__main__":
    main()
