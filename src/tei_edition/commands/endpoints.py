"""Dynamic endpoints of `edition serve` (APIs that take query parameters), by URL path prefix.

The preview serves the built site as files; an endpoint answers the URLs below its prefix
instead (say `/oai`, `/api/dts`), from the current config and the built output. Register one in
ENDPOINTS with its prefix; the handler returns a Response, or None to fall back to the files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from tei_edition.config import Config
from tei_edition.interfaces.dts import served as dts


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


# handler(config, path, query): path without the query string, query as parse_qs gives it
Handler = Callable[[Config, str, dict[str, list[str]]], "Response | None"]


def _dts(config: Config, path: str, query: dict[str, list[str]]) -> Response | None:
    answer = dts.answer(config, path, query)
    return None if answer is None else Response(answer.status, answer.media_type, answer.body, dict(answer.headers))


# path prefix → handler; the longest matching prefix wins
ENDPOINTS: dict[str, Handler] = {dts.PREFIX: _dts}


def find_handler(path: str) -> Handler | None:
    """The handler of the longest prefix that `path` is, or lies below."""
    for prefix in sorted(ENDPOINTS, key=len, reverse=True):
        if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
            return ENDPOINTS[prefix]
    return None
