"""`edition new DIR`: a new edition project that validates and builds at once.

It writes, from the templates in `templates/new/`:

    DIR/edition.toml                 the config (sources, registers, schemas, output)
    DIR/tei/edition.xml              the edition header and front matter, to fill in
    DIR/tei/registers/*.xml          persons, places, organisations, events, documents
    DIR/records/example-record.txt   a plain-text record in the shape `edition import` reads
    DIR/tei/documents/*.xml          the TEI document imported from it
    DIR/schema/edition.{xsd,sch}     a copy of this pipeline's project schema and rules

TEI does not allow an empty list of persons (or places, ...), so each register starts with one
example entry, which the example document points to; the user replaces both. The example document
is made by the importer itself, so it has exactly the shape imported records have.

The schema files are the project's own (`schema/` of the pipeline): found beside the package in
a source checkout or an editable install, or inside it when a wheel ships them as package data.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from string import Template
from typing import Callable

from tei_edition.config import Config
from tei_edition.resources import SCHEMA_DIR, TEMPLATES_DIR
from tei_edition.runtime.epoch import EpochError, build_day
from tei_edition.commands.importer import import_records, slug

TEMPLATES = TEMPLATES_DIR / "new"
SCHEMA_FILES = ("edition.xsd", "edition.sch")

# register file → (title, TEI list holding its example entry)
REGISTERS = {
    "persons": ("Register of persons", """<listPerson type="register">
        <person xml:id="example-person">
          <persName type="main" xml:lang="en">Example Person</persName>
          <note>An example entry made by edition new: replace it with a person named in your sources.</note>
        </person>
      </listPerson>"""),
    "places": ("Register of places", """<listPlace type="register">
        <place xml:id="example-town" type="city">
          <placeName type="main" xml:lang="en">Example Town</placeName>
          <note>An example entry made by edition new: replace it with a place named in your sources.</note>
        </place>
      </listPlace>"""),
    "organisations": ("Register of organisations", """<listOrg type="register">
        <org xml:id="example-committee">
          <orgName type="main" xml:lang="en">Example Committee</orgName>
          <note>An example entry made by edition new: replace it with an organisation named in your sources.</note>
        </org>
      </listOrg>"""),
    "events": ("Register of events", """<listEvent type="register">
        <event xml:id="example-meeting" type="meeting" from="1950-03-01" to="1950-03-03" where="#example-town">
          <label>Example meeting</label>
          <desc>An example entry made by edition new: the meeting the example record describes.</desc>
        </event>
      </listEvent>"""),
    "documents": ("Register of documents and literature", """<listBibl type="register">
        <bibl xml:id="example-resolution" type="resolution">
          <title type="main">Example resolution</title>
          <note>An example entry made by edition new: replace it with a document named in your sources.</note>
        </bibl>
      </listBibl>"""),
}


def schema_folder() -> Path | None:
    """Where this installation keeps the project schema: package data first, then the checkout."""
    if all((SCHEMA_DIR / name).is_file() for name in SCHEMA_FILES):
        return SCHEMA_DIR
    return None


def render(template: Path, values: dict[str, str]) -> str:
    # safe_substitute: a "$1" in a TEI prefixDef is not a placeholder
    return Template(template.read_text(encoding="utf-8")).safe_substitute(values)


def new_command(directory: Path, log: Callable[[str], None] = print) -> int:
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        log(f"error: {directory} exists and is not an empty folder; choose a new folder name")
        return 2
    schemas = schema_folder()
    if schemas is None:
        log("error: the project schema (schema/edition.xsd, schema/edition.sch) is not part of this "
            "installation; reinstall the pipeline from its source folder (pip install -e .)")
        return 2

    title = directory.resolve().name.replace("-", " ").replace("_", " ").strip().capitalize() or "New edition"
    # the creation date of the project (SOURCE_DATE_EPOCH makes it reproducible)
    try:
        today = build_day()
    except EpochError as exc:
        log(exc.diagnostic.format())
        return 2
    values = {"title": title, "slug": slug(title), "today": today, "year": today[:4]}
    try:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "tei" / "registers").mkdir(parents=True)
        (directory / "tei" / "documents").mkdir()
        (directory / "records").mkdir()
        (directory / "schema").mkdir()
        (directory / "edition.toml").write_text(render(TEMPLATES / "edition.toml", values), encoding="utf-8")
        (directory / "tei" / "edition.xml").write_text(render(TEMPLATES / "tei" / "edition.xml", values),
                                                       encoding="utf-8")
        for name, (register_title, entries) in REGISTERS.items():
            text = render(TEMPLATES / "tei" / "registers" / "register.xml",
                          {**values, "name": name, "register_title": register_title, "entries": entries,
                           "comment": f"{register_title}: one entry per {name[:-1]}, each with a stable xml:id "
                                      "that documents point to. Replace the example entry."})
            (directory / "tei" / "registers" / f"{name}.xml").write_text(text, encoding="utf-8")
        for name in SCHEMA_FILES:
            shutil.copyfile(schemas / name, directory / "schema" / name)
        record = directory / "records" / "example-record.txt"
        shutil.copyfile(TEMPLATES / "records" / "example-record.txt", record)
    except OSError as exc:
        log(f"error: cannot write the new project in {directory}: {exc}")
        return 2

    # edition.toml names tei/documents/*.xml, still empty (so it cannot be loaded yet): import the
    # example record with the same registers and schemas, and the project is complete.
    root = directory.resolve()
    config = Config(path=root / "edition.toml", header=root / "tei" / "edition.xml", sources=(),
                    registers=tuple(sorted((root / "tei" / "registers").glob("*.xml"))),
                    schemas=tuple(root / "schema" / name for name in SCHEMA_FILES), output=root / "output")
    written, problems = import_records([record], config, directory / "tei" / "documents", force=False,
                                       log=lambda line: None)
    if not written or any(d.severity == "error" for d in problems):
        for d in problems:
            log(d.format())
        log("error: the example document could not be made (a bug: please report it)")
        return 1
    for path in written:  # nothing to review in the example: every name is in the registers
        path.with_suffix(".review.toml").unlink(missing_ok=True)
    shown = directory if directory.is_absolute() else Path(".") / directory
    log(f"created the edition project {shown}:")
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        log(f"  {path.relative_to(directory)}")
    log(f"next: cd {shown} && edition validate && edition build && edition serve")
    return 0


def from_corpus_command(directory: Path, corpus: Path, log: Callable[[str], None] = print) -> int:
    """`edition new DIR --from CORPUS`: write DIR/edition.toml for an existing corpus (DIR may be
    the corpus folder itself); the corpus is only read."""
    from tei_edition.commands.survey import config_text, survey

    target = Path(directory) / "edition.toml"
    if target.exists():
        log(f"error: {target} exists; choose another folder, or move it away first")
        return 2
    found = survey(corpus)
    if not found.documents:
        log(f"error: no TEI documents found below {corpus} (looked for *.xml files whose root is <TEI>)")
        return 2
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(config_text(found, target.parent), encoding="utf-8")
    except OSError as exc:
        log(f"error: cannot write {target}: {exc}")
        return 2
    log(f"wrote {target}: {len(found.documents)} document(s), {len(found.registers)} register file(s); "
        "the comments in it say what was found and why each setting is what it is")
    log(f"next: edition validate --config {target} && edition build --config {target}")
    return 0
