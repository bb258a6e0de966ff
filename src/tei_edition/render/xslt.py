"""XSLT 3.0 through saxonche: one processor per process, each stylesheet compiled once.

Python passes each document (already parsed and checked by lxml, so Saxon never parses a
file from disk with its own entity handling) and the parameters; the stylesheet returns one
result, and Python decides where it is written.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree
from saxonche import PySaxonProcessor, PyXdmValue

from tei_edition.resources import XSLT_DIR


class XsltError(Exception):
    """A stylesheet failed to compile or to run; the message names the stylesheet."""


@lru_cache(maxsize=1)
def processor() -> PySaxonProcessor:
    return PySaxonProcessor(license=False)


@lru_cache(maxsize=None)
def _compiled(path: str):
    xslt = processor().new_xslt30_processor()
    try:
        executable = xslt.compile_stylesheet(stylesheet_file=path)
    except Exception as exc:  # saxonche raises PySaxonApiError with Saxon's message
        raise XsltError(f"{path}: cannot compile stylesheet: {exc}") from None
    if executable is None:
        raise XsltError(f"{path}: cannot compile stylesheet: {xslt.error_message}")
    return executable


def node(xml: etree._Element | etree._ElementTree | str | bytes):
    """An XDM document node from an lxml tree/element or serialized XML."""
    if isinstance(xml, (etree._Element, etree._ElementTree)):
        xml = etree.tostring(xml, encoding="unicode")
    elif isinstance(xml, bytes):
        xml = xml.decode("utf-8")
    return processor().parse_xml(xml_text=xml)


def value(python: Any) -> PyXdmValue:
    """A stylesheet parameter from a Python value (str, bool, int, float, lxml tree, XDM value)."""
    proc = processor()
    if isinstance(python, PyXdmValue):
        return python
    if isinstance(python, bool):
        return proc.make_boolean_value(python)
    if isinstance(python, int):
        return proc.make_integer_value(python)
    if isinstance(python, float):
        return proc.make_double_value(python)
    if isinstance(python, str):
        return proc.make_string_value(python)
    if isinstance(python, (etree._Element, etree._ElementTree, bytes)):
        return node(python)
    raise TypeError(f"cannot pass {type(python).__name__} to a stylesheet")


def transform(stylesheet: str | Path, source, params: dict[str, Any] | None = None) -> str:
    """Run `stylesheet` (a path, or a name relative to xslt/) on `source`; return the serialized result."""
    path = Path(stylesheet)
    if not path.is_absolute():
        path = XSLT_DIR / path
    executable = _compiled(str(path))
    executable.clear_parameters()
    for name, val in (params or {}).items():
        executable.set_parameter(name, value(val))
    try:
        result = executable.transform_to_string(xdm_node=node(source) if not isinstance(source, PyXdmValue) else source)
    except Exception as exc:
        raise XsltError(f"{path.name}: {exc}") from None
    if result is None:
        raise XsltError(f"{path.name}: transformation failed: {executable.error_message}")
    return result
