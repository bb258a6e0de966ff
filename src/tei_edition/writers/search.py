"""The search writer: `edition build --only search` re-indexes an existing web edition.

The html writer indexes its pages itself, in its staging folder, before the new site replaces the
old one (tei_edition.search.pagefind); this writer is for re-indexing a site without rebuilding it.
"""

from __future__ import annotations

from tei_edition.diagnostics import Diagnostic
from tei_edition.search.pagefind import BUNDLE, SearchError, index_site, search_failure, summary
from tei_edition.writers.base import BuildContext, WriterResult, atomic_output
from tei_edition.runtime.site_update import files_list


def write(ctx: BuildContext) -> WriterResult:
    site = ctx.config.output / "html"
    if not (site / "index.html").is_file():
        return WriterResult.failed("environment", [Diagnostic(
            str(site), 1, 1, "error", "no web edition to index: index.html is missing", "search-no-site",
            "build the web edition first: edition build --only html --only search")])
    try:
        with atomic_output(site / BUNDLE) as tmp:
            outcome = index_site(site, tmp, previous=site / BUNDLE if ctx.incremental else None, jobs=ctx.jobs,
                                 cache=ctx.config.output if ctx.incremental else None)
    except SearchError as exc:  # atomic_output has kept the previous bundle
        return WriterResult.failed("environment", [search_failure(site, exc)])
    files_list(site).unlink(missing_ok=True)  # the site's files changed behind the html writer's list
    ctx.log(f"search: {summary(outcome)} → {site / BUNDLE}")
    return WriterResult.built()
