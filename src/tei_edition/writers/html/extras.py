"""Machine-readable files published with the web edition (APIs, manifests, data dumps).

Each entry of SITE_FILES is a function `(ctx, site, folder) -> list[Diagnostic]` that writes its
files below `folder`, the web edition's staging folder, after the pages and before the swap:
the files are published with the pages they describe, or not at all. The search index of the
pages is written meanwhile, in a thread (search.pagefind.indexing_beside), so a writer here must
not write or change a page (an .html file). A
function reports a problem as a diagnostic; one that cannot write its files raises nothing and
returns an error diagnostic, and the html writer then keeps the previous site.

The machine interfaces (MACHINE_FILES: DTS, linked data, OAI-PMH, CMIF) are not what an editor
previews. `edition serve` publishes the pages of an edit first, with these files as they were
(`write_site_files(..., machine=False)`), and brings them up to date right after
(`publish_machine_files`), as it does the search index; a command-line build writes all at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from tei_edition.cache.site_files import MANIFEST
from tei_edition.config import Config
from tei_edition.diagnostics import Diagnostic
from tei_edition.interfaces.cmif.writer import CMIF_FILE, write_cmif
from tei_edition.interfaces.dts.static import write_dts
from tei_edition.interfaces.dts.urls import API
from tei_edition.interfaces.oai.static import FOLDER as OAI_FOLDER, write_oai_files
from tei_edition.interfaces.rdf import FOLDER as RDF_FOLDER, write_registers
from tei_edition.model.corpus import Corpus
from tei_edition.model.edition import Site
from tei_edition.model.index import Index
from tei_edition.runtime.listing import top
from tei_edition.runtime.memory import release
from tei_edition.runtime.site_update import updated_output, updating
from tei_edition.writers.base import BuildContext
from tei_edition.writers.html.iiif import write_facsimile_files

SiteFiles = Callable[[BuildContext, Site, Path], list[Diagnostic]]

# In the order they run; add a writer of site files here (and to MACHINE_FILES if the pages do
# not use its files).
SITE_FILES: tuple[SiteFiles, ...] = (write_facsimile_files, write_dts, write_registers, write_oai_files, write_cmif)
# writer → the top folders and root files of the site it owns (runtime.listing.top)
MACHINE_FILES: dict[SiteFiles, tuple[str, ...]] = {
    write_dts: (top(API), MANIFEST), write_registers: (top(RDF_FOLDER),), write_oai_files: (top(OAI_FOLDER),),
    write_cmif: (CMIF_FILE,)}
MACHINE_OWNED = tuple(rel for owned in MACHINE_FILES.values() for rel in owned)


class SiteFilesError(Exception):
    """A writer of site files found an error; carries its diagnostics (nothing is published)."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("; ".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics


def write_site_files(ctx: BuildContext, site: Site, folder: Path, machine: bool = True) -> list[Diagnostic]:
    """Every site file writer's diagnostics, in order. `machine` False: the machine interfaces
    of the published site are kept as they are (where there is one; see the module's text)."""
    update = None if machine else updating(folder)
    if update is not None:
        update.keep_published(MACHINE_OWNED)
    found: list[Diagnostic] = []
    for write in SITE_FILES:
        if update is None or write not in MACHINE_FILES:
            found.extend(write(ctx, site, folder))
            release()  # what the writer made and let go, before the next one and Pagefind (runtime/memory.py)
    return found


def publish_machine_files(config: Config, corpus: Corpus, index: Index) -> list[Diagnostic]:
    """Bring the machine interfaces of the published site up to date with `corpus` and `index`
    (those of the build that published its pages), keeping every other file; their diagnostics.
    SiteFilesError, and nothing changed, when one of them has an error."""
    ctx = BuildContext(config, corpus, index, incremental=True)
    with updated_output(config.output / "html") as tmp:
        updating(tmp).keep_published(MACHINE_OWNED, inside=False)
        site = Site(index)
        found = [d for write in MACHINE_FILES for d in write(ctx, site, tmp)]
        if any(d.severity == "error" for d in found):
            raise SiteFilesError(found)
    return found
