"""`edition deposit --to … --dry-run`: the requests a deposit would send, printed, nothing sent.

An httpx transport in place of the network: the client and the deposit steps run unchanged, so
what is printed is exactly what would be sent (the token shown as ***). The answers are what a
repository gives when everything goes well; ids it would assign are written NEW-DRAFT-ID.
"""

from __future__ import annotations

import hashlib
import json
from typing import Callable

import httpx

NEW_DRAFT = "NEW-DRAFT-ID"


class DryRun(httpx.BaseTransport):
    def __init__(self, log: Callable[[str], None]):
        self.log = log
        self.files: dict[str, dict] = {}  # key → the entry a commit would report

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        self.log(f"{request.method} {request.url}")
        for name, value in request.headers.items():
            if name.lower() in ("authorization", "content-type", "content-length"):
                self.log(f"  {name.title()}: {'Bearer ***' if name.lower() == 'authorization' else value}")
        if request.headers.get("content-type") == "application/json" and body:
            self.log("  " + json.dumps(json.loads(body), indent=2, ensure_ascii=False).replace("\n", "\n  "))
        elif body:
            self.log(f"  <{len(body)} bytes, md5:{hashlib.md5(body).hexdigest()}>")
        return httpx.Response(201 if request.method == "POST" else 200, json=self.answer(request, body))

    def answer(self, request: httpx.Request, body: bytes):
        path = request.url.path.removeprefix("/api/records").strip("/").split("/")
        record = path[0] if path[0] else NEW_DRAFT
        links = {"self_html": f"{request.url.scheme}://{request.url.netloc.decode()}/uploads/{record}"}
        if path[-1] == "files" and request.method == "POST":
            keys = [item["key"] for item in json.loads(body)]
            return {"entries": [{"key": key, "status": "pending"} for key in keys]}
        if path[-1] == "files":
            return {"entries": list(self.files.values())}
        if path[-1] == "content":
            self.files[path[-2]] = {"key": path[-2], "status": "completed", "size": len(body),
                                    "checksum": f"md5:{hashlib.md5(body).hexdigest()}"}
            return {"key": path[-2], "status": "pending"}
        if path[-1] == "commit":
            return self.files[path[-2]]
        if path[-1] == "versions":
            return {"id": NEW_DRAFT, "links": {**links, "self_html": links["self_html"].replace(record, NEW_DRAFT)}}
        if path[-1] == "publish":
            return {"id": record, "links": {"self_html": links["self_html"].replace("/uploads/", "/records/")}}
        return {"id": record, "links": links}
