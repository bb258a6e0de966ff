"""The print HTML adjusted around faults of WeasyPrint that a corpus cannot be blamed for, and how such a fault is told."""

from __future__ import annotations

import os
import re

from lxml import etree

LINE_BREAK = re.compile(r"[ \t]*\n\s*")


def footnotes_on_one_line(part: etree._Element) -> etree._Element:
    """`part` with the line breaks of its footnotes' text made spaces.

    WeasyPrint 70 stops with an AssertionError ("Got ' \\n' between two lines") on a footnote
    whose text breaks a line in the source before an element (a letter of a real corpus does).
    The line break prints as a space anyway (print.css sets no `white-space: pre` in notes),
    so nothing on the page changes.
    """
    for note in part.iter():
        if "footnote" not in (note.get("class") or "").split():
            continue
        for element in note.iter():
            if element.text:
                element.text = LINE_BREAK.sub(" ", element.text)
            if element is not note and element.tail:
                element.tail = LINE_BREAK.sub(" ", element.tail)
    return part


# Orphans and widows of one line. WeasyPrint 70 stops (IndexError in make_page) on a page where a
# paragraph cannot keep three lines beside a float (a margin note at the foot of a page, in a
# volume of the legal papers corpus); without that constraint the layout goes through. Used only
# to lay out again what WeasyPrint stopped on, and said in a warning.
RELAXED = "p { orphans: 1; widows: 1; }"


def relaxed_note(name: str, exc: Exception) -> str:
    return (f"stopped on {name} ({failure(exc)}), a fault of WeasyPrint's; laid out again with orphans "
            "and widows of one line")


def inside_weasyprint(exc: BaseException) -> bool:
    """Whether `exc` was raised by WeasyPrint's own code (its faults surface as any exception:
    AssertionError, IndexError, ...), not by ours."""
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    return frame is not None and f"{os.sep}weasyprint{os.sep}" in frame.tb_frame.f_code.co_filename


def failure(exc: Exception) -> str:
    """What WeasyPrint raised, for a message."""
    return f"{type(exc).__name__}: {exc}".strip()
