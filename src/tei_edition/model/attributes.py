"""The elements of a tree that have attributes, read once per tree for everyone who asks.

The index's facts (model/file_facts.py: ids and pointers) and the attribute checks (dates,
URLs, witnesses and hands) all look at the same few elements of a document. One Python loop
over the tree, reading each element's name, line and attributes once, costs less than one
libxml2 query per check: a predicate such as `//*[@when or @from ...]` tests every element and
took 0.07–0.12 ms per document for each of the three checks, about what this whole walk takes.
"""

from __future__ import annotations

from lxml import etree

# (element, tag, line, ordinal, attributes): its name with namespace ("{ns}name"), the line of
# its start tag (lxml's sourceline, may be None), its position among the elements of the same
# name on that line (model/corpus.Spot), and its attributes as a dict (namespaced ones as "{ns}name").
Attributed = tuple[etree._Element, str, "int | None", int, dict]

# The last tree asked about and its elements: the facts and the checks of one document ask in
# turn, and the next document's tree takes its place.
_last: list = [None, []]


def attributed(root: etree._Element) -> list[Attributed]:
    """Every element below and including `root` that has attributes, in document order."""
    if _last[0] is root:
        return _last[1]
    found = []
    append = found.append
    # (start tags come in document order, so the elements of one line come one after another:
    # the names counted on the current line are all the ordinals need)
    current, seen = None, {}
    for el in root.iter(etree.Element):  # elements only (no comments, PIs)
        tag, line = el.tag, el.sourceline  # (each asks libxml2 again: once)
        if line != current:
            current, seen, n = line, {tag: 1}, 0
        else:
            n = seen.get(tag, 0)
            seen[tag] = n + 1
        items = el.items()
        if items:
            append((el, tag, line, n, dict(items)))
    _last[:] = [root, found]
    return found
