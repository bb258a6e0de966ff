"""`edition deposit --to REPOSITORY`: the built, checked package into an InvenioRDM record.

    draft (new record | the open draft again | a new version of the record) → metadata
    → files (zip, PDF volume): skip those already complete with the right MD5, upload the rest
    → compare the MD5s the server reports with ours → publish only with --publish

The record's id is kept in deposit-records.json (state.py) the moment the server gives it, so a
deposit that breaks off anywhere is resumed by running the same command again, and the next
deposit makes a new version of the same record, never a second record. Nothing is published
unless every file is on the server with the checksum we sent.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tei_edition.config import Config
from tei_edition.diagnostics import Diagnostic, display_path, format_text
from tei_edition.repository import metadata, state
from tei_edition.repository.dryrun import DryRun
from tei_edition.repository.invenio import ApiError, Invenio, field_errors
from tei_edition.repository.messages import RESUME, checksum_mismatch, diagnose
from tei_edition.repository.target import Target
from tei_edition.runtime.lock import OutputBusy, hold


@dataclass(frozen=True)
class Upload:
    key: str    # the file's name in the record
    path: Path
    md5: str


class _Stop(Exception):
    def __init__(self, problems: list[Diagnostic], code: int = 2):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems, self.code = problems, code


def md5_of(path: Path) -> str:
    digest = hashlib.md5()
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def missing_token(target: Target, dry_run: bool) -> str | None:
    """The usage error when no token is set (checked before the package is built)."""
    if dry_run or target.token():
        return None
    return (f"error: no token for {target.host}: set the environment variable {target.token_variable} to a "
            f"personal access token made at {target.base}/account/settings/applications/ (scopes deposit:write "
            "and deposit:actions); it is never read from edition.toml or the command line")


def package_files(config: Config) -> tuple[Path, list[Path]]:
    """The package's bag folder and the files to deposit: the zip, and the PDF volume when built."""
    deposit = config.output / "deposit"
    zips = sorted(deposit.glob("*.zip"))
    if len(zips) != 1 or not (deposit / zips[0].stem).is_dir():
        raise _Stop([Diagnostic(display_path(deposit), 1, 1, "error", "expected one package (a folder and its .zip)",
                                "deposit-io", "run `edition deposit` to build the package again")])
    bag = deposit / zips[0].stem
    volume = bag / "data" / "pdf" / "volume-pdfa.pdf"
    return bag, [zips[0]] + ([volume] if volume.is_file() else [])


def upload_command(config: Config, target: Target, *, publish: bool, dry_run: bool,
                   log: Callable[[str], None] = print) -> int:
    """Deposit the package built in config.output/deposit/; 0 done, 1 data refused, 2 anything else."""
    try:
        # the output lock: no build replaces the package while it is uploaded, and no second
        # deposit of the same edition runs at once (it could make a second record)
        with hold(config.output):
            return _upload(config, target, publish, dry_run, log)
    except OutputBusy as exc:
        log(f"error: {exc}")
        return 2


def _upload(config: Config, target: Target, publish: bool, dry_run: bool, log: Callable[[str], None]) -> int:
    state_path = state.path_for(config.path)
    try:
        bag, paths = package_files(config)
        uploads = [Upload(_key(bag.name, p), p, md5_of(p)) for p in paths]
        if len(paths) == 1:
            log("note: the package has no PDF volume, so only the zip is deposited; run `edition build --only pdf` "
                "and deposit again to include it")
        record = metadata.record(bag / "data" / "datacite.xml", config.deposit.zenodo_upload_type)
        entries = _load_state(state_path)
    except _Stop as stop:
        log(format_text(stop.problems))
        return stop.code
    entry = entries.setdefault(target.base, state.Entry())
    if dry_run:
        log(f"dry run: the requests a deposit into {target.base} would send (nothing is sent; the answers are "
            f"assumed, and NEW-DRAFT-ID stands for an id the server gives)")
    if not dry_run and not _writable(state_path):  # before the server gives an id that must be kept
        log(format_text([_state_problem(state_path, "cannot be written")]))
        return 2
    client = Invenio(target.base, target.token() or "***", transport=DryRun(log) if dry_run else None)

    def save() -> None:
        if dry_run:
            return
        try:
            state.save(state_path, entries)
        except OSError as exc:
            kept = entry.draft or entry.record
            raise _Stop([_state_problem(state_path, f"cannot be written ({exc}); the record is {kept}: write its "
                                                    "id into the file by hand")]) from None

    run = _Run(client, target, record, uploads, entry, save, log)
    try:
        run.deposit(publish)
    except ApiError as error:
        where = next((u.path for u in uploads if u.key == error.key), uploads[0].path)
        problems = diagnose(error, target, record, where)
        log(format_text(problems))
        run.tell_where_the_draft_is()
        return 1 if any(p.rule == "deposit-rejected" for p in problems) else 2
    except _Stop as stop:
        log(format_text(stop.problems))
        run.tell_where_the_draft_is()
        return stop.code
    finally:
        client.close()
    if dry_run:
        log("dry run: nothing was sent, and deposit-records.json was left as it was")
    return 0


