"""The pointer model (docs/validation.md) on tiny synthetic corpora: what TEI allows resolves or
is left alone, what dangles is reported; rule levels from [validation]; reports grouped by rule."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tei_edition.cli import main
from tei_edition.config import ConfigError, load_config

BASE = Path(__file__).parent / "fixtures" / "validate" / "base"
TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0"{root}>'
HEADER = ("<teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt>"
          "<publicationStmt><p>Synthetic.</p></publicationStmt><sourceDesc><p>Synthetic.</p></sourceDesc>"
          "</fileDesc>{extra}</teiHeader>")


def document(body: str, ident: str | None = None, header: str = "", back: str = "") -> str:
    root = f' xml:id="{ident}"' if ident else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + TEI.format(root=root) + "\n"
            + HEADER.format(title=ident or "Synthetic", extra=header) + "\n"
            + f"<text><body>\n{body}\n</body>{f'<back>{back}</back>' if back else ''}</text>\n</TEI>\n")


def corpus(tmp_path: Path, docs: dict[str, str], toml: str = "", registers: dict[str, str] | None = None) -> Path:
    root = tmp_path / "c"
    shutil.copytree(BASE, root)
    for name, text in docs.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    for name, text in (registers or {}).items():
        (root / "registers" / name).write_text(text, encoding="utf-8")
    if toml:
        with (root / "edition.toml").open("a", encoding="utf-8") as f:
            f.write(toml)
    return root


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", "--config", str(root / "edition.toml"), *args],
                                catch_exceptions=False)
    return result.exit_code, result.output


def found(root: Path, *args: str) -> list[tuple[str, int, str, str]]:
    code, out = run(root, "--format", "json", *args)
    return [(d["path"].rsplit("/", 1)[-1], d["line"], d["severity"], d["rule"]) for d in json.loads(out)]


def messages(root: Path) -> list[str]:
    code, out = run(root, "--format", "json")
    return [d["message"] for d in json.loads(out)]


# -- ids are unique per document --------------------------------------------------------------

def test_back_lists_copy_register_entries_under_the_same_ids(tmp_path):
    back = ('<listPerson><person xml:id="ada"><persName>Ada</persName><occupation ref="ben">x</occupation>'
            '</person></listPerson>')
    header = '<encodingDesc><tagsDecl><rendition xml:id="b">bold</rendition></tagsDecl></encodingDesc>'
    root = corpus(tmp_path, {
        "one.xml": document('<p><persName ref="#ada">Ada</persName> <hi rendition="#b">x</hi></p>', "one", header, back),
        "two.xml": document('<p><persName ref="#ada">Ada</persName></p>', "two", header, back),
    })
    assert found(root) == []


def test_the_same_id_twice_in_one_document_is_an_error(tmp_path):
    root = corpus(tmp_path, {"dup.xml": document('<p xml:id="x">a</p>\n<p xml:id="x">b</p>', "dup")})
    assert found(root) == [("dup.xml", 6, "error", "id-duplicate")]


def test_the_same_entry_in_two_registers_is_ambiguous(tmp_path):
    other = document('<listPerson><person xml:id="ada"><persName>Another Ada</persName></person></listPerson>',
                     "register-more")
    root = corpus(tmp_path, {"a.xml": document('<p><persName ref="#ada">Ada</persName></p>', "a")},
                  registers={"more.xml": other})
    got = found(root)
    assert ("persons.xml", 13, "error", "id-ambiguous") in got  # more.xml comes first
    assert ("a.xml", 5, "error", "ref-ambiguous") in got


# -- how pointers resolve -------------------------------------------------------------------------

def test_bare_ids_and_document_ids_resolve(tmp_path):
    root = corpus(tmp_path, {
        "a.xml": document('<p><persName ref="ada">Ada</persName> <ref target="b">B</ref> '
                          '<ref target="#b">B</ref> <ref target="b.xml">B</ref> <seg xml:id="s"/><ref target="s">s</ref></p>', "a"),
        "b.xml": document("<p>b</p>", "b"),
    })
    assert found(root) == []


def test_bare_id_strict_form_is_its_own_rule(tmp_path):
    root = corpus(tmp_path, {"a.xml": document('<p><persName ref="ada">Ada</persName></p>', "a")},
                  '[validation]\nlevels = { ref-bare = "warning" }\n')
    code, out = run(root, "--format", "json")
    [d] = json.loads(out)
    assert d["rule"] == "ref-bare" and d["severity"] == "warning" and '"#ada"' in d["message"]


def test_dangling_bare_ids_codes_and_other_documents(tmp_path):
    root = corpus(tmp_path, {
        "a.xml": document('<p><persName ref="#ada">Ada</persName> <persName ref="ben">Ben</persName>\n'
                          '<persName ref="bem">Bem?</persName>\n'      # names nothing, looks like no id: a code
                          '<ref target="doc-9">x</ref>\n'              # shaped like the documents' ids (doc-1)
                          '<seg ana="indirect">x</seg>\n'              # a code
                          '<seg ana="status:checked">x</seg>\n'        # a code with an undeclared prefix
                          '<persName key="whatever">x</persName>\n'    # @key: never checked
                          '<ref target="toc.html?page=2">x</ref>\n'    # a page of a web site
                          '<ref target="#">x</ref> <ref target="#a#b">x</ref></p>', "doc-1"),
    })
    got = found(root)
    assert ("a.xml", 6, "warning", "ref-code") in got
    assert ("a.xml", 7, "error", "ref-document") in got
    assert ("a.xml", 8, "warning", "ref-code") in got
    assert ("a.xml", 9, "warning", "ref-code") in got
    assert ("a.xml", 11, "warning", "ref-web-page") in got
    assert [r for r in got if r[1] == 12] == [("a.xml", 12, "error", "ref-malformed")] * 2
    assert not [r for r in got if r[1] == 10]  # @key
    text = " ".join(messages(root))
    assert "points to file" not in text


def test_shaped_like_an_entry_id_is_dangling(tmp_path):
    registers = {"people.xml": document('<listPerson><person xml:id="pmb12"><persName>P</persName></person>'
                                        '<person xml:id="pmb13"><persName>Q</persName>'
                                        '<occupation ref="pmb99">x</occupation></person></listPerson>', "people")}
    root = corpus(tmp_path, {"a.xml": document('<p><rs ref="pmb12">P</rs> <rs ref="pmb30133">?</rs> '
                                               '<change who="MAM"/></p>', "a")}, registers=registers)
    got = {(name, rule) for name, _, _, rule in found(root)}
    assert got == {("a.xml", "ref-id"), ("a.xml", "ref-code"), ("people.xml", "ref-entry"),
                   ("people.xml", "register-unused")}  # pmb13 is pointed to by nobody
    assert any('"pmb30133" names no xml:id in this document or the registers' in m for m in messages(root))


def test_facs_names_images_or_surfaces_of_its_own_document(tmp_path):
    facsimile = '<facsimile><surface xml:id="p1"><graphic url="https://example.org/1.jpg"/></surface></facsimile>'
    text = document('<p><pb facs="#p1"/><pb facs="#p2"/><pb facs="HS.NZ85.1.3483_0002"/><pb facs="page.html"/></p>',
                    "a").replace("<text>", facsimile + "<text>")
    root = corpus(tmp_path, {"a.xml": text})
    assert [(line, sev, rule) for _, line, sev, rule in found(root)] == [(5, "error", "ref-id"),
                                                                        (5, "warning", "ref-web-page")]


def test_the_bundled_forms_still_resolve(tmp_path):
    """#id, a relative path#id and a declared prefix (base/docs/good.xml uses all three)."""
    root = corpus(tmp_path, {})
    assert found(root) == []


