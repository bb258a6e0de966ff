"""The web edition's warnings about its pages: pointers shown as plain text, stylesheet messages."""

from __future__ import annotations

from tei_edition.diagnostics import Diagnostic
from tei_edition.model.index import Unresolved
from tei_edition.render.messages import summarise
from tei_edition.writers.base import BuildContext

# Attributes whose pointers the HTML shows as links (tei_edition.model.index resolves them all).
LINK_ATTRIBUTES = {"ref", "key", "target"}


def rendering_diagnostics(found: list[Diagnostic], reported: list[Diagnostic]) -> list[Diagnostic]:
    """What the stylesheets said about the pages, each once; a pointer that leads nowhere is
    already reported by `unresolved_warnings` (from the index, with the attribute's place)."""
    unresolved = {(d.path, d.line) for d in reported if d.rule == "html-unresolved"}
    return [d for d in summarise(found) if not (d.rule == "render-unresolved" and (d.path, d.line) in unresolved)]


def unresolved_warnings(ctx: BuildContext) -> list[Diagnostic]:
    """Pointers the pages show as plain text with a marker, because they lead nowhere."""
    found = []
    levels = ctx.config.levels
    for p in ctx.index.pointers:  # in document order, as the index keeps them
        if isinstance(p.target, Unresolved) and p.attribute in LINK_ATTRIBUTES and p.doc.role != "header":
            doc = p.doc
            if levels.level(p.target.rule, doc.path) == "off":
                continue  # the edition turned the pointer's rule off: not worth a warning here either
            line, col = p.locate()
            found.append(Diagnostic(doc.display, line, col, "warning",
                                    f"{p.target.message}; the web page shows the text without a link, marked [?]",
                                    "html-unresolved", p.target.hint))
    return found
