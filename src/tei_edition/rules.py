"""Every rule code the pipeline reports, what it means, and how loud it is by default.

Validation rules have a default level (`error`, `warning` or `off`) that an edition may change
in its edition.toml:

```toml
[validation]
levels = { ref-code = "off", header-licence = "error" }

[[validation.paths]]                    # optional, later entries win
pattern = "registers/*.xml"             # relative to edition.toml (fnmatch: * also crosses /)
levels = { register-unused = "off" }
```

Rules whose level cannot be changed (`fixed`) are those of files that cannot be read at all
(nothing else can be checked in them) and those of the writers, the deposit and the importer,
which report on the outputs they make. Codes of configured Schematron schemas (the `id` of each
assert and report) may be given levels too; without one, the schema's `role` decides.
See docs/validation.md.
"""

from __future__ import annotations

import dataclasses
import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

LEVELS = ("error", "warning", "off")


@dataclass(frozen=True)
class Rule:
    meaning: str
    level: str | None = None   # default level of a validation rule; None: as the emitting check says
    fixed: bool = False        # True: its level cannot be changed in edition.toml
    stage: str = "validate"    # validate | build | deposit | import


def _fixed(meaning: str, stage: str, level: str | None = None) -> Rule:
    return Rule(meaning, level, fixed=True, stage=stage)


