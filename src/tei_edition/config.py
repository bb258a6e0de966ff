"""The edition's config file (`edition.toml`): every table read, typed and checked in one go.

Every problem in the file is collected before anything is reported, so a user fixes them all
in one round instead of one per run; `edition validate` reports a bad `[pdf]` as well as a bad
`[edition]`. Each table is a dataclass below whose fields declare their type, default and help
once (see config_options.py); a new table is one dataclass and one line in TABLES, a new option
one field. Paths are relative to the config file.

```toml
[edition]
header = "tei/edition.xml"            # optional: the edition-level TEI header and front matter
sources = ["tei/meetings/*.xml"]      # glob patterns of the documents (required)
registers = ["tei/registers/*.xml"]   # glob patterns of the registers (optional)
schemas = ["schema/edition.xsd", "schema/edition.sch"]  # .xsd, .rng or .sch (optional)
output = "output"                     # where builds are written (default "output")

[html]
base-url = "https://example.org/edition/"

[pdf]
page-size = "156mm 234mm"
fonts = ["EB Garamond 12", "Noto Serif CJK SC"]
css = "print/custom.css"
pdfa = "pdf/a-3b"
documents = true
volume-size = 0                       # documents per volume (0: one volume); or volume-by = "year"
volume-by = "documents"               # or "year", "pages" (volume-size pages), "series" (source folders)

[deposit]
zenodo-upload-type = "dataset"

[validation]                          # the level of each rule: config_validation.py, docs/validation.md
levels = { ref-code = "off", header-licence = "error" }
```
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tei_edition.config_options import (REQUIRED, BaseURL, Choice, Count, File, Flag, Folder, Globs, Matching,
                                        Names, Origins, Titles, UrlPatterns, VolumeCut, Whole, check_table, option)
from tei_edition.config_validation import validation_levels
from tei_edition.diagnostics import Diagnostic, display_path
from tei_edition.rules import Levels
from tei_edition.runtime.epoch import EpochError, source_date_epoch

SECRET = re.compile(r"token|secret|password|api[-_]?key", re.IGNORECASE)  # keys never allowed in the file
SCHEMA_SUFFIXES = {".xsd": "XML Schema", ".rng": "RELAX NG", ".sch": "ISO Schematron"}
PDFA_VARIANTS = ("pdf/a-3b", "pdf/a-2b")
ZENODO_UPLOAD_TYPES = ("publication", "poster", "presentation", "dataset", "image", "video",
                       "software", "lesson", "physicalobject", "other")
PAGE_SIZE = (r"(?:(?:A[3-6]|B[4-5]|letter|legal|ledger|JIS-B[45])(?:\s+(?:portrait|landscape))?"
             r"|\d+(?:\.\d+)?(?:mm|cm|in|pt)\s+\d+(?:\.\d+)?(?:mm|cm|in|pt))")


@dataclass(frozen=True, kw_only=True)
class EditionOptions:
    """[edition]: what the edition is made of and where it is built (output first: the source
    patterns never take in the build's own output)."""

    output: Path = option(Folder(), "output", "where builds are written")
    header: Path | None = option(File("a path to the edition header TEI file"), None,
                                 "the edition-level TEI header and front matter")
    sources: tuple[Path, ...] = option(Globs("a list of glob patterns", may_be_empty=True), REQUIRED,
                                       'glob patterns of the documents, e.g. ["tei/*.xml"]')
    registers: tuple[Path, ...] = option(Globs("a list of glob patterns", may_be_empty=True), [],
                                         "glob patterns of the register files")
    schemas: tuple[Path, ...] = option(Globs("a list of schema paths", SCHEMA_SUFFIXES, "schema"), [],
                                       "schemas ending in .xsd, .rng or .sch")


@dataclass(frozen=True)
class HtmlOptions:
    """[html]: the web edition."""

    base_url: str = option(BaseURL(), "", "the web address the edition is published at, for citations")
    stylesheet: Path | None = option(File("a path to an XSLT file"), None,
                                     "the edition's XSLT profile over ours (docs/xslt.md)")
    dts: bool = option(Flag(), True, "publish the DTS API as static files in api/dts/ (docs/dts.md)")
    linked_data: bool = option(Flag(), True, "publish the registers as RDF in data/ (docs/linked-data.md)")
    shapes: bool = option(Flag(), False, "check the registers' RDF against the SHACL shapes in every build "
                                         "(warnings rdf-shape; slow on large registers)")
    image_hosts: tuple[str, ...] = option(Origins(), [], "web origins facsimile images may be loaded from "
                                          "(docs/facsimile.md)")


@dataclass(frozen=True)
class PdfOptions:
    """[pdf]: the print edition."""

    page_size: str = option(Matching(PAGE_SIZE, 'a CSS page size such as "156mm 234mm", "A4" or "A5 landscape"'),
                            "156mm 234mm", "the page size (a scholarly octavo by default)")
    fonts: tuple[str, ...] = option(Names("a list of font family names"), ("EB Garamond 12", "Noto Serif CJK SC"),
                                    "font families, main text face first, then fallbacks")
    css: Path | None = option(File("a path to a CSS file"), None, "your CSS, added after print.css (it wins)")
    pdfa: str = option(Choice(*PDFA_VARIANTS), "pdf/a-3b", "the archival variant of the volume")
    documents: bool = option(Flag(), True, "write one PDF per document as well")
    volume_size: int = option(Whole(), 0, "documents per volume of the print edition (0: all in one volume); "
                                                   'pages per volume with volume-by = "pages"')
    volume_by: str = option(VolumeCut("documents", "year", "pages", "series"), "documents",
                            'how the volumes are cut: every volume-size documents, one volume per "year", '
                            'volumes of about volume-size "pages", or one volume per "series" (source folder)')
    series_titles: tuple[tuple[str, str], ...] = option(Titles(), {}, 'the title page\'s name of each series '
                                                        '(by folder), e.g. { letters = "Letters" }')
    stylesheet: Path | None = option(File("a path to an XSLT file"), None,
                                     "the edition's XSLT profile over the print stylesheets (docs/xslt.md)")


@dataclass(frozen=True)
class DepositOptions:
    """[deposit]: the BagIt package."""

    zenodo_upload_type: str = option(Choice(*ZENODO_UPLOAD_TYPES), "dataset", "Zenodo's upload_type")


@dataclass(frozen=True)
class LetterOptions:
    """[letters]: how correspContext names a letter's neighbours (docs/letters.md)."""

    previous: tuple[str, ...] = option(Names("a list of words"), ("previous", "prev", "previous_letter", "prev_letter"),
                                       "@type or @subtype of a correspContext ref to the previous letter")
    next: tuple[str, ...] = option(Names("a list of words"), ("next", "next_letter"),
                                   "@type or @subtype of a correspContext ref to the next letter")
    document_urls: tuple[str, ...] = option(UrlPatterns(), (),
                                            'web addresses of the letters in their original edition, with {id} '
                                            'for the xml:id, e.g. ["https://example.org/{id}.html"]')


@dataclass(frozen=True)
class OaiOptions:
    """[oai]: the OAI-PMH interface (`edition serve` at /oai, and html/oai/static.xml)."""

    admin_email: str = option(Matching(r"([^@\s]+@[^@\s]+)?", "an e-mail address"), "",
                              "the repository's contact (adminEmail); default: the edition header's email")
    gateway: str = option(BaseURL(), "", "the static repository gateway that makes oai/static.xml harvestable")
    page_size: int = option(Count(10000), 100, "records per page of a list; a resumption token asks for the next")


# table name → its options; every other table is an error.
TABLES: dict[str, type] = {"edition": EditionOptions, "html": HtmlOptions, "pdf": PdfOptions,
                           "deposit": DepositOptions, "letters": LetterOptions, "oai": OaiOptions}


class ConfigError(Exception):
    """All the problems of one config file (and of SOURCE_DATE_EPOCH), as diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(self.problems))

    @property
    def problems(self) -> list[str]:
        """Ready-to-print lines."""
        return [d.format() for d in diagnostics_sorted(self.diagnostics)]


def diagnostics_sorted(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: (d.path, d.line, d.col))


@dataclass(frozen=True)
class Config:
    path: Path
    header: Path | None
    sources: tuple[Path, ...]
    registers: tuple[Path, ...]
    schemas: tuple[Path, ...]
    output: Path
    html: HtmlOptions = field(default_factory=HtmlOptions)
    pdf: PdfOptions = field(default_factory=PdfOptions)
    deposit: DepositOptions = field(default_factory=DepositOptions)
    letters: LetterOptions = field(default_factory=LetterOptions)
    oai: OaiOptions = field(default_factory=OaiOptions)
    levels: Levels = field(default_factory=Levels, compare=False)  # [validation]
    notes: tuple[Diagnostic, ...] = field(default=(), compare=False)  # warnings about the file itself

    @property
    def root(self) -> Path:
        return self.path.parent

    def all_files(self) -> tuple[Path, ...]:
        """Every TEI file of the edition: header, registers, then sources, each once."""
        seen: dict[Path, None] = {}
        for p in ((self.header,) if self.header else ()) + self.registers + self.sources:
            seen.setdefault(p, None)
        return tuple(seen)


def load_config(path: Path | str) -> Config:
    """The checked config, or ConfigError with every problem of the file."""
    path = Path(path)
    where = display_path(path)
    if not path.is_file():
        raise ConfigError([_problem(where, (1, 1), "config file not found", "config-file",
                                    "pass --config FILE or run in a folder with edition.toml")])
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError([_problem(where, (1, 1), f"not valid TOML: {exc}", "config-toml",
                                    "correct the syntax (https://toml.io)")]) from None

    root = path.resolve().parent
    problems: list[Diagnostic] = []
    for name in data:
        if name not in TABLES and name != "validation":
            problems.append(_problem(where, _locate(text, name), f"unknown table [{name}]; expected one of "
                                     + ", ".join(f"[{t}]" for t in TABLES), "config-table",
                                     "remove the table or correct its name"))
    if "edition" not in data:
        problems.append(_problem(where, (1, 1), "missing table [edition]; it names the sources, registers, schemas "
                                 "and output", "config-edition", 'add [edition] with sources = ["tei/*.xml"]'))
    problems += _secrets(data, text, where)
    tables, notes = {}, []
    for name, table in TABLES.items():
        if name == "edition" and name not in data:
            continue  # reported above
        values = data.get(name, {})
        if isinstance(values, dict):  # a secret is reported once, by _secrets, not again as an unknown key
            values = {k: v for k, v in values.items() if not SECRET.search(k)}
        if not isinstance(values, dict):
            problems.append(_problem(where, _locate(text, name), f"[{name}] must be a table", f"config-{name}",
                                     f"write [{name}] on a line of its own, then its keys"))
            continue
        tables[name], found = check_table(table, name, values, root, notes)
        problems += [_problem(where, _locate(text, name, key), message, f"config-{name}", hint)
                     for key, message, hint in found]
    edition_options = tables.get("edition")
    levels, found = validation_levels(data.get("validation", {}),
                                      edition_options.schemas if edition_options is not None else (), root)
    problems += [_problem(where, _locate(text, "validation", key if key in ("levels", "paths") else None),
                              message, "config-validation", hint) for key, message, hint in found]
    try:
        source_date_epoch()  # read again by every output; a bad value stops every command here
    except EpochError as exc:
        problems.append(exc.diagnostic)
    if problems:
        raise ConfigError(problems)
    edition: EditionOptions = tables["edition"]
    return Config(path=path.resolve(), header=edition.header, sources=edition.sources, registers=edition.registers,
                  schemas=edition.schemas, output=edition.output, html=tables["html"], pdf=tables["pdf"],
                  deposit=tables["deposit"], letters=tables["letters"], oai=tables["oai"], levels=levels,
                  notes=tuple(Diagnostic(where, *_locate(text, "edition", key), "warning", message, "config-no-match",
                                         hint) for key, message, hint in notes))


def _secrets(data: dict, text: str, where: str) -> list[Diagnostic]:
    """Tokens and passwords have no place in edition.toml: it travels with the edition (git, the
    deposit package), so anyone who sees it could act as its owner."""
    return [_problem(where, _locate(text, table, key), f"[{table}] {key}: a token or password must never be "
                     "written in edition.toml", "config-deposit",
                     "remove it (and revoke it, if the file was shared); `edition deposit --to` reads the token from "
                     "the environment: ZENODO_TOKEN, ZENODO_SANDBOX_TOKEN or INVENIO_TOKEN (docs/deposit.md)")
            for table, values in data.items() if isinstance(values, dict) for key in values if SECRET.search(key)]


def _problem(where: str, place: tuple[int, int], message: str, rule: str, hint: str) -> Diagnostic:
    return Diagnostic(where, place[0], place[1], "error", message, rule, hint)


def _locate(text: str, table: str, key: str | None = None) -> tuple[int, int]:
    """Line and column of `[table]` or of `key` in it (tomllib keeps no places); 1:1 when not
    found (a dotted or inline table)."""
    current, table_at = None, (1, 1)
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"\s*\[\s*([\w.-]+|\"[^\"]*\")\s*\]", line)
        if header:
            current = header.group(1).strip('"')
            if current == table:
                table_at = (number, line.index("[") + 1)
                if key is None:
                    return table_at
            continue
        if current == table and key is not None:
            found = re.match(rf"\s*(\"?){re.escape(key)}\1\s*=", line)
            if found:
                return number, len(line) - len(line.lstrip()) + 1
    return table_at
