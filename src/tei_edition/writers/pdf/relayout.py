"""The second layout of a volume without its documents: the front and back matter laid out again, the documents' pages kept.

The index's page numbers come from the first layout, so the volume is laid out again to print
them. The documents' chapters lay out the same both times (nothing before them changes length:
the contents only change their page numbers, and the back matter comes after them), so the
second layout is of the front and back matter alone. Its back matter numbers its pages on
from where it starts in the volume (`@page :nth()`), its links to the documents print the
page numbers the first layout gave them (`data-page`, which print.css prints instead of
`target-counter()`), and WeasyPrint joins its pages and the first layout's pages of the
documents into one document (`Document.copy`). Where that cannot give the pages the whole
volume would have, the whole volume is laid out again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

# what would lay out differently without the documents: a stylesheet that styles pages by
# their position, or one of the user's own that refers to the documents' pages
BY_POSITION = re.compile(r"@page[^{;]*:nth\(")
TARGETS = re.compile(r"target-(counter|text)")


@dataclass(frozen=True)
class Plan:
    """Where the documents are in the first layout (0-based page indexes)."""

    documents_from: int  # the first page of the first document
    back_from: int  # the first page of the back matter
    pages_of: dict[str, int]  # an anchor in the documents' pages → its page number


def plan(first, document_id: str | None, back_ids: list[str], css: list[str], own_css: str | None) -> Plan | None:
    """How to lay out the volume again without its documents, from its first layout `first`;
    None when it cannot be (no documents or no back matter, a stylesheet that styles pages by
    position, a page that is not where a right-hand page is)."""
    if document_id is None or not back_ids or any(BY_POSITION.search(text) for text in css):
        return None
    if own_css is not None and TARGETS.search(own_css):
        return None
    documents_from, back_from = page_of(first, document_id), page_of(first, back_ids[0])
    if documents_from is None or back_from is None or documents_from % 2 or back_from % 2:
        return None
    pages_of: dict[str, int] = {}
    for number in range(documents_from, back_from):
        for name in first.pages[number].anchors:  # a box split over pages is on each: the first counts
            pages_of.setdefault(name, number + 1)
    return Plan(documents_from, back_from, pages_of)


def page_of(document, anchor: str) -> int | None:
    """The index (0-based) of the page of `document` that holds `anchor`."""
    return next((number for number, page in enumerate(document.pages) if anchor in page.anchors), None)


def back_numbering(plan: Plan) -> str:
    """The back matter numbers its pages on from where it starts in the volume: in the layout
    without the documents it starts where the first document did."""
    return f"@page :nth({plan.documents_from + 1}) {{ counter-reset: page {plan.back_from + 1}; }}"


def number_links(part: etree._Element, plan: Plan) -> etree._Element:
    """`part` with each link into the documents given the page number the first layout found."""
    for link in part.iter("a"):
        href = link.get("href") or ""
        target = href[1:] if href.startswith("#") else ""
        if target in plan.pages_of:
            link.set("data-page", str(plan.pages_of[target]))
    return part


def joined(first, plan: Plan, second, back_id: str):
    """The volume from the layout without the documents (`second`) and the first layout's pages
    of the documents; None if the back matter did not start where the first document did."""
    if page_of(second, back_id) != plan.documents_from:
        return None
    at = plan.documents_from
    return first.copy(second.pages[:at] + first.pages[at:plan.back_from] + second.pages[at:])
