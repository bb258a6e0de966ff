"""The two URL forms of the DTS API: query parameters (`edition serve`) and static files (the build).

Both are RFC 6570 URI templates, as DTS 1.0 requires. The served form is the one of the
specification's examples (`/api/dts/navigation/{?resource,ref,down,...}`); the static form is
its "URI templates for static websites" (`/api/dts/navigation/{resource}{;down}{/ref}.json`),
where every URL a client can build is a file written by the build. A static URL maps to its
file by `static_file()`; the served and static answers come from the same builder
(responses.py), so they differ only in the templates they state.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    return uritemplate.expand(template, {k: str(v) for k, v in params.items() if v is not None})


def static_file(urls: Urls, url: str) -> PurePosixPath | None:
    """The file below the API folder that a static URL names; None if it would leave the folder
    (a reference with "/" or ".." cannot be a static file name)."""
    if not url.startswith(urls.root):
        return None
    parts = [unquote(p) for p in url[len(urls.root):].split("/")]
    if any(p in ("", ".", "..") or "/" in p or "\\" in p for p in parts):
        return None
    return PurePosixPath(*parts)