def _key(name: str, path: Path) -> str:
    return path.name if path.suffix == ".zip" else f"{name}.pdf"


def _load_state(path: Path) -> dict[str, state.Entry]:
    try:
        return state.load(path)
    except state.StateError as exc:
        raise _Stop([_state_problem(path, f"cannot be read: {exc}", exc.line, exc.col)]) from None


def _writable(path: Path) -> bool:
    return os.access(path if path.exists() else path.parent, os.W_OK)


def _state_problem(path: Path, what: str, line: int = 1, col: int = 1) -> Diagnostic:
    return Diagnostic(display_path(path), line, col, "error", f"the deposit state {what}", "deposit-state",
                      "it keeps the record's id; restore it from version control or make it writable: without it "
                      "the next deposit would make a second record instead of a new version")


class _Run:
    """One deposit into one repository."""

    def __init__(self, client: Invenio, target: Target, record: metadata.Record, uploads: list[Upload],
                 entry: state.Entry, save: Callable[[], None], log: Callable[[str], None]):
        self.client, self.target, self.record, self.uploads = client, target, record, uploads
        self.entry, self.save, self.log = entry, save, log

    def deposit(self, publish: bool) -> None:
        open_draft = self.settle()
        if open_draft is None and self.already_published():
            return
        draft = self.draft(open_draft)
        self.check_draft_errors(draft)
        self.send_files(draft["id"])
        self.verify(draft["id"])
        if not publish:
            self.log(f"draft ready: {self.entry.url}\n  every file is on the server with the checksum sent; review "
                     "the record there and publish it, or run the command again with --publish")
            return
        published = self.client.publish(draft["id"])
        self.entry.record, self.entry.draft = str(published.get("id", draft["id"])), None
        self.entry.url = published.get("links", {}).get("self_html", self.entry.url)
        self.save()
        doi = published.get("pids", {}).get("doi", {}).get("identifier")
        self.log(f"published: {self.entry.url}" + (f" (DOI {doi})" if doi else ""))

    def settle(self) -> dict | None:
        """The open draft of deposit-records.json as the server has it; a draft published since (on
        the web, or when the answer to --publish was lost) becomes the record, a deleted one is forgotten."""
        entry = self.entry
        if not entry.draft:
            return None
        found = self.client.read_draft(entry.draft)
        if found is not None and not found.get("is_published"):
            return found
        if self.client.read_record(entry.draft) is not None:
            entry.record = entry.draft
        entry.draft = None
        self.save()
        return None

    def already_published(self) -> bool:
        """True when the latest published version holds exactly this package (the same MD5s): an
        unchanged package is not deposited twice."""
        if not self.entry.record:
            return False
        held = {f.get("key"): f.get("checksum") for f in self.client.record_files(self.entry.record)}
        if held != {u.key: f"md5:{u.md5}" for u in self.uploads}:
            return False
        record = self.client.read_record(self.entry.record) or {}
        self.entry.url = record.get("links", {}).get("self_html", self.entry.url)
        self.save()
        self.log(f"already published with these very files: {self.entry.url}\n  nothing to deposit; a changed "
                 "edition (with a new version number) is deposited as a new version")
        return True

    def draft(self, open_draft: dict | None) -> dict:
        """The draft to fill: the open one again, else a new version of the record, else a new record."""
        body, entry = self.record.body, self.entry
        if open_draft is not None:
            self.log(f"the open draft {entry.draft} is filled again (deposit-records.json)")
            return self._keep(self.client.update_draft(entry.draft, body), entry.draft)
        if entry.record:
            self.log(f"a new version of record {entry.record} (deposit-records.json)")
            if entry.version and entry.version == body["metadata"].get("version"):
                self.log(f"note: version {entry.version} is already published; raise editionStmt/edition/@n in the "
                         "edition header so that readers can tell the versions apart")
            fresh = self.client.new_version(entry.record)
            self._keep(fresh, None)
            return self._keep(self.client.update_draft(str(fresh["id"]), body), str(fresh["id"]))
        self.log(f"a new record in {self.target.base}")
        return self._keep(self.client.create_draft(body), None)

    def _keep(self, draft: dict, known_id: str | None) -> dict:
        """Remember the draft's id at once: a deposit that stops later resumes this draft."""
        draft = {**draft, "id": str(draft.get("id") or known_id or "")}
        if not draft["id"]:
            raise _Stop([Diagnostic(display_path(self.uploads[0].path), 1, 1, "error",
                                    f"{self.target.host} gave no record id", "deposit-server",
                                    "the address may not be an InvenioRDM instance: check --to")])
        self.entry.draft = draft["id"]
        self.entry.version = self.record.body["metadata"].get("version")
        self.entry.url = draft.get("links", {}).get("self_html", self.entry.url)
        self.save()
        return draft

    def check_draft_errors(self, draft: dict) -> None:
        """Drafts are saved even with invalid metadata; their `errors` would stop the publication.
        (An error about the files is left out: they are uploaded next.)"""
        errors = [(name, text) for name, text in field_errors(draft.get("errors")) if not name.startswith("files")]
        if errors:
            raise ApiError("save the draft's metadata", 422, "the draft's metadata has errors", fields=errors)

    def send_files(self, draft_id: str) -> None:
        ours = {u.key: u for u in self.uploads}
        done = set()
        for entry in self.client.files(draft_id):
            key = entry.get("key")
            upload = ours.get(key)
            if upload and entry.get("status") == "completed" and entry.get("checksum") == f"md5:{upload.md5}":
                done.add(key)
                self.log(f"{key}: already on the server with the same checksum")
            else:  # a half-uploaded file of a deposit that broke off, an older file, or one not ours
                self.log(f"{key}: removed from the draft ({'not complete' if upload else 'not in this package'})")
                self.client.delete_file(draft_id, key)
        for upload in self.uploads:
            if upload.key in done:
                continue
            self.log(f"{upload.key}: uploading {upload.path.stat().st_size} bytes from {display_path(upload.path)}")
            committed = self.client.upload(draft_id, upload.key, upload.path)
            if committed.get("checksum") != f"md5:{upload.md5}":
                self.client.delete_file(draft_id, upload.key)
                raise _Stop([checksum_mismatch(upload.key, upload.md5, committed.get("checksum"), self.target,
                                               upload.path)])
            self.log(f"{upload.key}: {committed.get('checksum')} on the server, as sent")

    def verify(self, draft_id: str) -> None:
        """The draft holds exactly our files, each complete with our checksum."""
        listed = {e.get("key"): e for e in self.client.files(draft_id)}
        problems = []
        for upload in self.uploads:
            entry = listed.pop(upload.key, None)
            if entry is None or entry.get("checksum") != f"md5:{upload.md5}" or entry.get("status") != "completed":
                problems.append(checksum_mismatch(upload.key, upload.md5, (entry or {}).get("checksum"), self.target,
                                                  upload.path))
        if listed:
            problems.append(Diagnostic(display_path(self.uploads[0].path), 1, 1, "error",
                                       f"the draft also holds {', '.join(sorted(map(str, listed)))}", "deposit-upload",
                                       "another client changed the draft meanwhile; " + RESUME))
        if problems:
            raise _Stop(problems)

    def tell_where_the_draft_is(self) -> None:
        if self.entry.draft and self.entry.url:
            self.log(f"the unpublished draft: {self.entry.url}")
