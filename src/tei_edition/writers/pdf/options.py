"""The `[pdf]` table of edition.toml: page size, fonts, extra CSS, PDF/A variant.

```toml
[pdf]
page-size = "156mm 234mm"                   # any CSS @page size: "A4", "A5", "6in 9in"
fonts = ["EB Garamond 12", "Noto Serif CJK SC"]  # font families, in fallback order
css = "print/custom.css"                   # optional, relative to edition.toml; wins over print.css
pdfa = "pdf/a-3b"                          # the archival variant: pdf/a-3b or pdf/a-2b
documents = true                           # also one PDF per document
stylesheet = "xslt/print-profile.xsl"      # optional: the edition's profile over xslt/print (docs/xslt.md)
```

Every problem is reported at once, as diagnostics naming edition.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tei_edition.config import Config
from tei_edition.diagnostics import Diagnostic, display_path
from tei_edition.render.profile import profile_digest, profile_option

DEFAULT_FONTS = ("EB Garamond 12", "Noto Serif CJK SC")
PDFA_VARIANTS = ("pdf/a-3b", "pdf/a-2b")
KEYS = {
    "page-size": 'a CSS page size such as "156mm 234mm", "A4" or "A5 landscape"',
    "fonts": "a list of font family names, main text face first",
    "css": "a path to a CSS file (relative to edition.toml) added after print.css",
    "pdfa": f"one of {', '.join(PDFA_VARIANTS)}",
    "documents": "true or false: write one PDF per document as well",
    "stylesheet": "a path to the edition's XSLT profile over xslt/print (relative to edition.toml)",
}
_PAGE_SIZE = re.compile(r"^(?:(?:A[3-6]|B[4-5]|letter|legal|ledger|JIS-B[45])(?:\s+(?:portrait|landscape))?"
                        r"|\d+(?:\.\d+)?(?:mm|cm|in|pt)\s+\d+(?:\.\d+)?(?:mm|cm|in|pt))$", re.I)


@dataclass(frozen=True)
class PrintOptions:
    page_size: str = "156mm 234mm"  # a scholarly octavo (royal octavo trimmed)
    fonts: tuple[str, ...] = DEFAULT_FONTS
    css: Path | None = None
    pdfa: str = "pdf/a-3b"
    documents: bool = True
    profile: Path | None = None  # the edition's XSLT over the print stylesheets
    profile_digest: str = ""     # its digest: an edited profile is compiled again

    def settings_css(self) -> str:
        families = ", ".join('"' + f.replace('"', "") + '"' for f in self.fonts)
        return f"@page {{ size: {self.page_size}; }}\nhtml {{ font-family: {families}; }}\n"

    @classmethod
    def from_config(cls, config: Config) -> tuple["PrintOptions", list[Diagnostic]]:
        table = config.tables.get("pdf", {}) or {}
        where = display_path(config.path)
        problems: list[Diagnostic] = []

        def bad(key: str, got) -> None:
            problems.append(Diagnostic(where, 1, 1, "error", f"[pdf] {key}: expected {KEYS[key]}, got {got!r}",
                                       "pdf-config", f"correct [pdf] {key} in {where}"))

        for key in table:
            if key not in KEYS:
                problems.append(Diagnostic(where, 1, 1, "error", f"[pdf] {key}: unknown key",
                                           "pdf-config", f"known keys are {', '.join(KEYS)}"))
        options = cls()
        values = {}
        size = table.get("page-size", options.page_size)
        if isinstance(size, str) and _PAGE_SIZE.match(size.strip()):
            values["page_size"] = size.strip()
        else:
            bad("page-size", size)
        fonts = table.get("fonts", list(options.fonts))
        if isinstance(fonts, list) and fonts and all(isinstance(f, str) and f.strip() for f in fonts):
            values["fonts"] = tuple(f.strip() for f in fonts)
        else:
            bad("fonts", fonts)
        css = table.get("css")
        if css is not None:
            path = (config.root / css).resolve() if isinstance(css, str) else None
            if path is None or not path.is_file():
                bad("css", css)
            else:
                values["css"] = path
        pdfa = table.get("pdfa", options.pdfa)
        if pdfa in PDFA_VARIANTS:
            values["pdfa"] = pdfa
        else:
            bad("pdfa", pdfa)
        documents = table.get("documents", True)
        if isinstance(documents, bool):
            values["documents"] = documents
        else:
            bad("documents", documents)
        values["profile"], more = profile_option(config, "pdf")
        values["profile_digest"] = profile_digest(values["profile"])
        return cls(**values), problems + more
