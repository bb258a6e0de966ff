"""Memory of a clean (or, with --rebuild, an incremental) `--only html` build, phase by phase and process by process.

    python benchmarks/memory_phases.py CORPUS [--jobs 2]

Builds CORPUS (a folder with edition.toml; its output's html/ and .cache/ are removed first) in this process, as
`edition build` calls build(), and samples the resident memory of this process and of each of
its children every 0.2 s (psutil). Phases are marked where the build enters them (index, check,
pages, the site's own pages, each writer of site files); for each phase it prints the highest
sum over all processes and what each process held at that moment, then the main process's
memory at each mark. Pagefind runs in a thread from the end of the pages to the end of the site
files, so its processes appear in those phases.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import threading
import time
from pathlib import Path

from run import EDIT  # (benchmarks/run.py, beside this script)


def role(process, psutil) -> str:
    try:
        line = " ".join(process.cmdline())
    except psutil.Error:
        return "?"
    if "pagefind" in line:
        return "pagefind"
    return "worker" if "multiprocessing" in line and "resource_tracker" not in line else "other"


class Sampler:
    def __init__(self):
        import psutil
        self.psutil, self.me = psutil, psutil.Process()
        self.phase, self.order, self.stats, self.marks = "start", [], {}, []
        self.stopped = False

    def mark(self, name: str) -> None:
        self.marks.append((name, round(self.me.memory_info().rss / 2**20)))
        self.phase = name

    def phased(self, name: str, fn):
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            self.mark(name)
            try:
                return fn(*args, **kwargs)
            finally:
                self.mark("after " + name)
        return inner

    def run(self) -> None:
        while not self.stopped:
            try:
                rows = [("main", self.me.memory_info().rss / 2**20)]
                for child in self.me.children(recursive=True):
                    try:
                        rows.append((role(child, self.psutil), child.memory_info().rss / 2**20))
                    except self.psutil.Error:
                        pass
            except self.psutil.Error:
                continue
            total = sum(mb for _, mb in rows)
            if self.phase not in self.stats:
                self.stats[self.phase] = (0.0, [])
                self.order.append(self.phase)
            if total > self.stats[self.phase][0]:
                self.stats[self.phase] = (total, [(r, round(mb)) for r, mb in rows if mb > 20])
            time.sleep(0.2)


def toggle_edit(folder: Path) -> None:
    """Add (or, the next time, remove) a paragraph in the first document, as benchmarks/run.py edits it."""
    first = sorted(folder.glob("*.xml"))[0]
    text = first.read_text(encoding="utf-8")
    text = text.replace(EDIT, "") if EDIT in text else text.replace("</body>", EDIT + "</body>", 1)
    first.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rebuild", action="store_true",
                        help="keep the built output and toggle an edit in the first meeting's text first")
    args = parser.parse_args()
    import os
    from tei_edition import build as b
    from tei_edition.config import load_config
    from tei_edition.writers.html import extras, writer

    os.chdir(args.corpus)
    config = load_config(Path("edition.toml"))
    if args.rebuild:
        toggle_edit(Path("tei") / "meetings")
    else:
        for made in (config.output / "html", config.output / ".cache"):  # a clean build
            shutil.rmtree(made, ignore_errors=True)
    sampler = Sampler()
    b.index, b.check = sampler.phased("index", b.index), sampler.phased("check", b.check)
    writer.SiteWriter.write_all = sampler.phased("pages", writer.SiteWriter.write_all)
    writer.SiteWriter._meta_pages = sampler.phased("site's own pages", writer.SiteWriter._meta_pages)
    extras.SITE_FILES = tuple(sampler.phased(f.__name__, f) for f in extras.SITE_FILES)
    threading.Thread(target=sampler.run, daemon=True).start()
    start = time.perf_counter()
    code = b.build(config, only=["html", "search"] if args.rebuild else ["html"], jobs=args.jobs, log=lambda line: None)
    sampler.mark("end")
    time.sleep(0.5)
    sampler.stopped = True
    peak = max(total for total, _ in sampler.stats.values())
    print(f"exit {code}, {time.perf_counter() - start:.0f} s, peak {peak:.0f} MB (all processes)")
    for phase in sampler.order:
        total, rows = sampler.stats[phase]
        print(f"{total:7.0f} MB  {phase:28s} {', '.join(f'{r} {mb}' for r, mb in rows)}")
    print("main process at each mark (MB):", ", ".join(f"{name} {mb}" for name, mb in sampler.marks))


if __name__ == "__main__":  # the pool's workers (spawn) import this module again
    main()
