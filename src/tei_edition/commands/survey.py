"""Read an existing TEI corpus as a new user's first step: what is a document, what a register, how it links.

`edition new DIR --from CORPUS` calls `survey(CORPUS)` and writes the config `config_text` makes.
Nothing here is special to one project: documents and registers are told apart by what they
hold (a register's `listPerson`, `listPlace`, `listOrg`, `listBibl`, `listEvent`, ... lies in its
body or `standOff`, a document's back list lies in `back`), and pointer conventions are counted,
not assumed.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from tei_edition.model.index import EXTERNAL_SCHEMES, POINTER_ATTRIBUTES
from tei_edition.model.xmlparse import parse_file
from tei_edition.names import TEI_NS, XML_ID, XML_LANG

T = f"{{{TEI_NS}}}"
XSI_SCHEMA_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
REGISTER_LISTS = ("listPerson", "listPlace", "listOrg", "listBibl", "listEvent", "listObject", "listNym")
SCHEMA_SUFFIXES = {".xsd", ".rng", ".sch"}
SKIPPED_FOLDERS = {"output", "node_modules", "build", "dist"}
EXAMPLES = 2  # examples kept per pointer form, for the config's comments

# pointer form → what it means, for the comments of the config
FORMS = {
    "#id": "'#id' (TEI's own form)",
    "bare id": "bare ids of entries or documents, without '#' (ref=\"pmb123\")",
    "relative URI": "relative URIs to files of the corpus (file.xml#id)",
    "prefixed": "private URIs declared with prefixDef (prefix:value)",
    "undeclared prefix": "values like 'status:checked' whose prefix no prefixDef declares",
    "external": "absolute URIs (https:, urn:, doi:, ...), not checked",
    "code": "codes that name nothing in the corpus (who=\"MAM\", corresp=\"brief\")",
    "page": "links to .html pages of another web site",
}


@dataclass
class Survey:
    corpus: Path
    documents: list[Path] = field(default_factory=list)
    registers: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # file, why it is not part of the edition
    forms: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)
    languages: Counter = field(default_factory=Counter)
    schemas: list[Path] = field(default_factory=list)         # schemas the files name and that exist
    missing_schemas: Counter = field(default_factory=Counter)  # named but not found: href → files
    no_licence: int = 0


def survey(corpus: Path) -> Survey:
    """Read every XML file below `corpus` and describe the edition it holds."""
    found = Survey(Path(corpus).resolve())
    trees: dict[Path, etree._ElementTree] = {}
    for path in _xml_files(found.corpus):
        tree, problems = parse_file(path, str(path))
        if tree is None:
            found.skipped.append((path, problems[0].message if problems else "not readable"))
            continue
        root = tree.getroot()
        if root.tag not in (f"{T}TEI", f"{T}teiCorpus"):
            found.skipped.append((path, f"not TEI (root element {etree.QName(root).localname})"))
            continue
        trees[path] = tree
        (found.registers if is_register(root) else found.documents).append(path)
    register_ids = {i for p in found.registers for i in _ids(trees[p].getroot())}
    document_ids = {trees[p].getroot().get(XML_ID) for p in found.documents} - {None}
    for path in found.documents:
        root = trees[path].getroot()
        _count_pointers(found, root, register_ids | document_ids | set(_ids(root)))
        _count_schemas(found, path, trees[path])
        lang = (root.get(XML_LANG) or next((t.get(XML_LANG) for t in root.iter(f"{T}text") if t.get(XML_LANG)), None)
                or next((u.get("ident") for u in root.iter(f"{T}language") if u.get("ident")), None))
        found.languages[lang or "not stated"] += 1
        if root.find(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}availability/{T}licence") is None:
            found.no_licence += 1
    return found


def is_register(root: etree._Element) -> bool:
    """A register keeps its entries in its body or standOff; a document's back list does not count."""
    for name in REGISTER_LISTS:
        for lst in root.iter(f"{T}{name}"):
            if any(a.tag == f"{T}back" for a in lst.iterancestors()):
                continue
            if any(a.tag in (f"{T}body", f"{T}standOff") for a in lst.iterancestors()):
                if any(isinstance(c.tag, str) and c.get(XML_ID) for c in lst):
                    return True
    return False


def _xml_files(corpus: Path):
    for path in sorted(corpus.rglob("*.xml")):
        parts = path.relative_to(corpus).parts
        if any(p.startswith(".") or p in SKIPPED_FOLDERS for p in parts[:-1]) or not path.is_file():
            continue
        yield path


def _ids(root: etree._Element):
    return (el.get(XML_ID) for el in root.iter() if isinstance(el.tag, str) and el.get(XML_ID))


def _count_pointers(found: Survey, root: etree._Element, known: set[str]) -> None:
    prefixes = {p.get("ident") for p in root.iter(f"{T}prefixDef")}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attribute in POINTER_ATTRIBUTES:
            for value in (el.get(attribute) or "").split():
                form = pointer_form(value, known, prefixes)
                found.forms[form] += 1
                kept = found.examples.setdefault(form, [])
                example = f'{etree.QName(el).localname}/@{attribute}="{value}"'
                if len(kept) < EXAMPLES and example not in kept:
                    kept.append(example)


def pointer_form(value: str, known: set[str], prefixes: set[str]) -> str:
    """Which convention one pointer value follows (see FORMS)."""
    if value.startswith("#"):
        return "#id"
    scheme = re.match(r"([A-Za-z][\w+.-]*):", value)
    if scheme:
        if scheme.group(1).lower() in EXTERNAL_SCHEMES:
            return "external"
        return "prefixed" if scheme.group(1) in prefixes else "undeclared prefix"
    if re.search(r"\.html?($|[?#])", value):
        return "page"
    if "/" in value or value.endswith(".xml") or ".xml#" in value:
        return "relative URI"
    return "bare id" if value in known else "code"


