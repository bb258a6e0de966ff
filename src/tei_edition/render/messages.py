"""What the stylesheets say while rendering, as Diagnostics at the TEI element's file:line:col.

A stylesheet reports with `ed:report` (xslt/common/report.xsl): an xsl:message holding
`<ed:message rule severity at hint>text</ed:message>`; a failure is located by
xslt/common/guard.xsl as `<ed:failure code module line at>description</ed:failure>`. `@at` is
the element's path of sibling positions from the source's root element ("1/3/2"): Saxon got the
document as a string and knows no lines, so Python walks the same steps in its lxml tree.
A message of a profile's own (plain text) is kept as a warning at the document.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from lxml import etree

from tei_edition.diagnostics import Diagnostic, sort_key

ED = "urn:tei-edition:functions"
UNKNOWN_ELEMENT = "render-unknown-element"
FAILURE = "render-failure"


class RenderFailed(Exception):
    """A stylesheet failed on a part of the output; carries the located Diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


@dataclass(frozen=True)
class Message:
    """One xsl:message: its rule code, severity, text and hint, and where it arose."""

    rule: str
    severity: str
    text: str
    at: str = ""        # the element's sibling positions from the source's root ("1/3/2"); "" unknown
    hint: str = ""
    where: str = ""     # failures: the stylesheet and line Saxon names ("pages.xsl line 12")


def read_messages(value) -> tuple[Message, ...]:
    """The messages in saxonche's result of get_xsl_messages() (None when there were none)."""
    if value is None:
        return ()
    return tuple(_message(str(value.item_at(i))) for i in range(value.size))


def _message(text: str) -> Message:
    el = None
    if text.lstrip().startswith("<"):
        try:
            el = etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            el = None
    if el is None or etree.QName(el).namespace != ED:
        return Message("xsl-message", "warning", " ".join(text.split()))
    words = " ".join("".join(el.itertext()).split())
    if etree.QName(el).localname == "failure":
        module = (el.get("module") or "").rsplit("/", 1)[-1]
        where = f"{module} line {el.get('line')}" if module and el.get("line") else module
        code = (el.get("code") or "").rsplit(":", 1)[-1]
        return Message(FAILURE, "error", f"{code} {words}".strip(), el.get("at") or "", where=where)
    severity = el.get("severity") if el.get("severity") in ("error", "warning") else "warning"
    return Message(el.get("rule") or "xsl-message", severity, words, el.get("at") or "", el.get("hint") or "")


def element_at(root: etree._Element, at: str) -> etree._Element | None:
    """The element of `root`'s tree that `at` names ("1" is `root` itself), None when none is."""
    steps = at.split("/") if at else []
    if not steps or steps[0] != "1":
        return None
    el = root
    for step in steps[1:]:
        children = [c for c in el if isinstance(c.tag, str)]
        n = int(step) if step.isdigit() else 0
        if not 0 < n <= len(children):
            return None
        el = children[n - 1]
    return el


Locator = Callable[[str], tuple[int, int]]


def locator(root: etree._Element | None, locate: Callable[[etree._Element], tuple[int, int]] | None) -> Locator:
    """`at` → (line, col) in the file of `root`; the root's own place when `at` names nothing
    (1:1 when there is no file: a stand-in source)."""
    def find(at: str) -> tuple[int, int]:
        if root is None or locate is None:
            return 1, 1
        el = element_at(root, at)
        return locate(el if el is not None else root)
    return find


def to_diagnostics(messages: Iterable[Message], display: str, where: Locator, output: str) -> list[Diagnostic]:
    """Diagnostics at the TEI file `display`, for the `output` ("web edition", "print edition")."""
    found = []
    for m in messages:
        line, col = where(m.at)
        found.append(Diagnostic(display, line, col, m.severity, f"{output}: {m.text}", m.rule, m.hint))
    return found


def failure(error: str, messages: Iterable[Message], display: str, where: Locator, output: str,
            rule: str) -> Diagnostic:
    """The Diagnostic of a stylesheet failure (`error`, the XsltError's text): at the TEI element
    being rendered when the guard located it, with the stylesheet's line when Saxon gave it."""
    located = next((m for m in messages if m.rule == FAILURE), None)
    if located is None:
        line, col = where("")
        return Diagnostic(display, line, col, "error", f"{output}: the stylesheet failed: {error}", rule,
                          "a problem of the stylesheet or of unexpected markup; report it with the file named here")
    line, col = where(located.at)
    stylesheet = f" (at {located.where})" if located.where else ""
    return Diagnostic(display, line, col, "error",
                      f"{output}: the stylesheet failed on this element{stylesheet}: {located.text}", rule,
                      "if the stylesheet named is the edition's profile, correct it there; otherwise report "
                      "it with the file named here")


def summarise(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Each diagnostic once; an element without a rendering once per element name (the same
    message), at its first place, with how often and in how many files it occurs."""
    unique = sorted(dict.fromkeys(diagnostics), key=sort_key)
    kept, unknown = [], defaultdict(list)
    for d in unique:
        if d.rule == UNKNOWN_ELEMENT:
            unknown[d.message].append(d)
        else:
            kept.append(d)
    for message, places in unknown.items():
        files = len({d.path for d in places})
        count = f"{len(places)} time(s) in {files} file(s), first here" if len(places) > 1 else "once"
        kept.append(replace(places[0], message=f"{message} ({count})"))
    return sorted(kept, key=sort_key)
