"""Which repository `edition deposit --to` means, and the environment variable holding its token.

The token is read from the environment only: never from edition.toml (which is shared with the
edition) nor from the command line (which shells keep in their history and `ps` shows).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

ZENODO = "https://zenodo.org"
ZENODO_SANDBOX = "https://sandbox.zenodo.org"
TOKEN_VARIABLES = {ZENODO: "ZENODO_TOKEN", ZENODO_SANDBOX: "ZENODO_SANDBOX_TOKEN"}
ANY_INSTANCE = "INVENIO_TOKEN"  # any other InvenioRDM instance
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}  # plain http is allowed only to this machine


class TargetError(ValueError):
    """A --to / --sandbox combination that names no repository (a usage error)."""


@dataclass(frozen=True)
class Target:
    base: str           # https://host[/prefix], no trailing slash
    token_variable: str

    @property
    def host(self) -> str:
        return urlsplit(self.base).netloc

    def token(self) -> str | None:
        value = os.environ.get(self.token_variable, "").strip()
        return value or None


def target(to: str, sandbox: bool) -> Target:
    """`--to zenodo [--sandbox]` or `--to https://host/` as a Target."""
    if to.lower() == "zenodo":
        base = ZENODO_SANDBOX if sandbox else ZENODO
        return Target(base, TOKEN_VARIABLES[base])
    if sandbox:
        raise TargetError("--sandbox goes with --to zenodo only; for another instance give its test server's "
                          "address to --to")
    parts = urlsplit(to)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise TargetError(f"--to {to}: expected zenodo or the address of an InvenioRDM instance, "
                          "e.g. --to https://repository.example.org/")
    if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        raise TargetError(f"--to {to}: the token would travel unencrypted; use https://")
    if parts.query or parts.fragment:
        raise TargetError(f"--to {to}: give the instance's address without a query or fragment")
    base = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
    return Target(base, TOKEN_VARIABLES.get(base, ANY_INSTANCE))
