"""`edition serve` answers the DTS API with query parameters at /api/dts/ (Level 0, like the files).

The entry point is `/api/dts/`, the endpoints `/api/dts/collection/`, `/api/dts/navigation/` and
`/api/dts/document/`; every other URL below /api/dts (the static files of the build) is served
as a file. The answers come from the edition as last built: the service is made again when the
preview has rebuilt the site (the html folder is swapped in whole, so its time changes).
"""

from __future__ import annotations

import threading

from tei_edition.config import Config
from tei_edition.interfaces.dts.responses import Answer, Service
from tei_edition.interfaces.dts.urls import Urls
from tei_edition.model.edition import Site

PREFIX = "/api/dts"
ENDPOINTS = ("", "collection", "navigation", "document")

_lock = threading.Lock()  # one request at a time builds or reads the service (the preview is local)
_current: dict[tuple, Service] = {}


def _service(config: Config) -> Service:
    from tei_edition.validate import index_edition

    site = config.output / "html"
    key = (str(config.path), site.stat().st_mtime_ns if site.exists() else 0)
    if key not in _current:
        _current.clear()
        indexed = index_edition(config)
        _current[key] = Service(Site(indexed.index), Urls.served(), config.html.base_url)
    return _current[key]


def answer(config: Config, path: str, query: dict[str, list[str]]) -> Answer | None:
    """The answer to a DTS request; None for the static files below /api/dts."""
    endpoint = path[len(PREFIX):].strip("/")
    if endpoint not in ENDPOINTS or (endpoint and not path.endswith("/")):
        return None
    params = {name: values[0] for name, values in query.items() if values}
    with _lock:
        return _service(config).answer(endpoint, params)
