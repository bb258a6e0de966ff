"""`edition serve`: preview the HTML edition on localhost, rebuilt whenever a TEI file is saved.

Two threads beside the main one:
- an HTTP server (standard library) on 127.0.0.1 that serves the output's html/ folder;
- a watcher (watchfiles) on the folders of the edition's TEI files, its schemas and its config;
  after each burst of saves it rebuilds the HTML with `build(only=["html", "search"])` and logs
  one line with the reason (which files changed). So that an edit shows at once, the pages are
  published first with the last search index (`options={"search": "later"}`), and the shards of
  the index whose pages changed are re-indexed right after (`reindex_published`, a second line).

A save that breaks a file (not well-formed, invalid, a dangling pointer) shows the errors in the
log and the site keeps its last good pages: the build stops before writing, and writers replace
their output folder only whole (`atomic_output`). The config is re-read on each rebuild, so new
files matching its patterns are picked up.
"""

from __future__ import annotations

import functools
import gc
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import parse_qs, urlsplit

from tei_edition.build import build
from tei_edition.cache.store import deferred_saves, keep_in_memory
from tei_edition.commands.endpoints import ENDPOINTS, Response, find_handler
from tei_edition.config import Config, ConfigError, load_config
from tei_edition.diagnostics import display_path
from tei_edition.model.warm import WarmState
from tei_edition.interfaces.oai import endpoint as oai_endpoint
from tei_edition.runtime.lock import OutputBusy, hold
from tei_edition.search.pagefind import SearchError, reindex_published
from tei_edition.writers.html.extras import SiteFilesError, publish_machine_files
from tei_edition.validate import SchemaLoadError
from tei_edition.validate.schemas import load_check

PREVIEW_OUTPUTS = ["html", "search"]
MAX_FORM = 1 << 20  # bytes of a POSTed form (OAI-PMH arguments are short)
ENDPOINTS[oai_endpoint.PREFIX] = oai_endpoint.handle
SCHEMA_SUFFIXES = {".xsd", ".sch", ".rng"}
WATCHED_SUFFIXES = {".xml", ".toml"} | SCHEMA_SUFFIXES


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without a log line per request (the log is for rebuilds), and the endpoints."""

    def __init__(self, *args, config: Callable[[], Config], **kwargs):
        self.config = config  # the preview's current config (re-read on each rebuild)
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 (the base class's name)
        url = urlsplit(self.path)
        if not self._answer(url.path, parse_qs(url.query)):
            super().do_GET()

    def do_POST(self) -> None:  # noqa: N802 (the base class's name)
        """Endpoints take their arguments as a form too (OAI-PMH asks for GET and POST)."""
        url = urlsplit(self.path)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_FORM:
            self.send_error(400, f"a form needs a Content-Length from 0 to {MAX_FORM} bytes")
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        if not self._answer(url.path, parse_qs(body)):
            self.send_error(405, "only the endpoints take POST")

    def _answer(self, path: str, query: dict[str, list[str]]) -> bool:
        """Send the endpoint's response for `path`; False when no endpoint answers it."""
        handler = find_handler(path)
        try:
            response = handler(self.config(), path, query) if handler is not None else None
        except Exception as exc:  # an endpoint's failure is an answer, never a dropped connection
            response = Response(500, "text/plain; charset=utf-8",
                                f"error: {type(exc).__name__}: {exc}; see the preview's log\n".encode("utf-8"))
        if response is None:
            return False
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(response.body)
        return True

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a reload always shows the latest build
        super().end_headers()


def watched_paths(config: Config) -> list[Path]:
    """The folders holding the edition's TEI files and schemas, plus the config file itself.

    Folders, not files, so that new documents and editors' save-by-rename are seen; a folder
    inside another one is left out (watching is recursive).
    """
    folders = {p.parent for p in config.all_files()} | {p.parent for p in config.schemas}
    folders = {f for f in folders if f.is_dir()}
    top = [f for f in sorted(folders) if not any(f != g and f.is_relative_to(g) for g in folders)]
    return top + [config.path]


