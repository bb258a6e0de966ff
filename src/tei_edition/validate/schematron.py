"""Schematron at the speed of its rules: lxml's compiled XSLT, with two walks it does not need removed.

lxml.isoschematron compiles a schema with the ISO skeleton into one XSLT 1.0 stylesheet. For
each pattern that stylesheet walks the whole document twice: once in the default mode (the
`<xsl:apply-templates/>` inside `svrl:active-pattern`, which only strips text and outputs
nothing) and once in the pattern's own mode, visiting every element and every attribute and
trying each of them against the pattern's rules. With fifteen patterns that is thirty walks
per document, about 4 ms of a 5 ms check on the synthetic corpus.

`faster()` rewrites the compiled stylesheet so that each pattern visits only the nodes that can
fire one of its rules: `apply-templates select="//rule1 | //rule2 ..."` (each rule context as
an expression from the root, which selects exactly the nodes the pattern matches, in document
order) instead of the recursive walk, and drops the default-mode walks. It also drops the
`svrl:fired-rule` the skeleton writes for every node a rule fires on (one element each,
about a sixth of the time; validation reads only the failed asserts and successful reports).
The rule templates, their priorities (the first rule of a pattern that matches a node fires,
the others do not), their asserts and reports are the skeleton's own, untouched, so the report
(SVRL) is the same, less its fired-rule records. A pattern of one rule runs that rule's body
in a `for-each` over its candidates (apply-templates would match each of them against the
rule's context again: 0.73 → 0.52 ms a document with the fired-rule records gone). A
pattern whose rule contexts are not plain element or attribute steps (text(), key(), id(), an
axis the walk does not take ...) keeps its walk; a stylesheet not shaped as expected is used as
lxml compiled it. A candidate `//x[p]` is selected as `/descendant::x[p]` where no position
counts in p (libxml2 takes `//x[p]` as the children of every node, one set per node, merged:
0.75 → 0.45 ms a document; validate/xpath_steps.py). Each pattern then selects only the
candidates its rules write something for, `(candidates)[not(assert) or report]` (_filtered), so
that the tests of a valid document run inside one XPath per pattern. tests/test_schematron_rewrite.py
compares the reports of both (less the fired-rule records).
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from tei_edition.validate.xpath_steps import descendant_axis, outside_predicates, split

XSL = "{http://www.w3.org/1999/XSL/Transform}"
SVRL_ACTIVE = "{http://purl.oclc.org/dsdl/svrl}active-pattern"
SVRL_FIRED = "{http://purl.oclc.org/dsdl/svrl}fired-rule"
WALK = "@*|*"  # what the skeleton's rule and default templates apply next, in their own mode
# The last step of a rule context (its predicates removed) that the skeleton's walk can reach:
# an element (named, prefix:*, *) or an attribute.
_STEP = re.compile(r"(?:child::|@|attribute::)?(?:[\w.-]+:)?(?:[\w.-]+|\*)")


def faster(xslt: etree._ElementTree | etree._Element) -> etree._Element:
    """The compiled Schematron stylesheet with its needless walks removed (a new tree; the
    stylesheet itself, unchanged, when it is not shaped as the ISO skeleton makes it)."""
    root = etree.fromstring(etree.tostring(xslt))
    templates = list(root.iter(f"{XSL}template"))
    main = [t for t in templates if t.get("match") == "/" and t.get("mode") is None]
    if len(main) != 1 or any(t.get("mode") is None and t.get("match") not in ("/", "text()") for t in templates):
        return etree.fromstring(etree.tostring(xslt))
    main = main[0]
    for walk in list(main.iter(f"{XSL}apply-templates")):
        # the default-mode walk of each pattern: only text() (stripped) and built-ins are there
        if walk.get("select") is None and walk.get("mode") is None and walk.getparent().tag == SVRL_ACTIVE \
                and len(walk) == 0:
            walk.getparent().remove(walk)
    by_mode: dict[str, list[etree._Element]] = {}
    for t in templates:
        if t.get("mode"):
            by_mode.setdefault(t.get("mode"), []).append(t)
    starts = []
    for start in list(main.iter(f"{XSL}apply-templates")):
        mode = start.get("mode")
        if start.get("select") != "/" or not mode or mode not in by_mode:
            continue
        candidates = _candidates(by_mode[mode], mode)
        if candidates is None:
            continue
        starts.append((start, candidates))
        for t in by_mode[mode]:
            for walk in _walks(t, mode):
                walk.getparent().remove(walk)
    for t in templates:  # the record of every node a rule fired on: nobody reads it
        for fired in list(t.iter(SVRL_FIRED)):
            fired.getparent().remove(fired)
    for start, candidates in starts:  # (once the rules write nothing but their asserts and reports)
        start.set("select", " | ".join(_filtered(branch, rule, start) for rule, branch in candidates))
    for start in list(main.iter(f"{XSL}apply-templates")):
        _inline(start, by_mode.get(start.get("mode") or "", []))
    try:
        etree.XSLT(root)
    except etree.XSLTParseError:
        return etree.fromstring(etree.tostring(xslt))
    return root


def _inline(start: etree._Element, templates: list[etree._Element]) -> None:
    """A pattern of one rule that runs from its candidates: its rule's body in a for-each over
    them instead of apply-templates, which would match each candidate against the rule's
    context again (a `tei:text//tei:persName` pattern climbs the ancestors of every name)."""
    rules = [t for t in templates if t.get("match") not in ("text()", "@*|node()")]
    if start.get("select") in (None, "/") or len(start) or len(rules) != 1 \
            or rules[0].find(f"{XSL}param") is not None or _walks(rules[0], start.get("mode")):
        return  # (a walk kept, or a rule that takes parameters or walks on)
    loop = etree.Element(f"{XSL}for-each", select=start.get("select"))
    loop.text = rules[0].text
    loop.extend(copy.deepcopy(child) for child in rules[0])
    loop.tail = start.tail
    start.getparent().replace(start, loop)


def _walks(template: etree._Element, mode: str) -> list[etree._Element]:
    return [a for a in template.iter(f"{XSL}apply-templates") if a.get("mode") == mode]


# What reads differently once moved from a rule's body into the selection of its nodes: the
# context position and size, and XSLT's current() (the rule's node there, the root here).
_MOVED_AWAY = re.compile(r"\b(?:position|last|current)\s*\(")
_VARIABLE = re.compile(r"\$((?:[A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*)")


def _filtered(branch: str, rule: etree._Element, start: etree._Element) -> str:
    """`branch` less the nodes on which `rule` writes nothing: `(branch)[it writes]`.

    A node left out would have fired this rule (or one before it, which then decides) with every
    assert holding and no report true: nothing written. The nodes kept are matched against the
    rules as before. So each assert's test is evaluated in the selection, not in a for-each
    over every candidate with a choose for each assert (and the rule's lets written into the
    tests rather than made for every node): 0.45 → 0.3 ms a document. The branch as it was when
    the rule's body writes anything else or its tests cannot be moved."""
    condition = _writes(rule, start)
    return branch if condition is None else f"({branch})[{condition}]"


