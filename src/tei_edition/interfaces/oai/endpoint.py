"""`edition serve`'s /oai: OAI-PMH 2.0 over the built oai/static.xml and oai/sets.xml.

Registered in commands/serve.py. The files are read again only when a rebuild replaced them, so
a harvest sees one build's records from its first page to its last (a rebuild in between makes
the resumption token invalid, badResumptionToken, as OAI-PMH asks). ListRecords in `tei` sends
one TEI document a page: documents of one edition may share xml:ids, one response may not.
The files themselves stay downloadable below /oai/.
"""

from __future__ import annotations

import threading
from pathlib import Path

import oai_repo
from lxml import etree
from oai_repo.error import OAIErrorResponse
from oai_repo.exceptions import OAIError, OAIErrorBadArgument, OAIErrorBadResumptionToken, OAIErrorBadVerb
from oai_repo.resumption import ResumptionToken

from tei_edition.commands.endpoints import Response
from tei_edition.config import Config
from tei_edition.interfaces.oai.repository import TEI_FORMAT, Data, Repository, read_repository
from tei_edition.interfaces.oai.static import SETS_FILE, STATIC_FILE

PREFIX = "/oai"
XML = "text/xml; charset=utf-8"

_lock = threading.Lock()
_cache: dict[Path, tuple[tuple, Repository]] = {}


def _stamp(path: Path) -> tuple:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return ()
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


def repository(site: Path) -> Repository | None:
    """The repository of the built site, read once per build (a build replaces the folder)."""
    key = (_stamp(site), _stamp(site / STATIC_FILE), _stamp(site / SETS_FILE))
    if not key[1]:
        return None
    with _lock:
        cached = _cache.get(site)
        if cached is None or cached[0] != key:
            cached = _cache[site] = (key, read_repository(site))
        return cached[1]


def base_url(config: Config) -> str:
    """Where the endpoint answers: below [html] base-url when given, else on localhost."""
    return (config.html.base_url or "http://localhost/") + PREFIX.lstrip("/")


def answer(data: Data, query: dict[str, list[str]]) -> bytes:
    """The OAI-PMH response to one request, errors included."""
    repo = oai_repo.OAIRepository(data)
    if len(query.get("verb", [])) != 1:
        return _serialized(OAIErrorResponse(repo, OAIErrorBadVerb("The verb argument is missing or repeated.")))
    repeated = sorted(k for k, v in query.items() if len(v) > 1)
    if repeated:
        return _serialized(OAIErrorResponse(repo, OAIErrorBadArgument(f"Repeated argument: {', '.join(repeated)}.")))
    args = {k: v[0] for k, v in query.items()}
    if args["verb"] == "ListSets" and "resumptionToken" in args:
        # this repository never splits ListSets, so no token for it can be valid
        return _serialized(OAIErrorResponse(repo, OAIErrorBadResumptionToken("ListSets issues no resumption tokens.")))
    return _serialized(repo.process(args))


def _serialized(response) -> bytes:
    """The response as XML, not pretty-printed: indenting would change the text of mixed content."""
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(response.root(), encoding="UTF-8")


def handle(config: Config, path: str, query: dict[str, list[str]]) -> Response | None:
    if path.rstrip("/") != PREFIX:
        return None  # /oai/static.xml and /oai/sets.xml are files
    found = repository(config.output / "html")
    if found is None:
        return Response(503, "text/plain; charset=utf-8",
                        b"No OAI-PMH repository yet: the build writes html/oai/static.xml; wait for it or run "
                        b"`edition build`.\n")
    page = 1 if _prefix(query) == TEI_FORMAT.prefix and query.get("verb") == ["ListRecords"] else None
    return Response(200, XML, answer(Data(found, base_url(config), page or config.oai.page_size), query))


def _prefix(query: dict[str, list[str]]) -> str | None:
    """The metadataPrefix a request asks for, itself or in its resumption token."""
    if "resumptionToken" in query:
        token = ResumptionToken()
        try:
            token.parse(query["resumptionToken"][0])
        except OAIError:
            return None
        return (token.args or {}).get("metadataPrefix")
    return (query.get("metadataPrefix") or [None])[0]
