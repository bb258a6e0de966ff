"""Dynamic endpoints of `edition serve` (APIs that take query parameters), by URL path prefix.

The preview serves the built site as files; an endpoint answers the URLs below its prefix
instead (say `/oai`, `/api/dts`), from the current config and the built output. Register one in
ENDPOINTS with its prefix; the handler returns a Response, or None to fall back to the files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from tei_edition.config import Config


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


# handler(config, path, query): path without the query string, query as parse_qs gives it
Handler = Callable[[Config, str, dict[str, list[str]]], "Response | None"]

# path prefix → handler; the longest matching prefix wins
ENDPOINTS: dict[str, Handler] = {}


def find_handler(path: str) -> Handler | None:
    """The handler of the longest prefix that `path` is, or lies below."""
    for prefix in sorted(ENDPOINTS, key=len, reverse=True):
        if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
            return ENDPOINTS[prefix]
    return None