def _writes(rule: etree._Element, start: etree._Element) -> str | None:
    """When `rule` writes something for its node, as an XPath expression on that node; None
    when that cannot be said (its body is not only lets, asserts and reports)."""
    if (rule.text or "").strip() or any(prefix is not None and start.nsmap.get(prefix) != uri
                                        for prefix, uri in rule.nsmap.items()):
        return None
    local: dict[str, str] = {}
    conditions = []
    for child in rule:
        if (child.tail or "").strip():
            return None  # (text written as it is)
        if child.tag is etree.Comment:
            continue
        if child.tag == f"{XSL}variable" and len(child) == 0 and not (child.text or "").strip():
            kind, expression = "let", child.get("select")
        elif child.tag == f"{XSL}if":  # a report: writes when its test holds
            kind, expression = "report", child.get("test")
        elif child.tag == f"{XSL}choose":  # an assert: writes when its test fails
            kind, expression = "assert", _assert_test(child)
        else:
            return None
        expression = _moved(expression, local)
        if expression is None:
            return None
        if kind == "let":
            local[child.get("name")] = expression
        else:
            conditions.append(f"({expression})" if kind == "report" else f"not({expression})")
    return " or ".join(conditions) or "false()"


def _assert_test(choose: etree._Element) -> str | None:
    """The test of the skeleton's assert: a choose of an empty when (and an otherwise)."""
    parts = [c for c in choose if c.tag is not etree.Comment]
    when = parts[0] if parts else None
    if when is None or when.tag != f"{XSL}when" or len(when) or (when.text or "").strip() \
            or [p.tag for p in parts[1:]] not in ([], [f"{XSL}otherwise"]):
        return None
    return when.get("test")


def _moved(expression: str | None, local: dict[str, str]) -> str | None:
    """`expression` with the rule's lets written in, to be evaluated on the rule's node in a
    predicate; None when it would read differently there (a let inside a predicate of its own
    refers to the rule's node, not to the predicate's)."""
    if expression is None or _MOVED_AWAY.search(expression):
        return None
    out, depth, quote, i = [], 0, "", 0
    while i < len(expression):
        ch = expression[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[]":
            depth += 1 if ch == "[" else -1
        elif ch == "$" and (m := _VARIABLE.match(expression, i)) and m.group(1) in local:
            if depth:
                return None
            out.append(f"({local[m.group(1)]})")
            i = m.end()
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _candidates(templates: list[etree._Element], mode: str) -> list[tuple[etree._Element, str]] | None:
    """The nodes a pattern's rules can match, as expressions, each with its rule; None to keep its walk."""
    branches = []
    for t in templates:
        walks = _walks(t, mode)
        if len(walks) != 1 or walks[0].get("select") != WALK or len(walks[0]) != 0:
            if not walks and t.get("match") == "text()":
                continue  # the skeleton's "strip text" template
            return None
        if t.get("match") == "@*|node()":
            continue  # the skeleton's default: walk on
        for branch in split(t.get("match") or ""):
            if branch == "/":
                branches.append((t, branch))
                continue
            steps = split(outside_predicates(branch), "/")
            # every step on the child, descendant or attribute axis (no function, no node test
            # other than a name), the last one an element or an attribute
            if any("(" in s or re.search(r"(?<!child)(?<!attribute)::", s) for s in steps) \
                    or not _STEP.fullmatch(steps[-1]):
                return None
            branches.append((t, descendant_axis(branch if branch.startswith("/") else "//" + branch)))
    return branches or None