def relevant(changed: Path, config: Config) -> bool:
    return (changed.suffix in WATCHED_SUFFIXES and not changed.name.startswith(".")
            and not changed.resolve().is_relative_to(config.output.resolve()))


def keeps_config(config: Config, changed: list[Path] | None) -> bool:
    """Whether a rebuild after saves of `changed` can keep `config` as loaded: each changed file
    is one of its documents and still there, and the config file is not among them. Otherwise
    it is read again: a new or removed file changes what its patterns match (reading it means
    looking at every file the patterns match, 0.3 s at 10,000 documents)."""
    if not changed:
        return False
    known = {str(p) for p in config.all_files()}
    return all(str(p.resolve()) in known and p.is_file() and p.resolve() != config.path.resolve() for p in changed)


class Preview:
    """The running preview: `start()`, then `url`; `stop()` ends both threads."""

    def __init__(self, config: Config, port: int = 8000, log: Callable[[str], None] = print):
        self.config = config
        self.log = log
        self.site = config.output / "html"
        handler = functools.partial(QuietHandler, directory=str(self.site), config=lambda: self.config)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.port = self.httpd.server_address[1]
        self.stopping = threading.Event()
        self.rebuilds = 0  # finished rebuilds, good or bad (tests wait on it)
        self.warm = WarmState()  # the corpus and index, kept between rebuilds (model/warm.py)
        keep_in_memory()  # and the build cache's records (cache/store.py)
        self.ready = threading.Event()  # the watcher is watching
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        self.rebuild("first build")
        self._threads = [threading.Thread(target=self.httpd.serve_forever, name="edition-serve-http", daemon=True),
                         threading.Thread(target=self._watch, name="edition-serve-watch", daemon=True)]
        for thread in self._threads:
            thread.start()
        if not self.ready.wait(timeout=60):
            self.log("warning: the file watcher has not started after 60 s; saves may not be seen yet")

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=10)

    def _watch(self) -> None:
        from watchfiles import watch

        paths = watched_paths(self.config)
        self.log(f"watching {', '.join(display_path(p) for p in paths)}")
        # watchfiles groups the events of one save (temp file, rename, ...) into one batch
        for changes in watch(*paths, stop_event=self.stopping, debounce=200, step=50, rust_timeout=200,
                             yield_on_timeout=True):
            self.ready.set()
            changed = sorted({Path(p) for _, p in changes if relevant(Path(p), self.config)})
            if any(p.suffix in SCHEMA_SUFFIXES for p in changed):
                load_check.cache_clear()  # schemas are compiled once per process: recompile the edited one
            if changed and not self.stopping.is_set():
                self.rebuild(", ".join(display_path(p) for p in changed) + " changed", changed)

    def rebuild(self, reason: str, changed: list[Path] | None = None) -> None:
        """Rebuild the HTML; one log line when it works, the errors and one line when it does not.
        The pages go out first, then the search index and the machine interfaces are brought up
        to date; the build cache's records are written last (cache.store.deferred_saves).
        `changed`: the files the watcher saw change (None: unknown, the config is read again)."""
        started = time.perf_counter()
        lines: list[str] = []
        with deferred_saves() as save_records:
            try:
                if not keeps_config(self.config, changed):
                    self.config = load_config(self.config.path)
                code = build(self.config, only=PREVIEW_OUTPUTS, log=lines.append,
                             options={"search": "later", "machine": "later"}, warm=self.warm)
            except ConfigError as exc:
                lines, code = list(exc.problems), 2
            except (SchemaLoadError, OutputBusy) as exc:
                lines, code = [f"error: {exc}"], 2
            except Exception as exc:  # a writer's bug must not end the preview
                lines, code = [f"error: the HTML writer failed: {type(exc).__name__}: {exc}"], 2
            seconds = time.perf_counter() - started
            clock = time.strftime("%H:%M:%S")
            if code == 0:
                warnings = next((ln for ln in lines if ln.endswith("warning(s)")), "")
                extra = f"; {warnings.split(', ')[-1]}" if warnings and not warnings.endswith(" 0 warning(s)") else ""
                self.log(f"{clock} rebuilt html in {seconds:.1f} s ({reason}){extra}")
                self._reindex()
                self._publish_machine_files()
            try:  # also after a failed build: its validation results are worth keeping
                with hold(self.config.output):
                    save_records()
            except OutputBusy:
                pass  # another build holds the output: its records describe it, not these
            # a full collection now, while the editor reads the page, rather than in the next rebuild:
            # the objects this build left would otherwise trigger one there (seconds at 10,000 documents)
            gc.collect()
        if code != 0:
            for line in errors_only(lines):
                self.log(line)
            self.log(f"{clock} rebuild failed ({reason}): fix the errors above; "
                     f"{self.url} keeps the last good pages")
        self.rebuilds += 1

    def _reindex(self) -> None:
        """Re-index the search shards whose pages the rebuild changed, and publish them."""
        started = time.perf_counter()
        try:
            with hold(self.config.output):
                outcome = reindex_published(self.site, cache=self.config.output)
        except (SearchError, OutputBusy) as exc:
            self.log(f"error: the search index was not updated: {exc}; the pages are, and search finds the "
                     "words of the last good index")
            return
        if outcome.indexed:
            self.log(f"{time.strftime('%H:%M:%S')} search index updated in {time.perf_counter() - started:.1f} s "
                     f"({outcome.indexed} of {outcome.indexed + outcome.reused} shard(s) re-indexed)")

    def _publish_machine_files(self) -> None:
        """Bring the machine interfaces (DTS, OAI-PMH, linked data, CMIF) up to date with the
        pages just published (writers/html/extras.py)."""
        if self.warm.corpus is None or self.warm.index is None:
            return
        started = time.perf_counter()
        try:
            with hold(self.config.output):
                publish_machine_files(self.config, self.warm.corpus, self.warm.index)
        except SiteFilesError as exc:
            for line in errors_only([d.format() for d in exc.diagnostics]):
                self.log(line)
            self.log("error: the machine interfaces (DTS, OAI-PMH, linked data) were not updated; the pages are")
            return
        except OutputBusy as exc:
            self.log(f"error: the machine interfaces were not updated: {exc}")
            return
        self.log(f"{time.strftime('%H:%M:%S')} machine interfaces updated in {time.perf_counter() - started:.1f} s")


def errors_only(lines: list[str]) -> list[str]:
    """The error messages (with their hints) of a build log; warnings wait for `edition validate`."""
    out, keep = [], False
    for line in "\n".join(lines).splitlines():
        if line.startswith("    hint:"):
            if keep:
                out.append(line)
            continue
        keep = ": error: " in line or line.startswith("error: ")
        if keep:
            out.append(line)
    return out


def serve_command(config: Config, port: int = 8000, log: Callable[[str], None] = print) -> int:
    try:
        preview = Preview(config, port, log)
    except OSError as exc:
        log(f"error: cannot serve on 127.0.0.1:{port}: {exc.strerror}; choose another --port")
        return 2
    preview.start()
    log(f"serving {display_path(preview.site)} on {preview.url} (Ctrl+C stops)")
    try:
        while not preview.stopping.wait(0.5):
            pass
    except KeyboardInterrupt:
        log("stopping")
    finally:
        preview.stop()
    return 0


def wait_for(condition: Callable[[], bool], timeout: float, every: float = 0.1) -> bool:
    """Poll `condition` until it holds or `timeout` seconds pass (for tests and scripts)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()


__all__: Iterable[str] = ("Preview", "serve_command", "watched_paths")
