"""No silent tofu: every character the edition prints must have a glyph in its fonts.

The font families named in [pdf] fonts are resolved the way WeasyPrint resolves them, through
fontconfig (`fc-match`), and their character maps are read with fontTools. A character that
none of them covers gets a warning naming the character, the document and the line; the
warning also says whether fontconfig would substitute another installed font (then the page
shows a different typeface) or whether the character prints as an empty box.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from functools import lru_cache

from fontTools.ttLib import TTFont

from tei_edition.config import Config
from tei_edition.model.corpus import Corpus, Document
from tei_edition.diagnostics import Diagnostic, display_path

# Characters that are never drawn: spaces, line breaks, joiners, direction marks.
INVISIBLE = {"Zs", "Zl", "Zp", "Cc", "Cf"}


@lru_cache(maxsize=None)
def resolve(family: str) -> tuple[str, int, str] | None:
    """(font file, face index, family names) fontconfig gives for `family`, or None when
    fontconfig substitutes a different family (the font is not installed)."""
    if shutil.which("fc-match") is None:
        return None
    out = subprocess.run(["fc-match", "--format=%{file}\n%{index}\n%{family}", f"{family}:style=Regular"],
                         capture_output=True, text=True, check=False).stdout.split("\n")
    if len(out) < 3 or not out[0]:
        return None
    families = [f.strip().casefold() for f in out[2].split(",")]
    if family.casefold() not in families:
        return None
    return out[0], int(out[1] or 0), out[2]


@lru_cache(maxsize=None)
def coverage(path: str, index: int) -> frozenset[int]:
    font = TTFont(path, fontNumber=index, lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


@lru_cache(maxsize=None)
def fallback_font(char: str) -> str | None:
    """The family fontconfig would draw `char` with when the edition's fonts lack it."""
    if shutil.which("fc-list") is None:
        return None
    out = subprocess.run(["fc-list", f":charset={ord(char):x}", "family"], capture_output=True,
                         text=True, check=False).stdout.strip().splitlines()
    return sorted(out)[0].split(",")[0] if out else None


def _printed_text(doc: Document):
    """(element, text) for every run of text in `doc` (header texts such as titles are printed too)."""
    for el in doc.root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.text:
            yield el, el.text
        if el.tail and el is not doc.root:
            yield el.getparent(), el.tail


def check_glyphs(corpus: Corpus, families: tuple[str, ...], config: Config) -> tuple[list[Diagnostic], set[int]]:
    """Warnings for fonts not installed and characters without a glyph, and those characters
    (code points), whose WeasyPrint reports are then left out: they carry no place in the TEI."""
    where = display_path(config.path)
    missing: set[int] = set()
    problems: list[Diagnostic] = []
    covered: set[int] = set()
    found_any = False
    for family in families:
        resolved = resolve(family)
        if resolved is None:
            problems.append(Diagnostic(where, 1, 1, "warning",
                                       f'font family "{family}" is not installed (fontconfig substitutes another)',
                                       "pdf-font-missing",
                                       "install it (Debian: fonts-ebgaramond, fonts-noto-cjk) or change [pdf] fonts"))
            continue
        found_any = True
        covered |= coverage(resolved[0], resolved[1])
    if not found_any:
        return problems, missing
    for doc in corpus.documents:
        reported: set[str] = set()
        for el, text in _printed_text(doc):
            for char in text:
                if char in reported or ord(char) in covered or unicodedata.category(char) in INVISIBLE:
                    continue
                reported.add(char)
                missing.add(ord(char))
                line, col = doc.locate(el)
                name = unicodedata.name(char, "PRIVATE USE CHARACTER" if unicodedata.category(char) == "Co"
                                        else "UNASSIGNED CHARACTER")
                fallback = fallback_font(char)
                effect = (f"it is drawn from {fallback} instead" if fallback
                          else "no installed font has it: it prints as an empty box")
                problems.append(Diagnostic(doc.display, line, col, "warning",
                                           f"character U+{ord(char):04X} {name} ({char}) has no glyph in the "
                                           f"edition's fonts ({', '.join(families)}); {effect}",
                                           "pdf-glyph-missing",
                                           "add a font that has it to [pdf] fonts in edition.toml, "
                                           "or replace the character"))
    return problems, missing