# -- levels ---------------------------------------------------------------------------------------

def test_header_rules_are_warnings_unless_the_edition_says_otherwise(tmp_path):
    root = corpus(tmp_path, {})
    header = root / "edition.xml"
    header.write_text(header.read_text().replace("<licence ", "<licenceX ").replace("</licence>", "</licenceX>"))
    assert [r[2:] for r in found(root)] == [("warning", "header-licence")]
    assert run(root)[0] == 0
    assert run(root, "--strict")[0] == 1  # --strict still fails on warnings
    with (root / "edition.toml").open("a") as f:
        f.write('[validation]\nlevels = { header-licence = "error" }\n')
    assert [r[2:] for r in found(root)] == [("error", "header-licence")]
    assert run(root)[0] == 1


def test_levels_change_and_silence_rules(tmp_path):
    root = corpus(tmp_path, {"a.xml": document('<p><seg ana="indirect">x</seg> <rs ref="#nobody">x</rs></p>', "a")},
                  '[validation]\nlevels = { ref-code = "off", ref-id = "warning" }\n')
    assert found(root) == [("a.xml", 5, "warning", "ref-id")]
    assert run(root)[0] == 0


def test_levels_per_path(tmp_path):
    root = corpus(tmp_path, {"a.xml": document('<p><seg ana="indirect">x</seg></p>', "a"),
                             "b.xml": document('<p><seg ana="indirect">x</seg></p>', "b")},
                  '[validation]\nlevels = { ref-code = "error" }\n'
                  '[[validation.paths]]\npattern = "docs/b.xml"\nlevels = { ref-code = "off" }\n')
    assert found(root) == [("a.xml", 5, "error", "ref-code")]


