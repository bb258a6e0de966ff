"""The rule registry (tei_edition.rules) knows every rule code the pipeline emits."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tei_edition.rules import LEVELS, RULES

SRC = Path(__file__).resolve().parents[1] / "src" / "tei_edition"
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
    return codes


def test_every_emitted_rule_code_is_registered():
    codes = emitted_codes()
    assert len(codes) > 60
    header = {f"header-{field}" for field in ("title", "publisher", "licence", "source", "language")}
    assert sorted((codes | header) - set(RULES)) == []


def test_every_registered_code_is_emitted():
    header = {f"header-{field}" for field in ("title", "publisher", "licence", "source", "language")}
    # (schematron: the code of a Schematron assert without an id, from the assert's attribute)
    assert sorted(set(RULES) - emitted_codes() - header - {"schematron"}) == []


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
