"""A client of InvenioRDM's records API (https://inveniordm.docs.cern.ch/reference/rest_api_drafts_records/).

Zenodo runs InvenioRDM, so the same calls serve zenodo.org, sandbox.zenodo.org and any other
instance: drafts (`POST /api/records`, `GET`/`PUT …/draft`), new versions (`POST …/versions`),
draft files in three steps (init, content, commit, which reports the stored file's MD5) and
publishing (`POST …/draft/actions/publish`). Every failure becomes an ApiError saying which
step failed and how; what the user should do about it is decided in messages.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import httpx

CHUNK = 1 << 20  # uploads are streamed from the file in pieces of 1 MiB


@dataclass
class ApiError(Exception):
    """A request that failed: `status` is None when no answer came (network, broken connection)."""

    step: str                    # "create the draft", "upload x.zip", ...
    status: int | None
    message: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # (metadata.title, "Missing data …")
    key: str | None = None       # the file, for upload steps

    def __str__(self) -> str:
        return f"{self.step}: {self.status or 'no answer'}: {self.message}"


def field_errors(errors) -> list[tuple[str, str]]:
    """InvenioRDM's `errors`: [{"field": "metadata.title", "messages": ["…"]}] (messages may nest)."""
    out = []
    for error in errors if isinstance(errors, list) else []:
        if not isinstance(error, dict):
            continue
        name = str(error.get("field") or "")
        messages = error.get("messages", error.get("message", ""))
        for text in _flatten(messages):
            out.append((name, text))
    return out


def _flatten(messages) -> Iterator[str]:
    if isinstance(messages, str):
        yield messages
    elif isinstance(messages, list):
        for m in messages:
            yield from _flatten(m)
    elif isinstance(messages, dict):
        for key, m in messages.items():
            yield from (f"{key}: {text}" for text in _flatten(m))


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as stream:
        while block := stream.read(CHUNK):
            yield block


class Invenio:
    """One repository, one token. `transport` replaces the network (the dry run prints instead)."""

    def __init__(self, base: str, token: str, transport: httpx.BaseTransport | None = None):
        self.base = base
        self.http = httpx.Client(base_url=base, transport=transport, follow_redirects=False,
                                 timeout=httpx.Timeout(120.0, connect=20.0),
                                 headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})

    def close(self) -> None:
        self.http.close()

    def _call(self, method: str, url: str, step: str, *, missing_ok: bool = False, key: str | None = None,
              **kwargs) -> dict | None:
        try:
            response = self.http.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise ApiError(step, None, f"no answer in time ({type(exc).__name__})", key=key) from None
        except httpx.HTTPError as exc:  # refused, reset, broken off mid-upload, DNS
            raise ApiError(step, None, str(exc) or type(exc).__name__, key=key) from None
        if response.status_code == 404 and missing_ok:
            return None
        try:
            data = response.json() if response.content else {}
        except ValueError:
            data = {}
        if response.status_code >= 300:  # redirects are not followed: they mean a wrong address or a login page
            message = data.get("message") if isinstance(data, dict) else None
            raise ApiError(step, response.status_code, str(message or response.reason_phrase),
                           field_errors(data.get("errors") if isinstance(data, dict) else None), key=key)
        return data if isinstance(data, dict) else {"entries": data}

    # -- records and drafts ----------------------------------------------------------------------

    def create_draft(self, body: dict) -> dict:
        return self._call("POST", "/api/records", "create the draft", json=body)

    def read_draft(self, record_id: str) -> dict | None:
        return self._call("GET", f"/api/records/{quote(record_id)}/draft", "read the draft", missing_ok=True)

    def read_record(self, record_id: str) -> dict | None:
        return self._call("GET", f"/api/records/{quote(record_id)}", "read the record", missing_ok=True)

    def update_draft(self, record_id: str, body: dict) -> dict:
        return self._call("PUT", f"/api/records/{quote(record_id)}/draft", "update the draft's metadata", json=body)

    def new_version(self, record_id: str) -> dict:
        return self._call("POST", f"/api/records/{quote(record_id)}/versions", "make a new version")

    def publish(self, record_id: str) -> dict:
        return self._call("POST", f"/api/records/{quote(record_id)}/draft/actions/publish", "publish the draft")

    # -- the draft's files ------------------------------------------------------------------------

    def files(self, record_id: str) -> list[dict]:
        data = self._call("GET", f"/api/records/{quote(record_id)}/draft/files", "list the draft's files")
        return list(data.get("entries") or [])

    def record_files(self, record_id: str) -> list[dict]:
        data = self._call("GET", f"/api/records/{quote(record_id)}/files", "list the record's files")
        return list(data.get("entries") or [])

    def delete_file(self, record_id: str, key: str) -> None:
        self._call("DELETE", self._file(record_id, key), f"remove {key} from the draft", key=key)

    def upload(self, record_id: str, key: str, path: Path) -> dict:
        """Init, content, commit: the committed entry, with the checksum the server computed."""
        self._call("POST", f"/api/records/{quote(record_id)}/draft/files", f"announce {key}", key=key,
                   json=[{"key": key}])
        size = path.stat().st_size
        self._call("PUT", self._file(record_id, key) + "/content", f"upload {key}", key=key,
                   content=_chunks(path),
                   headers={"Content-Type": "application/octet-stream", "Content-Length": str(size)})
        return self._call("POST", self._file(record_id, key) + "/commit", f"commit {key}", key=key)

    @staticmethod
    def _file(record_id: str, key: str) -> str:
        return f"/api/records/{quote(record_id)}/draft/files/{quote(key, safe='')}"
