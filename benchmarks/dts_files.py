"""Time the static DTS writer (write_dts) alone on an edition, as the html writer runs it.

    python benchmarks/dts_files.py DIR OUT [--profile]

DIR holds the edition's edition.toml; the edition is indexed first (not timed), then write_dts
writes into OUT (emptied first: a clean build's files). Prints wall time and the CPU (user and
kernel) of this process; with --profile, the cProfile functions by own time. docs/performance.md,
"Seventh session".
"""

from __future__ import annotations

import cProfile
import pstats
import resource
import shutil
import sys
import time
from pathlib import Path


def main(edition: Path, out: Path, profile: bool) -> None:
    from tei_edition.config import load_config
    from tei_edition.interfaces.dts.static import write_dts
    from tei_edition.model.edition import Site
    from tei_edition.validate import index_edition
    from tei_edition.writers.base import BuildContext

    config = load_config(edition / "edition.toml")
    indexed = index_edition(config, jobs=2)
    ctx = BuildContext(config, indexed.corpus, indexed.index)
    site = Site(indexed.index)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    profiler = cProfile.Profile() if profile else None
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    found = write_dts(ctx, site, out)
    if profiler:
        profiler.disable()
    wall = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(f"write_dts: wall {wall:.2f} s; this process user {own.ru_utime - before.ru_utime:.2f} s, "
          f"sys {own.ru_stime - before.ru_stime:.2f} s; {len(found)} diagnostic(s)")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":  # the index's worker pool uses spawn
    args = [a for a in sys.argv[1:] if a != "--profile"]
    if len(args) != 2:
        sys.exit(__doc__)
    main(Path(args[0]), Path(args[1]), "--profile" in sys.argv)
