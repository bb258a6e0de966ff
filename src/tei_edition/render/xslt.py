"""XSLT 3.0 through saxonche: one processor per process, each stylesheet compiled once.

Python passes each document (already parsed and checked by lxml, so Saxon never parses a
file from disk with its own entity handling) and the parameters; the stylesheet returns one
result, and Python decides where it is written.

`render()` runs a page stylesheet of the web or print edition layered for rendering: the
edition's profile (if any) over ours, and common/guard.xsl over both, which locates failures
in the TEI. Its xsl:messages come back with the result (`Rendered.messages`), never on stderr.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from lxml import etree
from saxonche import PySaxonProcessor, PyXdmValue

from tei_edition.render.messages import Message, read_messages
from tei_edition.resources import XSLT_DIR

GUARD = XSLT_DIR / "common" / "guard.xsl"


class XsltError(Exception):
    """A stylesheet failed to compile or to run; the message names the stylesheet."""

    def __init__(self, text: str, messages: tuple[Message, ...] = ()):
        super().__init__(text)
        self.messages = messages  # what the stylesheet said before it failed (with the failure's place)


@dataclass(frozen=True)
class Rendered:
    """A page's markup and the stylesheet's messages about it."""

    text: str
    messages: tuple[Message, ...] = ()


@lru_cache(maxsize=1)
def processor() -> PySaxonProcessor:
    return PySaxonProcessor(license=False)


@lru_cache(maxsize=None)
def _compiled(path: str, profile: str = "", guarded: bool = False, version: str = ""):
    """`path` compiled (with `profile` over it and the guard over both, when asked); `version`
    (the profile's digest) compiles an edited profile again in a long-lived process."""
    xslt = processor().new_xslt30_processor()
    try:
        if guarded:
            executable = xslt.compile_stylesheet(stylesheet_text=layered(Path(path), Path(profile) if profile else None))
        else:
            executable = xslt.compile_stylesheet(stylesheet_file=path)
    except Exception as exc:  # saxonche raises PySaxonApiError with Saxon's message
        raise XsltError(f"{profile or path}: cannot compile stylesheet: {exc}") from None
    if executable is None:
        raise XsltError(f"{profile or path}: cannot compile stylesheet: {xslt.error_message}")
    executable.set_save_xsl_message(True)  # read back by read_messages(), never printed
    return executable


def layered(stylesheet: Path, profile: Path | None) -> str:
    """The stylesheet compiled for rendering: ours, the edition's profile imported after it (so
    its templates win), and the guard included (so its template wins over both)."""
    imports = [stylesheet] + ([profile] if profile is not None else [])
    lines = ['<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">']
    lines += [f"  <xsl:import href={quoteattr(p.resolve().as_uri())}/>" for p in imports]
    lines += [f"  <xsl:include href={quoteattr(GUARD.resolve().as_uri())}/>", "</xsl:stylesheet>"]
    return "\n".join(lines)


def node(xml: etree._Element | etree._ElementTree | str | bytes):
    """An XDM document node from an lxml tree/element or serialized XML."""
    if isinstance(xml, (etree._Element, etree._ElementTree)):
        xml = etree.tostring(xml, encoding="unicode")
    elif isinstance(xml, bytes):
        xml = xml.decode("utf-8")
    return processor().parse_xml(xml_text=xml)


def node_file(path: str) -> Any:
    """An XDM document node from an XML file (nothing in it may depend on its base URI)."""
    return processor().parse_xml(xml_file_name=str(path))


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
    return _run(_path(stylesheet), _compiled(str(_path(stylesheet))), source, params).text


def render(stylesheet: str | Path, source, params: dict[str, Any] | None = None,
           profile: Path | None = None, version: str = "") -> Rendered:
    """Render a page: `stylesheet` with the edition's `profile` (of digest `version`) over it and
    the guard; the result and the messages. A failure raises XsltError whose `messages` include
    its place in `source`."""
    path = _path(stylesheet)
    return _run(path, _compiled(str(path), str(profile or ""), True, version), source, params)


def check(stylesheet: str | Path, profile: Path | None = None, version: str = "") -> None:
    """Compile `stylesheet` as render() will (with `profile`); XsltError when it cannot be."""
    _compiled(str(_path(stylesheet)), str(profile or ""), True, version)


def _path(stylesheet: str | Path) -> Path:
    path = Path(stylesheet)
    return path if path.is_absolute() else XSLT_DIR / path


def _run(path: Path, executable, source, params: dict[str, Any] | None) -> Rendered:
    executable.clear_parameters()
    executable.clear_xsl_messages()
    for name, val in (params or {}).items():
        executable.set_parameter(name, value(val))
    try:
        result = executable.transform_to_string(xdm_node=node(source) if not isinstance(source, PyXdmValue) else source)
    except Exception as exc:
        raise XsltError(f"{path.name}: {str(exc).strip()}", read_messages(executable.get_xsl_messages())) from None
    if result is None:
        raise XsltError(f"{path.name}: transformation failed: {executable.error_message}",
                        read_messages(executable.get_xsl_messages()))
    return Rendered(result, read_messages(executable.get_xsl_messages()))
