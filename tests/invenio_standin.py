"""A stand-in for an InvenioRDM server (Zenodo included), for tests: no repository is reachable here.

It follows the documented records API (https://inveniordm.docs.cern.ch/reference/rest_api_drafts_records/):
`POST /api/records` makes a draft; `GET`/`PUT /api/records/{id}/draft`; `GET /api/records/{id}`
(published records only); `POST /api/records/{id}/versions` (a published record's next version,
or the open one, as InvenioRDM answers); draft files in three steps (`POST …/draft/files` with
`[{"key": …}]`, `PUT …/files/{key}/content`, `POST …/files/{key}/commit`, which reports
`checksum: "md5:…"`), `DELETE …/files/{key}`; `GET /api/records/{id}/files` (a published
record's); `POST …/draft/actions/publish` (202), which
refuses, like InvenioRDM, a draft with missing required metadata (400 with field errors) or
with a file not committed. Bearer tokens are checked (401).

It keeps records, drafts, files and versions in memory, and can be told to fail: `fail(method,
path regex, status)` answers a request with that status (and `fields` as InvenioRDM's field
errors), status "drop" reads part of an upload and closes the connection, "lost" does what was
asked but closes the connection instead of answering, "corrupt" stores a committed file with
other bytes than were sent. Every metadata payload is validated against
InvenioRDM's record JSON schema; the violations are kept in `schema_errors`.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

MESSAGES = {400: "A validation error occurred.", 401: "Unauthorized", 403: "Permission denied.", 404: "Not found.",
            413: "Request Entity Too Large", 422: "Unprocessable Entity"}
REQUIRED = ("resource_type", "title", "publication_date", "creators", "publisher")  # InvenioRDM's, on publish


def missing_fields(metadata: dict) -> list[dict]:
    return [{"field": f"metadata.{name}", "messages": ["Missing data for required field."]}
            for name in REQUIRED if not metadata.get(name)]


@dataclass
class Failure:
    method: str
    path: re.Pattern
    status: int | str
    fields: list[dict] = field(default_factory=list)
    times: int = 1


class StandIn:
    def __init__(self, token: str, validator):
        self.token, self.validator = token, validator
        self.drafts: dict[str, dict] = {}
        self.records: dict[str, dict] = {}
        self.files: dict[str, dict[str, dict]] = {}  # draft id → key → entry (with "data")
        self.parents: dict[str, list[str]] = {}      # parent id → record ids, oldest first
        self.failures: list[Failure] = []
        self.schema_errors: list[str] = []
        self.requests: list[tuple[str, str]] = []
        self.next_id = 1000
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail(self, method: str, path: str, status: int | str, fields: list[dict] | None = None, times: int = 1):
        self.failures.append(Failure(method, re.compile(path), status, fields or [], times))

    def failure_for(self, method: str, path: str) -> Failure | None:
        for failure in self.failures:
            if failure.times and failure.method == method and failure.path.search(path):
                failure.times -= 1
                return failure
        return None

    def new_id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def check_schema(self, body: dict) -> None:
        self.schema_errors += [f"{'/'.join(map(str, e.path))}: {e.message}" for e in self.validator.iter_errors(body)]

    def links(self, rid: str, published: bool) -> dict:
        api = f"{self.url}/api/records/{rid}"
        page = f"{self.url}/records/{rid}" if published else f"{self.url}/uploads/{rid}"
        return {"self": api if published else f"{api}/draft", "self_html": page, "files": f"{api}/draft/files",
                "publish": f"{api}/draft/actions/publish", "versions": f"{api}/versions"}

    def draft_json(self, rid: str) -> dict:
        """A draft as InvenioRDM answers: saved even when incomplete, its problems listed in `errors`."""
        draft = self.drafts[rid]
        errors = missing_fields(draft.get("metadata", {}))
        return {**draft, "id": rid, "is_published": False, "is_draft": True, "links": self.links(rid, False),
                **({"errors": errors} if errors else {})}

    def entry(self, rid: str, key: str) -> dict:
        return {k: v for k, v in self.files[rid][key].items() if k != "data"}


def _handler(server: StandIn):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def send(self, status: int, body=None) -> None:
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def error(self, status: int, message: str, errors: list | None = None) -> None:
            self.send(status, {"status": status, "message": message, **({"errors": errors} if errors else {})})

        def body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def do_GET(self):
            self.route("GET")

        def do_POST(self):
            self.route("POST")

        def do_PUT(self):
            self.route("PUT")

        def do_DELETE(self):
            self.route("DELETE")

        def route(self, method: str) -> None:
            path = unquote(self.path)
            server.requests.append((method, path))
            if self.headers.get("Authorization") != f"Bearer {server.token}":
                self.body()
                return self.error(401, "The server could not verify that you are authorized to access the URL "
                                       "requested.")
            failure = server.failure_for(method, path)
            if failure and failure.status == "drop":
                self.rfile.read(min(1024, int(self.headers.get("Content-Length") or 0)))
                self.close_connection = True
                self.connection.shutdown(2)  # the connection breaks off mid-upload
                return None
            if failure and failure.status == "lost":
                with server.lock:
                    self.wfile = io.BytesIO()  # the answer is made, then lost with the connection
                    self.api(method, path, corrupt=False)
                self.close_connection = True
                self.connection.shutdown(2)
                return None
            if failure and failure.status != "corrupt":
                self.body()
                return self.error(failure.status, MESSAGES.get(failure.status, "Internal server error"), failure.fields)
            with server.lock:
                return self.api(method, path, corrupt=failure is not None)

        def api(self, method: str, path: str, corrupt: bool) -> None:
            parts = path.removeprefix("/api/records").strip("/").split("/") if path.startswith("/api/records") else []
            rid = parts[0] if parts and parts[0] else None
            rest = parts[1:]
            if method == "POST" and rid is None:
                body = json.loads(self.body())
                server.check_schema(body)
                rid = server.new_id()
                server.drafts[rid] = {**body, "parent": {"id": rid}}
                server.files[rid] = {}
                return self.send(201, server.draft_json(rid))
            if rid is None:
                return self.error(404, "Not found.")
            if rest == ["draft"] and method == "GET":
                return self.send(200, server.draft_json(rid)) if rid in server.drafts else self.error(404, "Not found.")
            if rest == ["draft"] and method == "PUT":
                body = json.loads(self.body())
                server.check_schema(body)
                if rid not in server.drafts:
                    return self.error(404, "Not found.")
                server.drafts[rid] = {**body, "parent": server.drafts[rid]["parent"]}
                return self.send(200, server.draft_json(rid))
            if rest == [] and method == "GET":
                record = server.records.get(rid)
                return self.send(200, record) if record else self.error(404, "Not found.")
            if rest == ["files"] and method == "GET":
                if rid not in server.records:
                    return self.error(404, "Not found.")
                return self.send(200, {"entries": [server.entry(rid, k) for k in server.files[rid]], "enabled": True})
            if rest == ["versions"] and method == "POST":
                return self.new_version(rid)
            if rest[:2] == ["draft", "files"]:
                return self.files(method, rid, rest[2:], corrupt)
            if rest == ["draft", "actions", "publish"] and method == "POST":
                return self.publish(rid)
            return self.error(405, "Method not allowed.")

        def new_version(self, rid: str) -> None:
            record = server.records.get(rid)
            if record is None:
                return self.error(404, "Not found.")
            parent = record["parent"]["id"]
            open_drafts = [d for d, draft in server.drafts.items() if draft["parent"]["id"] == parent]
            if open_drafts:  # InvenioRDM answers with the next version's draft when there is one
                return self.send(201, server.draft_json(open_drafts[0]))
            new = server.new_id()
            metadata = {k: v for k, v in record["metadata"].items() if k not in ("publication_date", "version")}
            server.drafts[new] = {"access": record["access"], "files": {"enabled": True}, "metadata": metadata,
                                  "parent": {"id": parent}}
            server.files[new] = {}  # files are not carried over into a new version
            return self.send(201, server.draft_json(new))

        def files(self, method: str, rid: str, rest: list[str], corrupt: bool) -> None:
            if rid not in server.drafts:  # a published record's files cannot change
                self.body()
                return self.error(404, "Not found.")
            files = server.files[rid]
            if not rest and method == "GET":
                return self.send(200, {"entries": [server.entry(rid, k) for k in files], "enabled": True})
            if not rest and method == "POST":
                keys = [item["key"] for item in json.loads(self.body())]
                if any(k in files for k in keys):
                    return self.error(400, "File with key already exists.")
                for key in keys:
                    files[key] = {"key": key, "status": "pending", "links": {}}
                return self.send(201, {"entries": [server.entry(rid, k) for k in keys]})
            key = rest[0]
            if key not in files:
                self.body()
                return self.error(404, "File not found.")
            if rest[1:] == [] and method == "DELETE":
                del files[key]
                return self.send(204)
            if rest[1:] == ["content"] and method == "PUT":
                data = self.body()
                files[key]["data"] = data + b"!" if corrupt else data
                return self.send(200, server.entry(rid, key))
            if rest[1:] == ["commit"] and method == "POST":
                self.body()
                data = files[key].get("data", b"")
                files[key].update(status="completed", size=len(data), checksum=f"md5:{hashlib.md5(data).hexdigest()}")
                return self.send(200, server.entry(rid, key))
            return self.error(405, "Method not allowed.")

        def publish(self, rid: str) -> None:
            self.body()
            if rid not in server.drafts:
                return self.error(404, "Not found.")
            draft = server.drafts[rid]
            errors = missing_fields(draft.get("metadata", {}))
            if any(f["status"] != "completed" for f in server.files[rid].values()):
                errors.append({"field": "files.enabled", "messages": ["Files must be committed before publishing."]})
            if errors:
                return self.error(400, "A validation error occurred.", errors)
            record = {**draft, "id": rid, "is_published": True, "is_draft": False, "links": server.links(rid, True),
                      "pids": {"doi": {"identifier": f"10.5072/zenodo.{rid}", "provider": "datacite"}}}
            server.records[rid] = record
            server.parents.setdefault(draft["parent"]["id"], []).append(rid)
            del server.drafts[rid]
            return self.send(202, record)

    return Handler
