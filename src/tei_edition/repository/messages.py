"""What the server said, as our diagnostics: located, with what to do, never the token.

A rejected metadata field is located in the package's datacite.xml, where the value was
written, with the place in the edition header it was made from; everything else about the
transfer is located at the package file being deposited.
"""

from __future__ import annotations

from pathlib import Path

from tei_edition.diagnostics import Diagnostic, display_path
from tei_edition.repository.invenio import ApiError
from tei_edition.repository.metadata import Record
from tei_edition.repository.target import Target

RESUME = ("nothing was published; run the same command again: it goes on with the same record (its id is "
          "kept in deposit-records.json) and uploads again only the files not yet complete")


def diagnose(error: ApiError, target: Target, record: Record, where: Path) -> list[Diagnostic]:
    """The diagnostics for one failed request; `where` is the package file in question."""
    at = display_path(where)
    status = error.status
    said = f"{target.host} answered {status} ({error.message}) to: {error.step}" if status else \
        f"{target.host}: {error.step} failed: {error.message}"
    if status == 401:
        return [Diagnostic(at, 1, 1, "error", said, "deposit-auth",
                           f"the token in {target.token_variable} is missing, wrong or expired: make a personal "
                           f"access token at {target.base}/account/settings/applications/ and set "
                           f"{target.token_variable} to it")]
    if status == 403:
        return [Diagnostic(at, 1, 1, "error", said, "deposit-auth",
                           f"the token in {target.token_variable} may not do this: give it the scopes "
                           "deposit:write and deposit:actions, and deposit as the user who owns the record "
                           "named in deposit-records.json")]
    if status == 413:
        return [Diagnostic(at, 1, 1, "error", said, "deposit-upload",
                           f"the file is larger than {target.host} accepts (Zenodo: 50 GB per record): ask "
                           "the repository's managers for its limit; " + RESUME)]
    if status in (400, 422) and error.fields:
        return [_field(error, name, text, target, record) for name, text in error.fields]
    if status is not None and 400 <= status < 500:  # refused without naming a field: not the edition's data
        return [Diagnostic(at, 1, 1, "error", said, "deposit-server",
                           "the repository refused the request (its answer above says why); check that --to names "
                           "an InvenioRDM instance; " + RESUME)]
    if status is None and error.key:
        return [Diagnostic(at, 1, 1, "error", said, "deposit-upload",
                           "the connection broke off during the upload; " + RESUME)]
    if status is None:
        return [Diagnostic(at, 1, 1, "error", said, "deposit-server",
                           f"check the network and that {target.base} is reachable; " + RESUME)]
    return [Diagnostic(at, 1, 1, "error", said, "deposit-server",
                       "the repository failed, not your edition (for Zenodo see https://status.zenodo.org/): "
                       "wait a while; " + RESUME)]


def _field(error: ApiError, name: str, text: str, target: Target, record: Record) -> Diagnostic:
    line, origin = record.locate(name)
    shown = name or "the record"
    return Diagnostic(display_path(record.source), line, 1, "error",
                      f"{target.host} rejected {shown}: {text} (to: {error.step})", "deposit-rejected",
                      f"this value is made from {origin}: correct it there and run the command again "
                      "(nothing was published)")


def checksum_mismatch(key: str, sent: str, reported: str | None, target: Target, where: Path) -> Diagnostic:
    return Diagnostic(display_path(where), 1, 1, "error",
                      f"{target.host} stored {key} with checksum {reported or 'none'}, but md5:{sent} was sent",
                      "deposit-upload",
                      "the file was damaged or cut short on the way and was removed from the draft; " + RESUME)
