"""The two URL forms of the DTS API: query parameters (`edition serve`) and static files (the build).

Both are RFC 6570 URI templates, as DTS 1.0 requires. The served form is the one of the
specification's examples (`/api/dts/navigation/{?resource,ref,down,...}`); the static form is
its "URI templates for static websites" (`/api/dts/navigation/{resource}{;down}{/ref}.json`),
where every URL a client can build is a file written by the build. A static URL maps to its
file by `static_file()`; the served and static answers come from the same builder
(responses.py), so they differ only in the templates they state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urlsplit

import uritemplate

API = "api/dts/"


def _q(value: str) -> str:
    return quote(value, safe="")


@dataclass(frozen=True)
class Urls:
    root: str          # the API's path, "/api/dts/" or below the edition's base path
    static: bool

    @classmethod
    def served(cls) -> "Urls":
        return cls("/" + API, False)

    @classmethod
    def published(cls, base_url: str) -> "Urls":
        """The static form below the path of the edition's base URL ("/" when it has none)."""
        base = urlsplit(base_url).path or "/"
        return cls(base.rstrip("/") + "/" + API, True)

    # -- the entry point's templates ------------------------------------------------------------

    @property
    def entry(self) -> str:
        return self.root + ("index.json" if self.static else "")

    @property
    def collection(self) -> str:
        return self.root + ("collection{/id,nav}.json" if self.static else "collection/{?id,nav}")

    @property
    def navigation(self) -> str:
        return self.root + ("navigation/{resource}{;down}{/ref}.json" if self.static
                            else "navigation/{?resource,ref,start,end,down,tree}")

    @property
    def document(self) -> str:
        return self.root + ("document/{resource}{/ref}.xml" if self.static
                            else "document/{?resource,ref,start,end,tree,mediaType}")

    # -- one collection's or resource's templates (its identifier filled in) --------------------

    def collection_of(self, ident: str) -> str:
        return self.root + (f"collection/{_q(ident)}{{/nav}}.json" if self.static
                            else f"collection/?id={_q(ident)}{{&nav}}")

    def navigation_of(self, resource: str) -> str:
        return self.root + (f"navigation/{_q(resource)}{{;down}}{{/ref}}.json" if self.static
                            else f"navigation/?resource={_q(resource)}{{&ref,start,end,down,tree}}")

    def document_of(self, resource: str) -> str:
        return self.root + (f"document/{_q(resource)}{{/ref}}.xml" if self.static
                            else f"document/?resource={_q(resource)}{{&ref,start,end,tree,mediaType}}")


def expand(template: str, **params) -> str:
    """The URL of a request: the template with the parameters that are given."""
    return compiled(template)({k: str(v) for k, v in params.items() if v is not None})


# RFC 6570 level 3 operators whose values allow unreserved characters only (all this API's
# templates use): operator → (first, separator, named, if empty)
_OPERATORS = {"": ("", ",", False, ""), "/": ("/", "/", False, ""), ";": (";", ";", True, ""),
              "?": ("?", "&", True, "="), "&": ("&", "&", True, "=")}
_EXPRESSION = re.compile(r"\{([^{}]*)\}")
_NAMES = re.compile(r"[A-Za-z0-9_]+(?:,[A-Za-z0-9_]+)*")


@lru_cache(maxsize=256)
def compiled(template: str):
    """`template` as a function of its parameters (strings): parsed once, as the static files
    need it ~100,000 times per build; anything beyond the operators above goes to uritemplate
    (tests/test_dts_urls.py checks both give the same URLs)."""
    parts: list = []
    at = 0
    for match in _EXPRESSION.finditer(template):
        body = match.group(1)
        operator = body[:1] if body[:1] in _OPERATORS and body[:1] != "" else ""
        names = body[len(operator):]
        if not _NAMES.fullmatch(names):
            return lambda values: uritemplate.expand(template, values)
        parts += [template[at:match.start()], (_OPERATORS[operator], tuple(names.split(",")))]
        at = match.end()
    parts.append(template[at:])

    def fill(values: dict[str, str]) -> str:
        out = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
                continue
            (first, separator, named, if_empty), names = part
            given = [(n, values[n]) for n in names if values.get(n) is not None]
            if given:
                out.append(first + separator.join(
                    (f"{n}={quote(v, safe='')}" if v else n + if_empty) if named else quote(v, safe="")
                    for n, v in given))
        return "".join(out)
    return fill


def static_file(urls: Urls, url: str) -> PurePosixPath | None:
    """The file below the API folder that a static URL names; None if it would leave the folder
    (a reference with "/" or ".." cannot be a static file name)."""
    name = static_name(urls, url)
    return PurePosixPath(name) if name is not None else None


def static_name(urls: Urls, url: str) -> str | None:
    """static_file() as a string ("/" between its parts)."""
    if not url.startswith(urls.root):
        return None
    parts = [unquote(p) for p in url[len(urls.root):].split("/")]
    if any(p in ("", ".", "..") or "/" in p or "\\" in p for p in parts):
        return None
    return "/".join(parts)