def _count_schemas(found: Survey, path: Path, tree: etree._ElementTree) -> None:
    hrefs = []
    for node in tree.getroot().itersiblings(preceding=True):
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
            href = re.search(r'href\s*=\s*["\']([^"\']+)', node.text or "")
            if href:
                hrefs.append(href.group(1))
    location = (tree.getroot().get(XSI_SCHEMA_LOCATION) or "").split()
    hrefs += location[1::2] if len(location) > 1 else location
    for href in dict.fromkeys(hrefs):  # each file counts once per schema it names
        if re.match(r"[a-z]+://", href):
            continue  # a schema on the web: not fetched (no network during builds)
        target = (path.parent / href).resolve()
        if target.suffix in SCHEMA_SUFFIXES and target.is_file():
            if target not in found.schemas:
                found.schemas.append(target)
        else:
            found.missing_schemas[href] += 1


def patterns(files: list[Path], corpus: Path, base: Path) -> list[str]:
    """Glob patterns, relative to `base`, that name exactly `files`: a whole folder where the
    folder holds nothing else, the file itself otherwise."""
    by_folder: dict[Path, list[Path]] = {}
    for f in files:
        by_folder.setdefault(f.parent, []).append(f)
    out = []
    for folder, chosen in sorted(by_folder.items()):
        everything = [p for p in folder.glob("*.xml") if p.is_file()]
        if len(everything) == len(chosen):
            out.append(_relative(folder / "*.xml", base))
        else:
            out += [_relative(f, base) for f in sorted(chosen)]
    return out


def _relative(path: Path, base: Path) -> str:
    """`path` relative to `base` where they share a folder below the root, else absolute."""
    if os.path.commonpath([path, base]) == os.path.dirname(os.path.commonpath([path, base])):
        return Path(path).as_posix()  # they meet only at the root: '../../..' would say less
    return Path(os.path.relpath(path, base)).as_posix()


# pointer form → (rule code, level the config sets, why) where the form's rule needs a decision
LEVEL_CHOICES = {
    "bare id": ("ref-bare", "off", "the corpus links by bare ids; each one is still checked, and one "
                "that names nothing is reported as ref-id"),
    "code": ("ref-code", "warning", "codes in pointer attributes are kept as warnings: TEI expects a URI "
             "or #id there; set \"off\" if they are this project's convention"),
    "undeclared prefix": ("ref-code", "warning", "as codes: declare the prefix with prefixDef, or keep "
                          "the warning"),
    "page": ("ref-web-page", "warning", "links to pages of another web site are not part of this edition"),
}


def config_text(found: Survey, project: Path) -> str:
    """A commented edition.toml for the surveyed corpus, with paths relative to `project`."""
    project = project.resolve()
    lines = [f"# Made by `edition new --from {_relative(found.corpus, project)}`: what it found, and why each",
             "# setting is what it is. Paths are relative to this file. See README.md, \"Configuration\".",
             "#", f"# {len(found.documents)} document(s) and {len(found.registers)} register file(s) "
             "(a register holds listPerson, listPlace, listOrg,",
             "# listBibl or listEvent entries in its body; a document's back list does not make it one)."]
    for path, why in found.skipped[:10]:
        lines.append(f"# left out: {_relative(path, project)}: {why}")
    if len(found.skipped) > 10:
        lines.append(f"# left out: {len(found.skipped) - 10} more file(s)")
    if found.languages:
        lines.append("# languages of the documents: " + ", ".join(f"{k} ({v})" for k, v in found.languages.most_common()))
    lines += ["", "[edition]", f"sources = {_toml_list(patterns(found.documents, found.corpus, project))}"]
    if found.registers:
        lines.append(f"registers = {_toml_list(patterns(found.registers, found.corpus, project))}")
    if found.schemas:
        lines.append(f"schemas = {_toml_list([_relative(s, project) for s in found.schemas])}"
                     "   # named by the documents' xml-model or xsi:schemaLocation")
    for href, count in found.missing_schemas.most_common():
        lines.append(f"# not used: {count} document(s) name the schema {href!r} (xml-model or "
                     "xsi:schemaLocation), which does not exist")
    lines += ['output = "output"', "", "[validation]",
              "# Pointer conventions found in the documents (counts):"]
    for form, count in found.forms.most_common():
        lines.append(f"#   {count:>7,}  {FORMS[form]}, e.g. {'; '.join(found.examples.get(form, []))}")
    levels: dict[str, tuple[str, str]] = {}
    for form, _ in found.forms.most_common():
        if form in LEVEL_CHOICES:
            rule, level, why = LEVEL_CHOICES[form]
            levels.setdefault(rule, (level, why))
    if found.no_licence:
        levels.setdefault("header-licence", ("warning", f"{found.no_licence} document(s) state no licence; "
                                             "a deposit needs one (add it, then make this an error)"))
    for rule, (level, why) in levels.items():
        lines.append(f"# {rule} = {level}: {why}")
    body = ", ".join(f'{rule} = "{level}"' for rule, (level, _) in levels.items())
    lines.append(f"levels = {{ {body} }}")
    return "\n".join(lines) + "\n"


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join('"' + i.replace("\\", "\\\\").replace('"', '\\"') + '"' for i in items) + "]"