RULES: dict[str, Rule] = {
    # -- reading files: a file that fails these is not read, nothing else is checked in it ----------
    "io": _fixed("the file cannot be read (missing, not a regular file, no permission)", "validate", "error"),
    "xml-wellformed": _fixed("the file is not well-formed XML", "validate", "error"),
    "xml-doctype": _fixed("a DOCTYPE declaration: DTDs and entities are refused (never loaded or expanded)",
                          "validate", "error"),
    "xml-xinclude": _fixed("an XInclude: included content is not read", "validate", "error"),
    "xml-too-large": _fixed("the file is larger than the pipeline reads", "validate", "error"),
    "tei-root": _fixed("the root element is not <TEI> in the TEI namespace", "validate", "error"),
    # -- schemas ---------------------------------------------------------------------------------
    "xsd": Rule("the document does not conform to a configured XML Schema"),
    "rng": Rule("the document does not conform to a configured RELAX NG schema"),
    "schematron": Rule("a configured Schematron rule without an id fired (its role decides the level)"),
    # -- pointers (tei_edition.index resolves them, see docs/validation.md) ------------------------
    "ref-id": Rule("a pointer (#id, or a bare token shaped like the edition's ids) names no xml:id "
                   "in its document or the registers", "error"),
    "ref-document": Rule("a pointer names a document (TEI/@xml:id) that is not part of this edition", "error"),
    "ref-ambiguous": Rule("a pointer names an id that several registers (or documents) define: which one "
                          "is meant cannot be told", "error"),
    "ref-malformed": Rule('a pointer that is no pointer: "#" alone, or "#" inside the fragment', "error"),
    "ref-file": Rule("a relative URI names a file that is not part of the edition", "error"),
    "ref-prefix": Rule("a link (@ref, @target) uses a prefix no prefixDef declares, or does not match its "
                       "matchPattern", "error"),
    "ref-uri": Rule("a pointer that is neither an absolute URI nor a relative one the edition can follow",
                    "error"),
    "ref-code": Rule("a code in a pointer attribute (@who=\"MAM\", @ana=\"status:checked\"): TEI expects "
                     "a URI or #id there", "warning"),
    "ref-entry": Rule("inside a register entry or a back-list copy, a bare id names no xml:id of the "
                      "edition (often an id of the database the entry came from)", "warning"),
    "ref-web-page": Rule("a relative link to a web page (*.html, ?query): not part of this edition",
                         "warning"),
    "ref-bare": Rule('a bare id (ref="pmb2881") that resolves; "#pmb2881" is the strict TEI form', "off"),
    # -- ids -------------------------------------------------------------------------------------
    "id-duplicate": Rule("the same xml:id twice in one document (XML requires ids to be unique per "
                         "document)", "error"),
    "id-ambiguous": Rule("two register entries (or documents) in different files share an xml:id, so "
                         "#id from elsewhere is ambiguous", "error"),
    "id-shadow": Rule("a document element (not an entry copy) has the xml:id of a register entry: #id in "
                      "that document means the element, not the entry", "error"),
    "id-invisible-char": Rule("an xml:id or pointer contains invisible characters", "warning"),
    "prefixdef-pattern": Rule("a prefixDef's matchPattern is not a valid regular expression", "error"),
    "register-unused": Rule("a register entry no document or entry points to", "warning"),
    # -- dates -----------------------------------------------------------------------------------
    "date-iso": Rule("a date attribute is not ISO 8601", "error"),
    "date-order": Rule("@from/@notBefore is later than @to/@notAfter", "error"),
    "date-event-mismatch": Rule("a meeting's dates differ from its event in the register", "error"),
    # -- the project's header policy (warnings unless an edition makes them errors) ---------------
    "header-title": Rule("the header has no title", "warning"),
    "header-publisher": Rule("the header names no publisher (here or in the edition header)", "warning"),
    "header-licence": Rule("the header has no licence with a URI (here or in the edition header)",
                           "warning"),
    "header-source": Rule("the header has no source description", "warning"),
    "header-language": Rule("the header declares no language (here or in the edition header)", "warning"),
    # -- text, links, editors --------------------------------------------------------------------
    "url-unsafe-scheme": Rule("a URL with a scheme that runs script or reads local files (javascript:, "
                              "file:, ...)", "error"),
    "text-control-char": Rule("a C1 control character, from text decoded with the wrong encoding",
                              "warning"),
    "apparatus-witness": Rule("an @wit names an element that is not a witness (or listWit): no siglum can "
                              "be shown for it", "warning"),
    "apparatus-hand": Rule("an @hand or handShift/@new names an element that is not a handNote: the hand "
                           "cannot be named", "warning"),
    "xml-model-missing": Rule("no <?xml-model?> for a configured schema: XML editors will not check as "
                              "you type", "warning"),
    "xml-model-broken": Rule("an <?xml-model?> points to a schema file that does not exist", "warning"),
    # -- configuration (edition.toml and the environment; exit 2) ------------------------------------
    "config-file": _fixed("the config file cannot be found", "config"),
    "config-toml": _fixed("the config file is not valid TOML", "config"),
    "config-table": _fixed("edition.toml has a table the pipeline does not know", "config"),
    "config-edition": _fixed("the [edition] table of edition.toml is wrong", "config"),
    "config-html": _fixed("the [html] table of edition.toml is wrong", "config"),
    "config-pdf": _fixed("the [pdf] table of edition.toml is wrong", "config"),
    "config-deposit": _fixed("the [deposit] table of edition.toml is wrong", "config"),
    "config-letters": _fixed("the [letters] table of edition.toml is wrong", "config"),
    "config-oai": _fixed("the [oai] table of edition.toml is wrong", "config"),
    "config-validation": _fixed("the [validation] table of edition.toml is wrong", "config"),
    "config-no-match": _fixed("a sources or registers pattern matches no file (yet): a warning, the edition "
                              "still builds", "config", "warning"),
    "config-epoch": _fixed("SOURCE_DATE_EPOCH is not a usable time stamp", "config"),
    # -- rendering: what the stylesheets report (xslt/common/report.xsl; docs/xslt.md) ------------
    "render-unknown-element": _fixed("an element without a rendering: its text is kept", "build"),
    "render-unresolved": _fixed("a pointer the stylesheet cannot follow: shown as marked text", "build"),
    "render-date": _fixed("a date the stylesheet cannot read: shown as written", "build"),
    "xslt-profile": _fixed("the edition's XSLT profile ([html]/[pdf] stylesheet) does not compile", "build"),
    # -- build: writers (levels fixed: they report on the output they make) ------------------------
    "html-unresolved": _fixed("a link the web page shows as marked text, because its pointer leads nowhere",
                              "build"),
    "html-xslt": _fixed("a page could not be rendered", "build"),
    "html-worker": _fixed("a worker process rendering pages failed", "build"),
    "html-path": _fixed("a page path would leave the output folder", "build"),
    "dts-citation": _fixed("a document's citation tree (refsDecl/citeStructure) gives no usable DTS references",
                           "build"),
    "rdf-iri": _fixed("a register entry's web address that is no valid IRI: the linked data leaves it out", "build"),
    "rdf-shape": _fixed("a register entry as linked data lacks what its SHACL shape requires", "build"),
    "html-viewer": _fixed("the image viewer (OpenSeadragon) is not installed: run ./setup.sh", "build"),
    "facsimile-image": _fixed("a local facsimile image that cannot be read: the page says it cannot be shown", "build"),
    "facsimile-host": _fixed("a facsimile image on a host that [html] image-hosts does not allow", "build"),
    "facsimile-manifest": _fixed("no IIIF manifest, because [html] base-url is not set", "build"),
    "oai-static-url": _fixed("oai/static.xml lacks the baseURL a gateway needs ([html] base-url, [oai] gateway)",
                             "build"),
    "oai-admin-email": _fixed("the OAI-PMH repository has no contact e-mail", "build"),
    "oai-record": _fixed("a TEI file's OAI-PMH record could not be made", "build"),
    "oai-static": _fixed("oai/static.xml would break the static repository rules", "build"),
    "cmif-letter": _fixed("a letter the CMIF file cannot describe fully (no sender, addressee or date)", "build"),
    "search-no-site": _fixed("no web edition to index for search", "build"),
    "search-pagefind": _fixed("the search index (Pagefind) could not be made", "build"),
    "pdf-environment": _fixed("the PDF renderer (WeasyPrint) cannot be loaded", "build"),
    "pdf-xslt": _fixed("the print stylesheet failed", "build"),
    "pdf-render": _fixed("the PDF could not be made", "build"),
    "pdf-layout": _fixed("a layout warning from the PDF renderer", "build"),
    "pdf-layout-failed": _fixed("WeasyPrint's own layout code stopped on a volume or a document (a fault of WeasyPrint's)", "build"),
    "pdf-index-pages": _fixed("the print index could not give every page number", "build"),
    "pdf-font-missing": _fixed("a font the print edition needs is not installed", "build"),
    "pdf-glyph-missing": _fixed("a character no installed font can show", "build"),
    # -- deposit ---------------------------------------------------------------------------------
    "deposit-keep-going": _fixed("no deposit package from a --keep-going build with errors", "deposit"),
    "deposit-header": _fixed("a deposit needs an edition header", "deposit"),
    "deposit-title": _fixed("a deposit needs a title in every header", "deposit"),
    "deposit-creator": _fixed("a deposit needs editors (creators) in the edition header", "deposit"),
    "deposit-publisher": _fixed("a deposit needs a publisher in the edition header", "deposit"),
    "deposit-date": _fixed("a deposit needs a publication date in the edition header", "deposit"),
    "deposit-identifier": _fixed("a deposit needs an identifier (idno) in the edition header", "deposit"),
    "deposit-version": _fixed("a deposit needs a version (edition/@n) in the edition header", "deposit"),
    "deposit-licence": _fixed("a deposit needs a licence in the edition header", "deposit"),
    "deposit-language": _fixed("a deposit needs the language of the edition in the edition header", "deposit"),
    "deposit-io": _fixed("the deposit package could not be written", "deposit"),
    "deposit-xslt": _fixed("a metadata record could not be made", "deposit"),
    "deposit-record": _fixed("a metadata record of the package fails its own check", "deposit"),
    "deposit-auth": _fixed("the repository refused the token (401) or what it may do (403)", "deposit"),
    "deposit-rejected": _fixed("the repository rejected the record's metadata (a field it names)", "deposit"),
    "deposit-upload": _fixed("a file did not arrive whole: the upload broke off, was too large (413) or its "
                             "checksum differs", "deposit"),
    "deposit-server": _fixed("the repository failed (5xx) or could not be reached", "deposit"),
    "deposit-state": _fixed("deposit-records.json, the record each repository keeps the edition under, is unreadable",
                            "deposit"),
    "bag-invalid": _fixed("the folder or zip is not a BagIt bag", "deposit"),
    "bag-version": _fixed("the bag's BagIt version is not supported", "deposit"),
    "bag-missing": _fixed("a file the bag's manifest lists is missing", "deposit"),
    "bag-extra": _fixed("a file in the bag that no manifest lists", "deposit"),
    "bag-altered": _fixed("a file of the bag changed since it was packed (checksum)", "deposit"),
    "bag-manifest": _fixed("a manifest line of the bag is malformed", "deposit"),
    "bag-oxum": _fixed("the bag's Payload-Oxum does not match its files", "deposit"),
    "bag-zip": _fixed("the bag's zip file is broken or unsafe", "deposit"),
    # -- import ----------------------------------------------------------------------------------
    "record-io": _fixed("a plain-text record cannot be read", "import"),
    "record-encoding": _fixed("a plain-text record is not UTF-8", "import"),
    "record-empty": _fixed("a plain-text record is empty", "import"),
    "record-field-duplicate": _fixed("a field appears twice in a record", "import"),
    "record-field-unknown": _fixed("a record has a field (or text) the importer does not know", "import"),
    "record-field-empty": _fixed("a required field of a record is empty", "import"),
    "record-field-missing": _fixed("a required field of a record is missing", "import"),
    "record-date": _fixed("the dates of a record are in a form the importer does not read", "import"),
    "import-exists": _fixed("the TEI file exists already (use --force)", "import"),
    "import-unlinked": _fixed("a name of the record is in no register; it is left unlinked for review",
                              "import"),
}


