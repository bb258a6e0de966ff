"""Machine-readable files published with the web edition (APIs, manifests, data dumps).

Each entry of SITE_FILES is a function `(ctx, site, folder) -> list[Diagnostic]` that writes its
files below `folder`, the web edition's staging folder, after the pages and before the search
index and the swap: the files are published with the pages they describe, or not at all. A
function reports a problem as a diagnostic; one that cannot write its files raises nothing and
returns an error diagnostic, and the html writer then keeps the previous site.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from tei_edition.diagnostics import Diagnostic
from tei_edition.interfaces.dts.static import write_dts
from tei_edition.interfaces.rdf import write_registers
from tei_edition.interfaces.cmif.writer import write_cmif
from tei_edition.interfaces.oai.static import write_oai_files
from tei_edition.model.edition import Site
from tei_edition.runtime.memory import release
from tei_edition.writers.base import BuildContext
from tei_edition.writers.html.iiif import write_facsimile_files

SiteFiles = Callable[[BuildContext, Site, Path], list[Diagnostic]]

# In the order they run; add a writer of site files here.
SITE_FILES: tuple[SiteFiles, ...] = (write_facsimile_files, write_dts, write_registers, write_oai_files, write_cmif)


def write_site_files(ctx: BuildContext, site: Site, folder: Path) -> list[Diagnostic]:
    """Every site file writer's diagnostics, in order."""
    found: list[Diagnostic] = []
    for write in SITE_FILES:
        found.extend(write(ctx, site, folder))
        release()  # what the writer made and let go, before the next one and Pagefind (runtime/memory.py)
    return found
