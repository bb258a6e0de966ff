"""The rule registry (tei_edition.rules) knows every rule code the pipeline emits."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tei_edition.config import TABLES
from tei_edition.model.header import DEPOSIT, PUBLICATION
from tei_edition.rules import LEVELS, RULES

SRC = Path(__file__).resolve().parents[1] / "src" / "tei_edition"
XSLT = Path(__file__).resolve().parents[1] / "xslt"
# Codes made from a family name and a part (f"config-{table}", f"deposit-{field}", ...), which the
# scan of literal arguments cannot see.
FAMILIES = ({f"config-{table}" for table in [*TABLES, "validation"]}
            | {f"deposit-{field}" for field, _, _ in DEPOSIT.values()}
            | {f"header-{field}" for field in PUBLICATION})
CODE = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
# Calls whose string arguments include a rule code: name → prefix of the code.
EMITTERS = {"Diagnostic": "", "_error": "", "_problem": "", "Unresolved": "", "_gap": "deposit-"}
NOT_CODES = {"error", "warning", "utf-8", "utf-8-sig", "ignore", "replace"}


def emitted_codes() -> set[str]:
    codes = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in EMITTERS:
                continue
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and CODE.fullmatch(arg.value) \
                        and arg.value not in NOT_CODES and (name == "_gap" or "-" in arg.value or arg.value in ("io", "xsd", "rng")):
                    codes.add(EMITTERS[name] + arg.value)
    # the stylesheets' reports (xsl:with-param name="rule" select="'render-…'") and the writers'
    # failure codes passed on as arguments
    for path in XSLT.rglob("*.xsl"):
        codes |= set(re.findall(r"'((?:render|html|pdf)-[a-z-]+)'", path.read_text(encoding="utf-8")))
    for path in SRC.rglob("*.py"):
        codes |= set(re.findall(r'"((?:html|pdf)-xslt)"', path.read_text(encoding="utf-8")))
    return codes | FAMILIES


def test_every_emitted_rule_code_is_registered():
    codes = emitted_codes()
    assert len(codes) > 60
    assert sorted(codes - set(RULES)) == []


def test_every_registered_code_is_emitted():
    # (schematron: the code of a Schematron assert without an id, from the assert's attribute)
    assert sorted(set(RULES) - emitted_codes() - {"schematron"}) == []


def test_levels_and_meanings():
    for code, rule in RULES.items():
        assert rule.meaning and not rule.meaning.endswith("."), code
        assert rule.level in (*LEVELS, None), code
        if not rule.fixed and rule.stage == "validate" and code not in ("xsd", "rng", "schematron"):
            assert rule.level is not None, f"{code}: a configurable rule needs a default level"
    # the project's header policy is not everyone's: warnings by default
    assert {RULES[c].level for c in RULES if c.startswith("header-")} == {"warning"}


def test_docs_list_every_validation_rule():
    docs = (Path(__file__).resolve().parents[1] / "docs" / "validation.md").read_text(encoding="utf-8")
    for code, rule in RULES.items():
        if rule.stage == "validate":
            assert f"| `{code}` |" in docs, code