def default_severity(rule: str) -> str | None:
    """The level a rule is reported at when the edition does not say (None: not a registered
    rule with a level, e.g. a Schematron assert: the emitting check decides)."""
    found = RULES.get(rule)
    return found.level if found is not None else None


def meaning(rule: str) -> str:
    found = RULES.get(rule)
    return found.meaning if found is not None else "a rule of a configured schema"


def configurable(rule: str) -> bool:
    found = RULES.get(rule)
    return found is not None and not found.fixed


@dataclass(frozen=True)
class Levels:
    """The levels an edition set in [validation] (global, then per path pattern)."""

    levels: dict = field(default_factory=dict)
    paths: tuple = ()   # ((pattern relative to root, {rule: level}), ...)
    root: Path | None = None

    def level(self, rule: str, path: str | Path | None = None) -> str | None:
        """The level of `rule` for a file (None: keep the emitted severity)."""
        found = self.levels.get(rule, default_severity(rule))
        if self.paths and path is not None and self.root is not None:
            relative = _relative(Path(path), self.root)
            for pattern, levels in self.paths:
                if rule in levels and relative is not None and fnmatch.fnmatchcase(relative, pattern):
                    found = levels[rule]
        return found

    def off_everywhere(self, rule: str) -> bool:
        return self.level(rule) == "off" and all(levels.get(rule, "off") == "off" for _, levels in self.paths)

    def wanted(self, rule: str) -> bool:
        """True when `rule` is on for at least some file."""
        return not self.off_everywhere(rule)

    def apply(self, diagnostics: Iterable, where: dict[str, Path]) -> list:
        """The diagnostics at the levels the edition chose: `off` ones dropped, the others with
        their severity set. `where`: displayed path → file (for the per-path levels)."""
        out = []
        for d in diagnostics:
            level = self.level(d.rule, where.get(d.path) if self.paths else None)
            if level == "off":
                continue
            if level is not None and level != d.severity and not (RULES.get(d.rule) and RULES[d.rule].fixed):
                d = dataclasses.replace(d, severity=level)
            out.append(d)
        return out


def _relative(path: Path, root: Path) -> str | None:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def level_hint(rule: str, severity: str) -> str:
    """The edition.toml line that changes a rule's level (empty when it cannot be changed)."""
    if rule in RULES and not configurable(rule):
        return ""
    if severity == "error":
        return f'[validation] levels = {{ {rule} = "warning" }}  (or "off")'
    return f'[validation] levels = {{ {rule} = "off" }}  (or "error")'
