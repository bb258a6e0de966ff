"""An edition's profile: its own XSLT file over our stylesheets (`stylesheet` in [html] / [pdf]).

The profile overrides the hooks docs/xslt.md lists (named templates, template rules). It does
not import ours: `render.xslt.layered` imports it after each page stylesheet, so one profile
serves every page of an output, and its templates win by import precedence.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from tei_edition.cache.store import digest, file_digest
from tei_edition.diagnostics import Diagnostic, display_path

XSL = "http://www.w3.org/1999/XSL/Transform"


def profile_files(profile: Path) -> list[Path]:
    """The profile and the local files it imports or includes, directly or not."""
    seen: list[Path] = []
    todo = [profile.resolve()]
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.append(path)
        try:
            tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            continue  # compiling it reports the error with its line
        for el in tree.iter(f"{{{XSL}}}import", f"{{{XSL}}}include"):
            href = el.get("href") or ""
            if href and ":" not in href.split("/")[0]:  # a relative path, not a URI with a scheme
                todo.append((path.parent / href).resolve())
    return sorted(seen)


def profile_digest(profile: Path | None) -> str:
    """A fingerprint of the profile and its modules ('' without a profile): a changed profile
    re-renders the pages."""
    if profile is None:
        return ""
    return digest(*(part for p in profile_files(profile) for part in (str(p), file_digest(p))))


def compile_problems(profile: Path | None, stylesheets: tuple[str, ...], version: str) -> list[Diagnostic]:
    """A profile that does not compile over `stylesheets`, reported once at its own line before
    any page is rendered ([] without a profile)."""
    from tei_edition.render.xslt import XsltError, check

    if profile is None:
        return []
    try:
        for stylesheet in stylesheets:
            check(stylesheet, profile, version)
    except XsltError as exc:
        return [compile_problem(profile, exc)]
    return []


def compile_problem(profile: Path, exc: Exception) -> Diagnostic:
    """A profile that does not compile, at the line Saxon names when it names the profile."""
    text = " ".join(str(exc).split())
    found = re.search(r"line (\d+) column (\d+) of ([^:\s]+)", text)
    line, col = (int(found[1]), int(found[2])) if found and found[3].rsplit("/", 1)[-1] == profile.name \
        else (1, 1)
    return Diagnostic(display_path(profile), line, col, "error", f"the edition's stylesheet does not compile: {text}",
                      "xslt-profile", "correct the profile (see docs/xslt.md for the hooks it may override)")
