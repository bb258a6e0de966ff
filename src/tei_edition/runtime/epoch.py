"""SOURCE_DATE_EPOCH, read in one place: the fixed time of a reproducible build, or None.

Every output that writes a date (the build date on the pages, the deposit's timestamps, the
importer's drafts, a new project's creation date) takes it from here, so a value is understood
the same way everywhere, and a bad one is refused everywhere with the same message (exit 2:
it is the environment that is wrong, not the edition's data).
"""

from __future__ import annotations

import datetime as dt
import os

from tei_edition.diagnostics import Diagnostic

NAME = "SOURCE_DATE_EPOCH"


class EpochError(ValueError):
    """SOURCE_DATE_EPOCH is set but is not a usable number of seconds."""

    def __init__(self, value: str):
        self.diagnostic = Diagnostic(NAME, 1, 1, "error", f"{NAME}={value!r} is not a number of seconds since 1970",
                                     "config-epoch",
                                     "unset it, or set it to an integer such as $(git log -1 --format=%ct)")
        super().__init__(self.diagnostic.message)


def source_date_epoch() -> int | None:
    """The seconds in SOURCE_DATE_EPOCH, or None when it is not set (or empty)."""
    value = os.environ.get(NAME, "").strip()
    if not value:
        return None
    try:
        seconds = int(value)
        if seconds < 0:
            raise ValueError(value)
        dt.datetime.fromtimestamp(seconds, dt.timezone.utc)  # in range for dates and zip times
    except (ValueError, OverflowError, OSError):
        raise EpochError(value) from None
    return seconds


def fixed_day() -> str | None:
    """The ISO date of SOURCE_DATE_EPOCH, or None when it is not set."""
    seconds = source_date_epoch()
    return None if seconds is None else dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date().isoformat()


def build_day() -> str:
    """The date a build writes: SOURCE_DATE_EPOCH's when set (reproducible builds), else today."""
    return fixed_day() or dt.date.today().isoformat()