def test_unknown_rule_codes_are_config_errors_reported_with_the_others(tmp_path):
    root = corpus(tmp_path, {}, '[validation]\nlevels = { ref-cod = "off", ref-id = "loud", xml-wellformed = "off" }\n'
                                'colour = 1\n')
    text = (root / "edition.toml").read_text().replace("[edition]", '[edition]\nsources2 = "x"')
    (root / "edition.toml").write_text(text)
    code, out = run(root)
    assert code == 2
    assert "[edition] sources2: unknown key" in out
    assert "[validation] levels: ref-cod: unknown rule code (did you mean ref-code?)" in out
    assert "[validation] levels: ref-id = 'loud': expected \"error\", \"warning\" or \"off\"" in out
    assert "[validation] levels: xml-wellformed: its level cannot be changed" in out
    assert "[validation] colour: unknown key" in out


def test_schematron_codes_of_configured_schemas_are_known(tmp_path):
    root = corpus(tmp_path, {})
    repo_schema = Path(__file__).resolve().parents[1] / "schema"
    (root / "edition.toml").write_text((root / "edition.toml").read_text()
                                       + f'schemas = ["{repo_schema / "edition.sch"}"]\n'
                                       + '[validation]\nlevels = { role-unknown = "off" }\n')
    config = load_config(root / "edition.toml")
    assert config.levels.level("role-unknown") == "off"
    (root / "edition.toml").write_text((root / "edition.toml").read_text().replace("role-unknown", "role-unknwn"))
    with pytest.raises(ConfigError) as err:
        load_config(root / "edition.toml")
    assert "did you mean role-unknown?" in str(err.value)


# -- reports that scale -------------------------------------------------------------------------------

def test_many_findings_are_grouped_by_rule_and_all_lists_them(tmp_path):
    body = "\n".join(f'<seg ana="code{i}">x</seg>' for i in range(45)) + '\n<rs ref="#nobody">x</rs>'
    root = corpus(tmp_path, {"a.xml": document(f"<p>{body}</p>", "a")})
    code, out = run(root)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("46 findings from 2 rule(s); most from ref-code (45 warnings), ref-id (1 errors)")
    assert "== ref-id: 1 error(s):" in out and "== ref-code: 45 warning(s): a code in a pointer attribute" in out
    assert out.index("== ref-id") < out.index("== ref-code")  # errors first
    assert "    ... and 42 more of ref-code" in lines
    assert '    level: [validation] levels = { ref-code = "off" }  (or "error")' in lines
    assert lines[-1] == "1 error(s), 45 warning(s)"
    code, out = run(root, "--all")
    assert len([line for line in out.splitlines() if "[ref-code]" in line]) == 45
